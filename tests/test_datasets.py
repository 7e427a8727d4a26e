from __future__ import annotations

import pandas as pd
import pytest

from geoprestatie import datasets


@pytest.mark.parametrize(
    ("name", "n"),
    [
        ("Enschede", 70),
        ("Amersfoort", 145),
        ("Terneuzen", 41),
        ("Aa en Hunze", 54),
        ("aa EN hunze", 54),
        ("GM0153", 70),
        ("gm0307", 145),
        ("715", 41),
    ],
)
def test_load_buurten_by_name_or_code(name: str, n: int) -> None:
    b = datasets.load_buurten(name)
    assert len(b) == n
    assert b.crs.to_epsg() == 28992
    assert list(b.columns[:5]) == [
        "buurtcode",
        "buurtnaam",
        "wijkcode",
        "gemeentecode",
        "gemeentenaam",
    ]
    assert b["buurtcode"].is_unique
    assert b.geometry.is_valid.all()


def test_load_all_buurten(buurten_all) -> None:
    assert len(buurten_all) == 310
    assert buurten_all["gemeentecode"].nunique() == 4


def test_unknown_gemeente_lists_available() -> None:
    with pytest.raises(ValueError, match="Utrecht") as exc:
        datasets.load_buurten("Utrecht")
    for name in ("Enschede (GM0153)", "Amersfoort (GM0307)", "Terneuzen", "Aa en Hunze"):
        assert name in str(exc.value)


def test_indicators_zero_means_missing() -> None:
    ind = datasets.load_indicators("Amersfoort")
    assert len(ind) == 145
    raw = pd.read_csv(datasets.data_path(datasets.INDICATOREN_CSV))
    raw = raw[raw["gm_naam"] == "Amersfoort"]
    # the raw file has zeros where values are missing ...
    assert (raw["gemiddelde_woningwaarde"] == 0).any()
    # ... which are missing after loading, and unusable all-zero columns are gone
    assert not (ind["woz_gemiddeld"] == 0).any()
    assert ind["woz_gemiddeld"].isna().sum() == (raw["gemiddelde_woningwaarde"] == 0).sum()
    assert "afstand_tot_bos_km" not in ind
    assert "leefbaarometer_score" in ind
    # real values survive: a buurt with 0 % koopwoningen but inhabited dwellings keeps its 0
    kept = ind[(ind["aandeel_koop"] == 0) & (ind["aandeel_bewoond"] > 0)]
    assert (kept["woningvoorraad"] > 0).all()


def test_indicators_have_the_canonical_names_and_units() -> None:
    ind = datasets.load_indicators("Amersfoort").set_index("buurtcode")
    raw = pd.read_csv(datasets.data_path(datasets.INDICATOREN_CSV)).set_index("buurt_code")
    hof = "BU03070100"  # Hof: 26 % koop, WOZ 335 (x 1000 euro), SES -0.12 in the raw file
    assert ind.loc[hof, "aandeel_koop"] == 0.26
    assert ind.loc[hof, "woz_gemiddeld"] == 335_000
    ses = raw.loc[hof, "social_economische_score_gemiddeld"]
    assert ind.loc[hof, "sociaaleconomische_score"] == ses
    assert "koopwoning_percentage" not in ind and "gemiddelde_woningwaarde" not in ind


def test_indicators_unknown_gemeente() -> None:
    with pytest.raises(ValueError, match=r"maar moet een van .*Amersfoort.* zijn"):
        datasets.load_indicators("Enschede")


def test_catalogue_and_other_sets() -> None:
    assert set(datasets.available()["name"]) == {
        "buurten",
        "indicatoren",
        "startanalyse",
        "leefbaarometer_klassen",
    }
    s = datasets.load_startanalyse()
    assert s["wijkcode"].isin(datasets.load_wijken("Terneuzen")["wijkcode"]).all()
    k = datasets.load_leefbaarometer_klassen()
    assert k["klasse"].tolist() == list(range(1, 10))
