"""CSV files in the Dutch Excel dialect, written column-wise with Arrow (private; used by
``_sheets`` and ``tables``).

Each column becomes one Arrow string array in Arrow's compute kernels: numbers with the
dialect's decimal sign, booleans as ``ja``/``nee``, text through
:func:`geoprestatie.output.cells.safe_arrow` (formula neutralisation) and quoted only when it
holds the separator, a quote or a line break (as Python's ``csv.QUOTE_MINIMAL``), suppressed
cells as the caller's label. The columns are joined into lines in the same kernels, so a
table of a million rows costs no Python per cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geoprestatie.output.cells import safe_arrow

__all__ = ["DIALECTS", "CsvDialect", "dialect", "write_csv"]

#: Attribute of a frame with the suppressed cells (boolean frame, True = suppressed).
ATTR_SUPPRESSED = "onderdrukt"

#: Rows converted and written at a time (bounds the memory of the text of a large table).
CHUNK_ROWS = 200_000


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written."""

    sep: str
    decimal: str
    encoding: str
    true: str
    false: str
    eol: str = "\n"


#: CSV dialects by name: ``nl`` (default, Dutch Excel) and ``internationaal``.
DIALECTS: dict[str, CsvDialect] = {
    "nl": CsvDialect(
        sep=";", decimal=",", encoding="utf-8-sig", true="ja", false="nee", eol="\r\n"
    ),
    "internationaal": CsvDialect(
        sep=",", decimal=".", encoding="utf-8", true="true", false="false"
    ),
}


def dialect(name: str) -> CsvDialect:
    """The CSV dialect called ``name``.

    Examples
    --------
    >>> dialect("nl").sep, dialect("internationaal").decimal
    (';', '.')
    >>> dialect("excel")
    Traceback (most recent call last):
    ...
    ValueError: `csv` is 'excel' maar moet een van ['nl', 'internationaal'] zijn
    """
    if name not in DIALECTS:
        raise ValueError(f"`csv` is {name!r} maar moet een van {list(DIALECTS)} zijn")
    return DIALECTS[name]


def suppressed_mask(frame: pd.DataFrame) -> pd.DataFrame | None:
    """``frame.attrs["onderdrukt"]`` aligned with ``frame`` (boolean), or ``None``."""
    mask = frame.attrs.get(ATTR_SUPPRESSED)
    if not isinstance(mask, pd.DataFrame) or not len(mask):
        return None
    aligned = mask.reindex(index=frame.index, columns=frame.columns, fill_value=False)
    return aligned.astype("boolean").fillna(False).astype(bool)


def _quoted(text: pa.Array, sep: str) -> pa.Array:
    """Quote the cells that hold the separator, a quote or a line break (quotes doubled)."""
    needs = pc.match_substring_regex(text, f'[{sep}"\\r\\n]')
    if not pc.any(needs).as_py():
        return text
    quote = pa.scalar('"', text.type)
    doubled = pc.replace_substring(text, '"', '""')
    empty = pa.scalar("", text.type)
    return pc.if_else(needs, pc.binary_join_element_wise(quote, doubled, quote, empty), text)


def _numbers(values: pd.Series, csv: CsvDialect) -> pa.Array:
    """A numeric column as text: integers as they are, floats shortest round-trip, the
    dialect's decimal sign, missing and NaN empty."""
    if pd.api.types.is_float_dtype(values):
        arr = pa.array(values.to_numpy(dtype="float64", na_value=np.nan), from_pandas=True)
    else:
        arr = pa.array(values, from_pandas=True)
    text = pc.cast(arr, pa.string())
    if csv.decimal != "." and pa.types.is_floating(arr.type):
        text = pc.replace_substring(text, ".", csv.decimal)
    return text


def _objects(values: pd.Series, csv: CsvDialect) -> pa.Array:
    """A text (or mixed) column as safe text; numbers in it get the dialect's decimal sign."""
    try:
        arr = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types: each value as text
        arr = pa.array([_mixed(v, csv) for v in values.astype(object)], type=pa.string())
    if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type):
        return _numbers(pd.Series(arr.to_pandas()), csv)
    if pa.types.is_boolean(arr.type):
        return pc.if_else(arr, csv.true, csv.false)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        try:
            arr = pc.cast(arr, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            arr = pa.array([_mixed(v, csv) for v in values.astype(object)], type=pa.string())
    return safe_arrow(arr)


def _categories(values: pd.Series, csv: CsvDialect) -> pa.Array:
    """A categorical column as text: text categories decoded in Arrow (the few categories,
    not one Python string per row: the stock's ``corporatie`` of 2.5 M dwellings), other
    categories value by value as :func:`_objects` writes them."""
    dtype = values.dtype
    assert isinstance(dtype, pd.CategoricalDtype)
    categories = dtype.categories
    text = pd.api.types.is_string_dtype(categories.dtype)
    if len(categories) and text and all(isinstance(c, str) for c in categories):
        coded = pa.array(values, from_pandas=True)
        return safe_arrow(pc.cast(coded.dictionary_decode(), pa.string()))
    return _objects(values.astype(object), csv)


def _mixed(value: object, csv: CsvDialect) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float | np.floating):
        return repr(float(value)).replace(".", csv.decimal)
    return str(value)


def _column(values: pd.Series, csv: CsvDialect) -> pa.Array:
    """One column as an Arrow string array (before suppression labels and quoting)."""
    if pd.api.types.is_bool_dtype(values):
        arr = pa.array(values, from_pandas=True, type=pa.bool_())
        return pc.if_else(arr, csv.true, csv.false)
    if isinstance(values.dtype, pd.CategoricalDtype):
        return _categories(values, csv)
    if pd.api.types.is_numeric_dtype(values):
        return _numbers(values, csv)
    if pd.api.types.is_datetime64_any_dtype(values):
        return pc.cast(pa.array(values, from_pandas=True), pa.string())
    return _objects(values, csv)


def _never_quoted(values: pd.Series) -> bool:
    """Whether a column's text can hold no separator, quote or line break: numbers (digits,
    sign, the decimal sign, which is never the separator), ja/nee, dates."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return False
    return (
        pd.api.types.is_bool_dtype(values)
        or pd.api.types.is_numeric_dtype(values)
        or pd.api.types.is_datetime64_any_dtype(values)
    )


def csv_lines(
    frame: pd.DataFrame, mask: pd.DataFrame | None, csv: CsvDialect, label: str
) -> pa.Array:
    """The rows of ``frame`` as CSV lines (each ending in the dialect's end of line)."""
    columns: list[pa.Array] = []
    label_text = _quoted(pa.array([label], type=pa.large_string()), csv.sep)[0]
    for j in range(frame.shape[1]):
        values = frame.iloc[:, j]
        text = pc.cast(_column(values, csv), pa.large_string())
        if not _never_quoted(values):
            text = _quoted(text, csv.sep)
        if mask is not None:
            hidden = mask.iloc[:, j].to_numpy()
            if hidden.any():
                text = pc.if_else(pa.array(hidden), label_text, text)
        columns.append(text.fill_null(""))
    if not columns:
        return pa.array([csv.eol] * len(frame), type=pa.large_string())
    sep = pa.scalar(csv.sep, pa.large_string())
    joined = pc.binary_join_element_wise(*columns, sep) if len(columns) > 1 else columns[0]
    eol = pa.scalar(csv.eol, pa.large_string())
    out: pa.Array = pc.binary_join_element_wise(joined, pa.scalar("", pa.large_string()), eol)
    return out


def _header(frame: pd.DataFrame, csv: CsvDialect) -> str:
    names = safe_arrow(pa.array([str(c) for c in frame.columns], type=pa.string()))
    return csv.sep.join(_quoted(names, csv.sep).to_pylist()) + csv.eol


def write_csv(
    frame: pd.DataFrame,
    path: Path,
    *,
    csv: str = "nl",
    suppressed_label: str = "×",
) -> Path:
    """Write ``frame`` (without geometry) as CSV in the dialect ``csv``; return ``path``.

    Examples
    --------
    >>> import tempfile
    >>> f = pd.DataFrame({"buurt": ["=Oost", "Zuid"], "aandeel": [0.25, None], "ok": [True, False]})
    >>> p = write_csv(f, Path(tempfile.mkdtemp()) / "t.csv")
    >>> p.read_bytes().decode("utf-8-sig").splitlines()
    ['buurt;aandeel;ok', "'=Oost;0,25;ja", 'Zuid;;nee']
    """
    csv_dialect = dialect(csv)
    data = frame.drop(columns=[c for c in frame.columns if c == "geometry"])
    data.attrs = dict(frame.attrs)
    mask = suppressed_mask(data)
    data.attrs = {}  # pandas deep-copies attrs on every column access
    with path.open("wb") as f:
        if csv_dialect.encoding == "utf-8-sig":
            f.write(b"\xef\xbb\xbf")
        f.write(_header(data, csv_dialect).encode("utf-8"))
        for start in range(0, len(data), CHUNK_ROWS):
            part = data.iloc[start : start + CHUNK_ROWS]
            part_mask = None if mask is None else mask.iloc[start : start + CHUNK_ROWS]
            lines = csv_lines(part, part_mask, csv_dialect, suppressed_label)
            f.write(_text_bytes(lines))
    return path


def _text_bytes(lines: pa.Array) -> bytes:
    """The concatenated UTF-8 bytes of a large_string array without nulls."""
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    if not len(lines):
        return b""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[
        lines.offset : lines.offset + len(lines) + 1
    ]
    data = lines.buffers()[2]
    assert data is not None
    start, stop = int(offsets[0]), int(offsets[-1])
    out: bytes = data.slice(start, stop - start).to_pybytes()
    return out
