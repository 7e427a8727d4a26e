"""Tests for geoprestatie.dia: hand-made grids with gaps, constraints, splitting, properties."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from geoprestatie import datasets, dia, sia
from geoprestatie.dia import DiaConfig
from geoprestatie.errors import ConfigError, InputError

GAP = 4.0  # metres between neighbouring buurten: a generalisation gap


def _grid(rows: int, cols: int, size: float = 1000.0) -> gpd.GeoDataFrame:
    """A rows x cols grid of buurten separated by GAP-metre gaps, codes row-major."""
    recs = []
    for i in range(rows * cols):
        r, c = divmod(i, cols)
        x0, y0 = 150_000 + c * size, 450_000 - r * size
        recs.append(
            {
                "buurtcode": f"BU9999{i:04d}",
                "buurtnaam": f"Buurt {i}",
                "geometry": box(
                    x0 + GAP / 2, y0 + GAP / 2, x0 + size - GAP / 2, y0 + size - GAP / 2
                ),
            }
        )
    return gpd.GeoDataFrame(recs, crs=28992)


#  row 0:  P  P  .  .  P       cluster A = {0, 1, 5}, island = {4}
#  row 1:  P  .  .  .  .       cluster B = {12, 13, 17}
#  row 2:  .  .  P  P  .
#  row 3:  .  .  P  .  .
_SCORES = {0: 90.0, 1: 80.0, 5: 70.0, 4: 99.0, 12: 95.0, 13: 85.0, 17: 75.0}


@pytest.fixture
def prioritised() -> gpd.GeoDataFrame:
    g = _grid(4, 5)
    n = len(g)
    g["sia_score"] = [_SCORES.get(i, 10.0) for i in range(n)]
    g["sia_rang"] = pd.array(
        pd.Series(g["sia_score"]).rank(ascending=False, method="first").astype(int), "Int64"
    )
    g["robuust"] = [i in _SCORES for i in range(n)]
    g["kans_top_k"] = [0.9 if i in _SCORES else 0.1 for i in range(n)]
    g["woningen_corporaties"] = [100.0] * n
    g["woningen_portaal"] = [60.0] * n
    g["woningen_de_alliantie"] = [40.0] * n
    g.loc[13, ["woningen_corporaties", "woningen_portaal", "woningen_de_alliantie"]] = [300, 0, 300]
    g["aandeel_efg"] = [0.2] * n
    g.loc[13, "aandeel_efg"] = 0.6
    g["leefbaarometer_score"] = [4.0] * n
    g.loc[17, "leefbaarometer_score"] = 3.7
    g["warmte_startjaar"] = pd.array([None] * n, dtype="Int64")
    g.loc[12, "warmte_startjaar"] = 2030
    g.loc[13, "warmte_startjaar"] = 2028
    g["warmte_strategie"] = pd.array([None] * n, dtype="string")
    g.loc[[12, 13], "warmte_strategie"] = "warmtenet"
    g["verkoop_gepland"] = [1.0] * n
    g.attrs["top_k"] = 7
    return g


def test_grid_by_hand(prioritised: gpd.GeoDataFrame) -> None:
    res = dia.delineate(prioritised, DiaConfig(snap_distance=10, min_buurten=2))
    b = res.buurten
    # B (mean 85) comes before A (mean 80); both named after their smallest code (equal areas)
    assert b.loc[[12, 13, 17], "dia_id"].tolist() == ["DIA-01"] * 3
    assert b.loc[[0, 1, 5], "dia_id"].tolist() == ["DIA-02"] * 3
    assert b.loc[12, "dia_naam"] == "DIA Buurt 12" and b.loc[0, "dia_naam"] == "DIA Buurt 0"
    assert b["dia_id"].notna().sum() == 6
    assert b.loc[4, "dia_reden"].startswith("eiland: geen aangrenzende prioriteitsbuurt")
    assert b["dia_reden"].notna().sum() == 1
    a = res.areas.set_index("dia_id")
    assert a.loc["DIA-01", "buurtcodes"] == "BU99990012, BU99990013, BU99990017"
    assert a.loc["DIA-01", "n_buurten"] == 3
    # dwellings: 100 + 300 + 100; per corporation 60 + 0 + 60 and 40 + 300 + 40
    assert a.loc["DIA-01", "woningen_corporaties"] == 500
    assert a.loc["DIA-01", "woningen_portaal"] == 120
    assert a.loc["DIA-01", "woningen_de_alliantie"] == 380
    # E/F/G weighted by corporation dwellings: (0.2*100 + 0.6*300 + 0.2*100) / 500
    assert a.loc["DIA-01", "aandeel_efg"] == pytest.approx(0.44)
    assert a.loc["DIA-01", "leefbaarometer_gemiddeld"] == pytest.approx((4 + 4 + 3.7) / 3)
    assert a.loc["DIA-01", "warmte_startjaren"] == "2028, 2030"
    assert a.loc["DIA-01", "warmte_strategieen"] == "warmtenet"
    assert a.loc["DIA-01", "verkoop_gepland"] == 3
    assert a.loc["DIA-01", "sia_score_gemiddeld"] == pytest.approx(85.0)
    assert a.loc["DIA-01", "kans_top_k_gemiddeld"] == pytest.approx(0.9)
    assert a.loc["DIA-01", "n_robuust"] == 3
    # the gaps inside the DIA are closed: one polygon of three squares' area
    geom = res.areas.geometry.iloc[0]
    assert geom.geom_type == "Polygon"
    assert geom.area == pytest.approx(3 * 1000 * 1000, rel=0.01)
    assert res.areas.crs.to_epsg() == 28992
    assert "dia_id" not in prioritised.columns


def test_snap_distance_decides_neighbours(prioritised: gpd.GeoDataFrame) -> None:
    res = dia.delineate(prioritised, DiaConfig(snap_distance=0, min_buurten=2))
    assert res.buurten["dia_id"].isna().all() and len(res.areas) == 0
    assert res.buurten["dia_reden"].notna().sum() == 7  # every priority buurt is an island
    assert any("geen enkele DIA" in n for n in res.notes)
    # gaps of 4 m need a snap distance of at least 4 m
    assert dia.delineate(prioritised, DiaConfig(snap_distance=3.9)).areas.empty
    assert len(dia.delineate(prioritised, DiaConfig(snap_distance=4.1)).areas) == 2


def test_island_can_be_a_dia_when_allowed(prioritised: gpd.GeoDataFrame) -> None:
    res = dia.delineate(prioritised, DiaConfig(min_buurten=1))
    assert res.buurten.loc[4, "dia_id"] == "DIA-01"  # score 99: the highest mean
    assert len(res.areas) == 3


def test_min_woningen_and_max_dias(prioritised: gpd.GeoDataFrame) -> None:
    res = dia.delineate(prioritised, DiaConfig(min_woningen=400))
    # A has 300 corporation dwellings: too few; B has 500
    assert res.buurten.loc[0, "dia_reden"].startswith(
        "te klein: minder dan 400 corporatiewoningen (min_woningen)"
    )
    assert res.areas["dia_id"].tolist() == ["DIA-01"]
    res = dia.delineate(prioritised, DiaConfig(max_dias=1))
    assert res.areas["buurtcodes"].tolist() == ["BU99990012, BU99990013, BU99990017"]
    assert res.buurten.loc[5, "dia_reden"] == "buiten het maximum van 1 DIA's (max_dias)"


def test_selection_top_k(prioritised: gpd.GeoDataFrame) -> None:
    p = prioritised.copy()
    p.attrs["top_k"] = 3  # 4 (99), 12 (95), 0 (90): no two of them touch
    res = dia.delineate(p, DiaConfig(selection="top_k", min_buurten=1))
    assert sorted(res.buurten["dia_id"].dropna()) == ["DIA-01", "DIA-02", "DIA-03"]


def _row(scores: list[float]) -> gpd.GeoDataFrame:
    g = _grid(1, len(scores))
    g["sia_score"] = scores
    g["robuust"] = True
    g["woningen_corporaties"] = 100.0
    return g


def test_max_buurten_grows_from_the_best_seed() -> None:
    # a row of six: the best seed takes its best neighbours up to three; the rest from 24
    g = _row([90, 88, 86, 20, 22, 24])
    res = dia.delineate(g, DiaConfig(max_buurten=3, min_buurten=2))
    assert res.areas["buurtcodes"].tolist() == [
        "BU99990000, BU99990001, BU99990002",
        "BU99990003, BU99990004, BU99990005",
    ]
    assert (res.areas["status"] == "nieuw").all()
    assert (res.buurten["dia_rol"] == "prioriteitsbuurt").all()


def test_remainder_below_the_minimum_names_both_bounds() -> None:
    # five in a row, at least 3 and at most 4 per area: 4 + 1, the last one says why
    res = dia.delineate(_row([90, 80, 70, 60, 50]), DiaConfig(min_buurten=3, max_buurten=4))
    assert res.areas["n_buurten"].tolist() == [4]
    why = res.buurten.loc[4, "dia_reden"]
    assert why.startswith("te klein: 1 buurt(en), minimaal 3 (min_buurten)")
    assert "al in een ander gebied" in why


def test_large_cluster_split_on_real_geometries(amersfoort: gpd.GeoDataFrame) -> None:
    # all 145 buurten of Amersfoort form one cluster; parts of at most 8, all contiguous
    g = amersfoort.copy()
    g["sia_score"] = np.linspace(0, 100, len(g))
    g["robuust"] = True
    res = dia.delineate(g, DiaConfig(max_buurten=8, max_dias=None))
    assert res.areas["n_buurten"].between(2, 8).all()
    assert res.areas["n_buurten"].sum() + res.buurten["dia_reden"].notna().sum() == 145
    for _, members in res.buurten.dropna(subset=["dia_id"]).groupby("dia_id"):
        assert dia.contiguity(members, snap_distance=10).n_components == 1


def test_crs_checked_at_the_door(prioritised: gpd.GeoDataFrame) -> None:
    # another CRS is reprojected: areas in metres all the same
    res = dia.delineate(prioritised.to_crs(4326), DiaConfig())
    assert res.areas.crs.to_epsg() == 28992
    assert res.areas["oppervlakte_ha"].iloc[0] == pytest.approx(3 * 100, rel=0.01)
    with pytest.raises(InputError, match="geen coördinatenstelsel"):
        dia.delineate(prioritised.set_crs(None, allow_override=True), DiaConfig())


def test_config_errors(prioritised: gpd.GeoDataFrame) -> None:
    with pytest.raises(ConfigError, match="onbekende sleutel"):
        DiaConfig.from_dict({"snap": 3})
    with pytest.raises(ConfigError, match=r"\['robuust', 'top_k'\]"):
        DiaConfig.from_dict({"selection": "alles"})
    with pytest.raises(ConfigError, match="snap_distance"):
        DiaConfig(snap_distance=-1)
    with pytest.raises(ConfigError, match="is kleiner dan"):
        DiaConfig(min_buurten=4, max_buurten=3)
    with pytest.raises(ConfigError, match=r"heeft kolom\(men\) \['robuust'\] van"):
        dia.delineate(prioritised.drop(columns="robuust"), DiaConfig())
    with pytest.raises(ConfigError, match="woningen_corporaties"):
        dia.delineate(prioritised.drop(columns="woningen_corporaties"), DiaConfig(min_woningen=1))


def test_compare_dia(prioritised: gpd.GeoDataFrame) -> None:
    old = dia.delineate(prioritised, DiaConfig())
    p = prioritised.copy()
    p.loc[5, "robuust"] = False  # leaves A: A = {0, 1}, mean 85
    p.loc[18, "robuust"] = True  # joins B: B = {12, 13, 17, 18}, mean 83.75
    p.loc[18, "sia_score"] = 80.0
    p.loc[3, "robuust"] = True  # with the island 4: a new DIA {3, 4}, mean 74.5
    p.loc[3, "sia_score"] = 50.0
    new = dia.delineate(p, DiaConfig())
    assert old.areas["dia_id"].tolist() == ["DIA-01", "DIA-02"]  # B, A
    cmp = dia.compare_dia(old.areas, new).set_index("dia_id")
    # matched by content, not by id: A is DIA-01 now, B is DIA-02
    assert cmp.loc["DIA-01", "dia_id_oud"] == "DIA-02"
    assert cmp.loc["DIA-01", "status"] == "gewijzigd"
    assert cmp.loc["DIA-01", "buurten_eraf"] == "BU99990005"
    assert cmp.loc["DIA-02", "dia_id_oud"] == "DIA-01"
    assert cmp.loc["DIA-02", "buurten_erbij"] == "BU99990018"
    assert cmp.loc["DIA-02", "overlap"] == pytest.approx(3 / 4)
    assert cmp.loc["DIA-03", "status"] == "nieuw"
    assert cmp.loc["DIA-03", "buurten_erbij"] == "BU99990003, BU99990004"
    same = dia.compare_dia(old, old.buurten[["buurtcode", "dia_id"]])
    assert (same["status"] == "ongewijzigd").all()
    vervallen = dia.compare_dia(old, p.assign(dia_id=pd.NA))
    assert (vervallen["status"] == "vervallen").all() and len(vervallen) == 2


# --------------------------------------------------------------------------- properties


@settings(max_examples=20, deadline=None)
@given(
    chosen=st.lists(st.booleans(), min_size=25, max_size=25),
    scores=st.lists(st.floats(0, 100), min_size=25, max_size=25),
    min_buurten=st.integers(1, 3),
    extra=st.integers(0, 4),
    max_dias=st.integers(1, 6),
    min_woningen=st.sampled_from([0.0, 150.0, 400.0]),
)
def test_dias_are_contiguous_and_meet_constraints(
    chosen: list[bool],
    scores: list[float],
    min_buurten: int,
    extra: int,
    max_dias: int,
    min_woningen: float,
) -> None:
    g = _grid(5, 5)
    g["sia_score"] = scores
    g["robuust"] = chosen
    g["woningen_corporaties"] = [50.0 + 10 * i for i in range(25)]
    cfg = DiaConfig(
        min_buurten=min_buurten,
        max_buurten=min_buurten + extra,
        max_dias=max_dias,
        min_woningen=min_woningen,
    )
    res = dia.delineate(g, cfg)
    b = res.buurten
    assert len(res.areas) <= max_dias
    assert b.loc[~b["robuust"], "dia_id"].isna().all()
    for ident, members in b.dropna(subset=["dia_id"]).groupby("dia_id"):
        assert len(members) >= min_buurten, ident
        assert members["woningen_corporaties"].sum() >= min_woningen
        assert len(members) <= cfg.max_buurten
        w = dia.contiguity(members, snap_distance=cfg.snap_distance)
        assert w.n_components == 1, f"{ident} is not contiguous"
    # every robust buurt outside a DIA says why
    outside = b["robuust"] & b["dia_id"].isna()
    assert b.loc[outside, "dia_reden"].notna().all()


# --------------------------------------------------------------------------- real data


def test_amersfoort_end_to_end() -> None:
    """Real CBS geometries and indicators: liveability and SES only (no corporation data)."""
    t = datasets.load_buurten("Amersfoort").merge(
        datasets.load_indicators("Amersfoort").drop(columns=["buurtnaam", "gemeentenaam"]),
        on="buurtcode",
    )
    cfg = sia.SiaConfig.from_dict(
        {
            "top_k": 15,
            "criteria": [
                {
                    "name": "leefbaarheid",
                    "label": "Lage leefbaarheid",
                    "column": "leefbaarometer_score",
                    "direction": "lower",
                    "weight": 2,
                    "normalisation": "rank",
                    "missing": "exclude",
                },
                {
                    "name": "ses",
                    "label": "Lage SES",
                    "column": "sociaaleconomische_score",
                    "direction": "lower",
                    "weight": 1,
                    "normalisation": "rank",
                },
            ],
            "robustness": {"draws": 300},
        }
    )
    p = sia.prioritise(t, cfg)
    res = dia.delineate(p, DiaConfig(selection="top_k", min_buurten=2))
    assert p["sia_geschikt"].sum() == 117  # buurten with a Leefbaarometer score
    assert 1 <= len(res.areas) <= 10
    # every DIA is contiguous on the real (generalised) boundaries
    for _, members in res.buurten.dropna(subset=["dia_id"]).groupby("dia_id"):
        assert dia.contiguity(members, snap_distance=10).n_components == 1
    assert res.areas.geometry.is_valid.all()


def test_contiguity_on_embedded_buurten(buurten_all: gpd.GeoDataFrame) -> None:
    strict = dia.contiguity(buurten_all, snap_distance=0)
    snapped = dia.contiguity(buurten_all, snap_distance=10)
    # snapping only adds neighbours
    for i, nb in strict.neighbors.items():
        assert set(nb) <= set(snapped.neighbors[i])
    assert snapped.mean_neighbors >= strict.mean_neighbors
    assert np.isfinite(snapped.mean_neighbors)


def test_neighbour_sets_equal_the_libpysal_weights(buurten_all: gpd.GeoDataFrame) -> None:
    # the region growing reads the graph's edge list at once (not via to_W): same neighbours,
    # on positions picked out of a larger table (ids of the sub-table index ``nodes``)
    nodes = np.arange(0, len(buurten_all), 2)
    sub = buurten_all.iloc[nodes]
    for snap in (0.0, 10.0, 250.0):
        want = dia.contiguity(sub, snap_distance=snap).neighbors
        got = dia._neighbour_sets(dia._graph(sub, snap_distance=snap), nodes, len(buurten_all))
        assert [got[p] for p in nodes] == [{int(nodes[j]) for j in want[i]} for i in want]
        assert not any(got[p] for p in range(1, len(buurten_all), 2))


def test_delineate_keeps_the_attrs_and_leaves_the_caller_alone() -> None:
    # the work table drops the (large) SIA attrs, which pandas copies into every slice;
    # the result carries them, the caller's frame keeps them
    g = _grid(1, 3)
    g["sia_score"] = [90.0, 80.0, 70.0]
    g["sia_rang"] = [1, 2, 3]
    g.attrs.update(top_k=2, paarsgewijs={"tabel": [[0.5] * 50] * 50})
    res = dia.delineate(g, DiaConfig(selection="top_k", min_buurten=2))
    assert res.buurten["dia_id"].fillna("").tolist() == ["DIA-01", "DIA-01", ""]
    assert res.buurten.attrs == g.attrs and g.attrs["top_k"] == 2
    assert "dia_id" not in g.columns


def test_contiguity_snap_distance_in_metres_whatever_the_crs() -> None:
    # 100 m squares 4 m apart (in a row) and one 500 m away: with a 10 m snap distance the
    # row are neighbours, the far one is not; in degrees a 10 "m" buffer would join them all
    g = gpd.GeoDataFrame(
        geometry=[
            box(150_000, 450_000, 150_100, 450_100),
            box(150_104, 450_000, 150_204, 450_100),
            box(150_700, 450_000, 150_800, 450_100),
        ],
        crs=28992,
    )
    expected = {0: [1], 1: [0], 2: []}
    assert dia.contiguity(g, snap_distance=10.0).neighbors == expected
    assert dia.contiguity(g.to_crs(4326), snap_distance=10.0).neighbors == expected
    with pytest.raises(InputError, match="geen coördinatenstelsel"):
        dia.contiguity(g.set_crs(None, allow_override=True), snap_distance=10.0)
