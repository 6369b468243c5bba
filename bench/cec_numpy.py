"""The synthetic CLIP-like pool of `bench select` and CEC's uncertainty (docs/cec.md), in numpy,
for the reference scripts in this folder (select_reference.py, kmeans_reference.py)."""
import numpy as np


def synthetic_pool(n, dim, classes, seed):
    """Features [n, dim] between a class and a confusable one under noise, and class text [classes, dim]."""
    rng = np.random.default_rng(seed)
    t = rng.standard_normal((classes, dim)).astype(np.float32)
    tn = t / np.linalg.norm(t, axis=1, keepdims=True)
    c = np.minimum(classes - 1, (classes * rng.random(n) ** 1.5).astype(int))
    c2 = rng.integers(0, classes, n)
    b = 0.3 * rng.random(n)
    f = (0.3 * tn[c] + b[:, None] * tn[c2] + 0.9 / np.sqrt(dim) * rng.standard_normal((n, dim))).astype(np.float32)
    return f, t


def calibrated_entropy(f, t, scale=100.0, top_n=10):
    """(normalised features, calibrated entropy) of every row."""
    x = f / np.linalg.norm(f, axis=1, keepdims=True)
    tx = t / np.linalg.norm(t, axis=1, keepdims=True)
    logits = scale * (x.astype(np.float64) @ tx.T.astype(np.float64))
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    prior = np.sort(p, axis=0)[-top_n:].mean(0)
    q = p / prior
    q /= q.sum(1, keepdims=True)
    return x, -(q * np.log(np.maximum(q, 1e-300))).sum(1)


def uncertainty(h, ids, sims):
    """U = H + H_NN with similarity-weighted neighbour entropy over kNN lists ids/sims [n, k] (self excluded)."""
    s = np.maximum(sims, 0)
    return h + (s * h[ids]).sum(1) / np.maximum(s.sum(1), 1e-30)
