"""Shared reader helpers (private): tabular input (CSV/XLSX), vector files, rejected rows.

CSV files are sniffed: encoding (UTF-8, UTF-8 with BOM, or cp1252 as Dutch Excel writes it),
separator (``,``, ``;``, tab or ``|``), and per numeric column the decimal separator
(``12,5``, ``1.234,56``, ``1,234.56``; see :func:`parse_number_column`). Every cell is read as
text first so that each reader can parse its columns itself and report a bad value with its
row instead of losing it.

Accounting hand-over
--------------------
Readers return the accepted rows, each with ``bron_rij`` (the row as the user sees it in
Excel or a text editor: the header is row 1, the first data row is row 2; for vector files
the feature number, 1-based). What they could not accept travels in the frame's ``attrs``:

``attrs["bestand"]``
    the file name (or the name given to an in-memory frame);
``attrs["rijen_gelezen"]``
    the number of records read (rows; raster cells with data for a raster);
``attrs["afgewezen"]``
    a list of dicts with the keys of :data:`REJECT_COLUMNS`, one per rejected row (``aantal``
    is 1) or, for raster cells, one per reason with ``aantal`` the number of cells.

:func:`geoprestatie.join.join_sources` reads these; a frame without them counts as
``len(frame)`` rows read and nothing rejected. Fully empty lines are not records and are
neither counted nor reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geoprestatie._validate import BUURTCODE_PATTERN, lower_map, to_rd_new
from geoprestatie.errors import InputError

ATTR_SOURCE = "bestand"
ATTR_READ = "rijen_gelezen"
ATTR_REJECTED = "afgewezen"

#: Columns of one rejected record (and of ``JoinReport.not_joined``).
REJECT_COLUMNS: tuple[str, ...] = ("bestand", "bron_rij", "reden", "kolom", "waarde", "aantal")

#: Reasons a record is not joined: code -> Dutch / English description.
REASONS: dict[str, str] = {
    "ongeldige_waarde": "ongeldige waarde / invalid value",
    "dubbel_vhe_id": "dubbel vhe_id (binnen de corporatie) / duplicate vhe_id (per corporation)",
    "geen_locatie": "geen locatie / no location",
    "buiten_buurten": "buiten alle buurten / outside all buurten",
    "onbekende_buurtcode": "onbekende buurtcode / unknown buurtcode",
    "onbekende_wijkcode": "onbekende wijkcode / unknown wijkcode",
    "onbekend_vhe_id": "onbekend vhe_id / unknown vhe_id",
    "dubbelzinnig_vhe_id": (
        "vhe_id van meer corporaties, geef de corporatie / ambiguous vhe_id: several "
        "corporations have it, add corporatie to the sales"
    ),
    "dubbele_code": "dubbele code / duplicate code",
    "geen_overlap": "geen overlap met buurten / no overlap with buurten",
    "kleinere_overlap": "elders overstemd (kleinere overlap) / outvoted by a larger overlap",
    "ander_jaar": "ander jaar dan het gebruikte / another year than the one used",
}

_SEPARATORS = (";", ",", "\t", "|")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def decode(raw: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM) or else cp1252; return (text, encoding).

    Examples
    --------
    >>> decode("é".encode("cp1252"))
    ('é', 'cp1252')
    >>> decode(b"\\xef\\xbb\\xbfa;b")
    ('a;b', 'utf-8-sig')
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def sniff_separator(header: str) -> str:
    """The separator most frequent in the header line (``;`` wins a tie).

    Examples
    --------
    >>> sniff_separator("vhe_id;x;y")
    ';'
    >>> sniff_separator("vhe_id,x,y")
    ','
    """
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def read_table(path: str | Path, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV or Excel file with every cell as text (``NA`` for an empty cell).

    Fully empty rows are dropped; the index holds the row number as the user sees it
    (header is row 1). An empty file or one with only a header raises :class:`InputError`.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(2, "No such file", str(path))
    if path.suffix.lower() in _EXCEL_SUFFIXES:
        try:
            df = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, dtype=object)
        except ValueError as exc:
            raise InputError(f"cannot be read as Excel: {exc}", source=path) from None
        df = df.map(_cell_text)
    else:
        text, _ = decode(path.read_bytes())
        lines = text.splitlines()
        first = next((ln for ln in lines if ln.strip()), None)
        if first is None:
            raise InputError("the file is empty; expected a header row and data rows", source=path)
        sep = sniff_separator(first)
        import io

        try:
            df = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
            )
        except pd.errors.ParserError as exc:
            raise InputError(
                f"cannot be read as CSV (separator {sep!r}): {exc}", source=path
            ) from None
        df = df.apply(_strip_text)
    df.columns = [str(c).strip() for c in df.columns]
    df.index = pd.RangeIndex(2, len(df) + 2)
    df = df.loc[df.notna().any(axis=1)]
    if df.empty:
        raise InputError(f"the file has a header {list(df.columns)} but no data rows", source=path)
    return df


def with_source_rows(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of a :func:`read_table` frame with its index, the row as the user sees it, in
    ``bron_rij`` (int64): the one row convention of every reader and of their messages.

    Examples
    --------
    >>> with_source_rows(pd.DataFrame({"a": ["x"]}, index=[2]))["bron_rij"].tolist()
    [2]
    """
    out = df.copy()
    out["bron_rij"] = out.index.to_numpy(dtype="int64")
    return out


def read_vector(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file (GPKG, GeoJSON, SHP, ...) in EPSG:28992.

    A missing file raises :class:`FileNotFoundError`; one that cannot be opened, has no
    features or no CRS raises :class:`InputError`.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(2, "No such file", str(path))
    try:
        gdf = gpd.read_file(path, layer=layer)
    except pyogrio.errors.DataSourceError as exc:
        raise InputError(f"cannot be opened as a vector file: {exc}", source=path) from None
    if gdf.empty:
        raise InputError("the file has no features", source=path)
    return to_rd_new(gdf, source=path)


def _strip_text(column: pd.Series) -> pd.Series:
    """Strip a text column; an empty cell becomes NA (vectorised, for CSV)."""
    text = column.astype("string").str.strip()
    return text.mask(text == "")


def _cell_text(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return pd.NA
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text if text else pd.NA


def canonical_columns(df: pd.DataFrame, aliases: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Rename alias columns to their canonical names (see :mod:`.aliases`).

    The user's own header of each renamed column is kept in ``attrs["kolom_herkomst"]``
    (canonical -> original), so messages can name the column as the user sees it.
    """
    rename = lower_map(df.columns, aliases)
    out = df.rename(columns=rename)
    out.attrs["kolom_herkomst"] = {new: old for old, new in rename.items()}
    return out


# spaces Excel puts in numbers (also as thousands separators) and a currency sign
_NUMBER_NOISE = r"[\s\u00a0\u202f]"
_SIGN = r"^[+-]?"
_EXP = r"(?:[eE][+-]?\d+)?$"
# one group of three digits after a single separator: "1.050" / "1,050" (thousands or decimal)
_AMBIGUOUS = {".": _SIGN + r"[1-9]\d{0,2}\.\d{3}$", ",": _SIGN + r"[1-9]\d{0,2},\d{3}$"}
# two or more groups: the separator can only be a thousands separator ("1.050.000")
_GROUPED = {
    ".": _SIGN + r"[1-9]\d{0,2}(?:\.\d{3}){2,}$",
    ",": _SIGN + r"[1-9]\d{0,2}(?:,\d{3}){2,}$",
}
# both separators: the last one is the decimal separator ("1.234,56" / "1,234.56")
_BOTH = {",": _SIGN + r"\d{1,3}(?:\.\d{3})+,\d*$", ".": _SIGN + r"\d{1,3}(?:,\d{3})+\.\d*$"}
# one separator that cannot be a thousands separator ("12,5", "7.25", "1050.5")
_SINGLE = {",": _SIGN + r"(?:\d*,\d+|\d+,)" + _EXP, ".": _SIGN + r"(?:\d*\.\d+|\d+\.)" + _EXP}


class ParsedNumbers(NamedTuple):
    """Result of :func:`parse_number_column`."""

    #: the numbers (float64, NaN where empty or invalid)
    values: pd.Series
    #: true where a value was given but is not a number (or cannot be read unambiguously)
    invalid: pd.Series
    #: the value with the reason for ambiguous values (string, NA elsewhere), to report
    note: pd.Series


def parse_number_column(
    values: pd.Series, *, plausible: tuple[float, float] | None = None
) -> ParsedNumbers:
    """Parse one column of text as numbers, deciding the decimal separator for the column.

    Spaces, non-breaking spaces and a leading or trailing ``€`` are ignored (``€ 650``,
    ``1 050,00``). A value with both ``.`` and ``,`` has the last one as decimal separator
    (``1.234,56``, ``1,234.56``); so has a value with one separator that cannot be a
    thousands separator (``12,5``, ``700.5``); two or more groups of three digits
    (``1.050.000``) are thousands. These values are the evidence for the column: if it has
    decimal commas (and no decimal dots), a value like ``1.050`` is read as 1050 and
    ``1,050`` as 1.05; if it has decimal dots (and no decimal commas), ``1.050`` is 1.05 and
    ``1,050`` is 1050. Without evidence, or with evidence both ways, such a value fits both
    readings and is invalid, with a ``note`` naming both; the reader reports it rather than
    guess a rent of 1.05 or 1050.

    ``plausible`` is what is known of the column: the range ``(low, high)`` its values can
    take (a Leefbaarometer score: about 1 to 7). An ambiguous value of which exactly one
    reading lies in that range is read that way (``4.123`` is 4.123, never 4123); values
    outside it are not rejected here (the reader checks its own range).

    Examples
    --------
    >>> parse_number_column(pd.Series(["1.050", "612,30"])).values.tolist()
    [1050.0, 612.3]
    >>> parse_number_column(pd.Series(["1,050.00", "€ 650"])).values.tolist()
    [1050.0, 650.0]
    >>> p = parse_number_column(pd.Series(["1.050", "700"]))
    >>> p.invalid.tolist(), p.note.tolist()
    ([True, False], ['1.050 (dubbelzinnig / ambiguous: 1050 of/or 1.05)', <NA>])
    >>> parse_number_column(pd.Series(["4.123", "4"]), plausible=(1, 7)).values.tolist()
    [4.123, 4.0]
    """
    text = values.astype("string").str.replace(_NUMBER_NOISE, "", regex=True)
    text = text.str.replace(r"^€|€$", "", regex=True).mask(lambda t: t == "")

    def match(pattern: str) -> pd.Series:
        return text.str.fullmatch(pattern).fillna(False).astype(bool)

    ambiguous = {sep: match(pat) for sep, pat in _AMBIGUOUS.items()}
    grouped = {sep: match(pat) for sep, pat in _GROUPED.items()}
    both = {sep: match(pat) for sep, pat in _BOTH.items()}
    single = {sep: match(pat) & ~ambiguous[sep] for sep, pat in _SINGLE.items()}
    # evidence per decimal separator: decimal use of it or thousands use of the other one
    comma_dec = bool((both[","] | single[","] | grouped["."]).any())
    dot_dec = bool((both["."] | single["."] | grouped[","]).any())

    plain = text.copy()
    plain = plain.mask(both[","] | grouped["."], text.str.replace(".", "", regex=False))
    plain = plain.mask(both["."] | grouped[","], text.str.replace(",", "", regex=False))
    plain = plain.mask(both[","] | single[","], plain.str.replace(",", ".", regex=False))
    unresolved = pd.Series(False, index=values.index)
    for sep, other_dec, own_dec in ((".", comma_dec, dot_dec), (",", dot_dec, comma_dec)):
        amb = ambiguous[sep]
        if not amb.any():
            continue
        if other_dec and not own_dec:  # the separator is a thousands separator
            plain = plain.mask(amb, text.str.replace(sep, "", regex=False))
        elif own_dec and not other_dec:  # the separator is the decimal separator
            plain = plain.mask(amb, text.str.replace(sep, ".", regex=False))
        else:
            unresolved = unresolved | amb
    if plausible is not None and unresolved.any():
        plain, unresolved = _resolve_by_range(text, plain, unresolved, plausible)
    plain = plain.mask(unresolved)
    out = pd.to_numeric(plain, errors="coerce").astype("float64")
    invalid = values.notna() & text.notna() & out.isna()
    # a cell holding only spaces or a currency sign is empty, not invalid
    note = pd.Series(pd.NA, index=values.index, dtype="string")
    if unresolved.any():
        raw = text[unresolved]
        thousands = pd.to_numeric(raw.str.replace(r"[.,]", "", regex=True))
        decimal = pd.to_numeric(raw.str.replace(",", ".", regex=False))
        note[unresolved] = [
            f"{v} (dubbelzinnig / ambiguous: {t:g} of/or {d:g})"
            for v, t, d in zip(values[unresolved], thousands, decimal, strict=True)
        ]
    return ParsedNumbers(out, invalid.astype(bool), note)


def _resolve_by_range(
    text: pd.Series, plain: pd.Series, unresolved: pd.Series, plausible: tuple[float, float]
) -> tuple[pd.Series, pd.Series]:
    """Read ambiguous values whose one reading lies in ``plausible`` that way."""
    low, high = plausible
    raw = text.where(unresolved)
    as_thousands = pd.to_numeric(raw.str.replace(r"[.,]", "", regex=True), errors="coerce")
    as_decimal = pd.to_numeric(raw.str.replace(",", ".", regex=False), errors="coerce")
    fits_t = as_thousands.between(low, high)
    fits_d = as_decimal.between(low, high)
    take_d = unresolved & fits_d & ~fits_t
    take_t = unresolved & fits_t & ~fits_d
    plain = plain.mask(take_d, as_decimal.astype("string")).mask(
        take_t, as_thousands.astype("string")
    )
    return plain, unresolved & ~(take_d | take_t)


def parse_number(
    values: pd.Series, *, plausible: tuple[float, float] | None = None
) -> tuple[pd.Series, pd.Series]:
    """Parse one column of text as numbers; return (float64, invalid mask).

    The decimal separator is decided per column (:func:`parse_number_column`, which also
    gives the reason a value is ambiguous). ``invalid`` is true where a value was given but
    is not a number or fits both readings (``1.050`` in a column without other decimals);
    ``plausible`` (the column's possible range) resolves such a value when only one reading
    fits.

    Examples
    --------
    >>> v, bad = parse_number(pd.Series(["12,5", "1.234,56", "7", None, "abc"]))
    >>> v.tolist()[:3], bad.tolist()
    ([12.5, 1234.56, 7.0], [False, False, False, False, True])
    """
    parsed = parse_number_column(values, plausible=plausible)
    return parsed.values, parsed.invalid


#: Spellings of yes and no accepted in ja/nee columns (after trimming, case-insensitive).
TRUE_WORDS: frozenset[str] = frozenset({"1", "ja", "j", "true", "waar", "yes", "y", "x"})
FALSE_WORDS: frozenset[str] = frozenset({"0", "nee", "n", "false", "onwaar", "no"})


def parse_bool(
    values: pd.Series,
    *,
    true: Iterable[str] = (),
    false: Iterable[str] = (),
) -> tuple[pd.Series, pd.Series]:
    """Parse ja/nee text; return (boolean with NA for an empty cell, invalid mask).

    :data:`TRUE_WORDS` and :data:`FALSE_WORDS` are accepted, plus the column's own words in
    ``true`` / ``false`` (e.g. ``daeb`` / ``niet-daeb``).

    Examples
    --------
    >>> v, bad = parse_bool(pd.Series([" Ja", "nee", None, "misschien", "DAEB"]), true=["daeb"])
    >>> v.tolist(), bad.tolist()
    ([True, False, <NA>, <NA>, True], [False, False, False, True, False])
    """
    yes = TRUE_WORDS | {w.lower() for w in true}
    no = FALSE_WORDS | {w.lower() for w in false}
    low = values.astype("string").str.strip().str.lower().mask(lambda s: s == "")
    known = low.isin(yes | no).fillna(False).astype(bool)
    invalid = low.notna() & ~known
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[known] = low[known].isin(yes)
    return out, invalid.astype(bool)


def clean_code(values: pd.Series) -> pd.Series:
    """CBS codes as written in files: upper case, without spaces; an empty cell is NA.

    Examples
    --------
    >>> clean_code(pd.Series([" bu0307 0100", "", None])).tolist()
    ['BU03070100', <NA>, <NA>]
    """
    code = values.astype("string").str.upper().str.replace(r"\s+", "", regex=True)
    return code.mask(code == "")


def parse_buurtcode(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Clean buurtcodes (:func:`clean_code`) and check them; return (codes, invalid mask).

    A valid code is ``BU`` and 8 digits; an empty cell is NA and not invalid.

    Examples
    --------
    >>> codes, bad = parse_buurtcode(pd.Series(["bu03070100", "WK030701", None]))
    >>> codes.tolist(), bad.tolist()
    (['BU03070100', 'WK030701', <NA>], [False, True, False])
    """
    code = clean_code(values)
    invalid = code.notna() & ~code.str.fullmatch(BUURTCODE_PATTERN).fillna(False)
    return code, invalid.astype(bool)


class Rejects:
    """Collects rejected rows of one source (see the module docstring)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.records: list[dict[str, Any]] = []

    def add(
        self, rows: Iterable[int], reason: str, *, column: str | None, values: Iterable[Any]
    ) -> None:
        if reason not in REASONS:  # pragma: no cover - programming error
            raise KeyError(reason)
        for row, value in zip(rows, values, strict=True):
            self.records.append(
                {
                    "bestand": self.source,
                    "bron_rij": int(row),
                    "reden": reason,
                    "kolom": column,
                    "waarde": None if pd.isna(value) else str(value),
                    "aantal": 1,
                }
            )

    def add_mask(
        self,
        df: pd.DataFrame,
        mask: pd.Series,
        reason: str,
        *,
        column: str | None,
        shown: pd.Series | None = None,
    ) -> pd.DataFrame:
        """Record ``df`` rows where ``mask`` holds and return the other rows.

        The recorded value is the cell of ``column``, or ``shown`` where that is not NA (a
        value with the reason, e.g. the two readings of an ambiguous number).
        """
        mask = mask.loc[df.index].fillna(False).astype(bool)
        if mask.any():
            hit = df.loc[mask]
            vals: Any = hit[column] if column is not None and column in hit else [None] * len(hit)
            if shown is not None:
                vals = (
                    shown.loc[hit.index]
                    .astype(object)
                    .where(shown.loc[hit.index].notna(), pd.Series(list(vals), index=hit.index))
                )
            self.add(hit["bron_rij"], reason, column=column, values=vals)
        return df.loc[~mask]

    def reasons(self) -> str:
        """A one-line summary per reason and column, with the first row and value.

        Examples
        --------
        >>> r = Rejects("v.csv")
        >>> r.add([2, 3], "ongeldige_waarde", column="huurprijs", values=["-5", "abc"])
        >>> r.reasons()
        "ongeldige_waarde in huurprijs: 2 row(s), e.g. row 2 '-5'"
        """
        counts: dict[str, int] = {}
        first: dict[str, dict[str, Any]] = {}
        for r in self.records:
            key = r["reden"] + (f" in {r['kolom']}" if r["kolom"] else "")
            counts[key] = counts.get(key, 0) + int(r["aantal"])
            first.setdefault(key, r)
        parts = []
        for key, n in counts.items():
            eg = first[key]
            value = f" {eg['waarde']!r}" if eg["waarde"] is not None else ""
            parts.append(f"{key}: {n} row(s), e.g. row {eg['bron_rij']}{value}")
        return "; ".join(parts)


def attach(df: Any, *, source: str, n_read: int, rejects: Rejects) -> Any:
    """Store the accounting in ``df.attrs`` and return ``df``."""
    df.attrs[ATTR_SOURCE] = source
    df.attrs[ATTR_READ] = int(n_read)
    df.attrs[ATTR_REJECTED] = list(rejects.records)
    return df
