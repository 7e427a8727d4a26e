"""The fast (pyarrow) and the fallback (pandas, python) paths read the same.

Property tests on random CSVs as Dutch Excel writes them (``;`` or ``,``, decimal comma,
thousands dot, quotes, empty cells, ``.`` for missing, UTF-8 with or without BOM or cp1252,
CRLF): the pyarrow CSV reader and pandas' python parser give the same frame, and
:func:`read_stock` through either gives the same rows and the same accounting (rows set
aside, reasons, columns, values); the vectorised number classification gives what the full
per-value rules give.
"""

from __future__ import annotations

import csv
import functools
import io
import tempfile
import warnings
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoprestatie.sources import _tabular, read_stock
from geoprestatie.sources._tabular import parse_number_column

_NUMBER_CELLS = st.one_of(
    st.integers(-5000, 99_999).map(str),
    st.decimals(-2000, 99_999, places=2, allow_nan=False).map(lambda d: str(d).replace(".", ",")),
    st.sampled_from(
        [
            "1.050",
            "1,050",
            "612,30",
            "650.5",
            "1.234,56",
            "1,234.56",
            "1.050.000",
            "€ 650",
            "650 €",
            " 701 ",
            "€\u00a01\u00a0050,00",
            ".",
            "",
            "-",
            "abc",
            "inf",
            "1e308",
            "nan",
            "0,050",
            "7.25",
            "12,5",
            "1e3",
        ]
    ),
)
_TEXT = st.text(alphabet=st.sampled_from(list("abcéëAZ 019-_.,;'\"€/")), min_size=0, max_size=8)
_LABELS = st.sampled_from(["A", "A+++", "a++++", "C", "G", "H", "", " b ", "."])
_BOOLS = st.sampled_from(["ja", "nee", "Ja", "", "misschien", "1", "0"])
_X = st.one_of(st.integers(150_000, 160_000).map(str), st.sampled_from(["", ".", "155.000,5"]))
_Y = st.one_of(st.integers(460_000, 470_000).map(str), st.sampled_from(["", "463000,25"]))
_HEADER = ["VHE-nummer", "Corporatie", "X", "Y", "Kale huur", "Energielabel", "DAEB", "Type"]


@st.composite
def _rows(draw: Any) -> list[list[str]]:
    n = draw(st.integers(1, 12))
    rows = []
    for i in range(n):
        vhe = draw(st.sampled_from([f"V{i}", f"V{i}", "V0", ""]))
        rows.append(
            [
                vhe,
                draw(st.sampled_from(["Portaal", "de Alliantie", ""])),
                draw(_X),
                draw(_Y),
                draw(_NUMBER_CELLS),
                draw(_LABELS),
                draw(_BOOLS),
                draw(_TEXT),
            ]
        )
    return rows


@st.composite
def dutch_csv(draw: Any) -> bytes:
    """One CSV file as bytes: separator, quoting, line end, encoding and BOM drawn."""
    sep = draw(st.sampled_from([";", ","]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, quoting=quoting, lineterminator=eol)
    writer.writerow(_HEADER)
    writer.writerows(draw(_rows()))
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(encoding)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame with object columns and None for missing, to compare across dtypes."""
    out = frame.astype(object)
    return out.where(out.notna(), None)


def _write(data: bytes) -> Path:
    folder = Path(tempfile.mkdtemp())
    path = folder / "bezit.csv"
    path.write_bytes(data)
    return path


_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(dutch_csv())
def test_arrow_and_python_parser_give_the_same_frame(data: bytes) -> None:
    path = _write(data)
    header_a, frame_a, first_a = _tabular._read_csv(path)
    header_p, frame_p, first_p = _tabular._read_csv(path, arrow=False)
    assert (header_a, first_a) == (header_p, first_p)
    pd.testing.assert_frame_equal(_plain(frame_a), _plain(frame_p))


def _read(path: Path, *, arrow: bool) -> pd.DataFrame:
    slow = functools.partial(_tabular._read_csv, arrow=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if arrow:
            return read_stock(path)
        with mock.patch.object(_tabular, "_read_csv", slow):
            return read_stock(path)


@_SETTINGS
@given(dutch_csv())
def test_stock_and_its_accounting_are_the_same_on_either_path(data: bytes) -> None:
    path = _write(data)
    try:
        fast = _read(path, arrow=True)
    except Exception as exc:  # the same error, word for word, on the other path
        try:
            _read(path, arrow=False)
        except Exception as other:
            assert (type(other), str(other)) == (type(exc), str(exc))
            return
        raise AssertionError(f"only the pyarrow path failed: {exc}") from exc
    slow = _read(path, arrow=False)
    assert fast.attrs["rijen_gelezen"] == slow.attrs["rijen_gelezen"]
    assert fast.attrs["afgewezen"] == slow.attrs["afgewezen"]
    assert list(fast.columns) == list(slow.columns)
    assert fast.geometry.to_wkb().tolist() == slow.geometry.to_wkb().tolist()
    pd.testing.assert_frame_equal(
        _plain(pd.DataFrame(fast.drop(columns="geometry"))),
        _plain(pd.DataFrame(slow.drop(columns="geometry"))),
    )


def _all_slow(arr: Any) -> tuple[Any, np.ndarray]:
    """A fast pass that leaves every value to the full rules."""
    n = len(arr)
    given_ = np.array(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    shapes = _tabular._Shapes(
        np.full(n, np.nan),
        {s: np.zeros(n, dtype=bool) for s in ".,"},
        np.full(n, None, dtype=object),
        {},
    )
    return shapes, given_


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_NUMBER_CELLS, st.none()), min_size=1, max_size=20))
def test_vectorised_numbers_equal_the_full_rules(cells: list[str | None]) -> None:
    column = pd.Series(cells, dtype="string")
    fast = parse_number_column(column)
    with mock.patch.object(_tabular, "_shapes_fast", _all_slow):
        slow = parse_number_column(column)
    np.testing.assert_array_equal(fast.values.to_numpy(), slow.values.to_numpy())
    assert fast.invalid.tolist() == slow.invalid.tolist()
    assert fast.note.fillna("").tolist() == slow.note.fillna("").tolist()
