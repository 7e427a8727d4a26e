"""The stages of a national run before the output, each against peers (not a test).

On the national set of ``benchmarks/national.py`` (2.5 M dwellings, 100 k sales, 14,000
buurten) this times, best of ``--repeat`` in one process:

- ``read_stock`` against a typed ``pyarrow.csv.read_csv`` + ``points_from_xy``; ``read_sales``
  and ``read_liveability`` (the rest of stage 1; its peer is in ``bench_zonal.py``);
- ``join_sources`` (placement, nearest within 50 m, accounting, the buurt table) against a
  plain ``geopandas.sjoin``;
- the sales link on its own: ``link_to_stock`` (100 k sales to 2.5 M dwellings by
  corporation and ``vhe_id``) against a plain ``pandas.merge`` on ``vhe_id`` (no corporation
  rule, no ambiguity check), and ``join_sources`` with the sales minus without;
- the agreements monitor (``agreements.monitor`` on the joined stock and sales);
- the intern GeoPackage's dwelling layer as ``write_gpkg`` writes it (pyogrio, arrow, no
  R-tree, parts of 500 k rows);

then runs ``pipeline.run`` on the set's ``config.toml`` once and prints every stage before
the output with its wall and CPU seconds and the process's peak memory (RSS) in that stage.

Run from the repository root (``--data`` as written by ``national.py``)::

    python benchmarks/national.py benchmarks/.national
    python benchmarks/bench_stages.py --data benchmarks/.national

Before/after: run it with ``PYTHONPATH=<other checkout>/src`` in the same load window.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
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


def rss_gib() -> float:
    """Resident memory of this process now (GiB)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024**3


def pipeline_stages(config: Path) -> list[tuple[str, float, float, float]]:
    """``pipeline.run`` once: (stage, wall s, CPU s, peak RSS GiB) per progress stage."""
    from geoprestatie import pipeline
    from geoprestatie.config import load_config

    peak = [rss_gib()]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_gib())
            time.sleep(0.01)

    rows: list[tuple[str, float, float, float]] = []
    current = ["laden van de config"]
    clock = [time.perf_counter(), time.process_time()]

    def progress(text: str) -> None:
        if text.startswith("["):
            now, cpu = time.perf_counter(), time.process_time()
            rows.append((current[0], now - clock[0], cpu - clock[1], peak[0]))
            current[0], clock[:], peak[0] = text, [now, cpu], rss_gib()

    threading.Thread(target=sample, daemon=True).start()
    cfg = load_config(config)
    pipeline.run(cfg, progress=progress)
    progress("[einde]")
    done.set()
    return rows[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("benchmarks/.national"))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-run", action="store_true", help="skip the pipeline.run stages")
    parser.add_argument("--only-run", action="store_true", help="only the pipeline.run stages")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.only_run:
        print_stages(args.data / "config.toml")
        return
    import geopandas as gpd
    import pandas as pd
    import pyarrow.csv as pacsv

    from geoprestatie import agreements
    from geoprestatie.join import join_sources
    from geoprestatie.output import gpkg
    from geoprestatie.sources.buurten import read_buurten
    from geoprestatie.sources.liveability import read_liveability
    from geoprestatie.sources.sales import read_sales
    from geoprestatie.sources.stock import link_to_stock, read_stock

    data, n = args.data, args.repeat
    print(f"load at start: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")

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
    r["read_liveability (100 m raster)"], _ = best_of(
        lambda: read_liveability(data / "leefbaarometer.tif", buurten=b), n
    )
    r["peer: geopandas.sjoin (within)"], _ = best_of(
        lambda: gpd.sjoin(stock[["geometry"]], b[["geometry"]], predicate="within"), n
    )
    r["join_sources (stock)"], _ = best_of(lambda: join_sources(b, stock=stock), n)
    r["join_sources (stock + sales)"], joined = best_of(
        lambda: join_sources(b, stock=stock, sales=sales), n
    )
    r["  difference (the sales)"] = r["join_sources (stock + sales)"] - r["join_sources (stock)"]
    plain_sales = pd.DataFrame(sales.drop(columns="geometry", errors="ignore"))
    r["link_to_stock (sales link)"], _ = best_of(
        lambda: link_to_stock(plain_sales, joined.stock), n
    )
    r["peer: pandas.merge on vhe_id"], _ = best_of(
        lambda: plain_sales[["vhe_id"]].merge(
            pd.DataFrame(joined.stock[["vhe_id", "buurtcode"]]), on="vhe_id", how="left"
        ),
        n,
    )
    rules = agreements.read_agreements(data / "afspraken.toml")
    r["agreements.monitor"], _ = best_of(
        lambda: agreements.monitor(
            rules,
            stock=joined.usable("voorraad"),
            sales=joined.usable("verkoop"),
            prognosis=None,
            jaar=2025,
        ),
        n,
    )
    stock = joined.stock
    if "geometry" not in stock:  # x/y columns since session 8: the points made here, untimed
        points = gpd.points_from_xy(stock["x"], stock["y"], crs=28992)
        stock = gpd.GeoDataFrame(stock.drop(columns=["x", "y"]), geometry=points)
    located = stock[stock.geometry.notna() & ~stock.geometry.is_empty]
    part = getattr(gpkg, "_ROWS_PER_WRITE", len(located))  # older checkouts: one write
    with tempfile.TemporaryDirectory() as tmp:

        def layer() -> None:
            for start in range(0, len(located), part):
                located.iloc[start : start + part].to_file(
                    Path(tmp) / "w.gpkg",
                    layer="woningen",
                    engine="pyogrio",
                    use_arrow=True,
                    mode="a" if start else "w",
                    layer_options=None if start else {"SPATIAL_INDEX": "NO"},
                )

        r["gpkg layer woningen (no R-tree)"], _ = best_of(layer, 1)
    for name, seconds in r.items():
        print(f"{name:36s} {seconds:7.2f} s")
    read = r["read_stock"] / r["peer: pyarrow typed read + points"]
    join = r["join_sources (stock)"] / r["peer: geopandas.sjoin (within)"]
    link = r["link_to_stock (sales link)"] / r["peer: pandas.merge on vhe_id"]
    print(
        f"read_stock / pyarrow: {read:.2f}   join_sources / sjoin: {join:.2f}   "
        f"link_to_stock / merge: {link:.2f}"
    )
    print(f"load after the stage timings: {os.getloadavg()[0]:.2f}")
    if args.no_run:
        return
    # in a fresh process: its peak memory is the run's, not this script's
    subprocess.run([sys.executable, __file__, "--data", str(data), "--only-run"], check=True)


def print_stages(config: Path) -> None:
    """The table of :func:`pipeline_stages` (run in its own process by :func:`main`)."""
    print(f"\npipeline.run, load at start: {os.getloadavg()[0]:.2f}")
    rows = pipeline_stages(config)
    print("\n| pipeline.run stage | wall s | CPU s | peak RSS GiB |\n|---|---:|---:|---:|")
    for name, wall, cpu, peak in rows:
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {peak:.2f} |")
    total = sum(w for _, w, _, _ in rows)
    cpu_total = sum(c for _, _, c, _ in rows)
    top = max(p for *_, p in rows)
    print(f"| **stages before the output** | **{total:.2f}** | {cpu_total:.2f} | {top:.2f} |")
    print(f"load at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
