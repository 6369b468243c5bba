#!/usr/bin/python3
"""alvlm select vs the Python reference on the same synthetic CLIP-like pool, in one run (by hand, not CI).

Writes F.npy [n, dim] and T.npy [classes, dim] (the generator of `bin/alvlm bench select`, in numpy),
times `bin/alvlm select --strategy cec --budget B --inits 1`, then the reference on the same file:
exact FAISS IndexFlatIP kNN (k+1, self dropped) + CEC scores + scikit-learn weighted KMeans
(n_init=1, k-means++), and FAISS kNN + FAISS k-means (20 steps, weighted). Prints the times and ratios.
Needs: apt-get install -y python3-faiss python3-sklearn.
"""
import argparse, json, os, subprocess, sys, tempfile, time
import numpy as np
from cec_numpy import calibrated_entropy, synthetic_pool, uncertainty

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=100000)
ap.add_argument("--dim", type=int, default=512)
ap.add_argument("--classes", type=int, default=100)
ap.add_argument("--budget", type=int, default=1000)
ap.add_argument("--k", type=int, default=10)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--dir", default=None)
a = ap.parse_args()
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
d = a.dir or tempfile.mkdtemp(prefix="alvlm-select-ref-")
os.makedirs(d, exist_ok=True)
F, T, S = (os.path.join(d, x) for x in ("F.npy", "T.npy", "S.json"))

f, t = synthetic_pool(a.n, a.dim, a.classes, a.seed)
np.save(F, f)
np.save(T, t)
print(f"pool {a.n} x {a.dim}, {a.classes} classes, budget {a.budget} in {d}; load average {os.getloadavg()[0]:.2f}", flush=True)

t0 = time.time()
subprocess.run([os.path.join(root, "bin", "alvlm"), "select", "--features", F, "--text", T, "--strategy", "cec",
                "--budget", str(a.budget), "--inits", "1", "--out", S], check=True)
alvlm = time.time() - t0
out = json.load(open(S))
print(f"alvlm select: {alvlm:.1f} s (wall, JVM start included); timings_ms "
      + json.dumps({k: round(v) for k, v in out["timings_ms"].items()}) + f"; weighted inertia {out['weighted_inertia']:.3f}; peak heap {out['peak_heap_mib']:.0f} MiB = "
      + f"{out['peak_heap_mib'] / out['features_mib']:.2f}x the features", flush=True)

import faiss
from sklearn.cluster import KMeans

def scores(x, text, k):
    """CEC uncertainty (docs/cec.md) with exact FAISS kNN; returns (weights, knn seconds)."""
    x, h = calibrated_entropy(x, text)
    t1 = time.time()
    index = faiss.IndexFlatIP(x.shape[1]); index.add(x)
    sims, ids = index.search(x, k + 1)
    knn = time.time() - t1
    keep = ids != np.arange(len(x))[:, None]  # self drops out with weight 0
    return uncertainty(h, np.where(keep, ids, 0), np.where(keep, sims, 0)), knn, x

t0 = time.time()
w, knn, xn = scores(f, t, a.k)
km = KMeans(n_clusters=a.budget, n_init=1, init="k-means++", random_state=a.seed).fit(xn, sample_weight=w)
sk = time.time() - t0
print(f"FAISS kNN + scikit-learn KMeans: {sk:.1f} s (kNN {knn:.1f} s, k-means {sk - knn:.1f} s incl. scores); "
      f"weighted inertia {km.inertia_:.3f}", flush=True)

t0 = time.time()
w, knn2, xn = scores(f, t, a.k)
fk = faiss.Kmeans(a.dim, a.budget, niter=20, seed=a.seed)
fk.train(xn, weights=w.astype(np.float32))
_, lab = fk.index.search(xn, 1)
ff = time.time() - t0
inert = float((w * ((xn - fk.centroids[lab[:, 0]]) ** 2).sum(1)).sum())
print(f"FAISS kNN + FAISS k-means (20 steps): {ff:.1f} s; weighted inertia {inert:.3f}", flush=True)
print(f"ratio alvlm / (FAISS + scikit-learn) = {alvlm / sk:.2f}; alvlm / (FAISS + FAISS) = {alvlm / ff:.2f}; "
      f"load average {os.getloadavg()[0]:.2f}")
