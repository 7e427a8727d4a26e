"""The stoplight report of the agreements monitor: statuses per theme and per party, with
the trend against the previous monitor, and a map of the rules that judge each buurt.

The counts are plain tables (:func:`stoplight_counts`) for the CSV/XLSX outputs; the HTML
fragment (:func:`stoplight_html`) goes on top of the monitor page; :func:`monitor_map`
colours each buurt by the status of every rule with ``per = "buurtcode"``.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd

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
        parts.append(f"<td>{html.escape(text)}</td>")
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
            f"<tr><td>{html.escape(str(r[by]))}</td>{_cells(r, trend)}</tr>"
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
) -> folium.Map | None:
    """A map with one layer per rule judged per buurt (``per = "buurtcode"``), or ``None``.

    Each buurt is coloured by its status (groen, oranje, rood, onbekend; grey also says
    *onbekend*, never green); the tooltip gives the buurt, the status and the measurement.
    """
    if groups.empty or "buurtcode" not in groups.columns:
        return None
    per_buurt = groups[groups["buurtcode"].notna()]
    if per_buurt.empty:
        return None
    web = buurten[["buurtcode", "buurtnaam", "geometry"]].to_crs(4326)
    minx, miny, maxx, maxy = web.total_bounds
    m = folium.Map(tiles="OpenStreetMap", control_scale=True)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    for n, (ident, rows) in enumerate(per_buurt.groupby("afspraak_id", sort=False)):
        frame = web.merge(
            rows[["buurtcode", "status", "gemeten"]].astype({"buurtcode": str}),
            on="buurtcode",
            how="inner",
        )
        frame["afspraak"] = html.escape(f"{ident}: {(texts or {}).get(str(ident), '')}")
        for col in ("buurtnaam", "gemeten"):
            frame[col] = frame[col].astype("string").fillna("-").map(html.escape)
        folium.GeoJson(
            frame.to_json(drop_id=True),
            name=html.escape(f"Afspraak {ident}"),
            show=n == 0,
            style_function=lambda f: {
                "fillColor": _COLOURS.get(f["properties"]["status"], "#9e9e9e"),
                "color": "#444",
                "weight": 0.6,
                "fillOpacity": 0.7,
            },
            tooltip=folium.GeoJsonTooltip(
                ["afspraak", "buurtnaam", "status", "gemeten"],
                aliases=["Afspraak", "Buurt", "Status", "Gemeten"],
            ),
        ).add_to(m)
    legend = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;background:{c};'
        f'margin-right:4px"></span>{s}</div>'
        for s, c in _COLOURS.items()
    )
    synth = "<div><b>Synthetische gegevens</b></div>" if synthetic else ""
    box = (
        '<div style="position:fixed;bottom:20px;left:20px;z-index:9999;background:#fff;'
        f'padding:6px 8px;border:1px solid #999;font:12px Arial"><b>{html.escape(title)}</b>'
        f"{synth}{legend}</div>"
    )
    root = m.get_root()
    root.html.add_child(folium.Element(box))  # type: ignore[attr-defined]
    folium.LayerControl(collapsed=False).add_to(m)
    return m
