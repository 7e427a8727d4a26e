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


def peer(result: Any, folder: Path, engine: str) -> dict[str, float]:
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

    return {"gpkg": timed(write_gpkg), "csv": timed(write_csv), "xlsx": timed(write_xlsx)}


def ours(result: Any, folder: Path) -> dict[str, float]:
    from geoprestatie.output import gpkg, tables

    t_gpkg = timed(lambda: gpkg.write_gpkg(result, folder))
    t_tables = timed(lambda: tables.write_tables(result, folder))
    return {"gpkg": t_gpkg, "csv+xlsx": t_tables}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--data", type=Path, default=None, help="national.py output folder")
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
        plain_openpyxl = peer(result, folder, "openpyxl")
        plain_xlsxwriter = peer(result, folder, "xlsxwriter")
        sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    total = sum(mine.values())
    base = sum(plain_openpyxl.values())
    base_xw = plain_openpyxl["gpkg"] + plain_openpyxl["csv"] + plain_xlsxwriter["xlsx"]
    print(f"{'what':<46}{'seconds':>9}{'ratio':>8}")
    print(f"{'pandas/openpyxl (gpkg + csv + xlsx), peer':<46}{base:>9.2f}{1:>8.2f}")
    for k, v in plain_openpyxl.items():
        print(f"{'  ' + k:<46}{v:>9.2f}")
    print(
        f"{'pandas/xlsxwriter (gpkg + csv + xlsx), peer':<46}{base_xw:>9.2f}{base_xw / base:>8.2f}"
    )
    print(f"{'  xlsx':<46}{plain_xlsxwriter['xlsx']:>9.2f}")
    print(f"{'geoprestatie (styled gpkg, nl csv, xlsx)':<46}{total:>9.2f}{total / base:>8.2f}")
    for k, v in mine.items():
        print(f"{'  ' + k:<46}{v:>9.2f}")
    for name in sorted(sizes):
        if not name.startswith("peer_"):
            print(f"  {name:<40}{sizes[name] / 1e6:>8.1f} MB")


if __name__ == "__main__":
    main()
