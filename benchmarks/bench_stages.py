"""Reading, joining and writing the dwellings at national size, against peers (not a test).

On the national set of ``benchmarks/national.py`` (2.5 M dwellings, 100 k sales, 14,000
buurten) this times, best of ``--repeat`` in one process:

- ``read_stock`` against a typed ``pyarrow.csv.read_csv`` + ``points_from_xy``;
- ``join_sources`` (placement, nearest within 50 m, accounting, the buurt table) against a
  plain ``geopandas.sjoin``, and the sales link (``join_sources`` with the sales minus
  without);
- the intern GeoPackage's dwelling layer as ``write_gpkg`` writes it (pyogrio, arrow, no
  R-tree).

Run from the repository root (``--data`` as written by ``national.py``)::

    python benchmarks/national.py benchmarks/.national
    python benchmarks/bench_stages.py --data benchmarks/.national

Before/after: run it with ``PYTHONPATH=<other checkout>/src`` in the same load window.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any


def best_of(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("benchmarks/.national"))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    import geopandas as gpd
    import pyarrow.csv as pacsv

    from geoprestatie.join import join_sources
    from geoprestatie.sources.buurten import read_buurten
    from geoprestatie.sources.sales import read_sales
    from geoprestatie.sources.stock import read_stock

    data, n = args.data, args.repeat

    def peer_read() -> Any:
        table = pacsv.read_csv(
            data / "voorraad.csv",
            parse_options=pacsv.ParseOptions(delimiter=";"),
            convert_options=pacsv.ConvertOptions(decimal_point=","),
        )
        xy = (table["x"].to_numpy(), table["y"].to_numpy())
        frame = table.drop_columns(["x", "y"]).to_pandas()
        return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(*xy), crs=28992)

    r: dict[str, float] = {}
    r["peer: pyarrow typed read + points"], _ = best_of(peer_read, n)
    r["read_stock"], stock = best_of(lambda: read_stock(data / "voorraad.csv"), n)
    r["read_sales"], sales = best_of(lambda: read_sales(data / "verkoop.csv"), n)
    b = read_buurten(data / "buurten.gpkg")
    r["peer: geopandas.sjoin (within)"], _ = best_of(
        lambda: gpd.sjoin(stock[["geometry"]], b[["geometry"]], predicate="within"), n
    )
    r["join_sources (stock)"], _ = best_of(lambda: join_sources(b, stock=stock), n)
    r["join_sources (stock + sales)"], joined = best_of(
        lambda: join_sources(b, stock=stock, sales=sales), n
    )
    r["  of which the sales"] = r["join_sources (stock + sales)"] - r["join_sources (stock)"]
    located = joined.stock[joined.stock.geometry.notna()]
    with tempfile.TemporaryDirectory() as tmp:
        r["gpkg layer woningen (no R-tree)"], _ = best_of(
            lambda: located.to_file(
                Path(tmp) / "w.gpkg",
                layer="woningen",
                engine="pyogrio",
                use_arrow=True,
                layer_options={"SPATIAL_INDEX": "NO"},
            ),
            1,
        )
    for name, seconds in r.items():
        print(f"{name:34s} {seconds:7.2f} s")
    read = r["read_stock"] / r["peer: pyarrow typed read + points"]
    join = r["join_sources (stock)"] / r["peer: geopandas.sjoin (within)"]
    print(f"read_stock / pyarrow: {read:.2f}   join_sources / sjoin: {join:.2f}")


if __name__ == "__main__":
    main()
