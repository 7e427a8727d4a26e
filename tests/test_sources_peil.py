"""A config value that contradicts the file it describes is one clear line, never an override.

The class: every config key that says something a file can also say about itself —
``[prognose] peildatum`` (start stock file, stock file), the year keys of
``[afspraken.voorraad_peil]`` (a stock snapshot's own peildatum/peiljaar), ``[buurten] crs``
(the file's CRS label) and ``[bronnen] corporatie`` (the corporatie column of the stock
and of the sales). Each
contradiction names file, column, row, both values, the config key and the fix; agreement
passes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from geoprestatie import prognosis
from geoprestatie.cli import main
from geoprestatie.errors import InputError
from geoprestatie.sources import read_buurten, read_sales, read_stock
from geoprestatie.sources._peil import check_stated_date
from geoprestatie.sources.monitoring import read_monitor_data

STOCK = (
    "vhe_id;corporatie;x;y;{col}\nA1;Portaal;155159;463228;{v1}\nA2;Portaal;155204;463144;{v2}\n"
)


def _line(exc: pytest.ExceptionInfo[InputError]) -> str:
    text = str(exc.value)
    assert "\n" not in text
    return text


def test_start_stock_file_against_config_peildatum(tmp_path: Path) -> None:
    path = tmp_path / "beginstand.csv"
    path.write_text("corporatie;aantal;peildatum\nPortaal;10;1-1-2022\nMitros;5;1-1-2022\n")
    start = prognosis.read_start_stock(path, peildatum="2022-01-01")  # agrees: fine
    assert start["peildatum"].tolist() == [dt.date(2022, 1, 1)] * 2
    with pytest.raises(InputError) as exc:
        prognosis.read_start_stock(path, peildatum="2023-01-01")
    line = _line(exc)
    assert exc.value.rows == [2, 3]
    for part in ("beginstand.csv", "peildatum", "'1-1-2022'", "'2023-01-01'"):
        assert part in line, (part, line)
    assert "[prognose] peildatum (CLI: --peildatum)" in line and "Oplossing:" in line


def test_one_deviating_row_of_the_start_stock_is_named(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("corporatie;aantal;peildatum\nA;1;2022-01-01\nB;2;2022-01-01\nC;3;2021-01-01\n")
    with pytest.raises(InputError, match=r"zegt '2021-01-01'") as exc:
        prognosis.read_start_stock(path, peildatum=dt.date(2022, 1, 1))
    assert exc.value.rows == [4]


def test_stock_file_peildatum_against_the_config_for_the_start_stock(tmp_path: Path) -> None:
    path = tmp_path / "voorraad.csv"
    path.write_text(STOCK.format(col="Peildatum", v1="31-12-2021", v2="31-12-2021"))
    stock = read_stock(path)
    start = prognosis.start_stock_from_stock(stock, peildatum="2021-12-31", by_buurt=False)
    assert start["aantal"].tolist() == [2]
    with pytest.raises(InputError) as exc:
        prognosis.start_stock_from_stock(stock, peildatum="2022-01-01")
    line = _line(exc)
    assert "voorraad.csv" in line and "'Peildatum'" in line and "'31-12-2021'" in line


@pytest.mark.parametrize(
    ("col", "value", "ok"),
    [
        ("peildatum", "2021-01-01", True),
        ("Peil jaar", "2021", True),
        ("standdatum", "1-1-2020", False),
    ],
)
def test_stock_snapshot_against_its_year_key(
    tmp_path: Path, col: str, value: str, ok: bool
) -> None:
    (tmp_path / "v2021.csv").write_text(STOCK.format(col=col, v1=value, v2=value))
    section = {"voorraad_peil": {"2021": "v2021.csv"}}
    if ok:
        assert len(read_monitor_data(section, base=tmp_path)["voorraad_peil"]) == 2
        return
    with pytest.raises(InputError) as exc:
        read_monitor_data(section, base=tmp_path)
    line = _line(exc)
    assert "v2021.csv" in line and "'standdatum'" in line and exc.value.rows == [2, 3]
    assert "[afspraken.voorraad_peil] 2021" in line and "'1-1-2020'" in line


def test_a_stated_date_that_is_no_date(tmp_path: Path) -> None:
    frame = pd.DataFrame({"peildatum": ["begin 2022"], "bron_rij": [7]})
    with pytest.raises(InputError, match=r"'begin 2022' is geen datum") as exc:
        check_stated_date(frame, key="[prognose] peildatum", source="v.csv", year=2022)
    assert exc.value.rows == [7]
    empty = pd.DataFrame({"peildatum": [None, " "], "bron_rij": [2, 3]})
    check_stated_date(empty, key="[prognose] peildatum", source="v.csv", year=2022)


def test_config_crs_against_the_file_crs(tmp_path: Path, amersfoort: gpd.GeoDataFrame) -> None:
    path = tmp_path / "b.gpkg"
    amersfoort.head(3)[["buurtcode", "buurtnaam", "geometry"]].to_file(path)
    assert len(read_buurten(path, crs="EPSG:28992")) == 3  # the same system: fine
    with pytest.raises(InputError) as exc:
        read_buurten(path, crs="EPSG:4326")
    line = _line(exc)
    assert "b.gpkg" in line and "EPSG:28992" in line and "'EPSG:4326'" in line
    assert "[buurten] crs (CLI: --crs)" in line


def test_config_corporation_against_the_file(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("vhe_id;corporatie;x;y\nA1;Portaal;155000;463000\nA2;Mitros;155001;463000\n")
    with pytest.raises(InputError) as exc:
        read_stock(path, corporatie="Portaal")
    line = _line(exc)
    assert "'Mitros'" in line and "[bronnen] corporatie" in line and exc.value.rows == [3]


def test_config_corporation_against_a_sales_file(tmp_path: Path) -> None:
    path = tmp_path / "verkoop.csv"
    path.write_text("vhe_id;corporatie;jaar;status\nA1;Portaal;2026;gepland\nA2;;2026;gepland\n")
    sales = read_sales(path, corporatie="Portaal")  # agrees; the empty cell is Portaal's
    assert sales["corporatie"].tolist() == ["Portaal", "Portaal"]
    with pytest.raises(InputError) as exc:
        read_sales(path, corporatie="Mitros")
    line = _line(exc)
    assert "'Portaal'" in line and "[bronnen] corporatie zegt 'Mitros'" in line
    assert exc.value.rows == [2]


def test_cli_says_it_in_one_line(tmp_path: Path) -> None:
    start = tmp_path / "beginstand.csv"
    start.write_text("corporatie;aantal;peildatum\nPortaal;10;2022-01-01\n")
    plans = tmp_path / "plannen.csv"
    plans.write_text("corporatie;jaar;mutatie;aantal\nPortaal;2023;nieuwbouw;5\n")
    result = CliRunner().invoke(
        main,
        [
            "prognose",
            "--beginstand",
            str(start),
            "--plannen",
            str(plans),
            "--peildatum",
            "2023-01-01",
            "--out",
            str(tmp_path / "uit"),
        ],
    )
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Fout:") and "2023-01-01" in lines[0]
    assert "Traceback" not in result.output
