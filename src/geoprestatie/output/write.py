"""Write every output of a run into one folder: the one call the orchestrator makes.

Each kind of output has its own module (``maps``, ``plots``, ``report``, ``tables``,
``gpkg``); this module only calls them in order. It takes a :class:`RunResult` and never
imports :mod:`geoprestatie.pipeline`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path

from geoprestatie import _fork
from geoprestatie._atomic import write_text
from geoprestatie.output import maps, plots, report, robustness
from geoprestatie.output import pdf as pdf_mod
from geoprestatie.output._sheets import write_csv
from geoprestatie.output.files import file_stem
from geoprestatie.output.gpkg import gpkg_writer, write_gpkg
from geoprestatie.output.prognosis_charts import SYNTHETIC_PLANS, programme_pngs
from geoprestatie.output.programme_map import programme_map
from geoprestatie.output.stoplight import monitor_map
from geoprestatie.output.tables import write_tables
from geoprestatie.result import RunResult

__all__ = ["write_all", "write_internal", "write_visuals"]


def write_all(
    result: RunResult,
    folder: Path,
    *,
    dwellings: bool = False,
    browser: pdf_mod.Browser | None = None,
) -> list[Path]:
    """Write maps, PNGs, the report, the GeoPackage and the tables into ``folder``.

    ``dwellings=True`` adds the located dwellings as a GeoPackage layer. Returns the
    paths written. Chromium prints ``rapport.pdf`` (another process, about 1 s with a
    ``browser`` started ahead, 3 s without; the browser is ended once it has printed)
    while the GeoPackage and the tables are written.
    """
    # the GeoPackage and the tables in a background process beside the visuals, whose
    # report Chromium prints last. Light: the dwellings are x/y columns (no point objects)
    # and the GeoPackage converts them per part, so a national run forks it too (summed
    # peak 2.08-2.11 GB with intern/ forked as well; output stage 15.8 -> 12.7 s)
    data = _fork.start(
        partial(_data_files, result, folder, dwellings=dwellings), background=True, light=True
    )
    with ThreadPoolExecutor(max_workers=1) as printer:
        try:
            written, pdf = _visuals(result, folder, printer, browser)
        except BaseException:
            data.cancel()
            raise
        written += data.result()
        written += _printed(pdf)
    return written


def _data_files(result: RunResult, folder: Path, *, dwellings: bool) -> list[Path]:
    """The GeoPackage and the tables of :func:`write_all`."""
    return write_gpkg(result, folder, dwellings=dwellings) + write_tables(result, folder)


#: A map larger than this is linked from the report instead of embedded in it (a national
#: map would double the report's size and make it slow to open and print).
EMBED_LIMIT = 3 * 1024 * 1024


def write_visuals(
    result: RunResult, staging: Path, *, browser: pdf_mod.Browser | None = None
) -> list[Path]:
    """Interactive maps, print PNGs, the monitor page and the self-contained report.

    They show what ``result`` holds: the public set is written from the result of
    :func:`geoprestatie.publication.publish`, whose hidden cells they mark. ``browser``
    prints the PDF (:func:`geoprestatie.output.pdf.start_browser`) and is then ended."""
    with ThreadPoolExecutor(max_workers=1) as printer:
        written, pdf = _visuals(result, staging, printer, browser)
        return written + _printed(pdf)


def _printed(pdf: Future[tuple[Path | None, str]] | None) -> list[Path]:
    """The printed PDF (waits for it), or nothing when there is none."""
    path = pdf.result()[0] if pdf is not None else None
    return [path] if path is not None else []


def _visuals(
    result: RunResult, staging: Path, printer: Executor, browser: pdf_mod.Browser | None
) -> tuple[list[Path], Future[tuple[Path | None, str]] | None]:
    """:func:`write_visuals` with the PDF printing handed to ``printer`` (not awaited)."""
    cdn = result.config.section("uitvoer").get("cdn", False) is True
    # the print maps and smaa.png in another process while the web maps and the programme's
    # charts are made here
    drawn = _fork.start(lambda: _map_pngs(result, staging), light=True)
    try:
        written, pages = write_maps(result, staging, cdn=cdn)
        if result.monitor is not None:
            written += write_monitor_pages(result, staging)
        charts = _chart_pngs(result, staging)
    except BaseException:
        drawn.cancel()
        raise
    pngs = _in_order(drawn.result() + charts)
    embedded = {
        title: (page if len(page.encode("utf-8")) <= EMBED_LIMIT else None)
        for title, page in pages.items()
    }
    page = write_report(result, staging, maps=embedded, pngs=pngs, pdf=False)
    written += page
    written.extend(pngs.values())
    pdf = None
    if result.config.section("uitvoer").get("pdf", True) is True:
        pdf = printer.submit(
            _print_once, page[0], staging / "rapport.pdf", date=result.config.date, browser=browser
        )
    return written, pdf


def _print_once(
    html: Path, out: Path, *, date: dt.date, browser: pdf_mod.Browser | None
) -> tuple[Path | None, str]:
    """:func:`geoprestatie.output.pdf.print_pdf`, then ``browser`` is ended (a run prints
    one report): Chromium's shutdown (its processes reaped, its profile removed; 0.1-0.4 s)
    overlaps the data files instead of following them."""
    try:
        return pdf_mod.print_pdf(html, out, date=date, browser=browser)
    finally:
        if browser is not None:
            browser.close()


def write_monitor_pages(result: RunResult, folder: Path) -> list[Path]:
    """``monitor.html`` and, when rules are judged per buurt, ``monitor_kaart.html``."""
    assert result.monitor is not None
    synthetic = result.config.synthetic
    page = report.monitor_html(result.monitor, buurten=result.buurten, synthetic=synthetic)
    written = [write_text(folder / "monitor.html", page)]
    table = result.monitor.table
    texts = dict(zip(table["afspraak_id"].astype(str), table["tekst"].astype(str), strict=True))
    buurt_map = monitor_map(
        result.monitor.groepen, result.buurten, texts=texts, synthetic=synthetic
    )
    if buurt_map is not None:
        written.append(write_text(folder / "monitor_kaart.html", buurt_map.get_root().render()))
    return written


def write_maps(
    result: RunResult, folder: Path, *, cdn: bool = False
) -> tuple[list[Path], dict[str, str]]:
    """``sia.html``, ``prognose.html`` and ``programma.html``; returns the paths and each
    page's HTML by title (rendered once: the report embeds the same page).

    The buurten are made ready for the web once (:func:`geoprestatie.output.maps.map_base`)
    and shared by the maps that draw them."""
    written: list[Path] = []
    pages: dict[str, str] = {}
    base = maps.map_base(result.buurten)
    sia = maps.sia_map(
        result.dia_result.buurten,
        dia_areas=result.dia_result.areas,
        criterion_labels={c.name: c.label for c in result.sia_config.criteria},
        synthetic=result.config.synthetic,
        top_k=result.sia_config.top_k,
        title=f"SIA-prioriteiten: {result.config.name}",
        cdn=cdn,
        incomplete=_incomplete(result),
        base=base if base.fits(result.dia_result.buurten) else None,
    )
    pages["SIA-prioriteiten"] = sia.get_root().render()
    written.append(write_text(folder / "sia.html", pages["SIA-prioriteiten"]))
    projected = result.prognosis
    if projected is not None and "buurtcode" in projected.columns:
        prog = maps.prognose_map(
            projected,
            result.buurten,
            synthetic=result.config.synthetic,
            cdn=cdn,
            base=base,
        )
        pages["Prognose"] = prog.get_root().render()
        written.append(write_text(folder / "prognose.html", pages["Prognose"]))
    if result.programme is not None and result.programme.segments is not None:
        year_map = programme_map(
            result.programme.segments,
            result.buurten,
            synthetic=result.config.synthetic,
            sources=[SYNTHETIC_PLANS] if result.config.synthetic else [],
            cdn=cdn,
            base=base,
        )
        pages["Woningbouwprogramma"] = year_map.get_root().render()
        written.append(write_text(folder / "programma.html", pages["Woningbouwprogramma"]))
    return written, pages


def _incomplete(result: RunResult) -> str:
    """The map/PNG line on a hollow SIA: skipped criteria and their weight ("" if whole)."""
    whole = result.completeness
    return "" if whole.complete else f"{whole.short()}: {whole.names()}"


def write_pngs(result: RunResult, folder: Path) -> dict[str, Path]:
    """``sia.png``, ``dia.png``, ``smaa.png``, ``prognose.png``, ``behoefte.png`` and
    ``mutaties.png`` (for print), by title in the report's order."""
    return _in_order(_map_pngs(result, folder) + _chart_pngs(result, folder))


#: A PNG of :func:`write_pngs`: its place in the report, title and path.
_Png = tuple[int, str, Path]


def _in_order(pngs: list[_Png]) -> dict[str, Path]:
    return {title: path for _, title, path in sorted(pngs)}


def _map_pngs(result: RunResult, folder: Path) -> list[_Png]:
    """``sia.png``, ``dia.png``, ``smaa.png`` and ``prognose.png`` (drawn beside the web
    maps and the programme's charts: about as long as those)."""
    synthetic = result.config.synthetic
    scored = result.dia_result.buurten
    areas = result.dia_result.areas
    pngs = [(0, "SIA-prioriteiten", folder / "sia.png"), (1, "DIA's", folder / "dia.png")]
    plots.sia_png(
        scored,
        dia_areas=areas,
        path=pngs[0][2],
        title=f"SIA-prioriteiten: {result.config.name}",
        synthetic=synthetic,
        top_k=result.sia_config.top_k,
        incomplete=_incomplete(result),
    )
    plots.dia_png(scored, areas, path=pngs[1][2], synthetic=synthetic)
    if "kans_rang_1" in scored:
        k = result.sia_config.top_k
        pngs.append((2, f"Hoe zeker is de top {k}?", folder / "smaa.png"))
        robustness.smaa_png(
            scored,
            path=pngs[-1][2],
            title=f"Hoe zeker is de top {k}? {result.config.name}",
            synthetic=synthetic,
        )
    projected = result.prognosis
    if projected is not None and "buurtcode" in projected.columns:
        pngs.append((3, "Prognose", folder / "prognose.png"))
        plots.prognose_png(projected, result.buurten, path=pngs[-1][2], synthetic=synthetic)
    return pngs


def _chart_pngs(result: RunResult, folder: Path) -> list[_Png]:
    """The programme's charts (``behoefte.png``, ``mutaties.png``)."""
    pngs: list[_Png] = []
    if result.programme is not None:
        charts = programme_pngs(result.programme, folder, synthetic=result.config.synthetic)
        pngs += [(4 + i, title, path) for i, (title, path) in enumerate(charts.items())]
    return pngs


def write_report(
    result: RunResult,
    folder: Path,
    *,
    maps: Mapping[str, str | None],
    pngs: Mapping[str, Path],
    pdf: bool = True,
) -> list[Path]:
    """``rapport.html`` (self-contained) and, when a PDF engine is found, ``rapport.pdf``.

    ``maps`` holds the rendered interactive maps by title (``None``: too large to embed,
    the report links the map's file instead). ``pdf=False``: the page only (the caller
    prints it).
    """
    page = report.report_html(
        title=result.config.name,
        scored=result.dia_result.buurten,
        dia_areas=result.dia_result.areas,
        prognosis=result.prognosis,
        monitor=result.monitor,
        accounting=result.joined.report,
        sources=result.sources,
        maps=maps,
        pngs=pngs,
        criterion_labels={c.name: c.label for c in result.sia_config.criteria},
        top_n=result.sia_config.top_k,
        synthetic=result.config.synthetic,
        dia_comparison=result.dia_comparison,
        prognosis_summary=result.prognosis_summary,
        programme=result.programme,
        max_gemeenten=int(
            result.config.section("uitvoer").get("rapport_gemeenten", report.DETAIL_GEMEENTEN)
        ),
        incomplete=result.completeness.text(),
        generated=result.config.date,
    )
    html_path = write_text(folder / "rapport.html", page)
    written = [html_path]
    if pdf and result.config.section("uitvoer").get("pdf", True) is True:
        printed, _note = pdf_mod.print_pdf(
            html_path, folder / "rapport.pdf", date=result.config.date
        )
        if printed is not None:
            written.append(printed)
    return written


def write_internal(result: RunResult, folder: Path) -> list[Path]:
    """The internal set: every table in full, the dwellings with vhe_id and coordinates
    (GeoPackage layer ``woningen``), the records not joined and the monitor's offending
    records (``overtredingen_<afspraak>.csv``). Never published."""
    # the GeoPackage beside the tables: GDAL inserts the dwellings one by one holding the
    # GIL (3.5 s for 2.5 M), so another process, not a thread. Light: its layers and styles
    # are made here (gpkg_writer), the child converts the dwellings per part and writes.
    # Where this set is itself written in a forked job (files._write_sets), the GeoPackage
    # is written in that job after the tables (a child does not fork again)
    gpkg = _fork.start(partial(gpkg_writer(result, dwellings=True), folder), light=True)
    try:
        written = write_tables(result, folder)
        csv = str(result.config.section("uitvoer").get("csv", "nl"))
        if result.monitor is not None:
            for rule, records in result.monitor.overtredingen.items():
                name = f"overtredingen_{file_stem(str(rule))}.csv"
                written.append(write_csv(records, folder / name, csv=csv))
    except BaseException:
        gpkg.cancel()
        raise
    return gpkg.result() + written
