"""Realisation rates and the adaptive loop (next start stock, open plans)."""

from __future__ import annotations

import pandas as pd
import pytest

from geoprestatie.errors import DataWarning, InputError
from geoprestatie.prognosis import PrognosisConfig, plans_from_frame, project, start_from_frame
from geoprestatie.realisation import (
    next_start,
    open_plans,
    realisation_rates,
    realisations_from_frame,
)


def _plans() -> pd.DataFrame:
    return plans_from_frame(
        pd.DataFrame(
            {
                "partij": ["A", "A", "A", "B", "A"],
                "jaar": [2024, 2024, 2024, 2024, 2025],
                "mutatie": ["nieuwbouw", "nieuwbouw", "sloop", "nieuwbouw", "nieuwbouw"],
                "aantal": [40, 60, 10, 25, 50],
                "zekerheid": ["hard", "zacht", "hard", "idee", "hard"],
                "project": ["p1", "p2", "p3", "q1", "p4"],
            }
        )
    )


def _done() -> pd.DataFrame:
    return realisations_from_frame(
        pd.DataFrame(
            {
                "partij": ["A", "A", "B", "B"],
                "jaar": [2024, 2024, 2024, 2024],
                "mutatie": ["nieuwbouw", "sloop", "nieuwbouw", "aankoop"],
                "aantal": [36, 10, 25, 5],
                "project": ["p1", "p3", "q1", "q9"],
            }
        )
    )


def test_rates_per_party_status_and_direction() -> None:
    rates = realisation_rates(_plans(), _done(), jaar=2024)
    got = {
        (r.corporatie, r.zekerheid, r.richting): (r.gepland, r.gerealiseerd, r.realisatiegraad)
        for r in rates.itertuples()
    }
    assert got[("A", "hard", "toevoeging")] == (40, 36, 0.9)
    assert got[("A", "zacht", "toevoeging")] == (60, 0, 0.0)
    assert got[("A", "hard", "onttrekking")] == (10, 10, 1.0)
    assert got[("B", "idee", "toevoeging")] == (25, 25, 1.0)
    gepland, gerealiseerd, graad = got[("B", "niet gepland", "toevoeging")]
    assert (gepland, gerealiseerd) == (0, 5) and pd.isna(graad)


def test_rates_without_projects_are_per_party() -> None:
    done = _done().drop(columns="project")
    rates = realisation_rates(_plans(), done, jaar=2024)
    assert set(rates["zekerheid"]) == {"alle"}
    row = rates[(rates["corporatie"] == "A") & (rates["richting"] == "toevoeging")].iloc[0]
    assert (row["gepland"], row["gerealiseerd"]) == (100, 36)


def test_a_status_column_in_realisations_is_an_error() -> None:
    with pytest.raises(InputError, match="geen statuskolom"):
        realisations_from_frame(
            pd.DataFrame(
                {
                    "partij": ["A"],
                    "jaar": [2024],
                    "mutatie": ["nieuwbouw"],
                    "aantal": [1],
                    "status": ["hard"],
                }
            )
        )


def test_the_adaptive_loop() -> None:
    start = start_from_frame(
        pd.DataFrame({"corporatie": ["A", "B"], "aantal": [500, 100]}), peildatum="2024-01-01"
    )
    new = next_start(start, _done(), jaar=2024)
    assert new.set_index("corporatie")["aantal"].to_dict() == {"A": 526, "B": 130}
    assert str(new["peildatum"].iloc[0]) == "2025-01-01"
    rest = open_plans(_plans(), _done(), jaar=2024)
    carried = rest[rest["doorgeschoven"]].set_index("project")["aantal"].to_dict()
    assert carried == {"p1": 4, "p2": 60}
    assert set(rest["jaar"]) == {2025}
    # next year's prognosis runs from the realised stock with the open plans
    out = project(new, rest, config=PrognosisConfig(scenario="zacht"))
    assert out.set_index("corporatie")["eindstand"].to_dict() == {"A": 526 + 50 + 4 + 60, "B": 130}


def test_loop_edges() -> None:
    with pytest.raises(InputError, match="na 2023"):
        next_start(
            start_from_frame(
                pd.DataFrame({"corporatie": ["A"], "aantal": [5]}), peildatum="2023-01-01"
            ),
            _done(),
            jaar=2023,
        )
    with pytest.warns(DataWarning, match="schuift niet"):
        rest = open_plans(_plans(), _done().drop(columns="project"), jaar=2024)
    assert rest["project"].tolist() == ["p4"]
