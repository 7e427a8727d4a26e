"""DIA as constrained regions: one hand-worked case per constraint, locked areas, small
data (a property test over small random configs)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geoprestatie import dia
from geoprestatie.dia import DiaConfig
from geoprestatie.errors import ConfigError


def _row(
    scores: list[float], prio: list[bool], *, gaps: list[float] | None = None
) -> gpd.GeoDataFrame:
    """Buurten of 1 km in a row; ``gaps[i]`` metres between buurt i and i + 1 (default 0)."""
    gaps = gaps or [0.0] * (len(scores) - 1)
    x, geoms = 150_000.0, []
    for i in range(len(scores)):
        geoms.append(box(x, 450_000, x + 1000, 451_000))
        x += 1000 + (gaps[i] if i < len(gaps) else 0)
    return gpd.GeoDataFrame(
        {
            "buurtcode": [f"BU9999{i:04d}" for i in range(len(scores))],
            "buurtnaam": [f"B{i}" for i in range(len(scores))],
            "sia_score": scores,
            "robuust": prio,
            "woningen_corporaties": 100.0,
            "euro": [1e6 * (i + 1) for i in range(len(scores))],
        },
        geometry=geoms,
        crs=28992,
    )


def test_bridge_across_a_street() -> None:
    g = _row([90, 80], [True, True], gaps=[60.0])  # a 60 m wide road between them
    cut = dia.delineate(g, DiaConfig(min_buurten=2))
    assert cut.areas.empty
    assert cut.buurten.loc[0, "dia_reden"].startswith("eiland: geen andere geschikte buurt")
    bridged = dia.delineate(g, DiaConfig(min_buurten=2, brug_afstand=100))
    assert bridged.areas["buurtcodes"].tolist() == ["BU99990000, BU99990001"]
    assert bridged.buurten["dia_reden"].isna().all()


def test_connecting_buurt() -> None:
    g = _row([90, 30, 80], [True, False, True])
    without = dia.delineate(g, DiaConfig(min_buurten=2))
    assert without.areas.empty
    assert "eiland: geen aangrenzende prioriteitsbuurt" in without.buurten.loc[0, "dia_reden"]
    res = dia.delineate(g, DiaConfig(min_buurten=2, verbindingsbuurten=1))
    assert res.buurten["dia_rol"].tolist() == [
        "prioriteitsbuurt", "verbindingsbuurt", "prioriteitsbuurt"
    ]  # fmt: skip


def test_fill_to_the_minimum_with_the_best_neighbour() -> None:
    g = _row([40, 90, 50], [False, True, False])
    res = dia.delineate(g, DiaConfig(min_buurten=2, aanvullen=True))
    assert res.areas["buurtcodes"].tolist() == ["BU99990001, BU99990002"]  # 50 beats 40
    assert res.buurten.loc[2, "dia_rol"] == "aanvulling"


def test_max_woningen_per_area() -> None:
    g = _row([90, 80, 70], [True] * 3)
    res = dia.delineate(g, DiaConfig(min_buurten=1, max_woningen=200))
    assert res.areas["n_buurten"].tolist() == [2, 1]


def test_budget_over_all_areas() -> None:
    g = _row([90, 80, 70], [True] * 3)
    res = dia.delineate(g, DiaConfig(min_buurten=1, budget=250))
    assert res.areas["n_buurten"].tolist() == [2]
    assert res.buurten.loc[2, "dia_reden"] == "past niet meer in het budget van 250 (budget)"
    # a euro column: 1 + 2 million fits in 3.5 million, the third (3 million) does not
    euro = dia.delineate(g, DiaConfig(min_buurten=1, budget=3.5e6, budget_kolom="euro"))
    assert euro.areas["buurtcodes"].tolist() == ["BU99990000, BU99990001"]


def test_min_spacing_between_areas() -> None:
    g = _row([90, 10, 80], [True, False, True])
    res = dia.delineate(g, DiaConfig(min_buurten=1, min_afstand=1500))
    assert res.areas["buurtcodes"].tolist() == ["BU99990000"]
    assert res.buurten.loc[2, "dia_reden"].startswith(
        "ligt binnen 1.500 m van DIA-01 (min_afstand)"
    )
    assert len(dia.delineate(g, DiaConfig(min_buurten=1, min_afstand=500)).areas) == 2


def test_compactness_prefers_the_nearer_neighbour() -> None:
    # 2 x 2: seed 0 (90); east 1 (50) at 1 km, diagonal 3 (55) at 1.41 km; room for one
    geoms = [box(0, 1000, 1000, 2000), box(1000, 1000, 2000, 2000),
             box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)]  # fmt: skip
    g = gpd.GeoDataFrame(
        {"buurtcode": ["BU1", "BU2", "BU3", "BU4"], "sia_score": [90.0, 50, 10, 55],
         "robuust": [True, True, False, True]},
        geometry=geoms, crs=28992,
    )  # fmt: skip
    loose = dia.delineate(g, DiaConfig(min_buurten=1, max_buurten=2))
    assert loose.areas["buurtcodes"].iloc[0] == "BU1, BU4"
    tight = dia.delineate(g, DiaConfig(min_buurten=1, max_buurten=2, compactheid=1.0))
    assert tight.areas["buurtcodes"].iloc[0] == "BU1, BU2"


def test_locked_areas_keep_their_id_and_may_grow() -> None:
    g = _row([90, 80, 10, 70, 60, 50], [True, True, False, False, True, True])
    previous = pd.DataFrame({"dia_id": ["DIA-01", "DIA-07"], "buurtcodes": ["BU99990003",
                             "BU99990000, BU99990001"]})  # fmt: skip
    res = dia.delineate(g, DiaConfig(min_buurten=1, vorige_vastzetten=True), previous=previous)
    a = res.areas.set_index("dia_id")
    assert a.loc["DIA-07", "status"] == "vastgezet"
    assert a.loc["DIA-01", "status"] == "gewijzigd"  # 3 took its priority neighbours 4, 5
    assert a.loc["DIA-01", "buurtcodes"] == "BU99990003, BU99990004, BU99990005"
    assert res.buurten.loc[3, "dia_rol"] == "vastgezet"
    # without vorige_vastzetten the earlier set is only compared
    free = dia.delineate(g, DiaConfig(min_buurten=1), previous=previous)
    assert (free.areas["status"] == "nieuw").all()


def test_new_ids_skip_locked_ones() -> None:
    g = _row([90, 10, 80], [True, False, True])
    previous = pd.DataFrame({"buurtcode": ["BU99990002"], "dia_id": ["DIA-01"]})
    res = dia.delineate(g, DiaConfig(min_buurten=1, vorige_vastzetten=True), previous=previous)
    assert sorted(res.areas["dia_id"]) == ["DIA-01", "DIA-02"]
    assert res.buurten.loc[0, "dia_id"] == "DIA-02"


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"brug_afstand": -1}, "brug_afstand"),
        ({"budget": float("inf")}, "budget"),
        ({"max_woningen": 10, "min_woningen": 20}, "max_woningen"),
        ({"aanvullen": "ja"}, "aanvullen"),
        ({"verbindingsbuurten": -1}, "verbindingsbuurten"),
        ({"split_method": "skater"}, "onbekende sleutel"),
    ],
)
def test_config_errors_name_the_key(change: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        DiaConfig.from_dict(change)


def test_budget_column_must_exist() -> None:
    with pytest.raises(ConfigError, match="budget_kolom"):
        dia.delineate(_row([1.0], [True]), DiaConfig(budget=1, budget_kolom="geld"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(0, 6),
    data=st.data(),
    min_buurten=st.integers(1, 3),
    extra=st.integers(0, 3),
    budget=st.sampled_from([None, 150.0, 1000.0]),
    spacing=st.sampled_from([0.0, 1200.0]),
    bridge=st.sampled_from([0.0, 100.0]),
    connectors=st.integers(0, 1),
    fill=st.booleans(),
    max_dias=st.sampled_from([None, 1, 2]),
)
def test_small_random_configs_never_crash_and_hold(
    n: int, data: st.DataObject, min_buurten: int, extra: int, budget: float | None,
    spacing: float, bridge: float, connectors: int, fill: bool, max_dias: int | None,
) -> None:  # fmt: skip
    scores = data.draw(st.lists(st.one_of(st.none(), st.floats(0, 100)), min_size=n, max_size=n))
    prio = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    gaps = data.draw(st.lists(st.sampled_from([0.0, 50.0]), min_size=n, max_size=n))
    g = _row([np.nan if s is None else s for s in scores] or [], prio, gaps=gaps)
    g["robuust"] = g["robuust"].astype(bool) & g["sia_score"].notna()
    cfg = DiaConfig(
        min_buurten=min_buurten, max_buurten=min_buurten + extra, budget=budget,
        min_afstand=spacing, brug_afstand=bridge, verbindingsbuurten=connectors,
        aanvullen=fill, max_dias=max_dias,
    )  # fmt: skip
    res = dia.delineate(g, cfg)
    b = res.buurten
    assert max_dias is None or len(res.areas) <= max_dias
    if budget is not None:
        assert res.areas.get("woningen_corporaties", pd.Series(dtype=float)).sum() <= budget
    for _, members in b.dropna(subset=["dia_id"]).groupby("dia_id"):
        assert min_buurten <= len(members) <= min_buurten + extra
    prio_out = b["robuust"] & b["dia_id"].isna()
    assert b.loc[prio_out, "dia_reden"].notna().all()
    assert b.loc[b["dia_id"].notna(), "dia_reden"].isna().all()


def test_without_stock_columns() -> None:
    g = _row([90.0, 80.0], [True, True]).drop(columns=["woningen_corporaties", "euro"])
    res = dia.delineate(g, DiaConfig(min_buurten=2))
    assert res.areas["n_buurten"].tolist() == [2]
    with pytest.raises(ConfigError, match="max_woningen"):
        dia.delineate(g, DiaConfig(max_woningen=10))
