#!/usr/bin/python3
"""Chooses the approximate-neighbour method for the pool (issue #13, by hand, not CI): inverted lists
over k-means cells (FAISS IndexIVFFlat, inner product) against HNSW (FAISS IndexHNSWFlat) on the
synthetic CLIP-like pool of `bin/alvlm bench pool`, measured here with FAISS as the stand-in for
both designs. For each setting: build seconds, insert rate when rows arrive one batch at a time,
search rate, and recall@k of the k nearest against exact search on a sample.
Needs: apt-get install -y python3-faiss.

  /usr/bin/python3 bench/ann_compare.py --n 200000 --dim 512
"""
import argparse, os, time
import numpy as np
import faiss
from cec_numpy import synthetic_pool

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=200000)
ap.add_argument("--dim", type=int, default=512)
ap.add_argument("--classes", type=int, default=100)
ap.add_argument("--k", type=int, default=10)
ap.add_argument("--sample", type=int, default=1000)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--only", choices=["ivf", "hnsw"], default=None)
a = ap.parse_args()
faiss.omp_set_num_threads(a.threads)
x, _ = synthetic_pool(a.n, a.dim, a.classes, 0)
x = x / np.linalg.norm(x, axis=1, keepdims=True)
x = np.ascontiguousarray(x, dtype=np.float32)
rng = np.random.default_rng(1)
q = rng.choice(a.n, a.sample, replace=False)
flat = faiss.IndexFlatIP(a.dim); flat.add(x)
t0 = time.time(); _, truth = flat.search(x[q], a.k + 1); exact_s = time.time() - t0
truth = truth[:, 1:]
print(f"pool {a.n} x {a.dim}; exact search {a.sample / exact_s:.0f} queries/s; load {os.getloadavg()[0]:.2f}", flush=True)

def recall(ids):
    return np.mean([len(set(ids[i]) & set(truth[i])) / a.k for i in range(len(q))])

def measure(name, index, knobs):
    t0 = time.time()
    if not index.is_trained:
        index.train(x[rng.choice(a.n, min(a.n, 256 * 1024), replace=False)])
    train = time.time() - t0
    t0 = time.time()
    for s in range(0, a.n, 1000):
        index.add(x[s:s + 1000])
    add = a.n / (time.time() - t0)
    for knob, set_knob in knobs:
        set_knob(index)
        t0 = time.time(); _, ids = index.search(x[q], a.k + 1); rate = a.sample / (time.time() - t0)
        ids = np.array([[j for j in row if j != qi][:a.k] for row, qi in zip(ids, q)])
        print(f"{name} {knob}: train {train:.1f}s insert {add:.0f}/s search {rate:.0f}/s recall@{a.k} {recall(ids):.3f}", flush=True)

for nlist in (1024, 4096) if a.only != "hnsw" else ():
    measure(f"ivf nlist {nlist}", faiss.IndexIVFFlat(faiss.IndexFlatIP(a.dim), a.dim, nlist, faiss.METRIC_INNER_PRODUCT),
            [(f"nprobe {p}", lambda i, p=p: setattr(i, "nprobe", p)) for p in (8, 16, 32, 64, 128)])
for m in (16, 32) if a.only != "ivf" else ():
    h = faiss.IndexHNSWFlat(a.dim, m, faiss.METRIC_INNER_PRODUCT)
    h.hnsw.efConstruction = 80
    measure(f"hnsw M {m}", h, [(f"efSearch {e}", lambda i, e=e: setattr(i.hnsw, "efSearch", e)) for e in (32, 64, 128)])
