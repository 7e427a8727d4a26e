from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from geoprestatie.output._fmt import nl_int, nl_num, nl_pct


def test_dutch_formatting_by_hand() -> None:
    assert nl_num(1234.5) == "1.234,5"
    assert nl_num(1234567, 0) == "1.234.567"
    assert nl_num(-0.04, 1) == "0,0"  # no "-0,0"
    assert nl_num(-0.06, 1) == "-0,1"
    assert nl_int(999) == "999" and nl_int(1000) == "1.000"
    assert nl_pct(0.5) == "50,0 %"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 3))
def test_dutch_formatting_round_trips(x: float, decimals: int) -> None:
    text = nl_num(x, decimals)
    back = float(text.replace(".", "").replace(",", "."))
    assert abs(back - round(x, decimals)) <= 10**-decimals
    assert text.count(",") == (1 if decimals else 0)
