"""`geoprestatie join` through click's CliRunner (kept apart from test_cli.py)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from click.testing import CliRunner

from geoprestatie.cli import main


def test_join_demo_default(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["join", "--out", str(tmp_path / "uit")])
    assert result.exit_code == 0, result.output
    assert "SYNTHETISCHE demodata" in result.output
    assert "Koppelverantwoording" in result.output and "voorraad_synthetisch.csv" in result.output
    table = gpd.read_file(tmp_path / "uit" / "intern" / "geoprestatie.gpkg", layer="buurttabel")
    csv = pd.read_csv(tmp_path / "uit" / "intern" / "buurttabel.csv", sep=";", decimal=",")
    assert len(table) == len(csv) == 145
    assert csv["woningen_corporaties"].sum() == 17_706
    nj = pd.read_csv(tmp_path / "uit" / "intern" / "niet_gekoppeld.csv", sep=";", decimal=",")
    assert nj["aantal"].sum() == 6 + 3
    assert not list((tmp_path / "uit").glob(".*"))  # no temporary files left


def test_join_own_files_and_bad_file(tmp_path: Path) -> None:
    stock = tmp_path / "v.csv"
    stock.write_text("vhe_id;corporatie;x;y\n1;Portaal;155000;463000\n")
    out = tmp_path / "uit"
    result = CliRunner().invoke(
        main, ["join", "--gemeente", "Amersfoort", "--voorraad", str(stock), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "SYNTHETISCH" not in result.output
    assert (
        pd.read_csv(out / "intern" / "buurttabel.csv", sep=";", decimal=",")[
            "woningen_portaal"
        ].sum()
        == 1
    )
    bad = tmp_path / "leeg.csv"
    bad.write_text("")
    args = ["join", "--voorraad", str(bad), "--out", str(out), "--force"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "leeg.csv: het bestand is leeg" in result.output
    assert "Traceback" not in result.output


def test_demo_only_for_amersfoort(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["join", "--gemeente", "Enschede", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "alleen van Amersfoort" in result.output
