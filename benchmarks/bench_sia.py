"""Benchmark: SIA Monte Carlo robustness, 10,000 weight draws over 15,000 buurten.

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_sia.py [--buurten 15000] [--draws 10000]

The table is random (seeded) with seven criteria like the default set; only its size matters.
The baseline is the obvious per-draw loop (score, then ``scipy.stats.rankdata`` per draw) on
fewer draws, extrapolated per draw, next to the vectorised :func:`geoprestatie.sia.robustness`.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from geoprestatie import sia


def _table(n: int, seed: int) -> tuple[pd.DataFrame, sia.SiaConfig]:
    rng = np.random.default_rng(seed)
    cols = {f"c{j}": rng.normal(size=n) for j in range(7)}
    t = pd.DataFrame({"buurtcode": [f"BU{i:08d}" for i in range(n)], **cols})
    weights = [0.25, 0.15, 0.10, 0.20, 0.10, 0.10, 0.10]
    crits = [
        {"name": c, "label": c, "column": c, "direction": "higher", "weight": w}
        for c, w in zip(cols, weights, strict=True)
    ]
    return t, sia.SiaConfig.from_dict({"criteria": crits, "top_k": 50})


def _naive(u: np.ndarray, draws: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    ranks = np.empty((draws.shape[0], u.shape[0]), dtype=np.int64)
    for i, w in enumerate(draws):
        ranks[i] = rankdata(-(u @ w), method="ordinal")
    return (ranks <= k).mean(axis=0), np.percentile(ranks, [5, 95], axis=0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--buurten", type=int, default=15_000)
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--naive-draws", type=int, default=300)
    args = ap.parse_args()

    table, cfg = _table(args.buurten, seed=1)
    cfg = sia.SiaConfig(
        criteria=cfg.criteria,
        top_k=cfg.top_k,
        robustness=sia.RobustnessConfig(draws=args.draws, seed=2),
    )
    t0 = time.perf_counter()
    rob = sia.robustness(table, cfg)
    vec = time.perf_counter() - t0
    assert rob["kans_top_k"].between(0, 1).all()

    prep = sia._prepare(table, cfg)
    draws = sia._draw_weights(prep.weights, cfg.robustness)[: args.naive_draws]
    t0 = time.perf_counter()
    _naive(prep.u, draws, cfg.top_k)
    naive = time.perf_counter() - t0
    per_draw_naive = naive / args.naive_draws
    per_draw_vec = vec / args.draws

    print(f"buurten: {args.buurten:,}   criteria: {len(cfg.criteria)}   top_k: {cfg.top_k}")
    print(f"{'method':<44}{'draws':>8}{'seconds':>10}{'ms/draw':>10}")
    print(
        f"{'sia.robustness (vectorised, whole run)':<44}{args.draws:>8,}{vec:>10.2f}"
        f"{1000 * per_draw_vec:>10.3f}"
    )
    print(
        f"{'naive loop + scipy rankdata (measured)':<44}{args.naive_draws:>8,}{naive:>10.2f}"
        f"{1000 * per_draw_naive:>10.3f}"
    )
    print(
        f"{'naive loop, extrapolated':<44}{args.draws:>8,}"
        f"{per_draw_naive * args.draws:>10.1f}{1000 * per_draw_naive:>10.3f}"
    )
    print(f"speed-up per draw: {per_draw_naive / per_draw_vec:.1f}x")


if __name__ == "__main__":
    main()
