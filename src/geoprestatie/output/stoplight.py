"""The stoplight report of the agreements monitor: statuses per theme and per party, with
the trend against the previous monitor, and a map of the rules that judge each buurt.

The counts are plain tables (:func:`stoplight_counts`) for the CSV/XLSX outputs; the HTML
fragment (:func:`stoplight_html`) goes on top of the monitor page; :func:`monitor_map`
colours each buurt by the status of every rule with ``per = "buurtcode"``.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from geoprestatie.output import _webmap as _wm
from geoprestatie.output import maps
from geoprestatie.output.html import escape
from geoprestatie.publication import SUPPRESSED_LABEL, suppressed_mask, suppressed_note

__all__ = ["STATUS_ORDER", "monitor_map", "stoplight_counts", "stoplight_html"]

#: statuses in the order of the report
STATUS_ORDER: tuple[str, ...] = ("groen", "oranje", "rood", "onbekend")
_COLOURS = {"groen": "#1a9850", "oranje": "#f39c12", "rood": "#c0392b", "onbekend": "#9e9e9e"}
_TRENDS = ("beter", "gelijk", "slechter", "nieuw", "onbekend")


def stoplight_counts(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """The number of agreements per status (and per trend, if known) for each ``by`` value.

    Examples
    --------
    >>> t = pd.DataFrame({"thema": ["A", "A", "B"], "status": ["groen", "rood", "rood"]})
    >>> stoplight_counts(t, "thema").to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'thema': 'A', 'groen': 1, 'oranje': 0, 'rood': 1, 'onbekend': 0, 'totaal': 2},
     {'thema': 'B', 'groen': 0, 'oranje': 0, 'rood': 1, 'onbekend': 0, 'totaal': 1}]
    """
    if by not in table.columns:
        keys = pd.Series(["(geen)"] * len(table), index=table.index)
    else:
        keys = table[by].astype("string").fillna("(geen)").replace("", "(geen)")
    counts = pd.crosstab(keys, table["status"]).reindex(columns=list(STATUS_ORDER), fill_value=0)
    if "trend" in table.columns:
        trends = pd.crosstab(keys, table["trend"]).reindex(columns=list(_TRENDS), fill_value=0)
        counts = counts.join(trends.add_prefix("trend_"))
    counts["totaal"] = counts[list(STATUS_ORDER)].sum(axis=1)
    counts.index.name = by
    counts.columns.name = None
    out = counts.reset_index()
    return out.astype({c: "int64" for c in out.columns if c != by})


def _cells(row: pd.Series, trend: bool) -> str:
    parts = []
    for status in STATUS_ORDER:
        n = int(row[status])
        style = f' style="background:{_COLOURS[status]};color:#fff"' if n else ""
        parts.append(f'<td class="num"{style}>{n}</td>')
    if trend:
        text = ", ".join(f"{int(row[f'trend_{t}'])} {t}" for t in _TRENDS if int(row[f"trend_{t}"]))
        parts.append(f"<td>{escape(text)}</td>")
    return "".join(parts)


def stoplight_html(table: pd.DataFrame) -> str:
    """Two small tables: the statuses per theme and per party (escaped HTML fragment).

    Examples
    --------
    >>> t = pd.DataFrame({"thema": ["<b>"], "partij": ["p"], "status": ["groen"]})
    >>> "&lt;b&gt;" in stoplight_html(t)
    True
    """
    trend = "trend" in table.columns
    parts = ["<h3>Stoplicht per thema en per partij</h3>"]
    if trend:
        parts.append(
            '<p class="note">Trend: de status vergeleken met die in de vorige monitor.</p>'
        )
    for by, label in (("thema", "Thema"), ("partij", "Partij")):
        counts = stoplight_counts(table, by)
        head = "".join(f"<th>{s}</th>" for s in STATUS_ORDER) + ("<th>trend</th>" if trend else "")
        rows = "".join(
            f"<tr><td>{escape(str(r[by]))}</td>{_cells(r, trend)}</tr>"
            for _, r in counts.iterrows()
        )
        parts.append(
            f"<table><thead><tr><th>{label}</th>{head}</tr></thead><tbody>{rows}</tbody></table>"
        )
    return "".join(parts)


def monitor_map(
    groups: pd.DataFrame,
    buurten: gpd.GeoDataFrame,
    *,
    texts: dict[str, str] | None = None,
    synthetic: bool = False,
    title: str = "Afspraken per buurt",
    cdn: bool = False,
) -> folium.Map | None:
    """A map of the rules judged per buurt (``per = "buurtcode"``), one view per rule, or
    ``None`` when no rule is judged per buurt.

    Each buurt is coloured by its status (groen, oranje, rood, onbekend; grey also says
    *onbekend*, never green); the tooltip gives the buurt, the status and the measurement.
    The buurten are drawn once (:mod:`geoprestatie.output._webmap`), offline.
    """
    if groups.empty or "buurtcode" not in groups.columns:
        return None
    # what the publication policy hid (a small buurt's measurement) shows as its label
    mask = suppressed_mask(groups)
    hidden = mask["gemeten"] if "gemeten" in groups else False
    # a status hidden (it would bracket a small count): the label, no colour
    status_hidden = mask.get("status", False)
    groups = groups.assign(_verborgen=hidden, _status_verborgen=status_hidden)
    per_buurt = groups[groups["buurtcode"].notna()].astype({"buurtcode": str})
    if per_buurt.empty:
        return None
    drawn = buurten[buurten["buurtcode"].astype(str).isin(set(per_buurt["buurtcode"]))]
    web, context = maps.web_frames(drawn, None)
    codes = drawn["buurtcode"].astype(str)
    cols: dict[str, list[Any]] = {
        "naam": [str(v) for v in drawn["buurtnaam"].fillna("")],
        "code": codes.tolist(),
    }
    labels = {"naam": "Buurt", "code": "Code"}
    statuses = list(_COLOURS)
    rows = [(f"background:{c}", s) for s, c in _COLOURS.items()]
    note = suppressed_note(groups[["gemeten"]]) if "gemeten" in groups else None
    if note:
        rows.append(("background:#ffffff", note))
    views = []
    for n, (ident, judged) in enumerate(per_buurt.groupby("afspraak_id", sort=False)):
        r = judged.drop_duplicates("buurtcode").set_index("buurtcode").reindex(codes)
        text = f"{ident}: {(texts or {}).get(str(ident), '')}"
        cols[f"status_{n}"] = [
            SUPPRESSED_LABEL if h is True else (str(v) if isinstance(v, str) else "–")
            for v, h in zip(r["status"], r["_status_verborgen"], strict=True)
        ]
        cols[f"gemeten_{n}"] = [
            SUPPRESSED_LABEL if h is True else (str(v) if isinstance(v, str) else "–")
            for v, h in zip(r["gemeten"], r["_verborgen"], strict=True)
        ]
        labels |= {f"status_{n}": "Status", f"gemeten_{n}": "Gemeten"}
        views.append(
            _wm.View(
                f"Afspraak {ident}",
                [
                    statuses.index(v) if isinstance(v, str) and v in statuses else -1
                    for v in r["status"]
                ],
                list(_COLOURS.values()),
                f"Afspraak {ident}",
                rows,
                ["naam", "code", f"status_{n}", f"gemeten_{n}"],
                legend_note=text,
            )
        )
    return _wm.make_map(
        web,
        cols=cols,
        labels=labels,
        views=views,
        title=title,
        subtitle="Kies de afspraak rechtsboven" if len(views) > 1 else None,
        synthetic=synthetic,
        sources=[maps.ATTRIBUTION_CBS],
        overlays=context,
        cdn=cdn,
    )
