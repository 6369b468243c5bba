#!/usr/bin/env python3
"""The issue's near-duplicate pool for `alvlm select --dedup-cosine`: a features/text pair (e.g. from
bench/synthetic_features.py) plus --bursts bursts of --copies near-copies (expected cosine --cosine to their
image) of the pool images zero-shot is least sure about (smallest top-1 − top-2 margin), appended after the
pool; then, for each selection JSON given with --check, how many picks came from bursts and how many pairs
of picks sit at cosine >= 0.97. Needs numpy only.

  /usr/bin/python3 bench/burst_pool.py FEATURES.npy TEXT.npy OUT_DIR [--bursts 10] [--copies 150] [--seed 11]
  /usr/bin/python3 bench/burst_pool.py --check OUT_DIR/pool.npy SELECTION.json...
"""
import argparse
import json
from pathlib import Path

import numpy as np


def unit(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def make(a):
    x = np.load(a.features)
    t = np.load(a.text)
    logits = 100 * unit(x) @ unit(t).T
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    s = np.sort(p, 1)
    sources = np.argsort(s[:, -1] - s[:, -2])[:a.bursts]
    rng = np.random.default_rng(a.seed)
    rel = np.sqrt(1 / a.cosine ** 2 - 1)
    copies = [x[i] + rel * np.linalg.norm(x[i]) / np.sqrt(x.shape[1]) * rng.standard_normal((a.copies, x.shape[1]))
              for i in sources]
    a.out.mkdir(parents=True, exist_ok=True)
    pool = np.vstack([x] + copies).astype(np.float32)
    np.save(a.out / "pool.npy", pool)
    np.save(a.out / "text.npy", t.astype(np.float32))
    print(f"wrote {a.out}: {len(x)} images + {a.bursts} bursts of {a.copies} near-copies = {len(pool)} rows")


def check(pool_file, selections):
    p = unit(np.load(pool_file))
    for f in selections:
        s = json.load(open(f))
        r = np.array(s["selected"])
        sims = p[r] @ p[r].T
        iu = np.triu_indices(len(r), 1)
        print(f"{f}: {len(r)} picks, pairs at cosine >= 0.97: {int((sims[iu] >= 0.97).sum())}, "
              f"turned down: {len(s.get('duplicates', []))}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("args", nargs="+")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--bursts", type=int, default=10)
    ap.add_argument("--copies", type=int, default=150)
    ap.add_argument("--cosine", type=float, default=0.995)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    if a.check:
        check(a.args[0], a.args[1:])
    else:
        a.features, a.text, a.out = Path(a.args[0]), Path(a.args[1]), Path(a.args[2])
        make(a)


if __name__ == "__main__":
    main()
