"""Tests for geoprestatie.sia: hand-worked rankings, config errors, robustness, properties."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import rankdata

from geoprestatie import sia
from geoprestatie.errors import ConfigError, DataWarning, InputError
from geoprestatie.sia import SiaConfig

# buurt i of the 3x3 grid: aandeel_efg, leefbaarometer_score, woningen_corporaties
_VALUES = [
    (0.0, 5.0, 100),
    (0.2, 4.0, 100),
    (0.8, 3.0, 100),
    (0.4, 4.5, 100),
    (0.6, 3.0, 5),  # not eligible: too few corporation dwellings
    (0.6, 4.0, 100),
    (0.4, 3.0, 100),
    (np.nan, 3.5, 100),  # efg unknown: neutral (0.5)
    (0.1, 5.0, 100),
]


def _crit(name: str, column: str, direction: str, weight: float, **kw: Any) -> dict[str, Any]:
    return {
        "name": name,
        "label": name.upper(),
        "column": column,
        "direction": direction,
        "weight": weight,
        **kw,
    }


@pytest.fixture
def table(grid_buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    t = grid_buurten.copy()
    t["aandeel_efg"] = [v[0] for v in _VALUES]
    t["leefbaarometer_score"] = [v[1] for v in _VALUES]
    t["woningen_corporaties"] = [v[2] for v in _VALUES]
    return t


@pytest.fixture
def config() -> SiaConfig:
    return SiaConfig.from_dict(
        {
            "top_k": 3,
            "criteria": [
                _crit("efg", "aandeel_efg", "higher", 2),
                _crit("leef", "leefbaarometer_score", "lower", 1),
            ],
            "eligibility": [
                {"column": "woningen_corporaties", "min": 10, "label": "Woningen corporaties"}
            ],
        }
    )


def test_weighted_sum_by_hand(table: gpd.GeoDataFrame, config: SiaConfig) -> None:
    # eligible: all but buurt 4. efg min-max over [0, 0.8] -> u = efg / 0.8;
    # leef (lower is urgent) over [3, 5] -> u = (5 - x) / 2; weights 2/3 and 1/3.
    out = sia.score(table, config)
    expected = {
        0: (0.0, 0.0),
        1: (0.25, 0.5),
        2: (1.0, 1.0),
        3: (0.5, 0.25),
        5: (0.75, 0.5),
        6: (0.5, 1.0),
        7: (0.5, 0.75),  # efg missing -> neutral 0.5
        8: (0.125, 0.0),
    }
    for i, (ue, ul) in expected.items():
        assert out.loc[i, "bijdrage_efg"] == pytest.approx(100 * 2 / 3 * ue)
        assert out.loc[i, "bijdrage_leef"] == pytest.approx(100 * 1 / 3 * ul)
        assert out.loc[i, "sia_score"] == pytest.approx(100 * (2 / 3 * ue + 1 / 3 * ul))
    # 2: 100, 5 and 6 tie at 66.7 (buurtcode decides), 7: 58.3, 3: 41.7, 1: 33.3, 8: 8.3, 0: 0
    ranked = out.sort_values("sia_rang")["buurtcode"].str[-1].tolist()
    assert ranked == ["2", "5", "6", "7", "3", "1", "8", "0", "4"]
    assert out.loc[4, "sia_geschikt"] == False  # noqa: E712
    assert pd.isna(out.loc[4, "sia_rang"]) and np.isnan(out.loc[4, "sia_score"])
    assert out.loc[4, "sia_reden"] == "Woningen corporaties 5 (minimaal 10)"
    assert out["sia_reden"].drop(index=4).isna().all()
    assert out.attrs["sia_gewichten"] == pytest.approx({"efg": 2 / 3, "leef": 1 / 3})
    assert isinstance(out, gpd.GeoDataFrame) and "sia_score" not in table.columns


def test_topsis_by_hand(table: gpd.GeoDataFrame, config: SiaConfig) -> None:
    cfg = SiaConfig(
        criteria=config.criteria, method="topsis", eligibility=config.eligibility, top_k=3
    )
    out = sia.score(table, cfg)
    # buurt 1: u = (0.25, 0.5), w = (2/3, 1/3)
    d_minus = math.sqrt((2 / 3 * 0.25) ** 2 + (1 / 3 * 0.5) ** 2)
    d_plus = math.sqrt((2 / 3 * 0.75) ** 2 + (1 / 3 * 0.5) ** 2)
    s1 = 100 * d_minus / (d_minus + d_plus)
    assert out.loc[1, "sia_score"] == pytest.approx(s1)
    # both criteria contribute (2/3*0.25)^2 = (1/3*0.5)^2 to d-^2: equal halves
    assert out.loc[1, "bijdrage_efg"] == pytest.approx(s1 / 2)
    assert out.loc[1, "bijdrage_leef"] == pytest.approx(s1 / 2)
    assert out.loc[2, "sia_score"] == pytest.approx(100.0)
    assert out.loc[0, "sia_score"] == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("missing", "expected_u", "eligible"),
    [("neutral", 0.5, True), ("most_urgent", 1.0, True), ("least_urgent", 0.0, True)],
)
def test_missing_fill(
    table: gpd.GeoDataFrame, missing: str, expected_u: float, eligible: bool
) -> None:
    cfg = SiaConfig.from_dict(
        {"criteria": [_crit("efg", "aandeel_efg", "higher", 1, missing=missing)]}
    )
    out = sia.score(table, cfg)
    assert out.loc[7, "sia_score"] == pytest.approx(100 * expected_u)


def test_missing_exclude_gives_reason(table: gpd.GeoDataFrame) -> None:
    cfg = SiaConfig.from_dict(
        {"criteria": [_crit("efg", "aandeel_efg", "higher", 1, missing="exclude")]}
    )
    out = sia.score(table, cfg)
    assert not out.loc[7, "sia_geschikt"]
    assert out.loc[7, "sia_reden"] == "EFG: geen waarde"
    assert out["sia_geschikt"].sum() == 8


def test_normalisations_by_hand() -> None:
    x = np.array([1.0, 2.0, 2.0, 5.0, np.nan])
    c = sia.Criterion(name="c", label="C", column="c", direction="higher", weight=1)
    np.testing.assert_allclose(sia.NORMALISATIONS["minmax"](x, True, c), [0, 0.25, 0.25, 1, np.nan])
    np.testing.assert_allclose(
        sia.NORMALISATIONS["minmax"](x, False, c), [1, 0.75, 0.75, 0, np.nan]
    )
    # average ranks 1, 2.5, 2.5, 4 of 4 -> (r - 1) / 3
    np.testing.assert_allclose(sia.NORMALISATIONS["rank"](x, True, c), [0, 0.5, 0.5, 1, np.nan])
    # mean 2.5, population sd 1.5: z = -1, -1/3, -1/3, 1.67 -> clip 1 -> (z + 1) / 2
    cz = sia.Criterion(
        name="c",
        label="C",
        column="c",
        direction="higher",
        weight=1,
        normalisation="zscore",
        clip=1,
    )
    np.testing.assert_allclose(
        sia.NORMALISATIONS["zscore"](x, True, cz), [0, 1 / 3, 1 / 3, 1, np.nan]
    )
    ck = sia.Criterion(
        name="c",
        label="C",
        column="c",
        direction="lower",
        weight=1,
        normalisation="classes",
        thresholds=(2, 4),
    )
    # lower: share of thresholds with x <= t: 1 -> 2/2, 2 -> 2/2, 5 -> 0/2
    np.testing.assert_allclose(sia.NORMALISATIONS["classes"](x, False, ck), [1, 1, 1, 0, np.nan])
    # a spread too small to represent (the standard deviation underflows): neutral
    tiny = np.array([0.0, 3e-300])
    np.testing.assert_allclose(sia.NORMALISATIONS["zscore"](tiny, True, cz), [0.5, 0.5])
    const = np.array([3.0, 3.0, np.nan])
    np.testing.assert_allclose(sia.NORMALISATIONS["minmax"](const, True, c), [0.5, 0.5, np.nan])


# --------------------------------------------------------------------------- config errors


@pytest.mark.parametrize(
    ("weights", "message"),
    [((-1, 1), "maar moet >= 0 zijn"), ((0, 0), "zijn allemaal 0")],
)
def test_bad_weights(weights: tuple[float, float], message: str) -> None:
    d = {
        "criteria": [
            _crit("a", "aandeel_efg", "higher", weights[0]),
            _crit("b", "leefbaarometer_score", "lower", weights[1]),
        ]
    }
    with pytest.raises(ConfigError, match=message):
        SiaConfig.from_dict(d)


def test_unknown_column_lists_available(table: gpd.GeoDataFrame) -> None:
    cfg = SiaConfig.from_dict({"criteria": [_crit("x", "aandeel_egf", "higher", 1)]})
    with pytest.raises(ConfigError) as err:
        sia.score(table, cfg)
    msg = str(err.value)
    assert "'aandeel_egf'" in msg and "beschikbare kolommen" in msg and "'aandeel_efg'" in msg


def test_all_missing_column_is_an_error(table: gpd.GeoDataFrame) -> None:
    t = table.assign(leeg=np.nan)
    cfg = SiaConfig.from_dict({"criteria": [_crit("x", "leeg", "higher", 1)]})
    with pytest.raises(ConfigError, match="heeft geen enkele waarde; vul hem"):
        sia.score(t, cfg)


def test_unknown_method_lists_valid() -> None:
    with pytest.raises(ConfigError, match="\\['weighted_sum', 'topsis'\\]"):
        SiaConfig.from_dict({"method": "electre", "criteria": [_crit("a", "a", "higher", 1)]})
    assert issubclass(ConfigError, ValueError)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"normalisation": "log"}, "normalisation` is 'log' maar moet een van"),
        ({"direction": "up"}, "direction` is 'up'"),
        ({"missing": "drop"}, "missing` is 'drop'"),
        ({"weight": "veel"}, "weight` is 'veel' maar moet een getal zijn"),
        ({"normalisation": "classes"}, "minstens één grens, strikt oplopend"),
        ({"normalisation": "classes", "thresholds": [3, 2]}, "strikt oplopend"),
        ({"kolom": "x"}, "onbekende sleutel\\(s\\) \\['kolom'\\]"),
        ({"name": "Mooi Woord"}, "kleine letters"),
    ],
)
def test_bad_criterion(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        SiaConfig.from_dict({"criteria": [{**_crit("a", "a", "higher", 1), **change}]})


def test_bad_robustness_and_top_level() -> None:
    crit = [_crit("a", "a", "higher", 1)]
    with pytest.raises(ConfigError, match=r"robustness\.spread"):
        SiaConfig.from_dict({"criteria": crit, "robustness": {"spread": 0}})
    with pytest.raises(ConfigError, match="onbekende sleutel"):
        SiaConfig.from_dict({"criteria": crit, "gewicht": {}})
    with pytest.raises(ConfigError, match="top_k"):
        SiaConfig.from_dict({"criteria": crit, "top_k": 0})


def test_default_config_from_shipped_toml_and_skips_absent(table: gpd.GeoDataFrame) -> None:
    cfg = sia.default_config()
    assert cfg.weights["leefbaarheid"] == pytest.approx(0.25)
    assert all(c.optional for c in cfg.criteria)
    with pytest.warns(DataWarning, match="overgeslagen"):
        out = sia.score(table, cfg)
    skipped = out.attrs["sia_overgeslagen"]
    assert any("'warmte_startjaar'" in note for note in skipped)
    assert {c for c in out.columns if c.startswith("bijdrage_")} == {
        "bijdrage_leefbaarheid",
        "bijdrage_energielabel_efg",
    }
    # the eligibility filter of the default set applies (buurt 4 has 5 dwellings)
    assert out["sia_geschikt"].tolist() == [i != 4 for i in range(9)]


def test_from_toml_reads_sia_table(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text(
        '[sia]\nmethod = "topsis"\n[[sia.criteria]]\nname = "a"\nlabel = "A"\n'
        'column = "a"\ndirection = "higher"\nweight = 1\n[dia]\nmax_dias = 2\n',
        encoding="utf-8",
    )
    assert SiaConfig.from_toml(p).method == "topsis"
    p.write_text("[sia]\nmethod = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=str(p.name)):
        SiaConfig.from_toml(p)


def test_duplicate_buurtcode_names_rows(table: gpd.GeoDataFrame, config: SiaConfig) -> None:
    t = table.copy()
    t.loc[5, "buurtcode"] = t.loc[2, "buurtcode"]
    with pytest.raises(InputError, match=r"rijen 3, 6.*BU99990002"):
        sia.score(t, config)


def test_non_numeric_column(table: gpd.GeoDataFrame) -> None:
    cfg = SiaConfig.from_dict({"criteria": [_crit("x", "buurtnaam", "higher", 1)]})
    with pytest.raises(ConfigError, match="niet numeriek"):
        sia.score(table, cfg)


# --------------------------------------------------------------------------- robustness


def _naive(u: np.ndarray, draws: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-draw loop with scipy rankdata: the reference for the vectorised version."""
    ranks = np.array([rankdata(-(u @ w), method="ordinal") for w in draws])
    d = len(draws)
    lo, hi = math.floor(0.05 * (d - 1)), math.ceil(0.95 * (d - 1))
    srt = np.sort(ranks, axis=0)
    return (ranks <= k).mean(axis=0), srt[lo], srt[hi]


def test_robustness_matches_naive_loop(table: gpd.GeoDataFrame, config: SiaConfig) -> None:
    cfg = SiaConfig(
        criteria=config.criteria,
        eligibility=config.eligibility,
        top_k=3,
        robustness=sia.RobustnessConfig(draws=400, spread=0.3, seed=7),
    )
    rob = sia.robustness(table, cfg)
    prep = sia._prepare(table, cfg)
    draws = sia._draw_weights(prep, cfg)[0]
    kans, p05, p95 = _naive(prep.u, draws, 3)
    elig = rob.index[rob["rang_p05"].notna()]
    np.testing.assert_allclose(rob.loc[elig, "kans_top_k"], kans)
    np.testing.assert_array_equal(rob.loc[elig, "rang_p05"].astype(int), p05)
    np.testing.assert_array_equal(rob.loc[elig, "rang_p95"].astype(int), p95)
    # buurt 2 is the most urgent on both criteria: first in every draw
    assert rob.loc[2, "kans_top_k"] == 1.0 and rob.loc[2, "rang_p95"] == 1
    assert rob.loc[2, "robuust"] and not rob.loc[0, "robuust"]
    assert pd.isna(rob.loc[4, "kans_top_k"]) and not rob.loc[4, "robuust"]
    # seeded: the same result again
    pd.testing.assert_frame_equal(rob, sia.robustness(table, cfg))


def test_topsis_robustness_matches_naive_loop(table: gpd.GeoDataFrame, config: SiaConfig) -> None:
    cfg = SiaConfig(
        criteria=config.criteria,
        method="topsis",
        eligibility=config.eligibility,
        top_k=2,
        robustness=sia.RobustnessConfig(draws=300, spread=0.4, seed=3),
    )
    rob = sia.robustness(table, cfg)
    prep = sia._prepare(table, cfg)
    draws = sia._draw_weights(prep, cfg)[0]
    u = prep.u
    closeness = []
    for w in draws:  # TOPSIS written out per buurt and draw
        row = []
        for x in u:
            d_minus = math.sqrt(sum((wi * xi) ** 2 for wi, xi in zip(w, x, strict=True)))
            d_plus = math.sqrt(sum((wi * (1 - xi)) ** 2 for wi, xi in zip(w, x, strict=True)))
            row.append(d_minus / (d_minus + d_plus))
        closeness.append(row)
    ranks = np.array([rankdata(-np.array(r), method="ordinal") for r in closeness])
    elig = rob.index[rob["rang_p05"].notna()]
    np.testing.assert_allclose(rob.loc[elig, "kans_top_k"], (ranks <= 2).mean(axis=0))


def test_identical_buurten_tie_by_buurtcode_in_every_draw() -> None:
    # BU3 and BU1 are identical; BU2 is clearly first. Top 2: BU1 (lower code) every time.
    t = pd.DataFrame(
        {"buurtcode": ["BU3", "BU2", "BU1"], "a": [0.5, 1.0, 0.5], "b": [0.2, 1.0, 0.2]}
    )
    cfg = SiaConfig.from_dict(
        {
            "top_k": 2,
            "criteria": [_crit("a", "a", "higher", 1), _crit("b", "b", "higher", 1)],
            "robustness": {"draws": 200, "spread": 0.5},
        }
    )
    p = sia.prioritise(t, cfg)
    assert p["sia_rang"].tolist() == [3, 1, 2]
    assert p["kans_top_k"].tolist() == [0.0, 1.0, 1.0]
    assert p["rang_p05"].tolist() == [3, 1, 2] and p["rang_p95"].tolist() == [3, 1, 2]


def test_robuust_threshold(table: gpd.GeoDataFrame, config: SiaConfig) -> None:
    # 5 and 6 tie at the chosen weights: each is in the top 2 in part of the draws only
    base = {
        "criteria": [
            _crit("efg", "aandeel_efg", "higher", 2),
            _crit("leef", "leefbaarometer_score", "lower", 1),
        ],
        "eligibility": [{"column": "woningen_corporaties", "min": 10}],
        "top_k": 2,
    }
    rob = sia.robustness(table, SiaConfig.from_dict({**base, "robustness": {"draws": 500}}))
    assert 0 < rob.loc[5, "kans_top_k"] < 1 and 0 < rob.loc[6, "kans_top_k"] < 1
    assert rob.loc[5, "kans_top_k"] + rob.loc[6, "kans_top_k"] == pytest.approx(1.0)
    low = SiaConfig.from_dict({**base, "robustness": {"draws": 500, "threshold": 0.01}})
    assert sia.robustness(table, low).loc[[5, 6], "robuust"].all()


def test_prioritise_and_sweep(table: gpd.GeoDataFrame, config: SiaConfig) -> None:
    p = sia.prioritise(table, config)
    for col in ("sia_score", "sia_rang", "kans_top_k", "rang_p05", "rang_p95", "robuust"):
        assert col in p.columns
    assert isinstance(p, gpd.GeoDataFrame) and p.attrs["top_k"] == 3
    sw = sia.weight_sweep(table, config, factors=[1.0, 0.0])
    same = sw[sw["factor"] == 1.0]
    assert (same["top_k_behouden"] == 3).all()
    np.testing.assert_allclose(same["rangcorrelatie"], 1.0)
    # efg alone (leef x 0): top 3 by efg = 2 (0.8), 5 (0.6), 3 / 6 (0.4, tie -> 3)
    only_efg = sw[(sw["criterium"] == "leef") & (sw["factor"] == 0.0)].iloc[0]
    assert only_efg["eraf"] == "BU99990006" and only_efg["erbij"] == "BU99990003"


# --------------------------------------------------------------------------- properties

_NORMS = st.sampled_from(["minmax", "rank", "zscore", "classes"])


@st.composite
def _cases(draw: st.DrawFn) -> tuple[pd.DataFrame, SiaConfig]:
    n = draw(st.integers(3, 25))
    m = draw(st.integers(1, 4))
    cols: dict[str, Any] = {"buurtcode": [f"BU{i:08d}" for i in range(n)]}
    crits = []
    for j in range(m):
        vals = draw(
            st.lists(
                st.one_of(st.none(), st.floats(-100, 100, allow_nan=False)), min_size=n, max_size=n
            )
        )
        if all(v is None for v in vals):
            vals[0] = 1.0
        cols[f"c{j}"] = [np.nan if v is None else v for v in vals]
        norm = draw(_NORMS)
        crits.append(
            {
                "name": f"c{j}",
                "label": f"C{j}",
                "column": f"c{j}",
                "direction": draw(st.sampled_from(["higher", "lower"])),
                "weight": draw(st.floats(0.01, 10)),
                "normalisation": norm,
                "missing": draw(st.sampled_from(["neutral", "most_urgent", "least_urgent"])),
                **({"thresholds": [-10.0, 0.0, 25.0]} if norm == "classes" else {}),
            }
        )
    method = draw(st.sampled_from(list(sia.METHODS)))
    return pd.DataFrame(cols), SiaConfig.from_dict({"criteria": crits, "method": method})


@settings(max_examples=60, deadline=None)
@given(_cases())
def test_scores_in_range_and_contributions_add_up(case: tuple[pd.DataFrame, SiaConfig]) -> None:
    t, cfg = case
    out = sia.score(t, cfg)
    s = out["sia_score"]
    assert ((s >= -1e-9) & (s <= 100 + 1e-9)).all()
    contrib = out[[c for c in out.columns if c.startswith("bijdrage_")]].sum(axis=1)
    np.testing.assert_allclose(contrib, s, atol=1e-9)
    assert sorted(out["sia_rang"].tolist()) == list(range(1, len(t) + 1))


@settings(max_examples=60, deadline=None)
@given(_cases(), st.data())
def test_more_urgent_never_lowers_score(case: tuple[pd.DataFrame, SiaConfig], data: Any) -> None:
    t, cfg = case
    i = data.draw(st.integers(0, len(t) - 1))
    crit = data.draw(st.sampled_from(cfg.criteria))
    step = data.draw(st.floats(0.0, 50.0))
    x = t.loc[i, crit.column]
    if np.isnan(x):
        return
    worse = t.copy()
    worse.loc[i, crit.column] = x + step if crit.direction == "higher" else x - step
    before = sia.score(t, cfg).loc[i, "sia_score"]
    after = sia.score(worse, cfg).loc[i, "sia_score"]
    assert after >= before - 1e-9


def test_no_eligible_buurt_warns_and_robustness_and_dia_cope(
    table: gpd.GeoDataFrame, config: SiaConfig
) -> None:
    from geoprestatie import dia

    none_eligible = table.assign(woningen_corporaties=[1] * len(table))
    with pytest.warns(DataWarning, match="geen enkele buurt is geschikt"):
        p = sia.prioritise(none_eligible, config)
    assert not p["sia_geschikt"].any()
    assert p["sia_score"].isna().all() and p["sia_rang"].isna().all()
    assert p["bijdrage_efg"].isna().all() and p["bijdrage_leef"].isna().all()
    assert p["kans_top_k"].isna().all() and not p["robuust"].any()
    assert p.attrs["top_k"] == 0
    assert set(p["sia_reden"]) == {"Woningen corporaties 1 (minimaal 10)"}
    for selection in ("robuust", "top_k"):
        res = dia.delineate(p, dia.DiaConfig(selection=selection))
        assert res.areas.empty and res.buurten["dia_id"].isna().all()
        assert "geen enkele buurt is geschikt (zie sia_reden): geen DIA's" in res.notes
