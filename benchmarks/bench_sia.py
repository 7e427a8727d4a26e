"""Benchmark: SIA SMAA-2 robustness, 10,000 weight draws over 15,000 buurten, on all cores.

Run from the repository root::

    python benchmarks/bench_sia.py [--buurten 15000] [--draws 10000] [--repeat 3]

The table is random (seeded) with seven criteria like the default set; only its size
matters. In the same run, on the same weight draws, it times:

- ``smaa.simulate``: the kernel: ``kans_top_k`` and the rank interval, and with them the
  rank acceptabilities, the central weights and the pairwise winning indices; and the same
  kernel without the pairwise winning indices (``pairwise=0``): ``kans_top_k`` + rank
  interval (target 1 s);
- ``sia.robustness``: the full SMAA set as the pipeline makes it: weight sampling, the
  kernel, the confidence factors and the output frame; once with the chosen weights
  perturbed (``exact``, the default) and once uniform within intervals (hit-and-run);
- ``sia.what_it_takes``: the smallest weight change for the buurten at ranks k-5 ... k+5;
- ``sia.prioritise``: score + robustness + what it takes, the whole SIA stage (target 3 s);
- a plain numpy reference for ``kans_top_k`` + rank interval on the same float32 scores:
  per block of draws the matrix product, ``np.argsort`` (stable) per row, ranks by
  ``put_along_axis``, ``np.percentile`` (lower / higher) at the end;
- a plain numpy top-k only path (``np.argpartition``, no rank interval, no tie order).

It asserts that the kernel's ``kans_top_k`` and rank interval equal the reference's
exactly. Each timing is the best of ``--repeat`` runs (wall clock, and the CPU time of all
threads of that run: on a loaded machine the wall time grows, the CPU time much less); BLAS
threads are limited to one per worker in our code (``threadpoolctl``), the references run as
numpy does by default.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from geoprestatie import sia, smaa


def _table(n: int, seed: int, draws: int) -> tuple[pd.DataFrame, sia.SiaConfig]:
    rng = np.random.default_rng(seed)
    cols = {f"c{j}": rng.normal(size=n) for j in range(7)}
    t = pd.DataFrame({"buurtcode": [f"BU{i:08d}" for i in range(n)], **cols})
    weights = [0.25, 0.15, 0.10, 0.20, 0.10, 0.10, 0.10]
    crits = [
        {"name": c, "label": c, "column": c, "direction": "higher", "weight": w}
        for c, w in zip(cols, weights, strict=True)
    ]
    cfg = sia.SiaConfig.from_dict(
        {"criteria": crits, "top_k": 50, "robustness": {"draws": draws, "seed": 2}}
    )
    return t, cfg


def _intervals(cfg: sia.SiaConfig) -> sia.SiaConfig:
    """The same criteria, weights uniform within ±5 points of the chosen ones (hit-and-run)."""
    w = cfg.weights
    total = sum(w.values())
    spans = {n: {"min": max(0.0, v / total - 0.05), "max": v / total + 0.05} for n, v in w.items()}
    crits = [
        {"name": c.name, "label": c.label, "column": c.column, "direction": c.direction,
         "weight": c.weight}
        for c in cfg.criteria
    ]  # fmt: skip
    return sia.SiaConfig.from_dict(
        {
            "criteria": crits,
            "top_k": cfg.top_k,
            "robustness": {"draws": cfg.robustness.draws, "seed": 2},
            "gewichten": {"methode": "intervallen", "intervallen": spans},
        }
    )


def _reference(u32: np.ndarray, w: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Plain numpy: full stable argsort per draw, all ranks kept, np.percentile."""
    n, d = u32.shape[1], w.shape[0]
    ranks = np.empty((d, n), dtype=np.int32)
    pos = np.arange(1, n + 1, dtype=np.int32)
    for s in range(0, d, 256):
        scores = w[s : s + 256].astype(np.float32) @ u32
        order = np.argsort(-scores, axis=1, kind="stable")
        np.put_along_axis(ranks[s : s + 256], order, np.broadcast_to(pos, order.shape), 1)
    kans = (ranks <= k).mean(axis=0)
    lo = np.percentile(ranks, 5, axis=0, method="lower")
    hi = np.percentile(ranks, 95, axis=0, method="higher")  # the conservative interval
    return kans, np.vstack([lo, hi])


def _reference_topk(u32: np.ndarray, w: np.ndarray, k: int) -> np.ndarray:
    """Plain numpy, kans_top_k only: argpartition per block, no ranks."""
    n, d = u32.shape[1], w.shape[0]
    counts = np.zeros(n, dtype=np.int64)
    for s in range(0, d, 256):
        top = np.argpartition(-(w[s : s + 256].astype(np.float32) @ u32), k - 1, axis=1)[:, :k]
        counts += np.bincount(top.ravel(), minlength=n)
    return counts / d


_CPU: dict[float, float] = {}  # best wall time -> the CPU time (all threads) of that run


def _best(f: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = f()
        wall = time.perf_counter() - t0
        if wall < best:
            best = wall
            _CPU[wall] = time.process_time() - c0
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--buurten", type=int, default=15_000)
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    table, cfg = _table(args.buurten, seed=1, draws=args.draws)
    prep = sia._prepare(table, cfg)
    draws, _ = sia._draw_weights(prep, cfg)
    perm = np.argsort(prep.codes.astype(str), kind="stable")
    u = prep.u[perm]
    u32 = np.ascontiguousarray((100.0 * u).T, dtype=np.float32)  # the kernel's scores
    k = cfg.top_k
    score = sia.METHODS["weighted_sum"].scores
    load = os.getloadavg()[0]

    rows: list[tuple[str, float]] = []
    t_kernel, counts = _best(
        lambda: smaa.simulate(u, draws, top_k=k, scores=score, linear=True, pairwise=2 * k),
        args.repeat,
    )
    rows.append(("smaa.simulate: kernel, all indices (ours)", t_kernel))
    t_top, lean = _best(
        lambda: smaa.simulate(u, draws, top_k=k, scores=score, linear=True, pairwise=0),
        args.repeat,
    )
    rows.append(("smaa.simulate: kans_top_k + interval (ours)", t_top))
    t_rob, _ = _best(lambda: sia.robustness(table, cfg), args.repeat)
    rows.append(("sia.robustness: full SMAA set, exact (ours)", t_rob))
    box = _intervals(cfg)
    t_box, _ = _best(lambda: sia.robustness(table, box), args.repeat)
    rows.append(("sia.robustness: intervallen, hit-and-run", t_box))
    t_wit, _ = _best(lambda: sia.what_it_takes(table, cfg), args.repeat)
    rows.append(("sia.what_it_takes: ranks k-5 ... k+5", t_wit))
    t_all, _ = _best(lambda: sia.prioritise(table, cfg), args.repeat)
    rows.append(("sia.prioritise: score + SMAA + what it takes", t_all))
    t_ref, (kans, interval) = _best(lambda: _reference(u32, draws, k), args.repeat)  # type: ignore[misc]
    rows.append(("reference: argsort + np.percentile (numpy)", t_ref))
    t_topk, _ = _best(lambda: _reference_topk(u32, draws, k), args.repeat)
    rows.append(("reference: argpartition, kans_top_k only", t_topk))

    for c in (counts, lean):
        assert isinstance(c, smaa.SmaaCounts)
        np.testing.assert_array_equal(c.in_top / args.draws, kans)
        np.testing.assert_array_equal(c.rank_p05, interval[0])
        np.testing.assert_array_equal(c.rank_p95, interval[1])
    print(
        f"buurten: {args.buurten:,}   draws: {args.draws:,}   criteria: 7   top_k: {k}   "
        f"cores: {len(os.sched_getaffinity(0))}   load: {load:.1f} -> {os.getloadavg()[0]:.1f}"
    )
    print(f"{'what':<46}{'seconds':>9}{'cpu s':>8}{'vs reference':>14}")
    for name, t in rows:
        print(f"{name:<46}{t:>9.2f}{_CPU[t]:>8.2f}{t_ref / t:>13.1f}x")
    print("kans_top_k and rank interval equal to the reference for every buurt (asserted)")


if __name__ == "__main__":
    main()
