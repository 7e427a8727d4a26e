"""join_sources: indicators worked out by hand, the accounting, and the demo data."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from geoprestatie import datasets
from geoprestatie.errors import ConfigError, DataWarning, InputError
from geoprestatie.join import JoinConfig, assign_buurten, build_buurt_table, join_sources
from geoprestatie.sources import read_heat_plans, read_liveability, read_sales, read_stock

# grid_buurten: 3 x 3 buurten of 1 km, x 150000-153000, y 448000-451000, row-major from NW


def _stock(
    rows: list[tuple[str, str, float | None, float | None, str | None, int, float]],
) -> gpd.GeoDataFrame:
    df = pd.DataFrame(
        rows, columns=["vhe_id", "corporatie", "x", "y", "energielabel", "bouwjaar", "huurprijs"]
    )
    geom = [None if x is None else Point(x, y) for x, y in zip(df["x"], df["y"], strict=True)]
    out = gpd.GeoDataFrame(df.drop(columns=["x", "y"]), geometry=geom, crs=28992)
    out["bouwjaar"] = out["bouwjaar"].astype("Int64")
    out["bron_rij"] = np.arange(2, len(out) + 2)
    return out


def test_indicators_by_hand(grid_buurten: gpd.GeoDataFrame) -> None:
    stock = _stock(
        [
            ("1", "de Alliantie", 150_500, 450_500, "A", 2005, 400.0),  # buurt 0, goedkoop
            ("2", "de Alliantie", 150_600, 450_500, "F", 1965, 650.0),  # buurt 0, betaalbaar_laag
            ("3", "Portaal", 150_700, 450_500, None, 1970, 800.0),  # buurt 0, duur (2024)
            ("4", "Portaal", 151_500, 450_500, "G", 1950, 1000.0),  # buurt 1, vrije sector
            ("5", "Portaal", 153_020, 450_500, "C", 1990, float("nan")),  # 20 m E of buurt 2
            ("6", "Portaal", 160_000, 450_500, "C", 1990, 500.0),  # far outside
        ]
    )
    res = join_sources(grid_buurten, stock=stock)
    t = res.table.set_index("buurtcode")
    assert t.loc["BU99990000", "woningen_de_alliantie"] == 2
    assert t.loc["BU99990000", "woningen_portaal"] == 1
    assert t.loc["BU99990000", "woningen_corporaties"] == 3
    assert t.loc["BU99990000", "n_corporaties"] == 2
    assert t.loc["BU99990000", "aandeel_efg"] == pytest.approx(1 / 2)  # F of {A, F}
    assert t.loc["BU99990000", "bouwjaar_mediaan"] == 1970
    assert t.loc["BU99990000", ["huur_goedkoop", "huur_betaalbaar_laag", "huur_duur"]].tolist() == [
        1,
        1,
        1,
    ]
    assert t.loc["BU99990001", "huur_vrije_sector"] == 1
    assert t.loc["BU99990002", "huur_onbekend"] == 1
    assert np.isnan(t.loc["BU99990004", "aandeel_efg"])
    assert t["woningen_corporaties"].sum() == 5
    assert res.stock is not None
    assert res.stock["koppeling"].astype(str).tolist() == ["binnen"] * 4 + ["dichtstbij"]
    [count] = res.report.sources
    assert (count.gelezen, count.gekoppeld, count.dichtstbij) == (6, 5, 1)
    assert count.niet_gekoppeld == {"buiten_buurten": 1}
    nj = res.report.not_joined
    assert nj[["bron", "bron_rij", "reden"]].values.tolist() == [["voorraad", 7, "buiten_buurten"]]
    assert "160000.0, 450500.0" in nj["waarde"].iloc[0]


def test_dwellings_not_placed_add_no_corporation_column(grid_buurten: gpd.GeoDataFrame) -> None:
    """The indicators read the stock as it is with a mask of the placed dwellings: a
    corporation (or a missing one) found only among the others adds no column and no
    error, as when they were computed on a copy of the placed rows."""
    stock = _stock(
        [
            ("1", "Portaal", 150_500, 450_500, "A", 2005, 400.0),
            ("2", "de Alliantie", 160_000, 450_500, "F", 1965, 650.0),  # far outside
            ("3", None, 150_500, 450_500, "G", 1950, 1000.0),  # no corporation ...
            ("4", "Portaal", 151_500, 450_500, "G", 1950, 1000.0),
        ]
    )
    stock.loc[2, "geometry"] = None  # ... and no location
    res = join_sources(grid_buurten, stock=stock, config=JoinConfig(corporatie_kolommen=1))
    t = res.table
    assert [c for c in t.columns if str(c).startswith("woningen_")] == [
        "woningen_portaal",
        "woningen_corporaties",
    ]
    assert t["n_corporaties"].max() == 1
    assert t["woningen_corporaties"].sum() == 2


def test_tolerance_is_configurable(grid_buurten: gpd.GeoDataFrame) -> None:
    stock = _stock([("5", "Portaal", 153_020, 450_500, "C", 1990, 500.0)])
    res = join_sources(grid_buurten, stock=stock, config=JoinConfig(tolerance_m=10))
    assert res.report.sources[0].niet_gekoppeld == {"buiten_buurten": 1}


def test_border_point_goes_to_one_buurt(grid_buurten: gpd.GeoDataFrame) -> None:
    pos, how = assign_buurten(np.array([Point(151_000, 450_500)]), grid_buurten)
    assert pos.tolist() == [0] and how.tolist() == [0]


def test_sales_heat_liveability(grid_buurten: gpd.GeoDataFrame, tmp_path: Path) -> None:
    stock = _stock(
        [
            ("1", "Portaal", 150_500, 450_500, "A", 2005, 400.0),
            ("2", "Portaal", 150_600, 450_500, "A", 2005, 400.0),
            ("3", "Portaal", 151_500, 450_500, "A", 2005, 400.0),
        ]
    )
    sales_csv = tmp_path / "verkoop.csv"
    sales_csv.write_text(
        "vhe_id;x;y;jaar;status\n1;;;2026;voorgenomen\n3;;;2023;gerealiseerd\n"
        "99;;;2026;voorgenomen\n;152500;450500;2027;voorgenomen\n"
    )
    heat_csv = tmp_path / "warmte.csv"
    heat_csv.write_text(
        "code;startjaar;strategie\nWK999900;2030;warmtenet\nBU99990001;2026;all-electric\n"
        "WK999901;2040;hybride\nWK123456;2030;hybride\n"
    )
    live = pd.DataFrame(
        {"buurtcode": ["BU99990000", "BU12345678"], "leefbaarometer_score": [4.1, 3.9],
         "leefbaarometer_klasse": [7, 6], "woningvoorraad": [10, 5]}
    )  # fmt: skip
    res = join_sources(
        grid_buurten,
        stock=stock,
        sales=read_sales(sales_csv),
        liveability=live,
        heat=read_heat_plans(heat_csv),
    )
    t = res.table.set_index("buurtcode")
    assert t["verkoop_gepland"].tolist() == [1, 0, 1, 0, 0, 0, 0, 0, 0]
    assert t.loc["BU99990000", "verkoop_aandeel"] == 0.5
    assert np.isnan(t.loc["BU99990002", "verkoop_aandeel"])  # own location, no stock there
    assert t["warmte_startjaar"].tolist()[:6] == [2030, 2026, 2030, 2040, 2040, 2040]
    assert t["warmte_strategie"].tolist()[:3] == ["warmtenet", "all-electric", "warmtenet"]
    assert pd.isna(t.loc["BU99990006", "warmte_startjaar"])
    assert t.loc["BU99990000", "leefbaarometer_score"] == 4.1
    assert t.loc["BU99990000", "leefbaarometer_klasse"] == 7
    assert t.loc["BU99990000", "aandeel_corporatie"] == pytest.approx(2 / 10)
    by = {s.bron: s for s in res.report.sources}
    assert by["verkoop"].niet_gekoppeld == {"onbekend_vhe_id": 1}
    assert by["warmte"].niet_gekoppeld == {"onbekende_wijkcode": 1}
    assert by["leefbaarometer"].niet_gekoppeld == {"onbekende_buurtcode": 1}
    assert res.sales is not None and res.sales["koppeling"].astype(str).tolist() == [
        "vhe_id", "vhe_id", "binnen"
    ]  # fmt: skip
    text = str(res.report)
    assert "onbekend vhe_id [vhe_id]: 1  rij 4" in text
    assert "Koppelverantwoording (tolerantie 50 m)" in text and "Niet gekoppeld, per reden:" in text
    assert " / " not in text and "unknown" not in text and "row" not in text


def test_buurtcode_only_and_unknown_code(grid_buurten: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("vhe_id;corporatie;buurtcode\n1;Portaal;BU99990004\n2;Portaal;BU99998888\n")
    res = join_sources(grid_buurten, stock=read_stock(path))
    assert res.table.set_index("buurtcode").loc["BU99990004", "woningen_portaal"] == 1
    assert res.report.sources[0].niet_gekoppeld == {"onbekende_buurtcode": 1}
    assert res.stock is not None and res.stock["koppeling"].astype(str).tolist() == ["buurtcode"]


def test_no_sources_keeps_buurten(grid_buurten: gpd.GeoDataFrame) -> None:
    t = build_buurt_table(grid_buurten)
    assert t["buurtcode"].tolist() == grid_buurten["buurtcode"].tolist()
    assert t["woningen_corporaties"].isna().all()
    assert t.crs.to_epsg() == 28992


def test_inputs_not_mutated(grid_buurten: gpd.GeoDataFrame) -> None:
    stock = _stock([("1", "Portaal", 150_500, 450_500, "A", 2005, 400.0)])
    before_b, before_s = grid_buurten.copy(), stock.copy()
    join_sources(grid_buurten, stock=stock)
    pd.testing.assert_frame_equal(grid_buurten, before_b)
    pd.testing.assert_frame_equal(stock, before_s)


def test_duplicate_buurtcode_is_an_error(grid_buurten: gpd.GeoDataFrame) -> None:
    b = pd.concat([grid_buurten, grid_buurten.head(1)])
    with pytest.raises(InputError, match="elke buurtcode mag maar één keer voorkomen"):
        join_sources(b)


_LIMIT_NAMES = (
    "kwaliteitskortingsgrens",
    "aftoppingsgrens_laag",
    "aftoppingsgrens_hoog",
    "liberalisatiegrens",
)


def test_config_from_dict() -> None:
    cfg = JoinConfig.from_dict(
        {"tolerance_m": 0, "huur_jaar": 2030,
         "huurgrenzen": {"2030": {"kwaliteitskortingsgrens": 500, "aftoppingsgrens_laag": 700,
                                  "aftoppingsgrens_hoog": 750, "liberalisatiegrens": 950}}}
    )  # fmt: skip
    assert cfg.huurgrenzen is not None and cfg.huurgrenzen[2030].liberalisatiegrens == 950
    with pytest.raises(ConfigError, match=r"onbekende sleutel\(s\) \['tolerantie'\].*geldig zijn"):
        JoinConfig.from_dict({"tolerantie": 5})
    with pytest.raises(ConfigError, match="bekende jaren zijn"):
        JoinConfig(huur_jaar=1990)
    with pytest.raises(ConfigError, match="tolerance_m is -1 maar moet >= 0 meter zijn"):
        JoinConfig(tolerance_m=-1)


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"volgend": {}}, "volgend: de sleutel moet een jaartal zijn"),
        ({"2030": {"liberalisatiegrens": 950}}, "2030: verwacht precies de sleutels"),
        (
            {"2030": dict.fromkeys(_LIMIT_NAMES, "veel")},
            "2030: de grenzen moeten bedragen in euro zijn",
        ),
    ],
)
def test_bad_rent_limits_are_one_dutch_line(limits: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=rf"^\[koppeling\.huurgrenzen\] {message}"):
        JoinConfig.from_dict({"huurgrenzen": limits})


_row = st.fixed_dictionaries(
    {
        "x": st.one_of(st.none(), st.floats(149_000, 154_000), st.just("5,3")),
        "y": st.one_of(st.none(), st.floats(447_000, 452_000)),
        "label": st.sampled_from(["A", "b", "H", "", "G"]),
        "id": st.integers(0, 15),
        "code": st.sampled_from(["", "BU99990003", "BU00000000", "BUxx"]),
    }
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_row, min_size=1, max_size=25))
def test_read_equals_joined_plus_not_joined(
    rows: list[dict[str, object]],
    grid_buurten: gpd.GeoDataFrame,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    lines = ["vhe_id;corporatie;x;y;energielabel;buurtcode"]
    for r in rows:
        x = "" if r["x"] is None else str(r["x"]).replace(".", ",")
        y = "" if r["y"] is None else str(r["y"])
        lines.append(f"{r['id']};Portaal;{x};{y};{r['label']};{r['code']}")
    path = tmp_path_factory.mktemp("h") / "v.csv"
    path.write_text("\n".join(lines) + "\n", encoding="cp1252")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # set-aside rows are the point here
        try:
            stock = read_stock(path)
        except InputError:
            return  # every given x/y looked like degrees: refused as a whole, nothing lost
        res = join_sources(grid_buurten, stock=stock)
    [count] = res.report.sources
    assert count.gelezen == len(rows)
    assert count.gelezen == count.gekoppeld + count.niet_gekoppeld_totaal
    assert res.stock is not None and count.gekoppeld == len(res.stock)
    assert res.table["woningen_corporaties"].sum() == count.gekoppeld
    listed = set(res.report.not_joined["bron_rij"]) | set(res.stock["bron_rij"])
    assert listed == set(range(2, len(rows) + 2))  # every row, once
    assert len(res.report.not_joined) + len(res.stock) == len(rows)


def test_demo_data_one_row_per_buurt_and_accounting() -> None:
    buurten = datasets.load_buurten("Amersfoort")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the demo has deliberate flaws
        stock = read_stock(datasets.data_path("demo/voorraad_synthetisch.csv"))
        sales = read_sales(datasets.data_path("demo/verkoop_synthetisch.csv"))
    # the synthetic grid has no data where the real buurt has no score: named by the reader
    with pytest.warns(DataWarning, match="3 van 145 buurten zonder rastercel met gegevens"):
        live = read_liveability(
            datasets.data_path("demo/leefbaarometer_grid_synthetisch.tif"), buurten=buurten
        )
    heat = read_heat_plans(datasets.data_path("demo/warmte_synthetisch.csv"))
    res = join_sources(
        buurten, stock=stock, sales=sales, liveability=live, heat=heat,
        indicators=datasets.load_indicators("Amersfoort"),
    )  # fmt: skip
    t = res.table
    assert len(t) == len(buurten) == 145 and t["buurtcode"].is_unique
    res.report.check()
    frame = res.report.to_frame().set_index("bron")
    assert (frame["gelezen"] == frame["gekoppeld"] + frame["niet_gekoppeld"]).all()
    assert frame.loc["voorraad", "gelezen"] == 17_712
    # the generator's deliberate flaws, one by one
    assert frame.loc["voorraad", "waarvan_dichtstbij"] == 3
    assert frame.loc["voorraad", "buiten_buurten"] == 2
    assert frame.loc["voorraad", "dubbel_vhe_id"] == 1
    assert t["woningen_corporaties"].sum() == frame.loc["voorraad", "gekoppeld"]
    assert {"woningen_de_alliantie", "woningen_portaal", "woningen_omnia_wonen"} <= set(t.columns)
    assert t["aandeel_corporatie"].dropna().between(0, 0.61).all()  # 0.6 of rented, by design
    assert t["warmte_startjaar"].notna().any() and t["leefbaarometer_dekking"].max() == 1.0


def test_coordinates_win_over_a_conflicting_buurtcode(grid_buurten: gpd.GeoDataFrame) -> None:
    stock = _stock([("1", "Portaal", 150_500, 450_500, "A", 2005, 400.0)])
    stock["buurtcode"] = "BU99990008"  # the point lies in BU99990000
    res = join_sources(grid_buurten, stock=stock)
    assert res.stock is not None and res.stock["buurtcode"].tolist() == ["BU99990000"]
    assert any("andere buurtcode dan de buurt" in note for note in res.report.notes)
    assert "Let op: voorraad: 1 woning(en) hadden een andere buurtcode" in str(res.report)


_sale = st.fixed_dictionaries(
    {
        "vhe": st.sampled_from(["", "1", "2", "3", "99"]),
        "x": st.one_of(st.none(), st.floats(149_000, 154_000)),
        "jaar": st.sampled_from(["2026", "20x6", ""]),
        "status": st.sampled_from(["voorgenomen", "verkocht", "misschien"]),
    }
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_sale, min_size=1, max_size=15))
def test_sales_read_equals_joined_plus_not_joined(
    rows: list[dict[str, object]],
    grid_buurten: gpd.GeoDataFrame,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    stock = _stock(
        [("1", "Portaal", 150_500, 450_500, "A", 2005, 400.0),
         ("2", "Portaal", 151_500, 450_500, "A", 2005, 400.0)]
    )  # fmt: skip
    lines = ["vhe_id;x;y;jaar;status"]
    for r in rows:
        x = "" if r["x"] is None else str(r["x"])
        y = "" if r["x"] is None else "450500"
        lines.append(f"{r['vhe']};{x};{y};{r['jaar']};{r['status']}")
    path = tmp_path_factory.mktemp("s") / "verkoop.csv"
    path.write_text("\n".join(lines) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        res = join_sources(grid_buurten, stock=stock, sales=read_sales(path))
    count = {s.bron: s for s in res.report.sources}["verkoop"]
    assert count.gelezen == len(rows) == count.gekoppeld + count.niet_gekoppeld_totaal
    assert res.sales is not None and len(res.sales) == count.gekoppeld
    nj = res.report.not_joined
    rows_seen = sorted([*nj.loc[nj["bron"] == "verkoop", "bron_rij"], *res.sales["bron_rij"]])
    assert rows_seen == list(range(2, len(rows) + 2))


def test_real_pbl_wijken_apply_to_all_their_buurten() -> None:
    from geoprestatie.datasets import STARTANALYSE_CSV

    buurten = datasets.load_buurten("Terneuzen")
    res = join_sources(buurten, heat=read_heat_plans(datasets.data_path(STARTANALYSE_CSV)))
    [count] = res.report.sources
    assert (count.gelezen, count.gekoppeld) == (30, 30)
    t = res.table
    assert t["warmte_strategie"].notna().all()
    # every buurt carries the strategy of its own wijk
    pbl = read_heat_plans(datasets.data_path(STARTANALYSE_CSV)).set_index("code")["strategie"]
    assert (t["warmte_strategie"] == pbl.reindex(t["wijkcode"]).to_numpy()).all()
    assert t.groupby("wijkcode").size().max() > 1  # wijken with several buurten exist


def test_aandeel_corporatie_from_cbs_map_column(grid_buurten: gpd.GeoDataFrame) -> None:
    b = grid_buurten.assign(WONINGVOORRAAD=[4, 0, 10, 10, 10, 10, 10, 10, 10])
    stock = _stock([("1", "Portaal", 150_500, 450_500, "A", 2005, 400.0)])
    t = join_sources(b, stock=stock).table
    assert t["aandeel_corporatie"].iloc[0] == 0.25
    assert np.isnan(t["aandeel_corporatie"].iloc[1])  # no dwellings: no share
    assert t["aandeel_corporatie"].iloc[2] == 0.0


def test_sales_link_to_the_dwelling_of_their_corporation(
    grid_buurten: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    stock_csv = tmp_path / "v.csv"
    stock_csv.write_text(
        "vhe_id;corporatie;buurtcode\n1001;Portaal;BU99990000\n1001;de Alliantie;BU99990004\n"
        "7;Portaal;BU99990008\n2002;Portaal;BU99990000\n2002;de Alliantie;BU99990004\n"
    )
    sales_csv = tmp_path / "s.csv"
    sales_csv.write_text(
        "vhe_id;corporatie;jaar;status;buurtcode\n"
        "1001;de Alliantie;2026;gepland;\n"  # de Alliantie's 1001: buurt 4
        "1001;;2026;gepland;\n"  # 1001 of whom? ambiguous, reported
        "2002;;2026;gepland;BU99990002\n"  # ambiguous but with its own location
        "7;;2026;gepland;\n"  # only Portaal has a 7
        "8;;2026;gepland;\n"  # unknown
    )
    res = join_sources(grid_buurten, stock=read_stock(stock_csv), sales=read_sales(sales_csv))
    assert res.sales is not None
    assert res.sales["buurtcode"].tolist() == ["BU99990004", "BU99990002", "BU99990008"]
    assert res.sales["bron_rij"].tolist() == [2, 4, 5]
    by = {s.bron: s for s in res.report.sources}
    assert by["verkoop"].niet_gekoppeld == {"dubbelzinnig_vhe_id": 1, "onbekend_vhe_id": 1}
    nj = res.report.not_joined
    assert nj.loc[nj["reden"] == "dubbelzinnig_vhe_id", "bron_rij"].tolist() == [3]


def test_sales_link_only_to_placed_dwellings(
    grid_buurten: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    """A dwelling that is not placed (unknown buurtcode) is not in the joined stock: a sale
    cannot link to it, and it makes no vhe_id ambiguous (the link runs on the stock before
    the copy of the placed rows: it must answer as if on that copy)."""
    stock_csv = tmp_path / "v.csv"
    stock_csv.write_text(
        "vhe_id;corporatie;buurtcode\n1001;Portaal;BU99990000\n1001;de Alliantie;BU00000000\n"
        "7;Portaal;BU00000000\n5;Portaal;BU99990007\n"
    )
    sales_csv = tmp_path / "s.csv"
    sales_csv.write_text(
        "vhe_id;corporatie;jaar;status;buurtcode\n"
        "1001;;2026;gepland;\n"  # only Portaal's 1001 is placed: not ambiguous
        "7;;2026;gepland;\n"  # its dwelling is not placed: unknown
        "1001;de Alliantie;2026;gepland;\n"  # not placed: unknown
        "5;;2026;gepland;\n"  # the last dwelling of the joined stock
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        res = join_sources(grid_buurten, stock=read_stock(stock_csv), sales=read_sales(sales_csv))
    assert res.stock is not None and res.sales is not None
    assert res.stock["vhe_id"].tolist() == ["1001", "5"]
    assert res.sales["buurtcode"].tolist() == ["BU99990000", "BU99990007"]
    assert res.sales["voorraad_positie"].tolist() == [0, 1]
    by = {s.bron: s for s in res.report.sources}
    assert by["verkoop"].niet_gekoppeld == {"onbekend_vhe_id": 2}


def test_a_source_with_every_record_set_aside_is_missing_data(grid_buurten) -> None:  # type: ignore[no-untyped-def]
    import warnings

    from geoprestatie import agreements
    from geoprestatie.errors import DataWarning as _DW

    stock = pd.DataFrame(
        {
            "vhe_id": ["1"],
            "corporatie": ["A"],
            "buurtcode": ["BU99990000"],
            "energielabel": pd.Categorical(["G"]),
        }
    )
    sales = pd.DataFrame({"vhe_id": ["zz"], "jaar": [2023], "status": ["gerealiseerd"]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", _DW)
        joined = join_sources(grid_buurten, stock=stock, sales=sales)
    assert joined.sales is not None and len(joined.sales) == 0
    assert joined.usable("verkoop") is None and joined.usable("voorraad") is not None
    rule = agreements.agreement_from_dict(
        {
            "id": "V1",
            "tekst": "geen verkoop F/G",
            "partij": "A",
            "soort": "verbod",
            "dataset": "verkoop",
            "verboden_als": [{"kolom": "energielabel", "op": "in", "waarde": ["F", "G"]}],
        }
    )
    result = agreements.monitor(
        [rule], stock=joined.usable("voorraad"), sales=joined.usable("verkoop")
    )
    assert result.table["status"].tolist() == ["onbekend"]  # never green on zero records


def test_threaded_point_query_equals_one_query(monkeypatch: pytest.MonkeyPatch) -> None:
    """Splitting the point-in-polygon query over threads changes nothing in the result."""
    from geoprestatie import datasets, join

    buurten = datasets.load_buurten("Amersfoort")
    rng = np.random.default_rng(5)
    minx, miny, maxx, maxy = buurten.total_bounds
    xy = rng.uniform((minx, miny), (maxx, maxy), size=(3001, 2))
    # and corners of buurten: on borders shared by two or more buurten
    corners = shapely.get_coordinates(buurten.boundary.to_numpy())[::7]
    points = shapely.points(np.vstack([xy, corners]))
    points[[7, 8]] = [None, shapely.Point()]  # no location: never placed
    one = join.assign_buurten(points, buurten, tolerance_m=50)
    inp, tr = buurten.sindex.query(points, predicate="intersects")
    lowest = pd.Series(tr).groupby(inp).min()  # on a border: the first buurt in order
    assert (pd.Series(inp).value_counts() > 1).sum() > 50  # many points on shared borders
    np.testing.assert_array_equal(one[0][lowest.index.to_numpy()], lowest.to_numpy())
    monkeypatch.setattr(join, "_THREADED_MIN", 10)
    monkeypatch.setattr(join, "_CHUNK", 97)  # many tasks, cut at buurt boundaries
    monkeypatch.setattr(join.os, "cpu_count", lambda: 3)
    split = join.assign_buurten(points, buurten, tolerance_m=50)
    np.testing.assert_array_equal(one[0], split[0])
    np.testing.assert_array_equal(one[1], split[1])
    assert not shapely.is_prepared(buurten.geometry.to_numpy()).any()  # left as they came
    assert (one[1] == 0).sum() > 1000  # the test places many points inside
    assert one[0][7] == one[0][8] == -1


def test_placement_of_other_geometries_than_points() -> None:
    """Lines and polygons among the points take the plain query: the same lowest buurt as
    ``sindex.query(predicate="intersects")``; the points keep theirs."""
    from geoprestatie import datasets, join

    buurten = datasets.load_buurten("Amersfoort")
    inner = buurten.geometry.to_numpy()
    centres = shapely.point_on_surface(inner[:40])
    lines = shapely.shortest_line(centres[:20], centres[20:40])  # across several buurten
    corners = shapely.points(shapely.get_coordinates(buurten.boundary.to_numpy())[::11])
    geoms = np.concatenate([centres, lines, shapely.buffer(centres[:5], 1.0), corners])
    pos, how = join.assign_buurten(geoms, buurten, tolerance_m=0)
    inp, tr = buurten.sindex.query(geoms, predicate="intersects")
    lowest = pd.Series(tr).groupby(inp).min()
    np.testing.assert_array_equal(pos[lowest.index.to_numpy()], lowest.to_numpy())
    assert (how[lowest.index.to_numpy()] == 0).all()
    assert len(lowest) == len(geoms)


def test_invalid_buurt_polygons_place_points_as_their_repaired_shape() -> None:
    """A bowtie, a multipolygon whose parts overlap, a hole reaching outside its shell
    (invalid): points are placed as in the polygons ``make_valid`` makes of them (the
    envelope query missed the part outside the shell: review, session 6)."""
    polys = [
        shapely.from_wkt("POLYGON((0 0, 10 10, 10 0, 0 10, 0 0))"),
        shapely.from_wkt(
            "MULTIPOLYGON(((20 0,30 0,30 10,20 10,20 0)),((25 5,35 5,35 15,25 15,25 5)))"
        ),
        # a hole reaching outside its shell: the polygon's envelope is the shell's
        shapely.from_wkt("POLYGON((40 0,50 0,50 10,40 10,40 0),(37 2,45 2,45 8,37 8,37 2))"),
    ]
    b = gpd.GeoDataFrame({"buurtcode": ["B0", "B1", "B2"]}, geometry=polys, crs=28992)
    rng = np.random.default_rng(0)
    n = 60_000
    pts = shapely.points(
        np.round(rng.uniform(-2, 52, n) * 4) / 4, np.round(rng.uniform(-2, 17, n) * 4) / 4
    )
    got = assign_buurten(pts, b, tolerance_m=0.0)[0]
    tree = shapely.STRtree(shapely.make_valid(np.asarray(polys)))
    i, t = tree.query(pts, predicate="intersects")
    expected = np.full(n, n, dtype=np.int64)
    np.minimum.at(expected, i, t)
    expected[expected == n] = -1
    assert (got == expected).all()
    # the bowtie's triangles are left and right; make_valid leaves the overlap of the parts out
    some = assign_buurten(
        shapely.points([2.0, 5.0, 22.0, 27.5], [5.0, 2.0, 2.0, 7.5]), b, tolerance_m=0
    )
    assert some[0].tolist() == [0, -1, 1, -1]
