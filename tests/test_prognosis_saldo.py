"""Net figures (mutation ``saldo``), plan statuses and the whole-stock plan columns."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from geoprestatie.errors import ConfigError, InputError
from geoprestatie.prognosis import (
    PrognosisConfig,
    plans_from_frame,
    project,
    start_from_frame,
    summary_table,
)
from geoprestatie.segments import DEFAULT_BOUNDS


def _start(counts: dict[str, int]) -> pd.DataFrame:
    return start_from_frame(
        pd.DataFrame({"corporatie": list(counts), "aantal": list(counts.values())}),
        peildatum="2023-01-01",
    )


def _plans(rows: list[tuple], columns: tuple[str, ...] = (), **kw: object) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["corporatie", "jaar", "mutatie", "aantal", *columns])
    return plans_from_frame(frame, **kw)  # type: ignore[arg-type]


def test_saldo_is_signed_and_kept_apart() -> None:
    # "-25 tot 2024": a published net figure, no split by mutation type invented
    plans = _plans([("A", 2023, "nieuwbouw", 10), ("A", 2024, "saldo", "-25")])
    out = project(_start({"A": 100}), plans, config=PrognosisConfig())
    assert out["saldo"].tolist() == [0, -25]
    assert out["nieuwbouw"].tolist() == [10, 0]
    assert out["eindstand"].tolist() == [110, 85]
    table = summary_table(out)
    assert table.loc["Saldo (netto opgegeven)", "Totaal"] == -25
    assert table.loc["Toevoeging permanente nieuwbouw, transformatie, aankoop", "A"] == 10
    assert table.loc["Permanente netto groei inclusief sloop", "Totaal"] == -15
    assert table.loc["Permanente netto groei exclusief sloop", "Totaal"] == -15


def test_saldo_row_only_when_given() -> None:
    out = project(_start({"A": 5}), _plans([("A", 2023, "sloop", 1)]), config=PrognosisConfig())
    assert "Saldo (netto opgegeven)" not in summary_table(out).index


@pytest.mark.parametrize(
    ("mutatie", "aantal", "message"),
    [("nieuwbouw", "-3", "is negatief"), ("saldo", "0", "is nul"), ("saldo", "-2,5", "breuk")],
)
def test_only_saldo_may_be_negative(mutatie: str, aantal: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        _plans([("A", 2023, "nieuwbouw", 1), ("A", 2023, mutatie, aantal)])
    assert info.value.rows == [2]


def test_temporary_saldo_goes_to_the_temporary_stock() -> None:
    plans = _plans([("A", 2023, "saldo", "-4", "ja")], columns=("tijdelijk",))
    start = start_from_frame(
        pd.DataFrame({"corporatie": ["A"], "aantal": [10], "tijdelijk": [6]}),
        peildatum="2023-01-01",
    )
    out = project(start, plans, config=PrognosisConfig())
    assert out["eindstand"].tolist() == [10]
    assert out["tijdelijk_onttrekking"].tolist() == [-4]
    assert out["tijdelijk_eindstand"].tolist() == [2]


def test_idee_and_own_statuses_by_scenario() -> None:
    config = PrognosisConfig.from_dict(
        {"scenario": "zacht", "status": {"in_procedure": {"scenario": "zacht", "kans": 0.8}}}
    )
    plans = _plans(
        [
            ("A", 2023, "nieuwbouw", 1, "hard"),
            ("A", 2023, "nieuwbouw", 10, "In_procedure"),
            ("A", 2023, "nieuwbouw", 100, "idee"),
        ],
        columns=("status",),
        statuses=list(config.statussen),
    )
    assert project(_start({"A": 0}), plans, config=config)["eindstand"].tolist() == [11]
    alles = PrognosisConfig.from_dict({"scenario": "alles", "status": {"in_procedure": {}}})
    assert project(_start({"A": 0}), plans, config=alles)["eindstand"].tolist() == [111]


def test_unknown_status_names_the_rows() -> None:
    with pytest.raises(InputError, match=r"in_procedure.*prognose\.status") as info:
        _plans([("A", 2023, "nieuwbouw", 1, "in_procedure")], columns=("zekerheid",))
    assert info.value.column == "zekerheid"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"status": {"zacht": {"kans": 1.5}}}, "kans"),
        ({"status": {"zacht": {"vertraging": [0.5, 0.4]}}}, "samen 1"),
        ({"status": {"zacht": {"scenario": "soms"}}}, "scenario"),
        ({"status": {"zacht": {"snelheid": 1}}}, "onbekende sleutel"),
        ({"onzekerheid": {"simulaties": 0}}, "simulaties"),
        ({"onzekerheid": {"percentielen": [90, 50, 10]}}, "oplopende"),
        ({"marge": 1.5}, "marge"),
        ({"segmentgrenzen": {"2024": {"koop_betaalbaar": 500000, "koop_midden": 400000}}}, "oplop"),
    ],
)
def test_config_errors(table: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        PrognosisConfig.from_dict(table)


def test_whole_stock_columns() -> None:
    config = PrognosisConfig.from_dict(
        {"segmentgrenzen": {"2026": {"koop_betaalbaar": 405000, "koop_midden": 550000}}}
    )
    frame = pd.DataFrame(
        {
            "Partij": ["Gemeente", "Ontwikkelaar X", "Ontwikkelaar X", "Woonstad"],
            "Opleverjaar": [2026] * 4,
            "mutatie": ["nieuwbouw"] * 4,
            "Capaciteit": [10, 20, 30, 40],
            "Marktsegment": ["", "", "Vrije sector", "Sociale huur"],
            "Koopprijs": ["405000", "405001", "", ""],
            "Partijtype": ["gemeente", "ontwikkelaar", "Ontwikkelaar", "corporatie"],
            "Projectnaam": ["P1", "P2", "P3", " "],
        }
    )
    plans = plans_from_frame(frame, bounds=config.segmentgrenzen)
    assert plans["segment"].tolist() == [
        "koop_betaalbaar",
        "koop_midden",
        "vrije_huur",
        "sociale_huur",
    ]
    assert plans["partijtype"].tolist() == [
        "gemeente",
        "ontwikkelaar",
        "ontwikkelaar",
        "corporatie",
    ]
    assert plans["project"].isna().tolist() == [False, False, False, True]
    assert plans["corporatie"].tolist()[0] == "Gemeente"


def test_a_price_without_bounds_names_the_key() -> None:
    frame = pd.DataFrame(
        {
            "partij": ["X"],
            "jaar": [2031],
            "mutatie": ["nieuwbouw"],
            "aantal": [1],
            "koopprijs": ["300000"],
        }
    )
    with pytest.raises(ConfigError, match=r"segmentgrenzen\.2031.*koop_betaalbaar"):
        plans_from_frame(frame)


def test_unknown_segment_and_party_type() -> None:
    base = {"partij": ["X"], "jaar": [2031], "mutatie": ["nieuwbouw"], "aantal": [1]}
    with pytest.raises(InputError, match="segment"):
        plans_from_frame(pd.DataFrame(base | {"segment": ["luxe"]}))
    with pytest.raises(InputError, match="partijtype"):
        plans_from_frame(pd.DataFrame(base | {"partijtype": ["bank"]}))


def test_middenhuur_bound_2025_is_the_indexed_186_point_rent() -> None:
    # 1 July 2024 maximum rent at 186 points (EUR 1,157.95), + 2.32 % per 1 January 2025,
    # rounded up to the cent (Ministerie van VRO, 26 November 2024); at 143 points the
    # liberalisatiegrens 879.66 -> 900.07 the same way
    assert math.ceil(115_795 * 1.0232) / 100 == DEFAULT_BOUNDS[2025].middenhuurgrens == 1184.82
    assert math.ceil(87_966 * 1.0232) / 100 == DEFAULT_BOUNDS[2025].liberalisatiegrens
