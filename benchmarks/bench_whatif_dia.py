"""Benchmark (not a test): "what it takes" and the DIA stage on a national-shaped set.

Run from the repository root::

    python benchmarks/bench_whatif_dia.py DIR [--buurten 1500] [--dwellings 100000]
                                              [--reference 3] [--repeat 3]

It generates the seeded national-shaped set of ``benchmarks/national.py`` into ``DIR``
(reused while ``DIR/config.toml`` exists), runs the pipeline once (``pipeline.run``) for
the joined buurt table and the prioritised table, and then times in this process:

- ``sia.what_it_takes``: the smallest weight change for the buurten ranked k-5 ... k+5
  (exact: counts the answers that are a labelled bound because the time ran out);
- the reference on the same buurten: the textbook programme (every competitor a binary,
  big-M from the simplex, ``scipy.optimize.milp`` with the same 10 s limit), for the first
  ``--reference`` of them (it is slow); it checks that every answer it proves optimal
  equals ours;
- ``dia.delineate`` with the run's ``[dia]`` settings, and with constraints that make the
  region growing work (bridges, spacing, connecting and filling buurten, a budget).

Each timing of ours is the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import national  # noqa: E402

from geoprestatie import config as run_config  # noqa: E402
from geoprestatie import dia, pipeline, sia, weightspace, whatif  # noqa: E402
from geoprestatie.errors import DataWarning  # noqa: E402


def best(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return min(times), out


def textbook(u: Any, i: int, w0: Any, ws: Any, k: int, inside: bool) -> tuple[int, float]:
    """Every competitor a binary, big-M from the simplex: (HiGHS status, L1)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    lead = np.delete(u, i, axis=0) - u[i]
    a, need = (lead, k) if inside else (-lead, len(u) - k)
    c, m = a.shape
    big = np.abs(a).max(axis=1) + 2 * whatif.EPS
    cons = [
        LinearConstraint(np.hstack([ws.g, -ws.g, np.zeros((len(ws.h), c))]), ub=ws.h - ws.g @ w0),
        LinearConstraint(np.r_[np.ones(m), -np.ones(m), np.zeros(c)][None, :], 0, 0),
        LinearConstraint(np.hstack([a, -a, -np.diag(big)]), whatif.EPS - a @ w0 - big),
        LinearConstraint(np.r_[np.zeros(2 * m), np.ones(c)][None, :], lb=need),
    ]
    res = milp(
        np.r_[np.ones(2 * m), np.zeros(c)],
        constraints=cons,
        integrality=np.r_[np.zeros(2 * m), np.ones(c)],
        bounds=Bounds(0, 1),
        options={"time_limit": 10.0, "mip_rel_gap": 1e-6},
    )
    return int(res.status), float(res.x[: 2 * m].sum()) if res.x is not None else np.nan


def bench_whatif(result: Any, args: argparse.Namespace) -> None:
    table, cfg = result.joined.table, result.sia_config
    t, out = best(lambda: sia.what_it_takes(table, cfg), args.repeat)
    texts = out["wat_nodig_tekst"].dropna()
    bounds = int(texts.str.contains("niet uitgesloten").sum())
    print(f"sia.what_it_takes: {len(texts)} buurten in {t:.3f} s ({bounds} labelled bounds)")
    prep = sia._prepare(table, cfg)
    scored = sia.score(table, cfg)
    idx = np.flatnonzero(prep.eligible)
    k = min(cfg.top_k, idx.size)
    rank = scored["sia_rang"].to_numpy(dtype=float, na_value=np.nan)
    near = [int(i) for i in idx if k - 5 <= rank[i] <= k + 5][: args.reference]
    ws = weightspace.weight_set(cfg.gewichten, [c.name for c in prep.criteria])
    where = {int(p): j for j, p in enumerate(idx)}
    l1 = out["wat_nodig_l1"].to_numpy()
    total = 0.0
    for i in near:
        t0 = time.perf_counter()
        status, ref = textbook(prep.u, where[i], prep.weights, ws, k, bool(rank[i] <= k))
        total += time.perf_counter() - t0
        same = "equal" if status == 0 and abs(ref - l1[i]) < 1e-6 else "-"
        print(f"  reference (textbook MILP) rank {int(rank[i])}: status {status}, {same}")
        assert status != 0 or abs(ref - l1[i]) < 1e-6, (ref, l1[i])
    if near:
        per = total / len(near)
        print(
            f"  reference: {per:.2f} s per buurt, {len(texts)} buurten ~ {per * len(texts):.1f} s"
        )


def bench_dia(result: Any, config: Any, args: argparse.Namespace) -> None:
    section = dict(config.section("dia"))
    section.pop("vorige", None)
    plain = dia.DiaConfig.from_dict(section)
    dwell = result.prioritised[plain.dwellings_column].fillna(0).sum()
    rich = dataclasses.replace(
        plain, brug_afstand=60.0, min_buurten=3, max_buurten=6, min_afstand=100.0,
        compactheid=0.2, verbindingsbuurten=1, aanvullen=True, max_dias=None,
        budget=float(dwell) / 20,
    )  # fmt: skip
    for name, c in (("run's [dia]", plain), ("rich constraints", rich)):
        t, res = best(lambda c=c: dia.delineate(result.prioritised, c), args.repeat)
        print(f"dia.delineate ({name}): {len(res.areas)} DIA's in {t:.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data")
    ap.add_argument("--buurten", type=int, default=1_500)
    ap.add_argument("--dwellings", type=int, default=100_000)
    ap.add_argument("--sales", type=int, default=5_000)
    ap.add_argument("--reference", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    warnings.simplefilter("ignore", DataWarning)  # criteria the synthetic set lacks
    path = Path(args.data) / "config.toml"
    if not path.exists():
        sizes = national.Sizes(buurten=args.buurten, dwellings=args.dwellings, sales=args.sales)
        national.generate(args.data, sizes)
    config = run_config.load_config(path)
    t0 = time.perf_counter()
    result = pipeline.run(config)
    n = len(result.prioritised)
    print(f"pipeline.run: {n} buurten, {time.perf_counter() - t0:.1f} s (setup, not timed)")
    bench_whatif(result, args)
    bench_dia(result, config, args)


if __name__ == "__main__":
    main()
