"""Per-year prognosis map (private; to be folded into :mod:`geoprestatie.maps`).

One folium map per year: buurten coloured by the projected permanent stock of all
corporations at the end of that year, tooltips with the stock per corporation and the change
in the year. Every string reaching the HTML is escaped.
"""

from __future__ import annotations

import html
import warnings
from typing import Any

import branca.colormap as cm
import folium
import geopandas as gpd
import pandas as pd

from geoprestatie.errors import DataWarning
from geoprestatie.maps import ATTRIBUTION_CBS, add_attribution, escape_frame, to_web

__all__ = ["prognosis_map"]


def prognosis_map(
    prognosis: pd.DataFrame,
    buurten: gpd.GeoDataFrame,
    *,
    jaar: int,
    title: str | None = None,
    tiles: str | None = "OpenStreetMap",
) -> folium.Map:
    """Map the projected eindstand per buurt in ``jaar``.

    Rows with buurtcode NA (plans without a buurt) and buurtcodes not in ``buurten`` cannot
    be drawn; they are reported with a :class:`DataWarning` (count of dwellings).

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> b = load_buurten("Amersfoort")
    >>> p = pd.DataFrame({"corporatie": ["X"], "buurtcode": ["BU03070100"], "jaar": [2022],
    ...                   "beginstand": [10], "eindstand": [12]})
    >>> "Hof" in prognosis_map(p, b, jaar=2022).get_root().render()
    True
    """
    if "buurtcode" not in prognosis.columns:
        raise ValueError("`prognosis` has no buurtcode column; a map needs a prognosis per buurt")
    year = prognosis[prognosis["jaar"].astype(int) == jaar]
    if year.empty:
        raise ValueError(
            f"`jaar` was {jaar} but the prognosis covers "
            f"{sorted(set(prognosis['jaar'].astype(int)))}"
        )
    codes = year["buurtcode"].astype("string")
    drawable = codes.isin(set(buurten["buurtcode"].astype(str))).fillna(False).astype(bool)
    if not drawable.all():
        lost = year.loc[~drawable]
        warnings.warn(
            f"prognosis map {jaar}: {int(lost['eindstand'].sum())} dwelling(s) in "
            f"{len(lost)} row(s) have no buurtcode or one not in the buurten "
            f"({sorted(set(lost['buurtcode'].astype('string').fillna('<NA>')))[:5]}) and are "
            "not drawn",
            DataWarning,
            stacklevel=2,
        )
    year = year.loc[drawable]
    totals = year.groupby(year["buurtcode"].astype(str))[["beginstand", "eindstand"]].sum()
    totals["verandering"] = totals["eindstand"] - totals["beginstand"]
    per_corp = (
        year.assign(_t=year["corporatie"].astype(str) + ": " + year["eindstand"].astype(str))
        .groupby(year["buurtcode"].astype(str))["_t"]
        .agg(", ".join)
        .rename("per_corporatie")
    )
    frame = buurten[["buurtcode", "buurtnaam", "geometry"]].copy()
    frame["buurtcode"] = frame["buurtcode"].astype(str)
    frame = frame[frame["buurtcode"].isin(totals.index)]
    frame = frame.join(totals, on="buurtcode").join(per_corp, on="buurtcode")
    web = escape_frame(to_web(gpd.GeoDataFrame(frame, geometry="geometry", crs=buurten.crs)))
    web["buurtnaam"] = web["buurtnaam"].fillna("(naamloos)")
    for col in ("beginstand", "eindstand", "verandering"):
        web[col] = web[col].astype("int64")

    vmin, vmax = float(web["eindstand"].min()), float(web["eindstand"].max())
    scale = cm.LinearColormap(
        ["#f7fbff", "#6baed6", "#08306b"], vmin=vmin, vmax=max(vmax, vmin + 1)
    )
    scale.caption = f"Sociale huurvoorraad eind {jaar} (prognose)"
    colours = dict(zip(web["buurtcode"], web["eindstand"].map(scale), strict=True))
    minx, miny, maxx, maxy = web.total_bounds
    m = folium.Map(tiles=tiles, control_scale=True, attr=None)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    folium.GeoJson(
        web.to_json(drop_id=True),
        name=f"Prognose {jaar}",
        style_function=lambda f: {
            "color": "#555555",
            "weight": 1,
            "fillColor": colours.get(f["properties"]["buurtcode"], "#cccccc"),
            "fillOpacity": 0.7,
        },
        highlight_function=lambda _f: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(
            fields=["buurtnaam", "buurtcode", "eindstand", "verandering", "per_corporatie"],
            aliases=["Buurt", "Code", f"Eindstand {jaar}", f"Verandering {jaar}", "Per corporatie"],
            sticky=True,
        ),
    ).add_to(m)
    scale.add_to(m)
    heading = title or f"Prognose sociale huurvoorraad {jaar}"
    root: Any = m.get_root()
    root.html.add_child(
        folium.Element(
            '<div style="position:fixed;top:10px;left:60px;z-index:1000;background:white;'
            'padding:6px 10px;border:1px solid #999;font:600 15px sans-serif">'
            f"{html.escape(heading)}</div>"
        )
    )
    add_attribution(m, ATTRIBUTION_CBS)
    folium.LayerControl(collapsed=False).add_to(m)
    return m
