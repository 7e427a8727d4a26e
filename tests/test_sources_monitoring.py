"""Readers of the monitor datasets (geoprestatie.sources.monitoring)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geoprestatie.errors import ConfigError, DataWarning, InputError
from geoprestatie.sources.monitoring import (
    MONITOR_COLUMNS,
    read_monitor_data,
    read_monitor_table,
)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_allocations_dutch_excel_aliases_and_accounting(tmp_path: Path) -> None:
    p = _write(
        tmp_path / "toewijzingen.csv",
        "Toewijzingsdatum;Woningcorporatie;Passend toegewezen;Urgentie;Zoekduur;Extra\n"
        "1-3-2022;Clavis;ja;urgent;14,5;x\n"
        "2022-13-01;Clavis;ja;regulier;3;y\n"  # no 13th month
        "5-5-2023;;nee;regulier;2;z\n"  # corporation is required
        "6-6-2023;Woongoed;misschien;statushouder;;w\n"
        "7-7-2023;Woongoed;nee;regulier;;v\n",
        encoding="cp1252",
    )
    with pytest.warns(DataWarning, match="3 rij"):
        t = read_monitor_table(p, "toewijzingen")
    assert t["corporatie"].tolist() == ["Clavis", "Woongoed"]
    assert t["zoektijd"].iloc[0] == 14.5 and pd.isna(t["zoektijd"].iloc[1])  # empty: NA
    assert t["jaar"].tolist() == [2022, 2023] and t["Extra"].tolist() == ["x", "v"]
    rejected = {(r["bron_rij"], r["kolom"]) for r in t.attrs["afgewezen"]}
    assert rejected == {(3, "datum"), (4, "corporatie"), (5, "passend")}
    assert t.attrs["rijen_gelezen"] == 5 and t["bron_rij"].tolist() == [2, 6]


def test_missing_required_column_names_the_accepted_names(tmp_path: Path) -> None:
    p = _write(tmp_path / "geld.csv", "partij,jaar,bedrag\nClavis,2022,100\n")
    with pytest.raises(InputError, match="thema"):
        read_monitor_table(p, "geld")
    with pytest.raises(ConfigError, match="heeft geen eigen lezer"):
        read_monitor_table(p, "warmte")


def test_actions_year_from_done_or_deadline(tmp_path: Path) -> None:
    p = _write(
        tmp_path / "acties.csv",
        "id,afspraak,deadline,datum_gereed,status\na,1.1,2022-12-31,,open\nb,1.2,,2023-02-01,gereed\n",
    )
    t = read_monitor_table(p, "acties")
    assert t["jaar"].tolist() == [2022, 2023]


def test_every_dataset_column_has_a_known_type() -> None:
    from geoprestatie.sources.monitoring import COLUMN_TYPES

    for columns in MONITOR_COLUMNS.values():
        assert all(c.type in COLUMN_TYPES for c in columns.values())


def test_read_monitor_data_resolves_and_checks(tmp_path: Path) -> None:
    _write(tmp_path / "k.csv", "jaar;indicator;waarde\n2021;x;1,5\n")
    data = read_monitor_data({"kengetallen": "k.csv"}, base=tmp_path)
    assert data["kengetallen"]["waarde"].tolist() == [1.5]
    with pytest.raises(ConfigError, match="bestand niet gevonden"):
        read_monitor_data({"geld": "nope.csv"}, base=tmp_path)
    with pytest.raises(ConfigError, match="geen jaartal"):
        read_monitor_data({"voorraad_peil": {"vorig": "k.csv"}}, base=tmp_path)


def test_rejected_monitor_rows_reach_the_run_accounting(tmp_path: Path) -> None:
    from geoprestatie import join
    from geoprestatie.pipeline import _with_monitor_accounts
    from geoprestatie.sources._tabular import REJECT_COLUMNS

    p = _write(tmp_path / "geld.csv", "partij;jaar;thema;bedrag\nA;2022;x;1\nB;20x2;x;2\n")
    with pytest.warns(DataWarning):
        data = read_monitor_data({"geld": str(p)}, base=tmp_path)
    empty = pd.DataFrame(columns=["bron", *REJECT_COLUMNS])
    report = _with_monitor_accounts(join.JoinReport((), empty, 50.0), data)
    report.check()
    (count,) = report.sources
    assert (count.bron, count.gelezen, count.gekoppeld) == ("geld", 2, 1)
    row = report.not_joined.iloc[0]
    assert (row["bestand"], row["bron_rij"], row["kolom"], row["waarde"]) == (
        "geld.csv",
        3,
        "jaar",
        "20x2",
    )


def test_impossible_numbers_in_allocations_are_set_aside(tmp_path: Path) -> None:
    # a negative age, rent or search time is a typing error: it was taken as data
    path = tmp_path / "toewijzingen.csv"
    path.write_text(
        "datum;corporatie;leeftijd;huurprijs;zoektijd\n2023-01-05;Portaal;34;612,30;14\n"
        "2023-01-06;Portaal;-34;612,30;14\n2023-01-07;Portaal;34;-612,30;14\n"
        "2023-01-08;Portaal;340;612,30;-1\n"
    )
    with pytest.warns(DataWarning):
        got = read_monitor_table(path, "toewijzingen")
    assert got["bron_rij"].tolist() == [2]
    assert sorted(r["bron_rij"] for r in got.attrs["afgewezen"]) == [3, 4, 5]
