"""The tables of a run as CSV files and one workbook (``tabellen.xlsx``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geoprestatie.output.stoplight import stoplight_counts
from geoprestatie.result import RunResult

__all__ = ["plain", "run_tables", "write_tables"]


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy without geometry, with list/dict cells as text (for CSV and XLSX)."""
    out = pd.DataFrame(frame.drop(columns=[c for c in frame.columns if c == "geometry"]))
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(
                lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple | set) else v
            )
    return out


def run_tables(result: RunResult) -> dict[str, pd.DataFrame]:
    """The tables of a run by file name (without ``.csv``), in the order they are written."""
    scored = result.dia_result.buurten  # prioritised + dia_id, dia_naam, dia_reden
    tables: dict[str, pd.DataFrame] = {
        "buurttabel": plain(result.table),
        "sia": plain(scored),
        "dia": plain(result.dia_result.areas),
        "koppeling": result.joined.report.to_frame(),
        "niet_gekoppeld": result.joined.report.not_joined,
    }
    if result.prognosis is not None:
        tables["prognose"] = result.prognosis
        if result.prognosis_summary is not None:
            tables["prognose_samenvatting"] = result.prognosis_summary.reset_index()
    if result.monitor is not None:
        tables["monitor"] = plain(result.monitor.table)
        if len(result.monitor.groepen):
            tables["monitor_groepen"] = plain(result.monitor.groepen)
        tables["monitor_thema"] = stoplight_counts(result.monitor.table, "thema")
        tables["monitor_partij"] = stoplight_counts(result.monitor.table, "partij")
    if result.dia_comparison is not None:
        tables["dia_vergelijking"] = plain(result.dia_comparison)
    return tables


def write_tables(result: RunResult, folder: Path) -> list[Path]:
    """Write one CSV per table and ``tabellen.xlsx`` (one sheet per table) into ``folder``."""
    written: list[Path] = []
    tables = run_tables(result)
    for name, frame in tables.items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        written.append(path)
    xlsx = folder / "tabellen.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    written.append(xlsx)
    return written
