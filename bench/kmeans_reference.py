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
from cec_numpy import calibrated_entropy, synthetic_pool, uncertainty
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


def weights(f, t):
    """Normalised rows and CEC uncertainty with exact kNN (brute force: the pools are small)."""
    x, h = calibrated_entropy(f, t)
    s = x.astype(np.float64) @ x.T.astype(np.float64)
    np.fill_diagonal(s, -np.inf)
    ids = np.argsort(-s, axis=1)[:, :a.k]
    return x, uncertainty(h, ids, np.take_along_axis(s, ids, 1))


ratios = []
for seed in [int(s) for s in a.seeds.split(",")]:
    f, t = synthetic_pool(a.n, a.dim, a.classes, seed)
    F, T, S = (os.path.join(d, f"{n}{seed}.{e}") for n, e in (("F", "npy"), ("T", "npy"), ("S", "json")))
    np.save(F, f); np.save(T, t)
    subprocess.run([os.path.join(root, "bin", "alvlm"), "select", "--features", F, "--text", T, "--strategy", "cec",
                    "--budget", str(a.clusters), "--inits", "10", "--seed", str(seed), "--out", S], check=True,
                   stdout=subprocess.DEVNULL)
    ours = json.load(open(S))["weighted_inertia"]
    x, w = weights(f, t)
    ten = KMeans(n_clusters=a.clusters, n_init=10, init="k-means++", random_state=seed).fit(x, sample_weight=w).inertia_
    singles = [KMeans(n_clusters=a.clusters, n_init=1, init="k-means++", random_state=seed * 100 + i)
               .fit(x, sample_weight=w).inertia_ / ten for i in range(5)]
    ratios.append(ours / ten)
    print(f"seed {seed}: alvlm --inits 10 {ours:.4f} vs scikit-learn n_init=10 {ten:.4f}: {ours / ten:.4f}x "
          f"(scikit-learn single inits {min(singles):.4f}x..{max(singles):.4f}x)", flush=True)
print(f"kmeans: {len(ratios)} held-out pools, alvlm/scikit-learn weighted inertia mean {np.mean(ratios):.4f}x, "
      f"worst {max(ratios):.4f}x (target <= 1.01x)")
