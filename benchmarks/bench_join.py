"""Benchmarks of the join (not a test): ours against the plain library calls, side by side.

(a) 1,000,000 dwellings (98 % inside the municipalities, 2 % scattered over their bounding
    boxes) placed in the 310 embedded CBS buurten: ``geopandas.sjoin`` (plain,
    no accounting) against :func:`geoprestatie.join.assign_buurten` (points in polygons plus
    nearest-within-tolerance) and against the whole :func:`geoprestatie.join.join_sources`
    (placement, accounting and the per-buurt table).
(b) Zonal statistics moved to ``bench_zonal.py``: they are coverage-weighted now and are
    compared with exactextract (and rasterstats) there.

Run from the repository root: ``PYTHONPATH=src python benchmarks/bench_join.py``
(``--quick`` for a smaller run). Timings are the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine

from geoprestatie import datasets
from geoprestatie.join import assign_buurten, join_sources

NL_GRID = Affine(100, 0, 0, 0, -100, 625_000)  # 2,800 x 3,250 cells covering the Netherlands
NL_SHAPE = (3250, 2800)


def best_of(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - t0)
    return best, result


def make_stock(
    buurten: gpd.GeoDataFrame, n: int, rng: np.random.Generator, *, stray: float = 0.02
) -> gpd.GeoDataFrame:
    """``n`` dwellings: ``1 - stray`` inside the four municipalities, the rest anywhere in
    their bounding boxes (partly outside every buurt, partly within the snapping tolerance)."""
    parts = []
    gems = list(buurten.groupby("gemeentecode"))
    for i, (_, g) in enumerate(gems):
        k = n // len(gems) + (1 if i < n % len(gems) else 0)
        outline = g.union_all()
        shapely.prepare(outline)
        minx, miny, maxx, maxy = g.total_bounds
        n_stray = round(k * stray)
        got = [rng.uniform((minx, miny), (maxx, maxy), size=(n_stray, 2))]
        have = n_stray
        while have < k:
            xy = rng.uniform((minx, miny), (maxx, maxy), size=(2 * (k - have), 2))
            xy = xy[shapely.contains_xy(outline, xy[:, 0], xy[:, 1])][: k - have]
            got.append(xy)
            have += len(xy)
        parts.append(np.vstack(got))
    xy = np.vstack(parts)
    corp = np.array(["de Alliantie", "Portaal", "Omnia Wonen"], dtype=object)
    labels = pd.Categorical.from_codes(
        rng.integers(0, 11, n),
        categories=["A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G"],
        ordered=True,
    )
    return gpd.GeoDataFrame(
        {
            "vhe_id": pd.array([f"V{i:07d}" for i in range(n)], dtype="string"),
            "corporatie": pd.array(corp[rng.integers(0, 3, n)], dtype="string"),
            "energielabel": labels,
            "bouwjaar": pd.array(rng.integers(1900, 2024, n), dtype="Int64"),
            "huurprijs": rng.normal(650, 120, n),
            "bron_rij": np.arange(2, n + 2),
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=28992,
    )


def bench_points(buurten: gpd.GeoDataFrame, n: int, repeat: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(1)
    stock = make_stock(buurten, n, rng)
    zones = buurten[["buurtcode", "geometry"]]
    t_sjoin, joined = best_of(
        lambda: gpd.sjoin(stock, zones, how="left", predicate="intersects"), repeat
    )
    t_plain, _ = best_of(lambda: plain_table(stock, zones), repeat)
    t_assign, (pos, how) = best_of(lambda: assign_buurten(stock.geometry, buurten), repeat)
    t_full, res = best_of(lambda: join_sources(buurten, stock=stock), repeat)
    inside_sjoin = int(joined["index_right"].notna().sum())
    inside_ours = int((how == 0).sum())
    assert inside_sjoin == inside_ours, (inside_sjoin, inside_ours)
    agree = np.array_equal(joined["index_right"].fillna(-1).to_numpy(dtype="int64")[how == 0],
                           pos[how == 0])  # fmt: skip
    assert agree, "sjoin and assign_buurten place points in different buurten"
    res.report.check()
    counts = res.report.sources[0]
    note = (
        f"{inside_ours:,} inside (same buurten as sjoin), {counts.dichtstbij:,} snapped, "
        f"{counts.niet_gekoppeld_totaal:,} outside"
    )
    return [
        {"benchmark": f"(a) {n:,} dwellings -> {len(buurten)} buurten", "method":
         "geopandas.sjoin (plain)", "seconds": t_sjoin, "ratio": 1.0, "note": ""},
        {"benchmark": "", "method": "assign_buurten (+ nearest <= 50 m)", "seconds": t_assign,
         "ratio": t_assign / t_sjoin, "note": note},
        {"benchmark": "", "method": "geopandas.sjoin + pandas groupby table (plain)",
         "seconds": t_plain, "ratio": t_plain / t_sjoin, "note": "no snapping, no accounting"},
        {"benchmark": "", "method": "join_sources (+ accounting + buurt table)",
         "seconds": t_full, "ratio": t_full / t_sjoin,
         "note": f"read = joined + not joined; {t_full / t_plain:.2f}x the plain sjoin + table"},
    ]  # fmt: skip


def plain_table(stock: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> pd.DataFrame:
    """The same indicators the plain way: sjoin, then pandas groupby (no accounting)."""
    from geoprestatie.huur import RENT_CLASSES, limits_for

    j = gpd.sjoin(stock, zones, how="inner", predicate="intersects")
    j = j.loc[~j.index.duplicated()]
    g = j.groupby("buurtcode", observed=True)
    per_corp = pd.crosstab(j["buurtcode"], j["corporatie"])
    efg = j["energielabel"].isin(["E", "F", "G"])
    table = pd.DataFrame(
        {
            "woningen_corporaties": g.size(),
            "aandeel_efg": efg.groupby(j["buurtcode"]).sum() / g["energielabel"].count(),
            "bouwjaar_mediaan": g["bouwjaar"].median(),
        }
    ).join(per_corp)
    bins = [-np.inf, *limits_for(2024).bounds, np.inf]
    klasse = pd.cut(j["huurprijs"], bins=bins, labels=list(RENT_CLASSES))
    return table.join(pd.crosstab(j["buurtcode"], klasse))


def voronoi_buurten(n: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """About ``n`` synthetic buurten tessellating the Dutch grid extent (~13,000 like NL)."""
    x0, y0, x1, y1 = 13_000, 306_000, 278_000, 620_000
    pts = shapely.points(rng.uniform((x0, y0), (x1, y1), size=(n, 2)))
    frame = shapely.box(x0, y0, x1, y1)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=frame))
    cells = shapely.intersection(cells, frame)
    return gpd.GeoDataFrame(
        {"buurtcode": [f"BU{i:08d}" for i in range(len(cells))]}, geometry=cells, crs=28992
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 dwellings, 2,000 buurten")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n_points = 100_000 if args.quick else 1_000_000

    buurten = datasets.load_buurten()
    rows = bench_points(buurten, n_points, args.repeat)

    table = pd.DataFrame(rows)
    table["seconds"] = table["seconds"].map(lambda s: f"{s:8.3f}")
    table["ratio"] = table["ratio"].map(lambda r: f"{r:6.2f}")
    print(f"raster {NL_SHAPE[1]:,} x {NL_SHAPE[0]:,} cells of 100 m; best of {args.repeat} runs")
    with pd.option_context("display.width", 200, "display.max_colwidth", 80):
        print(table.to_string(index=False))


if __name__ == "__main__":
    main()
