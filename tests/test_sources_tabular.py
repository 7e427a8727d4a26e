"""parse_number_column: the decimal separator decided per column, ambiguity reported."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoprestatie.sources._tabular import (
    FALSE_WORDS,
    TRUE_WORDS,
    Rejects,
    parse_bool,
    parse_number,
    parse_number_column,
)


def _parse(*cells: str | None) -> tuple[list[float], list[bool], list[object]]:
    p = parse_number_column(pd.Series(list(cells), dtype="string"))
    return (
        [None if pd.isna(v) else v for v in p.values],
        p.invalid.tolist(),
        [None if pd.isna(n) else n for n in p.note],
    )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # a decimal comma elsewhere in the column: the dot is a thousands separator
        (("1.050", "612,30"), [1050.0, 612.3]),
        # a decimal dot elsewhere in the column: the dot is decimal, the comma thousands
        (("1.050", "650.5"), [1.05, 650.5]),
        (("1,050", "650.5"), [1050.0, 650.5]),
        (("1,050", "612,30"), [1.05, 612.3]),
        # both separators in one value: the last is decimal, whatever the column says
        (("1,050.00",), [1050.0]),
        (("1.050,00",), [1050.0]),
        # two or more groups can only be thousands
        (("1.050.000",), [1_050_000.0]),
        (("1,050,000",), [1_050_000.0]),
        # Excel's currency format and spaces (also non-breaking) as thousands separator
        (("€ 650", "650 €", "€\u00a01\u00a0050,00"), [650.0, 650.0, 1050.0]),
        # a leading zero is never a thousands group: 0.050 is a decimal
        (("0.050", "0,050"), [0.05, 0.05]),
        (("7", "1e3", "-12,5"), [7.0, 1000.0, -12.5]),
    ],
)
def test_decimal_separator_per_column(cells: tuple[str, ...], expected: list[float]) -> None:
    values, _, _ = _parse(*cells)
    assert values == expected


def test_ambiguous_value_is_invalid_with_both_readings() -> None:
    values, invalid, note = _parse("1.050", "700", None)
    assert values == [None, 700.0, None]
    assert invalid == [True, False, False]
    assert note == ["1.050 (dubbelzinnig: 1050 of 1.05)", None, None]


def test_column_with_both_decimal_separators_leaves_ambiguous_values_unread() -> None:
    values, invalid, note = _parse("12,5", "7.25", "1.050")
    assert values == [12.5, 7.25, None]
    assert invalid == [False, False, True]
    assert note[2] is not None and "1050 of 1.05" in note[2]


def test_parse_number_keeps_its_shape() -> None:
    v, bad = parse_number(pd.Series(["1.050", "abc", "3"]))
    assert bad.tolist() == [True, True, False]
    assert v.iloc[2] == 3.0


@settings(deadline=None)
@given(st.integers(min_value=1000, max_value=999_999), st.integers(min_value=0, max_value=99))
def test_dutch_and_english_thousands_agree(whole: int, cents: int) -> None:
    nl = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    en = f"{whole:,}.{cents:02d}"
    got = parse_number(pd.Series([nl, en]))[0].tolist()
    assert got == pytest.approx([whole + cents / 100] * 2)


def test_rejects_summary_names_reason_column_row_and_value() -> None:
    r = Rejects("v.csv")
    r.add([4], "geen_locatie", column=None, values=[None])
    r.add([2, 3], "ongeldige_waarde", column="huurprijs", values=["-5", "x"])
    assert r.reasons() == (
        "geen locatie: 1 rij(en), bv. rij 4; "
        "ongeldige waarde in huurprijs: 2 rij(en), bv. rij 2 '-5'"
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.sampled_from(["ja", " Nee", "J", "daeb", "x", "", "??", "0"])),
        max_size=20,
    )
)
def test_parse_bool_answers_each_cell_on_its_own(cells: list[str | None]) -> None:
    values, bad = parse_bool(pd.Series(cells, dtype="string"), true=["DAEB"])
    for cell, value, invalid in zip(cells, values, bad, strict=True):
        word = None if cell is None else cell.strip().lower()
        if not word:
            assert value is pd.NA and not invalid
        elif word in TRUE_WORDS | {"daeb"}:
            assert value is not pd.NA and bool(value) and not invalid
        elif word in FALSE_WORDS:
            assert value is not pd.NA and not bool(value) and not invalid
        else:
            assert value is pd.NA and invalid
    assert str(values.dtype) == "boolean"
