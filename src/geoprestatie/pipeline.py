"""The main job: from one run config to the buurt table, SIA, DIA, prognosis and monitor.

:func:`run` executes the stages and returns a :class:`RunResult` (for notebooks);
:func:`write_outputs` writes maps, PNGs, the report, a GeoPackage and tables. Each stage
is a call into its own module; this module only wires them together and reports progress.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geoprestatie import agreements, datasets, dia, join, prognosis, sia
from geoprestatie._validate import read_toml
from geoprestatie.config import EMBEDDED, RunConfig
from geoprestatie.errors import ConfigError, DataWarning, GeoprestatieError
from geoprestatie.sources import (
    read_buurten,
    read_heat_plans,
    read_liveability,
    read_sales,
    read_stock,
)

__all__ = [
    "OUTPUT_FILES",
    "OutputExistsError",
    "RunResult",
    "check_output_folder",
    "run",
    "summary",
    "summary_html",
    "write_outputs",
]

Progress = Callable[[str], None]

#: What :func:`write_outputs` writes (those that apply to the run).
OUTPUT_FILES: tuple[str, ...] = (
    "sia.html",
    "prognose.html",
    "monitor.html",
    "rapport.html",
    "sia.png",
    "dia.png",
    "prognose.png",
    "geoprestatie.gpkg",
    "tabellen.xlsx",
    "buurttabel.csv",
    "sia.csv",
    "dia.csv",
    "dia_vergelijking.csv",
    "prognose.csv",
    "prognose_samenvatting.csv",
    "monitor.csv",
    "monitor.md",
    "koppeling.csv",
    "niet_gekoppeld.csv",
    "run.json",
)
_MARKER = "run.json"


@dataclass(repr=False)
class RunResult:
    """Everything one run produced, for notebooks and for :func:`write_outputs`.

    In Jupyter it shows as a short summary table (:func:`summary_html`); ``repr`` is one
    line.
    """

    config: RunConfig
    buurten: gpd.GeoDataFrame
    joined: join.JoinResult
    prioritised: gpd.GeoDataFrame
    sia_config: sia.SiaConfig
    dia_result: dia.DiaResult
    dia_comparison: pd.DataFrame | None = None
    prognosis: pd.DataFrame | None = None
    prognosis_summary: pd.DataFrame | None = None
    monitor: agreements.MonitorResult | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def table(self) -> gpd.GeoDataFrame:
        """The buurt table (one row per buurt) with the joined indicators."""
        return self.joined.table

    @property
    def sources(self) -> pd.DataFrame:
        """The data sources used, with attribution (Dutch), for the report."""
        return _sources_frame(self)

    def __repr__(self) -> str:
        n_ok = int(self.prioritised["sia_geschikt"].sum())
        parts = [
            f"{self.config.name!r}",
            f"buurten={len(self.buurten)}",
            f"sia_geschikt={n_ok}",
            f"dia={len(self.dia_result.areas)}",
            f"prognose={'ja' if self.prognosis is not None else 'nee'}",
            f"afspraken={len(self.monitor.table) if self.monitor is not None else 0}",
        ]
        if self.config.synthetic:
            parts.append("synthetisch")
        return f"RunResult({', '.join(parts)})"

    def _repr_html_(self) -> str:
        """A short summary for Jupyter: top buurten, DIAs, traffic lights (a few kB).

        Not a map: a folium map of one municipality is ~0.7 MB of HTML and takes a second,
        too heavy for a repr that Jupyter also stores in the notebook. The maps are one call
        away: ``gp.maps.sia_map(result)``, ``gp.maps.prognose_map(result)``.
        """
        return summary_html(self)


def _say(progress: Progress | None, text: str) -> None:
    if progress is not None:
        progress(text)


def _n(value: int | float) -> str:
    return f"{value:,.0f}".replace(",", ".")


# ----------------------------------------------------------------------------- stages


def load_buurten_for(config: RunConfig) -> gpd.GeoDataFrame:
    """Stage 1a: the buurten (a file, or the embedded CBS 2022 data), with indicators."""
    section = config.section("buurten")
    gemeente = section.get("gemeente")
    path = section.get("bestand")
    if path is None:
        buurten = datasets.load_buurten(gemeente)
    else:
        buurten = read_buurten(
            path, layer=section.get("laag"), gemeente=gemeente, crs=section.get("crs")
        )
    return buurten


def _sia_config(section: dict[str, Any]) -> sia.SiaConfig:
    """``[sia]``: a criteria file, inline criteria, or the default set with overrides.

    Without criteria, the keys given (``top_k``, ``method``, ``eligibility``,
    ``[sia.robustness]``) override those of the documented default set.
    """
    criteria = section.get("criteria")
    if isinstance(criteria, Path):
        base = sia.SiaConfig.from_toml(criteria)
        rest = {k: v for k, v in section.items() if k != "criteria"}
        if not rest:
            return base
        defaults = read_toml(criteria, what="SIA criteria")
    elif criteria is not None:
        return sia.SiaConfig.from_dict(section)
    else:
        defaults = read_toml(sia.DEFAULT_CRITERIA_TOML, what="SIA criteria")
        rest = dict(section)
    table = dict(defaults.get("sia", defaults))
    robustness = {**table.get("robustness", {}), **rest.pop("robustness", {})}
    table.update(rest)
    if robustness:
        table["robustness"] = robustness
    return sia.SiaConfig.from_dict(table)


def run(config: RunConfig, *, progress: Progress | None = None) -> RunResult:
    """Run every stage the config asks for and return the results.

    Raises
    ------
    GeoprestatieError
        Bad input or config, naming the file, key or value.
    """
    bronnen = config.section("bronnen")
    _say(progress, "[1/6] Laden")
    buurten = load_buurten_for(config)
    names = ", ".join(sorted(map(str, buurten["gemeentenaam"].dropna().unique())))
    _say(progress, f"      buurten: {_n(len(buurten))} ({names})")
    stock = read_stock(bronnen["voorraad"]) if "voorraad" in bronnen else None
    sales = read_sales(bronnen["verkoop"]) if "verkoop" in bronnen else None
    liveability = (
        read_liveability(bronnen["leefbaarometer"], buurten=buurten)
        if "leefbaarometer" in bronnen
        else None
    )
    heat = read_heat_plans(bronnen["warmte"], buurten=buurten) if "warmte" in bronnen else None
    indicators = None
    if bronnen.get("indicatoren") in EMBEDDED:
        gemeente = config.section("buurten").get("gemeente")
        indicators = datasets.load_indicators(gemeente)
    elif "indicatoren" in bronnen:
        indicators = read_liveability(bronnen["indicatoren"])
    for name, frame in (("woningen", stock), ("verkopen", sales)):
        if frame is not None:
            _say(progress, f"      {name}: {_n(len(frame))}")

    _say(progress, "[2/6] Koppelen aan buurten")
    join_config = join.JoinConfig.from_dict(config.section("koppeling"))
    joined = join.join_sources(
        buurten,
        stock=stock,
        sales=sales,
        liveability=liveability,
        heat=heat,
        indicators=indicators,
        config=join_config,
    )
    joined.report.check()
    for note in joined.report.notes:
        _say(progress, f"      let op: {note}")
    for s in joined.report.sources:
        _say(
            progress,
            f"      {s.bron}: {_n(s.gelezen)} gelezen, {_n(s.gekoppeld)} gekoppeld "
            f"({_n(s.dichtstbij)} dichtstbij), {_n(s.niet_gekoppeld_totaal)} niet gekoppeld",
        )

    _say(progress, "[3/6] SIA: prioriteren met robuustheid")
    sia_config = _sia_config(config.section("sia"))
    prioritised = sia.prioritise(joined.table, sia_config)
    n_ok = int(prioritised["sia_geschikt"].sum())
    _say(
        progress,
        f"      {n_ok} van {len(prioritised)} buurten geschikt; "
        f"{int(prioritised['robuust'].sum())} robuuste prioriteiten (top {sia_config.top_k})",
    )

    _say(progress, "[4/6] DIA: aaneengesloten investeringsgebieden")
    dia_section = config.section("dia")
    previous = dia_section.pop("vorige", None)
    dia_config = dia.DiaConfig.from_dict(dia_section)
    dia_result = dia.delineate(prioritised, dia_config)
    comparison = None
    if previous is not None:
        comparison = dia.compare_dia(dia.read_dia_set(previous), dia_result.buurten)
        n_changed = int((comparison["status"] != "ongewijzigd").sum()) if len(comparison) else 0
        _say(
            progress,
            f"      vergeleken met {previous.name}: {n_changed} DIA('s) nieuw/gewijzigd/vervallen",
        )
    if len(dia_result.areas):
        names = ", ".join(map(str, dia_result.areas["dia_naam"]))
        _say(progress, f"      {len(dia_result.areas)} DIA's: {names}")
    else:
        why = "; ".join(dia_result.notes) or "geen prioriteitsbuurten"
        _say(progress, f"      geen DIA's: {why}")

    result = RunResult(
        config=config,
        buurten=buurten,
        joined=joined,
        prioritised=prioritised,
        sia_config=sia_config,
        dia_result=dia_result,
        dia_comparison=comparison,
    )

    _say(progress, "[5/6] Prognose")
    result.prognosis, result.prognosis_summary, accounts = _prognosis(
        config, joined, buurten, progress
    )
    if accounts:
        result.joined = dataclasses.replace(joined, report=_with_accounts(joined.report, accounts))
        result.joined.report.check()

    _say(progress, "[6/6] Monitor afspraken")
    result.monitor = _monitor(config, result.joined, result.prognosis, progress)
    return result


def _prognosis(
    config: RunConfig,
    joined: join.JoinResult,
    buurten: gpd.GeoDataFrame,
    progress: Progress | None,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[_Account]]:
    """Stage 5: the stock prognosis, when ``[prognose] plannen`` is given.

    Start-stock and plan rows with a buurtcode outside the study area are left out and
    accounted for (reason ``onbekende_buurtcode``), like the join does for the stock.
    """
    section = config.section("prognose")
    plans_file = section.pop("plannen", None)
    start_file = section.pop("beginstand", None)
    peildatum = section.pop("peildatum", None)
    if plans_file is None:
        _say(progress, "      overgeslagen: geen [prognose] plannen in de config")
        return None, None, []
    prog_config = prognosis.PrognosisConfig.from_dict(section)
    codes = set(buurten["buurtcode"])
    plans, plan_account = _within(
        prognosis.read_mutation_plans(plans_file), codes, "plannen", plans_file
    )
    accounts = [plan_account]
    if start_file is not None:
        start, start_account = _within(
            prognosis.read_start_stock(start_file, peildatum=peildatum),
            codes,
            "beginstand",
            start_file,
        )
        accounts.append(start_account)
    elif joined.stock is not None:
        if peildatum is None:
            raise ConfigError(
                "[prognose] has no `beginstand` file, so the start stock is counted from the "
                'stock file; give its date as `peildatum` (e.g. "2022-01-01")'
            )
        start = prognosis.start_stock_from_stock(joined.stock, peildatum=peildatum)
    else:
        raise ConfigError(
            "[prognose] needs a start stock: a `beginstand` file or a [bronnen] voorraad file"
        )
    for account in accounts:
        if account.rejected:
            rows = account.rows_text()
            warnings.warn(
                f"{account.file.name}: {account.rejected} row(s) with a buurtcode outside the "
                "study area left out of the prognosis" + (f" (rows {rows})" if rows else ""),
                DataWarning,
                stacklevel=2,
            )
    projected = prognosis.project(start, plans, config=prog_config)
    summary = prognosis.summary_table(projected)
    years = sorted(projected["jaar"].unique())
    total = prognosis.aggregate(projected, by=())
    first = int(total["beginstand"].iloc[0])
    last = int(total["eindstand"].iloc[-1])
    _say(
        progress,
        f"      {years[0]}–{years[-1]}, scenario {prog_config.scenario}: "
        f"{_n(first)} → {_n(last)} woningen ({last - first:+d})",
    )
    if "buurtcode" in projected.columns and projected["buurtcode"].isna().any():
        n = int(projected.loc[projected["buurtcode"].isna(), "eindstand"].iloc[-1:].sum())
        _say(progress, f"      let op: zonder buurtcode (in de totalen, niet op de kaart): {n}")
    return projected, summary, accounts


@dataclass(frozen=True)
class _Account:
    """Rows of a prognosis input kept or left out for a buurtcode outside the study area."""

    bron: str
    file: Path
    read: int
    rejected_rows: pd.DataFrame

    @property
    def rejected(self) -> int:
        return len(self.rejected_rows)

    def rows_text(self) -> str:
        rows = self.rejected_rows["bron_rij"].dropna().astype(int).tolist()
        return ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")


def _within(
    frame: pd.DataFrame, codes: set[str], bron: str, file: Path
) -> tuple[pd.DataFrame, _Account]:
    """Split rows whose buurtcode is given but not a buurt of the study area."""
    if "buurtcode" not in frame.columns:
        return frame, _Account(bron, file, len(frame), frame.iloc[0:0])
    outside = frame["buurtcode"].notna() & ~frame["buurtcode"].astype("string").isin(codes)
    outside = outside.fillna(False).astype(bool)
    rows = frame.loc[outside].copy()
    if "bron_rij" not in rows.columns:
        rows["bron_rij"] = pd.NA
    return frame.loc[~outside].copy(), _Account(bron, file, len(frame), rows)


def _with_accounts(report: join.JoinReport, accounts: list[_Account]) -> join.JoinReport:
    """The join report with the prognosis inputs' accounting added."""
    sources = list(report.sources)
    records = [report.not_joined]
    for a in accounts:
        lost = {"onbekende_buurtcode": a.rejected} if a.rejected else {}
        sources.append(
            join.SourceCount(a.bron, a.file.name, "rijen", a.read, a.read - a.rejected, 0, lost)
        )
        records += join.not_joined_records(
            a.bron,
            a.file.name,
            a.rejected_rows["bron_rij"],
            "onbekende_buurtcode",
            column="buurtcode",
            values=a.rejected_rows["buurtcode"],
        )
    not_joined = pd.concat(records, ignore_index=True) if len(records) > 1 else records[0]
    return dataclasses.replace(report, sources=tuple(sources), not_joined=not_joined)


def _monitor(
    config: RunConfig,
    joined: join.JoinResult,
    projected: pd.DataFrame | None,
    progress: Progress | None,
) -> agreements.MonitorResult | None:
    """Stage 6: the agreements monitor, when ``[afspraken] bestand`` is given."""
    section = config.section("afspraken")
    path = section.get("bestand")
    if path is None:
        _say(progress, "      overgeslagen: geen [afspraken] bestand in de config")
        return None
    rules = agreements.read_agreements(path)
    result = agreements.monitor(
        rules,
        stock=joined.usable("voorraad"),
        sales=joined.usable("verkoop"),
        prognosis=projected,
        jaar=section.get("jaar"),
    )
    counts = result.table["status"].value_counts()
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("groen", "oranje", "rood", "onbekend"))
    _say(progress, f"      {len(result.table)} afspraken: {summary}")
    return result


def summary_html(result: RunResult, *, top: int = 10) -> str:
    """A short HTML summary of a run: top buurten, DIAs and the traffic lights.

    This is what Jupyter shows for a :class:`RunResult`. It shows no dwelling counts, so
    no privacy threshold applies.

    Examples
    --------
    >>> from geoprestatie.config import demo_config
    >>> page = summary_html(run(demo_config()))  # doctest: +SKIP
    >>> "Top 10 buurten" in page and "synthetisch" in page  # doctest: +SKIP
    True
    """
    from geoprestatie import report

    parts = [f"<h3>{html.escape(result.config.name)}</h3>"]
    if result.config.synthetic:
        parts.append(
            '<p style="color:#7a0177;font-weight:700">Let op: de corporatiegegevens in deze '
            "run zijn synthetisch.</p>"
        )
    scored = result.prioritised
    k = int(result.sia_config.top_k)
    best = scored[scored["sia_geschikt"].astype(bool)].sort_values("sia_rang").head(top)
    best = pd.DataFrame(best.drop(columns="geometry"))
    columns = {"sia_rang": "Rang", "buurtnaam": "Buurt", "sia_score": "SIA-score"}
    if {"kans_top_k", "rang_p05", "rang_p95", "robuust"} <= set(best.columns):
        best["rang_interval"] = [
            f"{a:.0f}–{b:.0f}" for a, b in zip(best["rang_p05"], best["rang_p95"], strict=True)
        ]
        best["robuust"] = best["robuust"].map({True: "ja", False: "nee"})
        columns |= {
            "kans_top_k": f"Kans top {k}",
            "rang_interval": "Rang (5–95%)",
            "robuust": "Robuust",
        }
    n_ok = int(scored["sia_geschikt"].sum())
    parts.append(
        f"<p>Top {len(best)} buurten ({n_ok} van {len(scored)} buurten geschikt; "
        f"kans in top {k} over de gewichtstrekkingen)</p>"
    )
    parts.append(report.html_table(best, columns=columns, decimals=2))
    areas = result.dia_result.areas
    if len(areas):
        dias = pd.DataFrame(areas.drop(columns="geometry"))
        dias["buurtnamen"] = dias["buurtnamen"].map(
            lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v
        )
        parts.append(f"<p>DIA's ({len(dias)})</p>")
        parts.append(
            report.html_table(
                dias,
                columns={
                    "dia_id": "DIA",
                    "dia_naam": "Naam",
                    "n_buurten": "Buurten",
                    "buurtnamen": "Buurtnamen",
                },
            )
        )
    else:
        parts.append("<p>DIA's: geen</p>")
    if result.monitor is not None:
        counts = result.monitor.table["status"].value_counts()
        lights = ", ".join(
            f"{int(counts.get(s, 0))} {s}" for s in ("groen", "oranje", "rood", "onbekend")
        )
        parts.append(f"<p>Afspraken: {lights}</p>")
    parts.append(
        '<p style="color:#555">Kaarten: <code>gp.maps.sia_map(result)</code>, '
        "<code>gp.maps.prognose_map(result)</code>; monitor: "
        "<code>gp.report.monitor_html(result)</code>.</p>"
    )
    return "<div>" + "".join(parts) + "</div>"


def _sources_frame(result: RunResult) -> pd.DataFrame:
    rows = [("Buurtgrenzen", "CBS, Kadaster: wijk- en buurtindeling (gegeneraliseerd)")]
    bronnen = result.config.section("bronnen")
    synth = result.config.synthetic
    if bronnen.get("indicatoren") in EMBEDDED:
        rows.append(
            ("Leefbaarometer en CBS-kerncijfers", "Leefbaarometer 3.0 (BZK); CBS kerncijfers ~2020")
        )
    labels = {
        "voorraad": "Corporatievoorraad",
        "verkoop": "Verkopen",
        "leefbaarometer": "Leefbaarometer",
        "warmte": "Transitievisie Warmte",
        "indicatoren": "Indicatoren per buurt",
    }
    for key, label in labels.items():
        value = bronnen.get(key)
        if isinstance(value, Path):
            note = " (synthetisch)" if "synthetisch" in value.name else ""
            rows.append((label, f"{value.name}{note}"))
    for section, key, label in (
        ("prognose", "plannen", "Mutatieplannen"),
        ("prognose", "beginstand", "Beginstand"),
        ("afspraken", "bestand", "Afspraken"),
    ):
        value = result.config.section(section).get(key)
        if isinstance(value, Path):
            rows.append((label, value.name))
    frame = pd.DataFrame(rows, columns=["gegevens", "bron"])
    if synth:
        frame.attrs["let_op"] = "Corporatiegegevens in deze run zijn synthetisch."
    return frame


# ----------------------------------------------------------------------------- outputs


class OutputExistsError(GeoprestatieError):
    """The output folder already holds the outputs of an earlier run (use ``force``)."""


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy without geometry, with list/dict cells as text (for CSV and XLSX)."""
    out = pd.DataFrame(frame.drop(columns=[c for c in frame.columns if c == "geometry"]))
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(
                lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple | set) else v
            )
    return out


def _prognosis_layer(projected: pd.DataFrame, buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """Buurt polygons with the projected corporation stock per year (wide), for QGIS."""
    from geoprestatie._mapdata import prognosis_totals

    if "buurtcode" not in projected.columns:
        return None
    totals = prognosis_totals(projected)
    wide = totals.pivot(index="buurtcode", columns="jaar", values="eindstand")
    wide.columns = [f"voorraad_{int(y)}" for y in wide.columns]
    first = totals[totals["jaar"] == totals["jaar"].min()].set_index("buurtcode")
    last = totals[totals["jaar"] == totals["jaar"].max()].set_index("buurtcode")
    wide["beginstand"] = first["beginstand"]
    wide["verandering"] = last["verandering_start"]
    layer = buurten[["buurtcode", "buurtnaam", "geometry"]].merge(
        wide.reset_index(), on="buurtcode", how="inner"
    )
    return gpd.GeoDataFrame(layer, geometry="geometry", crs=buurten.crs)


def _write_visuals(result: RunResult, staging: Path, *, min_dwellings: int) -> list[Path]:
    """Interactive maps, print PNGs, the monitor page and the self-contained report."""
    from geoprestatie import maps, plots, report
    from geoprestatie._atomic import write_text

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


def _write_data(result: RunResult, staging: Path, *, dwellings: bool) -> list[Path]:
    """GeoPackage (every layer), CSVs and one XLSX with the tables."""
    written: list[Path] = []
    table = result.table
    scored = result.dia_result.buurten  # prioritised + dia_id, dia_naam, dia_reden
    areas = result.dia_result.areas
    gpkg = staging / "geoprestatie.gpkg"
    layers: list[tuple[str, gpd.GeoDataFrame]] = [
        ("buurttabel", table),
        ("sia", gpd.GeoDataFrame(scored, geometry="geometry", crs=table.crs)),
        ("dia", areas),
    ]
    if result.prognosis is not None:
        layer = _prognosis_layer(result.prognosis, result.buurten)
        if layer is not None:
            layers.append(("prognose", layer))
    if dwellings and result.joined.stock is not None:
        stock = result.joined.stock
        located = stock[stock.geometry.notna()] if "geometry" in stock else stock.iloc[0:0]
        layers.append(("woningen", gpd.GeoDataFrame(located, geometry="geometry", crs=table.crs)))
    for name, frame in layers:
        frame = gpd.GeoDataFrame(frame.copy(), geometry="geometry", crs=frame.crs)
        for col in frame.columns:
            if col != "geometry" and frame[col].dtype == object:
                frame[col] = _plain(frame[[col]])[col].astype("string")
        frame.to_file(gpkg, layer=name, driver="GPKG")
    written.append(gpkg)

    tables: dict[str, pd.DataFrame] = {
        "buurttabel": _plain(table),
        "sia": _plain(scored),
        "dia": _plain(areas),
        "koppeling": result.joined.report.to_frame(),
        "niet_gekoppeld": result.joined.report.not_joined,
    }
    if result.prognosis is not None:
        tables["prognose"] = result.prognosis
        if result.prognosis_summary is not None:
            tables["prognose_samenvatting"] = result.prognosis_summary.reset_index()
    if result.monitor is not None:
        tables["monitor"] = _plain(result.monitor.table)
    if result.dia_comparison is not None:
        tables["dia_vergelijking"] = _plain(result.dia_comparison)
    for name, frame in tables.items():
        path = staging / f"{name}.csv"
        frame.to_csv(path, index=False)
        written.append(path)
    xlsx = staging / "tabellen.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    written.append(xlsx)
    return written


def check_output_folder(out: str | Path, *, force: bool = False) -> list[str]:
    """Return the outputs of an earlier run in ``out``; raise unless ``force``.

    Call it before a run to fail fast; :func:`write_outputs` calls it again.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputExistsError(f"--out {out} is a file; expected a folder")
    existing = [name for name in OUTPUT_FILES if (out / name).exists()]
    if existing and not force:
        shown = ", ".join(existing[:4]) + (" …" if len(existing) > 4 else "")
        raise OutputExistsError(
            f"{out} already holds outputs of an earlier run ({shown}); "
            "use --force to overwrite them, or choose another --out folder"
        )
    return existing


def write_outputs(
    result: RunResult,
    out: str | Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> list[Path]:
    """Write every output of a run into ``out`` (maps, PNGs, report, GeoPackage, tables).

    Files are first written to a hidden folder inside ``out`` and then moved into place
    one by one (atomic per file); a failure leaves earlier outputs untouched. ``out`` may
    hold other files (e.g. a README); outputs of an earlier run are only replaced with
    ``force=True``, and then outputs that this run no longer makes are removed.

    Raises
    ------
    OutputExistsError
        ``out`` holds outputs of an earlier run and ``force`` is false.
    """
    out = Path(out)
    existing = check_output_folder(out, force=force)
    out.mkdir(parents=True, exist_ok=True)
    uitvoer = result.config.section("uitvoer")
    min_dwellings = int(uitvoer.get("min_woningen", 5))
    if min_dwellings < 5:
        warnings.warn(
            f"[uitvoer] min_woningen = {min_dwellings}: published outputs show figures of "
            "buurten with fewer than 5 dwellings (privacy: openbaar, tenzij)",
            DataWarning,
            stacklevel=2,
        )
    dwellings = uitvoer.get("individuele_woningen", False) is True
    staging = Path(tempfile.mkdtemp(prefix=".geoprestatie-", dir=out))
    try:
        _say(progress, "[uitvoer] kaarten, rapport, GeoPackage en tabellen")
        written = _write_visuals(result, staging, min_dwellings=min_dwellings)
        written += _write_data(result, staging, dwellings=dwellings)
        marker = staging / _MARKER
        marker.write_text(
            json.dumps(
                {
                    "geoprestatie": _version(),
                    "config": str(result.config.source) if result.config.source else "demo",
                    "synthetisch": result.config.synthetic,
                    "gemaakt": dt.datetime.now().isoformat(timespec="seconds"),
                    "bestanden": sorted(p.name for p in written),
                },
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        written.append(marker)
        final = []
        for path in written:
            target = out / path.name
            path.chmod(0o644)
            os.replace(path, target)
            final.append(target)
        if force:
            for name in set(existing) - {p.name for p in final}:
                (out / name).unlink()
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _short(text: str, limit: int = 70) -> str:
    """Cut ``text`` at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _version() -> str:
    from geoprestatie import __version__

    return __version__


def summary(result: RunResult, written: list[Path], *, seconds: float | None = None) -> str:
    """The closing lines of ``geoprestatie run``: outputs, top buurten, DIAs, red agreements."""
    lines = []
    folder = written[0].parent if written else Path(".")
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    lines.append(f"Klaar{took}. Uitvoer in {folder}/: {', '.join(p.name for p in written)}")
    if result.config.synthetic:
        lines.append("LET OP: de corporatiegegevens in deze run zijn synthetisch.")
    top = result.prioritised.sort_values("sia_rang").head(5)
    names = [
        f"{int(r.sia_rang)}. {r.buurtnaam} ({r.sia_score:.1f}{', robuust' if r.robuust else ''})"
        for r in top.itertuples()
    ]
    lines.append("Top 5 buurten: " + "; ".join(names))
    areas = result.dia_result.areas
    if len(areas):
        lines.append(
            f"DIA's ({len(areas)}): "
            + "; ".join(
                f"{r.dia_id} {r.dia_naam} ({r.n_buurten} buurten)" for r in areas.itertuples()
            )
        )
    else:
        lines.append(
            "DIA's: geen (geen aaneengesloten prioriteitsbuurten die aan de eisen voldoen)"
        )
    if result.monitor is not None:
        table = result.monitor.table
        red = table[table["status"] == "rood"]
        unknown = table[table["status"] == "onbekend"]
        if len(red):
            lines.append(
                "Rood: "
                + "; ".join(
                    f"{r['afspraak_id']} {_short(str(r['tekst']))}" for r in red.to_dict("records")
                )
            )
        else:
            lines.append("Rood: geen afspraken")
        if len(unknown):
            lines.append("Onbekend (gegevens ontbreken): " + ", ".join(unknown["afspraak_id"]))
    return "\n".join(lines)
