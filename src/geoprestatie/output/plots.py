"""Static print-quality maps (matplotlib, Agg): SIA, DIA and prognosis PNGs for reports.

Each function returns the :class:`matplotlib.figure.Figure` and, given ``path``, writes a
PNG atomically (200 dpi). Every map has a title, a legend with Dutch class labels, a scale
bar in metres (EPSG:28992 is metric, so the bar is exact and independent of north) and a
source line; synthetic data say "synthetisch". A figure shows what it is given: the cells
that :func:`geoprestatie.publication.publish` hid are grey, explained in the legend.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from geoprestatie._atomic import atomic_path
from geoprestatie.errors import InputError
from geoprestatie.output import _mapdata as _md
from geoprestatie.output._fmt import nl_int
from geoprestatie.output._mapdata import (
    COLOUR_DIA,
    COLOUR_NOT_ELIGIBLE,
    COLOUR_ROBUST,
    COLOUR_SUPPRESSED,
)
from geoprestatie.publication import suppressed_mask, suppressed_note
from geoprestatie.teksten import SCHEME_LABELS

__all__ = ["DPI", "dia_png", "fit_width", "prognose_png", "sia_png"]

DPI = 200
SOURCE_CBS = "Bron: CBS, Kadaster (wijk- en buurtindeling, gegeneraliseerd)"
SOURCE_SYNTHETIC = "corporatiegegevens synthetisch (geen echte woningen)"


def _plain(text: str) -> str:
    """User text shown literally: matplotlib would read ``$...$`` as mathtext.

    Examples
    --------
    >>> print(_plain("Buurt $A$"))
    Buurt \\$A\\$
    """
    return text.replace("$", r"\$")


#: inches: figure width, map width, room above (title) and below (sources) the map
_WIDTH, _MAP_W, _TOP, _BOTTOM = 8.0, 5.2, 0.85, 0.45
#: inches: top of a note under the subtitle, and its line height (7.5 pt)
_NOTE_Y, _NOTE_LINE = 0.74, 0.13


def _renderer(fig: Figure) -> Any:
    """The figure's Agg renderer, to measure texts before the figure is saved."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    return canvas.get_renderer()  # type: ignore[no-untyped-call]


def fit_width(text: Text, *, right: float = 0.97, min_size: float = 8.0) -> None:
    """Shrink a one-line figure text until it ends left of ``right`` (a figure fraction),
    down to ``min_size`` points, and shorten it with "…" below that: a long project name
    in a title ran off the right edge of the PNG ("… Enschede (voorbeel").

    Examples
    --------
    >>> fig = Figure(figsize=(4, 1))
    >>> t = fig.text(0.03, 0.5, "Een heel lange titel " * 3, fontsize=15)
    >>> fit_width(t)
    >>> t.get_fontsize() < 15
    True
    """
    fig = text.get_figure()
    if not isinstance(fig, Figure):
        return
    renderer = _renderer(fig)
    limit = right * fig.bbox.width
    box = text.get_window_extent(renderer)
    if box.x1 <= limit or box.width <= 0:
        return
    size = text.get_fontsize() * (limit - box.x0) / box.width
    text.set_fontsize(max(min_size, float(np.floor(size * 2) / 2)))
    words = text.get_text()
    while text.get_window_extent(renderer).x1 > limit and len(words) > 1:
        words = words[:-2].rstrip() + "…"
        text.set_text(words)


def _figure(
    title: str,
    subtitle: str | None,
    frame: gpd.GeoDataFrame | None = None,
    *,
    top: float = _TOP,
) -> tuple[Figure, mpl.axes.Axes]:
    """A figure as tall as the map needs (no empty band above or below it).

    ``frame`` (EPSG:28992) sets the map's aspect; the height stays between 5.5 and 10
    inches so the legend fits and the page stays printable. ``top``: inches above the map
    (title, subtitle and any note under it).
    """
    aspect = 0.85
    if frame is not None and len(frame):
        minx, miny, maxx, maxy = frame.total_bounds
        aspect = float(np.clip((maxy - miny) / max(maxx - minx, 1.0), 0.4, 1.8))
    height = float(np.clip(_MAP_W * aspect + top + _BOTTOM, 5.5, 10.0))
    fig = Figure(figsize=(_WIDTH, height), dpi=DPI, layout=None)
    FigureCanvasAgg(fig)  # a renderer, to place the second legend under the first
    ax = fig.add_axes(_map_box(height, top))
    ax.set_axis_off()
    ax.set_aspect("equal")
    head = fig.text(0.03, 1 - 0.2 / height, _plain(title), fontsize=15, fontweight="bold", va="top")
    fit_width(head, min_size=10)
    if subtitle:
        sub = fig.text(
            0.03, 1 - 0.55 / height, _plain(subtitle), fontsize=9.5, va="top", color="#333333"
        )
        fit_width(sub, min_size=7)
    return fig, ax


def _map_box(height: float, top: float = _TOP) -> tuple[float, float, float, float]:
    """The map's axes in figure fractions: left of the legend, between title and sources."""
    return (0.01, _BOTTOM / height, _MAP_W / _WIDTH, 1 - (top + _BOTTOM) / height)


def _nice_length(span_m: float) -> float:
    """A round scale bar length of about a fifth of the map width."""
    target = span_m / 5
    exp = 10 ** np.floor(np.log10(target))
    for step in (5, 2, 1):
        if step * exp <= target:
            return float(step * exp)
    return float(exp)


def _scale_bar(ax: mpl.axes.Axes) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length(x1 - x0)
    h = (y1 - y0) * 0.012
    bx, by = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.03
    for i in range(2):
        ax.add_patch(
            Rectangle(
                (bx + i * length / 2, by),
                length / 2,
                h,
                facecolor="black" if i == 0 else "white",
                edgecolor="black",
                linewidth=0.8,
                zorder=10,
            )
        )
    label = f"{nl_int(length / 1000)} km" if length >= 1000 else f"{nl_int(length)} m"
    for x, text in ((bx, "0"), (bx + length, label)):
        ax.text(x, by + h * 1.6, text, ha="center", va="bottom", fontsize=8, zorder=10)


def _sources_line(fig: Figure, sources: Sequence[str], *, synthetic: bool) -> None:
    parts = [SOURCE_CBS, *sources]
    if synthetic:
        parts.append(SOURCE_SYNTHETIC)
    fig.text(
        0.03,
        0.12 / fig.get_figheight(),
        _plain("; ".join(dict.fromkeys(parts))),
        fontsize=7,
        color="#333333",
        wrap=True,
    )


def _save(fig: Figure, path: str | Path | None) -> Figure:
    if path is not None:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png", dpi=DPI, facecolor="white")
    return fig


def _polygon_paths(geoms: np.ndarray) -> tuple[list[MplPath], np.ndarray]:
    """One compound path per polygon (shell and holes as closed sub-paths, normalised
    rings as geopandas draws them) and the positions of the geometries drawn (missing and
    empty ones are not), made with whole-array shapely calls: no Python work per ring."""
    drawn = np.flatnonzero(~shapely.is_missing(geoms) & ~shapely.is_empty(geoms))
    parts, feature_of_part = shapely.get_parts(shapely.normalize(geoms[drawn]), return_index=True)
    rings, part_of_ring = shapely.get_rings(parts, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
    if len(coords):
        starts = np.flatnonzero(np.r_[True, ring_of[1:] != ring_of[:-1]])
        codes[starts] = MplPath.MOVETO
        codes[np.r_[starts[1:], len(coords)] - 1] = MplPath.CLOSEPOLY
    feature = feature_of_part[part_of_ring[ring_of]]
    bounds = np.searchsorted(feature, np.arange(1, len(drawn)))
    paths = [
        MplPath(v, c)
        for v, c in zip(np.split(coords, bounds), np.split(codes, bounds), strict=True)
    ]
    return paths, drawn


def _polygons(ax: mpl.axes.Axes, frame: gpd.GeoDataFrame | gpd.GeoSeries, **style: Any) -> None:
    """Draw polygons as ``frame.plot(ax=ax, **style)`` does (the same paths, colours and
    limits), as one collection made without a patch per polygon and without drawing the
    figure once more: a national map has 14,000 buurten and three PNGs.

    ``color`` (one colour or one per row) fills; ``facecolor``, ``edgecolor``,
    ``linewidth``, ``hatch``, ``zorder`` as in matplotlib."""
    geoms = np.asarray(frame.geometry.to_numpy() if hasattr(frame, "geometry") else frame)
    kinds = shapely.get_type_id(geoms)
    polygonal = (kinds == 3) | (kinds == 6) | shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if not polygonal.all():  # lines or collections: geopandas sorts them out
        frame.plot(ax=ax, **style)
        return
    paths, drawn = _polygon_paths(geoms)
    if not paths:
        return
    color = style.pop("color", None)
    if color is not None:
        many = pd.api.types.is_list_like(color) and len(color) == len(geoms)
        style["facecolor"] = np.take(np.asarray(color, dtype=object), drawn) if many else color
    collection = PathCollection(paths, **style)
    ax.add_collection(collection, autolim=True)
    ax.autoscale_view()


def _lines(ax: mpl.axes.Axes, geoms: gpd.GeoSeries, **style: Any) -> None:
    """Draw lines (the outlines of polygons) as ``geoms.plot(ax=ax, **style)`` does (the
    same normalised parts, so dashes start where they did), as one collection and without
    drawing the figure once more. ``style``: one colour, width, line style and zorder."""
    values = geoms.to_numpy()
    values = values[~shapely.is_missing(values) & ~shapely.is_empty(values)]
    parts = shapely.get_parts(shapely.normalize(values))
    if not len(parts):
        return
    coords, part = shapely.get_coordinates(parts, return_index=True)
    segments = np.split(coords, np.searchsorted(part, np.arange(1, len(parts))))
    ax.add_collection(LineCollection(segments, **style), autolim=True)
    ax.autoscale_view()


def _halo(width: float = 2.5) -> list[Any]:
    return [patheffects.withStroke(linewidth=width, foreground="white")]


def _label_dia(
    ax: mpl.axes.Axes, dia_areas: gpd.GeoDataFrame, *, avoid: Sequence[Text] = ()
) -> list[str]:
    """Outline the DIAs and write each one's name on the map; return the names.

    A name goes on its DIA unless it would cover a text of ``avoid`` (the ranks of the top
    buurten, in the DIA's own buurten) or another DIA's name: then above, below, right or
    left of the DIA, wherever it covers least (inside the map).
    """
    rd = dia_areas.to_crs(28992)
    _lines(ax, rd.boundary, color=COLOUR_DIA, linewidth=1.8, linestyle=(0, (4, 2)), zorder=6)
    fig = ax.get_figure()
    renderer = _renderer(fig) if avoid and isinstance(fig, Figure) else None
    taken = []
    if renderer is not None:
        ax.apply_aspect()  # the map's final scale: a label's size in map units
        taken = [t.get_window_extent(renderer) for t in avoid]
    names = []
    for name, geom in zip(rd["dia_naam"], rd.geometry, strict=True):
        text = _plain(str(name))
        pt = geom.representative_point()
        minx, miny, maxx, maxy = geom.bounds
        mid_x, mid_y = (minx + maxx) / 2, (miny + maxy) / 2
        spots = [
            ((pt.x, pt.y), (0, 0), "center", "center"),
            ((mid_x, maxy), (0, 3), "center", "bottom"),
            ((mid_x, miny), (0, -3), "center", "top"),
            ((maxx, mid_y), (4, 0), "left", "center"),
            ((minx, mid_y), (-4, 0), "right", "center"),
        ]
        best: tuple[int, Any, Any] | None = None
        for xy, offset, ha, va in spots if renderer is not None else spots[:1]:
            label = ax.annotate(
                text,
                xy,
                xytext=offset,
                textcoords="offset points",
                fontsize=7.5,
                fontweight="bold",
                color=COLOUR_DIA,
                ha=ha,
                va=va,
                zorder=12,
                path_effects=_halo(3),
            )
            if renderer is None:
                break
            box = label.get_window_extent(renderer)
            inside = ax.bbox.contains(box.x0, box.y0) and ax.bbox.contains(box.x1, box.y1)
            cost = sum(box.overlaps(o) for o in taken) + (0 if inside else 100)
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, label, box)
            else:
                label.remove()
            if cost == 0:
                break
        if best is not None:
            taken.append(best[2])
        names.append(text)
    return names


#: At most this many names in the top list beside a print map (the ranks stay on the map).
TOP_LIST_MAX = 20


def _label_top(ax: mpl.axes.Axes, shown: gpd.GeoDataFrame, top_k: int) -> list[str]:
    """Mark the top ``top_k`` shown buurten with their rank; return ``"1. naam"`` entries
    for a legend (ranks on the map, names beside it: names would overlap). A rank the
    publication policy hid is listed as "niet getoond (privacy)", not left out."""
    top = _md.top_rows(shown, top_k)
    names = zip(top["sia_rang"], top["buurtnaam"], strict=True)
    entries = [_plain(f"{nl_int(r)}. {n}") for r, n in names]
    if len(entries) > TOP_LIST_MAX:  # a longer list runs off the page (a national top 50)
        last = nl_int(top["sia_rang"].iloc[-1])
        rest = f"… rang {nl_int(TOP_LIST_MAX + 1)}–{last}: zie sia.csv en het rapport"
        entries = [*entries[:TOP_LIST_MAX], _plain(rest)]
    rd = shown[shown.index.isin(top.index)].to_crs(28992)  # the placeholders have no area
    for rank, pt in zip(rd["sia_rang"], rd.geometry.representative_point(), strict=True):
        ax.annotate(
            nl_int(rank),
            (pt.x, pt.y),
            fontsize=7,
            fontweight="bold",
            color="#111111",
            ha="center",
            va="center",
            zorder=11,
            path_effects=_halo(2.2),
        )
    return entries


def _list_legend(ax: mpl.axes.Axes, entries: Sequence[str], *, title: str) -> None:
    """A second legend (a list of names) below the first one, right of the map."""
    first = ax.get_legend()
    fig = ax.get_figure()
    anchor_y = 0.45
    if first is not None and isinstance(fig, Figure):
        box = first.get_window_extent(_renderer(fig)).transformed(ax.transAxes.inverted())
        anchor_y = float(box.y0) - 0.02
    handles = [Patch(facecolor="none", edgecolor="none", label=e) for e in entries]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, anchor_y),
        fontsize=7.5,
        title=title,
        title_fontsize=8.5,
        handlelength=0,
        handletextpad=0,
    )
    if first is not None:
        ax.add_artist(first)


def _wrap(text: str, width: int = 34) -> str:
    """A legend label on lines of at most ``width`` characters."""
    return textwrap.fill(text, width)


def sia_png(
    scored: gpd.GeoDataFrame,
    *,
    dia_areas: gpd.GeoDataFrame | None = None,
    path: str | Path | None = None,
    title: str = "SIA-prioriteiten",
    synthetic: bool = False,
    scheme: str = "quantiles",
    k: int = 5,
    top_k: int | None = None,
    sources: Sequence[str] = (),
    incomplete: str = "",
) -> Figure:
    """Static SIA map: classified score, robust priorities outlined, the top ``top_k``
    buurten and the DIAs named (default ``top_k``: ``scored.attrs["top_k"]``, else 10).

    ``incomplete``: the line saying which criteria were skipped and their share of the
    weight (:meth:`geoprestatie.completeness.SiaCompleteness.short`), under the subtitle.

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> b = load_buurten("Enschede").head(4).assign(
    ...     sia_score=[80.0, 50, 20, 10], sia_rang=[1, 2, 3, 4], sia_geschikt=True,
    ...     woningen_corporaties=[50, 60, 70, 2])
    >>> fig = sia_png(b)
    >>> fig.texts[0].get_text()
    'SIA-prioriteiten'
    """
    if dia_areas is not None and dia_areas.empty:
        dia_areas = None  # a run without DIAs: no DIA layer, legend entry or labels
    shown = _md.sia_status(scored)
    is_prio = shown["_status"].to_numpy() == "prioriteit"
    classes = _md.classify(shown["sia_score"].where(is_prio), scheme=scheme, k=k)
    colours = _md.palette("YlOrRd", len(classes.labels)) if classes.labels else []
    fill = [
        colours[i] if i >= 0 else (COLOUR_SUPPRESSED if st == "onderdrukt" else COLOUR_NOT_ELIGIBLE)
        for i, st in zip(classes.index, shown["_status"], strict=True)
    ]
    gdf = gpd.GeoDataFrame({"_fill": fill}, geometry=shown.geometry.to_numpy(), crs=shown.crs)
    gdf = gdf.to_crs(28992)
    if top_k is None:
        top_k = int(scored.attrs.get("top_k", 10))
    subtitle = f"SIA-score (0–100), klassen: {SCHEME_LABELS[scheme]}; top {top_k} genummerd"
    lines = textwrap.wrap(_plain(incomplete), width=130)[:3]  # within the page width
    if len(lines) == 3:
        lines = [*lines[:1], lines[1] + " …"]
    # the map and its legend start under the note (its second line ran into the legend)
    top = max(_TOP, _NOTE_Y + _NOTE_LINE * len(lines) + 0.08) if lines else _TOP
    subtitle += " — synthetische gegevens" if synthetic else ""
    fig, ax = _figure(title, subtitle, gdf, top=top)
    if lines:
        fig.text(
            0.03,
            1 - _NOTE_Y / fig.get_figheight(),
            "\n".join(lines),
            fontsize=7.5,
            va="top",
            color="#b30000",
        )
    _polygons(ax, gdf, color=fill, edgecolor="#666666", linewidth=0.3)
    top_entries = _label_top(ax, shown, top_k)
    handles: list[Patch | Line2D] = [
        Patch(facecolor=c, edgecolor="#666666", label=lab)
        for c, lab in zip(colours, classes.labels, strict=True)
    ]
    statuses = set(shown["_status"])
    if "niet_geschikt" in statuses:
        handles.append(
            Patch(
                facecolor=COLOUR_NOT_ELIGIBLE,
                label="niet geschikt / geen score\n(reden: zie rapport)",
            )
        )
    if "onderdrukt" in statuses:
        handles.append(
            Patch(
                facecolor=COLOUR_SUPPRESSED,
                label=_wrap(suppressed_note(scored) or _md.SUPPRESSED_STATUS),
            )
        )
    if "robuust" in shown:
        robust = shown["robuust"].astype("boolean").fillna(False).to_numpy(dtype=bool) & is_prio
        if robust.any():
            _lines(ax, gdf[robust].boundary, color=COLOUR_ROBUST, linewidth=1.6, zorder=5)
            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor=COLOUR_ROBUST,
                    linewidth=1.6,
                    label="robuuste prioriteit",
                )
            )
    if dia_areas is not None:
        _label_dia(ax, dia_areas, avoid=list(ax.texts))  # ax.texts: the ranks
        handles.append(
            Line2D(
                [],
                [],
                color=COLOUR_DIA,
                linestyle=(0, (4, 2)),
                linewidth=1.8,
                label="DIA (investeringsgebied)",
            )
        )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
        title="SIA-score",
        title_fontsize=9,
        frameon=True,
    )
    _layout(fig, ax, top=top)
    if top_entries:
        _list_legend(ax, top_entries, title=f"Top {top_k} buurten (rang)")
    _sources_line(fig, sources, synthetic=synthetic)
    return _save(fig, path)


def _layout(fig: Figure, ax: mpl.axes.Axes, *, top: float = _TOP) -> None:
    """Make room right of the map for the legend, then draw the scale bar."""
    ax.set_position(_map_box(float(fig.get_figheight()), top))
    leg = ax.get_legend()
    if leg is not None:
        leg.set_bbox_to_anchor((1.01, 1.0))
    _scale_bar(ax)


def dia_png(
    scored: gpd.GeoDataFrame,
    dia_areas: gpd.GeoDataFrame,
    *,
    path: str | Path | None = None,
    title: str = "Dynamische investeringsagenda: DIA-gebieden",
    synthetic: bool = False,
    sources: Sequence[str] = (),
) -> Figure:
    """Static DIA map: each DIA in its own colour with its name, other buurten light.

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> b = load_buurten("Enschede").head(4).assign(dia_id=["D1", "D1", None, None],
    ...                                            dia_naam=["Oost", "Oost", None, None])
    >>> areas = b.iloc[:2].dissolve(by=["dia_id", "dia_naam"], as_index=False)
    >>> dia_png(b, areas).texts[0].get_text()
    'Dynamische investeringsagenda: DIA-gebieden'
    """
    for frame, name in ((scored, "scored"), (dia_areas, "dia_areas")):
        if "dia_naam" not in frame:
            raise InputError(
                "missing column 'dia_naam' (the DIA contract)", source=name, column="dia_naam"
            )
    rd = scored.to_crs(28992)
    subtitle = (
        "Aaneengesloten buurten met prioriteit"
        if len(dia_areas)
        else "Geen DIA's: geen aaneengesloten prioriteitsbuurten die aan de voorwaarden voldoen"
    )
    fig, ax = _figure(title, subtitle + (" — synthetische gegevens" if synthetic else ""), rd)
    _polygons(ax, rd, color="#f2f2f2", edgecolor="#9a9a9a", linewidth=0.3)
    if dia_areas.empty:
        _layout(fig, ax)
        _sources_line(fig, sources, synthetic=synthetic)
        return _save(fig, path)
    names = [str(n) for n in dia_areas["dia_naam"]]
    # categorical, colour-blind safe (Okabe-Ito), repeated if there are more DIAs
    okabe = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]
    colours = [okabe[i % len(okabe)] for i in range(len(names))]
    areas = dia_areas.to_crs(28992)
    _polygons(ax, areas, color=colours, edgecolor="none")
    if "status" in areas:  # locked earlier DIAs hatched; the status in the legend
        kept = areas[areas["status"].isin(["vastgezet", "gewijzigd"])]
        if len(kept):
            _polygons(ax, kept, facecolor="none", edgecolor="#333333", hatch="///", linewidth=0)
    entries = _label_dia(ax, areas)
    if "status" in areas:
        entries = [f"{e} ({s})" for e, s in zip(entries, areas["status"].astype(str), strict=True)]
    handles = [Patch(facecolor=c, label=n) for c, n in zip(colours, entries, strict=True)]
    ax.legend(handles=handles, loc="upper left", fontsize=7.5, title="DIA", title_fontsize=9)
    _layout(fig, ax)
    _sources_line(fig, sources, synthetic=synthetic)
    return _save(fig, path)


def prognose_png(
    prognosis_per_buurt: pd.DataFrame,
    buurten: gpd.GeoDataFrame,
    *,
    year: int | None = None,
    corporatie: str | None = None,
    path: str | Path | None = None,
    title: str | None = None,
    synthetic: bool = False,
    sources: Sequence[str] = (),
) -> Figure:
    """Static prognosis map: change of the corporation stock from the start of the first
    year to the end of ``year``.

    ``prognosis_per_buurt`` is the table of :func:`geoprestatie.prognosis.project` with
    ``buurtcode`` (``beginstand``, ``eindstand`` per corporation, buurt and year); rows
    without a buurtcode are not drawn but are in the municipal totals.

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> b = load_buurten("Enschede").head(2)
    >>> p = pd.DataFrame({"buurtcode": list(b["buurtcode"]) * 2, "jaar": [2025, 2025, 2030, 2030],
    ...                   "beginstand": [10, 20, 10, 20], "eindstand": [10, 20, 12, 15]})
    >>> prognose_png(p, b).texts[0].get_text()
    'Prognose sociale huurvoorraad eind 2030'
    """
    totals = _md.shown_totals(prognosis_per_buurt, corporatie=corporatie)
    years = sorted(int(y) for y in totals["jaar"].unique())
    year = years[-1] if year is None else year
    if year not in years:
        raise ValueError(f"`year` is {year!r} maar moet een van {years} zijn")
    start = years[0]
    # municipal totals count every dwelling (also those without a buurt); a public
    # prognosis with hidden buurt-years cannot give them (they are in its summary)
    all_rows = prognosis_per_buurt
    complete = not suppressed_mask(all_rows).to_numpy().any()
    if corporatie is not None:
        all_rows = all_rows[all_rows["corporatie"].astype(str) == corporatie]
    jaar = all_rows["jaar"].astype("int64")
    total_start = int(pd.to_numeric(all_rows.loc[jaar == start, "beginstand"]).sum())
    total_now = int(pd.to_numeric(all_rows.loc[jaar == year, "eindstand"]).sum())
    now = totals[totals["jaar"] == year].set_index("buurtcode")
    everything = buurten.to_crs(28992)
    rd = everything[everything["buurtcode"].astype(str).isin(set(totals["buurtcode"]))]
    r = now.reindex(rd["buurtcode"].astype(str))
    idx, labels = _md.change_classes(r["verandering_start"])
    colours = _md.palette("PuOr", 5)[::-1]
    suppressed = r["onderdrukt"].fillna(True).to_numpy(dtype=bool)
    no_stock = everything[~everything.index.isin(rd.index)]
    fill = [
        COLOUR_SUPPRESSED if s else (colours[i] if i >= 0 else "#ffffff")
        for i, s in zip(idx, suppressed, strict=True)
    ]
    who = f"corporatie {corporatie}" if corporatie else "alle corporaties"
    fig, ax = _figure(
        title or f"Prognose sociale huurvoorraad eind {year}",
        f"Verandering begin {start} – eind {year} per buurt, {who}"
        + (" — synthetische gegevens" if synthetic else ""),
        everything,
    )
    _polygons(ax, rd, color=fill, edgecolor="#666666", linewidth=0.3)
    handles = [
        Patch(facecolor=c, edgecolor="#666666", label=lab)
        for c, lab in zip(colours, labels, strict=True)
    ]
    note = suppressed_note(prognosis_per_buurt)
    if note:
        handles.append(Patch(facecolor=COLOUR_SUPPRESSED, label=_wrap(note)))
    if len(no_stock):
        _polygons(ax, no_stock, facecolor="white", edgecolor="#b0b0b0", linewidth=0.3, hatch="////")
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#b0b0b0",
                hatch="////",
                label="geen corporatiewoningen",
            )
        )
    ax.legend(
        handles=handles,
        loc="upper left",
        fontsize=8,
        title=f"Verandering aantal sociale\nhuurwoningen {start}–{year}\n({who})",
        title_fontsize=8.5,
    )
    _layout(fig, ax)
    fig.text(  # right-aligned under the legend: a longer note stays inside the figure
        0.97,
        0.12,
        (
            f"Totaal begin {start}: {nl_int(total_start)}\nTotaal eind {year}: {nl_int(total_now)}"
            if complete
            else "Totalen voor de gemeente:\nzie de prognose-samenvatting"
        ),
        fontsize=8.5,
        va="bottom",
        ha="right",
    )
    _sources_line(fig, sources, synthetic=synthetic)
    return _save(fig, path)
