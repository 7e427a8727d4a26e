from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from geoprestatie import datasets
from geoprestatie.agreements import (
    RESULT_COLUMNS,
    Agreement,
    Condition,
    agreement_from_dict,
    evaluate,
    monitor,
    read_agreements,
    to_markdown,
)
from geoprestatie.errors import ConfigError
from geoprestatie.output.monitor import to_html, write_monitor
from geoprestatie.prognosis import PrognosisConfig, plans_from_frame, project, start_from_frame
from geoprestatie.sources import read_sales, read_stock

DEMO = datasets.data_path("demo")
LABELS = ["A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G"]


def _stock(rows: list[tuple[str, str, str | None, float | None, int | None]]) -> pd.DataFrame:
    """Canonical stock: (vhe_id, corporatie, energielabel, huurprijs, conditiescore)."""
    df = pd.DataFrame(rows, columns=["vhe_id", "corporatie", "energielabel", "huurprijs", "cs"])
    return pd.DataFrame(
        {
            "vhe_id": df["vhe_id"].astype("string"),
            "corporatie": df["corporatie"].astype("string"),
            "buurtcode": pd.Series(["BU03070100"] * len(df), dtype="string"),
            "energielabel": pd.Categorical(df["energielabel"], categories=LABELS, ordered=True),
            "bouwjaar": pd.Series([1970] * len(df), dtype="Int64"),
            "woningtype": pd.Series(["eengezins"] * len(df), dtype="string"),
            "huurprijs": df["huurprijs"].astype("float64"),
            "daeb": pd.Series([True] * len(df), dtype="boolean"),
            "conditiescore": df["cs"].astype("Int64"),
            "bron_rij": pd.Series(range(1, len(df) + 1), dtype="Int64"),
        }
    )


def _sales(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["vhe_id", "jaar", "status"])
    df["vhe_id"] = df["vhe_id"].astype("string")
    df["jaar"] = df["jaar"].astype("Int64")
    df["bron_rij"] = pd.Series(range(1, len(df) + 1), dtype="Int64")
    return df


STOCK = _stock(
    [
        ("1", "Alliantie", "B", 500.0, 2),
        ("2", "Alliantie", "F", 600.0, 3),
        ("3", "Alliantie", "C", 650.0, 4),
        ("4", "Portaal", "G", 700.0, 1),
        ("5", "Portaal", None, 800.0, None),
    ]
)

SALES_BAN = Agreement(
    id="V1",
    tekst="Geen verkoop van label F/G of conditie >= 4",
    partij="corporaties",
    soort="verbod",
    dataset="verkoop",
    voorwaarde=(
        Condition("energielabel", "in", ["F", "G"]),
        Condition("conditiescore", ">=", 4),
    ),
)


def _status(agreement: Agreement, **data: Any) -> pd.Series:
    return evaluate([agreement], **data).iloc[0]


# --- verbod ----------------------------------------------------------------------------------


def test_verbod_green_orange_red() -> None:
    green = _status(SALES_BAN, stock=STOCK, sales=_sales([("1", 2022, "gerealiseerd")]))
    assert (green["status"], green["gemeten"], green["n_overtredingen"]) == ("groen", 0.0, 0)
    orange = _status(
        SALES_BAN,
        stock=STOCK,
        sales=_sales([("1", 2022, "gerealiseerd"), ("2", 2023, "voorgenomen")]),
    )
    assert orange["status"] == "oranje" and orange["n_overtredingen"] == 1
    result = monitor(
        [SALES_BAN],
        stock=STOCK,
        sales=_sales([("3", 2022, "gerealiseerd"), ("4", 2023, "voorgenomen")]),
    )
    row = result.table.iloc[0]
    assert row["status"] == "rood" and row["n_overtredingen"] == 2
    assert "waarvan 1 gerealiseerd" in row["toelichting"]
    offending = result.overtredingen["V1"]
    assert offending["vhe_id"].tolist() == ["3", "4"]  # condition 4; label G
    assert offending["bron_rij"].tolist() == [1, 2]  # the sales rows, not the stock rows


# sales of the four banned dwellings, in and around the agreement period 2022-2023
PERIOD_SALES = _sales(
    [
        ("3", 2021, "gerealiseerd"),  # before the period
        ("4", 2022, "gerealiseerd"),  # in it: realised violation
        ("2", 2023, "voorgenomen"),  # in it: planned violation
        ("3", 2024, "gerealiseerd"),  # after it (realised after the monitored year 2023)
        ("4", 2026, "voorgenomen"),  # after it: planned
    ]
)


def test_verbod_counts_the_sales_of_its_period() -> None:
    from dataclasses import replace

    ban = replace(SALES_BAN, van=2022, tot=2023)
    res = monitor([ban], stock=STOCK, sales=PERIOD_SALES, jaar=2023)
    row = res.table.iloc[0]
    assert (row["status"], row["n_overtredingen"]) == ("rood", 2)
    assert row["toelichting"] == (
        "verkopen 2022\u20132023 (2 van 5 records): 2 record(s) met energielabel in F, G of "
        "conditiescore >= 4, waarvan 1 gerealiseerd"
    )
    assert res.overtredingen["V1"]["jaar"].tolist() == [2022, 2023]
    # only the planned 2023 sale in a period of one year: still preventable
    one = _status(replace(SALES_BAN, van=2023, tot=2023), stock=STOCK, sales=PERIOD_SALES)
    assert one["status"] == "oranje" and one["toelichting"].startswith("verkopen 2023 (1 van 5")
    # a period without violations is green even though other years have them
    none = _status(replace(SALES_BAN, van=2019, tot=2020), stock=STOCK, sales=PERIOD_SALES)
    assert none["status"] == "groen" and none["toelichting"].startswith("verkopen 2019\u20132020")


def test_verbod_without_period_counts_realised_to_the_monitored_year_and_planned() -> None:
    row = _status(SALES_BAN, stock=STOCK, sales=PERIOD_SALES, jaar=2023)
    # 2021, 2022 realised; 2023, 2026 planned; not the 2024 sale recorded as realised
    assert (row["status"], row["n_overtredingen"]) == ("rood", 4)
    assert row["toelichting"].startswith(
        "verkopen gerealiseerd t/m 2023 en voorgenomen (4 van 5 records): 4 record(s)"
    )
    # without a monitored year every sale counts, as before
    everything = _status(SALES_BAN, stock=STOCK, sales=PERIOD_SALES)
    assert everything["n_overtredingen"] == 5
    assert everything["toelichting"].startswith("5 record(s)")


def test_period_keys() -> None:
    base = {
        "id": "V",
        "tekst": "t",
        "partij": "p",
        "soort": "verbod",
        "dataset": "verkoop",
        "verboden_als": [{"kolom": "energielabel", "op": "==", "waarde": "G"}],
    }
    a = agreement_from_dict({**base, "periode": [2022, 2023]})
    assert (a.van, a.tot) == (2022, 2023)
    assert (agreement_from_dict({**base, "jaar": 2024}).van, a.tot) == (2024, 2023)
    assert agreement_from_dict({**base, "van": 2022}).tot is None
    for bad, message in [
        ({"periode": [2022, 2023], "van": 2022}, "geef de periode één keer"),
        ({"periode": [2023]}, r"`periode` is \[van, tot\]"),
        ({"van": 2024, "tot": 2022}, "eindigt voordat hij begint"),
        ({"van": "2022"}, "`van` is een jaartal"),
        ({"van": 2022, "dataset": "voorraad"}, "heeft geen jaren"),
    ]:
        with pytest.raises(ConfigError, match=message):
            agreement_from_dict({**base, **bad})


def test_period_needs_the_jaar_column() -> None:
    from dataclasses import replace

    sales = PERIOD_SALES.drop(columns="jaar")
    row = _status(replace(SALES_BAN, van=2022, tot=2023), stock=STOCK, sales=sales)
    assert row["status"] == "onbekend" and "['jaar']" in row["toelichting"]


def test_verbod_links_sales_to_the_dwelling_of_their_corporation() -> None:
    # vhe 1 is B (fine) at Alliantie and G (banned) at Portaal
    stock = pd.concat([STOCK, _stock([("1", "Portaal", "G", 700.0, 1)])], ignore_index=True)
    sale = _sales([("1", 2022, "gerealiseerd")])
    portaal = _status(SALES_BAN, stock=stock, sales=sale.assign(corporatie=["Portaal"]))
    assert (portaal["status"], portaal["n_overtredingen"]) == ("rood", 1)
    alliantie = _status(SALES_BAN, stock=stock, sales=sale.assign(corporatie=["Alliantie"]))
    assert alliantie["status"] == "groen"
    # without a corporatie the sale could be either dwelling: never silently green
    unknown = _status(SALES_BAN, stock=stock, sales=sale)
    assert (
        unknown["status"] == "onbekend"
        and "1 record(s) niet te beoordelen" in (unknown["toelichting"])
    )


def test_verbod_missing_data_is_onbekend_not_green() -> None:
    # vhe 5 has no label and no condition; vhe 9 is not in the stock at all
    res = monitor(
        [SALES_BAN],
        stock=STOCK,
        sales=_sales([("5", 2022, "gerealiseerd"), ("9", 2022, "gerealiseerd")]),
    )
    row = res.table.iloc[0]
    assert row["status"] == "onbekend"
    assert "2 record(s) niet te beoordelen" in row["toelichting"]
    assert sorted(res.overtredingen["V1"]["vhe_id"]) == ["5", "9"]
    # a missing value does not hide a violation found through the other condition
    known = _status(
        SALES_BAN, stock=STOCK, sales=_sales([("5", 2022, "gerealiseerd"), ("2", 2022, "x")])
    )
    assert known["status"] == "rood"
    # no sales file / no stock to get labels from
    assert _status(SALES_BAN, stock=STOCK)["status"] == "onbekend"
    no_stock = _status(SALES_BAN, sales=_sales([("1", 2022, "gerealiseerd")]))
    assert no_stock["status"] == "onbekend" and "ontbreken" in no_stock["toelichting"]


def test_verbod_on_frames_from_the_readers(tmp_path: Path) -> None:
    """read_stock / read_sales frames (categorical label, Int64 condition, geometry, own
    buurtcode column on the sales) merge on vhe_id; an empty sales value is the dwelling's."""
    stock_file = tmp_path / "voorraad.csv"
    stock_file.write_text(
        "vhe_id;corporatie;x;y;buurtcode;energielabel;conditiescore\n"
        "1;A;155000;463000;;B;2\n"
        "2;A;;;BU03070100;F;3\n"
        "3;A;;;BU03070101;C;5\n",
        encoding="utf-8",
    )
    sales_file = tmp_path / "verkoop.csv"
    sales_file.write_text(
        "vhe_id;jaar;status;buurtcode\n1;2022;verkocht;\n2;2023;gepland;\n3;2023;gepland;BU03079999\n",
        encoding="utf-8",
    )
    stock, sales = read_stock(stock_file), read_sales(sales_file)
    assert isinstance(stock["energielabel"].dtype, pd.CategoricalDtype)
    res = monitor([SALES_BAN], stock=stock, sales=sales)
    row = res.table.iloc[0]
    # vhe 2 (label F) and 3 (condition 5) violate, both only planned
    assert (row["status"], row["n_overtredingen"]) == ("oranje", 2)
    offending = res.overtredingen["V1"]
    assert offending["vhe_id"].tolist() == ["2", "3"]
    assert offending["bron_rij"].tolist() == [3, 4]  # the sales file rows (header = row 1)
    # the sale's own buurtcode wins; an empty one is the dwelling's
    assert offending["buurtcode"].tolist() == ["BU03070100", "BU03079999"]
    by_code = Agreement(
        id="V3",
        tekst="geen verkoop in BU03070100",
        partij="p",
        soort="verbod",
        dataset="verkoop",
        voorwaarde=(Condition("buurtcode", "==", "BU03070100"),),
    )
    # vhe 1 has coordinates only (no buurtcode in the stock either): undecided
    assert _status(by_code, stock=stock, sales=sales)["n_overtredingen"] == 1


def test_verbod_with_selectie_and_en() -> None:
    rule = Agreement(
        id="V2",
        tekst="Portaal verkoopt geen G-woningen met conditie 1",
        partij="Portaal",
        soort="verbod",
        dataset="verkoop",
        combinatie="en",
        selectie=(Condition("corporatie", "==", "portaal"),),  # case-insensitive
        voorwaarde=(Condition("energielabel", ">=", "G"), Condition("conditiescore", "<=", 1)),
    )
    sales = _sales([("2", 2022, "gerealiseerd"), ("4", 2022, "gerealiseerd")])
    row = _status(rule, stock=STOCK, sales=sales)
    assert row["status"] == "rood" and row["n_overtredingen"] == 1


# --- aandeel ---------------------------------------------------------------------------------


def _share_rule(marge: float = 0.02) -> Agreement:
    return agreement_from_dict(
        {
            "id": "B1",
            "tekst": ">= 85% tot de hoge aftoppingsgrens",
            "partij": "Alliantie",
            "soort": "aandeel",
            "selectie": [{"kolom": "corporatie", "op": "==", "waarde": "Alliantie"}],
            "voorwaarde": [
                {
                    "kolom": "huurprijs",
                    "op": "<=",
                    "huurgrens": "aftoppingsgrens_hoog",
                    "huurjaar": 2020,
                }
            ],
            "norm": 0.85,
            "marge": marge,
        }
    )


def _rent_stock(n_low: int, n_high: int, n_missing: int = 0, other: int = 3) -> pd.DataFrame:
    rows = [(f"l{i}", "Alliantie", "C", 663.40, 2) for i in range(n_low)]  # limit itself: in
    rows += [(f"h{i}", "Alliantie", "C", 663.41, 2) for i in range(n_high)]
    rows += [(f"m{i}", "Alliantie", "C", None, 2) for i in range(n_missing)]
    rows += [(f"o{i}", "Portaal", "C", 900.0, 2) for i in range(other)]  # not in the selection
    return _stock(rows)


@pytest.mark.parametrize(
    ("n_low", "n_high", "status"),
    [
        (90, 10, "groen"),
        (85, 15, "groen"),
        (84, 16, "oranje"),
        (83, 17, "oranje"),
        (82, 18, "rood"),
    ],
)
def test_aandeel_colours(n_low: int, n_high: int, status: str) -> None:
    res = monitor([_share_rule()], stock=_rent_stock(n_low, n_high))
    row = res.table.iloc[0]
    assert row["status"] == status
    assert row["gemeten"] == pytest.approx(n_low / 100)
    assert row["n_overtredingen"] == n_high
    if status != "groen":
        assert len(res.overtredingen["B1"]) == n_high


def test_aandeel_without_marge_has_no_orange() -> None:
    assert _status(_share_rule(marge=0), stock=_rent_stock(84, 16))["status"] == "rood"


def test_aandeel_missing_values_bounded() -> None:
    # 86 of 96 known pass; 4 missing: share between 86% and 90% -> green either way
    row = _status(_share_rule(), stock=_rent_stock(86, 10, n_missing=4))
    assert row["status"] == "groen" and row["gemeten"] == pytest.approx(0.86)
    # 84 pass, 10 fail, 6 missing: between 84% (orange) and 90% (green) -> onbekend
    row = _status(_share_rule(), stock=_rent_stock(84, 10, n_missing=6))
    assert row["status"] == "onbekend"
    assert "tussen 84.0% en 90.0%" in row["toelichting"]
    # empty selection
    assert _status(_share_rule(), stock=_rent_stock(0, 0))["status"] == "onbekend"
    assert _status(_share_rule())["status"] == "onbekend"


# --- aantal ----------------------------------------------------------------------------------


def _count_rule(vergelijking: str, norm: float, marge: float) -> Agreement:
    return Agreement(
        id="M1",
        tekst="aantal",
        partij="Portaal",
        soort="aantal",
        selectie=(Condition("corporatie", "==", "Portaal"),),
        vergelijking=vergelijking,
        norm=norm,
        marge=marge,
    )


@pytest.mark.parametrize(
    ("vergelijking", "norm", "marge", "status"),
    [
        (">=", 2, 0, "groen"),
        (">=", 3, 1, "oranje"),
        (">=", 4, 1, "rood"),
        ("<=", 2, 0, "groen"),
        ("<=", 1, 1, "oranje"),
        ("<=", 0, 1, "rood"),
    ],
)
def test_aantal_colours(vergelijking: str, norm: float, marge: float, status: str) -> None:
    res = monitor([_count_rule(vergelijking, norm, marge)], stock=STOCK)
    row = res.table.iloc[0]
    assert (row["status"], row["gemeten"]) == (status, 2.0)
    if vergelijking == "<=" and status != "groen":
        assert res.overtredingen["M1"]["vhe_id"].tolist() == ["4", "5"]


def test_aantal_unknown_selection_and_missing_data() -> None:
    stock = STOCK.copy()
    stock["corporatie"] = pd.Series(["Alliantie", None, None, "Portaal", "Portaal"], dtype="string")
    # 2 certain, 2 unknown: between 2 and 4 against >= 3
    assert _status(_count_rule(">=", 3, 0), stock=stock)["status"] == "onbekend"
    # 2..4 against >= 2: green either way
    assert _status(_count_rule(">=", 2, 0), stock=stock)["status"] == "groen"
    assert _status(_count_rule(">=", 2, 0))["status"] == "onbekend"


# --- prognose --------------------------------------------------------------------------------


@pytest.fixture
def prognosis() -> pd.DataFrame:
    start = start_from_frame(
        pd.DataFrame({"corporatie": ["A", "B"], "aantal": [1000, 1520]}), peildatum="2022-01-01"
    )
    plans = plans_from_frame(
        pd.DataFrame(
            {
                "corporatie": ["A", "A", "B"],
                "jaar": [2022, 2023, 2023],
                "mutatie": ["nieuwbouw", "sloop", "verkoop"],
                "aantal": [250, 40, 30],
            }
        )
    )
    return project(start, plans, config=PrognosisConfig())


def _growth(norm: float, marge: float = 0, **kw: object) -> Agreement:
    return agreement_from_dict(
        {
            "id": "P1",
            "tekst": "groei",
            "partij": "allen",
            "soort": "prognose",
            "doel": "netto_groei",
            "van": 2022,
            "tot": 2023,
            "norm": norm,
            "marge": marge,
            **kw,
        }
    )


def test_prognose_growth(prognosis: pd.DataFrame) -> None:
    # net growth 2022-2023 = 250 - 40 - 30 = 180
    assert _status(_growth(180), prognosis=prognosis)["status"] == "groen"
    orange = _status(_growth(190, marge=10), prognosis=prognosis)
    assert (orange["status"], orange["gemeten"]) == ("oranje", 180.0)
    assert _status(_growth(191, marge=10), prognosis=prognosis)["status"] == "rood"
    # excluding demolition: 220
    assert _status(_growth(220, inclusief_sloop=False), prognosis=prognosis)["status"] == "groen"
    assert _status(_growth(180))["status"] == "onbekend"
    late = _status(_growth(1, tot=2030), prognosis=prognosis)
    assert late["status"] == "onbekend" and "2022-2023" in late["toelichting"]


def test_prognose_minimum_stock(prognosis: pd.DataFrame) -> None:
    def rule(norm: float, marge: float = 0, corporatie: str = "B") -> Agreement:
        return agreement_from_dict(
            {
                "id": "P2",
                "tekst": "minimum",
                "partij": corporatie,
                "soort": "prognose",
                "doel": "minimum_voorraad",
                "corporatie": corporatie,
                "norm": norm,
                "marge": marge,
            }
        )

    assert _status(rule(1490), prognosis=prognosis)["status"] == "groen"  # lowest 1490
    res = monitor([rule(1500, marge=50)], prognosis=prognosis)
    assert res.table.iloc[0]["status"] == "oranje"
    assert res.overtredingen["P2"]["jaar"].tolist() == [2023]
    assert _status(rule(1600, marge=50), prognosis=prognosis)["status"] == "rood"
    assert _status(rule(1, corporatie="Z"), prognosis=prognosis)["status"] == "onbekend"


# --- config and errors -----------------------------------------------------------------------


def test_rule_on_unknown_column_is_an_error() -> None:
    typo = Agreement(
        id="T1",
        tekst="typo",
        partij="x",
        soort="verbod",
        dataset="voorraad",
        voorwaarde=(Condition("energielabl", "in", ["F"]),),
    )
    with pytest.raises(ConfigError, match=r"afspraak 'T1': kolom 'energielabl' bestaat niet in"):
        evaluate([typo], stock=STOCK)


def test_bad_agreement_definitions() -> None:
    base = {"id": "X", "tekst": "t", "partij": "p"}
    with pytest.raises(
        ConfigError, match=r"\['verbod', 'aandeel', 'aantal', 'prognose', 'regel', 'termijn'\]"
    ):
        agreement_from_dict({**base, "soort": "wens"})
    with pytest.raises(ConfigError, match=r"onbekende sleutel\(s\) \['nrom'\]"):
        agreement_from_dict({**base, "soort": "aantal", "nrom": 3, "norm": 3})
    with pytest.raises(ConfigError, match="kies uit"):
        agreement_from_dict(
            {**base, "soort": "verbod", "verboden_als": [{"kolom": "a", "op": "~", "waarde": 1}]}
        )
    with pytest.raises(ConfigError, match="vraagt `verboden_als`"):
        agreement_from_dict({**base, "soort": "verbod"})
    with pytest.raises(ConfigError, match="fractie"):
        agreement_from_dict(
            {
                **base,
                "soort": "aandeel",
                "norm": 85,
                "voorwaarde": [{"kolom": "huurprijs", "op": "<=", "waarde": 663}],
            }
        )
    with pytest.raises(ConfigError, match="niet in de categorieën"):
        evaluate(
            [
                Agreement(
                    id="L",
                    tekst="t",
                    partij="p",
                    soort="verbod",
                    dataset="voorraad",
                    voorwaarde=(Condition("energielabel", ">=", "H"),),
                )
            ],
            stock=STOCK,
        )


def test_read_agreements_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text(
        '[[afspraak]]\nid="A"\ntekst="t"\npartij="p"\nsoort="aantal"\nnorm=1\n'
        '[[afspraak]]\nid="A"\ntekst="t"\npartij="p"\nsoort="aantal"\nnorm=2\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"dubbele afspraak-id\('s\) \['A'\]"):
        read_agreements(path)
    path.write_text("[[afspraak]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="ongeldige TOML"):
        read_agreements(path)


def test_example_agreements_file() -> None:
    agreements = read_agreements(DEMO / "afspraken_amersfoort.toml")
    assert {a.soort for a in agreements} == {"verbod", "aantal", "prognose"}
    # exact attribution: V1 is the Enschede rule 4.1, the others Amersfoort 7/8 and tabel 1
    bron = {a.id: a.bron for a in agreements}
    assert bron["V1"].startswith("Prestatieafspraken Enschede 2019 (update 2020), afspraak 4.1")
    assert all(
        bron[i].startswith("Prestatieafspraken Amersfoort 2022-2023, 1.1 afspraak")
        for i in ("M1", "P1", "P2")
    )
    table = evaluate(agreements, stock=STOCK, jaar=2023)
    assert list(table.columns) == list(RESULT_COLUMNS)
    # no sales and no prognosis: those rules are onbekend, never green
    assert set(table["status"]) == {"onbekend"}


# --- output ----------------------------------------------------------------------------------


def test_outputs_escape_and_write(tmp_path: Path) -> None:
    evil = Agreement(
        id="<x>",
        tekst="<script>alert(1)</script> | pijp",
        partij="A & B",
        soort="verbod",
        dataset="voorraad",
        voorwaarde=(Condition("energielabel", "in", ["G"]),),
    )
    stock = STOCK.assign(woningtype=pd.Series(["<img src=x>"] * len(STOCK), dtype="string"))
    result = monitor([evil], stock=stock)
    page = to_html(result)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "A &amp; B" in page
    # the published page never lists dwellings (or their attributes) unless asked for
    assert "src=x" not in page
    listed = to_html(result, show_dwellings=True)
    assert "<img" not in listed and "&lt;img src=x&gt;" in listed
    md = to_markdown(result)
    assert "\\| pijp" in md and "ROOD" in md
    paths = write_monitor(result, tmp_path / "out")
    assert [p.name for p in paths] == [
        "monitor.csv",
        "monitor.md",
        "monitor.html",
        "overtredingen.csv",
    ]
    back = pd.read_csv(paths[0], sep=";", decimal=",")
    assert back["status"].tolist() == ["rood"]
    recs = pd.read_csv(paths[3], sep=";", dtype=str)
    assert recs["afspraak_id"].tolist() == ["<x>"] and recs["vhe_id"].tolist() == ["4"]


def test_rent_limit_of_the_monitored_year() -> None:
    rule = agreement_from_dict(
        {
            "id": "B2",
            "tekst": "alles tot de hoge aftoppingsgrens",
            "partij": "Alliantie",
            "soort": "aandeel",
            "selectie": [{"kolom": "corporatie", "op": "==", "waarde": "Alliantie"}],
            "voorwaarde": [{"kolom": "huurprijs", "op": "<=", "huurgrens": "aftoppingsgrens_hoog"}],
            "norm": 1.0,
        }
    )
    stock = _stock([("1", "Alliantie", "C", 690.0, 2)])
    # 690 is above the 2020 limit (663.40) but under the 2023 limit (693.60)
    assert _status(rule, stock=stock, jaar=2020)["status"] == "rood"
    assert _status(rule, stock=stock, jaar=2023)["status"] == "groen"
    with pytest.raises(ConfigError, match="geen huurgrenzen voor het jaar 2031"):
        evaluate([rule], stock=stock, jaar=2031)
    with pytest.raises(ConfigError, match="zonder `waarde`"):
        agreement_from_dict(
            {
                "id": "B3",
                "tekst": "t",
                "partij": "p",
                "soort": "aandeel",
                "norm": 1.0,
                "voorwaarde": [{"kolom": "huurprijs", "op": "<=", "huurgrens": "x"}],
            }
        )


def test_condition_on_a_ja_nee_column() -> None:
    stock = STOCK.assign(daeb=pd.Series([True, False, True, None, True], dtype="boolean"))

    def count(value: object) -> float:
        rule = Agreement(
            id="D",
            tekst="t",
            partij="p",
            soort="aantal",
            selectie=(Condition("daeb", "==", value),),
            vergelijking=">=",
            norm=0,
        )
        return float(_status(rule, stock=stock)["gemeten"])

    # the ja/nee words of the readers (geoprestatie.sources._tabular.parse_bool)
    assert count("ja") == count(True) == count("Waar") == 3.0
    assert count("nee") == count(False) == count("0") == 1.0
    with pytest.raises(ConfigError, match="'daeb' is ja/nee"):
        count("misschien")
