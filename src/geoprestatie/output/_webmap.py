"""The web map engine behind :mod:`geoprestatie.output.maps`.

A map is a folium :class:`~folium.Map` (so it shows inline in Jupyter and saves as one
HTML file) holding one *spec*: the buurt polygons once, as quantised delta-encoded
coordinates, with columns of tooltip texts and one fill-class array per *view* (the SIA
score, each criterion, each prognosis year). The page's script (``assets/gpmap.js``)
draws the polygons once on a canvas and restyles them when the user picks another view;
outlines of gemeenten and wijken with their names give context without background
tiles. Leaflet and the script are inlined (``html.leaflet_assets``), so the page needs
no network; the OpenStreetMap background is an overlay the user may switch on.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement

from geoprestatie.output import _topology as _topo
from geoprestatie.output.html import Markup, asset_text, leaflet_assets, template

__all__ = [
    "SCALE",
    "Overlay",
    "View",
    "context_overlays",
    "encode",
    "make_map",
    "web_tolerance",
    "web_topology",
]

#: Coordinates are integers in 1/SCALE degree (1e-5 degree: about 1.1 m north-south,
#: 0.7 m east-west in the Netherlands).
SCALE = 100_000
TILES = {
    "name": "Achtergrondkaart OpenStreetMap (alleen online)",
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": "© OpenStreetMap-bijdragers",
}


@dataclass(frozen=True)
class View:
    """One way to colour the buurten: a class index per buurt (-1: hollow) into ``colours``."""

    name: str
    fill: Sequence[int]
    colours: Sequence[str]
    legend_title: str
    legend_rows: Sequence[tuple[str, str]]
    tooltip: Sequence[str]
    legend_note: str | None = None
    opacity: float = 0.8

    def to_json(self) -> dict[str, Any]:
        legend: dict[str, Any] = {"title": self.legend_title, "rows": list(self.legend_rows)}
        if self.legend_note:
            legend["note"] = self.legend_note
        return {
            "name": self.name,
            "fill": [int(i) for i in self.fill],
            "colours": list(self.colours),
            "legend": legend,
            "tooltip": list(self.tooltip),
            "opacity": self.opacity,
        }


@dataclass(frozen=True)
class Overlay:
    """Extra shapes: DIA outlines with their own geometry, or borders of the buurten.

    ``kind`` is ``"polygon"`` or ``"line"`` with a ``geometry`` (EPSG:4326), or
    ``"border"`` with a ``key`` per buurt of the map: the borders between buurten with a
    different key (and to the outside), drawn from the buurten's own shared borders.
    """

    name: str
    geometry: gpd.GeoSeries | None  # EPSG:4326; None for a border
    kind: str  # "polygon", "line" or "border"
    style: dict[str, Any]
    show: bool = True
    labels: pd.DataFrame | None = None  # lat, lon, text
    label_class: str = ""
    min_zoom: int = 0  # labels from this zoom on
    line_min_zoom: int = 0  # the shapes themselves from this zoom on
    tooltip: dict[str, Any] | None = None  # keys, cols, labels
    key: Sequence[Any] | None = None  # per buurt, for a border

    def to_json(self, origin: tuple[int, int], topology: _topo.Topology) -> dict[str, Any]:
        if self.kind == "border":
            geom: list[Any] = _topo.borders(topology, self.key or []).tolist()
        else:
            assert self.geometry is not None, f"overlay {self.name!r} has no geometry"
            geom = encode(self.geometry, origin)
        out: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "geom": geom,
            "style": self.style,
            "show": self.show,
            "label_class": self.label_class,
            "min_zoom": self.min_zoom,
            "line_min_zoom": self.line_min_zoom,
        }
        if self.labels is not None and len(self.labels):
            out["labels"] = [
                [round(float(a), 5), round(float(b), 5), str(t)]
                for a, b, t in self.labels[["lat", "lon", "text"]].itertuples(index=False)
            ]
        if self.tooltip is not None:
            out["tooltip"] = self.tooltip
        return out


class _Raw(Element):  # type: ignore[misc]
    """Text put into the page as it is.

    branca's :class:`~branca.element.Element` parses its text as a jinja2 template, and
    :class:`~branca.element.MacroElement` wraps what its macros render in such an
    ``Element``: data in it (``{{ ... }}`` in a buurt name) would be evaluated as template
    code. Everything this module adds to a page goes in through ``_Raw`` instead.
    """

    def __init__(self, text: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


class _Spec(MacroElement):  # type: ignore[misc]
    """The map's spec as JSON, handed to ``gpMap`` (assets/gpmap.js) after the map is made."""

    _template = template(
        "{% macro script(this, kwargs) %}"
        "gpMap({{ this._parent.get_name() }}, {{ this.spec|json_script }});"
        "{% endmacro %}"
    )

    def __init__(self, spec: dict[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "GpMap"
        self.spec = spec

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Add the script to the page once, as text (see :class:`_Raw`)."""
        script = self._template.module.__dict__["script"]
        root: Any = self.get_root()
        root.script.add_child(_Raw(script(self, kwargs)), name=self.get_name())


def web_tolerance(gdf: gpd.GeoDataFrame) -> float:
    """A coverage simplification tolerance in metres that suits the map's extent.

    5 m for a gemeente, 20–30 m for a province, 80 m for the whole country: a national
    map of 14,000 buurten stays well under 10 MB and draws fast (at a national zoom a
    pixel is some 500 m; zoomed in to a city, 80 m is a few pixels).
    """
    minx, miny, maxx, maxy = gdf.to_crs(28992).total_bounds if len(gdf) else (0, 0, 0, 0)
    extent = max(maxx - minx, maxy - miny)
    return float(np.clip(extent / 2_500, 5.0, 80.0))


def _rings(geom: Any, kind: str) -> list[np.ndarray]:
    if kind == "line":
        return [np.asarray(g.coords) for g in shapely.get_parts(geom) if not g.is_empty]
    parts = []
    for poly in shapely.get_parts(geom):
        if poly.is_empty:
            continue
        parts.append(
            [np.asarray(poly.exterior.coords)] + [np.asarray(r.coords) for r in poly.interiors]
        )
    return parts  # type: ignore[return-value]


def _delta(coords: np.ndarray, origin: tuple[int, int]) -> list[int]:
    q = np.rint(coords[:, :2] * SCALE).astype(np.int64) - np.asarray(origin, dtype=np.int64)
    keep = np.ones(len(q), dtype=bool)
    keep[1:] = np.any(q[1:] != q[:-1], axis=1)  # points that quantise onto the previous one
    q = q[keep]
    d = np.vstack([q[:1], np.diff(q, axis=0)])
    return [int(v) for v in d.ravel()]


def _delta_arcs(arcs: Sequence[np.ndarray], origin: tuple[int, int]) -> list[list[int]]:
    """Arcs of integer coordinates as ``[x0, y0, dx1, dy1, ...]``, the first point relative
    to ``origin``."""
    if not len(arcs):
        return []
    sizes = np.array([len(a) for a in arcs])
    flat = np.concatenate(arcs)
    d = np.diff(flat, axis=0, prepend=flat[:1])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    d[starts] = flat[starts] - np.asarray(origin, dtype=np.int64)
    values = d.ravel().tolist()
    bounds = np.r_[starts, len(flat)] * 2
    return [values[a:b] for a, b in itertools.pairwise(bounds.tolist())]


def encode(geometry: gpd.GeoSeries, origin: tuple[int, int]) -> list[Any]:
    """Quantised, delta-encoded coordinates per feature (EPSG:4326 in, nested int lists out).

    Polygons: feature -> polygons -> rings -> ``[x0, y0, dx1, dy1, ...]`` in 1/SCALE degree
    relative to ``origin``; lines: feature -> lines -> ``[[x0, y0, dx1, ...]]``.

    Examples
    --------
    >>> from shapely import box
    >>> s = gpd.GeoSeries([box(5.0, 52.0, 5.00002, 52.00001)], crs=4326)
    >>> encode(s, (500000, 5200000))
    [[[[2, 0, 0, 1, -2, 0, 0, -1, 2, 0]]]]
    """
    out: list[Any] = []
    for geom in geometry.to_numpy():
        if geom is None or geom.is_empty:
            out.append([])
            continue
        kind = "line" if geom.geom_type in ("LineString", "MultiLineString") else "polygon"
        if kind == "line":
            out.append([[_delta(c, origin)] for c in _rings(geom, kind)])
        else:
            out.append([[_delta(r, origin) for r in rings] for rings in _rings(geom, kind)])
    return out


def labels_frame(points: gpd.GeoSeries, texts: pd.Series) -> pd.DataFrame:
    """Label positions (lat, lon) and texts for an overlay."""
    web = points.to_crs(4326)
    return pd.DataFrame(
        {"lat": web.y.to_numpy(), "lon": web.x.to_numpy(), "text": texts.to_numpy()}
    )


def _label_points(rd: gpd.GeoDataFrame, code: str) -> gpd.GeoDataFrame:
    """One label point per group: inside the buurt nearest the group's centre of area."""
    centre = rd.geometry.centroid
    area = rd.geometry.area.to_numpy()
    frame = pd.DataFrame(
        {"g": rd[code].to_numpy(), "x": centre.x * area, "y": centre.y * area, "a": area}
    )
    sums = frame.groupby("g", sort=True)[["x", "y", "a"]].sum()
    mid = frame["g"].map(sums["x"] / sums["a"]), frame["g"].map(sums["y"] / sums["a"])
    dx, dy = centre.x.to_numpy() - mid[0].to_numpy(), centre.y.to_numpy() - mid[1].to_numpy()
    dist = dx**2 + dy**2
    nearest = pd.Series(dist, index=rd.index).groupby(rd[code].to_numpy()).idxmin()
    points = rd.loc[nearest.to_numpy()].geometry.representative_point()
    return gpd.GeoDataFrame(
        {code: nearest.index.to_numpy()}, geometry=points.to_numpy(), crs=rd.crs
    )


def context_overlays(buurten: gpd.GeoDataFrame) -> list[Overlay]:
    """Gemeente and wijk borders with their names: context when there are no tiles.

    ``buurten`` in EPSG:28992 with ``gemeentecode``/``gemeentenaam`` and ``wijkcode``
    (those present), in the order of the map's buurten: the borders are the buurten's own
    borders where the code changes, so they follow the buurt borders exactly.
    """
    out: list[Overlay] = []
    rd = buurten.to_crs(28992)
    levels = [
        ("wijkcode", "wijknaam", "Wijkgrenzen", {"color": "#444444", "weight": 1.6}, 13),
        ("gemeentecode", "gemeentenaam", "Gemeentegrenzen", {"color": "#111111", "weight": 2.2}, 0),
    ]
    for code, name, title, style, min_zoom in levels:
        if code not in rd or rd[code].isna().all():
            continue
        key = rd[code].astype(object).where(rd[code].notna(), None)
        present = rd[rd[code].notna()]
        points = _label_points(present, code)
        n_groups = len(points)
        labels = None
        if name in rd and (code == "wijkcode" or n_groups > 1):
            names = present.groupby(code)[name].first().reindex(points[code].to_numpy())
            named = names.notna().to_numpy()  # a border without a name gets no label
            if named.any():
                labels = labels_frame(
                    points.geometry[named], names[named].astype(str).reset_index(drop=True)
                )
        many = code == "gemeentecode" and n_groups > 40  # national: names from zoom 9
        out.append(
            Overlay(
                title,
                None,
                "border",
                style,
                labels=labels,
                label_class="gp-gemeente-label" if code == "gemeentecode" else "gp-wijk-label",
                min_zoom=9 if many else min_zoom,
                # hundreds of wijken: their borders only once zoomed in to a few gemeenten
                line_min_zoom=11 if code == "wijkcode" and n_groups > 300 else 0,
                key=key.tolist(),
            )
        )
    return out


def web_topology(web: gpd.GeoDataFrame) -> _topo.Topology:
    """The arcs of a map's buurten (EPSG:4326) at the map's quantum (1/SCALE degree)."""
    return _topo.build(web.geometry.to_numpy(), 1 / SCALE)


def make_map(
    web: gpd.GeoDataFrame,
    *,
    cols: dict[str, list[Any]],
    labels: dict[str, str],
    views: Sequence[View],
    title: str,
    subtitle: str | None,
    synthetic: bool,
    sources: Sequence[str],
    flags: Sequence[dict[str, Any]] = (),
    overlays: Sequence[Overlay] = (),
    slider: str | None = None,
    initial: int = 0,
    tiles: bool = True,
    cdn: bool = False,
    topology: _topo.Topology | None = None,
) -> folium.Map:
    """A folium map holding one spec: the buurten once, their views, flags and overlays.

    ``web`` holds the buurt polygons in EPSG:4326 (already simplified); ``cols`` the
    tooltip texts by key (one value per buurt, a list for several lines), ``labels`` the
    Dutch label per key. The map carries its page assets inline (``cdn=False``).
    ``topology``: :func:`web_topology` of ``web``, when the caller has it already.
    """
    minx, miny, maxx, maxy = web.total_bounds
    origin = (int(np.floor(minx * SCALE)), int(np.floor(miny * SCALE)))
    if topology is None:
        topology = web_topology(web)
    spec: dict[str, Any] = {
        "scale": SCALE,
        "origin": list(origin),
        "bounds": [[float(miny), float(minx)], [float(maxy), float(maxx)]],
        "arcs": _delta_arcs(topology.arcs, origin),
        "areas": {"geom": topology.features, "cols": cols},
        "labels": labels,
        "views": [v.to_json() for v in views],
        "initial": initial,
        "flags": list(flags),
        "overlays": [o.to_json(origin, topology) for o in overlays],
        "title": {
            "text": title,
            "sub": subtitle,
            "synth": "Synthetische gegevens (geen echte woningen)" if synthetic else None,
        },
        "sources": list(sources),
        "slider": slider,
        "tiles": TILES if tiles else None,
    }
    m = folium.Map(tiles=None, control_scale=False, zoom_snap=0.25, prefer_canvas=True)
    # folium's own CDN links (Leaflet, jQuery, Bootstrap, Font Awesome) are not used
    m.default_js = []
    m.default_css = []
    root: Any = m.get_root()
    root.header.add_child(_Raw(str(leaflet_assets(cdn=cdn))), name="gp_leaflet")
    page = Markup("<style>{}</style><script>{}</script>").format(
        Markup(asset_text("gpmap.css")), Markup(asset_text("gpmap.js"))
    )
    root.header.add_child(_Raw(str(page)), name="gp_map")
    _Spec(spec).add_to(m)
    _stable_ids(root)
    return m


def _stable_ids(element: Any, counter: list[int] | None = None) -> None:
    """Number the elements of a folium tree in order instead of folium's random UUIDs,
    so the same map gives the same HTML (byte-reproducible outputs)."""
    counter = [0] if counter is None else counter
    counter[0] += 1
    element._id = f"{counter[0]:032x}"
    for child in getattr(element, "_children", {}).values():
        _stable_ids(child, counter)
