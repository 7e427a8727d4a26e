"""SMAA-2 in the SIA: weight information, sampling, rank acceptabilities, central weights,
confidence factors, pairwise winning indices; hand-worked cases and properties."""

from __future__ import annotations

import dataclasses
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from geoprestatie import sia, smaa, weightspace
from geoprestatie.errors import ConfigError, DataWarning
from geoprestatie.sia import SiaConfig
from geoprestatie.weightspace import WeightInfo


def _crit(name: str, weight: float = 1.0) -> dict[str, object]:
    return {"name": name, "label": name.upper(), "column": name, "direction": "higher",
            "weight": weight}  # fmt: skip


def _three() -> pd.DataFrame:
    """A = (1, 0), B = (0, 1), C = (0.4, 0.4) after minmax (C's raw values set so)."""
    return pd.DataFrame({"buurtcode": ["BU1", "BU2", "BU3"], "a": [1.0, 0.0, 0.4],
                         "b": [0.0, 1.0, 0.4]})  # fmt: skip


def _cfg(gewichten: dict[str, object], *, draws: int = 20_000, top_k: int = 2) -> SiaConfig:
    return SiaConfig.from_dict(
        {
            "top_k": top_k,
            "criteria": [_crit("a"), _crit("b")],
            "gewichten": gewichten,
            "robustness": {"draws": draws, "seed": 11},
        }
    )


# --------------------------------------------------------------------------- hand-worked


def test_uniform_weights_hand_worked() -> None:
    """w = (t, 1 - t), t ~ U(0, 1): scores A = t, B = 1 - t, C = 0.4.

    A is first for t > 0.5, second for 0.4 < t < 0.5, third for t < 0.4; C is second
    unless 0.4 < t < 0.6. A's central weight is E[t | t > 0.5] = 0.75.
    """
    rob = sia.robustness(_three(), _cfg({"methode": "geen"}))
    got = rob.set_index("buurtcode")
    tol = 0.015
    assert got.loc["BU1", "kans_rang_1"] == pytest.approx(0.5, abs=tol)
    assert got.loc["BU1", "kans_rang_2"] == pytest.approx(0.1, abs=tol)
    assert got.loc["BU3", "kans_rang_1"] == 0.0
    assert got.loc["BU3", "kans_rang_2"] == pytest.approx(0.8, abs=tol)
    assert got.loc["BU1", "kans_top_k"] == pytest.approx(0.6, abs=tol)
    assert got.loc["BU1", "centraal_gewicht_a"] == pytest.approx(0.75, abs=tol)
    assert got.loc["BU2", "centraal_gewicht_b"] == pytest.approx(0.75, abs=tol)
    assert got.loc["BU1", "betrouwbaarheid"] == 1.0
    assert pd.isna(got.loc["BU3", "centraal_gewicht_a"])
    assert pd.isna(got.loc["BU3", "betrouwbaarheid"])
    assert (got.loc["BU1", "rang_p05"], got.loc["BU1", "rang_p95"]) == (1, 3)
    pw = sia.pairwise_frame(rob).set_index(["buurtcode", "andere_buurtcode"])["kans_voor"]
    assert set(rob.attrs["paarsgewijs"]["buurtcodes"]) == {"BU1", "BU2", "BU3"}  # 2k > n
    assert pw[("BU1", "BU2")] == pytest.approx(0.5, abs=tol)
    assert pw[("BU1", "BU3")] == pytest.approx(0.6, abs=tol)
    assert pw[("BU3", "BU1")] == pytest.approx(0.4, abs=tol)
    # every frame operation deep-copies attrs: the pairwise table is shared, not copied,
    # and stays JSON (to_parquet writes attrs as JSON)
    pairs = rob.attrs["paarsgewijs"]
    assert rob[["buurtcode"]].attrs["paarsgewijs"]["kans_voor"] is pairs["kans_voor"]
    assert json.loads(json.dumps(rob.attrs))["paarsgewijs"]["buurtcodes"] == list(
        pairs["buurtcodes"]
    )


def test_interval_weights_hand_worked() -> None:
    """0.55 <= w_a = t <= 0.7: A always first (t > 0.5); C (0.4) beats B (1 - t) for t > 0.6,
    in 0.1 / 0.15 = 2/3 of the draws; A's central weight is the interval's middle."""
    cfg = _cfg({"methode": "intervallen", "intervallen": {"a": {"min": 0.55, "max": 0.7}}})
    cfg = dataclasses.replace(  # chosen shares 0.625 / 0.375 lie in the interval
        cfg, criteria=(cfg.criteria[0], sia.Criterion("b", "B", "b", "higher", 0.6))
    )
    got = sia.robustness(_three(), cfg).set_index("buurtcode")
    assert got.loc["BU1", "kans_rang_1"] == 1.0
    assert got.loc["BU3", "kans_rang_2"] == pytest.approx(2 / 3, abs=0.015)
    assert got.loc["BU1", "centraal_gewicht_a"] == pytest.approx(0.625, abs=0.01)


def test_rank_order_hand_worked() -> None:
    """rangorde b before a: t <= 0.5, so B is always first."""
    got = sia.robustness(_three(), _cfg({"methode": "rangorde", "rangorde": ["b", "a"]}))
    assert got.set_index("buurtcode").loc["BU2", "kans_rang_1"] == 1.0


def test_confidence_factor_zero_when_central_weights_do_not_put_it_first() -> None:
    u = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.6]])
    central = np.array([[0.5, 0.5], [0.2, 0.8], [np.nan, np.nan]])
    cf = smaa.confidence_factors(u, central, lambda u, w: 100 * w @ u.T)
    assert cf[0] == 0.0 and cf[1] == 1.0 and np.isnan(cf[2])


# --------------------------------------------------------------------------- sampling


def test_uniform_simplex_marginals_are_beta() -> None:
    ws = weightspace.weight_set(WeightInfo("geen"), list("abcd"))
    w = weightspace.sample_weights(ws, np.full(4, 0.25), draws=4000, spread=0.1, seed=5)
    for j in range(4):
        assert stats.kstest(w[:, j], stats.beta(1, 3).cdf).pvalue > 0.01


def _rejection(accept: object, m: int, n: int = 400_000) -> np.ndarray:
    r = np.random.default_rng(99).dirichlet(np.ones(m), size=n)
    return r[accept(r)]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("info", "accept"),
    [
        (
            WeightInfo("intervallen", (("a", 0.1, 0.4), ("b", 0.3, 0.6))),
            lambda r: (r[:, 0] >= 0.1) & (r[:, 0] <= 0.4) & (r[:, 1] >= 0.3) & (r[:, 1] <= 0.6),
        ),
        (
            WeightInfo("rangorde", rangorde=("c", "a")),  # partial order: hit-and-run
            lambda r: r[:, 2] >= r[:, 0],
        ),
        (
            WeightInfo("rangorde", rangorde=("d", "c", "b", "a")),  # full order: exact
            lambda r: (r[:, 3] >= r[:, 2]) & (r[:, 2] >= r[:, 1]) & (r[:, 1] >= r[:, 0]),
        ),
        (
            WeightInfo("intervallen", (("a", 0.05, 0.3),), ("b", "c")),
            lambda r: (r[:, 0] >= 0.05) & (r[:, 0] <= 0.3) & (r[:, 1] >= r[:, 2]),
        ),
    ],
)
def test_constrained_sampling_matches_rejection(info: WeightInfo, accept: object) -> None:
    ws = weightspace.weight_set(info, list("abcd"))
    w = weightspace.sample_weights(ws, ws.centre, draws=3000, spread=0.1, seed=3)
    ref = _rejection(accept, 4)[:3000]
    assert np.all(ws.g @ w.T <= ws.h[:, None] + 1e-9)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    for j in range(4):
        assert stats.ks_2samp(w[:, j], ref[:, j]).pvalue > 0.001, j
        assert w[:, j].mean() == pytest.approx(ref[:, j].mean(), abs=0.01)


def test_fixed_weight_is_kept_and_rest_sampled() -> None:
    ws = weightspace.weight_set(WeightInfo("intervallen", (("a", 0.3, 0.3),)), list("abc"))
    w = weightspace.sample_weights(ws, ws.centre, draws=500, spread=0.1, seed=1)
    np.testing.assert_allclose(w[:, 0], 0.3)
    assert w[:, 1].std() > 0.1


def test_sampling_is_seeded() -> None:
    ws = weightspace.weight_set(WeightInfo("intervallen", (("a", 0.2, 0.5),)), list("abc"))
    a = weightspace.sample_weights(ws, ws.centre, draws=100, spread=0.1, seed=4)
    b = weightspace.sample_weights(ws, ws.centre, draws=100, spread=0.1, seed=4)
    np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------- config errors


@pytest.mark.parametrize(
    ("gewichten", "match"),
    [
        ({"methode": "ahp"}, r"`sia\.gewichten\.methode` is 'ahp'; kies uit"),
        ({"methode": "geen", "grens": 1}, r"onbekende sleutel\(s\) \['grens'\]"),
        ({"methode": "intervallen"}, r"`sia\.gewichten\.intervallen` ontbreekt"),
        ({"methode": "rangorde", "rangorde": ["a", "x"]}, r"noemt 'x'.*bestaat niet"),
        ({"methode": "intervallen", "intervallen": {"a": {"min": 0.6, "max": 0.2}}},
         r"intervallen\.a`: min 0,6 is groter dan max 0,2"),
        ({"methode": "intervallen", "intervallen": {"a": {"minimum": 0.1}}},
         r"intervallen\.a` is .*alleen `min` en/of `max`"),
        ({"methode": "intervallen", "intervallen": {"a": {"min": "veel"}}},
         r"intervallen\.a\.min` is 'veel'; verwacht een getal"),
        ({"methode": "geen", "rangorde": ["a"]}, r"niet gebruikt"),
    ],
)  # fmt: skip
def test_weight_config_errors_are_dutch_and_name_the_key(
    gewichten: dict[str, object], match: str
) -> None:
    with pytest.raises(ConfigError, match=match):
        _cfg(gewichten)


@pytest.mark.parametrize(
    ("gewichten", "match"),
    [
        ({"methode": "intervallen", "intervallen": {"a": {"min": 0.7}, "b": {"min": 0.5}}},
         r"minima .* tellen op tot 1,2"),
        ({"methode": "intervallen", "intervallen": {"a": {"max": 0.3}, "b": {"max": 0.5}}},
         r"maxima .* tellen op tot 0,8"),
        ({"methode": "intervallen", "intervallen": {"a": {"min": 0.6}}, "rangorde": ["b", "a"]},
         r"spreken elkaar tegen"),
        ({"methode": "intervallen", "intervallen": {"a": {"min": 0.6}}},
         r"gekozen gewichten .*a 0,5, b 0,5.* vallen buiten"),
    ],
)  # fmt: skip
def test_impossible_weight_sets_are_clear_errors(gewichten: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        sia.robustness(_three(), _cfg(gewichten, draws=10))


def test_huge_draw_counts_are_one_dutch_line() -> None:
    with pytest.raises(ConfigError, match=r"100\.000\.000 is te veel.*GB geheugen.*maximum") as exc:
        _cfg({}, draws=100_000_000)
    assert "\n" not in str(exc.value)
    with pytest.raises(ConfigError, match=r"15\.000 buurten.*maximum is hier 71\.582"):
        smaa.check_size(15_000, 200_000)


# --------------------------------------------------------------------------- properties


@st.composite
def _small_case(draw: st.DrawFn) -> tuple[pd.DataFrame, SiaConfig]:
    n = draw(st.integers(0, 6))
    m = draw(st.integers(1, 3))
    names = [f"c{j}" for j in range(m)]
    values = st.one_of(st.none(), st.floats(0, 10, allow_nan=False))
    data = {c: [draw(values) for _ in range(n)] for c in names}
    table = pd.DataFrame({"buurtcode": [f"BU{i:08d}" for i in range(n)], **data})
    for c in names:
        table[c] = pd.to_numeric(table[c]).astype(float)
    methode = draw(st.sampled_from(["exact", "geen", "rangorde"]))
    gewichten: dict[str, object] = {"methode": methode}
    if methode == "rangorde":
        gewichten["rangorde"] = names
    crits = [
        {**_crit(c, float(m - j)), "missing": draw(st.sampled_from(["neutral", "exclude"]))}
        for j, c in enumerate(names)
    ]
    cfg = SiaConfig.from_dict(
        {
            "top_k": draw(st.integers(1, 4)),
            "method": draw(st.sampled_from(["weighted_sum", "topsis"])),
            "criteria": crits,
            "gewichten": gewichten,
            "robustness": {"draws": 60, "seed": draw(st.integers(0, 5))},
        }
    )
    return table, cfg


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_small_case())
def test_smaa_outputs_are_consistent_on_small_data(case: tuple[pd.DataFrame, SiaConfig]) -> None:
    table, cfg = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        try:
            out = sia.prioritise(table, cfg)
        except ConfigError as exc:  # a criterion without any value: a clear error
            assert "geen enkele waarde" in str(exc) or "missing" in str(exc)
            return
    ok = out["sia_geschikt"].to_numpy(dtype=bool)
    k = cfg.top_k
    ranks = out[[f"kans_rang_{r}" for r in range(1, k + 1)]]
    np.testing.assert_allclose(ranks[ok].sum(axis=1), out.loc[ok, "kans_top_k"])
    assert out.loc[ok, "kans_top_k"].between(0, 1).all()
    assert (out.loc[ok, "rang_p05"] <= out.loc[ok, "rang_p95"]).all()
    assert out.loc[ok, "kans_rang_1"].sum() == pytest.approx(1.0 if ok.any() else 0.0)
    # ranks 1..min(k, n) are each taken once per draw
    for r in range(1, min(k, int(ok.sum())) + 1):
        assert out.loc[ok, f"kans_rang_{r}"].sum() == pytest.approx(1.0)
    central = out[[c for c in out.columns if str(c).startswith("centraal_gewicht_")]]
    first = out["kans_rang_1"].fillna(0) > 0
    np.testing.assert_allclose(central[first].sum(axis=1), 1.0)
    assert central[~first].isna().all().all()
    assert out.loc[first, "betrouwbaarheid"].isin([0.0, 1.0]).all()
