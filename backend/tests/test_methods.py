"""DINO, BYOL, SimSiam and MAE: each loss against its formula written out on hand-computable
inputs (float64, plain Python), and each method through a tiny training loop that follows
methods/base.py's contract exactly (build, optimize the requires_grad parameters, training_loss,
backward, step, after_step): the loss falls, the EMA/centre state round-trips through
state_dict, the teacher/target is not optimized."""
import math

import pytest
import torch

from sslmem_backend.methods import METHODS
from sslmem_backend.methods.byol import byol_loss
from sslmem_backend.methods.common import cosine_momentum
from sslmem_backend.methods.dino import dino_loss
from sslmem_backend.methods.mae import mae_loss, random_masking
from sslmem_backend.methods.simsiam import simsiam_loss
from sslmem_backend.models import SmallCNN
from sslmem_backend.vit import ViT, patchify


def softmax(xs):
    m = max(xs)
    e = [math.exp(x - m) for x in xs]
    return [v / sum(e) for v in e]


def test_dino_loss_matches_the_formula():
    """L = mean over (teacher view i, student view v ≠ i) of mean_b −Σ_k P_t(i)_bk · log P_s(v)_bk,
    P_t = softmax((t − c)/τ_t), P_s = softmax(s/τ_s); two global views and one local view."""
    s = [[[1.0, 0.0, -1.0], [0.5, 0.5, 0.0]], [[0.0, 2.0, 0.0], [1.0, -1.0, 0.5]], [[0.3, 0.1, 0.2], [0.0, 0.0, 1.0]]]
    t = [[[2.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [[0.0, 0.0, 3.0], [1.0, 1.0, 0.0]]]
    c = [0.5, -0.5, 0.0]
    ts, tt = 0.5, 0.25
    total, terms = 0.0, 0
    for i in range(2):
        for v in range(3):
            if v == i:
                continue
            batch = 0.0
            for b in range(2):
                q = softmax([(t[i][b][k] - c[k]) / tt for k in range(3)])
                p = softmax([s[v][b][k] / ts for k in range(3)])
                batch += -sum(q[k] * math.log(p[k]) for k in range(3))
            total += batch / 2
            terms += 1
    expected = total / terms
    got = dino_loss([torch.tensor(x) for x in s], [torch.tensor(x) for x in t], torch.tensor([c]), ts, tt)
    assert terms == 4 and abs(float(got) - expected) < 1e-5


def test_dino_loss_of_two_views_is_the_cross_entropy_both_ways():
    # one image, K = 2, centre 0, τ 1: L = ½·[H(q1, p2) + H(q2, p1)], q = p = softmax
    a, b = torch.tensor([[0.0, math.log(3.0)]]), torch.tensor([[math.log(3.0), 0.0]])  # softmax (1/4, 3/4), (3/4, 1/4)
    h = -(0.25 * math.log(0.75) + 0.75 * math.log(0.25))
    got = dino_loss([a, b], [a, b], torch.zeros(1, 2), 1.0, 1.0)
    assert abs(float(got) - h) < 1e-6


def test_byol_loss_matches_the_formula():
    # cos([1,0],[0,1]) = 0 → 2; cos([1,1],[2,2]) = 1 → 0; cos([1,0],[-3,0]) = −1 → 4: mean 2
    p = torch.tensor([[1.0, 0.0], [1.0, 1.0], [1.0, 0.0]])
    z = torch.tensor([[0.0, 1.0], [2.0, 2.0], [-3.0, 0.0]])
    assert abs(float(byol_loss(p, z)) - 2.0) < 1e-6
    # ‖p/‖p‖ − z/‖z‖‖² is the same number (BYOL Eq. 2)
    g = torch.Generator().manual_seed(0)
    p, z = torch.randn(5, 4, generator=g, dtype=torch.float64), torch.randn(5, 4, generator=g, dtype=torch.float64)
    direct = ((p / p.norm(dim=1, keepdim=True) - z / z.norm(dim=1, keepdim=True)) ** 2).sum(1).mean()
    assert abs(float(byol_loss(p, z)) - float(direct)) < 1e-6


def test_simsiam_loss_matches_the_formula():
    # D(p1, z2) = −cos([1,0],[1,1]) = −1/√2; D(p2, z1) = −cos([0,2],[0,-1]) = 1 → ½(−1/√2) + ½(1)
    p1, z2 = torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 1.0]])
    p2, z1 = torch.tensor([[0.0, 2.0]]), torch.tensor([[0.0, -1.0]])
    assert abs(float(simsiam_loss(p1, p2, z1, z2)) - (0.5 * (-1 / math.sqrt(2)) + 0.5)) < 1e-6


def test_stop_gradients():
    p = torch.tensor([[1.0, 0.5]], requires_grad=True)
    z = torch.tensor([[0.2, 1.0]], requires_grad=True)
    byol_loss(p, z).backward()
    assert z.grad is None and p.grad is not None
    p1, p2 = (torch.randn(3, 4, requires_grad=True) for _ in range(2))
    z1, z2 = (torch.randn(3, 4, requires_grad=True) for _ in range(2))
    simsiam_loss(p1, p2, z1, z2).backward()
    assert z1.grad is None and z2.grad is None and p1.grad is not None
    t = torch.randn(3, 5, requires_grad=True)
    s = torch.randn(3, 5, requires_grad=True)
    dino_loss([s, s * 2], [t, t * 2], torch.zeros(1, 5)).backward()
    assert t.grad is None and s.grad is not None


def test_mae_loss_matches_the_formula():
    # two patches of 2 pixels; only patch 0 hidden: mean((1−0)², (3−1)²) = 2.5
    pred = torch.tensor([[[1.0, 3.0], [9.0, 9.0]]])
    target = torch.tensor([[[0.0, 1.0], [0.0, 0.0]]])
    assert abs(float(mae_loss(pred, target, torch.tensor([[1.0, 0.0]]))) - 2.5) < 1e-6
    # both hidden: (2.5 + 81)/2
    assert abs(float(mae_loss(pred, target, torch.tensor([[1.0, 1.0]]))) - 41.75) < 1e-5
    # norm_pix: target patch [0, 1] → mean ½, unbiased var ½ → [−½, ½]/√(½ + 1e-6)
    sd = math.sqrt(0.5 + 1e-6)
    expected = ((1 + 0.5 / sd) ** 2 + (3 - 0.5 / sd) ** 2) / 2
    got = mae_loss(pred, target, torch.tensor([[1.0, 0.0]]), norm_pix=True)
    assert abs(float(got) - expected) < 1e-5


def test_random_masking_hides_the_ratio_and_inverts():
    torch.manual_seed(0)
    keep, mask, restore = random_masking(3, 16, 0.75)
    assert keep.shape == (3, 4) and mask.shape == (3, 16)
    assert torch.equal(mask.sum(1), torch.full((3,), 12.0))
    for b in range(3):
        assert set(torch.nonzero(mask[b] == 0).flatten().tolist()) == set(keep[b].tolist())
    with pytest.raises(ValueError, match="mask ratio"):
        random_masking(1, 4, 1.0)


def test_patchify_order_matches_the_vit_tokens():
    # a 4×4 image in patches of 2: patch 1 (top right) holds pixels (0,2),(0,3),(1,2),(1,3)
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    assert patchify(x, 2)[0, 1].tolist() == [2.0, 3.0, 6.0, 7.0]
    assert patchify(x, 2).shape == (1, 4, 4)


def test_cosine_momentum_schedule():
    assert cosine_momentum(0.996, 0.0) == pytest.approx(0.996)
    assert cosine_momentum(0.996, 0.5) == pytest.approx(0.998)
    assert cosine_momentum(0.996, 1.0) == pytest.approx(1.0)


# ---- the training contract ----------------------------------------------------------------------------

def tiny_vit(seed=0):
    torch.manual_seed(seed)
    return ViT(image_size=12, patch_size=4, in_channels=1, dim=16, depth=2, heads=2)


def tiny_cnn(seed=0):
    torch.manual_seed(seed)
    return SmallCNN(1, 4, "fc", 12)


SMALL = {
    "dino": dict(out_dim=64, hidden=32, bottleneck=16, teacher_temp=0.04, warmup_teacher_temp=0.02,
                 warmup_fraction=0.3),
    "byol": dict(proj_hidden=32, proj_dim=16, pred_hidden=32, momentum=0.99),
    "simsiam": dict(proj_hidden=32, proj_dim=32, pred_hidden=8),
    "mae": dict(mask_ratio=0.5, decoder_dim=16, decoder_depth=1, decoder_heads=2),
}
CASES = [("dino", tiny_cnn), ("dino", tiny_vit), ("byol", tiny_cnn), ("simsiam", tiny_cnn), ("mae", tiny_vit)]


def build(name, make_encoder, seed=0, **extra):
    encoder = make_encoder(seed)
    return METHODS[name](encoder, encoder.dim, **{**SMALL[name], **extra})


def step(method, opt, views, progress):
    """One step exactly as base.py's contract says."""
    loss = method.training_loss(views)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    method.after_step(progress)
    return float(loss)


def fixed_views(k, seed=1, n=16):
    g = torch.Generator().manual_seed(seed)
    base = torch.rand(n, 1, 12, 12, generator=g)
    return [base + 0.05 * torch.randn(n, 1, 12, 12, generator=g) for _ in range(k)]


def optimizer(method, lr=3e-3):
    return torch.optim.Adam([p for p in method.parameters() if p.requires_grad], lr=lr)


#: DINO's own loss is not a descent curve at the start (the centre, starting at 0, catches up with
#: the teacher's outputs and moves the targets; the teacher follows the student): the falling-loss
#: check freezes the teacher (momentum 1) and the centre (momentum 1), so it checks that the student
#: learns the teacher's sharpened distribution; the EMA and centre updates are tested on their own.
FALLING = {"dino": dict(momentum=1.0, center_momentum=1.0)}


@pytest.mark.parametrize("name,make_encoder", CASES)
def test_loss_falls_on_tiny_data(name, make_encoder):
    method = build(name, make_encoder, **FALLING.get(name, {}))
    method.train()
    opt = optimizer(method)
    views = fixed_views(METHODS[name].views_per_step)
    steps = 30
    torch.manual_seed(5)
    losses = [step(method, opt, views, (i + 1) / steps) for i in range(steps)]
    assert all(math.isfinite(v) for v in losses)
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5, losses


@pytest.mark.parametrize("name,make_encoder", CASES)
def test_state_dict_resumes_bit_identically(name, make_encoder):
    """Three steps, save state_dict (and the optimizer's), load both into a method built from another
    seed, take two more steps in each under the same RNG: same losses, same parameters and buffers
    (EMA teacher/target, DINO's centre and progress)."""
    a = build(name, make_encoder, seed=0)
    opt_a = optimizer(a)
    k = METHODS[name].views_per_step
    torch.manual_seed(3)
    for i in range(3):
        step(a, opt_a, fixed_views(k, seed=i), (i + 1) / 5)
    b = build(name, make_encoder, seed=7)
    b.load_state_dict(a.state_dict())
    opt_b = optimizer(b)
    opt_b.load_state_dict(opt_a.state_dict())
    for i in (3, 4):
        torch.manual_seed(100 + i)
        la = step(a, opt_a, fixed_views(k, seed=i), (i + 1) / 5)
        torch.manual_seed(100 + i)
        lb = step(b, opt_b, fixed_views(k, seed=i), (i + 1) / 5)
        assert la == lb
    sa, sb = a.state_dict(), b.state_dict()
    assert sa.keys() == sb.keys()
    for key in sa:
        assert torch.equal(sa[key], sb[key]), key


@pytest.mark.parametrize("name", ["dino", "byol"])
def test_teacher_is_an_ema_and_not_optimized(name):
    m = build(name, tiny_cnn)
    teacher = m.teacher_encoder if name == "dino" else m.target_encoder
    optimized = {id(p) for p in m.parameters() if p.requires_grad}
    assert not any(id(p) in optimized for p in teacher.parameters())
    assert all(id(p) in optimized for p in m.encoder.parameters())
    before = [p.clone() for p in teacher.parameters()]
    with torch.no_grad():
        for p in m.encoder.parameters():
            p.add_(1.0)
    m.after_step(0.5)
    mom = cosine_momentum(SMALL[name].get("momentum", 0.996), 0.5)
    for t0, t1, o in zip(before, teacher.parameters(), m.encoder.parameters()):
        assert torch.allclose(t1, mom * t0 + (1 - mom) * o, atol=1e-6)


def test_dino_centre_is_an_ema_of_the_teacher_outputs():
    m = build("dino", tiny_cnn)
    views = fixed_views(2)
    with torch.no_grad():
        t = torch.cat([m.teacher_head(m.teacher_encoder(v)) for v in views])
    m.training_loss(views)
    assert torch.allclose(m.center, 0.1 * t.mean(0, keepdim=True), atol=1e-6)


def test_dino_teacher_temperature_warms_up():
    m = build("dino", tiny_cnn)  # 0.02 → 0.04 over the first 30%
    assert m.current_teacher_temp() == pytest.approx(0.02)
    m.after_step(0.15)
    assert m.current_teacher_temp() == pytest.approx(0.03)
    m.after_step(0.6)
    assert m.current_teacher_temp() == pytest.approx(0.04)


def test_dino_multi_crop_adds_local_views_to_the_student_only():
    m = build("dino", tiny_vit, local_crops=3, local_size=8)
    views = fixed_views(2)
    torch.manual_seed(0)
    local = m.local_views(views)
    assert len(local) == 3 and all(v.shape == (16, 1, 8, 8) for v in local)
    torch.manual_seed(0)
    loss = m.training_loss(views)
    assert math.isfinite(float(loss))
    # with 2 global + 3 local views DINO's loss has 2·(5 − 1) = 8 terms: check against dino_loss directly
    torch.manual_seed(0)
    crops = views + m.local_views(views)
    student = [m.head(m.encoder.embed(v)) for v in crops]
    teacher = [m.teacher_head(m.teacher_encoder.embed(v)) for v in views]
    center_before = (m.center - 0.1 * torch.cat(teacher).mean(0, keepdim=True)) / 0.9
    assert abs(float(dino_loss(student, teacher, center_before, 0.1, 0.02)) - float(loss)) < 1e-5


def test_mae_needs_a_vit():
    with pytest.raises(ValueError, match="needs a ViT"):
        build("mae", tiny_cnn)


def test_mae_reconstructs_every_patch_and_scores_only_the_hidden():
    m = build("mae", tiny_vit)
    x = fixed_views(1)[0]
    torch.manual_seed(0)
    pred, mask = m.reconstruct(x)
    assert pred.shape == (16, 9, 16) and mask.shape == (16, 9)
    assert torch.equal(mask.sum(1), torch.full((16,), 5.0))  # int(9·0.5) = 4 visible
    torch.manual_seed(0)
    loss = m.training_loss([x])
    assert abs(float(loss) - float(mae_loss(pred, patchify(x, 4), mask))) < 1e-6


def test_vicreg_with_mu_half_is_the_official_codes_halved_variance():
    """methods/vicreg.py: Eq. 6 sums the branches' variance terms; facebookresearch/vicreg halves them,
    which is Eq. 6 with μ = 12.5 (written out here as that code computes it)."""
    import torch.nn.functional as F

    from sslmem_backend.losses import vicreg
    from sslmem_backend.methods.vicreg import VICReg
    g = torch.Generator().manual_seed(4)
    x, y = torch.randn(32, 6, generator=g, dtype=torch.float64), torch.randn(32, 6, generator=g, dtype=torch.float64)

    def official(x, y):
        n, d = x.shape
        repr_loss = F.mse_loss(x, y)
        x, y = x - x.mean(dim=0), y - y.mean(dim=0)
        std_x, std_y = torch.sqrt(x.var(dim=0) + 0.0001), torch.sqrt(y.var(dim=0) + 0.0001)
        std_loss = torch.mean(F.relu(1 - std_x)) / 2 + torch.mean(F.relu(1 - std_y)) / 2
        off = ~torch.eye(d, dtype=torch.bool)
        cov_x, cov_y = (x.T @ x) / (n - 1), (y.T @ y) / (n - 1)
        cov_loss = cov_x[off].pow(2).sum() / d + cov_y[off].pow(2).sum() / d
        return 25 * repr_loss + 25 * std_loss + 1 * cov_loss

    small = 0.5 * x  # std below 1: the variance term is active
    assert abs(float(vicreg(small, y, mu=12.5)) - float(official(small, y))) < 1e-5
    assert abs(float(vicreg(small, y)) - float(official(small, y))) > 1e-2  # Eq. 6 (default) differs
    torch.manual_seed(0)
    method = VICReg(torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 4)), 4, mu=12.5)
    v1, v2 = torch.rand(8, 1, 4, 4, generator=g), torch.rand(8, 1, 4, 4, generator=g)
    z1, z2 = method.projector(method.encoder(v1)), method.projector(method.encoder(v2))
    assert torch.allclose(method.training_loss([v1, v2]), vicreg(z1, z2, 25.0, 12.5, 1.0))
