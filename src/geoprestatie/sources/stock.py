"""Reader for the corporations' housing stock (one row per dwelling, vhe)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray
from pyproj import Transformer

from geoprestatie._validate import (
    RD_NEW,
    RD_X_LAND,
    RD_Y_LAND,
    config_contradiction,
    lower_map,
    require_columns,
)
from geoprestatie.errors import DataWarning, InputError
from geoprestatie.sources._excel import sheet_headers
from geoprestatie.sources._filecheck import check_table_file
from geoprestatie.sources._tabular import (
    Rejects,
    _arrow_text,
    _cell_text,
    _np_bool,
    aligned,
    attach,
    canonical_columns,
    distinct,
    parse_bool,
    parse_buurtcode,
    parse_number,
    parse_number_column,
    parse_numbers,
    points,
    read_table,
    read_vector,
    with_source_rows,
)
from geoprestatie.sources.aliases import STOCK_ALIASES
from geoprestatie.sources.bag import locate_by_bag

__all__ = [
    "ENERGIELABELS",
    "HUURPRIJS_RANGE",
    "STOCK_COLUMNS",
    "duplicated_dwellings",
    "dwelling_key",
    "link_to_stock",
    "normalise_label",
    "read_stock",
]

#: Energy labels, best first (the order of the categorical).
ENERGIELABELS: tuple[str, ...] = ("A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G")

#: Plausible monthly rent in euro (``huurprijs``), both ends included. Below 50 euro a month
#: is no rent of a dwelling but a misread number (``1.050`` read as 1.05) or a fee; above
#: 10,000 a typing error. Values outside are reported as ``ongeldige_waarde``.
HUURPRIJS_RANGE: tuple[float, float] = (50.0, 10_000.0)

#: Canonical stock columns in order; extra columns follow, then ``bron_rij`` and geometry.
STOCK_COLUMNS: tuple[str, ...] = (
    "vhe_id",
    "corporatie",
    "buurtcode",
    "energielabel",
    "bouwjaar",
    "woningtype",
    "huurprijs",
    "daeb",
    "conditiescore",
)

ADDRESS_PARTS = ("postcode", "huisnummer", "huisletter", "toevoeging")
_VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".fgb", ".gml")
# besides the ja/nee words of geoprestatie.sources._tabular.parse_bool
_DAEB_TRUE = ("daeb",)
_DAEB_FALSE = ("niet-daeb", "niet daeb", "nietdaeb", "-")
# plausible RD New extent (m) and WGS84 extent (degrees) of the Netherlands
_RD_X = (0.0, 300_000.0)
_RD_Y = (289_000.0, 629_000.0)
_LON = (3.0, 7.5)
_LAT = (50.5, 53.8)
_TO_RD = Transformer.from_crs("EPSG:4326", RD_NEW, always_xy=True)


def normalise_label(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Normalise energy labels (case, spaces, ``A+`` forms); return (categorical, invalid).

    Examples
    --------
    >>> lab, bad = normalise_label(pd.Series(["a ++", "c", "H", None, "A+++ +"]))
    >>> lab.astype(object).tolist(), bad.tolist()
    (['A++', 'C', nan, nan, 'A++++'], [False, False, True, False, False])
    """
    codes, uniques = distinct(values)
    text = uniques.str.upper().str.replace(r"\s+", "", regex=True).str.removeprefix("LABEL")
    ok = text.isin(ENERGIELABELS).fillna(False).astype(bool).to_numpy()
    # categorical codes: per distinct value its label's position, -1 when unknown or empty
    label_pos = np.array(
        [ENERGIELABELS.index(t) if k else -1 for t, k in zip(text, ok, strict=True)],
        dtype=np.int64,
    )
    cat_codes = np.where(codes >= 0, np.append(label_pos, -1)[codes], -1)
    cat = pd.Categorical.from_codes(
        cat_codes.astype(np.int64), dtype=pd.CategoricalDtype(list(ENERGIELABELS), ordered=True)
    )
    invalid = (codes >= 0) & ~np.append(ok, True)[codes]
    return (
        pd.Series(cat, index=values.index, name="energielabel"),
        pd.Series(invalid, index=values.index, dtype=bool),
    )


def read_frame(
    path: str | Path,
    *,
    layer: str | None = None,
    sheet_for: tuple[str, ...] = ("vhe_id",),
    aliases: Mapping[str, tuple[str, ...]] = STOCK_ALIASES,
) -> pd.DataFrame:
    """Read CSV/XLSX (all text) or a point vector file (``x``/``y`` in RD New from geometry).

    A workbook with several sheets is read from the sheet named after the dataset (as in
    the delivery template) or else the first whose header has the columns ``sheet_for``
    (under any alias): corporations often put an explanation sheet first.
    """
    path = Path(path)
    if path.suffix.lower() not in _VECTOR_SUFFIXES:
        if check_table_file(path) == "xlsx":
            return read_table(path, sheet=_dataset_sheet(path, sheet_for, aliases))
        return read_table(path)
    gdf = read_vector(path, layer=layer)
    geoms = gdf.geometry
    has_geom = geoms.notna() & ~geoms.is_empty
    not_point = has_geom & (geoms.geom_type != "Point")
    if not_point.any():
        raise InputError(
            f"verwacht punten (één per woning), gevonden "
            f"{sorted(set(geoms[not_point].geom_type))} op "
            f"{int(not_point.sum())} object(en). Oplossing: neem in QGIS het zwaartepunt "
            "(Vector > Geometrie > Zwaartepunten) of lever x/y in een tabel",
            source=path,
            column="geometry",
            rows=[int(i) + 1 for i in np.flatnonzero(not_point.to_numpy())][:10],
        )
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).map(_cell_text)
    df["x"] = pd.Series(np.where(has_geom, geoms.x, np.nan), index=df.index).map(_cell_text)
    df["y"] = pd.Series(np.where(has_geom, geoms.y, np.nan), index=df.index).map(_cell_text)
    df.index = pd.RangeIndex(1, len(df) + 1)
    return df


#: Sheet names of the delivery template (and of exports) per dataset column set.
_SHEET_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("vhe_id",): ("voorraad", "bezit", "woningen"),
    ("jaar", "status"): ("verkoop", "verkopen"),
}


def _dataset_sheet(
    path: Path, columns: tuple[str, ...], aliases: Mapping[str, tuple[str, ...]]
) -> str | int:
    """The sheet of a workbook that holds the dataset (see :func:`read_frame`)."""
    headers = sheet_headers(path)
    names = list(headers)
    if len(names) <= 1:
        return 0
    wanted = _SHEET_NAMES.get(columns, ())
    for name in names:
        if name.strip().casefold() in wanted:
            return name
    for name, header in headers.items():
        found = set(lower_map(header, {c: aliases.get(c, ()) for c in columns}).values())
        if all(c in found or c in header for c in columns):
            return name
    accepted = "; ".join(f"{c} (of {', '.join(aliases.get(c, ())[:4])})" for c in columns)
    raise InputError(
        f"geen van de tabbladen {names} heeft de kolom(men) {accepted} in rij 1; zet de "
        "gegevens op een tabblad met zo'n kopregel (of noem het tabblad "
        f"{wanted[0] if wanted else columns[0]!r})",
        source=path,
    )


#: The location columns a stock or sales file may have (label -> columns).
LOCATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "x+y (RD New)": ("x", "y"),
    "lon+lat (WGS84)": ("lon", "lat"),
    "buurtcode": ("buurtcode",),
    "adres (postcode + huisnummer, met een BAG-extract)": ("postcode", "huisnummer"),
    "bag_id (met een BAG-extract)": ("bag_id",),
}


def require_location(df: pd.DataFrame, required: list[str], *, source: str | Path) -> None:
    """Raise listing found and expected columns if a required or location column is missing."""
    require_columns(
        df,
        required,
        source=source,
        one_of=LOCATION_COLUMNS,
        one_of_what="een locatie",
        aliases="geoprestatie.sources.aliases.STOCK_ALIASES",
        accepted=STOCK_ALIASES,
    )


def dwelling_key(df: pd.DataFrame) -> pd.Series:
    """The identity of a dwelling: ``corporatie`` (case and spaces ignored) and ``vhe_id``.

    Corporations number their dwellings each on their own, so ``1001`` of Portaal and
    ``1001`` of de Alliantie are two dwellings. NA where the ``vhe_id`` is missing.

    Examples
    --------
    >>> dwelling_key(pd.DataFrame({"corporatie": ["Portaal", " portaal"],
    ...                            "vhe_id": ["1001", "1001"]})).duplicated().tolist()
    [False, True]
    """
    corp = df["corporatie"].astype("string").str.strip().str.casefold().fillna("")
    vhe = df["vhe_id"].astype("string").str.strip()
    return (corp + "\x00" + vhe).where(vhe.notna())


def duplicated_dwellings(df: pd.DataFrame) -> pd.Series:
    """True for every repeat of a dwelling (:func:`dwelling_key`) after its first row.

    The usual file has no repeated ``vhe_id`` at all; that is checked first with one sort
    of the ``vhe_id`` column, and only when some repeat the corporation is looked at.

    Examples
    --------
    >>> duplicated_dwellings(pd.DataFrame({"corporatie": ["P", "Q", "p"],
    ...                                    "vhe_id": ["1", "1", "1"]})).tolist()
    [False, False, True]
    """
    vhe = pa.array(df["vhe_id"].astype("string[pyarrow]").array)
    if isinstance(vhe, pa.ChunkedArray):
        vhe = vhe.combine_chunks()
    ordered = vhe.take(pc.sort_indices(vhe))
    if len(ordered) < 2 or not pc.any(pc.equal(ordered[1:], ordered[:-1])).as_py():
        return pd.Series(False, index=df.index)
    return dwelling_key(df).duplicated()


def link_to_stock(sales: pd.DataFrame, stock: pd.DataFrame) -> NDArray[np.int64]:
    """The position in ``stock`` of each sale's dwelling; -1 unknown, -2 ambiguous.

    A sale with a ``corporatie`` is matched on (``corporatie``, ``vhe_id``)
    (:func:`dwelling_key`); one without is matched on ``vhe_id`` alone, and when several
    corporations have that ``vhe_id`` the sale is ambiguous (-2): the caller reports it
    (reason ``dubbelzinnig_vhe_id``) instead of guessing the corporation. A sale without
    ``vhe_id`` is -1.

    Examples
    --------
    >>> stock = pd.DataFrame({"vhe_id": ["1001", "1001", "7"],
    ...                       "corporatie": ["Portaal", "de Alliantie", "Portaal"]})
    >>> sales = pd.DataFrame({"vhe_id": ["1001", "1001", "7", "8", None],
    ...                       "corporatie": [None, "de alliantie", None, None, None]})
    >>> link_to_stock(sales, stock).tolist()
    [-2, 1, 2, -1, -1]
    """
    out = _link(sales, stock)
    unknown = out == -1
    if unknown.any() and "vhe_id" in sales.columns and len(stock):
        out = _link_without_zeros(sales, stock, out, unknown)
    return out


def _link_without_zeros(
    sales: pd.DataFrame, stock: pd.DataFrame, out: NDArray[np.int64], unknown: NDArray[np.bool_]
) -> NDArray[np.int64]:
    """Sales whose numeric ``vhe_id`` lost its leading zeros (a spreadsheet read ``000123``
    as the number 123) linked to the one dwelling with that number; said in a
    :class:`~geoprestatie.errors.DataWarning`. A number that fits several dwellings stays
    unknown (reported)."""
    vhe = sales["vhe_id"].astype("string").str.strip().reset_index(drop=True)
    numeric = unknown & vhe.str.fullmatch(r"\d+").fillna(False).to_numpy(dtype=bool)
    if not numeric.any():
        return out
    stripped = stock["vhe_id"].astype("string").str.strip()
    padded = stripped.str.fullmatch(r"0\d+").fillna(False)
    if not bool(padded.any()):
        return out
    short_stock = stock[[c for c in ("corporatie", "vhe_id") if c in stock.columns]].copy()
    short_stock["vhe_id"] = stripped.str.lstrip("0").where(padded)
    short_sales = sales.reset_index(drop=True).loc[numeric].copy()
    short_sales["vhe_id"] = vhe[numeric].str.lstrip("0")
    again = _link(short_sales, short_stock)
    found = np.flatnonzero(numeric)[again >= 0]
    if not found.size:
        return out
    out = out.copy()
    out[found] = again[again >= 0]
    first = int(found[0])
    warnings.warn(
        f"verkoop: {found.size} vhe_id('s) zonder voorloopnullen gekoppeld aan de woning met "
        f"die nullen (bv. {vhe.iloc[first]!r} -> "
        f"{stock['vhe_id'].astype('string').iloc[int(out[first])]!r}); een spreadsheet "
        "maakte er een getal van. Oplossing: lever vhe_id als tekst",
        DataWarning,
        stacklevel=3,
    )
    return out


def _link(sales: pd.DataFrame, stock: pd.DataFrame) -> NDArray[np.int64]:
    """:func:`link_to_stock` on the ``vhe_id`` as written."""
    out = np.full(len(sales), -1, dtype=np.int64)
    if "vhe_id" not in sales.columns or not len(stock):
        return out
    vhe = sales["vhe_id"].astype("string").str.strip().reset_index(drop=True)
    # only the dwellings whose vhe_id occurs in the sales can match: one hash pass over the
    # stock's vhe_id in pyarrow (linear, no Python string per dwelling), then the keys are
    # built for those few rows only
    all_vhe = _arrow_text(stock["vhe_id"].astype("string").str.strip())
    wanted = pa.array(np.asarray(vhe.dropna().unique(), dtype=object), type=pa.string())
    where = np.flatnonzero(_np_bool(pc.is_in(all_vhe, value_set=wanted)))
    stock_vhe = all_vhe.take(pa.array(where, type=pa.int64()))
    if "corporatie" in sales.columns:
        has_corp = sales["corporatie"].notna().to_numpy() & vhe.notna().to_numpy()
    else:
        has_corp = np.zeros(len(sales), dtype=bool)
    by_vhe = _unique_positions(stock_vhe, where, _arrow_text(vhe.where(~has_corp)))
    out = np.where(vhe.notna().to_numpy() & ~has_corp, by_vhe, out)
    if has_corp.any():
        stock_key = dwelling_key(stock[["corporatie", "vhe_id"]].iloc[where])
        sale_key = pd.Series(dwelling_key(sales).to_numpy(), dtype="string").where(has_corp)
        by_key = _unique_positions(_arrow_text(stock_key), where, _arrow_text(sale_key))
        out = np.where(has_corp, by_key, out)
    return out.astype(np.int64)


def _unique_positions(
    keys: pa.Array, positions: NDArray[np.intp], query: pa.Array
) -> NDArray[np.int64]:
    """Per ``query`` value, the position (``positions``) of the one key equal to it: -1
    when none is (or the query is null), -2 when several are. One dictionary encoding of
    both arrays (hashing in pyarrow), the rest in numpy.

    Examples
    --------
    >>> keys = pa.array(["a", "b", "b", None])
    >>> _unique_positions(keys, np.array([10, 11, 12, 13]),
    ...                   pa.array(["b", "a", "c", None])).tolist()
    [-2, 10, -1, -1]
    """
    both = pc.dictionary_encode(pa.concat_arrays([keys.cast(pa.string()), query.cast(pa.string())]))
    codes = pc.fill_null(both.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    key_codes, query_codes = codes[: len(keys)], codes[len(keys) :]
    given = key_codes >= 0
    size = len(both.dictionary) + 1  # + 1: an all-null query still has a code 0 to look at
    count = np.bincount(key_codes[given], minlength=size)
    at = np.full(size, -1, dtype=np.int64)
    at[key_codes[given]] = np.asarray(positions, dtype=np.int64)[given]
    safe = np.maximum(query_codes, 0)
    hit = np.where(query_codes >= 0, at[safe], -1)
    return np.where((query_codes >= 0) & (count[safe] > 1), -2, hit).astype(np.int64)


def _locate_addresses(
    df: pd.DataFrame,
    x: pd.Series,
    y: pd.Series,
    code: pd.Series,
    rejects: Rejects,
    *,
    bag: pd.DataFrame | None,
    source: str | Path,
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """x/y from the BAG extract for rows with an address or BAG id and no x/y; rows not
    found (and without a buurtcode) are set aside with the reason."""
    given = pd.Series(False, index=df.index)
    if "bag_id" in df:
        given |= df["bag_id"].notna()
    if {"postcode", "huisnummer"} <= set(df.columns):
        given |= df["postcode"].notna() & df["huisnummer"].notna()
    need = (x.isna() | y.isna()) & given
    if not bool(need.any()):
        return df, x, y
    if bag is None:
        if bool((need & code.isna()).any()):
            raise InputError(
                "het bestand noemt woningen met een adres of BAG-id maar zonder coördinaten; "
                "verwacht een BAG-extract om ze te plaatsen. Oplossing: zet in de config "
                '[bronnen] bag = "verblijfsobjecten.gpkg" (de laag verblijfsobject van de '
                "BAG-GeoPackage van PDOK, of een CSV met adressen en x/y)",
                source=source,
            )
        return df, x, y
    located, reason = locate_by_bag(df.assign(x=x, y=y), bag)
    df = df.copy()
    df["bag_id"] = located["bag_id"]
    x, y = located["x"].astype("float64"), located["y"].astype("float64")
    for why, column in (
        ("onbekend_bag_id", "bag_id"),
        ("onbekend_adres", "huisnummer"),
        ("dubbelzinnig_adres", "huisnummer"),
    ):
        hit = (reason == why).fillna(False) & aligned(code, reason.index).isna()
        shown = _address_text(df) if column == "huisnummer" and "huisnummer" in df else None
        df = rejects.add_mask(df, hit, why, column=column, shown=shown)
    return df, aligned(x, df.index), aligned(y, df.index)


def _address_text(df: pd.DataFrame) -> pd.Series:
    """The address as the file gives it, for the accounting (``3811AB 12-A``)."""
    parts = [df[c].astype("string").fillna("") for c in ADDRESS_PARTS if c in df]
    text = parts[0]
    for part in parts[1:]:
        text = text + " " + part
    return text.str.strip().astype("string")


def locate(
    df: pd.DataFrame,
    rejects: Rejects,
    *,
    source: str | Path,
    required: bool = True,
    bag: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Parse the location columns into RD New ``x``/``y`` and a checked ``buurtcode``.

    Rows with an unusable location are recorded in ``rejects`` and left out.
    """
    df = df.copy()
    n = len(df)
    x = pd.Series(np.nan, index=df.index)
    y = pd.Series(np.nan, index=df.index)
    if {"x", "y"} <= set(df.columns):
        with ThreadPoolExecutor(max_workers=1) as pool:  # pyarrow and numpy release the GIL
            # the range resolves Excel's thousands dots: 155.159 can only be 155159 m
            x_job = pool.submit(parse_number_column, df["x"], plausible=RD_X_LAND)
            ys, bad_y, note_y = parse_number_column(df["y"], plausible=RD_Y_LAND)
            xs, bad_x, note_x = x_job.result()
        df = rejects.add_mask(df, bad_x, "ongeldige_waarde", column="x", shown=note_x)
        df = rejects.add_mask(df, bad_y, "ongeldige_waarde", column="y", shown=note_y)
        xs, ys = aligned(xs, df.index), aligned(ys, df.index)
        given = xs.notna() & ys.notna()
        degrees = given & xs.abs().le(180) & ys.abs().le(90)
        if given.any() and degrees[given].all():
            raise InputError(
                "x/y bevatten waarden als WGS84-graden (bv. "
                f"{xs[given].iloc[0]}, {ys[given].iloc[0]}); verwacht RD New-meters "
                "(EPSG:28992). Oplossing: noem de kolommen lon/lat als het WGS84-graden zijn",
                source=source,
                column="x",
            )
        outside = given & ~(xs.between(*_RD_X) & ys.between(*_RD_Y))
        if outside.any():
            df = df.copy()
            df["x"] = df["x"].astype(object)
            df.loc[outside, "x"] = [
                f"{a}, {b} (niet in RD New)"
                for a, b in zip(df.loc[outside, "x"], df.loc[outside, "y"], strict=True)
            ]
            df = rejects.add_mask(df, outside, "ongeldige_waarde", column="x")
        x = aligned(xs, df.index)
        y = aligned(ys, df.index)
    else:
        x, y = aligned(x, df.index), aligned(y, df.index)
    if {"lon", "lat"} <= set(df.columns):
        lons, bad_lon = parse_number(df["lon"])
        lats, bad_lat = parse_number(df["lat"])
        use = x.isna() | y.isna()
        df = rejects.add_mask(df, use & bad_lon, "ongeldige_waarde", column="lon")
        df = rejects.add_mask(
            df, aligned(use & bad_lat, df.index), "ongeldige_waarde", column="lat"
        )
        lons, lats, use = aligned(lons, df.index), aligned(lats, df.index), aligned(use, df.index)
        given = use & lons.notna() & lats.notna()
        outside = given & ~(lons.between(*_LON) & lats.between(*_LAT))
        df = rejects.add_mask(df, outside, "ongeldige_waarde", column="lon")
        x, y = aligned(x, df.index), aligned(y, df.index)
        given = aligned(given, df.index)
        if given.any():
            ex, ey = _TO_RD.transform(
                aligned(lons, df.index)[given].to_numpy(), aligned(lats, df.index)[given].to_numpy()
            )
            x = x.copy()
            y = y.copy()
            x[given] = ex
            y[given] = ey
    code = pd.Series(pd.NA, index=df.index, dtype="string")
    if "buurtcode" in df.columns:
        code, bad = parse_buurtcode(df["buurtcode"])
        df = rejects.add_mask(df, bad, "ongeldige_waarde", column="buurtcode")
        code = aligned(code, df.index)
        x, y = aligned(x, df.index), aligned(y, df.index)
    x, y = aligned(x, df.index), aligned(y, df.index)
    if "bag_id" in df.columns or {"postcode", "huisnummer"} <= set(df.columns):
        df, x, y = _locate_addresses(df, x, y, code, rejects, bag=bag, source=source)
        code = aligned(code, df.index)
    if required:
        no_loc = (x.isna() | y.isna()) & code.isna()
        df = rejects.add_mask(df, no_loc, "geen_locatie", column=None)
    out = df.copy()
    out["x"] = aligned(x, df.index).astype("float64")
    out["y"] = aligned(y, df.index).astype("float64")
    out["buurtcode"] = aligned(code, df.index)
    assert len(out) <= n
    return out


def read_stock(
    path: str | Path,
    *,
    layer: str | None = None,
    corporatie: str | None = None,
    bag: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Read a corporation's stock file (CSV, XLSX, GPKG/GeoJSON points) into the stock schema.

    Parameters
    ----------
    path
        The file. CSV may use ``,`` or ``;``, decimal commas, UTF-8 (with or without BOM) or
        cp1252. Column aliases: :data:`geoprestatie.sources.aliases.STOCK_ALIASES`. The
        decimal separator is decided per column; a number that fits two readings in its
        column (``1.050`` with no other decimals: 1050 or 1.05) is reported, not guessed
        (:func:`geoprestatie.sources._tabular.parse_number_column`). ``huurprijs`` must lie
        in :data:`HUURPRIJS_RANGE` (euro a month); ``€`` and spaces are ignored.
    layer
        Layer of a multi-layer vector file.
    corporatie
        Corporation name for files without a ``corporatie`` column (a one-corporation
        export). A file whose ``corporatie`` column names another corporation than this
        one is an error (the config contradicts the file).
    bag
        A BAG extract (:func:`geoprestatie.sources.bag.read_bag`) to place dwellings given
        by address or BAG verblijfsobject-id; rows it cannot place are set aside with their
        reason (``onbekend_adres``, ``dubbelzinnig_adres``, ``onbekend_bag_id``).

    Returns
    -------
    geopandas.GeoDataFrame
        The accepted dwellings in the canonical stock schema (EPSG:28992; geometry is None
        where only a ``buurtcode`` was given), with ``bron_rij``. Rows that were not accepted
        (invalid value per column, duplicate ``vhe_id``, no location) are in
        ``attrs["afgewezen"]`` with ``attrs["rijen_gelezen"]`` (see
        :mod:`geoprestatie.sources._tabular`), and a :class:`DataWarning` names them.

    Raises
    ------
    InputError
        Empty file, a missing required column (lists the columns found and expected),
        x/y holding WGS84 degrees, or no usable row at all (names the reasons).

    Examples
    --------
    A ``;``-separated file with decimal commas, as Dutch Excel writes it:

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "voorraad.csv"
    >>> _ = p.write_text("vhe;corporatie;x;y;label;huur\\n"
    ...                  "A1;Portaal;155000;463000;a+;612,30\\n", encoding="cp1252")
    >>> s = read_stock(p)
    >>> s[["vhe_id", "energielabel", "huurprijs"]].values.tolist()
    [['A1', 'A+', 612.3]]
    >>> s.attrs["rijen_gelezen"], s.attrs["afgewezen"]
    (1, [])
    """
    path = Path(path)
    raw = canonical_columns(read_frame(path, layer=layer), STOCK_ALIASES)
    if corporatie is not None:
        raw = _one_corporation(raw, corporatie, source=path)
    require_location(raw, ["vhe_id", "corporatie"], source=path)
    source = path.name
    rejects = Rejects(source)
    df = with_source_rows(raw)
    n_read = len(df)
    df = rejects.add_mask(df, df["vhe_id"].isna(), "ongeldige_waarde", column="vhe_id")
    df = rejects.add_mask(df, df["corporatie"].isna(), "ongeldige_waarde", column="corporatie")
    # a dwelling is (corporatie, vhe_id): corporations number their dwellings each on their own
    df = rejects.add_mask(df, duplicated_dwellings(df), "dubbel_vhe_id", column="vhe_id")
    df = locate(df, rejects, source=path, bag=bag)

    parsed: dict[str, pd.Series] = {}
    ahead = _parse_ahead(df)
    if "energielabel" in df:
        lab, bad = ahead["energielabel"].result()  # per value: the same on fewer rows
        df = rejects.add_mask(df, bad, "ongeldige_waarde", column="energielabel")
        parsed["energielabel"] = aligned(lab, df.index)
    for col, lo, hi, integer in _NUMBER_COLUMNS:
        if col not in df:
            continue
        (num, bad, note), depends = ahead[col].result()
        if depends and not num.index.equals(df.index):
            # rows set aside by an earlier column were evidence for this column's decimal
            # separator: decide it on the rows left, as one column after the other
            num, bad, note = parse_number_column(df[col])
        num, bad, note = aligned(num, df.index), aligned(bad, df.index), aligned(note, df.index)
        bad = bad | (num.notna() & ~num.between(lo, hi))
        if integer:
            bad = bad | (num.notna() & (num % 1 != 0))
        df = rejects.add_mask(df, bad, "ongeldige_waarde", column=col, shown=note)
        num = aligned(num, df.index)
        parsed[col] = num.astype("Int64") if integer else num
    if "daeb" in df:
        daeb, bad = ahead["daeb"].result()  # per value: the same on fewer rows
        df = rejects.add_mask(df, bad, "ongeldige_waarde", column="daeb")
        parsed["daeb"] = aligned(daeb, df.index)
    if df.empty:
        raise InputError(
            f"geen bruikbare rijen: {n_read} rij(en) gelezen, alle apart gezet: "
            f"{rejects.reasons()}; verwacht minstens één woning met geldige waarden. "
            "Oplossing: corrigeer de genoemde kolommen",
            source=path,
        )
    # a column parsed early must not keep rows a later check set aside
    parsed = {col: aligned(series, df.index) for col, series in parsed.items()}

    out = pd.DataFrame(index=df.index)
    out["vhe_id"] = df["vhe_id"].astype("string")
    out["corporatie"] = _labels(df["corporatie"])
    out["buurtcode"] = df["buurtcode"].astype("string")
    out["energielabel"] = parsed.get(
        "energielabel",
        pd.Series(
            pd.Categorical([None] * len(df), categories=list(ENERGIELABELS), ordered=True),
            index=df.index,
        ),
    )
    out["bouwjaar"] = parsed.get("bouwjaar", pd.Series(pd.NA, index=df.index, dtype="Int64"))
    out["woningtype"] = (
        _labels(df["woningtype"])
        if "woningtype" in df
        else pd.Series(pd.NA, index=df.index, dtype="string").astype("category")
    )
    out["huurprijs"] = parsed.get("huurprijs", pd.Series(np.nan, index=df.index))
    out["daeb"] = parsed.get("daeb", pd.Series(pd.NA, index=df.index, dtype="boolean"))
    out["conditiescore"] = parsed.get(
        "conditiescore", pd.Series(pd.NA, index=df.index, dtype="Int64")
    )
    skip = set(STOCK_COLUMNS) | {"x", "y", "lon", "lat", "bron_rij"}
    for col in df.columns:
        if col not in skip:
            out[col] = df[col]
    out["bron_rij"] = df["bron_rij"].astype("int64")
    geom = points(df["x"], df["y"])
    gdf = gpd.GeoDataFrame(out.reset_index(drop=True), geometry=geom, crs=RD_NEW)
    attach(gdf, source=source, n_read=n_read, rejects=rejects)
    warn_rejected(source, rejects)
    return gdf


def _labels(values: pd.Series) -> pd.Series:
    """A text column of few distinct values (``corporatie``, ``woningtype``) as a pandas
    categorical of its text: the values and their sorted order stay those of the text
    (``astype("string")`` gives it back), one small code per dwelling instead of one string
    each (about 0.14 GB less for the 2.5 M dwellings of a national run).

    Examples
    --------
    >>> _labels(pd.Series(["b", "a", None, "b"])).cat.categories.tolist()
    ['a', 'b']
    """
    return values.astype("string").astype("category")


#: Numeric stock columns: name, lowest and highest valid value, whole numbers only.
_NUMBER_COLUMNS: tuple[tuple[str, float, float, bool], ...] = (
    ("bouwjaar", 1000, 2100, True),
    ("huurprijs", HUURPRIJS_RANGE[0], HUURPRIJS_RANGE[1], False),
    ("conditiescore", 1, 6, True),
)


def _parse_ahead(df: pd.DataFrame) -> dict[str, Future[Any]]:
    """Parse the label, number and ja/nee columns of ``df`` on two threads (pyarrow and
    numpy release the GIL); :func:`read_stock` takes the results one column after the
    other and parses a number column again only when rows left out since changed it
    (:func:`geoprestatie.sources._tabular.parse_numbers`)."""
    jobs: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
        col: (parse_numbers, {}) for col, *_ in _NUMBER_COLUMNS
    }
    jobs["energielabel"] = (normalise_label, {})
    jobs["daeb"] = (parse_bool, {"true": _DAEB_TRUE, "false": _DAEB_FALSE})
    with ThreadPoolExecutor(max_workers=2) as pool:
        return {
            col: pool.submit(func, df[col], **kwargs)
            for col, (func, kwargs) in jobs.items()
            if col in df
        }


def _one_corporation(raw: pd.DataFrame, corporatie: str, *, source: Path) -> pd.DataFrame:
    """The corporation given in the config/CLI for a file of one corporation; a file that
    names another one contradicts it (an error, never silently overridden)."""
    raw = raw.copy()
    if "corporatie" not in raw.columns:
        raw["corporatie"] = corporatie
        return raw
    named = raw["corporatie"].astype("string").str.strip()
    other = named.notna() & (named.str.casefold() != corporatie.strip().casefold())
    if bool(other.any()):
        raise config_contradiction(
            source=source,
            column="corporatie",
            file_value=named[other].iloc[0],
            key="[bronnen] corporatie",
            config_value=corporatie,
            rows=other[other].index.tolist(),
        )
    raw["corporatie"] = named.fillna(corporatie)
    return raw


def warn_rejected(source: str, rejects: Rejects) -> None:
    """One Dutch warning line for the rows a reader set aside (they are in the accounting)."""
    if rejects.records:
        rows = sorted(r["bron_rij"] for r in rejects.records)
        shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
        warnings.warn(
            f"{source}: {len(rows)} rij(en) apart gezet (rij {shown}) en vermeld in de "
            f"verantwoording (niet_gekoppeld.csv): {rejects.reasons()}",
            DataWarning,
            stacklevel=3,
        )
