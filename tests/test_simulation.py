"""Monte Carlo bands: hand-worked cases and the invariants (hypothesis)."""

from __future__ import annotations

import dataclasses
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geoprestatie.errors import DataWarning
from geoprestatie.planstatus import PlanStatus, UncertaintyConfig, parse_statuses
from geoprestatie.prognosis import (
    PrognosisConfig,
    aggregate,
    plans_from_frame,
    project,
    start_from_frame,
)
from geoprestatie.simulation import draw, locate_plans, simulate, simulated_totals

BANDS = ["eindstand_p10", "eindstand_p50", "eindstand_p90"]


def _config(scenario: str = "alles", n: int = 2000, **statuses: dict) -> PrognosisConfig:
    table = parse_statuses(statuses)
    return PrognosisConfig(
        scenario=scenario,
        statussen=table,
        onzekerheid=UncertaintyConfig(simulaties=n, seed=7, statussen=table),
    )


def _plans(rows: list[tuple], statuses: tuple[str, ...] = ()) -> pd.DataFrame:
    cols = ["corporatie", "jaar", "mutatie", "aantal", "zekerheid", "buurtcode"]
    known = ["hard", "zacht", "ambitie", "idee", *statuses]
    return plans_from_frame(pd.DataFrame(rows, columns=cols[: len(rows[0])]), statuses=known)


def test_draw_probability_and_delay() -> None:
    status = PlanStatus("x", kans=0.5, vertraging=(0.5, 0.25, 0.25))
    shift = draw([status], np.zeros(4, dtype="int64"), simulaties=40_000, seed=1)
    realised = shift >= 0
    assert abs(realised.mean() - 0.5) < 0.01
    delays = np.bincount(shift[realised]) / realised.sum()
    assert np.allclose(delays, [0.5, 0.25, 0.25], atol=0.01)


def test_one_uncertain_plan_by_hand() -> None:
    # 30 dwellings, realised with 50 %, half of them a year late: after 2 years the stock is
    # 0 or 30 (p10 0, p90 30); in the first year 30 only with 25 %
    config = _config(onzeker={"kans": 0.5, "vertraging": [0.5, 0.5]})
    plans = _plans([("A", 2030, "nieuwbouw", 30, "onzeker")], ("onzeker",))
    config = dataclasses.replace(config, eindjaar=2031)
    table = simulate(plans, config=config).table
    assert table["eindstand"].tolist() == [30, 30]  # deterministic: all on time
    assert table[BANDS].to_numpy().tolist() == [[0, 0, 30], [0, 0, 30]] or table[
        BANDS
    ].to_numpy().tolist() == [[0, 0, 30], [0, 30, 30]]
    assert table["eindstand_gemiddeld"].tolist() == pytest.approx([7.5, 15], abs=1.5)
    assert table["mutatie"].tolist() == [30, 0]


def test_delay_past_the_horizon_is_not_counted() -> None:
    config = dataclasses.replace(
        _config(laat={"kans": 1.0, "vertraging": [0.0, 1.0]}), eindjaar=2030
    )
    table = simulate(_plans([("A", 2030, "nieuwbouw", 5, "laat")], ("laat",)), config=config).table
    assert table[["eindstand", *BANDS]].to_numpy().tolist() == [[5, 0, 0, 0]]


def test_hard_only_equals_the_deterministic_projection() -> None:
    plans = _plans(
        [
            ("A", 2030, "nieuwbouw", 30, "hard", "BU00010001"),
            ("A", 2031, "sloop", 12, "hard", "BU00010001"),
            ("B", 2031, "saldo", -7, "hard", "BU00010002"),
        ]
    )
    start = start_from_frame(
        pd.DataFrame(
            {
                "corporatie": ["A", "B"],
                "buurtcode": ["BU00010001", "BU00010002"],
                "aantal": [100, 50],
            }
        ),
        peildatum="2030-01-01",
    )
    config = PrognosisConfig(scenario="hard", onzekerheid=UncertaintyConfig(simulaties=500))
    expected = project(start, plans, config=config)
    keys = ["corporatie", "buurtcode"]
    bands = simulate(plans, config=config, by=keys, start=start).table
    merged = expected.merge(bands, on=[*keys, "jaar"], suffixes=("", "_sim"))
    assert len(merged) == len(expected) == 4
    for col in ["eindstand_sim", *BANDS]:
        assert (merged[col] == merged["eindstand"]).all(), col
    assert (merged["beginstand_sim"] == 0).sum() == 0


def test_by_area_and_segment_with_start() -> None:
    plans = plans_from_frame(
        pd.DataFrame(
            {
                "partij": ["A", "B"],
                "jaar": [2030, 2030],
                "mutatie": ["nieuwbouw"] * 2,
                "aantal": [4, 6],
                "segment": ["koop", "koop"],
                "buurtcode": ["BU00010001", None],
            }
        )
    )
    start = pd.DataFrame({"segment": ["koop"], "buurtcode": ["BU00010001"], "aantal": [10]})
    table = simulate(plans, config=_config(n=10), by=("segment", "buurtcode"), start=start).table
    got = table.set_index(table["buurtcode"].fillna("?"))["eindstand"].to_dict()
    assert got == {"BU00010001": 14, "?": 6}


statuses = st.sampled_from(["hard", "zacht", "idee"])
rows = st.lists(
    st.tuples(
        st.sampled_from(["A", "B"]),
        st.integers(2030, 2033),
        st.sampled_from(["nieuwbouw", "sloop", "saldo", "aankoop"]),
        st.integers(1, 40),
        statuses,
        st.sampled_from(["BU00010001", "BU00010002", "BU00020001"]),
    ),
    min_size=1,
    max_size=12,
)


def _signed(rows: list[tuple]) -> list[tuple]:
    # a saldo may be negative: flip every other one
    return [
        (*r[:3], -r[3] if r[2] == "saldo" and i % 2 else r[3], *r[4:]) for i, r in enumerate(rows)
    ]


@settings(max_examples=15, deadline=None)
@given(rows=rows)
def test_bands_are_ordered(rows: list[tuple]) -> None:
    plans = _plans(_signed(rows))
    table = simulate(plans, config=_config(n=200), by=("corporatie", "buurtcode")).table
    for name in ("eindstand", "mutatie", "groei"):
        lo, mid, hi = (table[f"{name}_p{p}"] for p in (10, 50, 90))
        assert (lo <= mid).all() and (mid <= hi).all()


@settings(max_examples=12, deadline=None)
@given(rows=rows, seed=st.integers(0, 1000))
def test_certain_plans_collapse_to_the_projection(rows: list[tuple], seed: int) -> None:
    plans = _plans(_signed(rows))
    certain = {s: {"kans": 1.0, "vertraging": [1.0]} for s in ("zacht", "idee")}
    config = _config(n=50, **certain)
    config = dataclasses.replace(
        config, onzekerheid=dataclasses.replace(config.onzekerheid, seed=seed)
    )
    start = start_from_frame(
        pd.DataFrame({"corporatie": ["A", "B"], "aantal": [500, 500]}), peildatum="2030-01-01"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        expected = project(start, plans, config=config)
    bands = simulate(plans, config=config, by=("corporatie",), start=start).table
    merged = expected.merge(bands, on=["corporatie", "jaar"], suffixes=("", "_sim"))
    assert len(merged) == len(expected)
    for col in BANDS:
        assert (merged[col] == merged["eindstand"]).all()


@settings(max_examples=10, deadline=None)
@given(rows=rows)
def test_areas_add_up_to_the_gemeente(rows: list[tuple]) -> None:
    plans = _plans(_signed(rows))
    config = _config(n=100)
    _, years, per_buurt = simulated_totals(plans, config=config, by=("buurtcode",))
    _, years_g, gemeente = simulated_totals(plans, config=config, by=())
    assert years == years_g
    # every simulation: the buurten add up to the gemeente (same draws at every level)
    assert (per_buurt.sum(axis=1) == gemeente[:, 0, :]).all()
    table = simulate(plans, config=config, by=("buurtcode",)).table
    total = simulate(plans, config=config).table
    means = table.groupby("jaar")["eindstand_gemiddeld"].sum().to_numpy()
    assert np.allclose(means, total["eindstand_gemiddeld"].to_numpy(), atol=0.05 * len(table))
    assert (aggregate(table, by=())["eindstand"].to_numpy() == total["eindstand"].to_numpy()).all()


def test_same_seed_same_bands() -> None:
    plans = _plans([("A", 2030, "nieuwbouw", 30, "zacht"), ("A", 2031, "nieuwbouw", 9, "idee")])
    a = simulate(plans, config=_config(n=400)).table
    b = simulate(plans, config=_config(n=400)).table
    pd.testing.assert_frame_equal(a, b)


def test_locate_plans_accounts_for_every_row() -> None:
    buurten = gpd.GeoDataFrame(
        {
            "buurtcode": ["BU00010001", "BU00010002"],
            "wijkcode": ["WK000100"] * 2,
            "gemeentecode": ["GM0001"] * 2,
        },
        geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)],
        crs=28992,
    )
    plans = plans_from_frame(
        pd.DataFrame(
            {
                "partij": list("ABCDE"),
                "jaar": [2030] * 5,
                "mutatie": ["nieuwbouw"] * 5,
                "aantal": [1] * 5,
                "buurtcode": ["BU00010002", None, None, None, "BU09990001"],
                "x": [None, "50", "230", "5000", None],
                "y": [None, "50", "50", "50", None],
            }
        )
    )
    plans = pd.concat([plans, plans.iloc[[0]].assign(buurtcode=pd.NA, x=None, y=None, bron_rij=7)])
    with pytest.warns(DataWarning, match="buurt onbekend"):
        placed, rejected = locate_plans(plans, buurten, tolerance_m=50)
    assert placed["locatie"].tolist() == ["buurtcode", "punt", "punt_dichtstbij", "onbekend"]
    assert placed["wijkcode"].tolist()[:3] == ["WK000100"] * 3
    assert sorted(zip(rejected["bron_rij"], rejected["reden"], strict=True)) == [
        (4, "buiten_alle_buurten"),  # the 4th row (a frame: rows are 1-based positions)
        (5, "onbekende_buurtcode"),
    ]
    assert len(placed) + len(rejected) == len(plans)


def test_inverted_cdf_picks_numpys_order_statistics() -> None:
    """The bands' sort-based percentiles are numpy's ``inverted_cdf`` ones exactly, for
    every whole and some fractional percentiles and sizes (floating point edges such as
    7 % of 100, where ``n * q`` lands just above a whole number, included)."""
    import numpy as np

    from geoprestatie.simulation import inverted_cdf

    rng = np.random.default_rng(3)
    q = [*range(101), 2.5, 12.5, 97.5, 33.3]
    for n in (1, 2, 3, 7, 99, 100, 101, 1000, 10_000):
        a = rng.integers(-5, 20, size=(3, n)).astype(float)
        expected = np.percentile(a, q, axis=-1, method="inverted_cdf")
        assert (inverted_cdf(a, q) == expected).all(), n
