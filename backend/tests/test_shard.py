import os
import subprocess

import h5py
import numpy as np
from conftest import sslmem_path, tiny_encoder

from sslmem_backend.dump import dump_representations
from sslmem_backend.shard import in_shard, parse_shard, shard_of, splitmix64
from sslmem_backend.views import Normalize, SimCLRAugment

HERE = os.path.dirname(__file__)


def test_matches_values_from_swift_shard():
    # data/shard_values.txt: printed by Sources/SSLMemCore/Shard.swift itself (data/shard_values.swift)
    rows = [line.split() for line in open(os.path.join(HERE, "data", "shard_values.txt"))]
    assert len(rows) == 15
    for x, h, s7, s16 in rows:
        assert splitmix64(int(x) & (2**64 - 1)) == int(h, 16), x
        assert shard_of(int(x), 7) == int(s7) and shard_of(int(x), 16) == int(s16), x
        assert in_shard(int(x), (int(s7), 7)) and not in_shard(int(x), ((int(s7) + 1) % 7, 7))
    # Vigna's splitmix64.c from state 0 returns 0xe220a8397b1dcdaf first
    assert splitmix64(0) == 0xE220A8397B1DCDAF
    assert parse_shard("2/8") == (2, 8)


def test_sharded_dumps_score_and_merge_like_one_dump(tmp_path, data, split, sslmem):
    """docs/cluster.md's array job: task i dumps f and g for shard i only (in its own folder,
    same relative names), scores it with --shard i/N; merge gives the bytes of one score run."""
    enc = {"f": tiny_encoder(0), "g": tiny_encoder(1)}
    kw = dict(views=2, transform=SimCLRAugment([0.5], [0.25]), original_transform=Normalize([0.5], [0.25]))
    full_f = dump_representations(enc["f"], data, split, str(tmp_path / "f.h5"), role="f", **kw)
    full_g = dump_representations(enc["g"], data, split, str(tmp_path / "g.h5"), role="g", **kw)
    sslmem("score", "--f", full_f, "--g", full_g, "--out", str(tmp_path / "one.csv"))
    seen = []
    for i in range(3):
        d = tmp_path / f"shard{i}"
        d.mkdir()
        for role in ("f", "g"):
            dump_representations(enc[role], data, split, str(d / f"{role}.h5"), role=role, shard=(i, 3), **kw)
        r = subprocess.run([sslmem_path(), "score", "--f", "f.h5", "--g", "g.h5", "--shard", f"{i}/3",
                            "--out", str(tmp_path / f"part-{i}.h5")], cwd=d, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        with h5py.File(d / "f.h5") as a, h5py.File(tmp_path / f"part-{i}.h5") as b, h5py.File(full_f) as full:
            mine = np.sort(a["points/index"][:])
            assert np.array_equal(mine, np.sort(b["index"][:]))  # the points sslmem puts in shard i
            assert (int(a.attrs["shard"]), int(a.attrs["shards"])) == (i, 3)
            pos = {int(x): r for r, x in enumerate(full["points/index"][:])}
            rows = [pos[int(x)] for x in a["points/index"][:]]
            assert np.array_equal(a["views/representations"][:], full["views/representations"][:][rows])
        seen.append(mine)
    every = np.concatenate(seen)
    assert len(every) == len(np.unique(every)) == 210
    sslmem("merge", *[str(tmp_path / f"part-{i}.h5") for i in range(3)], "--out", str(tmp_path / "merged.csv"))
    assert (tmp_path / "merged.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
