from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from geoprestatie import datasets
from geoprestatie.cli import main
from geoprestatie.prognosis import read_prognosis

DEMO = datasets.data_path("demo")


def _run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.output


def test_prognose_writes_table_workbook_and_maps(tmp_path: Path) -> None:
    code, out = _run(
        "prognose",
        "--beginstand",
        str(DEMO / "beginstand_amersfoort.csv"),
        "--plannen",
        str(DEMO / "plannen_amersfoort_2022_2023.csv"),
        "--out",
        str(tmp_path),
    )
    assert code == 0, out
    assert "Permanente netto groei inclusief sloop" in out and "213" in out
    assert "synthetische gegevens" in out
    table = read_prognosis(tmp_path / "intern" / "prognose.csv")
    assert list(table.columns[:4]) == ["corporatie", "buurtcode", "jaar", "beginstand"]
    totals = table.groupby("jaar")["eindstand"].sum()
    assert totals[2023] - table.loc[table["jaar"] == 2022, "beginstand"].sum() == 213
    sheets = pd.read_excel(tmp_path / "intern" / "tabellen.xlsx", sheet_name=None)
    assert set(sheets) == {"Toelichting", "Prognose", "Per corporatie", "Totaal", "Samenvatting"}
    assert len(sheets["Prognose"]) == len(table)
    for year in (2022, 2023):
        page = (tmp_path / "publiek" / "kaarten" / f"prognose_{year}.html").read_text(
            encoding="utf-8"
        )
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
        table = read_prognosis(tmp_path / scenario / "intern" / "prognose.csv")
        assert "buurtcode" not in table.columns
        assert table["eindstand"].tolist()[-1] == end
        assert not (tmp_path / scenario / "publiek" / "kaarten").exists()


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
    assert out.startswith("Fout: ") and "Traceback" not in out
    # the row as the user sees it in a text editor: header row 1, the bad plan row 3
    assert "plannen.csv, kolom 'mutatie', rij 3" in out and "nieuwbouw" in out
    assert not [p for p in (tmp_path / "o").rglob("*") if p.is_file()]  # nothing written


def _write_stock_and_sales(tmp_path: Path) -> tuple[Path, Path]:
    stock = tmp_path / "voorraad.csv"
    stock.write_text(
        "vhe_id;corporatie;buurtcode;energielabel;huurprijs;conditiescore\n"
        "1;de Alliantie;BU03070100;B;500,00;2\n"
        "2;de Alliantie;BU03070100;F;600,00;3\n"
        "3;Omnia Wonen;BU03070101;C;650;2\n",
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
        str(DEMO / "afspraken_amersfoort.toml"),
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
    table = pd.read_csv(out_dir / "publiek" / "monitor.csv", sep=";", decimal=",").set_index(
        "afspraak_id"
    )
    assert table.loc["V1", "status"] == "oranje"  # F-label sale still only planned
    assert table.loc["M1", "status"] == "groen"  # 2 de Alliantie sales, at most 40 allowed
    assert table.loc["P1", "status"] == "onbekend"  # no prognosis given
    recs = pd.read_csv(out_dir / "intern" / "overtredingen.csv", sep=";", dtype=str)
    assert recs.loc[recs["afspraak_id"] == "V1", "vhe_id"].tolist() == ["2"]
    assert "ORANJE" in (out_dir / "publiek" / "monitor.md").read_text(encoding="utf-8")
    assert "<table>" in (out_dir / "publiek" / "monitor.html").read_text(encoding="utf-8")
    assert not list((out_dir / "publiek").glob("overtredingen*"))  # dwellings: internal
    assert (out_dir / "run.json").is_file()


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
    assert code == 1 and out.startswith("Fout: ")
    assert "afspraak 'X': kolom 'lable' bestaat niet in dataset 'voorraad'" in out


def test_monitor_without_year_for_an_indexed_limit(tmp_path: Path) -> None:
    stock, _ = _write_stock_and_sales(tmp_path)
    rules = tmp_path / "afspraken.toml"
    rules.write_text(
        '[[afspraak]]\nid = "B"\ntekst = "t"\npartij = "p"\nsoort = "aandeel"\nnorm = 0.85\n'
        'voorwaarde = [{ kolom = "huurprijs", op = "<=", huurgrens = "aftoppingsgrens_hoog" }]\n',
        encoding="utf-8",
    )
    code, out = _run(
        "monitor",
        "--afspraken",
        str(rules),
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
    stock.write_text(
        "vhe_id,corporatie,buurtcode,huurprijs\n1,A,BU03070100,400\n2,A,BU03070100,\n",
        encoding="utf-8",
    )
    args = ["prognose", "--beginstand", str(start), "--plannen", str(plans)]
    code, out = _run(
        *args, "--config", str(config), "--voorraad", str(stock), "--out", str(tmp_path / "o")
    )
    assert code == 0, out
    gaps = pd.read_csv(tmp_path / "o" / "intern" / "doelen.csv", sep=";", decimal=",")
    assert gaps["gemeten"].tolist() == [2, 7] and gaps["tekort"].tolist() == [3.0, -2.0]
    classes = pd.read_csv(tmp_path / "o" / "intern" / "huurklassen.csv", sep=";", decimal=",")
    # 2022: eindstand 4 split by the start mix: 1 goedkoop (400), 1 without rent
    assert classes.loc[0, ["goedkoop", "onbekend"]].tolist() == [2.0, 2.0]
    sheets = pd.read_excel(tmp_path / "o" / "intern" / "tabellen.xlsx", sheet_name=None)
    assert {"Doelen", "Huurklassen"} <= set(sheets)
    # the command line wins over the config
    code, out = _run(
        *args, "--config", str(config), "--scenario", "hard", "--out", str(tmp_path / "h")
    )
    assert code == 0, out
    assert pd.read_csv(tmp_path / "h" / "intern" / "doelen.csv", sep=";", decimal=",")[
        "gemeten"
    ].tolist() == [
        2,
        2,
    ]


def test_monitor_reads_files_with_the_source_readers(tmp_path: Path) -> None:
    # aliases, cp1252, a bad row in each file: read as `join` reads them, nothing silent
    stock = tmp_path / "voorraad.csv"
    stock.write_bytes(
        "vhe;eigenaar;bu_code;label;kale_huur;conditie\n"
        "1;de Alliantie;BU03070100;g;500,00;2\n"
        "2;de Alliantie;BU03070100;Z;600,00;3\n"  # label Z: row 3 set aside
        "3;Omnia Wonen;BU03070101;C;650;2\n".encode("cp1252")
    )
    sales = tmp_path / "verkoop.csv"
    sales.write_text(
        "vhe_id;verkoopjaar;status\n1;2023;verkocht\n3;2023;misschien\n", encoding="utf-8"
    )
    rules = tmp_path / "a.toml"
    rules.write_text(
        '[[afspraak]]\nid = "V"\ntekst = "t"\npartij = "p"\nsoort = "verbod"\n'
        'dataset = "verkoop"\n'
        'verboden_als = [{ kolom = "energielabel", op = ">=", waarde = "F" }]\n',
        encoding="utf-8",
    )
    out_dir = tmp_path / "m"
    code, out = _run(
        "monitor",
        "--afspraken",
        str(rules),
        "--voorraad",
        str(stock),
        "--verkoop",
        str(sales),
        "--out",
        str(out_dir),
    )
    assert code == 0, out
    assert "Let op: voorraad.csv: 1 rij(en) apart gezet (rij 3)" in out
    assert "Let op: verkoop.csv: 1 rij(en) apart gezet" in out
    table = pd.read_csv(out_dir / "publiek" / "monitor.csv", sep=";", decimal=",")
    assert table["status"].tolist() == ["rood"]  # sold dwelling 1 has label G (ordered >= F)
    rejected = pd.read_csv(out_dir / "intern" / "niet_gekoppeld.csv", sep=";", decimal=",")
    assert rejected[["bestand", "bron_rij", "kolom", "waarde"]].values.tolist() == [
        ["voorraad.csv", 3, "energielabel", "Z"],
        ["verkoop.csv", 3, "status", "misschien"],
    ]
    assert "niet_gekoppeld.csv: 2 rij(en) niet gebruikt" in out


def test_monitor_on_the_demo_data(tmp_path: Path) -> None:
    """The shipped (synthetic) demo end to end: prognosis from the demo plans, then every
    example afspraak on the demo stock and sales; statuses worked out from the data."""
    code, out = _run(
        "prognose",
        "--beginstand",
        str(DEMO / "beginstand_amersfoort.csv"),
        "--plannen",
        str(DEMO / "plannen_amersfoort_2022_2023.csv"),
        "--out",
        str(tmp_path / "p"),
    )
    assert code == 0, out
    code, out = _run(
        "monitor",
        "--afspraken",
        str(DEMO / "afspraken_amersfoort.toml"),
        "--voorraad",
        str(DEMO / "voorraad_synthetisch.csv"),
        "--verkoop",
        str(DEMO / "verkoop_synthetisch.csv"),
        "--prognose",
        str(tmp_path / "p" / "intern" / "prognose.csv"),
        "--jaar",
        "2023",
        "--out",
        str(tmp_path / "m"),
    )
    assert code == 0, out
    assert "Let op: voorraad_synthetisch.csv: 4 rij(en) apart gezet" in out
    assert "Let op: verkoop_synthetisch.csv: 1 rij(en) apart gezet" in out
    table = pd.read_csv(tmp_path / "m" / "publiek" / "monitor.csv", sep=";", decimal=",").set_index(
        "afspraak_id"
    )
    status = table["status"].to_dict()
    assert status == {"V1": "rood", "M1": "rood", "P1": "groen", "P2": "groen"}
    assert table.loc["P1", "gemeten"] == 213  # the real table total, from the demo plans
    assert table.loc["P2", "gemeten"] == 78  # the real de Alliantie figure of tabel 1
    rejected = pd.read_csv(tmp_path / "m" / "intern" / "niet_gekoppeld.csv", sep=";", decimal=",")
    # the readers' 4 + 1 rows, and what the join to the buurten leaves out (as in `run`):
    # 2 dwellings kilometres outside Amersfoort, 2 sales of unknown dwellings
    assert rejected.groupby("bestand")["reden"].value_counts().to_dict() == {
        ("verkoop_synthetisch.csv", "onbekend_vhe_id"): 2,
        ("verkoop_synthetisch.csv", "ongeldige_waarde"): 1,
        ("voorraad_synthetisch.csv", "buiten_buurten"): 2,
        ("voorraad_synthetisch.csv", "dubbel_vhe_id"): 1,
        ("voorraad_synthetisch.csv", "geen_locatie"): 1,
        ("voorraad_synthetisch.csv", "ongeldige_waarde"): 2,
    }
    # the same figures with plain pandas on the raw files, without the rejected rows
    raw = pd.read_csv(
        DEMO / "voorraad_synthetisch.csv", sep=";", decimal=",", dtype={"vhe_id": str}
    )
    raw.index = raw.index + 2  # file rows: the header is row 1
    gone = rejected.loc[rejected["bestand"] == "voorraad_synthetisch.csv", "bron_rij"]
    raw = raw.drop(index=gone)
    sales = pd.read_csv(DEMO / "verkoop_synthetisch.csv", sep=";", dtype={"vhe_id": str})
    sales = sales[sales["status"].isin(["voorgenomen", "gerealiseerd"])]
    sales = sales[sales["jaar"].between(2022, 2023)]  # V1's agreement period
    sold = sales.merge(raw, on="vhe_id", how="inner")
    banned = sold["energielabel"].isin(["F", "G"]) | (sold["conditiescore"] >= 4)
    assert table.loc["V1", "n_overtredingen"] == banned.sum()
    assert table.loc["M1", "gemeten"] == (sold["corporatie"] == "de Alliantie").sum() > 40
    assert (sold.loc[banned, "status"] == "gerealiseerd").sum() > 0  # hence rood, not oranje
    assert table.loc["V1", "toelichting"].startswith(f"verkopen 2022\u20132023 ({len(sales)} van ")
    recs = pd.read_csv(tmp_path / "m" / "intern" / "overtredingen.csv", sep=";", dtype=str)
    v1 = recs[recs["afspraak_id"] == "V1"]
    assert sorted(v1["vhe_id"]) == sorted(sold.loc[banned, "vhe_id"])
