"""Interactive web maps (Leaflet through folium), made from EPSG:28992 frames.

Each map holds the buurt geometry once (:mod:`geoprestatie.output._webmap`): the SIA score
and each criterion are *views* of the same polygons, picked in the layer control (one at a
time); the prognosis years are views picked with a slider. Texts reach the page as JSON
(:func:`geoprestatie.output.html.json_for_script`) and are shown with ``textContent``, so
no name or label is ever read as HTML. The pages are self-contained: Leaflet is inlined and
gemeente and wijk borders give context; the OpenStreetMap background is an online extra.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geoprestatie.errors import ConfigError, DataWarning, InputError
from geoprestatie.output import _mapdata as _md
from geoprestatie.output import _topology
from geoprestatie.output import _webmap as _wm
from geoprestatie.output._fmt import is_missing, nl_int, nl_num, nl_pct
from geoprestatie.output._mapdata import (
    COLOUR_DIA,
    COLOUR_NOT_ELIGIBLE,
    COLOUR_ROBUST,
    COLOUR_SUPPRESSED,
)
from geoprestatie.publication import SUPPRESSED_LABEL, suppressed_note
from geoprestatie.result import RunResult
from geoprestatie.teksten import SCHEME_LABELS

__all__ = [
    "ATTRIBUTION_CBS",
    "ATTRIBUTION_LEEFBAAROMETER",
    "ATTRIBUTION_SYNTHETIC",
    "SCHEMES",
    "MapBase",
    "buurten_map",
    "classify",
    "criterion_label",
    "map_base",
    "palette",
    "prognose_map",
    "prognosis_totals",
    "sia_map",
    "simplified",
    "to_web",
    "web_frames",
]

ATTRIBUTION_CBS = "Bron: CBS, Kadaster (wijk- en buurtindeling, gegeneraliseerd)"
ATTRIBUTION_LEEFBAAROMETER = "Leefbaarometer 3.0 (BZK)"
ATTRIBUTION_SYNTHETIC = "Corporatiegegevens: synthetisch (gegenereerd, geen echte woningen)"

classify = _md.classify
palette = _md.palette
criterion_label = _md.criterion_label
prognosis_totals = _md.prognosis_totals
SCHEMES = _md.SCHEMES


def simplified(gdf: gpd.GeoDataFrame, simplify_m: float | None = 5.0) -> gpd.GeoDataFrame:
    """A copy in EPSG:28992 simplified as a coverage (shared borders stay shared).

    ``simplify_m=None`` picks a tolerance for the extent
    (:func:`geoprestatie.output._webmap.web_tolerance`); a polygon that would vanish keeps
    its original shape.
    """
    if gdf.crs is None:
        raise ValueError("`gdf` heeft geen CRS; verwacht een tabel in EPSG:28992 (RD New)")
    out = gdf.to_crs(28992) if gdf.crs.to_epsg() != 28992 else gdf.copy()
    if simplify_m is None:
        simplify_m = _wm.web_tolerance(out)
    if simplify_m > 0:
        simple = _topology.simplify_coverage(out.geometry.to_numpy(), simplify_m)
        out = out.set_geometry(gpd.GeoSeries(simple, index=out.index, crs=28992))
    return out


def to_web(
    gdf: gpd.GeoDataFrame, *, simplify_m: float | None = 5.0, decimals: int = 5
) -> gpd.GeoDataFrame:
    """Simplify as a coverage in metres (:func:`simplified`), reproject to EPSG:4326 and
    round coordinates (``decimals=5`` is about 1 m).

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> web = to_web(load_buurten("Enschede"))
    >>> web.crs.to_epsg(), len(web)
    (4326, 70)
    """
    out = simplified(gdf, simplify_m).to_crs(4326)
    return out.set_geometry(
        gpd.GeoSeries(
            shapely.set_precision(out.geometry.to_numpy(), 10**-decimals), index=out.index, crs=4326
        )
    )


def web_frames(
    frame: gpd.GeoDataFrame, simplify_m: float | None
) -> tuple[gpd.GeoDataFrame, list[_wm.Overlay]]:
    """The buurten for the web (EPSG:4326) and the context borders, from one simplification
    (the borders are unions of the simplified buurten, so they line up exactly)."""
    keep = [c for c in _CONTEXT if c in frame]
    rd = simplified(
        gpd.GeoDataFrame(frame[keep], geometry=frame.geometry, crs=frame.crs), simplify_m
    )
    return to_web(rd, simplify_m=0), _context(rd)


#: The columns of the buurten that the context borders and their names come from.
_CONTEXT = ("wijkcode", "wijknaam", "gemeentecode", "gemeentenaam")


@dataclass(frozen=True)
class MapBase:
    """The buurten of a run made ready for the web once (:func:`map_base`): simplified as a
    coverage, reprojected, their context borders and their arcs. The maps of one run
    (:func:`sia_map`, :func:`prognose_map`, the programme map) draw the same buurten, so
    they share it instead of each doing the same work again."""

    web: gpd.GeoDataFrame  # EPSG:4326, simplified (:func:`web_frames`)
    context: tuple[_wm.Overlay, ...]
    topology: _topology.Topology  # the arcs of ``web`` at the web map's quantum
    tolerance: float  # metres
    source: gpd.GeoDataFrame  # the buurten it was made from: geometry and context columns

    def fits(self, frame: gpd.GeoDataFrame, simplify_m: float | None = None) -> bool:
        """Whether ``frame`` has the buurten this was made from: the same geometry in the
        same order, the same gemeente/wijk columns, and ``simplify_m`` (if given) is its
        tolerance."""
        src = self.source
        if len(frame) != len(src) or frame.crs != src.crs:
            return False
        if simplify_m is not None and float(simplify_m) != self.tolerance:
            return False
        keep = [c for c in _CONTEXT if c in frame]
        if keep != [c for c in _CONTEXT if c in src]:
            return False
        mine, theirs = src.geometry.to_numpy(), frame.geometry.to_numpy()
        same = shapely.equals_exact(mine, theirs, tolerance=0.0)
        same |= shapely.is_missing(mine) & shapely.is_missing(theirs)
        return bool(same.all()) and all(
            src[c].reset_index(drop=True).equals(frame[c].reset_index(drop=True)) for c in keep
        )

    def frames(
        self, frame: gpd.GeoDataFrame, simplify_m: float | None
    ) -> tuple[gpd.GeoDataFrame, list[_wm.Overlay]]:
        """:func:`web_frames` of ``frame``, from this base (``ValueError`` if it does not
        fit ``frame``)."""
        if not self.fits(frame, simplify_m):
            raise ValueError(
                "`base` is gemaakt van andere buurten (of met een andere tolerantie) dan de "
                "kaart toont; maak hem met map_base(buurten) van dezelfde buurten"
            )
        return self.web, list(self.context)


def map_base(buurten: gpd.GeoDataFrame, simplify_m: float | None = None) -> MapBase:
    """The shared web form of ``buurten`` for every map of a run (see :class:`MapBase`).

    ``simplify_m=None`` picks the tolerance for the extent, as the maps do.

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> b = load_buurten("Enschede")
    >>> base = map_base(b)
    >>> base.fits(b), base.fits(b.iloc[:10]), len(base.web)
    (True, False, 70)
    """
    tolerance = _wm.web_tolerance(buurten) if simplify_m is None else float(simplify_m)
    web, context = web_frames(buurten, tolerance)
    keep = [c for c in _CONTEXT if c in buurten]
    return MapBase(
        web=web,
        context=tuple(context),
        topology=_wm.web_topology(web),
        tolerance=tolerance,
        source=gpd.GeoDataFrame(buurten[keep], geometry=buurten.geometry, crs=buurten.crs),
    )


def _sources(frame: pd.DataFrame, extra: Sequence[str], *, synthetic: bool) -> list[str]:
    lines = [ATTRIBUTION_CBS]
    if any(  # credited only when this map shows Leefbaarometer values
        str(c).startswith(("leefbaarometer", "bijdrage_leefbaarometer"))
        and bool(frame[c].notna().any())
        for c in frame.columns
    ):
        lines.append(ATTRIBUTION_LEEFBAAROMETER)
    lines.extend(map(str, extra))
    if synthetic:
        lines.append(ATTRIBUTION_SYNTHETIC)
    return list(dict.fromkeys(lines))


def _text(values: pd.Series, default: str = "–") -> list[str]:
    return [default if is_missing(v) else str(v) for v in values.astype(object)]


def _context(buurten: gpd.GeoDataFrame) -> list[_wm.Overlay]:
    """Gemeente and wijk borders (wijk names from the embedded CBS wijken when needed)."""
    frame = buurten
    if "wijknaam" not in frame and "wijkcode" in frame:
        from geoprestatie.datasets import load_wijken

        names = load_wijken()[["wijkcode", "wijknaam"]].astype({"wijkcode": str})
        lookup = dict(zip(names["wijkcode"], names["wijknaam"], strict=True))
        frame = frame.assign(wijknaam=frame["wijkcode"].astype(str).map(lookup))
    return _wm.context_overlays(frame)


def buurten_map(
    buurten: gpd.GeoDataFrame,
    *,
    title: str | None = None,
    tiles: bool = True,
    cdn: bool = False,
) -> folium.Map:
    """Interactive map of buurten: tooltips with buurtnaam and code, wijk and gemeente borders.

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> m = buurten_map(load_buurten("Enschede"))
    >>> "De Laares" in m.get_root().render()
    True
    """
    web, context = web_frames(buurten, None)
    web = web.assign(
        **{c: buurten[c].to_numpy() for c in ("buurtnaam", "buurtcode") if c in buurten}
    )
    names = {
        "buurtnaam": "Buurt",
        "buurtcode": "Code",
        "wijkcode": "Wijk",
        "gemeentenaam": "Gemeente",
    }
    cols = {k: _text(web[k], "(naamloos)" if k == "buurtnaam" else "–") for k in names if k in web}
    view = _wm.View(
        "Buurten",
        [0] * len(web),
        ["#8da0cb"],
        "Buurten",
        [("background:#8da0cb", "buurt (beweeg erover voor naam en code)")],
        list(cols),
        opacity=0.35,
    )
    return _wm.make_map(
        web,
        cols=cols,
        labels=names,
        views=[view],
        title=title or "Buurten",
        subtitle=ATTRIBUTION_CBS,
        synthetic=False,
        sources=[ATTRIBUTION_CBS],
        overlays=context,
        tiles=tiles,
        cdn=cdn,
    )


# ------------------------------------------------------------------------------ SIA map


def _sia_columns(
    shown: pd.DataFrame, crit_cols: Sequence[str], labels: Mapping[str, str], top_k: int | None
) -> tuple[dict[str, list[Any]], list[tuple[str, str]], np.ndarray]:
    """Tooltip texts per key, (key, Dutch label) in tooltip order, and the robust flags."""
    is_prio = shown["_status"].to_numpy() == "prioriteit"

    def prio(values: Sequence[str]) -> list[str]:
        return [v if p else "–" for v, p in zip(values, is_prio, strict=True)]

    # ranks run over every scored buurt, the hidden ones too: "61 van 57" when four are
    # hidden; the largest published rank says no more than the ranks themselves
    ranks = pd.to_numeric(shown["sia_rang"], errors="coerce").to_numpy(dtype=float)[is_prio]
    n_total = max(int(is_prio.sum()), int(np.nanmax(ranks)) if np.isfinite(ranks).any() else 0)
    cols: dict[str, list[Any]] = {
        "naam": _text(shown["buurtnaam"], "(naamloos)"),
        "code": _text(shown["buurtcode"]),
        "score": prio([nl_num(v, 1) for v in shown["sia_score"].astype(object)]),
        "rang": prio(
            [
                "–" if is_missing(v) else f"{nl_int(v)} van {nl_int(n_total)}"
                for v in shown["sia_rang"].astype(object)
            ]
        ),
        "status": list(map(str, shown["_reden"])),
    }
    fields = [
        ("naam", "Buurt"),
        ("code", "Code"),
        ("score", "SIA-score (0–100)"),
        ("rang", "Rang"),
        ("status", "Status"),
    ]
    for col in crit_cols:
        cols[col] = prio(
            ["–" if is_missing(v) else f"{nl_num(v, 1)} punten" for v in shown[col].astype(object)]
        )
        fields.append((col, labels[col]))
    if "kans_top_k" in shown:
        cols["kans"] = prio([nl_pct(v, 0) for v in shown["kans_top_k"].astype(object)])
        fields.append(("kans", f"Kans in top {top_k}" if top_k else "Kans in de top"))
    if "rang_p05" in shown and "rang_p95" in shown:
        cols["band"] = prio(
            [
                "–" if is_missing(a) or is_missing(b) else f"{nl_int(a)} – {nl_int(b)}"
                for a, b in zip(
                    shown["rang_p05"].astype(object), shown["rang_p95"].astype(object), strict=True
                )
            ]
        )
        fields.append(("band", "Rang (5–95 %)"))
    robust = np.zeros(len(shown), dtype=bool)
    if "robuust" in shown:
        robust = shown["robuust"].astype("boolean").fillna(False).to_numpy(dtype=bool) & is_prio
        cols["robuust"] = prio(["ja" if r else "nee" for r in robust])
        fields.append(("robuust", "Robuuste prioriteit"))
    if "wat_nodig_tekst" in shown:
        cols["wat_nodig"] = _md.what_it_takes_texts(shown)
        fields.append(("wat_nodig", f"Wat nodig is (top {top_k})" if top_k else "Wat nodig is"))
    if "dia_naam" in shown:
        cols["dia"] = _text(shown["dia_naam"])
        fields.append(("dia", "DIA"))
    if "dia_rol" in shown:
        cols["dia_rol"] = _md.dia_role_texts(shown)
        fields.append(("dia_rol", "Rol in de DIA"))
    if "dia_reden" in shown:
        # the reason a buurt is out of every DIA tells it is a priority: not for hidden ones
        cols["dia_reden"] = [
            r if p and isinstance(r, str) else ""
            for r, p in zip(shown["dia_reden"].astype(object), is_prio, strict=True)
        ]
        fields.append(("dia_reden", "Niet in een DIA omdat"))
    return cols, fields, robust


def _grey_rows(statuses: set[str], note: str | None) -> list[tuple[str, str]]:
    """Legend rows that explain every grey on the map."""
    rows = []
    if "niet_geschikt" in statuses:
        rows.append(
            (
                f"background:{COLOUR_NOT_ELIGIBLE}",
                "niet geschikt of geen score (reden in de tooltip)",
            )
        )
    if "onderdrukt" in statuses:
        rows.append(
            (
                f"background:{COLOUR_SUPPRESSED}",
                note or _md.SUPPRESSED_STATUS,
            )
        )
    return rows


def _status_fill(shown: pd.DataFrame, classes: np.ndarray, n_classes: int) -> list[int]:
    """Class index per buurt; the greys after the classes (not eligible, suppressed)."""
    status = shown["_status"].to_numpy(dtype=object)
    grey = np.where(status == "onderdrukt", n_classes + 1, n_classes)
    fill = np.where((status == "prioriteit") & (np.asarray(classes) >= 0), classes, grey)
    return [int(i) for i in fill]


def _sia_views(
    shown: pd.DataFrame,
    crit_cols: Sequence[str],
    labels: Mapping[str, str],
    fields: Sequence[tuple[str, str]],
    *,
    scheme: str,
    k: int,
    note: str | None,
    extra_rows: Sequence[tuple[str, str]],
) -> list[_wm.View]:
    """The score view and one view per criterion (one classification over all criteria)."""
    is_prio = shown["_status"].to_numpy() == "prioriteit"
    greys = [COLOUR_NOT_ELIGIBLE, COLOUR_SUPPRESSED]
    grey_rows = _grey_rows(set(shown["_status"]), note)
    classes = classify(shown["sia_score"].where(is_prio), scheme=scheme, k=k)
    colours = palette("YlOrRd", len(classes.labels)) if classes.labels else []
    score_rows = [(f"background:{c}", lab) for c, lab in zip(colours, classes.labels, strict=True)]
    views = [
        _wm.View(
            "SIA-score",
            _status_fill(shown, classes.index, len(colours)),
            [*colours, *greys],
            "SIA-score (0–100)",
            [*score_rows, *grey_rows, *extra_rows],
            [f for f, _ in fields],
        )
    ]
    if not crit_cols:
        return views
    stacked = pd.concat([shown[c].where(is_prio) for c in crit_cols], ignore_index=True)
    crit_classes = classify(stacked, scheme=scheme, k=k)
    crit_colours = palette("Purples", len(crit_classes.labels)) if crit_classes.labels else []
    crit_rows = [
        (f"background:{c}", lab) for c, lab in zip(crit_colours, crit_classes.labels, strict=True)
    ]
    n = len(shown)
    for j, col in enumerate(crit_cols):
        views.append(
            _wm.View(
                f"Bijdrage: {labels[col]}",
                _status_fill(shown, crit_classes.index[j * n : (j + 1) * n], len(crit_colours)),
                [*crit_colours, *greys],
                f"Bijdrage {labels[col]} (scorepunten)",
                [*crit_rows, *grey_rows, *extra_rows],
                ["naam", "code", "score", "rang", "status", col],
                legend_note="Eén klassenindeling voor alle criteria: kleuren vergelijkbaar.",
                opacity=0.85,
            )
        )
    return views


def sia_map(
    scored: gpd.GeoDataFrame | RunResult,
    *,
    dia_areas: gpd.GeoDataFrame | None = None,
    criteria: Sequence[str] | None = None,
    criterion_labels: Mapping[str, str] | None = None,
    synthetic: bool = False,
    scheme: str = "quantiles",
    k: int = 5,
    top_k: int | None = None,
    title: str | None = None,
    sources: Sequence[str] = (),
    tiles: bool = True,
    simplify_m: float | None = None,
    cdn: bool = False,
    incomplete: str | None = None,
    base: MapBase | None = None,
) -> folium.Map:
    """Interactive SIA map: classified score, a view per criterion, DIAs, robust priorities.

    Parameters
    ----------
    scored
        A :class:`geoprestatie.result.RunResult` (its DIA buurten and areas, criterion
        labels, ``top_k``, title and ``synthetisch``; arguments given explicitly win), or
        buurten with the SIA columns of
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
        Which criteria get a view (suffixes of ``bijdrage_*``); default all.
    criterion_labels
        Dutch labels by criterion, overriding the built-in ones.
    synthetic
        The corporation data are synthetic: the title and the attribution say so.
        A map shows what it is given: for publication, pass the result of
        :func:`geoprestatie.publication.publish`; the cells it hid show as
        ``SUPPRESSED_LABEL`` (grey, explained in the legend).
    scheme, k
        Classification of the score (see :data:`SCHEMES`) and number of classes.
    top_k
        The ``k`` of ``kans_top_k``, for its tooltip label; default ``scored.attrs["top_k"]``
        (set by :func:`geoprestatie.sia.prioritise`).
    title, sources
        Title box and extra attribution lines.
    tiles
        Offer the OpenStreetMap background as a layer to switch on (it needs internet;
        the map is complete without it).
    simplify_m
        Coverage simplification tolerance in metres; default from the extent (5 m for a
        gemeente, up to 40 m for the whole country).
    cdn
        Link Leaflet from a CDN instead of inlining it (for websites; the page then
        needs internet).
    incomplete
        Which criteria the SIA skipped and their share of the weight (one line, in the
        title box); default from a :class:`RunResult` (``result.completeness``).
    base
        The run's buurten made ready for the web (:func:`map_base` of the same buurten):
        shared with the run's other maps instead of made again; its tolerance is used.

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
        if dia_areas is None and len(run.dia_result.areas):
            dia_areas = run.dia_result.areas
        if criterion_labels is None:
            criterion_labels = {c.name: c.label for c in run.sia_config.criteria}
        synthetic = synthetic or run.config.synthetic
        top_k = run.sia_config.top_k if top_k is None else top_k
        title = f"SIA-prioriteiten: {run.config.name}" if title is None else title
        if incomplete is None and not run.completeness.complete:
            whole = run.completeness
            incomplete = f"{whole.short()}: {whole.names()}"
    if top_k is None and "top_k" in scored.attrs:
        top_k = int(scored.attrs["top_k"])
    shown = _md.sia_status(scored)
    crit_cols = _md.criteria_columns(shown, criteria)
    labels = {c: criterion_label(c.removeprefix("bijdrage_"), criterion_labels) for c in crit_cols}
    cols, fields, robust = _sia_columns(shown, crit_cols, labels, top_k)
    if base is not None:
        web, context = base.frames(shown, simplify_m)
        tolerance = base.tolerance
    else:
        tolerance = _wm.web_tolerance(shown) if simplify_m is None else simplify_m
        web, context = web_frames(shown, tolerance)
    extra_rows = []
    if robust.any():
        extra_rows.append(
            (f"border:3px solid {COLOUR_ROBUST};background:#fff", "robuuste prioriteit")
        )
    overlays = context
    if dia_areas is not None:
        overlays.append(_dia_overlay(dia_areas, tolerance=tolerance))
        extra_rows.append(
            (f"border:3px dashed {COLOUR_DIA};background:#fff", "DIA (investeringsgebied)")
        )
    views = _sia_views(
        shown,
        crit_cols,
        labels,
        fields,
        scheme=scheme,
        k=k,
        note=suppressed_note(scored),
        extra_rows=extra_rows,
    )
    flags = (
        [
            {
                "name": "Robuuste prioriteiten",
                "on": [bool(r) for r in robust],
                "style": {"color": COLOUR_ROBUST, "weight": 3.5},
                "show": True,
            }
        ]
        if robust.any()
        else []
    )
    gemeente = _gemeente_label(scored)
    return _wm.make_map(
        web,
        cols=cols,
        labels=dict(fields),
        views=views,
        title=title or (f"SIA-prioriteiten {gemeente}" if gemeente else "SIA-prioriteiten"),
        subtitle=(
            (f"LET OP: {incomplete}. " if incomplete else "")
            + f"Klassen: {SCHEME_LABELS[scheme]}; beweeg over een buurt voor details"
            + ("; kies de kaartlaag rechtsboven" if len(views) > 1 else "")
        ),
        synthetic=synthetic,
        sources=_sources(scored, sources, synthetic=synthetic),
        flags=flags,
        overlays=overlays,
        tiles=tiles,
        cdn=cdn,
        topology=None if base is None else base.topology,
    )


def _gemeente_label(frame: pd.DataFrame) -> str | None:
    if "gemeentenaam" not in frame:
        return None
    names = sorted(map(str, frame["gemeentenaam"].dropna().unique()))
    return ", ".join(names) if 0 < len(names) <= 3 else None


def _dia_overlay(dia_areas: gpd.GeoDataFrame, *, tolerance: float) -> _wm.Overlay:
    """DIA outlines (dashed) with their names and the per-area aggregates as tooltip."""
    if "dia_naam" not in dia_areas or dia_areas.crs is None:
        raise InputError(
            "`dia_areas` heeft een CRS en een kolom 'dia_naam' nodig; gevonden "
            f"{list(map(str, dia_areas.columns))}",
            source="dia_areas",
            column="dia_naam",
        )
    names = _text(dia_areas["dia_naam"], "DIA")
    # the per-area aggregates of dia.delineate, as Dutch text (hidden cells as the label)
    shown = _md.dia_display(dia_areas.drop(columns=["dia_naam"]))
    shown = shown.drop(columns=["Buurtnamen"], errors="ignore")
    keys = [f"f{i}" for i in range(len(shown.columns) + 1)]
    cols = {keys[0]: names} | {
        key: _text(shown[col]) for key, col in zip(keys[1:], shown.columns, strict=True)
    }
    rd = dia_areas.to_crs(28992)
    web = to_web(gpd.GeoDataFrame(geometry=rd.geometry.to_numpy(), crs=28992), simplify_m=tolerance)
    points = gpd.GeoSeries(rd.geometry.representative_point().to_numpy(), crs=28992)
    return _wm.Overlay(
        "DIA's (investeringsgebieden)",
        web.geometry,
        "polygon",
        {"fill": False, "color": COLOUR_DIA, "weight": 3, "dashArray": "8 5"},
        labels=_wm.labels_frame(points, pd.Series(names)),
        label_class="gp-dia-label",
        tooltip={
            "keys": keys,
            "cols": cols,
            "labels": dict(zip(keys, ["DIA", *map(str, shown.columns)], strict=True)),
        },
    )


# ------------------------------------------------------------------------- prognosis map


def prognose_map(
    prognosis: pd.DataFrame | RunResult,
    buurten: gpd.GeoDataFrame | None = None,
    *,
    corporatie: str | None = None,
    years: Sequence[int] | None = None,
    synthetic: bool = False,
    title: str | None = None,
    sources: Sequence[str] = (),
    tiles: bool = True,
    simplify_m: float | None = None,
    cdn: bool = False,
    base: MapBase | None = None,
) -> folium.Map:
    """Interactive prognosis map: one view per year (a slider), stock and change.

    Parameters
    ----------
    prognosis
        A :class:`geoprestatie.result.RunResult` with a prognosis (its buurten and
        ``synthetisch``; arguments given explicitly win), or
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
        The public prognosis (:func:`geoprestatie.publication.publish`) shows its hidden
        buurt-years as ``SUPPRESSED_LABEL`` (grey, explained in the legend).
    synthetic, title, sources, tiles, simplify_m, cdn, base
        As in :func:`sia_map` (``base`` made from ``buurten``).

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
    if isinstance(prognosis, RunResult):
        run = prognosis
        if run.prognosis is None:
            raise ConfigError(
                "deze run maakte geen prognose: de config heeft geen [prognose] plannen-bestand"
            )
        prognosis = run.prognosis
        buurten = run.buurten if buurten is None else buurten
        synthetic = synthetic or run.config.synthetic
    if buurten is None:
        raise TypeError("`buurten` is None, maar een prognosetabel heeft de buurtvlakken nodig")
    shown, years = _prognosis_shown(prognosis, buurten, corporatie, years)
    per_corp = _per_corporation_lines(prognosis)
    idx, class_labels = _md.change_classes(shown["verandering_start"])
    shown["_klasse"] = idx
    colours = palette("PuOr", 5)[::-1]  # purple = decrease, orange = increase
    rows = [(f"background:{c}", lab) for c, lab in zip(colours, class_labels, strict=True)]
    note = suppressed_note(prognosis)
    if note:
        rows.append((f"background:{COLOUR_SUPPRESSED}", note))
    rows.append(("background:#ffffff", "geen corporatiewoningen (leeg)"))
    # every buurt is drawn: those without corporation dwellings (no prognosis rows) hollow
    named = buurten[["buurtcode", "buurtnaam", "geometry"]]
    web, context = (
        web_frames(buurten, simplify_m) if base is None else base.frames(buurten, simplify_m)
    )
    cols: dict[str, list[Any]] = {
        "naam": _text(named["buurtnaam"], ""),
        "code": _text(named["buurtcode"]),
    }
    labels = {"naam": "Buurt", "code": "Code"}
    start = int(shown["jaar"].min())
    who = f"corporatie {corporatie}" if corporatie else "alle corporaties"
    views = [
        _year_view(
            shown,
            year,
            named["buurtcode"].astype(str),
            cols,
            labels,
            per_corp,
            start=start,
            colours=colours,
            rows=rows,
            who=who,
        )
        for year in years
    ]
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return _wm.make_map(
        web,
        cols=cols,
        labels=labels,
        views=views,
        title=title or f"Prognose sociale huurvoorraad {span} ({who})",
        subtitle=f"Kleur: verandering van de voorraad sinds begin {start}",
        synthetic=synthetic,
        sources=_sources(buurten, sources, synthetic=synthetic),
        overlays=context,
        slider="Jaar" if len(years) > 1 else None,
        initial=len(views) - 1,
        tiles=tiles,
        cdn=cdn,
        topology=None if base is None else base.topology,
    )


def _prognosis_shown(
    prognosis: pd.DataFrame,
    buurten: gpd.GeoDataFrame,
    corporatie: str | None,
    years: Sequence[int] | None,
) -> tuple[pd.DataFrame, list[int]]:
    """Totals per buurt and year as shown (hidden cells NA) and the years to show."""
    totals = _md.shown_totals(prognosis, corporatie=corporatie)
    codes = set(map(str, buurten["buurtcode"]))
    n_rows, n_dw, missing = _md.unplaced(prognosis, codes)
    if n_rows:
        warnings.warn(
            f"prognosekaart: {n_rows} rij(en) ({nl_int(n_dw)} woning(en) aan het eind van het "
            f"laatste jaar) zonder buurtcode of met een buurtcode buiten `buurten` ({missing}) "
            "staan niet op de kaart",
            DataWarning,
            stacklevel=3,
        )
    totals = totals[totals["buurtcode"].isin(codes)]
    if totals.empty:
        raise InputError(
            "geen rij van de prognose heeft een buurtcode van `buurten`; een kaart vraagt een "
            "prognose per buurt (prognosis.project met buurtcode in de beginstand)",
            source="prognosis",
            column="buurtcode",
        )
    all_years = sorted(int(y) for y in totals["jaar"].unique())
    chosen = all_years if years is None else [int(y) for y in years]
    unknown = [y for y in chosen if y not in all_years]
    if unknown:
        raise ValueError(f"`years` {unknown} zitten niet in de prognose; die beslaat {all_years}")
    return totals, chosen


def _year_view(
    shown: pd.DataFrame,
    year: int,
    codes: pd.Series,
    cols: dict[str, list[Any]],
    labels: dict[str, str],
    per_corp: Mapping[tuple[str, int], list[str]],
    *,
    start: int,
    colours: Sequence[str],
    rows: Sequence[tuple[str, str]],
    who: str,
) -> _wm.View:
    """One year of the prognosis: its tooltip texts (added to ``cols``) and colours."""
    mutations = [m for m in _md.MUTATION_LABELS if m in shown.columns]
    r = shown[shown["jaar"] == year].set_index("buurtcode").reindex(codes.to_numpy())
    absent = r["onderdrukt"].isna().to_numpy(dtype=bool)
    suppressed = r["onderdrukt"].fillna(False).to_numpy(dtype=bool)
    keys = {k: f"{k}_{year}" for k in ("eind", "mut", "waarvan", "start", "corp")}
    ends = _each(r["eindstand"], nl_int)
    cols[keys["eind"]] = [
        "geen corporatiewoningen" if a else (SUPPRESSED_LABEL if s else e)
        for e, s, a in zip(ends, suppressed, absent, strict=True)
    ]
    cols[keys["mut"]] = _each(r["verandering"], _signed)
    cols[keys["waarvan"]] = _mutation_texts(r, mutations)
    cols[keys["start"]] = _each(r["verandering_start"], _signed)
    if per_corp:  # one corporation: its figures are the buurt's, no list needed
        cols[keys["corp"]] = [per_corp.get((str(c), year), "–") for c in codes]
    else:
        del keys["corp"]
    labels |= {
        f"eind_{year}": f"Eindstand {year}",
        f"mut_{year}": f"Verandering in {year}",
        f"waarvan_{year}": "Waarvan",
        f"start_{year}": f"Verandering sinds begin {start}",
        f"corp_{year}": f"Eindstand {year} per corporatie",
    }
    klass = r["_klasse"].fillna(-1).to_numpy(dtype=np.int64)
    fill = np.where(absent, -1, np.where(suppressed, len(colours), np.maximum(klass, -1)))
    return _wm.View(
        str(year),
        fill.tolist(),
        [*colours, COLOUR_SUPPRESSED],
        f"Verandering sinds begin {start} (woningen)",
        rows,
        ["naam", "code", *keys.values()],
        legend_note=(
            f"Geteld: sociale huurwoningen van {who} (permanente voorraad, eindstand "
            f"31 december {year}), per buurt."
        ),
    )


def _signed(v: Any) -> str:
    if is_missing(v):
        return "–"
    return f"+{nl_int(v)}" if float(v) > 0 else nl_int(v)


def _each(values: pd.Series, text: Callable[[Any], str]) -> list[str]:
    """``text`` of every value, called once per distinct value (a missing value gives
    ``text(None)``): a national map has 14,000 buurten but few distinct counts."""
    codes, uniques = pd.factorize(values)
    texts = np.array([*(text(v) for v in uniques), text(None)], dtype=object)
    return texts[codes].tolist()  # type: ignore[no-any-return]


def _mutation_texts(frame: pd.DataFrame, mutations: Sequence[str]) -> list[str]:
    """``"nieuwbouw +120, sloop -30"`` per row (its non-zero mutations), ``"–"`` if none
    or suppressed."""

    def part(label: str) -> Callable[[Any], str]:
        return lambda v: "" if is_missing(v) or float(v) == 0 else f"{label} {_signed(v)}"

    parts = [_each(frame[m], part(_md.MUTATION_LABELS[m])) for m in mutations]
    return [", ".join(filter(None, row)) or "–" for row in zip(*parts, strict=True)] or ["–"] * len(
        frame
    )


def _per_corporation_lines(prognosis: pd.DataFrame) -> dict[tuple[str, int], list[str]]:
    """``["Naam: 120", "Ander: 3"]`` (eindstand) per (buurtcode, jaar); empty with one
    corporation (the buurt's figures are its figures; the public prognosis is one, all
    corporations together, so no breakdown can give a hidden figure away)."""
    if "corporatie" not in prognosis or prognosis["corporatie"].nunique() <= 1:
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
    out: dict[tuple[str, int], list[str]] = {}
    for (code, year), grp in per.groupby(["buurtcode", "jaar"], sort=False):
        # below zero is a planning error (more removed than there is): said so
        out[(str(code), int(str(year)))] = [
            f"{c}: "
            + (f"{nl_int(v)} (onder nul: plannen groter dan voorraad)" if v < 0 else nl_int(v))
            for c, v in zip(grp["corporatie"], grp["eindstand"], strict=True)
        ]
    return out
