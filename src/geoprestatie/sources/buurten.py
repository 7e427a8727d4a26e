"""Reader for CBS wijk- en buurtkaart geometries (any year since 2018)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geoprestatie._validate import (
    BUURTCODE_PATTERN,
    CBS_MISSING_CODES,
    geometry_reason,
    lower_map,
    rows_where,
    to_rd_new,
)
from geoprestatie.errors import DataWarning, InputError
from geoprestatie.sources._tabular import clean_code, restore_code
from geoprestatie.sources.indicators import canonical_indicators

__all__ = ["BUURT_ALIASES", "BUURT_COLUMNS", "read_buurten", "select_gemeente"]

#: The canonical buurt schema, in this order, followed by any kept attributes.
BUURT_COLUMNS: tuple[str, ...] = (
    "buurtcode",
    "buurtnaam",
    "wijkcode",
    "gemeentecode",
    "gemeentenaam",
)

#: CBS field names over the years (case-insensitive) for each canonical column.
BUURT_ALIASES: dict[str, tuple[str, ...]] = {
    "buurtcode": ("BU_CODE", "statcode", "bu_code", "code"),
    "buurtnaam": ("BU_NAAM", "statnaam", "bu_naam", "naam"),
    "wijkcode": ("WK_CODE", "wk_code"),
    "gemeentecode": ("GM_CODE", "gmcode", "gm_code"),
    "gemeentenaam": ("GM_NAAM", "gm_naam", "gmnaam"),
}


#: Column names GDAL's CSV driver reads as WKT polygons (a CSV of buurten, no GDAL format).
_WKT_COLUMNS = "geometry_wkt,geometry,wkt,geom,the_geom"


def _choose_layer(path: Path, layer: str | None) -> str | None:
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises its own DataSourceError family
        raise InputError(f"kan niet als vectorbestand geopend worden: {exc}", source=path) from None
    if layer is not None:
        if layer not in layers:
            raise InputError(
                f"laag is {layer!r} maar het bestand heeft de lagen {layers}", source=path
            )
        return layer
    if len(layers) <= 1:
        return None
    for candidate in layers:
        if candidate.lower() in ("buurten", "buurt", "cbs_buurten"):
            return candidate
    buurt_like = [name for name in layers if "buurt" in name.lower()]
    if len(buurt_like) == 1:
        return buurt_like[0]
    raise InputError(
        f"het bestand heeft meer lagen {layers}. Oplossing: kies er een met layer=... "
        "(CLI: --layer)",
        source=path,
    )


def select_gemeente(
    buurten: gpd.GeoDataFrame, gemeente: str, *, source: str | Path = "buurten"
) -> gpd.GeoDataFrame:
    """Keep the buurten of one municipality, given by name or GM code (case-insensitive).

    Raises
    ------
    ValueError
        If no buurt matches; the message lists the municipalities available.
    """
    wanted = gemeente.strip().lower()
    # a buurt's gemeente is its code (else the digits of its buurtcode): a name selects the
    # codes it names, so a buurt without gemeentenaam in the file is not silently left out
    codes = buurten["gemeentecode"].astype("string").str.strip().str.lower()
    for unit in ("buurtcode", "wijkcode"):
        if unit in buurten.columns:
            codes = codes.fillna("gm" + buurten[unit].astype("string").str[2:6])
    names = buurten["gemeentenaam"].astype("string").str.strip().str.lower()
    number = re.fullmatch(r"(?:gm)?\s*(\d{1,4})", wanted)
    if number:
        wanted = f"gm{int(number.group(1)):04d}"
    named = set(codes[(names == wanted).fillna(False).astype(bool)].dropna())
    mask = ((codes == wanted) | codes.isin(named)).fillna(False).astype(bool)
    if not mask.any():
        pairs = (
            buurten[["gemeentenaam", "gemeentecode"]]
            .drop_duplicates()
            .sort_values("gemeentenaam")
            .astype("string")
            .fillna("?")
        )
        available = ", ".join(f"{n} ({c})" for n, c in pairs.itertuples(index=False))
        raise InputError(
            f"gemeente is {gemeente!r} maar moet een van deze zijn: {available}",
            source=source,
        )
    return buurten.loc[mask].reset_index(drop=True)


def _clean_secrecy_codes(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if col == "geometry" or not pd.api.types.is_numeric_dtype(out[col]):
            continue
        if pd.api.types.is_bool_dtype(out[col]):
            continue
        hit = out[col].isin(CBS_MISSING_CODES)
        if hit.any():
            out[col] = out[col].astype("float64").mask(hit)
    return out


def _require_polygons(gdf: gpd.GeoDataFrame, *, source: str | Path) -> None:
    """A buurt is an area: Point, LineString and other non-polygons are refused."""
    geoms = gdf.geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    wrong = present & ~polygonal
    if wrong.any():
        kinds = sorted(set(shapely.get_type_id(geoms[wrong]).tolist()))
        names = ", ".join(
            ("Point", "LineString", "LinearRing", "Polygon", "MultiPoint", "MultiLineString",
             "MultiPolygon", "GeometryCollection")[k] for k in kinds if 0 <= k <= 7
        )  # fmt: skip
        codes = gdf.loc[wrong, "buurtcode"].astype(str).tolist()[:10]
        raise InputError(
            f"{int(wrong.sum())} buurt(en) zonder vlak ({names}): {codes}; een buurt moet "
            "een (Multi)Polygon zijn. Kies de buurtenlaag van de wijk- en buurtkaart (niet "
            "punten of grenslijnen)",
            source=source,
            column="geometry",
            rows=rows_where(pd.Series(wrong)),
        )


def _repair_geometries(gdf: gpd.GeoDataFrame, *, source: str | Path) -> gpd.GeoDataFrame:
    geoms = gdf.geometry.to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        rows = rows_where(pd.Series(missing))
        codes = gdf.loc[missing, "buurtcode"].tolist()[:10]
        raise InputError(
            f"buurt(en) zonder geometrie {codes}; elke buurt heeft een vlak nodig",
            source=source,
            column="geometry",
            rows=rows,
        )
    invalid = ~shapely.is_valid(geoms)
    if not invalid.any():
        return gdf
    reasons = [shapely.is_valid_reason(g) for g in geoms[invalid]]
    fixed = shapely.make_valid(geoms[invalid])
    # make_valid may return collections with lines or points: keep the polygonal part only
    polys = shapely.get_parts(fixed, return_index=True)
    parts, idx = polys
    keep = np.isin(shapely.get_type_id(parts), (3, 6))
    merged = np.array(
        [
            shapely.multipolygons(shapely.get_parts(parts[keep & (idx == i)]))
            for i in range(len(fixed))
        ],
        dtype=object,
    )
    out = gdf.copy()
    out.loc[invalid, "geometry"] = merged
    codes = gdf.loc[invalid, "buurtcode"].tolist()
    detail = "; ".join(
        f"{c}: {geometry_reason(r)}" for c, r in list(zip(codes, reasons, strict=True))[:10]
    )
    msg = f"{source}: {int(invalid.sum())} ongeldige geometrie(ën) hersteld ({detail})"
    out.attrs.setdefault("geoprestatie_repairs", []).append(msg)
    warnings.warn(msg, DataWarning, stacklevel=3)
    return out


def read_buurten(
    path: str | Path,
    *,
    layer: str | None = None,
    gemeente: str | None = None,
    crs: str | None = None,
) -> gpd.GeoDataFrame:
    """Read a CBS wijk- en buurtkaart file into the canonical buurt schema.

    Accepts GeoPackage, shapefile or GeoJSON of any year since 2018: CBS's changing
    field names (``BU_CODE``/``buurtcode``/``statcode``, ``BU_NAAM``/``buurtnaam``/``statnaam``,
    ``WK_CODE``, ``GM_CODE``, ``GM_NAAM``, any case) are mapped to ``buurtcode, buurtnaam,
    wijkcode, gemeentecode, gemeentenaam, geometry``. The kerncijfers the file carries
    (``WONINGEN``, ``P_HUURCORP``, ``WOZ`` up to 2022; ``woningvoorraad``,
    ``perc_huurwoningen_in_bezit_woningcorporaties`` since 2022) become the canonical
    indicators of :data:`geoprestatie.sources.indicators.INDICATORS` (shares 0-1, euro);
    other attributes are kept, with CBS secrecy codes (-99999999, -99997, ...) turned
    into missing values. ``attrs["indicatoren_bron"]``: canonical column -> file column.

    Parameters
    ----------
    path
        The file to read.
    layer
        Layer name for multi-layer files; by default the single layer, or the one called
        ``buurten``.
    gemeente
        Keep one municipality, by name or GM code (case-insensitive).
    crs
        CRS to assume when the file has none (e.g. ``"EPSG:28992"``). A file without CRS
        is an error otherwise.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per buurt, in EPSG:28992.

    Raises
    ------
    InputError
        Missing file, missing code column, missing CRS or a CRS that contradicts the
        coordinates, duplicate buurtcodes or codes not of the form ``BU`` + 8 digits
        (naming the rows), geometries that are not polygons, or an unknown ``gemeente``.

    Warns
    -----
    DataWarning
        Invalid geometries were repaired (the buurtcodes and reasons are named).

    Examples
    --------
    >>> from geoprestatie.datasets import data_path
    >>> b = read_buurten(data_path("cbs_buurten/cbs_buurten_2022_4gemeenten.gpkg"),
    ...                  gemeente="Enschede")
    >>> len(b), b.crs.to_epsg(), list(b.columns[:5])
    (70, 28992, ['buurtcode', 'buurtnaam', 'wijkcode', 'gemeentecode', 'gemeentenaam'])
    """
    path = Path(path)
    if not path.exists():
        raise InputError("bestand niet gevonden", source=path)
    chosen = _choose_layer(path, layer)
    # a CSV with the polygons as WKT (e.g. geometry_wkt): GDAL's CSV driver reads them
    text = {"GEOM_POSSIBLE_NAMES": _WKT_COLUMNS, "KEEP_GEOM_COLUMNS": "NO"}
    options = text if path.suffix.lower() in (".csv", ".tsv", ".txt") else {}
    try:
        gdf = (
            gpd.read_file(path, layer=chosen, **options)
            if chosen
            else gpd.read_file(path, **options)
        )
    except Exception as exc:
        raise InputError(f"kan niet als vectorbestand gelezen worden: {exc}", source=path) from None
    if not isinstance(gdf, gpd.GeoDataFrame) or "geometry" not in gdf:
        raise InputError(
            "het bestand heeft geen geometriekolom; verwacht een vectorbestand (GPKG, SHP, "
            f"GeoJSON) of een CSV met de vlakken als WKT in een kolom {_WKT_COLUMNS}",
            source=path,
        )

    gdf = gdf.rename(columns=lower_map(gdf.columns, BUURT_ALIASES))
    if "buurtcode" not in gdf.columns:
        raise InputError(
            "geen kolom met de buurtcode gevonden; verwacht een van "
            f"{['buurtcode', *BUURT_ALIASES['buurtcode']]} (hoofdletters maken niet uit), "
            f"gevonden {[c for c in gdf.columns if c != 'geometry']}",
            source=path,
        )
    gdf = to_rd_new(gdf, source=path, assume_crs=crs)

    codes = restore_code(clean_code(gdf["buurtcode"].astype("string")), "BU", 8)
    bad = ~codes.str.fullmatch(BUURTCODE_PATTERN).fillna(False).astype(bool)
    if bad.any():
        shown = codes[bad].fillna("<leeg>").tolist()[:10]
        raise InputError(
            f"buurtcode(s) {shown} hebben niet de vorm 'BU' + 8 cijfers (bijv. BU03070100)",
            source=path,
            column="buurtcode",
            rows=rows_where(bad),
        )
    dup = codes.duplicated(keep=False)
    if dup.any():
        raise InputError(
            f"dubbele buurtcode(s) {sorted(set(codes[dup]))[:10]}; elke buurt mag maar één "
            "keer voorkomen",
            source=path,
            column="buurtcode",
            rows=rows_where(dup),
        )
    gdf["buurtcode"] = codes.astype(str)
    if "wijkcode" not in gdf.columns:
        gdf["wijkcode"] = "WK" + gdf["buurtcode"].str[2:8]
    if "gemeentecode" not in gdf.columns:
        gdf["gemeentecode"] = "GM" + gdf["buurtcode"].str[2:6]
    for col in ("buurtnaam", "gemeentenaam"):
        if col not in gdf.columns:
            gdf[col] = pd.Series(pd.NA, index=gdf.index, dtype="string")
    _require_polygons(gdf, source=path)
    gdf = canonical_indicators(gdf, source=path)
    found = dict(gdf.attrs.get("indicatoren_bron", {}))
    gdf = _clean_secrecy_codes(gdf)
    if gemeente is not None:
        gdf = select_gemeente(gdf, gemeente, source=path)
    gdf = _repair_geometries(gdf, source=path)
    rest = [c for c in gdf.columns if c not in (*BUURT_COLUMNS, "geometry")]
    out = gdf[[*BUURT_COLUMNS, *rest, "geometry"]].reset_index(drop=True)
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=gdf.crs)
    out.attrs["source"] = str(path)
    out.attrs["indicatoren_bron"] = found
    return out
