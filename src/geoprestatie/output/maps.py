"""Interactive folium maps (EPSG:4326 for the web, made from EPSG:28992 frames).

Every string that reaches the HTML is escaped here; geometries are simplified as a
coverage (shared borders stay shared) and coordinates rounded, to keep maps small.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from geoprestatie.errors import DataWarning, InputError
from geoprestatie.output import _mapdata as _md
from geoprestatie.output._fmt import is_missing, nl_int, nl_num, nl_pct
from geoprestatie.output._mapdata import (
    COLOUR_DIA,
    COLOUR_NOT_ELIGIBLE,
    COLOUR_ROBUST,
    COLOUR_SUPPRESSED,
)
from geoprestatie.output.html import escape
from geoprestatie.privacy import DEFAULT_MIN_DWELLINGS, suppress_small
from geoprestatie.result import RunResult
from geoprestatie.teksten import SCHEME_LABELS

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
            out[col] = series.map(lambda v: escape(v) if isinstance(v, str) else v)
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
            f"{escape(heading)}<br><span style='font:400 11px sans-serif'>"
            f"{escape(ATTRIBUTION_CBS)}</span></div>"
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
        self.text = escape(text)


def add_attribution(m: folium.Map, text: str) -> folium.Map:
    """Add an (escaped) source line to the map's attribution control."""
    _Attribution(text).add_to(m)
    return m


# ------------------------------------------------------------------------ shared pieces

classify = _md.classify
palette = _md.palette
criterion_label = _md.criterion_label
prognosis_totals = _md.prognosis_totals
SCHEMES = _md.SCHEMES

_CSS = """<style>
.gp-box{background:#fff;padding:6px 10px;border:1px solid #888;border-radius:4px;
 font:13px/1.35 'Helvetica Neue',Arial,sans-serif;color:#111;box-shadow:0 1px 4px rgba(0,0,0,.3)}
.gp-title{font-weight:600;font-size:15px;max-width:340px}
.gp-title small{display:block;font-weight:400;font-size:11px;color:#333}
.gp-title .gp-synth{display:block;color:#7a0177;font-weight:700;font-size:12px}
.gp-legend h4{margin:0 0 4px;font-size:13px}
.gp-legend .gp-row{display:flex;align-items:center;gap:6px;margin:1px 0;white-space:nowrap}
.gp-legend .gp-sw{display:inline-block;width:18px;height:12px;border:1px solid #555;flex:none}
.leaflet-control-attribution{max-width:55vw;white-space:normal}
.gp-dia-label div{font:700 12px Arial,sans-serif;color:#08306b;white-space:nowrap;
 text-shadow:-1px -1px 0 #fff,1px -1px 0 #fff,-1px 1px 0 #fff,1px 1px 0 #fff}
</style>"""


class _Control(MacroElement):
    """A Leaflet control holding fixed (already escaped) HTML, stacked with the others."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {%- if this.layers %}
        (function (map, control) {
            var layers = [{{ this.layers|join(", ") }}];
            function update() {
                var on = layers.some(function (l) { return map.hasLayer(l); });
                control.getContainer().style.display = on ? "" : "none";
            }
            map.on("overlayadd overlayremove", update);
            update();
        })({{ this._parent.get_name() }}, {{ this.get_name() }});
        {%- endif %}
        {% endmacro %}"""
    )

    def __init__(
        self,
        html_text: str,
        *,
        position: str,
        css_class: str,
        layers: Sequence[str] = (),
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Control"
        self.html = html_text
        self.position = position
        self.css_class = css_class
        # JS names of the layers this control belongs to: shown only while one is on
        self.layers = list(layers)


class _MetricScale(MacroElement):
    """Leaflet's scale bar in metres only (Dutch users read km, not miles)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false, maxWidth: 150})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "MetricScale"


def _title_html(title: str, subtitle: str | None, *, synthetic: bool) -> str:
    parts = [escape(title)]
    if subtitle:
        parts.append(f"<small>{escape(subtitle)}</small>")
    if synthetic:
        parts.append('<span class="gp-synth">Synthetische gegevens (geen echte woningen)</span>')
    return "".join(parts)


def _legend_html(heading: str, rows: Sequence[tuple[str, str]]) -> str:
    """Rows of (swatch CSS, already-escaped label)."""
    body = "".join(
        f'<div class="gp-row"><span class="gp-sw" style="{sw}"></span>{label}</div>'
        for sw, label in rows
    )
    return f"<h4>{escape(heading)}</h4>{body}"


def _new_map(web: gpd.GeoDataFrame, tiles: str | None) -> folium.Map:
    minx, miny, maxx, maxy = web.total_bounds
    m = folium.Map(tiles=None, control_scale=False, zoom_snap=0.25)
    _MetricScale().add_to(m)
    if tiles:
        # an always-on background, outside the layer control: the year layers of the
        # prognosis are the map's base layers (radio buttons)
        folium.TileLayer(tiles, overlay=True, control=False, opacity=0.6).add_to(m)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    root: Any = m.get_root()
    root.header.add_child(folium.Element(_CSS))
    return m


def _sources(frame: pd.DataFrame, extra: Sequence[str], *, synthetic: bool) -> list[str]:
    lines = [ATTRIBUTION_CBS]
    if any(str(c).startswith(("leefbaarometer", "bijdrage_leefbaarometer")) for c in frame):
        lines.append(ATTRIBUTION_LEEFBAAROMETER)
    lines.extend(extra)
    if synthetic:
        lines.append(ATTRIBUTION_SYNTHETIC)
    return list(dict.fromkeys(lines))


def _finish(
    m: folium.Map,
    *,
    title: str,
    subtitle: str | None,
    legends: Sequence[tuple[str, Sequence[str]]],
    sources: Sequence[str],
    synthetic: bool,
) -> folium.Map:
    _Control(
        _title_html(title, subtitle, synthetic=synthetic),
        position="topright",
        css_class="gp-box gp-title",
    ).add_to(m)
    for legend, layers in legends:
        _Control(
            legend, position="bottomright", css_class="gp-box gp-legend", layers=layers
        ).add_to(m)
    for line in sources:
        add_attribution(m, line)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return m


def _fmt_col(values: pd.Series, fmt: Any) -> list[str]:
    return [fmt(v) for v in values.astype(object)]


# ------------------------------------------------------------------------------ SIA map


def _run_min_dwellings(result: RunResult) -> int:
    """``[uitvoer] min_woningen`` of a run (the privacy threshold its outputs use)."""
    return int(result.config.section("uitvoer").get("min_woningen", DEFAULT_MIN_DWELLINGS))


def sia_map(
    scored: gpd.GeoDataFrame | RunResult,
    *,
    dia_areas: gpd.GeoDataFrame | None = None,
    criteria: Sequence[str] | None = None,
    criterion_labels: Mapping[str, str] | None = None,
    synthetic: bool = False,
    min_dwellings: int | None = None,
    count_col: str = "woningen_corporaties",
    scheme: str = "quantiles",
    k: int = 5,
    top_k: int | None = None,
    title: str | None = None,
    sources: Sequence[str] = (),
    tiles: str | None = "OpenStreetMap",
    simplify_m: float = 5.0,
) -> folium.Map:
    """Interactive SIA map: classified score, a layer per criterion, DIAs, robust priorities.

    Parameters
    ----------
    scored
        A :class:`geoprestatie.result.RunResult` (its DIA buurten and areas, criterion
        labels, ``top_k``, title, ``synthetisch`` and ``[uitvoer] min_woningen``; arguments
        given explicitly win), or buurten with the SIA columns of
        :func:`geoprestatie.sia.prioritise` (``sia_score``,
        ``sia_rang``, ``sia_geschikt``, optional ``sia_reden``, ``bijdrage_<criterium>``,
        ``kans_top_k``, ``rang_p05``, ``rang_p95``, ``robuust``) in EPSG:28992, typically
        ``DiaResult.buurten`` of :func:`geoprestatie.dia.delineate` so that ``dia_naam`` and
        ``dia_reden`` show in the tooltip; not modified.
    dia_areas
        ``DiaResult.areas``: DIA polygons with ``dia_naam`` drawn as outlines with their
        names; the tooltip shows the per-area aggregates (``n_buurten``,
        ``woningen_corporaties``, ``aandeel_efg`` ... whichever are present).
    criteria
        Which criteria get a layer (suffixes of ``bijdrage_*``); default all.
    criterion_labels
        Dutch labels by criterion, overriding the built-in ones.
    synthetic
        The corporation data are synthetic: the title and the attribution say so.
    min_dwellings
        Buurten with fewer corporation dwellings (``count_col``) show no figures (privacy);
        ``0`` switches this off. Default 5 (a run's ``[uitvoer] min_woningen``).
    scheme, k
        Classification of the score (see :data:`SCHEMES`) and number of classes.
    top_k
        The ``k`` of ``kans_top_k``, for its tooltip label; default ``scored.attrs["top_k"]``
        (set by :func:`geoprestatie.sia.prioritise`).
    title, sources, tiles, simplify_m
        Title box, extra attribution lines, background tiles (``None``: none) and the
        coverage simplification tolerance in metres.

    Returns
    -------
    folium.Map
        Shows inline in Jupyter; ``m.save("sia.html")`` writes it.

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> b = load_buurten("Enschede").head(6)
    >>> b = b.assign(sia_score=[80.0, 60, 40, 20, 10, None], sia_rang=[1, 2, 3, 4, 5, None],
    ...              sia_geschikt=[True] * 5 + [False], sia_reden=[""] * 5 + ["geen data"],
    ...              bijdrage_aandeel_efg=[50.0, 30, 20, 10, 5, None],
    ...              woningen_corporaties=[100, 80, 3, 50, 40, 0])
    >>> html = sia_map(b, synthetic=True).get_root().render()
    >>> "SIA-score" in html and "Bijdrage: Energielabels E/F/G" in html and "synthetisch" in html
    True

    A whole run, as in a notebook:

    >>> import geoprestatie as gp
    >>> result = gp.pipeline.run(gp.config.demo_config())  # doctest: +SKIP
    >>> gp.maps.sia_map(result)  # doctest: +SKIP
    """
    if dia_areas is not None and dia_areas.empty:
        dia_areas = None  # a run without DIAs: no DIA layer, legend entry or labels
    if isinstance(scored, RunResult):
        run = scored
        scored = run.dia_result.buurten
        if dia_areas is None:
            dia_areas = run.dia_result.areas
        if criterion_labels is None:
            criterion_labels = {c.name: c.label for c in run.sia_config.criteria}
        synthetic = synthetic or run.config.synthetic
        top_k = run.sia_config.top_k if top_k is None else top_k
        title = f"SIA-prioriteiten: {run.config.name}" if title is None else title
        if min_dwellings is None:
            min_dwellings = _run_min_dwellings(run)
    if min_dwellings is None:
        min_dwellings = DEFAULT_MIN_DWELLINGS
    if top_k is None and "top_k" in scored.attrs:
        top_k = int(scored.attrs["top_k"])
    shown = _md.sia_status(scored, min_dwellings=min_dwellings, count_col=count_col)
    crit_cols = _md.criteria_columns(shown, criteria)
    labels = {c: criterion_label(c.removeprefix("bijdrage_"), criterion_labels) for c in crit_cols}
    is_prio = shown["_status"].to_numpy() == "prioriteit"

    classes = classify(shown["sia_score"].where(is_prio), scheme=scheme, k=k)
    colours = palette("YlOrRd", len(classes.labels)) if classes.labels else []
    fill = [
        colours[i] if i >= 0 else _FILL_BY_STATUS[st]
        for i, st in zip(classes.index, shown["_status"], strict=True)
    ]
    n_total = int(is_prio.sum())
    props = pd.DataFrame(index=shown.index)
    props["naam"] = (
        shown["buurtnaam"].astype(object).where(shown["buurtnaam"].notna(), "(naamloos)")
    )
    props["code"] = shown["buurtcode"].astype(object)
    props["score"] = [
        nl_num(v, 1) if p else "–"
        for v, p in zip(shown["sia_score"].astype(object), is_prio, strict=True)
    ]
    props["rang"] = [
        f"{nl_int(v)} van {nl_int(n_total)}" if p and not is_missing(v) else "–"
        for v, p in zip(shown["sia_rang"].astype(object), is_prio, strict=True)
    ]
    props["status"] = shown["_reden"]
    for col in crit_cols:
        props[col] = [
            f"{nl_num(v, 1)} punten" if p and not is_missing(v) else "–"
            for v, p in zip(shown[col].astype(object), is_prio, strict=True)
        ]
    robust_fields: list[tuple[str, str]] = []
    if "kans_top_k" in shown:
        props["kans"] = [
            nl_pct(v, 0) if p else "–"
            for v, p in zip(shown["kans_top_k"].astype(object), is_prio, strict=True)
        ]
        robust_fields.append(("kans", f"Kans in top {top_k}" if top_k else "Kans in de top"))
    if "rang_p05" in shown and "rang_p95" in shown:
        props["band"] = [
            f"{nl_int(a)} – {nl_int(b)}" if p and not (is_missing(a) or is_missing(b)) else "–"
            for a, b, p in zip(
                shown["rang_p05"].astype(object),
                shown["rang_p95"].astype(object),
                is_prio,
                strict=True,
            )
        ]
        robust_fields.append(("band", "Rang (5–95 %)"))
    robust = np.zeros(len(shown), dtype=bool)
    if "robuust" in shown:
        robust = shown["robuust"].astype("boolean").fillna(False).to_numpy(dtype=bool) & is_prio
        props["robuust"] = np.where(robust, "ja", np.where(is_prio, "nee", "–"))
        robust_fields.append(("robuust", "Robuuste prioriteit"))
    if "dia_naam" in shown:
        props["dia"] = shown["dia_naam"].astype(object).where(shown["dia_naam"].notna(), "–")
        robust_fields.append(("dia", "DIA"))
    if "dia_reden" in shown:
        props["dia_reden"] = [
            r if isinstance(r, str) and r and p else "–"
            for r, p in zip(shown["dia_reden"].astype(object), is_prio, strict=True)
        ]
        robust_fields.append(("dia_reden", "Niet in een DIA omdat"))
    props["_fill"] = fill
    props["_robuust"] = robust
    props = escape_frame(props)
    web = to_web(
        gpd.GeoDataFrame(props, geometry=shown.geometry.to_numpy(), crs=shown.crs),
        simplify_m=simplify_m,
    )

    m = _new_map(web, tiles)
    fields = [
        ("naam", "Buurt"),
        ("code", "Code"),
        ("score", "SIA-score (0–100)"),
        ("rang", "Rang"),
        ("status", "Status"),
        *[(c, labels[c]) for c in crit_cols],
        *robust_fields,
    ]
    folium.GeoJson(
        _geojson(web, [f for f, _ in fields] + ["_fill", "_robuust"]),
        name="SIA-score",
        style_function=lambda f: {
            "fillColor": f["properties"]["_fill"],
            "fillOpacity": 0.8,
            "color": "#000000" if f["properties"]["_robuust"] else "#555555",
            "weight": 3.5 if f["properties"]["_robuust"] else 0.6,
        },
        highlight_function=lambda _f: {"weight": 4, "color": "#2171b5"},
        tooltip=folium.GeoJsonTooltip(
            fields=[f for f, _ in fields], aliases=[a for _, a in fields], sticky=True
        ),
    ).add_to(m)

    # one layer per criterion; one classification over all criteria keeps them comparable
    crit_legend: str | None = None
    crit_layers: list[str] = []
    if crit_cols:
        stacked = pd.concat([shown[c].where(is_prio) for c in crit_cols], ignore_index=True)
        crit_classes = classify(stacked, scheme=scheme, k=k)
        crit_colours = palette("Purples", len(crit_classes.labels)) if crit_classes.labels else []
        n = len(shown)
        for j, col in enumerate(crit_cols):
            idx = crit_classes.index[j * n : (j + 1) * n]
            layer = web[["naam", col, "geometry"]].copy()
            layer["_fill"] = [
                crit_colours[i] if i >= 0 else _FILL_BY_STATUS[st]
                for i, st in zip(idx, shown["_status"], strict=True)
            ]
            crit_layer = folium.GeoJson(
                _geojson(layer, ["naam", col, "_fill"]),
                name=f"Bijdrage: {escape(labels[col])}",
                show=False,
                style_function=lambda f: {
                    "fillColor": f["properties"]["_fill"],
                    "fillOpacity": 0.85,
                    "color": "#555555",
                    "weight": 0.6,
                },
                tooltip=folium.GeoJsonTooltip(
                    fields=["naam", col], aliases=["Buurt", escape(labels[col])], sticky=True
                ),
            )
            crit_layer.add_to(m)
            crit_layers.append(crit_layer.get_name())
        crit_legend = _legend_html(
            "Bijdrage per criterium (scorepunten)",
            [
                (f"background:{c}", escape(lab))
                for c, lab in zip(crit_colours, crit_classes.labels, strict=True)
            ],
        )

    if robust.any():
        folium.GeoJson(
            _geojson(web[robust], ["naam"]),
            name="Robuuste prioriteiten",
            style_function=lambda _f: {"fill": False, "color": COLOUR_ROBUST, "weight": 4},
            interactive=False,
        ).add_to(m)

    if dia_areas is not None:
        _add_dia(m, dia_areas, simplify_m=simplify_m, min_dwellings=min_dwellings)

    rows = [
        (f"background:{c}", escape(lab)) for c, lab in zip(colours, classes.labels, strict=True)
    ]
    statuses = set(shown["_status"])
    if "niet_geschikt" in statuses:
        rows.append((f"background:{COLOUR_NOT_ELIGIBLE}", "niet geschikt (zie reden)"))
    if "onderdrukt" in statuses:
        rows.append(
            (f"background:{COLOUR_SUPPRESSED}", f"&lt; {min_dwellings} woningen (onderdrukt)")
        )
    if robust.any():
        rows.append((f"border:3px solid {COLOUR_ROBUST};background:#fff", "robuuste prioriteit"))
    if dia_areas is not None:
        rows.append((f"border:3px dashed {COLOUR_DIA};background:#fff", "DIA (investeringsgebied)"))
    legends: list[tuple[str, Sequence[str]]] = [(_legend_html("SIA-score (0–100)", rows), ())]
    if crit_legend:
        # shown only while a criterion layer is switched on
        legends.append((crit_legend, crit_layers))
    gemeente = _gemeente_label(scored)
    return _finish(
        m,
        title=title or (f"SIA-prioriteiten {gemeente}" if gemeente else "SIA-prioriteiten"),
        subtitle=f"Klassen: {SCHEME_LABELS[scheme]}; beweeg over een buurt voor details",
        legends=legends,
        sources=_sources(scored, sources, synthetic=synthetic),
        synthetic=synthetic,
    )


_FILL_BY_STATUS = {
    "niet_geschikt": COLOUR_NOT_ELIGIBLE,
    "onderdrukt": COLOUR_SUPPRESSED,
    "prioriteit": COLOUR_NOT_ELIGIBLE,
}


def _gemeente_label(frame: pd.DataFrame) -> str | None:
    if "gemeentenaam" not in frame:
        return None
    names = sorted(map(str, frame["gemeentenaam"].dropna().unique()))
    return ", ".join(names) if 0 < len(names) <= 3 else None


def _geojson(web: gpd.GeoDataFrame, columns: Sequence[str]) -> str:
    return str(web[[*columns, "geometry"]].to_json(drop_id=True))


def _add_dia(
    m: folium.Map, dia_areas: gpd.GeoDataFrame, *, simplify_m: float, min_dwellings: int
) -> None:
    if "dia_naam" not in dia_areas or dia_areas.crs is None:
        raise InputError(
            "`dia_areas` needs a CRS and a 'dia_naam' column; found "
            f"{list(map(str, dia_areas.columns))}",
            source="dia_areas",
            column="dia_naam",
        )
    names = dia_areas["dia_naam"].astype(object).where(dia_areas["dia_naam"].notna(), "DIA")
    # the per-area aggregates of dia.delineate, as Dutch text (small counts suppressed)
    shown = _md.dia_display(dia_areas.drop(columns=["dia_naam"]), min_dwellings=min_dwellings)
    shown = shown.drop(columns=["Buurtnamen"], errors="ignore")
    labels = ["DIA", *map(str, shown.columns)]
    fields = [f"f{i}" for i in range(len(labels))]
    props = pd.DataFrame({fields[0]: names.to_numpy()}, index=dia_areas.index)
    for f, col in zip(fields[1:], shown.columns, strict=True):
        props[f] = shown[col].to_numpy()
    rd = gpd.GeoDataFrame(props, geometry=dia_areas.geometry.to_numpy(), crs=dia_areas.crs)
    rd = rd.to_crs(28992)
    points = gpd.GeoSeries(rd.geometry.representative_point(), crs=28992).to_crs(4326)
    web = escape_frame(to_web(rd, simplify_m=0 if simplify_m <= 0 else simplify_m))
    group = folium.FeatureGroup(name="DIA's (investeringsgebieden)", show=True)
    folium.GeoJson(
        _geojson(web, fields),
        style_function=lambda _f: {
            "fill": False,
            "color": COLOUR_DIA,
            "weight": 3,
            "dashArray": "8 5",
        },
        tooltip=folium.GeoJsonTooltip(
            fields=fields, aliases=[escape(a) for a in labels], sticky=True
        ),
    ).add_to(group)
    for name, pt in zip(web[fields[0]], points, strict=True):
        folium.Marker(
            [pt.y, pt.x],
            icon=folium.DivIcon(
                html=f"<div>{name}</div>", class_name="gp-dia-label", icon_size=(0, 0)
            ),
        ).add_to(group)
    group.add_to(m)


# ------------------------------------------------------------------------- prognosis map


def prognose_map(
    prognosis: pd.DataFrame | RunResult,
    buurten: gpd.GeoDataFrame | None = None,
    *,
    corporatie: str | None = None,
    years: Sequence[int] | None = None,
    min_dwellings: int | None = None,
    synthetic: bool = False,
    title: str | None = None,
    sources: Sequence[str] = (),
    tiles: str | None = "OpenStreetMap",
    simplify_m: float = 5.0,
) -> folium.Map:
    """Interactive prognosis map: one layer per year (radio buttons), stock and change.

    Parameters
    ----------
    prognosis
        A :class:`geoprestatie.result.RunResult` with a prognosis (its buurten,
        ``synthetisch`` and ``[uitvoer] min_woningen``; arguments given explicitly win), or
        the table of :func:`geoprestatie.prognosis.project` with ``buurtcode``:
        ``corporatie``, ``buurtcode``, ``jaar``, ``beginstand``, the mutation columns
        (``nieuwbouw`` ... ``samenvoeging``, removals negative) and ``eindstand``; not
        modified. Rows without a buurtcode, or with one not in ``buurten``, cannot be drawn:
        they are reported with a :class:`~geoprestatie.errors.DataWarning`.
    buurten
        The buurt polygons (``buurtcode``, ``buurtnaam``, ``geometry``), EPSG:28992;
        required with a table, default the run's buurten with a ``RunResult``.
    corporatie
        Show one corporation's stock only; default the sum of all. The tooltip lists the
        stock per corporation either way.
    years
        The years to show (default all); the last one is shown first.
    min_dwellings
        Buurt-years with fewer dwellings (eindstand) show no figures (privacy); ``0``
        switches it off.
    synthetic, title, sources, tiles, simplify_m
        As in :func:`sia_map`.

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> b = load_buurten("Enschede").head(3)
    >>> p = pd.DataFrame({"corporatie": "Woonbron", "buurtcode": list(b["buurtcode"]) * 2,
    ...                   "jaar": [2025] * 3 + [2030] * 3, "beginstand": [10, 20, 30, 10, 20, 30],
    ...                   "sloop": [0, 0, 0, 0, -5, 0], "eindstand": [10, 20, 30, 10, 15, 30]})
    >>> html = prognose_map(p, b).get_root().render()
    >>> "Eindstand 2030" in html and "afname" in html and "sloop -5" in html
    True
    """
    from geoprestatie.errors import ConfigError

    if isinstance(prognosis, RunResult):
        run = prognosis
        if run.prognosis is None:
            raise ConfigError(
                "this run made no prognosis: its config has no [prognose] plannen file"
            )
        prognosis = run.prognosis
        buurten = run.buurten if buurten is None else buurten
        synthetic = synthetic or run.config.synthetic
        if min_dwellings is None:
            min_dwellings = _run_min_dwellings(run)
    if buurten is None:
        raise TypeError("`buurten` was None but a prognosis table needs the buurt polygons")
    if min_dwellings is None:
        min_dwellings = DEFAULT_MIN_DWELLINGS
    totals = prognosis_totals(prognosis, corporatie=corporatie)
    n_rows, n_dw, codes = _md.unplaced(prognosis, set(map(str, buurten["buurtcode"])))
    if n_rows:
        warnings.warn(
            f"prognosis map: {n_rows} row(s) ({nl_int(n_dw)} dwelling(s) at the end of the last "
            f"year) have no buurtcode or one not in `buurten` ({codes}) and are not drawn",
            DataWarning,
            stacklevel=2,
        )
    totals = totals[totals["buurtcode"].isin(set(map(str, buurten["buurtcode"])))]
    if totals.empty:
        raise InputError(
            "no row of the prognosis has a buurtcode of `buurten`; a map needs a prognosis "
            "per buurt (prognosis.project with buurtcode in the start stock)",
            source="prognosis",
            column="buurtcode",
        )
    all_years = sorted(int(y) for y in totals["jaar"].unique())
    if years is None:
        years = all_years
    unknown = [y for y in years if y not in all_years]
    if unknown:
        raise ValueError(f"`years` {unknown} are not in the prognosis; it covers {all_years}")
    start = all_years[0]
    mutations = [m for m in _md.MUTATION_LABELS if m in totals.columns]
    shown = suppress_small(
        totals,
        count_col="eindstand",
        min_count=min_dwellings,
        columns=["beginstand", "verandering", "verandering_start", *mutations],
    )
    per_corp = _per_corporation_text(prognosis, min_dwellings=min_dwellings)
    idx, labels = _md.change_classes(shown["verandering_start"])
    shown["_klasse"] = idx
    colours = palette("PuOr", 5)[::-1]  # purple = decrease, orange = increase

    # every buurt is drawn: those without corporation dwellings (no prognosis rows) hollow
    base = buurten[["buurtcode", "buurtnaam", "geometry"]]
    web = to_web(escape_frame(base), simplify_m=simplify_m)
    m = _new_map(web, tiles)
    for year in years:
        rows = shown[shown["jaar"] == year].set_index("buurtcode")
        layer = web.copy()
        layer["naam"] = layer["buurtnaam"].astype(object).where(layer["buurtnaam"].notna(), "")
        r = rows.reindex(layer["buurtcode"].astype(str))
        absent = r["onderdrukt"].isna().to_numpy(dtype=bool)
        suppressed = r["onderdrukt"].fillna(False).to_numpy(dtype=bool)
        layer["eindstand"] = [
            "geen corporatiewoningen" if a else ("&lt; " + str(min_dwellings) if s else nl_int(v))
            for v, s, a in zip(r["eindstand"].astype(object), suppressed, absent, strict=True)
        ]
        layer["jaar_mut"] = [_signed(v) for v in r["verandering"].astype(object)]
        layer["mutaties"] = [
            _mutation_text(rec, mutations) for rec in r[mutations].to_dict("records")
        ]
        layer["start"] = [_signed(v) for v in r["verandering_start"].astype(object)]
        layer["corp"] = [per_corp.get((str(c), year), "–") for c in layer["buurtcode"]]
        layer["_fill"] = [
            COLOUR_SUPPRESSED if s else (colours[i] if i >= 0 else "#ffffff")
            for i, s in zip(r["_klasse"].fillna(-1).astype(int), suppressed, strict=True)
        ]
        layer["_op"] = np.where(absent, 0.0, 0.8)
        fields = [
            ("naam", "Buurt"),
            ("buurtcode", "Code"),
            ("eindstand", f"Eindstand {year}"),
            ("jaar_mut", f"Verandering in {year}"),
            ("mutaties", "Waarvan"),
            ("start", f"Verandering sinds begin {start}"),
            ("corp", f"Eindstand {year} per corporatie"),
        ]
        folium.GeoJson(
            _geojson(layer, [f for f, _ in fields] + ["_fill", "_op"]),
            name=f"Eindstand {year}",
            overlay=False,
            show=year == years[-1],
            style_function=lambda f: {
                "fillColor": f["properties"]["_fill"],
                "fillOpacity": f["properties"]["_op"],
                "color": "#555555",
                "weight": 0.6,
            },
            highlight_function=lambda _f: {"weight": 3, "color": "#2171b5"},
            tooltip=folium.GeoJsonTooltip(
                fields=[f for f, _ in fields], aliases=[a for _, a in fields], sticky=True
            ),
        ).add_to(m)
    rows_legend = [(f"background:{c}", escape(lab)) for c, lab in zip(colours, labels, strict=True)]
    rows_legend.append(
        (f"background:{COLOUR_SUPPRESSED}", f"&lt; {min_dwellings} woningen (onderdrukt)")
    )
    rows_legend.append(("background:transparent", "geen corporatiewoningen"))
    who = f"corporatie {corporatie}" if corporatie else "alle corporaties"
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return _finish(
        m,
        title=title or f"Prognose sociale huurvoorraad {span} ({who})",
        subtitle=(
            ("Kies het jaar rechtsboven; " if len(years) > 1 else "")
            + f"kleur: verandering sinds begin {start}"
        ),
        legends=[(_legend_html(f"Verandering sinds begin {start} (woningen)", rows_legend), ())],
        sources=_sources(buurten, sources, synthetic=synthetic),
        synthetic=synthetic,
    )


def _signed(v: Any) -> str:
    if is_missing(v):
        return "–"
    return f"+{nl_int(v)}" if float(v) > 0 else nl_int(v)


def _mutation_text(rec: Mapping[Any, Any], mutations: Sequence[str]) -> str:
    """``"nieuwbouw +120, sloop -30"`` (non-zero mutations), ``"–"`` if none or suppressed."""
    parts = [
        f"{_md.MUTATION_LABELS[m]} {_signed(rec[m])}"
        for m in mutations
        if not is_missing(rec[m]) and float(rec[m]) != 0
    ]
    return ", ".join(parts) if parts else "–"


def _per_corporation_text(
    prognosis: pd.DataFrame, *, min_dwellings: int
) -> dict[tuple[str, int], str]:
    """Escaped ``"Naam: 120<br>Ander: &lt; 5"`` (eindstand) per (buurtcode, jaar)."""
    if "corporatie" not in prognosis:
        return {}
    frame = pd.DataFrame(
        {
            "buurtcode": prognosis["buurtcode"].astype("string"),
            "jaar": prognosis["jaar"].astype("int64"),
            "corporatie": prognosis["corporatie"].astype(str),
            "eindstand": pd.to_numeric(prognosis["eindstand"]).fillna(0).astype("int64"),
        }
    ).dropna(subset=["buurtcode"])
    per = frame.groupby(["buurtcode", "jaar", "corporatie"], as_index=False, sort=True)[
        "eindstand"
    ].sum()
    out: dict[tuple[str, int], str] = {}
    for (code, year), grp in per.groupby(["buurtcode", "jaar"], sort=False):
        # below zero is no privacy matter but a planning error (more removed than there
        # is): shown, not hidden behind "< 5"
        parts = [
            f"{escape(str(c))}: "
            + (
                f"{nl_int(v)} (onder nul: plannen groter dan voorraad)"
                if v < 0
                else (f"&lt; {min_dwellings}" if v < min_dwellings else nl_int(v))
            )
            for c, v in zip(grp["corporatie"], grp["eindstand"], strict=True)
        ]
        out[(str(code), int(str(year)))] = "<br>".join(parts)
    return out
