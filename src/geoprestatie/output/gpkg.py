"""The GeoPackage of a run (``geoprestatie.gpkg``): one layer per spatial result, for QGIS.

Every layer carries a description (``gpkg_contents.description``) and a default QGIS style
in ``layer_styles`` (:mod:`geoprestatie.output._qml`): the classes and colours of the web
map, Dutch field aliases from :mod:`geoprestatie.output.kolommen`. The buurt layers carry
every buurt (a buurt without a value is drawn grey and explained in the legend). Field
names stay canonical: the GeoPackage is also read back (``[dia] vorige``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely

from geoprestatie.output import _qml
from geoprestatie.output._mapdata import (
    COLOUR_DIA,
    COLOUR_NOT_ELIGIBLE,
    COLOUR_ROBUST,
    COLOUR_SUPPRESSED,
    SUPPRESSED_STATUS,
    change_classes,
    classify,
    palette,
    prognosis_totals,
    shown_totals,
)
from geoprestatie.output.kolommen import describe
from geoprestatie.output.tables import KEYS, plain, wide_part
from geoprestatie.publication import suppressed_mask
from geoprestatie.result import RunResult

__all__ = ["Layer", "gpkg_writer", "layers", "prognosis_layer", "write_gpkg"]

#: Missing values, drawn grey on every layer.
_NO_DATA = "#f0f0f0"


@dataclass(frozen=True)
class Layer:
    """One GeoPackage layer with its QGIS style and description."""

    name: str
    frame: gpd.GeoDataFrame
    description: str
    rules: tuple[_qml.Rule, ...]
    #: GDAL's R-tree for the layer. Off for the dwellings: building it for 2.5 M points
    #: took about 180 of the 187 s of writing the layer; QGIS draws the layer without it
    #: and builds it on request (Eigenschappen > Bron > Ruimtelijke index aanmaken).
    spatial_index: bool = True
    #: A point layer whose ``frame`` gives its points as ``x`` and ``y`` columns in
    #: ``crs`` (the joined dwellings: no point object per dwelling), not as a geometry.
    xy: bool = False
    crs: Any = None


def prognosis_layer(projected: pd.DataFrame, buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """Every buurt with the projected corporation stock per year (wide), for QGIS.

    Buurten without a prognosis are kept, with empty values; so are the figures the
    publication policy hid (:func:`shown_totals`, as the map and prognose.csv show them).
    """
    if "buurtcode" not in projected.columns:
        return None
    totals = prognosis_totals(projected)
    hidden = None
    if suppressed_mask(projected).to_numpy().any():
        shown = shown_totals(projected)
        last_year = shown[shown["jaar"] == shown["jaar"].max()]
        hidden = last_year.set_index("buurtcode")["onderdrukt"].astype(bool)
        shown = shown.drop(columns="onderdrukt")
        totals = shown.astype(
            {c: "float64" for c in shown.columns if c not in ("buurtcode", "jaar")}
        )
    wide = totals.pivot(index="buurtcode", columns="jaar", values="eindstand")
    wide.columns = [f"voorraad_{int(y)}" for y in wide.columns]
    first = totals[totals["jaar"] == totals["jaar"].min()].set_index("buurtcode")
    last = totals[totals["jaar"] == totals["jaar"].max()].set_index("buurtcode")
    wide["beginstand"] = first["beginstand"]
    wide["verandering"] = last["verandering_start"]
    if hidden is not None:  # hidden is not "geen prognose": the style tells them apart
        wide["niet_getoond"] = hidden
    layer = buurten[["buurtcode", "buurtnaam", "geometry"]].merge(
        wide.reset_index(), on="buurtcode", how="left"
    )
    if hidden is not None:  # a buurt without a prognosis hides nothing
        layer["niet_getoond"] = layer["niet_getoond"].astype("boolean").fillna(False).astype(bool)
    return gpd.GeoDataFrame(layer, geometry="geometry", crs=buurten.crs)


def _graduated(
    frame: pd.DataFrame, field: str, colours: str, *, decimals: int = 1
) -> list[_qml.Rule]:
    """Quantile classes of ``field`` (as the web maps), then "geen gegevens" for the rest."""
    rules: list[_qml.Rule] = []
    if field in frame.columns:
        values = pd.to_numeric(frame[field], errors="coerce")
        classes = classify(values, scheme="quantiles", k=5, decimals=decimals)
        if classes.labels:
            fills = palette(colours, len(classes.labels))
            if len(classes.bins) == 1:
                expr = f"{_qml.quote_field(field)} = {classes.bins[0]!r}"
                rules.append(_qml.Rule(classes.labels[0], expr, fills[0]))
            else:
                lower = float(values.min())
                rules += _qml.class_rules(field, classes.bins, lower, classes.labels, fills)
    rules.append(_qml.Rule("geen gegevens", "ELSE", _NO_DATA))
    return rules


def _sia_rules(scored: pd.DataFrame) -> list[_qml.Rule]:
    """The SIA web map's classes: YlOrRd quantiles of the scores of eligible buurten, grey
    for not eligible, light grey for suppressed, a black outline for robust priorities."""
    eligible = scored["sia_geschikt"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    score = pd.to_numeric(scored["sia_score"], errors="coerce").where(eligible)
    classes = classify(score, scheme="quantiles", k=5)
    rules: list[_qml.Rule] = []
    field = _qml.quote_field("sia_score")
    if len(classes.bins) == 1:
        expr = f"{field} IS NOT NULL AND {_qml.quote_field('sia_geschikt')}"
        rules.append(_qml.Rule(classes.labels[0], expr, palette("YlOrRd", 1)[0]))
    elif classes.labels:
        fills = palette("YlOrRd", len(classes.labels))
        rules += _qml.class_rules(
            "sia_score", classes.bins, float(score.min()), classes.labels, fills
        )
    geschikt = _qml.quote_field("sia_geschikt")
    rules.append(
        _qml.Rule(
            "niet geschikt (zie Reden)",
            f"{geschikt} IS NULL OR NOT {geschikt}",
            COLOUR_NOT_ELIGIBLE,
        )
    )
    rules.append(_qml.Rule(SUPPRESSED_STATUS, f"{geschikt} AND {field} IS NULL", COLOUR_SUPPRESSED))
    if "robuust" in scored.columns:
        rules.append(
            _qml.Rule(
                "robuuste prioriteit",
                f"{_qml.quote_field('robuust')}",
                None,
                outline=COLOUR_ROBUST,
                outline_width=0.8,
            )
        )
    return rules


def _prognosis_rules(layer: pd.DataFrame) -> list[_qml.Rule]:
    """The prognosis web map's classes of the change since the start (PuOr, 5 classes)."""
    index, labels = change_classes(layer["verandering"])
    fills = palette("PuOr", 5)[::-1]  # purple = decrease, orange = increase
    field = _qml.quote_field("verandering")
    values = pd.to_numeric(layer["verandering"], errors="coerce")
    rules = []
    for i, (label, fill) in enumerate(zip(labels, fills, strict=True)):
        members = values[index == i]
        if len(members):
            lo, hi = float(members.min()), float(members.max())
            rules.append(_qml.Rule(label, f"{field} >= {lo!r} AND {field} <= {hi!r}", fill))
    if "niet_getoond" in layer.columns:  # as the PNG and the web map show them
        expr = f"{_qml.quote_field('niet_getoond')}"
        rules.append(_qml.Rule(SUPPRESSED_STATUS, expr, COLOUR_SUPPRESSED))
    rules.append(_qml.Rule("geen prognose", "ELSE", _NO_DATA))
    return rules


def _about(text: str, synthetic: bool) -> str:
    return text + (" LET OP: synthetische corporatiegegevens (demo)." if synthetic else "")


def layers(result: RunResult, *, dwellings: bool = False) -> list[Layer]:
    """The layers of ``geoprestatie.gpkg`` with their styles and descriptions."""
    synthetic = result.config.synthetic
    table = result.table
    scored = result.dia_result.buurten  # prioritised + dia_id, dia_naam, dia_reden
    own = set(map(str, table.columns))
    table = wide_part(table)  # ~280 corporations: in tabellen, not as fields
    keys = [k for k in KEYS if k in scored.columns]
    sia_cols = [c for c in scored.columns if str(c) not in own and c != "geometry"]
    sia = gpd.GeoDataFrame(
        scored[[*keys, *sia_cols, "geometry"]], geometry="geometry", crs=table.crs
    )
    out = [
        Layer(
            "buurttabel",
            table,
            _about(
                "Alle buurten met de gekoppelde gegevens (één rij per CBS-buurt); "
                "kleur: aandeel corporatiewoningen.",
                synthetic,
            ),
            tuple(_graduated(table, "aandeel_corporatie", "Blues")),
        ),
        Layer(
            "sia",
            sia,
            _about(
                "Alle buurten met de SIA-prioritering (score, rang, robuustheid, DIA); "
                "koppel op buurtcode met buurttabel.",
                synthetic,
            ),
            tuple(_sia_rules(sia)),
        ),
        Layer(
            "dia",
            wide_part(result.dia_result.areas),
            _about("De investeringsgebieden (DIA's), één vlak per gebied.", synthetic),
            (
                _qml.Rule(
                    "DIA", "ELSE", None, outline=COLOUR_DIA, outline_width=0.8, outline_style="dash"
                ),
            ),
        ),
    ]
    if result.prognosis is not None:
        layer = prognosis_layer(result.prognosis, result.buurten)
        if layer is not None:
            out.append(
                Layer(
                    "prognose",
                    layer,
                    _about(
                        "Alle buurten met de geprognosticeerde corporatievoorraad per jaar; "
                        "kleur: verandering sinds het begin.",
                        synthetic,
                    ),
                    tuple(_prognosis_rules(layer)),
                )
            )
    if dwellings and result.joined.stock is not None:
        stock = result.joined.stock
        has_point = (
            (stock["x"].notna() & stock["y"].notna()).to_numpy()
            if {"x", "y"} <= set(stock.columns)
            else None
        )
        # all placed by coordinates (the usual case): the frame itself, not a copy of it
        located = (
            stock.iloc[0:0] if has_point is None else stock if has_point.all() else stock[has_point]
        )
        out.append(
            Layer(
                "woningen",
                located,
                _about(
                    "De corporatiewoningen met een locatie (intern). Zonder ruimtelijke "
                    "index (sneller geschreven); maak die zo nodig in QGIS aan via "
                    "Eigenschappen > Bron.",
                    synthetic,
                ),
                (_qml.Rule("woning", "ELSE", "#3182bd"),),
                spatial_index=False,
                xy=True,
                crs=table.crs,
            )
        )
    return out


def _aliases(frame: pd.DataFrame, table: str, labels: Mapping[str, str]) -> dict[str, str]:
    return {
        str(c): describe(str(c), table=table, values=frame[c], labels=labels).kop
        for c in frame.columns
        if c != "geometry"
    }


#: Rows written per call for large layers (the 2.5 M dwellings of a national run).
_ROWS_PER_WRITE = 250_000

#: ISO WKB of a 2D point: byte order (1 = little endian), type 1, x, y (21 bytes).
_POINT_WKB = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])


def point_wkb(geometry: gpd.GeoSeries) -> pa.Array | None:
    """The WKB of ``geometry`` as an Arrow binary array when every value is a 2D point, else
    ``None``: the same bytes as ``shapely.to_wkb``, from the coordinates in one numpy pass
    (shapely writes one bytes object per point: 0.75 s for the 2.5 M dwellings).

    Examples
    --------
    >>> s = gpd.GeoSeries.from_xy([155000.5, 1.0], [463000.0, 2.0])
    >>> point_wkb(s).to_pylist() == list(shapely.to_wkb(s.values))
    True
    >>> point_wkb(gpd.GeoSeries([None])) is None
    True
    """
    values = geometry.values._data if hasattr(geometry.values, "_data") else geometry.values
    types = shapely.get_type_id(values)
    if not len(values) or (types != shapely.GeometryType.POINT).any():
        return None
    if shapely.has_z(values).any() or shapely.is_empty(values).any():
        return None
    # get_x/get_y: half the time of get_coordinates, which makes an (n, 2) array first
    return xy_wkb(shapely.get_x(values), shapely.get_y(values))


def xy_wkb(x: np.ndarray, y: np.ndarray) -> pa.Array:
    """The WKB of the 2D points ``(x, y)`` as an Arrow binary array (``shapely.to_wkb``'s
    bytes), without a point object for each.

    Examples
    --------
    >>> xy_wkb(np.array([155000.5]), np.array([463000.0])).to_pylist() == [
    ...     shapely.to_wkb(shapely.Point(155000.5, 463000.0))]
    True
    """
    records = np.empty(len(x), dtype=_POINT_WKB)
    records["order"], records["type"] = 1, 1
    records["x"], records["y"] = x, y
    offsets = np.arange(0, (len(x) + 1) * _POINT_WKB.itemsize, _POINT_WKB.itemsize)
    return pa.Array.from_buffers(
        pa.binary(),
        len(x),
        [None, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(records.view(np.uint8))],
    )


def _attributes(frame: pd.DataFrame) -> pd.DataFrame:
    """The fields of a layer's rows: :func:`plain` (no geometry, list cells as text) with
    text columns as pandas strings, a fresh 0-based index and no attrs."""
    attributes = plain(frame).reset_index(drop=True)
    attributes.attrs = {}
    objects = [c for c in attributes.columns if attributes[c].dtype == object]
    return attributes.astype(dict.fromkeys(objects, "string")) if objects else attributes


def _write_part(
    attributes: pd.DataFrame,
    geometry: gpd.GeoSeries,
    gpkg: Path,
    name: str,
    *,
    first: bool,
    options: dict[str, str],
) -> None:
    """One call of GDAL: a point layer (2D points only) from an Arrow table with the WKB of
    :func:`point_wkb`, another layer (or an empty one) by ``to_file`` (pyogrio with Arrow)."""
    wkb = point_wkb(geometry)
    if wkb is None:
        frame = gpd.GeoDataFrame(attributes, geometry=geometry.values, crs=geometry.crs)
        frame.to_file(
            gpkg,
            layer=name,
            driver="GPKG",
            engine="pyogrio",
            use_arrow=True,
            mode="w" if first else "a",
            layer_options=options if first else None,
        )
        return
    table = pa.Table.from_pandas(attributes, preserve_index=False).append_column("geometry", wkb)
    pyogrio.write_arrow(  # as to_file does it, without its per-row type inference
        table,
        gpkg,
        layer=name,
        driver="GPKG",
        geometry_name="geometry",
        geometry_type="Point",
        crs=_gdal_crs(geometry.crs),
        append=not first,
        layer_options=options if first else None,
    )


def _gdal_crs(crs: Any) -> str | None:
    """The CRS as ``pyogrio.write_arrow`` takes it: ``EPSG:<code>``, else GDAL's WKT."""
    epsg = crs.to_epsg() if crs is not None else None
    return f"EPSG:{epsg}" if epsg else (crs.to_wkt("WKT1_GDAL") if crs else None)


def _layer_part(layer: Layer, rows: slice) -> tuple[pd.DataFrame, gpd.GeoSeries, pa.Array | None]:
    """The attributes, geometry and (for an ``xy`` layer: from its coordinates, the
    geometry then empty but for its CRS) point WKB of ``rows`` of ``layer``."""
    part = layer.frame.iloc[rows]
    if not layer.xy:
        geometry = layer.frame.geometry.iloc[rows].reset_index(drop=True)
        return _attributes(part), geometry, None
    x, y = (part[c].to_numpy(dtype=float) for c in ("x", "y"))
    crs_only = gpd.GeoSeries([], crs=layer.crs)  # (and the geometries of an empty part)
    return _attributes(part.drop(columns=["x", "y"])), crs_only, xy_wkb(x, y)


def _point_batches(layer: Layer, schema: list[pa.Schema]) -> Iterator[pa.RecordBatch]:
    """The Arrow batches of an ``xy`` layer, :data:`_ROWS_PER_WRITE` rows each, made when
    GDAL asks for them; ``schema`` gets the first one's. No part is held here while the
    next is made (GDAL frees each once written): one part's copies alive at a time."""
    for start in range(0, len(layer.frame), _ROWS_PER_WRITE):
        attributes, _, wkb = _layer_part(layer, slice(start, start + _ROWS_PER_WRITE))
        table = pa.Table.from_pandas(attributes, preserve_index=False)
        table = table.append_column("geometry", wkb)
        del attributes, wkb
        if not schema:
            schema.append(table.schema)
        elif not table.schema.equals(schema[0]):
            table = table.cast(schema[0])
        batches = table.to_batches()
        del table
        while batches:
            yield batches.pop(0)


def _write_points(layer: Layer, gpkg: Path, options: dict[str, str]) -> None:
    """An ``xy`` layer (the dwellings) in one call of GDAL, fed part by part
    (:func:`_point_batches`): the attributes, Arrow and WKB copies are made per part,
    never for all rows at once (in a forked job, no copy-on-write of the whole frame), and
    GDAL opens the file and the layer once, not once per part."""
    schema: list[pa.Schema] = []
    batches = _point_batches(layer, schema)
    first = next(batches)
    stream = pa.RecordBatchReader.from_batches(schema[0], itertools.chain([first], batches))
    del first
    pyogrio.write_arrow(  # as to_file does it, without its per-row type inference
        stream,
        gpkg,
        layer=layer.name,
        driver="GPKG",
        geometry_name="geometry",
        geometry_type="Point",
        crs=_gdal_crs(layer.crs),
        append=False,  # a new layer (in the file when there is one)
        layer_options=options,
    )


@contextlib.contextmanager
def _without_fsync() -> Iterator[None]:
    """SQLite without ``fsync`` while GDAL writes (``OGR_SQLITE_SYNCHRONOUS=OFF``), the
    previous setting back after.

    Each commit of GDAL (several per layer) waited for the disk: 254 ``fsync`` calls, 0.84 s
    for a national ``intern/`` GeoPackage on a busy machine. The file is written into the
    output set's staging folder and swapped in whole only once complete (:mod:`.files`): a
    crash while writing leaves a staging folder, never a half file in the set; no other
    output is synced to disk either. The same bytes."""
    key = "OGR_SQLITE_SYNCHRONOUS"
    previous = pyogrio.get_gdal_config_option(key)
    pyogrio.set_gdal_config_options({key: "OFF"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({key: previous})


def write_gpkg(result: RunResult, folder: Path, *, dwellings: bool = False) -> list[Path]:
    """Write ``geoprestatie.gpkg`` into ``folder``: buurttabel, sia, dia, prognose layers
    (and ``woningen``, the located dwellings, with ``dwellings=True``), each with its
    default QGIS style and description."""
    return gpkg_writer(result, dwellings=dwellings)(folder)


@dataclass(frozen=True)
class _Ready:
    """A layer made ready for GDAL: the layer, its layer options and, when it is written in
    one part and not from ``x``/``y``, its attributes (else they are made per part)."""

    layer: Layer
    options: dict[str, str]
    attributes: pd.DataFrame | None


def gpkg_writer(result: RunResult, *, dwellings: bool = False) -> Callable[[Path], list[Path]]:
    """:func:`write_gpkg` in two steps: the layers, their attributes and styles are made
    now, the returned function writes the file into the folder it is given.

    In a forked job (:mod:`geoprestatie._fork`) the first step runs in the parent and the
    child only writes: every page a child writes is a copy of its own (copy-on-write), and
    the layers' pandas work (the prognosis summed per buurt and year: 70 MiB of temporary
    arrays at national size) would make the child's memory, not the file's.
    """
    labels = {c.name: c.label for c in result.sia_config.criteria}
    ready: list[_Ready] = []
    styles: dict[str, tuple[str, str]] = {}
    for layer in layers(result, dwellings=dwellings):
        whole = not layer.xy and len(layer.frame) <= _ROWS_PER_WRITE
        # the whole layer, or none of its rows: the column types, for the aliases
        attributes = _layer_part(layer, slice(None) if whole else slice(0, 0))[0]
        options = {"DESCRIPTION": layer.description} | (
            {} if layer.spatial_index else {"SPATIAL_INDEX": "NO"}
        )
        ready.append(_Ready(layer, options, attributes if whole else None))
        text = _qml.qml(layer.rules, _aliases(attributes, layer.name, labels))
        styles[layer.name] = (text, layer.description)
    return partial(_write_ready, ready, styles, result.config.date)


def _write_ready(
    ready: list[_Ready], styles: dict[str, tuple[str, str]], day: dt.date, folder: Path
) -> list[Path]:
    """The second step of :func:`gpkg_writer`: GDAL writes the layers and their styles."""
    gpkg = folder / "geoprestatie.gpkg"
    with _without_fsync():
        for item in ready:
            layer, options = item.layer, item.options
            if layer.xy and len(layer.frame):
                _write_points(layer, gpkg, options)
                continue
            if item.attributes is not None:
                geometry = layer.frame.geometry.reset_index(drop=True)
                _write_part(
                    item.attributes, geometry, gpkg, layer.name, first=True, options=options
                )
                continue
            # a layer of millions of rows in parts (one call each), or an empty xy layer
            for start in range(0, max(len(layer.frame), 1), _ROWS_PER_WRITE):
                rows = slice(start, start + _ROWS_PER_WRITE)
                attributes, geometry, _ = _layer_part(layer, rows)
                _write_part(
                    attributes, geometry, gpkg, layer.name, first=not start, options=options
                )
        _qml.write_styles(gpkg, styles)
    _fixed_dates(gpkg, day)
    return [gpkg]


def _fixed_dates(gpkg: Path, day: dt.date) -> None:
    """Set ``gpkg_contents.last_change`` (GDAL writes the moment of writing) to the run's
    date and the header's change counter to 1, so the same run gives the same file."""
    stamp = f"{day.isoformat()}T00:00:00.000Z"
    with contextlib.closing(sqlite3.connect(gpkg)) as con:
        con.execute("PRAGMA synchronous = OFF")  # as GDAL wrote it (:func:`_without_fsync`)
        with con:
            con.execute("UPDATE gpkg_contents SET last_change = ?", (stamp,))
    # SQLite counts write transactions in the file header (the change counter at bytes
    # 24-27, mirrored as version-valid-for at 92-95); GDAL sometimes makes one more for the
    # same content. The file is complete and closed here: a fixed count, the same bytes.
    with gpkg.open("r+b") as f:
        for at in (24, 92):
            f.seek(at)
            f.write((1).to_bytes(4, "big"))
