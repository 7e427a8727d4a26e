"""CLI `geoprestatie sia`: writes scored buurten and DIAs; bad config is one clear line."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry import box

from geoprestatie.cli import main

CRITERIA = """
[sia]
top_k = 3
[sia.robustness]
draws = 200
[[sia.criteria]]
name = "efg"
label = "Aandeel E/F/G"
column = "aandeel_efg"
direction = "higher"
weight = 1
[dia]
min_buurten = 2
"""


@pytest.fixture
def table_file(tmp_path: Path) -> Path:
    # a row of six buurten; the first three are clearly the most urgent
    g = gpd.GeoDataFrame(
        {
            "buurtcode": [f"BU0000000{i}" for i in range(6)],
            "buurtnaam": [f"Buurt {i}" for i in range(6)],
            "aandeel_efg": [0.9, 0.8, 0.7, 0.1, 0.0, 0.05],
            "woningen_corporaties": [100, 200, 300, 10, 10, 10],
        },
        geometry=[box(i * 100, 0, i * 100 + 100, 100) for i in range(6)],
        crs=28992,
    )
    path = tmp_path / "buurttabel.gpkg"
    g.to_file(path, layer="buurttabel")
    return path


def test_sia_writes_outputs(tmp_path: Path, table_file: Path) -> None:
    crit = tmp_path / "c.toml"
    crit.write_text(CRITERIA, encoding="utf-8")
    out = tmp_path / "uit"
    full = out / "intern"
    res = CliRunner().invoke(
        main, ["sia", "--tabel", str(table_file), "--criteria", str(crit), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "6 van 6 buurten geschikt; 3 robuust in de top 3" in res.output
    assert "1 DIA('s)" in res.output
    buurten = gpd.read_file(full / "geoprestatie.gpkg", layer="sia")
    assert buurten["sia_rang"].tolist() == [1, 2, 3, 4, 6, 5]
    assert buurten["dia_id"].tolist()[:3] == ["DIA-01"] * 3
    areas = gpd.read_file(full / "geoprestatie.gpkg", layer="dia")
    assert areas["woningen_corporaties"].tolist() == [600]
    assert pd.read_csv(full / "sia.csv", sep=";", decimal=",")["bijdrage_efg"].notna().all()
    assert (full / "sia_gewichtsgevoeligheid.csv").exists()
    assert [n for n, _ in pyogrio.list_layers(full / "geoprestatie.gpkg")] == [
        "sia",
        "dia",
    ]
    assert not list(out.glob(".*"))  # no temporary files left

    # a second run compared with the first
    res = CliRunner().invoke(
        main,
        [
            "sia",
            "--tabel",
            str(table_file),
            "--criteria",
            str(crit),
            "--vorige-dia",
            str(out / "intern" / "dia.csv"),
            "--out",
            str(tmp_path / "uit2"),
        ],
    )
    assert res.exit_code == 0, res.output
    cmp = pd.read_csv(tmp_path / "uit2" / "intern" / "dia_vergelijking.csv", sep=";", decimal=",")
    assert cmp["status"].tolist() == ["ongewijzigd"]


def test_sia_default_criteria_skip_notes(tmp_path: Path, table_file: Path) -> None:
    args = ["sia", "--tabel", str(table_file), "--out", str(tmp_path / "uit"), "--force"]
    res = CliRunner().invoke(main, [*args, "--onvolledig-toestaan"])
    assert res.exit_code == 0, res.output
    # the default set: only aandeel_efg and the eligibility filter apply to this table
    assert "Let op: SIA: criteria.leefbaarheid overgeslagen" in res.stderr
    assert "Onvolledige SIA" in res.stderr
    # without the permission the hollow SIA (20 % of the weight) stops, as in `run`
    assert CliRunner().invoke(main, args).exit_code == 1
    assert (
        "bijdrage_energielabel_efg"
        in pd.read_csv(tmp_path / "uit" / "intern" / "sia.csv", sep=";", decimal=",").columns
    )


def test_sia_bad_column_is_one_line(tmp_path: Path, table_file: Path) -> None:
    crit = tmp_path / "c.toml"
    crit.write_text(CRITERIA.replace('"aandeel_efg"', '"aandeel_egf"'), encoding="utf-8")
    res = CliRunner().invoke(
        main,
        [
            "sia",
            "--tabel",
            str(table_file),
            "--criteria",
            str(crit),
            "--out",
            str(tmp_path / "uit"),
        ],
    )
    assert res.exit_code == 1
    assert res.output.startswith("Fout: ") and "Traceback" not in res.output
    assert "'aandeel_egf'" in res.output and "beschikbare kolommen" in res.output


HOLLOW = CRITERIA.replace(
    "[dia]",
    """[[sia.criteria]]
name = "leefbaarheid"
label = "Leefbaarheid"
column = "lbm_score"
direction = "lower"
weight = 3
optional = true
[dia]""",
)


@pytest.mark.parametrize("allow", ["", "flag", "key"])
def test_sia_stops_a_hollow_sia_as_run_does(tmp_path: Path, table_file: Path, allow: str) -> None:
    """3 of 4 weight has no data (column lbm_score missing): one Dutch line and exit 1,
    unless allowed by --onvolledig-toestaan or [sia] onvolledig_toestaan = true."""
    text = HOLLOW.replace("top_k = 3", "top_k = 3\nonvolledig_toestaan = true")
    crit = tmp_path / "c.toml"
    crit.write_text(text if allow == "key" else HOLLOW, encoding="utf-8")
    args = ["sia", "--tabel", str(table_file), "--criteria", str(crit)]
    args += ["--out", str(tmp_path / "uit")] + (
        ["--onvolledig-toestaan"] if allow == "flag" else []
    )
    res = CliRunner().invoke(main, args)
    if allow:
        assert res.exit_code == 0, res.output
        assert (
            "Onvolledige SIA" in res.output and (tmp_path / "uit" / "intern" / "sia.csv").exists()
        )
    else:
        assert res.exit_code == 1, res.output
        assert "onvolledig_toestaan" in res.output and "Traceback" not in res.output
        assert not (tmp_path / "uit" / "intern" / "sia.csv").exists()


@pytest.mark.parametrize("name", ["buurttabel.csv", "leeg.csv"])
def test_sia_on_a_table_without_geometry_is_one_line(tmp_path: Path, name: str) -> None:
    # the buurttabel.csv that `join` writes beside the GeoPackage: was 'onverwachte fout
    # (AttributeError ... crs)'
    table = tmp_path / name
    table.write_text("buurtcode;buurtnaam\nBU03070100;Hof\n" if name != "leeg.csv" else "")
    result = CliRunner().invoke(main, ["sia", "--tabel", str(table), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "onverwachte fout" not in result.output
    assert name in result.output and "verwacht een GeoPackage" in result.output
