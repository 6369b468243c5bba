#!/usr/bin/python3
"""alvlm's weighted k-means against scikit-learn's on held-out pools (by hand, not CI).

For each seed: writes a CLIP-like pool (default 3,000 x 96, 60 clusters as the budget), runs
`bin/alvlm select --strategy cec --inits 10` on it, computes the same CEC uncertainty in numpy
(docs/cec.md: calibrated entropy + similarity-weighted neighbour entropy, exact kNN) and fits
scikit-learn `KMeans(n_init=10, init="k-means++")` with those weights; prints both weighted inertias
and their ratio, and scikit-learn's single-init spread for scale. Same generator as
select_reference.py. Needs: apt-get install -y python3-sklearn.
"""
import argparse, json, os, subprocess, tempfile
import numpy as np
from sklearn.cluster import KMeans

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=3000)
ap.add_argument("--dim", type=int, default=96)
ap.add_argument("--classes", type=int, default=30)
ap.add_argument("--clusters", type=int, default=60)
ap.add_argument("--k", type=int, default=10)
ap.add_argument("--seeds", default="1,2,3,4,5")
a = ap.parse_args()
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
d = tempfile.mkdtemp(prefix="alvlm-kmeans-ref-")


def pool(seed):
    rng = np.random.default_rng(seed)
    t = rng.standard_normal((a.classes, a.dim)).astype(np.float32)
    tn = t / np.linalg.norm(t, axis=1, keepdims=True)
    c = np.minimum(a.classes - 1, (a.classes * rng.random(a.n) ** 1.5).astype(int))
    c2 = rng.integers(0, a.classes, a.n)
    b = 0.3 * rng.random(a.n)
    f = (0.3 * tn[c] + b[:, None] * tn[c2] + 0.9 / np.sqrt(a.dim) * rng.standard_normal((a.n, a.dim))).astype(np.float32)
    return f, t


def uncertainty(f, t):
    x = f / np.linalg.norm(f, axis=1, keepdims=True)
    tx = t / np.linalg.norm(t, axis=1, keepdims=True)
    logits = 100.0 * (x.astype(np.float64) @ tx.T.astype(np.float64))
    p = np.exp(logits - logits.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)
    prior = np.sort(p, axis=0)[-10:].mean(0)
    q = p / prior; q /= q.sum(1, keepdims=True)
    h = -(q * np.log(np.maximum(q, 1e-300))).sum(1)
    s = x.astype(np.float64) @ x.T.astype(np.float64)
    np.fill_diagonal(s, -np.inf)
    ids = np.argsort(-s, axis=1)[:, :a.k]
    sims = np.maximum(np.take_along_axis(s, ids, 1), 0)
    hnn = (sims * h[ids]).sum(1) / np.maximum(sims.sum(1), 1e-30)
    return x, h + hnn


ratios = []
for seed in [int(s) for s in a.seeds.split(",")]:
    f, t = pool(seed)
    F, T, S = (os.path.join(d, f"{n}{seed}.{e}") for n, e in (("F", "npy"), ("T", "npy"), ("S", "json")))
    np.save(F, f); np.save(T, t)
    subprocess.run([os.path.join(root, "bin", "alvlm"), "select", "--features", F, "--text", T, "--strategy", "cec",
                    "--budget", str(a.clusters), "--inits", "10", "--seed", str(seed), "--out", S], check=True,
                   stdout=subprocess.DEVNULL)
    ours = json.load(open(S))["weighted_inertia"]
    x, w = uncertainty(f, t)
    ten = KMeans(n_clusters=a.clusters, n_init=10, init="k-means++", random_state=seed).fit(x, sample_weight=w).inertia_
    singles = [KMeans(n_clusters=a.clusters, n_init=1, init="k-means++", random_state=seed * 100 + i)
               .fit(x, sample_weight=w).inertia_ / ten for i in range(5)]
    ratios.append(ours / ten)
    print(f"seed {seed}: alvlm --inits 10 {ours:.4f} vs scikit-learn n_init=10 {ten:.4f}: {ours / ten:.4f}x "
          f"(scikit-learn single inits {min(singles):.4f}x..{max(singles):.4f}x)", flush=True)
print(f"kmeans: {len(ratios)} held-out pools, alvlm/scikit-learn weighted inertia mean {np.mean(ratios):.4f}x, "
      f"worst {max(ratios):.4f}x (target <= 1.01x)")
