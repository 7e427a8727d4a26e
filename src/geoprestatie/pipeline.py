"""The main job: from one run config to the buurt table, SIA, DIA, prognosis and monitor.

:func:`run` executes the stages and returns a :class:`~geoprestatie.result.RunResult`
(for notebooks); :func:`write_outputs` hands it to the output layer
(:mod:`geoprestatie.output`), which writes maps, PNGs, the report, a GeoPackage and
tables. Each stage is a call into its own module; this module only wires them together
and reports progress.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa

from geoprestatie import (
    _fork,
    agreements,
    completeness,
    datasets,
    dia,
    join,
    prognosis,
    programme,
    sia,
)
from geoprestatie._validate import read_toml
from geoprestatie.config import EMBEDDED, RunConfig
from geoprestatie.errors import ConfigError, DataWarning
from geoprestatie.output.files import OutputExistsError, check_output_folder, write_output_set
from geoprestatie.output.pdf import Browser
from geoprestatie.result import RunResult
from geoprestatie.sources import (
    read_buurten,
    read_heat_plans,
    read_kerncijfers,
    read_liveability,
    read_sales,
    read_stock,
)
from geoprestatie.sources._tabular import REJECT_COLUMNS
from geoprestatie.sources.monitoring import read_monitor_data
from geoprestatie.teksten import LET_OP

__all__ = [
    "OutputExistsError",
    "RunResult",
    "check_output_folder",
    "input_paths",
    "run",
    "write_outputs",
]

Progress = Callable[[str], None]


def read_dwellings(bronnen: dict[str, Any]) -> tuple[Any, Any]:
    """Stock and sales of ``[bronnen]``: placed through ``bag`` (addresses, BAG ids),
    labels from ``ep_online``, ``corporatie`` for a file of one corporation."""
    from geoprestatie.sources.bag import read_bag
    from geoprestatie.sources.eponline import apply_ep_labels, read_ep_online

    bag = read_bag(bronnen["bag"]) if "bag" in bronnen else None
    stock = (
        read_stock(bronnen["voorraad"], corporatie=bronnen.get("corporatie"), bag=bag)
        if "voorraad" in bronnen
        else None
    )
    if stock is not None and "ep_online" in bronnen:
        stock = apply_ep_labels(stock, read_ep_online(bronnen["ep_online"]))
    sales = (
        read_sales(bronnen["verkoop"], bag=bag, corporatie=bronnen.get("corporatie"))
        if "verkoop" in bronnen
        else None
    )
    return stock, sales


def _release_memory() -> None:
    """Give memory that was freed back to the operating system (after a large read).

    pyarrow keeps freed buffers in its own pool (mimalloc) and glibc's malloc keeps freed
    heap pages; after reading 2.5 M dwellings that is about 0.5 GB the next stages cannot
    use for their numpy and pandas arrays. Nothing is freed here that is still in use.
    """
    pa.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        # not glibc (e.g. musl): nothing to trim
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def _say(progress: Progress | None, text: str) -> None:
    if progress is not None:
        progress(text)


def _n(value: int | float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def _gemeenten_text(buurten: pd.DataFrame, most: int = 5) -> str:
    """The gemeenten of a run for the progress line: all names up to ``most``, else a count.

    >>> _gemeenten_text(pd.DataFrame({"gemeentenaam": ["Ede", "Epe", "Ede"]}))
    'Ede, Epe'
    >>> _gemeenten_text(pd.DataFrame({"gemeentenaam": [f"G{i}" for i in range(9)]}))
    '9 gemeenten: G0, G1, G2, G3, G4, …'
    """
    names = sorted(map(str, buurten["gemeentenaam"].dropna().unique()))
    if len(names) <= most:
        return ", ".join(names)
    return f"{_n(len(names))} gemeenten: {', '.join(names[:most])}, …"


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
    _say(progress, f"      buurten: {_n(len(buurten))} ({_gemeenten_text(buurten)})")
    # the per-buurt sources first: their raster and polygon work then runs before the
    # dwellings are in memory (the peak of a national run is the sum of the two)
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
        indicators = read_kerncijfers(
            bronnen["indicatoren"], gemeente=config.section("buurten").get("gemeente")
        )
    stock, sales = read_dwellings(bronnen)
    _release_memory()
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
    del stock, sales  # the joined frames hold what is used; a copy of 2.5 M rows is not kept
    _release_memory()
    joined.report.check()
    for note in joined.report.notes:
        _say(progress, f"      let op: {note}")
    for s in joined.report.sources:
        _say(
            progress,
            f"      {s.bron}: {_n(s.gelezen)} gelezen, {_n(s.gekoppeld)} gekoppeld "
            f"({_n(s.dichtstbij)} dichtstbij), {_n(s.niet_gekoppeld_totaal)} niet gekoppeld",
        )

    # stage 5 needs only the join: in another process while SIA and DIA run here
    staged = _fork.start(lambda: _prognosis_lines(config, joined, buurten), light=True)
    try:
        result = _sia_dia(config, joined, buurten, progress)
    except BaseException:
        staged.cancel()
        raise

    if staged.busy():
        _import_output_layer()
    _say(progress, "[5/6] Prognose")
    (result.prognosis, result.prognosis_summary, accounts, result.programme), lines = (
        staged.result()
    )
    for line in lines:
        _say(progress, line)
    if accounts:
        result.joined = dataclasses.replace(joined, report=_with_accounts(joined.report, accounts))
        result.joined.report.check()

    _say(progress, "[6/6] Monitor afspraken")
    result.monitor, read = _monitor(config, result.joined, result.prognosis, progress)
    if read:
        report = _with_monitor_accounts(result.joined.report, read)
        result.joined = dataclasses.replace(result.joined, report=report)
        result.joined.report.check()
    return result


def _import_output_layer() -> None:
    """Import the output modules (folium, matplotlib, mapclassify with scipy.stats and
    scikit-learn: about 1 s) while stage 5 runs in another process and this one would only
    wait; they are imported when the outputs are written otherwise."""
    import mapclassify  # noqa: F401  (imported by _mapdata.classify when a map is drawn)

    import geoprestatie.output.write  # noqa: F401


#: What stage 5 gives: prognosis, its summary, the inputs' accounting, adaptive programming.
_Stage5 = tuple[
    pd.DataFrame | None, pd.DataFrame | None, list["_Account"], programme.ProgrammeResult | None
]


def _prognosis_lines(
    config: RunConfig, joined: join.JoinResult, buurten: gpd.GeoDataFrame
) -> tuple[_Stage5, list[str]]:
    """:func:`_prognosis` and its progress lines (shown by the caller, in their place)."""
    lines: list[str] = []
    return _prognosis(config, joined, buurten, lines.append), lines


def _sia_dia(
    config: RunConfig,
    joined: join.JoinResult,
    buurten: gpd.GeoDataFrame,
    progress: Progress | None,
) -> RunResult:
    """Stages 3 and 4: prioritise (SIA) and delineate (DIA); the run's result so far."""
    _say(progress, "[3/6] SIA: prioriteren met robuustheid")
    sia_section = config.section("sia")
    allow = completeness.pop_allow(sia_section)
    sia_config = sia.fit_top_k(_sia_config(sia_section), len(joined.table))
    prioritised = sia.prioritise(joined.table, sia_config)
    whole = completeness.sia_completeness(prioritised, sia_config)
    completeness.check(whole, allow=allow)
    if not whole.complete:
        _say(progress, f"      {LET_OP} {whole.short()}: {whole.names()}")
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
    earlier = dia.read_dia_set(previous) if previous is not None else None
    dia_result = dia.delineate(prioritised, dia_config, previous=earlier)
    comparison = None
    if previous is not None:
        comparison = dia.compare_dia(earlier, dia_result.buurten)
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

    return RunResult(
        config=config,
        buurten=buurten,
        joined=joined,
        prioritised=prioritised,
        sia_config=sia_config,
        dia_result=dia_result,
        dia_comparison=comparison,
        sia_volledigheid=whole,
        display=_summary_html,
    )


def _summary_html(result: RunResult) -> str:
    """The result's summary in Jupyter (:func:`geoprestatie.output.summary.summary_html`,
    imported when first shown: the report's modules load mapclassify and scipy)."""
    from geoprestatie.output.summary import summary_html

    return summary_html(result)


def _prognosis(
    config: RunConfig,
    joined: join.JoinResult,
    buurten: gpd.GeoDataFrame,
    progress: Progress | None,
) -> _Stage5:
    """Stage 5: the stock prognosis, when ``[prognose] plannen`` is given.

    Start-stock and plan rows with a buurtcode outside the study area are left out and
    accounted for (reason ``onbekende_buurtcode``), like the join does for the stock.
    """
    section = config.section("prognose")
    plans_file = section.pop("plannen", None)
    start_file = section.pop("beginstand", None)
    peildatum = section.pop("peildatum", None)
    files = {k: section.pop(k, None) for k in ("programma", "behoefte", "realisaties")}
    if plans_file is None:
        _say(progress, "      overgeslagen: geen [prognose] plannen in de config")
        return None, None, [], None
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
                "[prognose] heeft geen bestand `beginstand`, dus de beginvoorraad wordt uit het "
                'voorraadbestand geteld; geef de datum ervan als `peildatum` (bijv. "2022-01-01")'
            )
        start = prognosis.start_stock_from_stock(joined.stock, peildatum=peildatum)
    else:
        raise ConfigError(
            "[prognose] heeft een beginvoorraad nodig: een bestand `beginstand` of een "
            "[bronnen] voorraad"
        )
    for account in accounts:
        if account.rejected:
            rows = account.rows_text()
            warnings.warn(
                f"{account.file.name}: {account.rejected} rij(en) met een buurtcode buiten het "
                "studiegebied niet in de prognose" + (f" (rijen {rows})" if rows else ""),
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
    adaptive = programme.run_programme(
        config=prog_config, start=start, plans=plans, projected=projected, buurten=buurten, **files
    )
    for line in programme.progress_lines(adaptive):
        _say(progress, "      " + line)
    if files["programma"] is not None:
        accounts.append(_programme_account(files["programma"], adaptive))
    return adaptive.prognosis, summary, accounts, adaptive


def _programme_account(file: Path, adaptive: programme.ProgrammeResult) -> _Account:
    """The whole-stock plans: rows placed (or counted as buurt onbekend) and rows left out."""
    placed = 0 if adaptive.plans is None else len(adaptive.plans)
    rows = adaptive.rejected.assign(buurtcode=adaptive.rejected["waarde"])
    return _Account("programma", file, placed + len(rows), rows)


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
        rows = a.rejected_rows
        reasons = (
            rows["reden"]
            if "reden" in rows.columns
            else pd.Series("onbekende_buurtcode", index=rows.index)
        )
        lost = {str(k): int(v) for k, v in reasons.value_counts().items()}
        sources.append(
            join.SourceCount(a.bron, a.file.name, "rijen", a.read, a.read - a.rejected, 0, lost)
        )
        for reason in lost:
            part = rows[reasons == reason]
            records += join.not_joined_records(
                a.bron,
                a.file.name,
                part["bron_rij"],
                reason,
                column=str(part["kolom"].iloc[0]) if "kolom" in part.columns else "buurtcode",
                values=part["buurtcode"],
            )
    not_joined = pd.concat(records, ignore_index=True) if len(records) > 1 else records[0]
    return dataclasses.replace(report, sources=tuple(sources), not_joined=not_joined)


def _monitor(
    config: RunConfig,
    joined: join.JoinResult,
    projected: pd.DataFrame | None,
    progress: Progress | None,
) -> tuple[agreements.MonitorResult | None, dict[str, pd.DataFrame]]:
    """Stage 6: the agreements monitor, when ``[afspraken] bestand`` is given.

    Also returns the monitor datasets read from files, for the accounting.
    """
    section = config.section("afspraken")
    path = section.get("bestand")
    if path is None:
        _say(progress, "      overgeslagen: geen [afspraken] bestand in de config")
        return None, {}
    rules = agreements.read_agreements(path)
    base = config.source.parent if config.source is not None else Path.cwd()
    read, data = monitor_data(
        section,
        base=base,
        buurt_table=joined.table,
        plans=config.path("prognose", "plannen"),
    )
    for name, frame in data.items():
        if name not in ("buurten", "warmte", "plannen") and frame is not None:
            _say(progress, f"      {name}: {_n(len(frame))} records")
    vorige = section.get("vorige")
    result = agreements.monitor(
        rules,
        stock=joined.usable("voorraad"),
        sales=joined.usable("verkoop"),
        prognosis=projected,
        jaar=section.get("jaar"),
        data=data,
        peildatum=section.get("peildatum"),
        vorige=None if vorige is None else agreements.read_previous(vorige),
    )
    counts = result.table["status"].value_counts()
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("groen", "oranje", "rood", "onbekend"))
    _say(progress, f"      {len(result.table)} afspraken: {summary}")
    return result, read


def monitor_data(
    section: dict[str, Any],
    *,
    base: Path,
    buurt_table: pd.DataFrame | None,
    plans: Path | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame | None]]:
    """The monitor's datasets as ``run`` and the ``monitor`` command both give them: the
    files of an ``[afspraken]`` table (toewijzingen, geld, acties, kengetallen,
    voorraad_peil; also returned alone, for the accounting), the buurt table (``buurten``,
    ``warmte``), the mutation plans (``plans``) and realised mutations
    (``section["mutaties"]``) with their signed ``saldo``."""
    read = read_monitor_data(section, base=base)
    data: dict[str, pd.DataFrame | None] = dict(read)
    if buurt_table is not None:
        table = pd.DataFrame(buurt_table.drop(columns="geometry", errors="ignore"))
        data["buurten"] = data["warmte"] = table
    for name, file in (("plannen", plans), ("mutaties", section.get("mutaties"))):
        if file is not None:
            frame = prognosis.read_mutation_plans(file, sheet=name)
            # the signed number: additions count positive, removals negative
            sign = frame["mutatie"].map(prognosis.MUTATIONS).astype("float64")
            data[name] = frame.assign(saldo=frame["aantal"].astype("float64") * sign)
    return read, data


# ----------------------------------------------------------------------------- outputs


def _with_monitor_accounts(
    report: join.JoinReport, read: dict[str, pd.DataFrame]
) -> join.JoinReport:
    """The join report with the monitor datasets' accounting (rows read, set aside, why)."""
    sources = list(report.sources)
    records = [report.not_joined]
    for name, frame in read.items():
        parts = (
            [(f"{name} {year}", f) for year, f in frame.attrs.get("standen", {}).items()]
            if name == "voorraad_peil"
            else [(name, frame)]
        )
        for bron, part in parts:
            rejected = pd.DataFrame(part.attrs.get("afgewezen", []), columns=list(REJECT_COLUMNS))
            n_read = int(part.attrs.get("rijen_gelezen", len(part)))
            lost = {str(k): int(v) for k, v in rejected.groupby("reden")["aantal"].sum().items()}
            bestand = str(part.attrs.get("bestand", name))
            sources.append(
                join.SourceCount(
                    bron, bestand, "rijen", n_read, n_read - sum(lost.values()), 0, lost
                )
            )
            for (reason, column), rows in rejected.groupby(["reden", "kolom"], dropna=False):
                records += join.not_joined_records(
                    bron,
                    bestand,
                    rows["bron_rij"],
                    str(reason),
                    column=str(column) if isinstance(column, str) else None,
                    values=rows["waarde"],
                )
    not_joined = pd.concat(records, ignore_index=True) if len(records) > 1 else records[0]
    return dataclasses.replace(report, sources=tuple(sources), not_joined=not_joined)


def input_paths(config: RunConfig) -> list[Path]:
    """Every input file a config names (to refuse an output folder that holds one)."""
    paths: list[Path] = []

    def walk(value: object) -> None:
        if isinstance(value, Path):
            paths.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)

    walk(dict(config.tables))
    if config.source is not None:
        paths.append(Path(config.source))
    return paths


def write_outputs(
    result: RunResult,
    out: str | Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    browser: Browser | None = None,
) -> list[Path]:
    """Publish the run (:func:`geoprestatie.publication.publish`) and write the output set:
    ``publiek/`` from the public result, ``intern/`` from the full one, ``run.json``; the
    whole set replaces the previous one or nothing does (:mod:`geoprestatie.output.files`).
    ``browser``: a Chromium started ahead to print ``rapport.pdf``
    (:func:`geoprestatie.output.pdf.start_browser`), ended once it has printed.
    """
    from geoprestatie import publication
    from geoprestatie.output.write import write_all, write_internal

    policy = publication.PublicationPolicy.from_dict(result.config.section("uitvoer"))
    if policy.min_woningen < publication.DEFAULT_MIN_DWELLINGS:
        warnings.warn(
            f"[uitvoer] min_woningen = {policy.min_woningen}: de openbare uitvoer toont "
            "cijfers van minder dan 5 woningen (privacy: openbaar, tenzij)",
            DataWarning,
            stacklevel=2,
        )
    if progress is not None:
        progress("[uitvoer] publiek/ (privacy toegepast) en intern/")

    def public(folder: Path) -> list[Path]:
        # published here, so intern/ (which needs the full result only) is already being
        # written beside it in another process
        published = publication.publish(result, policy)
        for note in published.notes[len(result.notes) :]:
            warnings.warn(note, DataWarning, stacklevel=2)
        return write_all(published, folder, browser=browser)

    m = policy.min_woningen
    meta = {
        "config": str(result.config.source) if result.config.source else "demo",
        "synthetisch": result.config.synthetic,
        "min_woningen": m,
        # the only date in the outputs: [project] datum, SOURCE_DATE_EPOCH or today
        "datum": result.config.date.isoformat(),
    }
    return write_output_set(
        out,
        public=public,
        internal=lambda folder: write_internal(result, folder),
        force=force,
        inputs=input_paths(result.config),
        meta=meta,
    )
