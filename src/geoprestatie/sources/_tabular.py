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

import contextlib
import csv
import gc
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyogrio
from numpy.typing import NDArray

from geoprestatie._validate import BUURTCODE_PATTERN, RD_NEW, lower_map, to_rd_new
from geoprestatie.errors import InputError
from geoprestatie.sources._excel import cell_text, header_position, read_workbook, say_title_rows
from geoprestatie.sources._filecheck import check_table_file

ATTR_SOURCE = "bestand"
ATTR_READ = "rijen_gelezen"
ATTR_REJECTED = "afgewezen"

#: Columns of one rejected record (and of ``JoinReport.not_joined``).
REJECT_COLUMNS: tuple[str, ...] = ("bestand", "bron_rij", "reden", "kolom", "waarde", "aantal")

#: Reasons a record is not joined: code -> what the user reads (Dutch).
REASONS: dict[str, str] = {
    "ongeldige_waarde": "ongeldige waarde",
    "dubbel_vhe_id": "dubbel vhe_id (binnen de corporatie)",
    "geen_locatie": "geen locatie",
    "buiten_buurten": "buiten alle buurten",
    "onbekende_buurtcode": "onbekende buurtcode",
    "onbekende_wijkcode": "onbekende wijkcode",
    "onbekend_vhe_id": "onbekend vhe_id",
    "dubbelzinnig_vhe_id": "vhe_id van meer corporaties; geef de corporatie bij de verkoop",
    "dubbele_code": "dubbele code",
    "onbekend_adres": "adres niet in het BAG-extract",
    "dubbelzinnig_adres": "adres past op meer verblijfsobjecten (huisletter/toevoeging?)",
    "onbekend_bag_id": "BAG-id niet in het BAG-extract",
    "geen_overlap": "geen overlap met buurten",
    "kleinere_overlap": "elders overstemd (kleinere overlap)",
    "ander_jaar": "ander jaar dan het gebruikte",
}

_SEPARATORS = (";", ",", "\t", "|")


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


def read_table(
    path: str | Path, *, sheet: str | int | None = None, skip_rows: int = 0
) -> pd.DataFrame:
    """Read a CSV or Excel file with every cell as text (``NA`` for an empty cell).

    The file is checked first (:func:`geoprestatie.sources._filecheck.check_table_file`: a
    directory, device, empty, encrypted, mis-named or binary file is one clear error). CSV
    is read by pyarrow's multi-threaded reader; XLSX by openpyxl
    (:mod:`geoprestatie.sources._excel`: merged cells filled and said so, dates as ISO text,
    formulas without a cached value refused). Fully empty rows are dropped; the index holds
    the row number as the user sees it (header is row 1). Two columns with the same name
    (after trimming, case ignored) are an error naming both; so is an empty file or one with
    only a header. ``skip_rows`` lines above the header are left out of a CSV (files
    that start with a few lines of metadata, as EP-online's); rows keep their numbers.
    """
    path = Path(path)
    kind = check_table_file(path)
    if kind == "xlsx":
        header, df = read_workbook(path, sheet=0 if sheet is None else sheet)
        first_row = int(getattr(df.index, "start", 2)) - 1  # below any title rows
    else:
        header, df, first_row = _read_csv(path, skip_rows=skip_rows)
    _check_header(header, source=path, header_row=first_row)
    header, df = _unnamed_columns(header, df)
    df.columns = header
    nonempty = df.notna().any(axis=1)
    if not bool(nonempty.all()):
        df = df.loc[nonempty]
    if df.empty:
        raise InputError(
            f"het bestand heeft een kopregel {header} maar geen rijen met gegevens; "
            "verwacht minstens één rij onder de kopregel",
            source=path,
        )
    return df


def named_sheet(path: str | Path, names: Iterable[str]) -> str | None:
    """The sheet of a workbook named one of ``names`` (case ignored), as in the delivery
    template (``Voorraad``, ``Verkoop``, ``Plannen``); None for a CSV or no such sheet."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return None
    from geoprestatie.sources._excel import sheet_headers

    try:
        sheets = list(sheet_headers(path))
    except InputError:
        return None  # read_table names the problem
    wanted = {n.casefold() for n in names}
    return next((s for s in sheets if s.strip().casefold() in wanted), None)


def _check_header(header: list[str], *, source: Path, header_row: int) -> None:
    """Empty header and duplicate column names (case and spaces ignored) are errors."""
    if not header or not any(header):
        raise InputError(
            f"rij {header_row} (de kopregel) is leeg; verwacht kolomnamen in de eerste rij",
            source=source,
        )
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = " ".join(name.split()).casefold()
        if not key:
            continue
        if key in seen:
            j = seen[key]
            raise InputError(
                f"dubbele kolomnaam: kolom {_column_letter(j + 1)} {header[j]!r} en kolom "
                f"{_column_letter(i + 1)} {name!r} (rij {header_row}) hebben dezelfde naam; "
                "verwacht elke kolomnaam één keer. Oplossing: verwijder of hernoem een van "
                "beide",
                source=source,
            )
        seen[key] = i


def _unnamed_columns(header: list[str], df: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """Columns without a name in the header: left out when empty (the trailing separators
    or empty columns an export leaves), else named after their Excel letter (``kolom L``),
    so that no two columns share the name ``""``; a reader ignores them as any column it
    does not know."""
    blank = [i for i, name in enumerate(header) if not name.strip()]
    if not blank:
        return header, df
    empty = {i for i in blank if i < df.shape[1] and not bool(df.iloc[:, i].notna().any())}
    keep = [i for i in range(len(header)) if i not in empty]
    names = [header[i] if header[i].strip() else f"kolom {_column_letter(i + 1)}" for i in keep]
    frame = df.iloc[:, keep] if empty else df
    return names, frame


def _column_letter(position: int) -> str:
    """The Excel column letter of a 1-based position (``1`` -> ``A``, ``28`` -> ``AB``)."""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read_csv(
    path: Path, *, skip_rows: int = 0, arrow: bool = True
) -> tuple[list[str], pd.DataFrame, int]:
    """Read a CSV (all text) with pyarrow; return (header, frame, header row number).

    The frame's index is the row number as in Excel (blank lines count as rows there).
    Files pyarrow cannot split into the header's number of fields (ragged rows) are read
    by pandas' python parser, which reports what it cannot read; ``arrow=False`` reads
    every file that way (the two give the same frame: a property test checks it).
    """
    raw = path.read_bytes()
    head = raw if len(raw) <= 65_536 else raw[:65_536].rsplit(b"\n", 1)[0]
    head_text, encoding = decode(head)
    lines = head_text.splitlines()
    skip = next((i for i, ln in enumerate(lines) if ln.strip() and i >= skip_rows), None)
    if skip is None:
        raise InputError(
            "het bestand bevat alleen lege regels; verwacht een kopregel en rijen met gegevens",
            source=path,
        )
    top = _title_lines(lines[skip : skip + 30])
    if top:
        say_title_rows(path.name, skip + top + 1, lines[skip].strip(" ;,\t|"))
        skip += top
    sep = sniff_separator(lines[skip])
    if encoding == "cp1252":
        raw = _cp1252_to_utf8(raw)
    elif raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    header = next(csv.reader([lines[skip]], delimiter=sep), [])
    header = [h.strip() for h in header]
    names = [f"k{i}" for i in range(len(header))]
    ragged: list[int] = []

    def on_ragged(row: Any) -> str:
        ragged.append(1)
        return "skip"

    def read(data: bytes) -> pa.Table:
        return pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=skip + 1),
            parse_options=pacsv.ParseOptions(
                delimiter=sep,
                ignore_empty_lines=False,
                newlines_in_values=b'"' in raw,
                invalid_row_handler=on_ragged,
            ),
            convert_options=pacsv.ConvertOptions(
                # large_string: what pandas' ArrowStringArray holds (no cast of every column)
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    if not arrow:
        return header, _read_csv_pandas(raw, sep, names, skip, source=path), skip + 1
    try:
        try:
            table = read(raw)
        except pa.ArrowInvalid as exc:
            if "UTF8" not in str(exc):
                raise
            # the first 64 KB were UTF-8 but a later byte is not: Dutch Excel's cp1252
            raw = _cp1252_to_utf8(raw)
            ragged.clear()
            table = read(raw)
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise InputError(
            f"kan niet als CSV worden gelezen (scheidingsteken {sep!r}): {exc}", source=path
        ) from None
    if ragged:
        return header, _read_csv_pandas(raw, sep, names, skip, source=path), skip + 1
    index = pd.RangeIndex(skip + 2, skip + 2 + table.num_rows)
    with ThreadPoolExecutor(max_workers=2) as pool:  # pyarrow kernels release the GIL
        columns = list(pool.map(_text_column, table.columns))
    frame = pd.DataFrame(
        {i: pd.Series(pd.arrays.ArrowStringArray(c), index=index) for i, c in enumerate(columns)}
    )
    return header, frame, skip + 1


def _title_lines(window: list[str]) -> int:
    """How many lines of title above the header (:func:`header_position`; each at most two
    filled cells), the cells split at the separator most used in the first lines."""
    sep = max(_SEPARATORS, key=lambda s: max(line.count(s) for line in window))
    cells = [
        [c.strip() for c in next(csv.reader([line], delimiter=sep), []) if c.strip()]
        for line in window
    ]
    top = header_position(cells)
    # a title line holds a title or a label and its value; a line with more is a header
    # with rows that have more fields than it (unquoted separators), not a title
    return top if all(len(c) <= 2 for c in cells[:top]) else 0


def _read_csv_pandas(
    raw: bytes, sep: str, names: list[str], skip: int, *, source: Path
) -> pd.DataFrame:
    """The python parser for ragged rows: short rows padded, long rows an error naming them.

    Read with as many names as the longest row has fields: given only the header's names,
    pandas takes the extra leading fields of a first row longer than the header as an
    index, shifting every value and losing the shorter rows after it without a word.
    Fields beyond the header are only allowed empty (trailing separators).
    """
    text = raw.decode("utf-8", errors="replace")
    try:
        fields = max((len(r) for r in csv.reader(io.StringIO(text), delimiter=sep)), default=0)
    except csv.Error:  # a field longer than the csv module's limit: count per line
        fields = max((line.count(sep) + 1 for line in text.splitlines()), default=0)
    try:
        df = pd.read_csv(
            io.BytesIO(raw),
            sep=sep,
            dtype=str,
            header=None,
            names=list(range(max(fields, len(names)))),
            index_col=False,
            skiprows=skip + 1,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="python",
        )
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        odd = [i + 1 for i, line in enumerate(text.splitlines()) if line.count('"') % 2][:1]
        if "field limit" in str(exc) or "end of data" in str(exc):
            reason = (
                f'een aanhalingsteken (") wordt niet gesloten (rij {odd[0]}), zodat de rest '
                "van het bestand één cel wordt; verwacht tekst tussen een paar aanhalingstekens. "
                "Oplossing: sluit het aanhalingsteken of haal het weg"
                if odd
                else f"een cel is langer dan {csv.field_size_limit()} tekens; verwacht korte "
                "tekst per cel"
            )
        else:
            reason = (
                f"een rij heeft meer velden dan de kopregel ({exc}); verwacht {len(names)} "
                "velden per rij"
            )
        raise InputError(
            f"kan niet als CSV worden gelezen (scheidingsteken {sep!r}): {reason}", source=source
        ) from None
    df.index = pd.RangeIndex(skip + 2, skip + 2 + len(df))
    width = len(names)
    if df.shape[1] > width:
        beyond = df.iloc[:, width:].fillna("").apply(lambda c: c.str.strip() != "")
        long_rows = beyond.index[beyond.any(axis=1).to_numpy()].tolist()
        if long_rows:
            raise InputError(
                f"kan niet als CSV worden gelezen (scheidingsteken {sep!r}): "
                f"{len(long_rows)} rij(en) met meer velden dan de kopregel; verwacht {width} "
                f"velden per rij. Oplossing: zet tekst met {sep!r} tussen aanhalingstekens of "
                "exporteer opnieuw",
                source=source,
                rows=long_rows,
            )
        df = df.iloc[:, :width]
    for missing in range(df.shape[1], width):
        df[missing] = ""
    df.columns = pd.RangeIndex(width)
    return df.apply(_strip_text)


def _cp1252_to_utf8(raw: bytes) -> bytes:
    """Transcode cp1252 to UTF-8; only the lines from the first to the last non-ASCII
    byte are touched (ASCII is the same in both)."""
    high = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) >= 0x80)
    if not len(high):
        return raw
    start = raw.rfind(b"\n", 0, int(high[0])) + 1
    end = raw.find(b"\n", int(high[-1]))
    end = len(raw) if end < 0 else end
    middle = raw[start:end].decode("cp1252", errors="replace").encode("utf-8")
    return raw[:start] + middle + raw[end:]


def _text_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Trimmed text, null for an empty cell."""
    text = pc.utf8_trim_whitespace(column)
    empty = pc.equal(pc.binary_length(text), 0)
    if pc.any(empty).as_py():
        text = pc.if_else(empty, pa.scalar(None, text.type), text)
    return text


def aligned(series: pd.Series, index: pd.Index) -> pd.Series:
    """``series.loc[index]``, without the lookup when the index is already the same.

    Examples
    --------
    >>> s = pd.Series([1, 2, 3], index=[2, 3, 4])
    >>> aligned(s, pd.Index([2, 4])).tolist(), aligned(s, s.index) is s
    ([1, 3], True)
    """
    return series if series.index.equals(index) else series.loc[index]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a block that makes millions of objects
    (it is switched back on after, if it was on).

    Each shapely geometry is an object the collector tracks: making 2.5 M points with it on
    ran about a dozen full collections, each walking every object of the process (2.15 s of
    a national ``read_stock``; 0.3 s paused). Nothing in such a block makes cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def points(x: pd.Series, y: pd.Series) -> gpd.array.GeometryArray:
    """RD New points from the float columns ``x`` and ``y``; ``None`` where either is missing
    (:func:`collector_paused` while shapely makes them).

    Examples
    --------
    >>> gpd.GeoSeries(points(pd.Series([155000.0, None]), pd.Series([463000.0, 1.0])))
    0    POINT (155000 463000)
    1                     None
    dtype: geometry
    """
    has_xy = (x.notna() & y.notna()).to_numpy()
    with collector_paused():
        geom = gpd.points_from_xy(x.fillna(0), y.fillna(0), crs=RD_NEW)
        geom[~has_xy] = None
    return geom


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
        raise InputError(
            f"kan niet als vectorbestand worden geopend ({exc}); verwacht een GeoPackage, "
            "GeoJSON of shapefile. Oplossing: controleer of het bestand compleet is (bij een "
            "shapefile ook .shx en .dbf ernaast) of exporteer het opnieuw uit QGIS",
            source=path,
        ) from None
    if not isinstance(gdf, gpd.GeoDataFrame) or "geometry" not in gdf.columns:
        raise InputError(
            "het bestand heeft geen geometrie (punten of vlakken), alleen kolommen "
            f"{[str(c) for c in gdf.columns][:8]}; verwacht een GeoPackage, GeoJSON of "
            "shapefile (een tabel zonder geometrie, zoals een CSV, kan hier niet)",
            source=path,
        )
    if gdf.empty:
        raise InputError(
            "het bestand heeft geen objecten (features); verwacht minstens één punt of vlak",
            source=path,
        )
    return to_rd_new(gdf, source=path)


def _strip_text(column: pd.Series) -> pd.Series:
    """Strip a text column; an empty cell becomes NA (vectorised, for CSV)."""
    text = column.astype("string").str.strip()
    return text.mask(text == "")


#: The text of one cell of a vector file or workbook (see :mod:`._excel`).
_cell_text = cell_text


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


class _Shapes(NamedTuple):
    """How the values of a column are written (one entry per value)."""

    #: the reading that needs no decision for the column (NaN: ambiguous, empty or invalid)
    value: NDArray[np.float64]
    #: "1.050" / "1,050": a single group of three digits after the separator
    amb: dict[str, NDArray[np.bool_]]
    #: the text as read for the ambiguous values (None elsewhere)
    text: NDArray[np.object_]
    #: evidence for a decimal comma / decimal dot in these values
    evidence: dict[str, bool]


#: Largest absolute value accepted as a number: beyond it a value is a typing error or a
#: placeholder (``1e308``) that would overflow sums and normalisations.
MAX_ABS = 1e15
_SIMPLE = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"  # after a decimal comma became a dot


def _arrow_text(values: pd.Series) -> pa.Array:
    """The column as one pyarrow string array (zero-copy for pyarrow-backed text)."""
    if not isinstance(values.dtype, pd.StringDtype) or values.dtype.storage != "pyarrow":
        values = values.astype("string[pyarrow]")
    arr = pa.array(values.array)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _np_bool(arr: pa.Array | pa.ChunkedArray) -> NDArray[np.bool_]:
    return np.array(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)


def _cast_simple(arr: pa.Array) -> tuple[pa.Array, NDArray[np.bool_]]:
    """Cast the values written as digits with at most one separator; return (numbers with
    null elsewhere, which were cast). A decimal comma is read as a dot here."""
    if pc.any(pc.match_substring(arr, ",")).as_py():
        arr = pc.replace_substring(arr, ",", ".", max_replacements=1)
    try:  # the common case: every value a plain number, one pass
        num = pc.cast(arr, pa.float64())
        return num, _np_bool(pc.is_valid(num))
    except pa.ArrowInvalid:
        pass
    ok = pc.match_substring_regex(arr, _SIMPLE)
    num = pc.cast(pc.if_else(ok, arr, pa.scalar(None, arr.type)), pa.float64())
    return num, _np_bool(ok)


def _shapes_fast(arr: pa.Array) -> tuple[_Shapes, NDArray[np.bool_]]:
    """Classify values with at most one separator; return the shapes and the rest mask.

    Only a value of 1 to 999 written in 5 to 8 characters can be ``1.050``-like: those are
    looked at closely; the separators of the whole column are only looked for when some
    value is ambiguous (the evidence decides it).
    """
    num, simple = _cast_simple(arr)
    value = np.array(pc.fill_null(num, np.nan).to_numpy(zero_copy_only=False), dtype="float64")
    length = pc.binary_length(arr).to_numpy(zero_copy_only=False)
    magnitude = np.abs(np.nan_to_num(value, nan=0.0))
    cand = simple & (magnitude >= 1) & (magnitude < 1000) & (length >= 5) & (length <= 8)
    # "1.050" has three digits after its separator: the length is the integer digits + 4
    # (+ 1 for a sign); "612,30" or "1979.5" cannot be ambiguous and is not looked at again
    digits = np.floor(np.log10(np.where(cand, magnitude, 1.0))) + 1
    cand &= ((length - digits) == 4) | ((length - digits) == 5)
    amb = {sep: np.zeros(len(arr), dtype=bool) for sep in ".,"}
    text = np.full(len(arr), None, dtype=object)
    if cand.any():
        idx = np.flatnonzero(cand)
        sub = arr.take(pa.array(idx))
        for sep, pattern in _AMBIGUOUS.items():
            amb[sep][idx] = _np_bool(pc.match_substring_regex(sub, pattern))
        either = amb["."][idx] | amb[","][idx]
        if either.any():  # the text is only read again for an ambiguous value
            text[idx[either]] = sub.filter(pa.array(either)).to_pylist()
    value[amb["."] | amb[","]] = np.nan
    given = _np_bool(pc.is_valid(arr))
    # evidence is looked for only when a value needs it (see parse_number_column)
    return _Shapes(value.astype(np.float64), amb, text, {}), given & ~simple


def _evidence_fast(arr: pa.Array, simple: NDArray[np.bool_], shapes: _Shapes) -> dict[str, bool]:
    """Decimal use of each separator among the values the fast pass read."""
    return {
        sep: bool((simple & _np_bool(pc.match_substring(arr, sep)) & ~shapes.amb[sep]).any())
        for sep in ".,"
    }


def _shapes_slow(raw: pd.Series) -> _Shapes:
    """The full rules (spaces, currency signs, groups, both separators) on few values."""
    text = raw.astype("string").str.replace(_NUMBER_NOISE, "", regex=True)
    text = text.str.replace(r"^€|€$", "", regex=True).mask(lambda t: t == "")

    def match(pattern: str) -> pd.Series:
        return text.str.fullmatch(pattern).fillna(False).astype(bool)

    ambiguous = {sep: match(pat) for sep, pat in _AMBIGUOUS.items()}
    grouped = {sep: match(pat) for sep, pat in _GROUPED.items()}
    both = {sep: match(pat) for sep, pat in _BOTH.items()}
    single = {sep: match(pat) & ~ambiguous[sep] for sep, pat in _SINGLE.items()}
    plain = text.copy()
    plain = plain.mask(both[","] | grouped["."], text.str.replace(".", "", regex=False))
    plain = plain.mask(both["."] | grouped[","], text.str.replace(",", "", regex=False))
    plain = plain.mask(both[","] | single[","], plain.str.replace(",", ".", regex=False))
    either = ambiguous["."] | ambiguous[","]
    value = pd.to_numeric(plain.mask(either), errors="coerce").to_numpy(dtype=np.float64)
    return _Shapes(
        value=value,
        amb={sep: m.to_numpy(dtype=bool) for sep, m in ambiguous.items()},
        text=text.astype(object).where(either, None).to_numpy(dtype=object),
        evidence={
            ",": bool((both[","] | single[","] | grouped["."]).any()),
            ".": bool((both["."] | single["."] | grouped[","]).any()),
        },
    )


def _merge_rest(fast: _Shapes, rest: NDArray[np.bool_], raw: pd.Series) -> _Shapes:
    """Classify the values the fast pass left (once per distinct value) into ``fast``."""
    if not rest.any():
        return fast._replace(evidence={".": False, ",": False})
    sub = raw[rest]
    codes, uniques = pd.factorize(sub)
    slow = _shapes_slow(pd.Series(uniques, dtype="string"))
    idx = np.flatnonzero(rest)
    fast.value[idx] = slow.value[codes]
    fast.text[idx] = slow.text[codes]
    for sep in ".,":
        fast.amb[sep][idx] = slow.amb[sep][codes]
    return fast._replace(evidence=slow.evidence)


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
    guess a rent of 1.05 or 1050. A value that is not a finite number of a plausible size
    (``inf``, ``nan``, ``1e308``: :data:`MAX_ABS`) is invalid with a note saying so.

    The common shapes (digits with at most one separator) are classified with a few
    vectorised pyarrow passes; the rest (spaces, currency signs, both separators, groups)
    with the full rules, once per distinct value.

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
    ([True, False], ['1.050 (dubbelzinnig: 1050 of 1.05)', <NA>])
    >>> parse_number_column(pd.Series(["4.123", "4"]), plausible=(1, 7)).values.tolist()
    [4.123, 4.0]
    >>> parse_number_column(pd.Series(["inf", "3"])).note.tolist()
    ['inf (geen eindig getal van redelijke grootte)', <NA>]
    """
    return parse_numbers(values, plausible=plausible)[0]


def parse_numbers(
    values: pd.Series, *, plausible: tuple[float, float] | None = None
) -> tuple[ParsedNumbers, bool]:
    """:func:`parse_number_column` and whether a value's reading depended on the other
    values of the column (an ambiguous ``1.050``, decided by the column's evidence).

    When it did not, the result for any subset of the rows is the same result restricted
    to them: a reader that sets rows aside after parsing need not parse again.

    Examples
    --------
    >>> parse_numbers(pd.Series(["1.050", "612,30"]))[1], parse_numbers(pd.Series(["7"]))[1]
    (True, False)
    """
    raw = values.reset_index(drop=True)
    arr = _arrow_text(raw)
    fast, rest = _shapes_fast(arr)
    shapes = _merge_rest(fast, rest, raw)
    depends = bool((shapes.amb["."] | shapes.amb[","]).any())
    if depends:
        simple = _np_bool(pc.is_valid(arr)) & ~rest
        seen = _evidence_fast(arr, simple, shapes)
        shapes = shapes._replace(evidence={s: shapes.evidence[s] or seen[s] for s in ".,"})
    value = shapes.value
    unresolved = np.zeros(len(raw), dtype=bool)
    for sep, other, own in ((".", ",", "."), (",", ".", ",")):
        amb = shapes.amb[sep]
        if not amb.any():
            continue
        other_dec, own_dec = shapes.evidence[other], shapes.evidence[own]
        if other_dec and not own_dec:  # the separator is a thousands separator
            value[amb] = [float(t.replace(sep, "")) for t in shapes.text[amb]]
        elif own_dec and not other_dec:  # the separator is the decimal separator
            value[amb] = [float(t.replace(sep, ".")) for t in shapes.text[amb]]
        else:
            unresolved |= amb
    if plausible is not None and unresolved.any():
        unresolved = _resolve_by_range(shapes.text, value, unresolved, plausible)
    given = _np_bool(pc.is_valid(arr))
    huge = given & ~unresolved & ~(np.abs(np.nan_to_num(value, nan=0.0)) < MAX_ABS)
    unread = np.flatnonzero(given & np.isnan(value) & ~unresolved)
    if len(unread):  # "nan" is read as a number by pyarrow and pandas: it is none
        nan_text = raw.iloc[unread].astype("string").str.fullmatch(r"(?i)\s*[+-]?nan\s*")
        huge[unread[nan_text.fillna(False).to_numpy(dtype=bool)]] = True
    value[huge] = np.nan
    empty_like = given & np.isnan(value) & ~unresolved & ~huge
    if empty_like.any():  # a cell holding only spaces or a currency sign is empty
        stripped = (
            raw[empty_like].astype("string").str.replace(r"[\s\u00a0\u202f€]", "", regex=True)
        )
        given[np.flatnonzero(empty_like)[stripped.to_numpy() == ""]] = False
    invalid = given & np.isnan(value)
    note = pd.Series(pd.NA, index=values.index, dtype="string")
    if unresolved.any():
        texts = shapes.text[unresolved]
        note.iloc[np.flatnonzero(unresolved)] = [
            f"{v} (dubbelzinnig: {float(re.sub('[.,]', '', t)):g} of "
            f"{float(t.replace(',', '.')):g})"
            for v, t in zip(raw[unresolved], texts, strict=True)
        ]
    if huge.any():
        note.iloc[np.flatnonzero(huge)] = [
            f"{v} (geen eindig getal van redelijke grootte)" for v in raw[huge]
        ]
    index = values.index
    parsed = ParsedNumbers(
        pd.Series(value, index=index, dtype="float64"),
        pd.Series(invalid, index=index, dtype=bool),
        note,
    )
    return parsed, depends


def _resolve_by_range(
    text: NDArray[np.object_],
    value: NDArray[np.float64],
    unresolved: NDArray[np.bool_],
    plausible: tuple[float, float],
) -> NDArray[np.bool_]:
    """Read ambiguous values whose one reading lies in ``plausible`` that way (into
    ``value``); return the values still unresolved."""
    low, high = plausible
    idx = np.flatnonzero(unresolved)
    still = unresolved.copy()
    for i in idx:
        as_thousands = float(re.sub("[.,]", "", text[i]))
        as_decimal = float(text[i].replace(",", "."))
        fits_t, fits_d = low <= as_thousands <= high, low <= as_decimal <= high
        if fits_t != fits_d:
            value[i] = as_thousands if fits_t else as_decimal
            still[i] = False
    return still


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


def distinct(values: pd.Series) -> tuple[NDArray[np.intp], pd.Series]:
    """The distinct values of a text column and, per row, the position of its value.

    For columns with few distinct values (labels, ja/nee, corporations, buurtcodes): a
    check runs once per distinct value and is taken back to the rows. ``codes`` is -1
    for an empty cell.

    Examples
    --------
    >>> codes, uniques = distinct(pd.Series(["b", None, "a", "b"]))
    >>> codes.tolist(), uniques.tolist()
    ([0, -1, 1, 0], ['b', 'a'])
    """
    encoded = pc.dictionary_encode(_arrow_text(values))
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp)
    uniques = pd.Series(pd.arrays.ArrowStringArray(encoded.dictionary))
    return codes, uniques


def take_distinct(result: pd.Series, codes: NDArray[np.intp], index: pd.Index) -> pd.Series:
    """Per row, the ``result`` of its distinct value (:func:`distinct`); None for -1
    (an object column: the caller gives it its type)."""
    values = np.append(result.to_numpy(dtype=object), np.array([None], dtype=object))
    return pd.Series(values[np.where(codes < 0, len(values) - 1, codes)], index=index, dtype=object)


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
    codes, uniques = distinct(values)
    low = uniques.str.strip().str.lower()
    known = low.isin(yes | no).fillna(False).astype(bool) & (low != "")
    is_yes = (known & low.isin(yes)).to_numpy(dtype=bool)
    # per row the answer of its distinct value, built from the codes (no object per row);
    # an empty cell (code -1) and an unknown word are NA
    rows = np.where(codes < 0, len(low), codes)
    out = pd.Series(
        pd.arrays.BooleanArray(
            np.append(is_yes, False)[rows], ~np.append(known.to_numpy(dtype=bool), False)[rows]
        ),
        index=values.index,
    )
    bad = (~known & (low != "")).to_numpy(dtype=bool)
    invalid = (codes >= 0) & np.append(bad, False)[codes]
    return out, pd.Series(invalid, index=values.index, dtype=bool)


def clean_code(values: pd.Series) -> pd.Series:
    """CBS codes as written in files: upper case, without spaces; an empty cell is NA.

    Examples
    --------
    >>> clean_code(pd.Series([" bu0307 0100", "", None])).tolist()
    ['BU03070100', <NA>, <NA>]
    """
    codes, uniques = distinct(values)
    code = uniques.str.upper().str.replace(r"\s+", "", regex=True)
    code = code.mask(code == "").astype("string")
    return take_distinct(code, codes, values.index).astype("string")


def restore_code(code: pd.Series, prefix: str, width: int) -> pd.Series:
    """Codes written as a number: ``prefix`` and the digits with the leading zeros that a
    spreadsheet or a numeric database column dropped (``3070100`` or ``BU3070100`` ->
    ``BU03070100``; CBS's own ``gwb_code_8`` is such a number). Only ``width - 3`` to
    ``width`` digits count (the smallest gemeentecode is 0003); anything else is left as
    it is, for the caller to report. A restored code that is no buurt is reported as
    unknown where the codes are linked.

    Examples
    --------
    >>> restore_code(pd.Series(["3070100", "BU3070100", "30701", "12", "bu1"]), "BU", 8).tolist()
    ['BU03070100', 'BU03070100', 'BU00030701', '12', 'bu1']
    >>> restore_code(pd.Series(["30701", "WK030701"], dtype="string"), "WK", 6).tolist()
    ['WK030701', 'WK030701']
    """
    text = code.astype("string")
    digits = text.str.extract(rf"^(?:{prefix})?(\d{{{width - 3},{width}}})$", expand=False)
    restored = prefix + digits.str.zfill(width)
    return restored.fillna(text).astype("string")


def parse_buurtcode(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Clean buurtcodes (:func:`clean_code`) and check them; return (codes, invalid mask).

    A valid code is ``BU`` and 8 digits; an empty cell is NA and not invalid; a code
    written as a number gets its prefix and leading zeros back (:func:`restore_code`).

    Examples
    --------
    >>> codes, bad = parse_buurtcode(pd.Series(["bu03070100", "WK030701", None, "3070100"]))
    >>> codes.tolist(), bad.tolist()
    (['BU03070100', 'WK030701', <NA>, 'BU03070100'], [False, True, False, False])
    """
    codes, uniques = distinct(values)  # once per distinct code: national files repeat them
    code = restore_code(clean_code(uniques), "BU", 8)
    code = take_distinct(code, codes, values.index).astype("string")
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
        mask = aligned(mask, df.index).fillna(False).astype(bool)
        if not mask.any():
            return df
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
        "ongeldige waarde in huurprijs: 2 rij(en), bv. rij 2 '-5'"
        """
        counts: dict[str, int] = {}
        first: dict[str, dict[str, Any]] = {}
        for r in self.records:
            key = REASONS[r["reden"]] + (f" in {r['kolom']}" if r["kolom"] else "")
            counts[key] = counts.get(key, 0) + int(r["aantal"])
            first.setdefault(key, r)
        parts = []
        for key, n in counts.items():
            eg = first[key]
            value = f" {eg['waarde']!r}" if eg["waarde"] is not None else ""
            parts.append(f"{key}: {n} rij(en), bv. rij {eg['bron_rij']}{value}")
        return "; ".join(parts)


def attach(df: Any, *, source: str, n_read: int, rejects: Rejects) -> Any:
    """Store the accounting in ``df.attrs`` and return ``df``."""
    df.attrs[ATTR_SOURCE] = source
    df.attrs[ATTR_READ] = int(n_read)
    df.attrs[ATTR_REJECTED] = list(rejects.records)
    return df
