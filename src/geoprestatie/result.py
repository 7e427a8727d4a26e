"""The result of one run: every stage's output in one object (:class:`RunResult`).

This module sits between the stages and the rest: it imports stage modules only, never
:mod:`geoprestatie.pipeline` (which builds a :class:`RunResult`) nor
:mod:`geoprestatie.output` (which renders one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geoprestatie import agreements, dia, join, sia
from geoprestatie.completeness import SiaCompleteness, sia_completeness
from geoprestatie.config import EMBEDDED, RunConfig
from geoprestatie.programme import ProgrammeResult

__all__ = ["RunResult"]


@dataclass(repr=False)
class RunResult:
    """Everything one run produced, for notebooks and for the output writers.

    In Jupyter it shows as a short summary table (``display``); ``repr`` is one
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
    programme: ProgrammeResult | None = None
    monitor: agreements.MonitorResult | None = None
    notes: list[str] = field(default_factory=list)
    sia_volledigheid: SiaCompleteness | None = None
    display: Callable[[RunResult], str] | None = field(default=None, compare=False)

    @property
    def table(self) -> gpd.GeoDataFrame:
        """The buurt table (one row per buurt) with the joined indicators."""
        return self.joined.table

    @property
    def completeness(self) -> SiaCompleteness:
        """Which SIA criteria were skipped and their share of the weight
        (:mod:`geoprestatie.completeness`)."""
        if self.sia_volledigheid is not None:
            return self.sia_volledigheid
        return sia_completeness(self.prioritised, self.sia_config)

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
        if not self.completeness.complete:
            parts.append(f"sia_onvolledig={round(100 * (1 - self.completeness.present))}%")
        if self.config.synthetic:
            parts.append("synthetisch")
        return f"RunResult({', '.join(parts)})"

    def _repr_html_(self) -> str | None:
        """A short summary for Jupyter: top buurten, DIAs, traffic lights (a few kB).

        Rendered by :attr:`display` (set by :func:`geoprestatie.pipeline.run` to
        :func:`geoprestatie.output.summary.summary_html`; this module never imports the
        output layer). Without it Jupyter falls back to the one-line ``repr``. Not a map:
        a folium map of one municipality is ~0.7 MB of HTML, too heavy for a repr that
        Jupyter also stores in the notebook; the maps are one call away:
        ``gp.maps.sia_map(result)``, ``gp.maps.prognose_map(result)``.
        """
        return self.display(self) if self.display is not None else None


#: CBS columns of the embedded indicators (any of them filled: the source was used).
_EMBEDDED_CBS = (
    "inwoners",
    "woningvoorraad",
    "woz_gemiddeld",
    "aandeel_koop",
    "sociaaleconomische_score",
)


def _filled(table: pd.DataFrame, columns: Sequence[object]) -> bool:
    """Whether any of ``columns`` has a value in some buurt."""
    return any(c in table.columns and bool(table[c].notna().any()) for c in columns)


def _sources_frame(result: RunResult) -> pd.DataFrame:
    rows = [("Buurtgrenzen", "CBS, Kadaster: wijk- en buurtindeling (gegeneraliseerd)")]
    bronnen = result.config.section("bronnen")
    synth = result.config.synthetic
    if bronnen.get("indicatoren") in EMBEDDED:  # only what this run's buurten got from it
        table = result.joined.table
        used = []
        if _filled(table, [c for c in table.columns if str(c).startswith("leefbaarometer_")]):
            used.append("Leefbaarometer 3.0 (BZK)")
        if _filled(table, _EMBEDDED_CBS):
            used.append("CBS kerncijfers ~2020")
        if used:
            rows.append(("Ingebouwde indicatoren", "; ".join(used)))
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
