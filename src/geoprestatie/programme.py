"""Adaptive programming as one stage: bands, the whole stock against the need, realisations.

The pipeline calls :func:`run_programme` after the deterministic projection
(:func:`geoprestatie.prognosis.project`). It adds, when the config asks for it:

* ``[prognose.onzekerheid]``: bands of the corporation prognosis (``eindstand_p10/p50/p90``
  in ``prognose.csv``) and a scenario comparison with bands;
* ``[prognose] programma``: the plans of every party (segment, status, location), simulated
  per segment for the gemeente, each wijk and each buurt (the prognosis map per year); every
  status counts with its probability (the ``scenario`` selects the corporation projection
  only; a status with ``kans = 0`` is left out);
* ``[prognose] behoefte``: need against supply per segment and year, and the steering
  signals (``bijsturen``);
* ``[prognose] realisaties``: realisation rates per party and status against the plans.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geoprestatie.need import need_gap, read_need, steering_signals, supply_bands
from geoprestatie.planstatus import SCENARIO_ORDER
from geoprestatie.prognosis import (
    PrognosisConfig,
    aggregate,
    project,
    read_mutation_plans,
    signed_counts,
    startjaar,
)
from geoprestatie.realisation import read_realisations, realisation_rates
from geoprestatie.simulation import band_columns, locate_plans, simulate

__all__ = [
    "LEVELS",
    "ProgrammeResult",
    "plan_mutations",
    "prognosis_bands",
    "progress_lines",
    "run_programme",
    "scenario_table",
    "segment_bands",
]

#: Area levels of the whole-stock bands: (niveau, group column).
LEVELS: tuple[tuple[str, str | None], ...] = (
    ("gemeente", None),
    ("wijk", "wijkcode"),
    ("buurt", "buurtcode"),
)


@dataclass(frozen=True)
class ProgrammeResult:
    """Everything :func:`run_programme` made (``None`` where the config did not ask)."""

    prognosis: pd.DataFrame
    scenarios: pd.DataFrame | None = None
    plans: pd.DataFrame | None = None
    segments: pd.DataFrame | None = None
    gap: pd.DataFrame | None = None
    signals: pd.DataFrame | None = None
    rates: pd.DataFrame | None = None
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)
    simulaties: int = 0
    seconden: float = 0.0


def prognosis_bands(
    start: pd.DataFrame, plans: pd.DataFrame, projected: pd.DataFrame, *, config: PrognosisConfig
) -> tuple[pd.DataFrame, float]:
    """``projected`` with ``eindstand_p10/p50/p90`` after ``eindstand`` (and the run time).

    Examples
    --------
    >>> from geoprestatie.prognosis import plans_from_frame, start_from_frame
    >>> from geoprestatie.planstatus import UncertaintyConfig
    >>> start = start_from_frame(pd.DataFrame({"corporatie": ["A"], "aantal": [100]}),
    ...                          peildatum="2030-01-01")
    >>> plans = plans_from_frame(pd.DataFrame({"corporatie": ["A"], "jaar": [2030],
    ...     "mutatie": ["nieuwbouw"], "aantal": [10]}))
    >>> config = PrognosisConfig(onzekerheid=UncertaintyConfig(simulaties=100))
    >>> out, _ = prognosis_bands(start, plans, project(start, plans, config=config),
    ...                          config=config)
    >>> out[["eindstand", "eindstand_p10", "eindstand_p90"]].to_numpy().tolist()
    [[110, 110, 110]]
    """
    keys = [c for c in ("corporatie", "buurtcode") if c in projected.columns]
    first = int(projected["jaar"].min())
    last = int(projected["jaar"].max())
    cfg = dataclasses.replace(config, eindjaar=last)
    bands = simulate(plans, config=cfg, by=keys, start=start, first_year=first)
    pct = list(cfg.onzekerheid.percentielen) if cfg.onzekerheid else [10, 50, 90]
    names = band_columns("eindstand", pct)
    table = bands.table[[*keys, "jaar", *names]].copy()
    left = projected.copy()
    for k in keys:
        left[k] = left[k].astype("string")
        table[k] = table[k].astype("string")
    merged = left.merge(table, on=[*keys, "jaar"], how="left")
    for name in names:  # groups without plans keep their start: the band is the eindstand
        merged[name] = merged[name].fillna(merged["eindstand"]).astype("Int64")
    at = list(merged.columns).index("eindstand") + 1
    order = [c for c in merged.columns if c not in names]
    order[at:at] = names
    return merged[order], bands.seconden


def scenario_table(
    start: pd.DataFrame, plans: pd.DataFrame, *, config: PrognosisConfig
) -> pd.DataFrame:
    """Scenario comparison: per scenario the stock at the start and the end, and the growth
    (with the simulated band when ``onzekerheid`` is configured).

    Examples
    --------
    >>> from geoprestatie.prognosis import plans_from_frame, start_from_frame
    >>> start = start_from_frame(pd.DataFrame({"corporatie": ["A"], "aantal": [100]}),
    ...                          peildatum="2030-01-01")
    >>> plans = plans_from_frame(pd.DataFrame({"corporatie": ["A", "A"], "jaar": [2030, 2031],
    ...     "mutatie": ["nieuwbouw", "nieuwbouw"], "aantal": [10, 5],
    ...     "zekerheid": ["hard", "zacht"]}))
    >>> scenario_table(start, plans, config=PrognosisConfig())[["scenario", "groei"]]
      scenario  groei
    0     hard     10
    1    zacht     15
    2    alles     15
    """
    last = config.eindjaar if config.eindjaar is not None else int(plans["jaar"].max())
    first = startjaar(start["peildatum"].iloc[0])
    last = max(last, first)
    records = []
    for name in SCENARIO_ORDER:
        cfg = dataclasses.replace(config, scenario=name, eindjaar=last)
        total = aggregate(project(start, plans, config=cfg), by=())
        begin, end = int(total["beginstand"].iloc[0]), int(total["eindstand"].iloc[-1])
        row: dict[str, object] = {
            "scenario": name,
            "statussen": ", ".join(cfg.scenario_statuses()),
            "jaar": last,
            "beginstand": begin,
            "eindstand": end,
            "groei": end - begin,
        }
        if config.onzekerheid is not None:
            bands = simulate(plans, config=cfg, start=start, first_year=first).table
            for c in band_columns("eindstand", config.onzekerheid.percentielen):
                row[c] = int(bands[c].iloc[-1])
        records.append(row)
    return pd.DataFrame(records)


def segment_bands(
    plans: pd.DataFrame, *, config: PrognosisConfig, first_year: int | None = None
) -> tuple[pd.DataFrame, float]:
    """Bands per segment for the gemeente, each wijk and each buurt: one long table with
    ``niveau`` (gemeente / wijk / buurt) and ``gebied`` (the code; ``<NA>`` = onbekend)."""
    frames, seconds = [], 0.0
    for level, column in LEVELS:
        if column is not None and column not in plans.columns:
            continue
        by = ("segment",) if column is None else ("segment", column)
        bands = simulate(plans, config=config, by=by, first_year=first_year)
        seconds += bands.seconden
        table = bands.table.copy()
        gebied = (
            table.pop(column) if column is not None else pd.Series("gemeente", index=table.index)
        )
        table.insert(0, "gebied", gebied.astype("string"))
        table.insert(0, "niveau", level)
        frames.append(table)
    return pd.concat(frames, ignore_index=True), seconds


def run_programme(
    *,
    config: PrognosisConfig,
    start: pd.DataFrame,
    plans: pd.DataFrame,
    projected: pd.DataFrame,
    buurten: gpd.GeoDataFrame,
    programma: Path | None = None,
    behoefte: Path | None = None,
    realisaties: Path | None = None,
) -> ProgrammeResult:
    """The adaptive-programming outputs the config asks for (see the module docstring)."""
    out = ProgrammeResult(prognosis=projected)
    seconds = 0.0
    if config.onzekerheid is not None:
        with_bands, seconds = prognosis_bands(start, plans, projected, config=config)
        out = dataclasses.replace(
            out,
            prognosis=with_bands,
            scenarios=scenario_table(start, plans, config=config),
            simulaties=config.onzekerheid.simulaties,
        )
    else:
        out = dataclasses.replace(out, scenarios=scenario_table(start, plans, config=config))
    if programma is not None:
        raw = read_mutation_plans(
            programma, statuses=list(config.statussen), bounds=config.segmentgrenzen
        )
        located, rejected = locate_plans(raw, buurten)
        # the whole stock: every status, each with its probability (the scenario selects
        # the corporation projection; set a status's kans to 0 to leave it out here)
        every = dataclasses.replace(config, scenario="alles")
        need = read_need(behoefte) if behoefte is not None else None
        first = int(need["jaar"].min()) if need is not None else None
        # plans before the need's first year are reported by supply_bands
        scope = located if first is None else located[located["jaar"] >= first]
        segments, more = segment_bands(scope, config=every, first_year=first)
        seconds += more
        out = dataclasses.replace(out, plans=located, segments=segments, rejected=rejected)
        if need is not None:
            bands = supply_bands(located, need, config=every, first_year=first)
            pct = config.onzekerheid.percentielen if config.onzekerheid else (10, 50, 90)
            gap = need_gap(bands, need, percentielen=pct)
            signals = steering_signals(gap, marge=config.marge, percentielen=pct)
            out = dataclasses.replace(out, gap=gap, signals=signals)
    if realisaties is not None:
        done = read_realisations(realisaties)
        year = int(done["jaar"].max())
        source = out.plans if out.plans is not None else plans
        out = dataclasses.replace(out, rates=realisation_rates(source, done, jaar=year))
    if config.onzekerheid is not None:
        out = dataclasses.replace(out, simulaties=config.onzekerheid.simulaties)
    return dataclasses.replace(out, seconden=round(seconds, 3))


def progress_lines(result: ProgrammeResult) -> list[str]:
    """Dutch progress lines for the console: bands, the biggest gap, signals, realisation."""
    lines: list[str] = []
    if result.simulaties:
        lines.append(
            f"onzekerheid: {result.simulaties:,} simulaties in {result.seconden:.1f} s".replace(
                ",", "."
            )
        )
    if result.plans is not None:
        lines.append(f"programma: {len(result.plans)} planregels van alle partijen")
    if result.signals is not None and len(result.signals):
        flagged = result.signals[result.signals["signaal"].isin(["tekort", "overschot"])]
        lines.append(
            f"bijsturen: {len(flagged)} van {len(result.signals)} segmenten buiten de marge"
        )
        if len(flagged):
            worst = flagged["tekort_p50"].abs().to_numpy().argmax()
            lines.append(f"grootste afwijking: {flagged['toelichting'].iloc[int(worst)]}")
    if result.rates is not None and len(result.rates):
        done = result.rates["gerealiseerd"].sum()
        planned = result.rates["gepland"].sum()
        share = f"{done / planned:.0%}" if planned else "–"
        lines.append(
            f"realisatie {int(result.rates['jaar'].iloc[0])}: {done} van {planned} ({share})"
        )
    return lines


def plan_mutations(plans: pd.DataFrame) -> pd.DataFrame:
    """Per year the planned change per mutation type (every plan on time, every status).

    Examples
    --------
    >>> plan_mutations(pd.DataFrame({"jaar": [2025, 2025], "mutatie": ["nieuwbouw", "sloop"],
    ...                              "aantal": [10, 4]})).to_dict("records")
    [{'jaar': 2025, 'nieuwbouw': 10, 'sloop': -4}]
    """
    frame = pd.DataFrame(
        {
            "jaar": plans["jaar"].astype("int64"),
            "mutatie": plans["mutatie"].astype(str),
            "netto": signed_counts(plans),
        }
    )
    wide = frame.pivot_table(index="jaar", columns="mutatie", values="netto", aggfunc="sum")
    out = wide.fillna(0).astype("int64").reset_index()
    out.columns.name = None
    return out
