"""read_heat_plans: the real PBL Startanalyse, periods, strategies, polygons."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from geoprestatie.datasets import STARTANALYSE_CSV, data_path
from geoprestatie.errors import DataWarning, InputError
from geoprestatie.join import join_sources
from geoprestatie.sources import read_heat_plans


def test_real_pbl_startanalyse_terneuzen() -> None:
    h = read_heat_plans(data_path(STARTANALYSE_CSV))
    assert len(h) == 30 and h.attrs["rijen_gelezen"] == 30 and h.attrs["afgewezen"] == []
    assert (h["niveau"] == "wijk").all()
    row = h.loc[h["code"] == "WK071501"].iloc[0]
    assert row["strategie"] == "hybride"
    assert row["strategie_bron"] == "Hybride warmtepomp met duurzaam gas en label D"
    assert h["startjaar"].isna().all()  # PBL gives no start year
    assert "pbl_woningen" in h  # extra columns kept


def test_periods_and_strategies(tmp_path: Path) -> None:
    path = tmp_path / "tvw.csv"
    path.write_text(
        "code;periode;strategie\nWK030701;2025-2030;Warmtenet\nBU03070100;2030;all electric\n"
        "WK030702;ooit;hybride\nWK030703;2035;zonnepanelen\nWK030701;2040;hybride\n"
        "GM0307;2030;warmtenet\n"
    )
    with pytest.warns(DataWarning):
        h = read_heat_plans(path)
    assert h[["code", "niveau", "startjaar", "strategie"]].values.tolist() == [
        ["WK030701", "wijk", 2025, "warmtenet"],
        ["BU03070100", "buurt", 2030, "all-electric"],
    ]
    assert sorted((r["bron_rij"], r["reden"], r["kolom"]) for r in h.attrs["afgewezen"]) == [
        (4, "ongeldige_waarde", "startjaar"),
        (5, "ongeldige_waarde", "strategie"),
        (6, "dubbele_code", "code"),
        (7, "ongeldige_waarde", "code"),
    ]


def test_polygons_largest_overlap_and_split(tmp_path: Path, grid_buurten: gpd.GeoDataFrame) -> None:
    # plan A covers the west 1.7 km, plan B the rest; plan C lies far away
    plans = gpd.GeoDataFrame(
        {"startjaar": ["2030", "2035", "2040"], "strategie": ["warmtenet", "hybride", "hybride"]},
        geometry=[
            box(150_000, 447_000, 151_700, 451_000),
            box(151_700, 447_000, 153_000, 451_000),
            box(200_000, 400_000, 201_000, 401_000),
        ],
        crs=28992,
    )
    path = tmp_path / "plannen.gpkg"
    plans.to_file(path)
    with pytest.warns(DataWarning) as caught:
        h = read_heat_plans(path, buurten=grid_buurten)
    messages = " ".join(str(w.message) for w in caught)
    assert (
        "3 buurt(en) verdeeld over meer planvlakken" in messages
        and "1 rij(en) apart gezet" in messages
    )
    got = dict(zip(h["code"], h["startjaar"], strict=True))
    # column 0 fully in A; column 1 70 % A / 30 % B (split); column 2 fully in B
    assert got == {
        "BU99990000": 2030, "BU99990001": 2030, "BU99990002": 2035,
        "BU99990003": 2030, "BU99990004": 2030, "BU99990005": 2035,
        "BU99990006": 2030, "BU99990007": 2030, "BU99990008": 2035,
    }  # fmt: skip
    assert h.loc[h["gesplitst"], "code"].tolist() == ["BU99990001", "BU99990004", "BU99990007"]
    assert [(r["bron_rij"], r["reden"]) for r in h.attrs["afgewezen"]] == [(3, "geen_overlap")]
    res = join_sources(grid_buurten, heat=h)
    assert res.report.sources[0].niet_gekoppeld == {"geen_overlap": 1}
    assert (res.report.sources[0].gelezen, res.report.sources[0].gekoppeld) == (3, 2)
    assert "Let op: warmte: 3 buurt(en) verdeeld over meer planvlakken" in str(res.report)


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "tvw.csv"
    path.write_text("code;opmerking\nWK030701;x\n")
    with pytest.raises(InputError) as exc:
        read_heat_plans(path)
    assert str(exc.value) == (
        f"{path}: geen kolommen voor een plan; verwacht ['code'] en een plan: startjaar of "
        "strategie (andere namen: geoprestatie.sources.aliases.HEAT_ALIASES; code is een "
        "buurtcode of wijkcode); gevonden ['code', 'opmerking']"
    )
    path.write_text("startjaar\n2030\n")
    with pytest.raises(
        InputError,
        match=r"^.*tvw\.csv: verplichte kolom\(men\) ontbreken: \['code'\] "
        r"\[toegestane namen: code \(of buurtcode, wijkcode",
    ):
        read_heat_plans(path)


def _pbl_strategie_csv(path: Path, codes: list[str]) -> Path:
    """A PBL Startanalyse 2025 ``<gemeente>_strategie.csv`` (long: one row per indicator)."""
    head = (
        "I01_buurtcode;I02_buurtnaam;I03_wijkcode;I04_wijknaam;I05_gemeentecode;"
        "I06_gemeentenaam;I09_aantal_woningen;I11_woningequivalenten;Code_Indicator;"
        "Laagste_Nationale_Kosten;Strategie_1;Strategie_2;Strategie_3;Strategie_4"
    )
    rows = []
    for i, code in enumerate(codes):
        pre = f"{code};Buurt {i};WK{code[2:8]};Wijk;GM0715;Terneuzen;{100 + i};{120 + i}"
        strat = ("s2d", "s4b", "s1a")[i % 3]
        rows += [
            f"{pre};V01_Strategievariant;{strat};s1a;s2a;s3a;s4a",
            f"{pre};H16_Nat_meerkost;{i + 1}.500;1;2;3;4",
            f"{pre};H17_Nat_meerkost_CO2;{400 + i};1;2;3;4",
            f"{pre};H18_Nat_meerkost_WEQ;{900 + 10 * i},5;1;2;3;4",
            f"{pre};H01_Gebouwgebonden;0;1;2;3;4",
        ]
    path.write_text(head + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_pbl_startanalyse_per_buurt_as_downloaded(tmp_path: Path) -> None:
    from geoprestatie import datasets
    from geoprestatie.join import join_sources

    buurten = datasets.load_buurten("Terneuzen")
    codes = buurten["buurtcode"].head(3).tolist()
    plans = read_heat_plans(_pbl_strategie_csv(tmp_path / "Terneuzen_strategie.csv", codes))
    assert plans["code"].tolist() == codes
    assert plans["strategie"].tolist() == ["warmtenet", "hybride", "all-electric"]
    assert plans["pbl_strategie_code"].tolist() == ["s2d", "s4b", "s1a"]
    assert plans["pbl_nationale_meerkosten_eur_jaar"].tolist() == [1500.0, 2500.0, 3500.0]
    assert plans["pbl_nationale_meerkosten_eur_weq_jaar"].tolist() == [900.5, 910.5, 920.5]
    assert plans.attrs["rijen_gelezen"] == 3  # a record is a buurt, not an indicator row
    res = join_sources(buurten, heat=plans)
    res.report.check()
    t = res.table.set_index("buurtcode")
    assert t.loc[codes[1], "warmte_strategie"] == "hybride"
    assert t.loc[codes[2], "pbl_nationale_meerkosten_eur_ton_co2"] == 402.0
    assert t["pbl_nationale_meerkosten_eur_jaar"].notna().sum() == 3
