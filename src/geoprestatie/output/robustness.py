"""SMAA chart: rank acceptability strips for the buurten most often in the top *k*.

One horizontal bar per buurt: its share of draws at rank 1, 2, ..., k (a sequential colour
per rank; they add up to ``kans_top_k``), the rest (outside the top *k*) light grey, and the
rank interval written beside it. Works on the output of :func:`geoprestatie.sia.prioritise`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from geoprestatie._atomic import atomic_path
from geoprestatie.errors import InputError
from geoprestatie.output._fmt import nl_int
from geoprestatie.output.plots import fit_width
from geoprestatie.publication import suppressed_mask

__all__ = ["smaa_png"]

DPI = 200
_OUTSIDE = "#e6e6e6"


def _plain(text: str) -> str:
    return text.replace("$", r"\$")


def _rank_columns(scored: pd.DataFrame) -> list[str]:
    cols = [c for c in scored.columns if str(c).startswith("kans_rang_")]
    return sorted(cols, key=lambda c: int(str(c).removeprefix("kans_rang_")))


def _fit_beside(fig: Figure, ax: mpl.axes.Axes, texts: list[Any]) -> None:
    """Narrow the bars until the texts right of them end inside the figure (a national rank
    interval, "rang 1.020–14.500", ran off the right edge)."""
    if not texts:
        return
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    right = max(t.get_window_extent(renderer).x1 for t in texts)
    over = (right - 0.99 * fig.bbox.width) / fig.bbox.width
    if over > 0:
        x0, y0, w, h = ax.get_position().bounds
        ax.set_position((x0, y0, max(w - over, 0.2), h))


def smaa_png(
    scored: pd.DataFrame,
    *,
    top: int = 20,
    path: str | Path | None = None,
    title: str = "Hoe zeker is de prioriteit?",
    synthetic: bool = False,
) -> Figure:
    """Rank acceptability strips for the ``top`` buurten with the highest ``kans_top_k``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"buurtnaam": ["A", "B", "C"], "sia_rang": [1, 2, 3],
    ...     "kans_top_k": [1.0, 0.6, 0.4], "kans_rang_1": [0.7, 0.3, 0.0],
    ...     "kans_rang_2": [0.3, 0.3, 0.4], "rang_p05": [1, 1, 2], "rang_p95": [2, 3, 3]})
    >>> fig = smaa_png(t)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['A (1)', 'B (2)', 'C (3)']
    """
    ranks = _rank_columns(scored)
    if not ranks or "kans_top_k" not in scored:
        raise InputError(
            "kolommen kans_top_k / kans_rang_1 … ontbreken; verwacht de uitkomst van "
            "sia.prioritise (met [sia.robustness])",
            source="scored",
        )
    k = len(ranks)
    shown = scored[scored["kans_top_k"].notna() & (scored["kans_top_k"] > 0)]
    order = np.lexsort(
        (
            shown["sia_rang"].to_numpy(dtype=float, na_value=np.inf),
            -np.round(shown["kans_top_k"].to_numpy(dtype=float), 2),  # as the labels show it
        )
    )
    shown = shown.iloc[order[:top]]
    n = len(shown)
    fig = Figure(figsize=(8, 1.9 + 0.3 * max(n, 3)), dpi=DPI)
    ax = fig.add_axes((0.3, 0.13 if n > 6 else 0.22, 0.52, 0.72 if n > 6 else 0.55))
    sub = f"Aandeel van de gewichtstrekkingen waarin de buurt rang 1 … {k} heeft"
    head = fig.text(0.03, 0.97, _plain(title), fontsize=14, fontweight="bold", va="top")
    fit_width(head, min_size=10)  # a long project name ran off the right edge
    fig.text(
        0.03,
        0.93 if n > 6 else 0.87,
        sub + (" — synthetische gegevens" if synthetic else ""),
        fontsize=8.5,
        va="top",
        color="#333333",
    )
    colours = mpl.colormaps["viridis"](np.linspace(0.05, 0.9, max(k, 1)))
    y = np.arange(n)[::-1]
    widths = shown[ranks].fillna(0).to_numpy(dtype=float).T  # (rank, buurt)
    ends = np.cumsum(widths, axis=0)  # rank by rank, as the bars are stacked
    lefts = np.vstack([np.zeros((1, n)), ends[:-1]])
    # one call for every segment, rank by rank (an empty one would only draw its white
    # edge over another)
    some = widths > 0
    if some.any():
        ax.barh(
            np.broadcast_to(y, widths.shape)[some],
            widths[some],
            left=lefts[some],
            color=np.repeat(colours, some.sum(axis=1), axis=0),
            edgecolor="white",
            linewidth=0.3,
        )
    left = ends[-1]
    ax.barh(y, 1 - left, left=left, color=_OUTSIDE, edgecolor="white", linewidth=0.3)
    names = shown["buurtnaam"] if "buurtnaam" in shown else shown.get("buurtcode", shown.index)
    labels = [
        _plain(f"{nm} ({nl_int(r)})") if pd.notna(r) else _plain(str(nm))
        for nm, r in zip(names, shown["sia_rang"], strict=True)
    ]
    ax.set_yticks(y, labels, fontsize=7.5)
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0 %", "25 %", "50 %", "75 %", "100 %"], fontsize=7.5)
    beside = []
    for yy, (_, row) in zip(y, shown.iterrows(), strict=True):
        pct = 100 * row["kans_top_k"]
        text = f"top {k}: " + (f"{pct:.0f} %" if pct >= 0.5 else "< 1 %")
        if "rang_p05" in row and pd.notna(row["rang_p05"]):
            text += f"  rang {nl_int(row['rang_p05'])}–{nl_int(row['rang_p95'])}"
        beside.append(
            ax.text(1.02, yy, text, va="center", fontsize=7, transform=ax.get_yaxis_transform())
        )
    _fit_beside(fig, ax, beside)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [Patch(facecolor=colours[0], label="rang 1")]
    if k > 1:
        handles.append(Patch(facecolor=colours[-1], label=f"rang {k}"))
    handles.append(Patch(facecolor=_OUTSIDE, label=f"buiten de top {k}"))
    fig.legend(handles=handles, loc="lower left", ncol=3, fontsize=7.5, frameon=False)
    if n == 0:  # in the axes' own coordinates: an empty chart has no data range to put it in
        ax.set_axis_off()
        fig.legends.clear()
        ax.text(
            0.5,
            0.5,
            "Geen buurt om te tonen: de kansen zijn niet getoond (privacy)"
            if suppressed_mask(scored).get("kans_top_k", pd.Series(dtype=bool)).any()
            else "Geen buurt met een SIA-score: er is geen rangorde om te toetsen",
            ha="center",
            va="center",
            fontsize=10,
            transform=ax.transAxes,
        )
    if path is not None:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png", dpi=DPI, facecolor="white")
    return fig
