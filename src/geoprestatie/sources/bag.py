"""Addresses and BAG ids located through a BAG extract the user provides.

A corporation export rarely has coordinates: it names a dwelling by its address (postcode,
huisnummer, huisletter, huisnummertoevoeging, in the spellings exports use) or by its BAG
verblijfsobject-id. :func:`read_bag` reads the extract (the Kadaster/PDOK BAG GeoPackage,
layer ``verblijfsobject`` with ``identificatie``, ``postcode``, ``huisnummer``,
``huisletter``, ``toevoeging`` and point geometry, cut to the municipality; or a CSV of
addresses with RD New ``x``/``y``), and :func:`locate_by_bag` gives each row RD New
coordinates, or the reason it has none (``onbekend_bag_id``, ``onbekend_adres``,
``dubbelzinnig_adres``).

Spellings understood (after case and spaces are ignored):

- postcode ``3811 AB``, ``3811ab``;
- huisnummer with its letter and toevoeging in one cell: ``12A``, ``12-A``, ``12 a``,
  ``12 bis``, ``12A 2``, ``12-2``, ``12/3``; or in separate columns;
- BAG id ``0344010000075264``, without its leading zeros (``344010000075264``, as a number
  column in Excel) or with the prefix ``NL.IMBAG.Verblijfsobject.``.

``12-A`` can be huisletter A or toevoeging A: the exact reading is tried first, then the
other; an address without letter or toevoeging fits the one verblijfsobject at its number.
An address that fits several verblijfsobjecten (``16`` where the BAG has 16B and 16C) is
ambiguous, never guessed.

Examples
--------
>>> bag_id(pd.Series(["NL.IMBAG.Verblijfsobject.0344010000075264", "344010000075264", "x1"]))
0    0344010000075264
1    0344010000075264
2                <NA>
dtype: string
>>> split_huisnummer(pd.Series(["12-A", "12 bis", "12A 2", "7"])).values.tolist()
[['12', 'A', <NA>], ['12', <NA>, 'BIS'], ['12', 'A', '2'], ['7', <NA>, <NA>]]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geoprestatie._validate import RD_X_LAND, RD_Y_LAND, lower_map
from geoprestatie.errors import InputError
from geoprestatie.sources._tabular import parse_number_column, read_table, read_vector
from geoprestatie.sources.aliases import ADDRESS_ALIASES

__all__ = ["ADDRESS_COLUMNS", "bag_id", "locate_by_bag", "read_bag", "split_huisnummer"]

#: Canonical columns of a BAG extract as returned by :func:`read_bag`.
ADDRESS_COLUMNS: tuple[str, ...] = ("bag_id", "postcode", "huisnummer", "huisletter", "toevoeging")

_PREFIX = r"(?i)^\s*NL\.IMBAG\.Verblijfsobject\."
_HUISNUMMER = (
    r"^(?P<nr>\d{1,5})\s*[-/ .]?\s*(?P<letter>[A-Z](?![A-Z]))?\s*[-/ .]?\s*"
    r"(?P<toev>[0-9A-Z]{1,4})?$"
)


def bag_id(values: pd.Series) -> pd.Series:
    """BAG verblijfsobject-ids as 16-digit text (NA where not an id)."""
    text = values.astype("string").str.replace(_PREFIX, "", regex=True).str.strip()
    text = text.str.replace(r"\.0$", "", regex=True)  # a number column read as 1.0
    digits = text.where(text.str.fullmatch(r"\d{1,16}").fillna(False).astype(bool))
    return digits.str.zfill(16).astype("string")


def postcode(values: pd.Series) -> pd.Series:
    """Postcodes as ``1234AB`` (NA where not a Dutch postcode)."""
    text = values.astype("string").str.upper().str.replace(r"\s+", "", regex=True)
    return text.where(text.str.fullmatch(r"[1-9]\d{3}[A-Z]{2}").fillna(False).astype(bool))


def split_huisnummer(values: pd.Series) -> pd.DataFrame:
    """Split a huisnummer cell into ``huisnummer``, ``huisletter``, ``toevoeging`` (text)."""
    text = values.astype("string").str.upper().str.strip()
    parts = text.str.extract(_HUISNUMMER)
    parts.columns = ["huisnummer", "huisletter", "toevoeging"]
    parts["huisnummer"] = parts["huisnummer"].str.lstrip("0")
    return parts.astype("string")


def _address_parts(df: pd.DataFrame) -> pd.DataFrame:
    """Postcode, huisnummer, huisletter, toevoeging of each row, normalised."""
    parts = split_huisnummer(df["huisnummer"])
    for col in ("huisletter", "toevoeging"):
        if col in df:
            own = df[col].astype("string").str.upper().str.replace(r"[\s\-/]+", "", regex=True)
            parts[col] = own.mask(own == "").fillna(parts[col])
    parts["postcode"] = postcode(df["postcode"]) if "postcode" in df else pd.NA
    return parts.astype("string")


def _key(pc: pd.Series, nr: pd.Series, letter: pd.Series, toev: pd.Series) -> pd.Series:
    return pc + "|" + nr + "|" + letter.fillna("") + "|" + toev.fillna("")


def read_bag(path: str | Path, *, layer: str | None = None) -> pd.DataFrame:
    """Read a BAG extract: the verblijfsobject GeoPackage or a CSV/XLSX of addresses with x/y.

    Returns
    -------
    pandas.DataFrame
        :data:`ADDRESS_COLUMNS` plus ``x``/``y`` (RD New), one row per verblijfsobject.

    Raises
    ------
    InputError
        A file without the BAG id or address columns, or without locations.
    """
    path = Path(path)
    if path.suffix.lower() in (".gpkg", ".shp", ".geojson", ".json", ".fgb"):
        import pyogrio

        if layer is None and path.suffix.lower() == ".gpkg":
            names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
            layer = "verblijfsobject" if "verblijfsobject" in names else None
        gdf = read_vector(path, layer=layer)
        points = gdf.geometry.representative_point()
        df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).astype("string")
        df["x"], df["y"] = points.x.to_numpy(), points.y.to_numpy()
    else:
        df = read_table(path)
    df = df.rename(columns=lower_map(df.columns, ADDRESS_ALIASES))
    if "bag_id" not in df or not ({"x", "y"} <= set(df.columns)):
        raise InputError(
            "verwacht een BAG-extract met de kolom identificatie (het verblijfsobject-id), "
            "postcode, huisnummer, huisletter, toevoeging en een ligging (punten, of x/y in "
            f"RD New); gevonden: {list(map(str, df.columns))[:12]}. Oplossing: gebruik de "
            "laag verblijfsobject van de BAG-GeoPackage van PDOK (bag-light.gpkg)",
            source=path,
        )
    out = pd.DataFrame({"bag_id": bag_id(df["bag_id"])})
    if {"postcode", "huisnummer"} <= set(df.columns):
        parts = _address_parts(df)
        for col in ("postcode", "huisnummer", "huisletter", "toevoeging"):
            out[col] = parts[col]
    x = parse_number_column(df["x"].astype("string"), plausible=RD_X_LAND)
    out["x"] = x.values.to_numpy()
    out["y"] = parse_number_column(df["y"].astype("string"), plausible=RD_Y_LAND).values.to_numpy()
    return out.dropna(subset=["bag_id", "x", "y"]).reset_index(drop=True)


def _lookup(keys: pd.Series, table: pd.Series) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Position in the BAG of each key (-1 none) and the number of BAG objects it fits."""
    groups = pd.Series(np.arange(len(table)), index=table.to_numpy()).groupby(level=0)
    first, count = groups.first(), groups.size()
    pos = np.asarray(keys.map(first).fillna(-1), dtype=np.int64)
    n = np.asarray(keys.map(count).fillna(0), dtype=np.int64)
    return pos, n


def locate_by_bag(df: pd.DataFrame, bag: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Coordinates from the BAG for rows with a BAG id or an address and no x/y.

    Parameters
    ----------
    df
        Rows with optional ``bag_id``, ``postcode``, ``huisnummer`` (with or without letter
        and toevoeging), ``huisletter``, ``toevoeging``, and ``x``/``y`` (NA when unknown).
    bag
        :func:`read_bag`.

    Returns
    -------
    (frame, reason)
        A copy with ``x``/``y`` filled and ``bag_id`` set where found, and per row the
        reason it was not found (``onbekend_bag_id``, ``onbekend_adres``,
        ``dubbelzinnig_adres``; NA when found or not asked).
    """
    out = df.copy()
    need = out["x"].isna() | out["y"].isna()
    reason = pd.Series(pd.NA, index=out.index, dtype="string")
    found = pd.Series(-1, index=out.index, dtype="int64")
    if "bag_id" in out:
        ids = bag_id(out["bag_id"])
        pos, _ = _lookup(ids, bag["bag_id"])
        asked = need & ids.notna()
        found = pd.Series(np.where(asked, pos, found), index=out.index, dtype="int64")
        reason = reason.mask(asked & (found < 0), "onbekend_bag_id")
    if {"postcode", "huisnummer"} <= set(out.columns) and "postcode" in bag:
        asked = need & (found < 0) & reason.isna() & out["huisnummer"].notna()
        pos, why = _by_address(out.loc[asked], bag)
        found.loc[asked] = pos
        reason.loc[asked] = why
    hit = found >= 0
    take = found[hit].to_numpy()
    out.loc[hit, "x"] = bag["x"].to_numpy()[take]
    out.loc[hit, "y"] = bag["y"].to_numpy()[take]
    out["bag_id"] = (
        out["bag_id"].astype("string") if "bag_id" in out else pd.Series(pd.NA, index=out.index)
    ).astype("string")
    out.loc[hit, "bag_id"] = bag["bag_id"].to_numpy()[take]
    return out, reason


def _by_address(rows: pd.DataFrame, bag: pd.DataFrame) -> tuple[NDArray[np.int64], list[object]]:
    """BAG position per address (exact reading, then letter and toevoeging swapped)."""
    parts = _address_parts(rows)
    b = bag
    table = _key(b["postcode"], b["huisnummer"], b["huisletter"], b["toevoeging"])
    pc, nr, letter, toev = (
        parts[c] for c in ("postcode", "huisnummer", "huisletter", "toevoeging")
    )
    empty = pd.Series(pd.NA, index=parts.index, dtype="string")
    readings = [
        _key(pc, nr, letter, toev),
        _key(pc, nr, empty, letter.fillna("") + toev.fillna("")),  # "12-A" as toevoeging A
        _key(pc, nr, toev.where(toev.str.fullmatch("[A-Z]").fillna(False)), empty),  # "12-A"
    ]
    # no letter or toevoeging given: the number alone, if the BAG has only one object there
    bare = letter.isna() & toev.isna()
    number = (pc + "|" + nr).where(bare)
    numbers = b["postcode"] + "|" + b["huisnummer"]
    pos = np.full(len(rows), -1, dtype=np.int64)
    many = np.zeros(len(rows), dtype=bool)
    for keys in readings:
        p, n = _lookup(keys, table)
        open_ = (pos < 0) & ~many
        many |= open_ & (n > 1)
        pos = np.where(open_ & (n == 1), p, pos)
    p, n = _lookup(number, numbers)
    open_ = (pos < 0) & ~many
    many |= open_ & (n > 1)
    pos = np.where(open_ & (n == 1), p, pos)
    reason: list[object] = [
        pd.NA if p >= 0 else ("dubbelzinnig_adres" if m else "onbekend_adres")
        for p, m in zip(pos, many, strict=True)
    ]
    return pos, reason
