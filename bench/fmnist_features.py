#!/usr/bin/env python3
"""Precomputed features of the Fashion-MNIST subset for `alvlm evaluate --features ...`: a real
dataset on which the cosine-classifier learner really learns, without a pretrained CLIP (none can be
downloaded here). Features: the pool's first --dim principal components of the raw pixels (fitted
on the pool, applied to both splits). Text features: one random Gaussian vector per class, so the
"zero-shot" classifier is at chance and every gain comes from the labels. Needs numpy only.

  /usr/bin/python3 bench/fmnist_features.py data/fashion-mnist OUT_DIR [--dim 64]
"""
import argparse
import gzip
from pathlib import Path

import numpy as np


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    pool = idx(a.data / "train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float64) / 255
    test = idx(a.data / "t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float64) / 255
    mean = pool.mean(axis=0)
    _, _, vt = np.linalg.svd(pool - mean, full_matrices=False)
    basis = vt[:a.dim].T
    np.save(a.out / "pool.npy", ((pool - mean) @ basis).astype(np.float32))
    np.save(a.out / "test.npy", ((test - mean) @ basis).astype(np.float32))
    np.save(a.out / "pool-labels.npy", idx(a.data / "train-labels-idx1-ubyte.gz").astype(np.int64))
    np.save(a.out / "test-labels.npy", idx(a.data / "t10k-labels-idx1-ubyte.gz").astype(np.int64))
    rng = np.random.default_rng(a.seed)
    np.save(a.out / "text.npy", rng.standard_normal((10, a.dim)).astype(np.float32))
    print(f"wrote {a.out}: pool {pool.shape[0]}, test {test.shape[0]}, dim {a.dim}")


if __name__ == "__main__":
    main()
