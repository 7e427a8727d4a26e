"""Interactive folium maps (EPSG:4326 for the web, made from EPSG:28992 frames).

Every string that reaches the HTML is escaped here; geometries are simplified as a
coverage (shared borders stay shared) and coordinates rounded, to keep maps small.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, TypeVar

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

__all__ = [
    "ATTRIBUTION_CBS",
    "ATTRIBUTION_LEEFBAAROMETER",
    "ATTRIBUTION_SYNTHETIC",
    "SCHEMES",
    "add_attribution",
    "buurten_map",
    "classify",
    "criterion_label",
    "escape_frame",
    "palette",
    "prognose_map",
    "prognosis_totals",
    "sia_map",
    "to_web",
]

ATTRIBUTION_CBS = "Bron: CBS, Kadaster (wijk- en buurtindeling, gegeneraliseerd)"
ATTRIBUTION_LEEFBAAROMETER = "Leefbaarometer 3.0 (BZK)"
ATTRIBUTION_SYNTHETIC = "Corporatiegegevens: synthetisch (gegenereerd, geen echte woningen)"


def to_web(
    gdf: gpd.GeoDataFrame, *, simplify_m: float = 5.0, decimals: int = 5
) -> gpd.GeoDataFrame:
    """Simplify as a coverage in metres, reproject to EPSG:4326 and round coordinates.

    Shared borders between neighbouring polygons stay shared
    (:func:`shapely.coverage_simplify`); ``decimals=5`` is about 1 m.

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> web = to_web(load_buurten("Enschede"))
    >>> web.crs.to_epsg(), len(web)
    (4326, 70)
    """
    out = gdf.copy()
    if out.crs is None:
        raise ValueError("`gdf` has no CRS; expected a frame in EPSG:28992")
    if simplify_m > 0:
        if out.crs.to_epsg() != 28992:
            out = out.to_crs(28992)
        geoms = out.geometry.to_numpy()
        simplified = shapely.coverage_simplify(geoms, simplify_m)
        # a sliver may vanish under simplification: keep its original then
        gone = shapely.is_empty(simplified) | ~shapely.is_valid(simplified)
        simplified[gone] = geoms[gone]
        out = out.set_geometry(gpd.GeoSeries(simplified, index=out.index, crs=out.crs))
    out = out.to_crs(4326)
    out = out.set_geometry(
        gpd.GeoSeries(
            shapely.set_precision(out.geometry.to_numpy(), 10**-decimals), index=out.index, crs=4326
        )
    )
    return out


FrameT = TypeVar("FrameT", bound=pd.DataFrame)


def escape_frame(df: FrameT, columns: Sequence[str] | None = None) -> FrameT:
    """Return a copy with every string value in ``columns`` (default: all) HTML-escaped.

    Examples
    --------
    >>> escape_frame(pd.DataFrame({"naam": ["<b>x</b>"]}))["naam"].iloc[0]
    '&lt;b&gt;x&lt;/b&gt;'
    """
    out = df.copy()
    for col in columns if columns is not None else list(out.columns):
        if col == "geometry" or col not in out.columns:
            continue
        series = out[col]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            out[col] = series.map(lambda v: html.escape(v) if isinstance(v, str) else v)
    return out


def buurten_map(
    buurten: gpd.GeoDataFrame, *, title: str | None = None, tiles: str | None = "OpenStreetMap"
) -> folium.Map:
    """Interactive map of buurten: tooltips with buurtnaam and code, municipality outlines.

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> m = buurten_map(load_buurten("Enschede"))
    >>> "De Laares" in m.get_root().render()
    True
    """
    web = to_web(buurten)
    cols = [c for c in ("buurtnaam", "buurtcode", "wijkcode", "gemeentenaam") if c in web]
    web = escape_frame(web[[*cols, "geometry"]])
    web["buurtnaam"] = web["buurtnaam"].fillna("(naamloos)")
    minx, miny, maxx, maxy = web.total_bounds
    m = folium.Map(tiles=tiles, control_scale=True, attr=None)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    folium.GeoJson(
        web.to_json(drop_id=True),
        name="Buurten",
        style_function=lambda _f: {
            "color": "#3b4cc0",
            "weight": 1,
            "fillColor": "#8da0cb",
            "fillOpacity": 0.25,
        },
        highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.5},
        tooltip=folium.GeoJsonTooltip(
            fields=cols,
            aliases=[
                {
                    "buurtnaam": "Buurt",
                    "buurtcode": "Code",
                    "wijkcode": "Wijk",
                    "gemeentenaam": "Gemeente",
                }[c]
                for c in cols
            ],
            sticky=True,
        ),
    ).add_to(m)
    if "gemeentecode" in buurten:
        outline = buurten.dissolve(by="gemeentecode", as_index=False)[["gemeentecode", "geometry"]]
        folium.GeoJson(
            to_web(outline, simplify_m=0).to_json(drop_id=True),
            name="Gemeentegrens",
            style_function=lambda _f: {"color": "#222222", "weight": 3, "fill": False},
            interactive=False,
        ).add_to(m)
    heading = title or "Buurten"
    root: Any = m.get_root()
    root.html.add_child(
        folium.Element(
            '<div style="position:fixed;top:10px;left:60px;z-index:1000;background:white;'
            'padding:6px 10px;border:1px solid #999;font:600 15px sans-serif">'
            f"{html.escape(heading)}<br><span style='font:400 11px sans-serif'>"
            f"{html.escape(ATTRIBUTION_CBS)}</span></div>"
        )
    )
    add_attribution(m, ATTRIBUTION_CBS)
    folium.LayerControl(collapsed=False).add_to(m)
    return m


class _Attribution(MacroElement):
    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, text: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Attribution"
        self.text = html.escape(text)


def add_attribution(m: folium.Map, text: str) -> folium.Map:
    """Add an (escaped) source line to the map's attribution control."""
    _Attribution(text).add_to(m)
    return m
