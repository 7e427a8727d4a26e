"""Charts of adaptive programming (matplotlib, PNG): need against plans, change by type.

* :func:`fan_chart`: per segment the cumulative need against the cumulative plans, the
  simulated band p10-p90 shaded, p50 and "every plan on time" as lines;
* :func:`mutation_chart`: the change per year, stacked by mutation type (additions up,
  removals down), net figures (``saldo``) as their own colour;
The map with a year slider is :func:`geoprestatie.output.programme_map.programme_map`.

Dutch labels; synthetic data say *synthetisch* in the source line.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from geoprestatie._atomic import atomic_path
from geoprestatie.errors import InputError
from geoprestatie.output._fmt import nl_int
from geoprestatie.prognosis import MUTATION_TYPES
from geoprestatie.programme import ProgrammeResult, plan_mutations
from geoprestatie.segments import SEGMENT_LABELS, SEGMENTS

__all__ = ["SYNTHETIC_PLANS", "fan_chart", "mutation_chart", "programme_pngs"]

DPI = 150
#: colour-blind-safe (Okabe-Ito) colours per mutation type
MUTATION_COLOURS: dict[str, str] = {
    "nieuwbouw": "#0072B2",
    "transformatie": "#56B4E9",
    "aankoop": "#009E73",
    "deliberalisatie": "#F0E442",
    "splitsing": "#999999",
    "sloop": "#D55E00",
    "verkoop": "#E69F00",
    "liberalisatie": "#CC79A7",
    "samenvoeging": "#666666",
    "saldo": "#000000",
}
SYNTHETIC_NOTE = "gegevens synthetisch (verzonnen plannen en behoefte, geen beleid)"
#: source line of maps of the synthetic demo programme
SYNTHETIC_PLANS = "Plannen, behoefte en realisaties: synthetisch (verzonnen, geen beleid)"


def _save(fig: Figure, path: str | Path | None) -> Figure:
    if path is not None:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png", dpi=DPI, facecolor="white")
    return fig


def _footer(fig: Figure, sources: Sequence[str], synthetic: bool) -> None:
    parts = [*sources, *([SYNTHETIC_NOTE] if synthetic else [])]
    if parts:
        fig.set_layout_engine("constrained", rect=(0, 0.035, 1, 0.965))
        fig.text(0.01, 0.008, "; ".join(parts), fontsize=7, color="#333333")


def fan_chart(
    gap: pd.DataFrame,
    *,
    path: str | Path | None = None,
    title: str = "Behoefte en plannen per segment (cumulatief)",
    synthetic: bool = False,
    sources: Sequence[str] = (),
    percentielen: Sequence[int] = (10, 50, 90),
) -> Figure:
    """One panel per segment with a need: cumulative need, plans (on time), p50 and the band.

    ``gap`` is :func:`geoprestatie.need.need_gap` (gemeente level: one row per segment and
    year; with an area column the areas are summed for the need and the on-time plans, and
    the band is not drawn: percentiles do not add up).

    Examples
    --------
    >>> gap = pd.DataFrame({"segment": ["koop"] * 2, "jaar": [2025, 2026],
    ...     "behoefte_cumulatief": [10.0, 20.0], "aanbod_cumulatief": [12, 18],
    ...     "aanbod_cumulatief_p10": [5, 9], "aanbod_cumulatief_p50": [8, 14],
    ...     "aanbod_cumulatief_p90": [12, 18]})
    >>> len(fan_chart(gap).axes)
    1
    """
    lo, mid, hi = (f"aanbod_cumulatief_p{p}" for p in percentielen)
    missing = [c for c in ("segment", "jaar", "behoefte_cumulatief", lo, mid, hi) if c not in gap]
    if missing:
        raise InputError(f"the gap table lacks {missing}; use need.need_gap", source="behoefte")
    areas = [c for c in ("buurtcode", "wijkcode") if c in gap.columns]
    data = gap[gap["behoefte_cumulatief"].notna()]
    if areas:
        data = data.groupby(["segment", "jaar"], as_index=False)[
            ["behoefte_cumulatief", "aanbod_cumulatief"]
        ].sum()
    found = list(dict.fromkeys(data["segment"].astype(str)))
    order = {s: i for i, s in enumerate(SEGMENTS)}  # sociale huur first, koop duur last
    segments = sorted(found, key=lambda s: (order.get(s, len(order)), s))
    cols = min(3, max(1, len(segments)))
    rows = int(np.ceil(len(segments) / cols)) if segments else 1
    fig = Figure(figsize=(4.2 * cols, 3.2 * rows + 0.9), dpi=DPI, layout="constrained")
    fig.suptitle(title, fontsize=13, fontweight="bold")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, segment in zip(axes, segments, strict=False):
        part = data[data["segment"].astype(str) == segment].sort_values("jaar")
        years = part["jaar"].astype(int).to_numpy()
        if not areas:
            ax.fill_between(
                years,
                part[lo],
                part[hi],
                color="#9ecae1",
                alpha=0.7,
                label=f"plannen p{percentielen[0]}–p{percentielen[2]}",
            )
            ax.plot(years, part[mid], color="#08519c", lw=2, label=f"plannen p{percentielen[1]}")
        ax.plot(
            years,
            part["aanbod_cumulatief"],
            color="#08519c",
            lw=1,
            ls=":",
            label="plannen, alles op tijd",
        )
        ax.plot(years, part["behoefte_cumulatief"], color="#d94801", lw=2.2, label="behoefte")
        ax.set_title(SEGMENT_LABELS.get(segment, segment), fontsize=10)
        ax.yaxis.set_major_formatter(lambda v, _pos: nl_int(v))
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
    for ax in axes[len(segments) :]:
        ax.set_axis_off()
    if segments:
        handles, labels = axes[0].get_legend_handles_labels()
        # right: the footer (synthetic data) starts left on the same bottom line (an
        # outside legend keeps to the figure's edge, not to the footer's layout band)
        fig.legend(handles, labels, loc="outside lower right", ncols=4, fontsize=8, frameon=False)
    _footer(fig, sources, synthetic)
    return _save(fig, path)


def mutation_chart(
    prognosis: pd.DataFrame,
    *,
    path: str | Path | None = None,
    title: str = "Verandering per jaar naar mutatietype",
    synthetic: bool = False,
    sources: Sequence[str] = (),
) -> Figure:
    """Stacked bars per year: additions above zero, removals below, ``saldo`` apart; the net
    change as a line. ``prognosis`` is :func:`geoprestatie.prognosis.project` (summed here).

    Examples
    --------
    >>> p = pd.DataFrame({"jaar": [2025, 2026], "nieuwbouw": [10, 5], "sloop": [0, -3],
    ...                   "saldo": [0, -2]})
    >>> len(mutation_chart(p).axes[0].patches)  # two bars (up, down) per type and year
    12
    """
    present = [m for m in MUTATION_TYPES if m in prognosis.columns]
    if not present:
        raise InputError("de prognose heeft geen mutatiekolommen", source="prognose")
    per = prognosis.groupby("jaar")[present].sum().astype("float64")
    per = per.loc[:, per.abs().sum() > 0]  # only the types that occur
    present = list(per.columns)
    years = per.index.astype(int).to_numpy()
    fig = Figure(figsize=(8, 4.8), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    fig.suptitle(title, fontsize=13, fontweight="bold")
    up = np.zeros(len(per))
    down = np.zeros(len(per))
    for m in present:
        values = per[m].to_numpy()
        pos, neg = np.clip(values, 0, None), np.clip(values, None, 0)
        label = "saldo (netto opgegeven)" if m == "saldo" else m
        ax.bar(
            years,
            pos,
            bottom=up,
            color=MUTATION_COLOURS[m],
            label=label,
            hatch="//" if m == "saldo" else None,
            edgecolor="white",
            linewidth=0.4,
        )
        ax.bar(
            years,
            neg,
            bottom=down,
            color=MUTATION_COLOURS[m],
            hatch="//" if m == "saldo" else None,
            edgecolor="white",
            linewidth=0.4,
        )
        up, down = up + pos, down + neg
    ax.plot(
        years,
        per.sum(axis=1).to_numpy(),
        color="black",
        marker="o",
        lw=1.5,
        label="netto verandering",
    )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(years)
    ax.yaxis.set_major_formatter(lambda v, _pos: nl_int(v))
    ax.set_ylabel("woningen")
    ax.grid(axis="y", alpha=0.3)
    # room above the highest bar for the legend, below the lowest for the removals
    top, bottom = float(max(up.max(), 0)), float(min(down.min(), 0))
    span = max(top - bottom, 1.0)
    ax.set_ylim(bottom - 0.08 * span, top + 0.3 * span)
    ax.legend(fontsize=8, ncols=3, loc="upper left", frameon=False)
    _footer(fig, sources, synthetic)
    return _save(fig, path)


def programme_pngs(
    adaptive: ProgrammeResult, folder: Path, *, synthetic: bool = False
) -> dict[str, Path]:
    """Write ``behoefte.png`` (fan chart) and ``mutaties.png`` (change per mutation type of
    the whole stock, or of the corporation prognosis); return them by report title."""
    out: dict[str, Path] = {}
    if adaptive.gap is not None and len(adaptive.gap):
        out["Behoefte en plannen per segment"] = folder / "behoefte.png"
        fan_chart(adaptive.gap, path=out["Behoefte en plannen per segment"], synthetic=synthetic)
    source = plan_mutations(adaptive.plans) if adaptive.plans is not None else adaptive.prognosis
    what = "alle partijen" if adaptive.plans is not None else "corporaties"
    out["Verandering per mutatietype"] = folder / "mutaties.png"
    mutation_chart(
        source,
        path=out["Verandering per mutatietype"],
        title=f"Verandering per jaar naar mutatietype ({what})",
        synthetic=synthetic,
    )
    return out
