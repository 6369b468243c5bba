#!/usr/bin/env python3
"""Synthetic features for `alvlm evaluate --features ...`, shaped like CLIP's: every class is a few modes
(sub-populations) around a class direction on the unit sphere in --dim dimensions, images are unit vectors
scattered around their mode (--spread: the noise's norm relative to the signal's), and the "text" feature of
a class is its direction plus noise (--text-noise), so zero-shot is better than chance but far from
perfect, as CLIP's is. Pool and test are drawn from the same modes. Needs numpy only.

  /usr/bin/python3 bench/synthetic_features.py OUT_DIR [--classes 10] [--dim 64] [--modes 3] [--seed 0]
"""
import argparse
from pathlib import Path

import numpy as np


def unit(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--modes", type=int, default=3)
    ap.add_argument("--pool", type=int, default=3000)
    ap.add_argument("--test", type=int, default=1000)
    ap.add_argument("--mode-spread", type=float, default=0.8, help="modes' distance from their class direction")
    ap.add_argument("--spread", type=float, default=2.0, help="images' noise norm relative to their mode")
    ap.add_argument("--text-noise", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    a.out.mkdir(parents=True, exist_ok=True)
    classes = unit(rng.standard_normal((a.classes, a.dim)))
    modes = unit(classes[:, None, :] + a.mode_spread * unit(rng.standard_normal((a.classes, a.modes, a.dim))))
    # uneven class and mode sizes, as real pools have
    class_p = rng.dirichlet(np.full(a.classes, 5.0))
    mode_p = rng.dirichlet(np.full(a.modes, 2.0), size=a.classes)

    def draw(n):
        y = rng.choice(a.classes, size=n, p=class_p)
        m = np.array([rng.choice(a.modes, p=mode_p[c]) for c in y])
        x = unit(modes[y, m] + a.spread * unit(rng.standard_normal((n, a.dim))))
        return x.astype(np.float32), y.astype(np.int64)

    pool, pool_y = draw(a.pool)
    test, test_y = draw(a.test)
    text = unit(classes + a.text_noise * unit(rng.standard_normal((a.classes, a.dim)))).astype(np.float32)
    np.save(a.out / "pool.npy", pool)
    np.save(a.out / "pool-labels.npy", pool_y)
    np.save(a.out / "test.npy", test)
    np.save(a.out / "test-labels.npy", test_y)
    np.save(a.out / "text.npy", text)
    zs = (np.argmax(test @ text.T, axis=1) == test_y).mean()
    print(f"wrote {a.out}: pool {a.pool}, test {a.test}, dim {a.dim}, {a.classes} classes x {a.modes} modes; "
          f"zero-shot top-1 {zs:.3f}")


if __name__ == "__main__":
    main()
