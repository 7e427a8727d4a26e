"""Config values of the wrong kind: one Dutch line naming the key, the value and what is
expected, never a traceback and never a silently converted number.

``marge = "10%"`` raised a bare ValueError; ``koop_betaalbaar = "405.000"`` (Dutch
thousands dot) became a segment bound of 405 euro; ``rapport_gemeenten = -1`` passed;
``top_k`` far above the number of buurten made one rank column per unit of ``top_k``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geoprestatie.agreements import agreement_from_dict
from geoprestatie.config import load_config
from geoprestatie.errors import ConfigError, DataWarning
from geoprestatie.prognosis import PrognosisConfig
from geoprestatie.sia import SiaConfig, fit_top_k, prioritise


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ({"marge": "10%"}, "`marge` is '10%'"),
        ({"huurstijging": "0,03"}, "`huurstijging` is '0,03'"),
        ({"eindjaar": 2030.5}, "`eindjaar` is 2030.5"),
        ({"eindjaar": "2030"}, "`eindjaar` is '2030'"),
        ({"segmentgrenzen": {"2026": {"koop_betaalbaar": "405.000"}}}, "'405.000'"),
        ({"segmentgrenzen": {"2026": {"koop_midden": True}}}, "`koop_midden` is True"),
        ({"huurgrenzen": {"2026": {"liberalisatiegrens": "900,07"}}}, "'900,07'"),
        ({"huurgrenzen": {"volgend": {"liberalisatiegrens": 900.07}}}, "jaartal"),
        ({"doelen": [{"id": "D1", "soort": "nieuwbouw", "norm": "100 woningen"}]}, "`norm`"),
        ({"doelen": [{"id": "D1", "soort": "nieuwbouw", "norm": 1, "van": "2024"}]}, "`van`"),
    ],
)
def test_prognosis_numbers_must_be_numbers(table: dict[str, object], named: str) -> None:
    with pytest.raises(ConfigError, match=r"maar moet|jaartal") as info:
        PrognosisConfig.from_dict(table)
    assert named in str(info.value)


def test_agreement_norm_as_text_is_one_line() -> None:
    with pytest.raises(ConfigError, match=r"afspraak 'A1': `norm` is '50%' maar moet een getal"):
        agreement_from_dict(
            {"id": "A1", "tekst": "t", "partij": "p", "soort": "aandeel", "norm": "50%",
             "selectie": {"kolom": "daeb", "op": "==", "waarde": True}}
        )  # fmt: skip


def test_rapport_gemeenten_below_zero(tmp_path: Path) -> None:
    path = tmp_path / "cfg.toml"
    path.write_text('[buurten]\ngemeente = "Amersfoort"\n[uitvoer]\nrapport_gemeenten = -1\n')
    with pytest.raises(ConfigError, match=r"rapport_gemeenten is -1 maar moet >= 0"):
        load_config(path)


def test_top_k_above_the_number_of_buurten_is_fitted_and_said() -> None:
    table = pd.DataFrame(
        {"buurtcode": [f"BU0307010{i}" for i in range(4)], "score_a": [1.0, 2.0, 3.0, 4.0]}
    )
    cfg = SiaConfig.from_dict(
        {"top_k": 100_000, "robustness": {"draws": 20},
         "criteria": [{"name": "a", "label": "A", "column": "score_a", "direction": "higher",
                       "weight": 1}]}
    )  # fmt: skip
    with pytest.warns(DataWarning, match="top_k is 100000 maar er zijn 4 buurten"):
        fitted = fit_top_k(cfg, len(table))
    assert fitted.top_k == 4
    out = prioritise(table, fitted)
    assert [c for c in out.columns if c.startswith("kans_rang_")] == [
        f"kans_rang_{r}" for r in range(1, 5)
    ]


def test_a_directory_given_as_config_is_said_so(tmp_path: Path) -> None:
    (tmp_path / "cfg.toml").mkdir()
    with pytest.raises(ConfigError, match=r"cfg.toml: is een map; verwacht een TOML-bestand"):
        load_config(tmp_path / "cfg.toml")
