from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geoprestatie.errors import InputError
from geoprestatie.privacy import suppress_small


def test_suppress_small_by_hand() -> None:
    df = pd.DataFrame(
        {
            "buurtcode": ["BU1", "BU2", "BU3", "BU4"],
            "woningen": [4, 5, 0, None],
            "aandeel_efg": [0.25, 0.4, None, 0.1],
            "robuust": [True, False, True, True],
            "naam": ["a", "b", "c", "d"],
        }
    )
    before = df.copy()
    out = suppress_small(df, count_col="woningen")
    pd.testing.assert_frame_equal(df, before)  # input untouched
    assert out["onderdrukt"].tolist() == [True, False, True, True]  # NA count: unknown
    assert out["aandeel_efg"].isna().tolist() == [True, False, True, True]
    assert out.loc[1, "aandeel_efg"] == 0.4 and out.loc[1, "woningen"] == 5
    assert out["robuust"].isna().tolist() == [True, False, True, True]
    assert out["naam"].tolist() == ["a", "b", "c", "d"]  # text stays


def test_suppress_small_options() -> None:
    df = pd.DataFrame({"n": [1, 10], "x": [1.0, 2.0], "y": [3.0, 4.0]})
    out = suppress_small(df, count_col="n", columns=["x"], min_count=2)
    assert out["x"].isna().tolist() == [True, False]
    assert out["y"].tolist() == [3.0, 4.0]
    assert out["n"].isna().tolist() == [True, False]  # the count itself is a figure too
    off = suppress_small(df, count_col="n", min_count=0)
    assert not off["onderdrukt"].any() and off["x"].tolist() == [1.0, 2.0]
    with pytest.raises(InputError, match="'aantal'"):
        suppress_small(df, count_col="aantal")
    with pytest.raises(ValueError, match="min_count"):
        suppress_small(df, count_col="n", min_count=-1)
    with pytest.raises(InputError, match="not in the frame"):
        suppress_small(df, count_col="n", columns=["z"])


@given(
    counts=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=30),
    min_count=st.integers(min_value=0, max_value=20),
)
def test_no_small_figure_survives(counts: list[int], min_count: int) -> None:
    df = pd.DataFrame({"n": counts, "x": [float(c) * 1.5 + 1 for c in counts]})
    out = suppress_small(df, count_col="n", min_count=min_count)
    small = df["n"] < min_count
    assert out.loc[small, "x"].isna().all() and out.loc[small, "n"].isna().all()
    assert (out.loc[~small, "x"].astype(float) == df.loc[~small, "x"]).all()
    assert out["onderdrukt"].tolist() == small.tolist()
