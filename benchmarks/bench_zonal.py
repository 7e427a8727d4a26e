"""Coverage-weighted zonal statistics: geoprestatie vs exactextract and rasterstats (not a test).

Same raster (the Dutch 100 m grid, 2,800 x 3,250 cells, float32, 5 % nodata), same buurten,
same run:

- ``exactextract.exact_extract(..., "mean")`` on the array in memory (``NumPyRasterSource``):
  the reference for the coverage-weighted mean; the script asserts our means equal it
  within 1e-6;
- ``geoprestatie.sources.zonal_statistics`` (exact cell shares, numpy, all buurten at once);
- ``rasterstats.zonal_stats`` (cell centres only: other values, timed for comparison).

``PYTHONPATH=src python benchmarks/bench_zonal.py [--quick] [--repeat 3]``; needs the
``bench`` extra (exactextract, rasterstats). The synthetic buurten are Voronoi cells
(``bench_join.voronoi_buurten``); everything is seeded.
"""

from __future__ import annotations

import argparse
import warnings
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from bench_join import NL_GRID, NL_SHAPE, best_of, voronoi_buurten

from geoprestatie import datasets
from geoprestatie.sources import zonal_statistics


def _exactextract(zones: gpd.GeoDataFrame, arr: np.ndarray) -> Any:
    from exactextract import exact_extract
    from exactextract.raster import NumPyRasterSource

    h, w = arr.shape
    xmin, ymax = NL_GRID.c, NL_GRID.f
    src = NumPyRasterSource(
        arr, xmin, ymax + h * NL_GRID.e, xmin + w * NL_GRID.a, ymax, nodata=-9999
    )
    return exact_extract(src, zones, "mean", output="pandas")


def _rasterstats(zones: gpd.GeoDataFrame, arr: np.ndarray) -> Any:
    from rasterstats import zonal_stats

    with warnings.catch_warnings():
        # rasterstats multiplies affine transforms with `*`, which affine deprecates
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        return zonal_stats(list(zones.geometry), arr, affine=NL_GRID, nodata=-9999, stats="mean")


def bench(name: str, zones: gpd.GeoDataFrame, arr: np.ndarray, repeat: int) -> list[dict[str, Any]]:
    t_ee, theirs = best_of(lambda: _exactextract(zones, arr), repeat)
    t_ours, ours = best_of(
        lambda: zonal_statistics(zones, arr, NL_GRID, nodata=-9999, with_median=False), repeat
    )
    t_rs, _ = best_of(lambda: _rasterstats(zones, arr), 1 if len(zones) > 1000 else repeat)
    diff = np.nanmax(np.abs(ours["gemiddelde"].to_numpy() - theirs["mean"].to_numpy()))
    assert diff < 1e-6, f"{name}: means differ from exactextract by {diff}"
    empty = int(ours["gemiddelde"].isna().sum())
    return [
        {"benchmark": name, "method": "exactextract mean (coverage-weighted)", "seconds": t_ee,
         "ratio": 1.0, "note": ""},
        {"benchmark": "", "method": "zonal_statistics (exact shares, numpy)", "seconds": t_ours,
         "ratio": t_ours / t_ee, "note": f"max |diff| {diff:.1e}; {empty} buurten without data"},
        {"benchmark": "", "method": "rasterstats.zonal_stats (cell centres)", "seconds": t_rs,
         "ratio": t_rs / t_ee, "note": "other values: centre cells only"},
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 synthetic buurten")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(2)
    arr = rng.normal(4.0, 0.3, NL_SHAPE).astype("float32")
    arr[rng.random(NL_SHAPE) < 0.05] = -9999
    buurten = datasets.load_buurten()
    rows = bench(f"{len(buurten)} real buurten (4 gemeenten)", buurten, arr, args.repeat)
    n = 2_000 if args.quick else 13_000
    syn = voronoi_buurten(n, np.random.default_rng(3))
    rows += bench(f"{len(syn):,} synthetic buurten (whole grid)", syn, arr, args.repeat)
    table = pd.DataFrame(rows)
    table["seconds"] = table["seconds"].map(lambda s: f"{s:8.3f}")
    table["ratio"] = table["ratio"].map(lambda r: f"{r:6.2f}")
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
