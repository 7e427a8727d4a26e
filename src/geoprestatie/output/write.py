"""Write every output of a run into one folder: the one call the orchestrator makes.

Each kind of output has its own module (``maps``, ``plots``, ``report``, ``tables``,
``gpkg``); this module only calls them in order. It takes a :class:`RunResult` and never
imports :mod:`geoprestatie.pipeline`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geoprestatie._atomic import write_text
from geoprestatie.output import maps, plots, report
from geoprestatie.output.gpkg import write_gpkg
from geoprestatie.output.stoplight import monitor_map
from geoprestatie.output.tables import write_tables
from geoprestatie.result import RunResult

__all__ = ["write_all", "write_visuals"]


def write_all(
    result: RunResult, folder: Path, *, min_dwellings: int, dwellings: bool = False
) -> list[Path]:
    """Write maps, PNGs, the report, the GeoPackage and the tables into ``folder``.

    ``dwellings=True`` adds the located dwellings as a GeoPackage layer. Returns the
    paths written.
    """
    written = write_visuals(result, folder, min_dwellings=min_dwellings)
    written += write_gpkg(result, folder, dwellings=dwellings)
    written += write_tables(result, folder)
    return written


def write_visuals(result: RunResult, staging: Path, *, min_dwellings: int) -> list[Path]:
    """Interactive maps, print PNGs, the monitor page and the self-contained report."""

    synthetic = result.config.synthetic
    scored = result.dia_result.buurten
    areas = result.dia_result.areas
    labels = {c.name: c.label for c in result.sia_config.criteria}
    name = result.config.name
    written: list[Path] = []

    sia_map = maps.sia_map(
        scored,
        dia_areas=areas,
        criterion_labels=labels,
        synthetic=synthetic,
        min_dwellings=min_dwellings,
        top_k=result.sia_config.top_k,
        title=f"SIA-prioriteiten: {name}",
    )
    written.append(write_text(staging / "sia.html", sia_map.get_root().render()))
    pngs: dict[str, Path] = {}
    pngs["SIA-prioriteiten"] = staging / "sia.png"
    plots.sia_png(
        scored,
        dia_areas=areas,
        path=pngs["SIA-prioriteiten"],
        title=f"SIA-prioriteiten: {name}",
        synthetic=synthetic,
        min_dwellings=min_dwellings,
    )
    pngs["DIA's"] = staging / "dia.png"
    plots.dia_png(scored, areas, path=pngs["DIA's"], synthetic=synthetic)
    maps_for_report: dict[str, Any] = {"SIA-prioriteiten": sia_map}
    projected = result.prognosis
    if projected is not None and "buurtcode" in projected.columns:
        prog_map = maps.prognose_map(
            projected, result.buurten, synthetic=synthetic, min_dwellings=min_dwellings
        )
        written.append(write_text(staging / "prognose.html", prog_map.get_root().render()))
        pngs["Prognose"] = staging / "prognose.png"
        plots.prognose_png(
            projected,
            result.buurten,
            path=pngs["Prognose"],
            synthetic=synthetic,
            min_dwellings=min_dwellings,
        )
    if result.monitor is not None:
        page = report.monitor_html(
            result.monitor,
            buurten=result.buurten,
            synthetic=synthetic,
            min_dwellings=min_dwellings,
        )
        written.append(write_text(staging / "monitor.html", page))
        texts = dict(
            zip(
                result.monitor.table["afspraak_id"].astype(str),
                result.monitor.table["tekst"].astype(str),
                strict=True,
            )
        )
        buurt_map = monitor_map(
            result.monitor.groepen, result.buurten, texts=texts, synthetic=synthetic
        )
        if buurt_map is not None:
            written.append(
                write_text(staging / "monitor_kaart.html", buurt_map.get_root().render())
            )
    page = report.report_html(
        title=name,
        scored=scored,
        dia_areas=areas,
        prognosis=projected,
        monitor=result.monitor,
        accounting=result.joined.report,
        sources=result.sources,
        maps=maps_for_report,
        pngs=pngs,
        criterion_labels=labels,
        min_dwellings=min_dwellings,
        synthetic=synthetic,
        dia_comparison=result.dia_comparison,
    )
    written.append(write_text(staging / "rapport.html", page))
    written.extend(pngs.values())
    return written
