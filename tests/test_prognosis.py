from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoprestatie import datasets
from geoprestatie.errors import ConfigError, DataWarning, InputError
from geoprestatie.huur import RentLimits
from geoprestatie.join import join_sources
from geoprestatie.prognosis import (
    ADDITIONS,
    MUTATION_TYPES,
    MUTATIONS,
    REMOVALS,
    PrognosisConfig,
    Target,
    aggregate,
    plans_from_frame,
    project,
    read_mutation_plans,
    read_prognosis,
    read_start_stock,
    rent_class_prognosis,
    signed_counts,
    start_from_frame,
    start_stock_from_stock,
    summary_table,
    target_gaps,
)
from geoprestatie.sources import read_stock

DEMO = datasets.data_path("demo")

#: Prestatieafspraken Amersfoort 2022-2023, sociale huurvoorraad, harde plannen.
AMERSFOORT = pd.DataFrame(
    {
        "de Alliantie": [289, 0, -27, -144, -40, 78, 222],
        "Portaal": [161, 0, 0, -4, -43, 114, 118],
        "Omnia Wonen": [22, 40, -1, 0, 0, 21, 21],
        "Totaal": [472, 40, -28, -148, -83, 213, 361],
    },
    index=[
        "Toevoeging permanente nieuwbouw, transformatie, aankoop",
        "Toevoeging tijdelijk (>5 jr)",
        "Saldo (de)liberalisatie",
        "Sloop",
        "Verkoop",
        "Permanente netto groei inclusief sloop",
        "Permanente netto groei exclusief sloop",
    ],
)


def _start(counts: dict[str, int], peildatum: str = "2022-01-01") -> pd.DataFrame:
    return start_from_frame(
        pd.DataFrame({"corporatie": list(counts), "aantal": list(counts.values())}),
        peildatum=peildatum,
    )


def _plans(rows: list[tuple], columns: tuple[str, ...] = ()) -> pd.DataFrame:
    cols = ["corporatie", "jaar", "mutatie", "aantal", *columns]
    return plans_from_frame(pd.DataFrame(rows, columns=cols))


def test_amersfoort_table_from_mutation_rows() -> None:
    # a different split over years and types than the example file; same totals
    plans = _plans(
        [
            ("de Alliantie", 2022, "nieuwbouw", 200, "nee"),
            ("de Alliantie", 2023, "aankoop", 89, "nee"),
            ("de Alliantie", 2022, "liberalisatie", 27, "nee"),
            ("de Alliantie", 2022, "sloop", 100, "nee"),
            ("de Alliantie", 2023, "sloop", 44, "nee"),
            ("de Alliantie", 2023, "verkoop", 40, "nee"),
            ("Portaal", 2022, "transformatie", 61, "nee"),
            ("Portaal", 2023, "nieuwbouw", 100, "nee"),
            ("Portaal", 2023, "sloop", 4, "nee"),
            ("Portaal", 2022, "verkoop", 43, "nee"),
            ("Omnia Wonen", 2022, "nieuwbouw", 22, "nee"),
            ("Omnia Wonen", 2023, "nieuwbouw", 40, "ja"),
            ("Omnia Wonen", 2022, "liberalisatie", 4, "nee"),
            ("Omnia Wonen", 2023, "deliberalisatie", 3, "nee"),
        ],
        ("tijdelijk",),
    )
    start = _start({"de Alliantie": 15000, "Portaal": 5500, "Omnia Wonen": 1500})
    table = summary_table(project(start, plans, config=PrognosisConfig()))
    # the agreement's own table, column order included (largest corporation first)
    pd.testing.assert_frame_equal(table, AMERSFOORT, check_names=False, check_dtype=False)
    assert table.index.name == "2022-2023"
    ordered = summary_table(
        project(start, plans, config=PrognosisConfig()),
        corporaties=["Omnia Wonen", "Portaal", "de Alliantie"],
    )
    assert list(ordered.columns) == ["Omnia Wonen", "Portaal", "de Alliantie", "Totaal"]
    with pytest.raises(ValueError, match="moet elke corporatie van de prognose"):
        summary_table(project(start, plans, config=PrognosisConfig()), corporaties=["Portaal"])


def test_demo_files_reproduce_the_amersfoort_table() -> None:
    start = read_start_stock(DEMO / "beginstand_amersfoort.csv")
    plans = read_mutation_plans(DEMO / "plannen_amersfoort_2022_2023.csv")
    assert plans["herkomst"].str.contains("synthetisch").all()
    table = summary_table(project(start, plans, config=PrognosisConfig()))
    for col in AMERSFOORT.columns:
        assert table[col].tolist() == AMERSFOORT[col].tolist(), col


def test_projection_worked_by_hand() -> None:
    start = _start({"A": 100, "B": 50}, peildatum="2021-12-31")  # beginstand of 2022
    plans = _plans(
        [
            ("A", 2022, "nieuwbouw", 10),
            ("A", 2022, "verkoop", 3),
            ("A", 2024, "sloop", 20),
            ("B", 2023, "aankoop", 5),
        ]
    )
    out = project(start, plans, config=PrognosisConfig())
    a = out[out["corporatie"] == "A"]
    assert a["jaar"].tolist() == [2022, 2023, 2024]
    assert a["beginstand"].tolist() == [100, 107, 107]
    assert a["verkoop"].tolist() == [-3, 0, 0]
    assert a["eindstand"].tolist() == [107, 107, 87]
    b = out[out["corporatie"] == "B"]
    assert b["eindstand"].tolist() == [50, 55, 55]
    total = aggregate(out, by=())
    assert total["eindstand"].tolist() == [157, 162, 142]


def test_scenarios_select_by_certainty() -> None:
    start = _start({"A": 100})
    plans = _plans(
        [
            ("A", 2022, "nieuwbouw", 10, "hard"),
            ("A", 2023, "nieuwbouw", 20, "zacht"),
            ("A", 2023, "nieuwbouw", 40, "ambitie"),
        ],
        ("zekerheid",),
    )
    ends = {
        s: int(project(start, plans, config=PrognosisConfig(scenario=s))["eindstand"].iloc[-1])
        for s in ("hard", "zacht", "alles")
    }
    assert ends == {"hard": 110, "zacht": 130, "alles": 170}
    with pytest.raises(ConfigError, match=r"\['hard', 'zacht', 'alles'\]"):
        PrognosisConfig(scenario="optimistisch")


def test_temporary_units_kept_apart() -> None:
    start = start_from_frame(
        pd.DataFrame({"corporatie": ["A"], "aantal": [100], "tijdelijk": [5]}),
        peildatum="2022-01-01",
    )
    plans = _plans(
        [("A", 2022, "nieuwbouw", 40, "ja"), ("A", 2023, "sloop", 5, "ja")], ("tijdelijk",)
    )
    out = project(start, plans, config=PrognosisConfig())
    assert out["eindstand"].tolist() == [100, 100]
    assert out["sloop"].tolist() == [0, 0]
    assert out["tijdelijk_toevoeging"].tolist() == [40, 0]
    assert out["tijdelijk_onttrekking"].tolist() == [0, -5]
    assert out["tijdelijk_eindstand"].tolist() == [45, 40]
    table = summary_table(out)
    assert table.loc["Onttrekking tijdelijk", "A"] == -5
    assert table.loc["Permanente netto groei inclusief sloop", "A"] == 0


def test_buurt_level_and_plans_without_buurt() -> None:
    start = start_from_frame(
        pd.DataFrame(
            {
                "corporatie": ["A", "A"],
                "buurtcode": ["BU00010001", "BU00010002"],
                "aantal": [10, 20],
            }
        ),
        peildatum="2022-01-01",
    )
    plans = _plans(
        [("A", 2022, "nieuwbouw", 5, "BU00010002"), ("A", 2022, "nieuwbouw", 7, "")],
        ("buurtcode",),
    )
    with pytest.warns(DataWarning, match="zonder buurtcode"):
        out = project(start, plans, config=PrognosisConfig())
    assert out["buurtcode"].isna().sum() == 1
    by_buurt = dict(zip(out["buurtcode"].fillna("onbekend"), out["eindstand"], strict=True))
    assert by_buurt == {"BU00010001": 10, "BU00010002": 25, "onbekend": 7}
    assert aggregate(out)["eindstand"].tolist() == [42]


def test_start_stock_from_stock_frame() -> None:
    stock = pd.DataFrame(
        {
            "vhe_id": ["1", "2", "3", "4"],
            "corporatie": ["A", "A", "A", "B"],
            "buurtcode": ["BU00000001", "BU00000002", "BU00000001", None],
        }
    )
    start = start_stock_from_stock(stock, peildatum="2023-01-01")
    assert start["aantal"].sum() == 4
    assert start.loc[start["corporatie"] == "B", "buurtcode"].isna().all()
    plans = _plans([("A", 2023, "sloop", 1, "BU00000002")], ("buurtcode",))
    out = project(start, plans, config=PrognosisConfig())
    assert out.loc[out["buurtcode"] == "BU00000002", "eindstand"].tolist() == [0]


def test_targets_gap_per_year() -> None:
    start = _start({"A": 1000, "B": 1500})
    plans = _plans(
        [
            ("A", 2022, "nieuwbouw", 100),
            ("A", 2023, "sloop", 30),
            ("B", 2023, "verkoop", 40),
        ]
    )
    out = project(start, plans, config=PrognosisConfig(eindjaar=2024))
    gaps = target_gaps(
        out,
        [
            Target("groei", "netto_groei", 50, van=2022, tot=2023),
            Target("excl", "netto_groei", 50, van=2022, tot=2023, inclusief_sloop=False),
            Target("min", "minimum_voorraad", 1480, corporatie="B"),
        ],
    )
    g = gaps[gaps["doel_id"] == "groei"]
    assert g["gemeten"].tolist() == [100, 30]
    assert g["tekort"].tolist() == [-50.0, 20.0]
    assert gaps.loc[gaps["doel_id"] == "excl", "gemeten"].tolist() == [100, 60]
    m = gaps[gaps["doel_id"] == "min"]
    assert m["jaar"].tolist() == [2022, 2023, 2024]
    assert m["tekort"].tolist() == [-20.0, 20.0, 20.0]


def test_config_from_dict() -> None:
    cfg = PrognosisConfig.from_dict(
        {
            "scenario": "alles",
            "eindjaar": 2026,
            "doelen": [{"id": "g", "soort": "netto_groei", "norm": 213, "van": 2022, "tot": 2023}],
            "huurgrenzen": {
                "2026": {
                    "kwaliteitskortingsgrens": 490,
                    "aftoppingsgrens_laag": 700,
                    "aftoppingsgrens_hoog": 750,
                    "liberalisatiegrens": 920,
                }
            },
        }
    )
    assert cfg.targets[0].norm == 213 and cfg.rent_limits[2026].liberalisatiegrens == 920
    with pytest.raises(ConfigError, match="onbekende sleutel"):
        PrognosisConfig.from_dict({"scenrio": "hard"})
    with pytest.raises(ConfigError, match="netto_groei heeft `van` en `tot`"):
        Target.from_dict({"id": "x", "soort": "netto_groei", "norm": 1})


# --- bad input -------------------------------------------------------------------------------


def test_unknown_mutation_type_lists_valid_ones() -> None:
    with pytest.raises(InputError, match="rij 2") as exc:
        _plans([("A", 2022, "nieuwbouw", 1), ("A", 2022, "renovatie", 1)])
    for name in MUTATIONS:
        assert name in str(exc.value)
    assert "'renovatie'" in str(exc.value) and "mutatie" in str(exc.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "negatief"),
        ("2,5", "breuk"),
        ("1.500", "breuk"),
        ("", "leeg"),
        ("veel", "geen getal"),
        ("0", "nul; laat de rij dan weg"),
    ],
)
def test_bad_aantal_names_the_row(value: str, message: str) -> None:
    df = pd.DataFrame(
        {
            "corporatie": ["A", "A"],
            "jaar": ["2022", "2022"],
            "mutatie": ["sloop"] * 2,
            "aantal": ["3", value],
        }
    )
    with pytest.raises(InputError, match=f"kolom 'aantal', rij 2: .*{message}"):
        plans_from_frame(df, source="plannen.csv")


def test_plan_year_before_peildatum() -> None:
    start = _start({"A": 10}, peildatum="2022-06-30")  # first projected year 2023
    plans = _plans([("A", 2023, "nieuwbouw", 1), ("A", 2022, "nieuwbouw", 1)])
    with pytest.raises(InputError, match=r"rij 2: planjaar/-jaren \[2022\] liggen vóór"):
        project(start, plans, config=PrognosisConfig())


def test_corporation_without_start_stock_is_reported() -> None:
    start = _start({"A": 10})
    plans = _plans([("A", 2022, "nieuwbouw", 1), ("Z", 2022, "nieuwbouw", 1)])
    with pytest.raises(InputError, match=r"rij 2: corporatie\(s\) \['Z'\] hebben"):
        project(start, plans, config=PrognosisConfig())


def test_start_stock_needs_a_peildatum() -> None:
    with pytest.raises(InputError, match="geen peildatum"):
        start_from_frame(pd.DataFrame({"corporatie": ["A"], "aantal": [1]}))
    with pytest.raises(InputError, match="één datum"):
        start_from_frame(
            pd.DataFrame(
                {
                    "corporatie": ["A", "B"],
                    "aantal": [1, 2],
                    "peildatum": ["2022-01-01", "2023-01-01"],
                }
            )
        )


def test_negative_stock_warns() -> None:
    with pytest.warns(DataWarning, match="onder nul"):
        project(_start({"A": 5}), _plans([("A", 2022, "sloop", 6)]), config=PrognosisConfig())


# --- readers ---------------------------------------------------------------------------------


def test_reader_semicolon_cp1252_decimal_comma(tmp_path: Path) -> None:
    path = tmp_path / "plannen.csv"
    text = (
        "Corporatie;Jaar;Mutatie;Aantal;Zekerheid;Toelichting\n"
        "Wooncorporatie Ée;2022;Nieuwbouw;12,0;hard;café\n"
        "Wooncorporatie Ée;2023;sloop;3;zacht;\n"
    )
    path.write_bytes(text.encode("cp1252"))
    plans = read_mutation_plans(path)
    assert plans["corporatie"].tolist() == ["Wooncorporatie Ée"] * 2
    assert plans["aantal"].tolist() == [12, 3]
    assert plans["mutatie"].tolist() == ["nieuwbouw", "sloop"]
    assert plans["Toelichting"].tolist() == ["café", pd.NA]
    assert plans["bron_rij"].tolist() == [2, 3]  # as in a text editor: the header is row 1


def test_reader_xlsx_and_bad_row_in_file(tmp_path: Path) -> None:
    path = tmp_path / "plannen.xlsx"
    pd.DataFrame(
        {
            "corporatie": ["A", "A"],
            "jaar": [2022, 2023],
            "mutatie": ["aankoop", "sloop"],
            "aantal": [4, 2.5],
        }
    ).to_excel(path, index=False)
    # Excel shows the header in row 1, so the second plan is in row 3
    with pytest.raises(InputError, match=r"plannen.xlsx, kolom 'aantal', rij 3: .*breuk"):
        read_mutation_plans(path)


def test_start_reader_utf8_sig(tmp_path: Path) -> None:
    path = tmp_path / "start.csv"
    path.write_bytes("\ufeffcorporatie,aantal,peildatum\nA,10,1-1-2022\n".encode())
    start = read_start_stock(path)
    assert start["aantal"].tolist() == [10] and str(start["peildatum"].iloc[0]) == "2022-01-01"


def test_row_numbers_are_file_rows_with_blank_lines(tmp_path: Path) -> None:
    # header = line 1, first plan line 2, a blank line 3, the bad plan on line 4
    path = tmp_path / "plannen.csv"
    path.write_text(
        "corporatie;jaar;mutatie;aantal\nA;2022;sloop;1\n\nA;2022;sloop;-2\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"plannen.csv, kolom 'aantal', rij 4: .*negatief"):
        read_mutation_plans(path)
    start = tmp_path / "start.csv"
    start.write_text("corporatie;aantal;peildatum\nA;1;2022-01-01\nB;x;2022-01-01\n", "utf-8")
    with pytest.raises(InputError, match=r"start.csv, kolom 'aantal', rij 3: .*geen getal"):
        read_start_stock(start)


def test_a_hash_line_is_data_not_a_comment(tmp_path: Path) -> None:
    # '#' lines are not skipped (no reader skips them): a note in the file is reported with
    # its row instead of being dropped without a word
    path = tmp_path / "plannen.csv"
    path.write_text(
        "corporatie,jaar,mutatie,aantal\n# harde plannen\nA,2022,sloop,1\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"plannen.csv, kolom 'mutatie', rij 2: onbekende mutatie"):
        read_mutation_plans(path)


def test_project_names_the_plan_file_and_row(tmp_path: Path) -> None:
    path = tmp_path / "plannen.csv"
    path.write_text(
        "corporatie,jaar,mutatie,aantal\nA,2023,nieuwbouw,1\nA,2021,sloop,1\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"^\S*plannen.csv, kolom 'jaar', rij 3: planjaar"):
        project(_start({"A": 5}), read_mutation_plans(path), config=PrognosisConfig())


def test_start_stock_xlsx_with_a_date_cell(tmp_path: Path) -> None:
    path = tmp_path / "start.xlsx"
    pd.DataFrame(
        {"corporatie": ["A", "B"], "aantal": [3, 4], "peildatum": [pd.Timestamp("2021-12-31")] * 2}
    ).to_excel(path, index=False)
    start = read_start_stock(path)
    assert str(start["peildatum"].iloc[0]) == "2021-12-31"
    assert start["aantal"].tolist() == [3, 4]


def test_read_prognosis_names_the_file_row(tmp_path: Path) -> None:
    path = tmp_path / "prognose.csv"
    path.write_text(
        "corporatie,jaar,beginstand,eindstand\nA,2022,5,6\nA,2023,6,6.5\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"kolom 'eindstand', rij 3: .*gehele getallen"):
        read_prognosis(path)


def test_demo_start_stock_is_the_demo_stock_per_buurt(amersfoort) -> None:
    """The demo beginstand is the demo stock placed in buurten and counted; every plan row
    lies in a buurt where its corporation has stock, removals no more than it has."""
    with pytest.warns(DataWarning, match="4 rij"):  # the demo stock's deliberate flaws
        stock = read_stock(DEMO / "voorraad_synthetisch.csv")
    joined = join_sources(amersfoort, stock=stock).stock
    counted = start_stock_from_stock(joined, peildatum="2022-01-01")
    start = read_start_stock(DEMO / "beginstand_amersfoort.csv")
    key = ["corporatie", "buurtcode", "aantal"]
    pd.testing.assert_frame_equal(start[key], counted[key], check_dtype=False)
    assert start.groupby("corporatie")["aantal"].sum().to_dict() == {
        "Omnia Wonen": 3228,
        "Portaal": 7307,
        "de Alliantie": 7171,
    }
    plans = read_mutation_plans(DEMO / "plannen_amersfoort_2022_2023.csv")
    have = start.set_index(["corporatie", "buurtcode"])["aantal"]
    pairs = list(zip(plans["corporatie"], plans["buurtcode"], strict=True))
    assert all(have.get(pair, 0) > 0 for pair in pairs)
    removals = plans[plans["mutatie"].isin(REMOVALS)].groupby(["corporatie", "buurtcode"])
    assert all(n <= have[pair] for pair, n in removals["aantal"].sum().items())


def test_demo_generator_reproduces_the_files(tmp_path: Path) -> None:
    script = Path(__file__).parents[1] / "scripts" / "make_amersfoort_prognose.py"
    spec = importlib.util.spec_from_file_location("make_amersfoort_prognose", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path in module.main(tmp_path):
        assert path.read_bytes() == (DEMO / path.name).read_bytes(), path.name


# --- rent classes ----------------------------------------------------------------------------


def test_rent_class_prognosis_by_hand() -> None:
    limits = {
        2022: RentLimits(400, 600, 650, 750),
        2023: RentLimits(420, 630, 680, 780),
    }
    stock = pd.DataFrame(
        {"vhe_id": list("1234"), "corporatie": ["A"] * 4, "huurprijs": [410.0, 640.0, 700.0, None]}
    )
    start = _start({"A": 4})
    plans = plans_from_frame(
        pd.DataFrame(
            {
                "corporatie": ["A", "A"],
                "jaar": [2022, 2023],
                "mutatie": ["nieuwbouw", "sloop"],
                "aantal": [2, 3],
                "huurklasse": ["vrije_sector", ""],
            }
        )
    )
    cfg = PrognosisConfig(rent_limits=limits)
    prog = project(start, plans, config=cfg)
    out = rent_class_prognosis(stock, prog, plans, config=cfg).set_index("jaar")
    # 2022: eindstand 6 = 2 classified (vrije_sector) + 4 split by the mix: 410 betaalbaar_laag,
    # 640 betaalbaar_hoog, 700 duur, no rent onbekend
    assert out.loc[2022, "vrije_sector"] == 2.0
    cols = ["betaalbaar_laag", "betaalbaar_hoog", "duur", "onbekend"]
    assert out.loc[2022, cols].tolist() == [1.0] * 4
    # 2023: new limits put 410 under the kwaliteitskortingsgrens (420): goedkoop.
    # eindstand 3 = 2 classified + a rest of 1 split 1/4 over goedkoop, hoog, duur, onbekend
    row = out.loc[2023]
    assert row["vrije_sector"] == 2.0 and row["betaalbaar_laag"] == 0.0
    assert row[["goedkoop", "betaalbaar_hoog", "duur", "onbekend"]].tolist() == [0.25] * 4
    assert out.drop(columns="corporatie").sum(axis=1).tolist() == [6.0, 3.0]


def test_rent_class_indexing_moves_dwellings_up() -> None:
    stock = pd.DataFrame({"vhe_id": ["1"], "corporatie": ["A"], "huurprijs": [600.0]})
    prog = pd.DataFrame({"corporatie": ["A", "A"], "jaar": [2022, 2023], "eindstand": [1, 1]})
    limits = {y: RentLimits(400, 610, 650, 750) for y in (2022, 2023)}
    out = rent_class_prognosis(
        stock, prog, config=PrognosisConfig(rent_limits=limits, huurstijging=0.05)
    )
    assert out["betaalbaar_laag"].tolist() == [1.0, 0.0]
    assert out["betaalbaar_hoog"].tolist() == [0.0, 1.0]  # 630 > 610
    with pytest.raises(ConfigError, match="geen huurgrenzen voor het jaar 2023"):
        rent_class_prognosis(stock, prog, config=PrognosisConfig(rent_limits={2022: limits[2022]}))


# --- properties ------------------------------------------------------------------------------

_corps = st.sampled_from(["A", "B", "C"])
_plan_row = st.tuples(
    _corps,
    st.integers(2022, 2026),
    st.sampled_from(list(MUTATION_TYPES)),
    st.integers(1, 40),
    st.sampled_from(["hard", "zacht", "ambitie"]),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(_plan_row, min_size=0, max_size=25),
    scenario=st.sampled_from(["hard", "zacht", "alles"]),
)
def test_projection_invariants(rows: list[tuple], scenario: str) -> None:
    start = start_from_frame(
        pd.DataFrame(
            {"corporatie": ["A", "B", "C"], "aantal": [2000, 1500, 1200], "tijdelijk": [900] * 3}
        ),
        peildatum="2022-01-01",
    )
    plans = plans_from_frame(
        pd.DataFrame(
            [(c, y, m, n, z, "ja" if t else "nee") for c, y, m, n, z, t in rows],
            columns=["corporatie", "jaar", "mutatie", "aantal", "zekerheid", "tijdelijk"],
        )
    )
    out = project(start, plans, config=PrognosisConfig(scenario=scenario, eindjaar=2026))
    muts = out[list(MUTATION_TYPES)]
    assert (out[list(ADDITIONS)] >= 0).all().all()
    assert (out[list(REMOVALS)] <= 0).all().all()
    assert (out["eindstand"] == out["beginstand"] + muts.sum(axis=1)).all()
    for _, g in out.groupby("corporatie"):
        assert g["jaar"].tolist() == list(range(2022, 2027))
        assert (g["beginstand"].iloc[1:].to_numpy() == g["eindstand"].iloc[:-1].to_numpy()).all()
        assert (
            g["tijdelijk_beginstand"].iloc[1:].to_numpy()
            == g["tijdelijk_eindstand"].iloc[:-1].to_numpy()
        ).all()
    assert out.groupby("corporatie")["beginstand"].first().to_dict() == {
        "A": 2000,
        "B": 1500,
        "C": 1200,
    }
    # totals are the sum of the corporations
    total = aggregate(out, by=()).set_index("jaar")
    summed = out.groupby("jaar")[[*MUTATION_TYPES, "beginstand", "eindstand"]].sum()
    pd.testing.assert_frame_equal(total[summed.columns], summed, check_dtype=False)
    table = summary_table(out)
    corp_cols = [c for c in table.columns if c != "Totaal"]
    assert (table[corp_cols].sum(axis=1) == table["Totaal"]).all()
    growth = table.loc["Permanente netto groei inclusief sloop", "Totaal"]
    assert growth == total["eindstand"].iloc[-1] - total["beginstand"].iloc[0]
    # nothing lost: the permanent mutations equal the selected plan rows
    sel = plans[
        plans["zekerheid"].isin(
            {"hard": ["hard"], "zacht": ["hard", "zacht"], "alles": ["hard", "zacht", "ambitie"]}[
                scenario
            ]
        )
    ]
    perm = sel[~sel["tijdelijk"]]
    # an empty selection sums to 0 (not to the '' of an empty string column)
    assert int(muts.to_numpy(dtype="int64").sum()) == int(signed_counts(perm).sum())


@pytest.mark.parametrize("by_buurt", [True, False])
def test_start_stock_from_stock_categorical_corporation(by_buurt: bool) -> None:
    # read_stock gives corporatie as a categorical: the same counts, order and dtypes
    stock = pd.DataFrame(
        {
            "vhe_id": ["1", "2", "3", "4", "5"],
            "corporatie": ["B", "A", "B", "A", "C"],
            "buurtcode": ["BU00000002", None, "BU00000001", "BU00000002", "BU00000001"],
        }
    )
    text = start_stock_from_stock(stock, peildatum="2023-01-01", by_buurt=by_buurt)
    coded = stock.assign(corporatie=stock["corporatie"].astype("category"))
    got = start_stock_from_stock(coded, peildatum="2023-01-01", by_buurt=by_buurt)
    pd.testing.assert_frame_equal(got, text)
    assert got["corporatie"].dtype == "string"
