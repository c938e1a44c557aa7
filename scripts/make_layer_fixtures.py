#!/usr/bin/env python3
"""Small synthetic per-layer dumps for the LayerMem/UnitMem tests (fixtures/layers_synthetic/) and their
expected values from scripts/layermem_reference.py (fixtures/expected/layers_synthetic.json).

  python3 scripts/make_layer_fixtures.py          # from the repository root; numpy, scipy, h5py
  python3 scripts/make_layer_fixtures.py --expected  # only fixtures/expected/layers_synthetic.json
  python3 scripts/make_layer_fixtures.py --real   # expected values of the real fixture fixtures/layers/{f,g}.h5

Deterministic (fixed seed). Files:
- conv_f.h5, conv_g.h5: 120 points (20 shared, 60 candidate, 20 independent, 20 extra), K = 3 views,
  layers "stem" (conv [4,3,3], float16, gzip+shuffle, units_axis 0, order 0), "block" (conv [6,2,2],
  float32, units_axis 0, order 1) and "tokens" ([T=4, C=6], float32, units_axis 1, order 2), each with
  its original; f aligns its candidates' views more closely the deeper the layer. g stores rows shuffled.
  In f's "block", channel 0 of two shared points holds the same largest values (a tie for x*(u)).
- tiny_f.h5, tiny_g.h5: one point per subset, K = 2, one layer.
- bad/: one defect per file pair (see BAD below).
"""
import json, os, subprocess, sys
import numpy as np, h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "layers_synthetic")
EXPECTED = os.path.join(ROOT, "fixtures", "expected", "layers_synthetic.json")
REFERENCE = os.path.join(ROOT, "scripts", "layermem_reference.py")


def write(path, role, index, subset, layers, views, views_original, perm=None, extra=None):
    """layers: list of (name, order, units_axis, reps [N,K,...], original [N,...], dtype, gzip)."""
    perm = np.arange(len(index)) if perm is None else perm
    with h5py.File(path, "w") as h:
        h.attrs["sslmem_format"] = "representations"
        h.attrs["sslmem_format_version"] = 1
        h.attrs["trained_on"] = ["shared", "candidate"] if role == "f" else ["shared", "independent"]
        h.attrs["encoder"] = role
        h["points/index"] = index[perm].astype(np.int64)
        h["points/subset"] = subset[perm].astype(np.uint8)
        h["points/label"] = (index[perm] % 10).astype(np.int64)
        h["views/representations"] = views[perm].astype(np.float32)
        h["views/original"] = views_original[perm].astype(np.float32)
        for spec in layers:
            name, order, axis, reps, orig, dtype, gz = spec[:7]
            g = h.create_group("layers/" + name)
            kw = dict(chunks=(8,) + reps.shape[1:], compression="gzip", shuffle=True) if gz else {}
            g.create_dataset("representations", data=reps[perm].astype(dtype), **kw)
            if orig is not None:
                g.create_dataset("original", data=orig[perm].astype(dtype))
            if order is not None:
                g.attrs["order"] = order
            if axis is not None:
                g.attrs["units_axis"] = axis
        if extra:
            extra(h)


def conv_pair(rng):
    counts = [20, 60, 20, 20]
    subset = np.concatenate([np.full(c, s) for s, c in enumerate(counts)])
    n = len(subset)
    index = np.sort(rng.choice(10_000, size=n, replace=False))
    shuffle = rng.permutation(n)
    rng.shuffle(subset)
    K = 3
    shapes = {"stem": (4, 3, 3), "block": (6, 2, 2), "tokens": (4, 6)}
    specs = [("stem", 0, 0, np.float16, True), ("block", 1, 0, np.float32, False),
             ("tokens", 2, 1, np.float32, False)]
    files = {}
    for role in ("f", "g"):
        own = 1 if role == "f" else 2
        layers = []
        for depth, (name, order, axis, dtype, gz) in enumerate(specs):
            shape = shapes[name]
            base = rng.gamma(2.0, 1.0, size=(n,) + shape)
            # Noise of the views: smaller for the encoder's own points, more so the deeper the layer.
            scale = np.where(subset == own, 0.45 - 0.12 * depth, 0.45)
            noise = rng.normal(size=(n, K) + shape) * scale.reshape((n, 1) + (1,) * len(shape))
            reps = np.abs(base[:, None] + noise) + 0.01
            orig = base + 0.01
            if role == "f" and name == "block":
                # A tie for x*(u) of channel 0: two shared points with the same largest values.
                tied = np.flatnonzero(subset == 0)[:2]
                reps[tied, :, 0] = 25.0
            layers.append((name, order, axis, reps, orig, dtype, gz))
        views = rng.normal(size=(n, K, 16)) * np.where(subset == own, 0.3, 0.5)[:, None, None]
        views_orig = rng.normal(size=(n, 16))
        views = views + views_orig[:, None]
        files[role] = (layers, views, views_orig)
    write(os.path.join(OUT, "conv_f.h5"), "f", index, subset, *files["f"])
    write(os.path.join(OUT, "conv_g.h5"), "g", index, subset, *files["g"], perm=shuffle)


def tiny_pair(rng, directory, name_f, name_g, mutate=None):
    index = np.array([7, 3, 11, 5], dtype=np.int64)
    subset = np.array([0, 1, 2, 3])
    out = {}
    for role in ("f", "g"):
        reps = np.abs(rng.normal(size=(4, 2, 3, 2))) + 0.1
        orig = np.abs(rng.normal(size=(4, 3, 2))) + 0.1
        views = rng.normal(size=(4, 2, 8))
        vo = rng.normal(size=(4, 8))
        layers = [["conv", 0, 0, reps, orig, np.float32, False]]
        out[role] = (layers, views, vo)
    extra = {}
    if mutate:
        extra = mutate(out) or {}
    write(os.path.join(directory, name_f), "f", index, subset, *out["f"], extra=extra.get("f"))
    write(os.path.join(directory, name_g), "g", index, subset, *out["g"], extra=extra.get("g"))


def second_layer(order, shape=(3, 2), axis=0):
    def add(files):
        for role in ("f", "g"):
            layers = files[role][0]
            reps = np.abs(np.random.default_rng(5).normal(size=(4, 2) + shape)) + 0.1
            orig = np.abs(np.random.default_rng(6).normal(size=(4,) + shape)) + 0.1
            layers.append(["deep", order, axis, reps, orig, np.float32, False])
    return add


def bad_cases(rng):
    bad = os.path.join(OUT, "bad")
    os.makedirs(bad, exist_ok=True)

    def missing_in_g(files):
        second_layer(1)(files)
        files["g"][0].pop()

    def shapes_differ(files):
        files["g"][0][0][3] = np.abs(rng.normal(size=(4, 2, 2, 3))) + 0.1
        files["g"][0][0][4] = np.abs(rng.normal(size=(4, 2, 3))) + 0.1

    def duplicated_order(files):
        second_layer(0)(files)

    def one_view(files):
        for role in ("f", "g"):
            files[role][0][0][3] = files[role][0][0][3][:, :1]

    def zero_view(files):
        files["f"][0][0][3][1, 1] = 0.0   # point 3 (row 1), view 1

    def nan_view(files):
        files["g"][0][0][3][2, 0, 1, 1] = np.nan   # point 11 (row 2), view 0

    def negative(files):
        files["f"][0][0][3][1, :, 2] = -1.0   # point 3, unit 2

    cases = {"missing_in_g": missing_in_g, "shapes_differ": shapes_differ,
             "duplicated_order": duplicated_order, "one_view": one_view, "zero_view": zero_view,
             "nan_view": nan_view, "negative": negative}
    for name, mutate in cases.items():
        tiny_pair(rng, bad, f"{name}_f.h5", f"{name}_g.h5", mutate)


def reference(*args):
    out = subprocess.run([sys.executable, REFERENCE, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def real_expected():
    """Expected values on the real per-layer fixture (fixtures/layers/{f,g}.h5 from the backend's experiment,
    cut by fixtures/layers/make_layers_fixture.py) into fixtures/expected/layers_real.json."""
    f, g = (os.path.join(ROOT, "fixtures", "layers", n) for n in ("f.h5", "g.h5"))
    with h5py.File(f, "r") as h:
        has_original = all("original" in h["layers"][n] for n in h["layers"])
    expected = {"layers": {}, "units": {}}
    for pairing in (["original", "all-pairs"] if has_original else ["all-pairs"]):
        for distance in ("l2", "cosine"):
            expected["layers"][f"{pairing} {distance}"] = reference(
                "layers", "--f", f, "--g", g, "--pairing", pairing, "--distance", distance, "--top", "10,50,100",
                "--extremes", "50")
    for rest in ("mean", "median"):
        expected["units"][rest] = reference("units", "--f", f, "--g", g, "--rest", rest, "--allow-negative")
    with open(os.path.join(ROOT, "fixtures", "expected", "layers_real.json"), "w") as fh:
        json.dump(expected, fh, indent=1)
        fh.write("\n")


def main():
    if sys.argv[1:] == ["--real"]:
        real_expected()
        return
    os.makedirs(OUT, exist_ok=True)
    if sys.argv[1:] != ["--expected"]:  # --expected: recompute only the expected values from the committed files
        rng = np.random.default_rng(20241212)
        conv_pair(rng)
        tiny_pair(rng, OUT, "tiny_f.h5", "tiny_g.h5")
        bad_cases(rng)
    f, g = os.path.join(OUT, "conv_f.h5"), os.path.join(OUT, "conv_g.h5")
    tf, tg = os.path.join(OUT, "tiny_f.h5"), os.path.join(OUT, "tiny_g.h5")
    expected = {"layers": {}, "units": {}}
    for pairing in ("original", "all-pairs"):
        for distance in ("l2", "cosine"):
            expected["layers"][f"{pairing} {distance}"] = reference(
                "layers", "--f", f, "--g", g, "--pairing", pairing, "--distance", distance,
                "--top", "10,20,50,100", "--extremes", "20")
    # Two f and two g files (the same pair twice, in either order) average to the same values.
    for rest in ("mean", "median"):
        expected["units"][f"{rest} shared,candidate"] = reference(
            "units", "--f", f, "--g", g, "--rest", rest)
        expected["units"][f"{rest} candidate"] = reference(
            "units", "--f", f, "--rest", rest, "--subsets", "candidate", "--layer", "tokens")
        expected["units"][f"{rest} tiny"] = reference("units", "--f", tf, "--g", tg, "--rest", rest)
    with open(EXPECTED, "w") as fh:
        json.dump(expected, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
