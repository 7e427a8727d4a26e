from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from geoprestatie.cli import main
from geoprestatie.prognosis import read_prognosis

EXAMPLES = Path(__file__).parents[1] / "examples"


def _run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.output


def test_prognose_writes_table_workbook_and_maps(tmp_path: Path) -> None:
    code, out = _run(
        "prognose",
        "--beginstand",
        str(EXAMPLES / "beginstand_amersfoort.csv"),
        "--plannen",
        str(EXAMPLES / "plannen_amersfoort_2022_2023.csv"),
        "--out",
        str(tmp_path),
    )
    assert code == 0, out
    assert "Permanente netto groei inclusief sloop" in out and "213" in out
    assert "synthetische gegevens" in out
    table = read_prognosis(tmp_path / "prognose.csv")
    assert list(table.columns[:4]) == ["corporatie", "buurtcode", "jaar", "beginstand"]
    totals = table.groupby("jaar")["eindstand"].sum()
    assert totals[2023] - table.loc[table["jaar"] == 2022, "beginstand"].sum() == 213
    sheets = pd.read_excel(tmp_path / "prognose.xlsx", sheet_name=None)
    assert set(sheets) == {"prognose", "per_corporatie", "totaal", "samenvatting"}
    assert len(sheets["prognose"]) == len(table)
    for year in (2022, 2023):
        page = (tmp_path / "kaarten" / f"prognose_{year}.html").read_text(encoding="utf-8")
        assert f"Eindstand {year}" in page and "synthetische gegevens" in page


def test_prognose_scenario_and_per_corporation(tmp_path: Path) -> None:
    start = tmp_path / "start.csv"
    start.write_text("corporatie;aantal;peildatum\nA;100;1-1-2024\n", encoding="utf-8")
    plans = tmp_path / "plannen.csv"
    plans.write_text(
        "corporatie;jaar;mutatie;aantal;zekerheid\nA;2024;nieuwbouw;10;hard\n"
        "A;2025;nieuwbouw;5;zacht\n",
        encoding="utf-8",
    )
    for scenario, end in (("hard", 110), ("zacht", 115)):
        code, out = _run(
            "prognose",
            "--beginstand",
            str(start),
            "--plannen",
            str(plans),
            "--scenario",
            scenario,
            "--eindjaar",
            "2025",
            "--out",
            str(tmp_path / scenario),
        )
        assert code == 0, out
        table = read_prognosis(tmp_path / scenario / "prognose.csv")
        assert "buurtcode" not in table.columns
        assert table["eindstand"].tolist()[-1] == end
        assert not (tmp_path / scenario / "kaarten").exists()


def test_prognose_bad_row_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    start = tmp_path / "start.csv"
    start.write_text("corporatie,aantal,peildatum\nA,100,2024-01-01\n", encoding="utf-8")
    plans = tmp_path / "plannen.csv"
    plans.write_text(
        "corporatie,jaar,mutatie,aantal\nA,2024,nieuwbouw,3\nA,2024,renovatie,1\n",
        encoding="utf-8",
    )
    code, out = _run(
        "prognose",
        "--beginstand",
        str(start),
        "--plannen",
        str(plans),
        "--out",
        str(tmp_path / "o"),
    )
    assert code == 1
    assert out.startswith("Error: ") and "Traceback" not in out
    assert "plannen.csv, column 'mutatie', row 2" in out and "nieuwbouw" in out
    assert not (tmp_path / "o" / "prognose.csv").exists()


def _write_stock_and_sales(tmp_path: Path) -> tuple[Path, Path]:
    stock = tmp_path / "voorraad.csv"
    stock.write_text(
        "vhe_id;corporatie;energielabel;huurprijs;conditiescore\n"
        "1;Alliantie;B;500,00;2\n"
        "2;Alliantie;F;600,00;3\n"
        "3;Omnia Wonen;C;650;2\n",
        encoding="utf-8",
    )
    sales = tmp_path / "verkoop.csv"
    sales.write_text("vhe_id;jaar;status\n1;2022;gerealiseerd\n2;2023;voorgenomen\n", "utf-8")
    return stock, sales


def test_monitor_writes_stoplight_outputs(tmp_path: Path) -> None:
    stock, sales = _write_stock_and_sales(tmp_path)
    out_dir = tmp_path / "m"
    code, out = _run(
        "monitor",
        "--afspraken",
        str(EXAMPLES / "afspraken_amersfoort.toml"),
        "--voorraad",
        str(stock),
        "--verkoop",
        str(sales),
        "--jaar",
        "2023",
        "--out",
        str(out_dir),
    )
    assert code == 0, out
    table = pd.read_csv(out_dir / "monitor.csv").set_index("afspraak_id")
    assert table.loc["V1", "status"] == "oranje"  # F-label sale still only planned
    assert table.loc["B1", "status"] == "groen"  # 2 of 2 Alliantie rents <= 663.40
    assert table.loc["M1", "status"] == "rood"  # 1 Omnia dwelling, not ~1,500
    assert table.loc["P1", "status"] == "onbekend"  # no prognosis given
    recs = pd.read_csv(out_dir / "overtredingen.csv", dtype=str)
    assert recs.loc[recs["afspraak_id"] == "V1", "vhe_id"].tolist() == ["2"]
    assert "ORANJE" in (out_dir / "monitor.md").read_text(encoding="utf-8")
    assert "<table>" in (out_dir / "monitor.html").read_text(encoding="utf-8")


def test_monitor_rule_on_unknown_column_is_one_line(tmp_path: Path) -> None:
    stock, _ = _write_stock_and_sales(tmp_path)
    rules = tmp_path / "a.toml"
    rules.write_text(
        '[[afspraak]]\nid = "X"\ntekst = "t"\npartij = "p"\nsoort = "verbod"\n'
        'dataset = "voorraad"\nverboden_als = [{ kolom = "lable", op = "==", waarde = "G" }]\n',
        encoding="utf-8",
    )
    code, out = _run(
        "monitor", "--afspraken", str(rules), "--voorraad", str(stock), "--out", str(tmp_path / "m")
    )
    assert code == 1 and out.startswith("Error: ")
    assert "afspraak 'X': column 'lable' is not in dataset 'voorraad'" in out


def test_monitor_without_year_for_an_indexed_limit(tmp_path: Path) -> None:
    stock, _ = _write_stock_and_sales(tmp_path)
    code, out = _run(
        "monitor",
        "--afspraken",
        str(EXAMPLES / "afspraken_amersfoort.toml"),
        "--voorraad",
        str(stock),
        "--out",
        str(tmp_path / "m"),
    )
    assert code == 1 and "--jaar" in out and "Traceback" not in out


def test_prognose_config_targets_and_rent_classes(tmp_path: Path) -> None:
    start = tmp_path / "start.csv"
    start.write_text("corporatie,aantal,peildatum\nA,2,2022-01-01\n", encoding="utf-8")
    plans = tmp_path / "plannen.csv"
    plans.write_text(
        "corporatie,jaar,mutatie,aantal,zekerheid\nA,2022,nieuwbouw,2,hard\n"
        "A,2023,nieuwbouw,5,ambitie\n",
        encoding="utf-8",
    )
    config = tmp_path / "run.toml"
    config.write_text(
        '[prognose]\nscenario = "alles"\neindjaar = 2023\n'
        '[[prognose.doelen]]\nid = "groei"\nsoort = "netto_groei"\nnorm = 5\n'
        "van = 2022\ntot = 2023\n",
        encoding="utf-8",
    )
    stock = tmp_path / "voorraad.csv"
    stock.write_text("vhe_id,corporatie,huurprijs\n1,A,400\n2,A,\n", encoding="utf-8")
    args = ["prognose", "--beginstand", str(start), "--plannen", str(plans)]
    code, out = _run(
        *args, "--config", str(config), "--voorraad", str(stock), "--out", str(tmp_path / "o")
    )
    assert code == 0, out
    gaps = pd.read_csv(tmp_path / "o" / "doelen.csv")
    assert gaps["gemeten"].tolist() == [2, 7] and gaps["tekort"].tolist() == [3.0, -2.0]
    classes = pd.read_csv(tmp_path / "o" / "huurklassen.csv")
    # 2022: eindstand 4 split by the start mix: 1 goedkoop (400), 1 without rent
    assert classes.loc[0, ["goedkoop", "onbekend"]].tolist() == [2.0, 2.0]
    sheets = pd.read_excel(tmp_path / "o" / "prognose.xlsx", sheet_name=None)
    assert {"doelen", "huurklassen"} <= set(sheets)
    # the command line wins over the config
    code, out = _run(
        *args, "--config", str(config), "--scenario", "hard", "--out", str(tmp_path / "h")
    )
    assert code == 0, out
    assert pd.read_csv(tmp_path / "h" / "doelen.csv")["gemeten"].tolist() == [2, 2]
