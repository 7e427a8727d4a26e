"""Data outputs of a national run (GeoPackage, CSV, XLSX) against plain writes (not a test).

Runs ``geoprestatie`` once on the seeded national-shaped set of ``national.py`` (not timed),
then times, in the same process and on the same result:

* ours: ``output.gpkg.write_gpkg`` (layers, descriptions, QGIS styles) and
  ``output.tables.write_tables`` (Dutch-dialect CSVs, ``tabellen.xlsx`` with Toelichting,
  formats, filters, safe text);
* peer "pandas/openpyxl" (what ``geoprestatie run`` did before): ``GeoDataFrame.to_file`` per
  layer (the buurt table, the full SIA table, DIAs, prognosis), ``DataFrame.to_csv`` and
  ``DataFrame.to_excel(engine="openpyxl")`` of the same full tables, nothing else;
* peer "pandas/xlsxwriter": the same plain workbook with ``engine="xlsxwriter"``.

``PYTHONPATH=src python benchmarks/bench_tables.py [--quick] [--data DIR]`` (``--quick``: 1,500
buurten). Prints seconds and ratios; figures in ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import national

QUICK = national.Sizes(buurten=1_500, dwellings=100_000, sales=5_000, gemeenten=40, corporations=40)


def timed(func: Callable[[], Any], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def peer_arrow(result: Any, folder: Path) -> float:
    """Plain ``pyarrow.csv.write_csv`` of the same tables (no dialect, no safe text)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from geoprestatie.output.tables import run_tables

    tables = run_tables(result)

    def write() -> None:
        for name, frame in tables.items():
            pacsv.write_csv(
                pa.Table.from_pandas(frame, preserve_index=False), folder / f"a_{name}.csv"
            )

    return timed(write)


def peer(result: Any, folder: Path, engine: str, *, xlsx: bool = True) -> dict[str, float]:
    """The plain writes of the same tables (full SIA table, wide buurt table)."""
    import geopandas as gpd

    from geoprestatie.output.gpkg import prognosis_layer
    from geoprestatie.output.tables import plain

    scored = result.dia_result.buurten
    layers = [("buurttabel", result.table), ("sia", scored), ("dia", result.dia_result.areas)]
    if result.prognosis is not None:
        layers.append(("prognose", prognosis_layer(result.prognosis, result.buurten)))
    tables = {
        "buurttabel": plain(result.table),
        "sia": plain(scored),
        "dia": plain(result.dia_result.areas),
        "koppeling": result.joined.report.to_frame(),
    }
    if result.prognosis is not None:
        tables["prognose"] = result.prognosis
    gpkg = folder / f"peer_{engine}.gpkg"

    def write_gpkg() -> None:
        gpkg.unlink(missing_ok=True)
        for name, frame in layers:
            gpd.GeoDataFrame(frame, geometry="geometry", crs=frame.crs).to_file(
                gpkg, layer=name, driver="GPKG"
            )

    def write_csv() -> None:
        for name, frame in tables.items():
            frame.to_csv(folder / f"peer_{name}.csv", index=False)

    def write_xlsx() -> None:
        import pandas as pd

        with pd.ExcelWriter(folder / f"peer_{engine}.xlsx", engine=engine) as writer:
            for name, frame in tables.items():
                frame.to_excel(writer, sheet_name=name[:31], index=False)

    out = {"gpkg": timed(write_gpkg), "csv": timed(write_csv)}
    if xlsx:
        out["xlsx"] = timed(write_xlsx)
    return out


def ours(result: Any, folder: Path) -> dict[str, float]:
    """What ``geoprestatie run`` writes: publiek/ (public result: gpkg, CSVs, xlsx) and
    intern/ (full result: gpkg with the dwellings, CSVs, xlsx)."""
    from geoprestatie import publication
    from geoprestatie.output import gpkg, tables

    (folder / "publiek").mkdir()
    (folder / "intern").mkdir()
    t_pub, public = timed_value(lambda: publication.publish(result))
    return {
        "publish (not a data output)": t_pub,
        "publiek gpkg": timed(lambda: gpkg.write_gpkg(public, folder / "publiek")),
        "publiek csv+xlsx": timed(lambda: tables.write_tables(public, folder / "publiek")),
        "intern gpkg (2.5 M dwellings)": timed(
            lambda: gpkg.write_gpkg(result, folder / "intern", dwellings=True)
        ),
        "intern csv+xlsx": timed(lambda: tables.write_tables(result, folder / "intern")),
        "both sets as `run` writes them (intern/ forked)": _both(result, public, folder),
    }


def _both(result: Any, public: Any, folder: Path) -> float:
    """publiek/ and intern/ data outputs through ``files._write_sets`` (intern/ in a
    forked process while publiek/ is written, as ``geoprestatie run``)."""
    from geoprestatie.output import files, gpkg, tables

    staging = folder / "both"
    staging.mkdir()

    def public_set(f: Path) -> list[Path]:
        return gpkg.write_gpkg(public, f) + tables.write_tables(public, f)

    def internal_set(f: Path) -> list[Path]:
        return gpkg.write_gpkg(result, f, dwellings=True) + tables.write_tables(result, f)

    return timed(lambda: files._write_sets(staging, public_set, internal_set))


def timed_value(func: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = func()
    return time.perf_counter() - t0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--data", type=Path, default=None, help="national.py output folder")
    parser.add_argument(
        "--no-xlsx-peers", action="store_true", help="skip the plain workbooks (20+ minutes)"
    )
    args = parser.parse_args()
    from geoprestatie import pipeline
    from geoprestatie.config import load_config

    data = args.data or Path(tempfile.mkdtemp(prefix="national-"))
    if not (data / "config.toml").exists():
        print(f"generating the national set in {data} ...", flush=True)
        national.generate(data, QUICK if args.quick else national.Sizes())
    t0 = time.perf_counter()
    result = pipeline.run(load_config(data / "config.toml"))
    print(f"run (not timed): {time.perf_counter() - t0:.1f} s; {len(result.table)} buurten")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mine = ours(result, folder)
        plain_pd = peer(result, folder, "openpyxl", xlsx=not args.no_xlsx_peers)
        arrow = peer_arrow(result, folder)
        plain_xw = None if args.no_xlsx_peers else peer(result, folder, "xlsxwriter")
        sizes = {
            str(p.relative_to(folder)): p.stat().st_size
            for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(("peer_", "a_"))
        }
    both = mine.pop("both sets as `run` writes them (intern/ forked)")
    data = {k: v for k, v in mine.items() if not k.startswith("publish")}
    public = sum(v for k, v in data.items() if k.startswith("publiek"))
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print("| what | seconds | ratio |")
    print("|---|---:|---:|")
    base = sum(plain_pd.values())
    what = " + ".join(f"{k} {v:.1f}" for k, v in plain_pd.items())
    print(f"| peer pandas: {what} | {base:.2f} | 1.00 |")
    if plain_xw is not None:
        print(f"| peer pandas/xlsxwriter: xlsx {plain_xw['xlsx']:.1f} | | |")
    print(f"| peer pyarrow.csv.write_csv (same tables, plain) | {arrow:.2f} | |")
    for k, v in mine.items():
        print(f"| ours: {k} | {v:.2f} | |")
    print(f"| **ours: publiek/ data outputs** | {public:.2f} | {public / base:.2f} |")
    print(f"| **ours: all data outputs (publiek + intern)** | {sum(data.values()):.2f} | |")
    print(f"| **ours: both sets as `run` writes them (intern/ forked)** | {both:.2f} | |")
    for name in sorted(sizes):
        print(f"  {name:<40}{sizes[name] / 1e6:>8.1f} MB")


if __name__ == "__main__":
    main()
