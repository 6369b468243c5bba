#!/usr/bin/env python3
"""How the stopping rule's settings would have done on finished `alvlm evaluate` runs: reads each run's
labels.csv (kappa and changed predictions per model on the stop set, requested labels, test top-1), finds where
each arm's mean accuracy curve flattened (the first round after which no round gains more than 0.5 point of
top-1) and, for every (kappa, rounds, settle) in a grid, the mean label count at which `stable` fires as
io.alvlm.stopping.StoppingRule fires (kappa at or above `kappa` for `rounds` models in a row, and the fitted
fall of changed predictions from this round to the next at most `settle`; a seed that never fires counts as
firing one round after its last). Prints the worst and mean relative gap over the runs whose curve flattened
for each setting, best first, then one setting's table. Needs numpy only.

  /usr/bin/python3 bench/stop_rule_grid.py RESULTS_DIR... [--kappa 0.9] [--rounds 1] [--settle 0.0005]
"""
import argparse
import csv
import itertools
from collections import defaultdict
from pathlib import Path

import numpy as np

FLAT = 0.005
WINDOW = 5


def fit(labels, changed):
    """d = a · n^slope by least squares in log-log over the last WINDOW models, as GainForecast.fit."""
    x = np.log(np.asarray(labels[-WINDOW:], float))
    y = np.log(np.maximum(np.asarray(changed[-WINDOW:], float), 1e-4))
    if len(x) < 2 or np.ptp(x) == 0:
        return None
    slope, icpt = np.polyfit(x, y, 1)
    return lambda n: min(1.0, float(np.exp(icpt + slope * np.log(n))))


def fires(rounds, kappa_min, need, settle):
    """Labels at which `stable` fires on one seed's rounds [(labels, kappa, changed)], or None."""
    streak = 0
    for i, (n, k, _) in enumerate(rounds):
        streak = streak + 1 if k >= kappa_min else 0
        step = n - rounds[i - 1][0] if i else n
        f = fit([r[0] for r in rounds[:i + 1]], [r[2] for r in rounds[:i + 1]])
        if f is not None and streak >= need and f(n) - f(n + step) <= settle:
            return n
    return None


def flattened(labels, top1):
    last = len(top1) - 1
    while last >= 1 and top1[last] - top1[last - 1] <= FLAT:
        last -= 1
    return None if last == len(top1) - 1 else labels[last]


def load(dirs):
    arms = {}
    for d in dirs:
        by = defaultdict(lambda: defaultdict(list))
        with open(Path(d) / "labels.csv") as f:
            for row in csv.DictReader(f):
                by[row["arm"]][int(row["seed"])].append(
                    (int(row["round"]), int(row["requested"]), float(row["kappa"]), float(row["changed"]), float(row["top1"])))
        for arm, seeds in by.items():
            runs = {s: sorted(v) for s, v in seeds.items()}
            rounds = min(len(v) for v in runs.values())
            labels = [np.mean([runs[s][r][1] for s in runs]) for r in range(rounds)]
            top1 = [np.mean([runs[s][r][4] for s in runs]) for r in range(rounds)]
            arms[f"{Path(d).name}/{arm}"] = (runs, labels, top1, flattened(labels, top1))
    return arms


def mean_fire(runs, k, w, g):
    out = []
    for rs in runs.values():
        fired = fires([(r[1], r[2], r[3]) for r in rs], k, w, g)
        out.append(fired if fired is not None else rs[-1][1] + (rs[-1][1] - rs[-2][1]))
    return float(np.mean(out)), sum(1 for rs in runs.values() if fires([(r[1], r[2], r[3]) for r in rs], k, w, g))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--kappa", type=float)
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--settle", type=float)
    a = ap.parse_args()
    arms = load(a.dirs)
    flat = {k: v for k, v in arms.items() if v[3] is not None}
    grid = list(itertools.product([0.8, 0.85, 0.9, 0.92, 0.94, 0.96], [1, 2, 3],
                                  [0.0002, 0.0005, 0.001, 0.002, 0.005]))
    scored = []
    for k, w, g in grid:
        gaps = [abs(mean_fire(v[0], k, w, g)[0] - v[3]) / v[3] for v in flat.values()]
        scored.append((max(gaps), float(np.mean(gaps)), k, w, g))
    scored.sort()
    print("worst gap, mean gap, kappa, rounds, settle (best 10 over %d arms whose curve flattened)" % len(flat))
    for s in scored[:10]:
        print("  %.3f  %.3f  %.2f  %d  %.4f" % s)
    k, w, g = (a.kappa, a.rounds, a.settle) if a.kappa is not None else scored[0][2:]
    print(f"\nkappa {k}, rounds {w}, settle {g}:")
    print("| run / arm | curve flat at labels | stable fired at labels, per seed | mean (never: one round after the last) | gap |")
    print("|---|---|---|---|---|")
    for name, (runs, labels, top1, fl) in sorted(arms.items()):
        m, n = mean_fire(runs, k, w, g)
        per = [fires([(r[1], r[2], r[3]) for r in rs], k, w, g) for _, rs in sorted(runs.items())]
        gap = "–" if fl is None else "%+.0f%%" % (100 * (m - fl) / fl)
        seeds = ", ".join("never" if p is None else str(p) for p in per)
        print(f"| {name} | {'not within the run' if fl is None else '%.0f' % fl} | {seeds} | {m:.0f} | {gap} |")


if __name__ == "__main__":
    main()
