"""read_kerncijfers and read_buurten on every generation of the CBS files (tests/cbs_fixtures)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cbs_fixtures import GENERATIONS, N_SMALL, figures, kwb_csv_2023

from geoprestatie import datasets, sia
from geoprestatie.errors import DataWarning, InputError
from geoprestatie.join import join_sources
from geoprestatie.sources import read_buurten, read_kerncijfers
from geoprestatie.sources.indicators import INDICATORS, header_key


@pytest.mark.parametrize("name", list(GENERATIONS))
def test_every_generation_gives_the_canonical_indicators(tmp_path: Path, name: str) -> None:
    fig = figures(N_SMALL)
    path = GENERATIONS[name](tmp_path / name, fig)
    k = read_kerncijfers(path)
    assert k["buurtcode"].tolist() == fig["buurtcode"].tolist()
    assert k["woningvoorraad"].tolist() == fig["woningvoorraad"].astype(float).tolist()
    assert k["inwoners"].tolist() == fig["inwoners"].astype(float).tolist()
    # percentages become shares 0-1; x 1000 euro becomes euro; secret/missing becomes NA
    np.testing.assert_allclose(k["aandeel_corporatiebezit"], fig["corp"] / 100)
    np.testing.assert_allclose(k["aandeel_koop"], fig["koop"] / 100)
    np.testing.assert_allclose(k["woz_gemiddeld"], fig["woz"] * 1000)
    assert k["aandeel_corporatiebezit"].isna().tolist() == [i == 1 for i in range(N_SMALL)]
    assert np.isnan(k.loc[2, "woz_gemiddeld"])
    assert k.attrs["rijen_gelezen"] == N_SMALL and k.attrs["afgewezen"] == []


def test_kwb_rows_of_other_levels_are_counted_not_read(tmp_path: Path) -> None:
    fig = figures(N_SMALL)
    k = read_kerncijfers(kwb_csv_2023(tmp_path / "kwb-2023.csv", fig))
    assert k.attrs["overige_niveaus"] == 2 + fig["wijkcode"].nunique()  # NL, GM, wijken
    assert k.attrs["indicatoren_bron"]["woz_gemiddeld"] == "g_wozbag"
    assert "gwb_code_8" in k.attrs["kolommen_niet_gebruikt"]


@pytest.mark.parametrize("name", ["wijkenbuurten_2023_v1.gpkg", "buurt_2019_v3.shp"])
def test_buurtkaart_carries_its_kerncijfers(tmp_path: Path, name: str) -> None:
    fig = figures(N_SMALL)
    b = read_buurten(GENERATIONS[name](tmp_path / name, fig))
    assert b["buurtcode"].tolist() == fig["buurtcode"].tolist()
    np.testing.assert_allclose(b["aandeel_corporatiebezit"], fig["corp"] / 100)
    np.testing.assert_allclose(b["aandeel_overige_verhuurders"], fig["overig"] / 100)
    expected = {"WOZ", "P_HUURCORP"} if name.endswith(".shp") else {"gemiddelde_woningwaarde"}
    assert expected <= set(b.attrs["indicatoren_bron"].values())


def test_gpkg_later_published_values_are_missing(tmp_path: Path) -> None:
    fig = figures(N_SMALL)
    b = read_buurten(GENERATIONS["wijkenbuurten_2023_v1.gpkg"](tmp_path / "w.gpkg", fig))
    assert b["aandeel_huishoudens_sociaal_minimum"].isna().all()  # -99995: published later


def test_impossible_values_set_aside_with_file_column_and_rows(tmp_path: Path) -> None:
    path = tmp_path / "kwb.csv"
    path.write_text(
        "gwb_code_10;regio;gm_naam;recs;a_woning;p_wcorpw\n"
        "BU01530000;A;Enschede;Buurt;100;140\n"
        "BU01530001;B;Enschede;Buurt;100;1e308\n"
        "BU01530002;C;Enschede;Buurt;100;abc\n"
        "BU01530003;D;Enschede;Buurt;inf;31,5\n",
        encoding="utf-8",
    )
    with pytest.warns(DataWarning) as caught:
        k = read_kerncijfers(path)
    text = " | ".join(str(w.message) for w in caught)
    assert "kwb.csv: kolom 'p_wcorpw' (aandeel_corporatiebezit): 3 waarde(n)" in text
    assert "rijen 2, 3, 4" in text and "'140'" in text
    assert "kolom 'a_woning' (woningvoorraad): 1 waarde(n)" in text and "rij 5" in text
    assert k["aandeel_corporatiebezit"].tolist()[3] == 0.315
    assert k["aandeel_corporatiebezit"].isna().sum() == 3 and k["woningvoorraad"].isna().sum() == 1


def test_gemeente_and_unknown_files(tmp_path: Path) -> None:
    fig = figures(N_SMALL)
    path = kwb_csv_2023(tmp_path / "kwb.csv", fig)
    assert len(read_kerncijfers(path, gemeente="GM0153")) == N_SMALL
    with pytest.raises(InputError, match=r"gemeente 'Zwolle' komt niet voor.*Enschede"):
        read_kerncijfers(path, gemeente="Zwolle")
    other = tmp_path / "iets.csv"
    other.write_text("gwb_code_10;foo\nBU01530000;1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"geen bekende kerncijfers gevonden.*a_woning"):
        read_kerncijfers(other)
    nocode = tmp_path / "nocode.csv"
    nocode.write_text("naam;a_woning\nx;1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"geen kolom met buurtcodes.*gwb_code_10"):
        read_kerncijfers(nocode)


def test_statline_headers() -> None:
    assert header_key("In bezit woningcorporatie (%)") in [
        header_key(a) for a in INDICATORS["aandeel_corporatiebezit"].aliases
    ]


def test_default_sia_for_enschede_uses_what_the_kerncijfers_provide(tmp_path: Path) -> None:
    # all 70 buurten of Enschede, a kwb file as CBS publishes it, no other source
    path = kwb_csv_2023(tmp_path / "kwb-2023.csv", figures())
    buurten = datasets.load_buurten("Enschede")
    table = join_sources(buurten, indicators=read_kerncijfers(path, gemeente="Enschede")).table
    config = sia.default_config()
    with pytest.warns(DataWarning, match="overgeslagen"):
        out = sia.prioritise(table, config)
    skipped = " ".join(out.attrs["sia_overgeslagen"])
    provided = [c for c in config.criteria if c.column in table and table[c.column].notna().any()]
    assert provided, "the kerncijfers provide at least the corporation share"
    for criterion in provided:
        assert f"criteria.{criterion.name} " not in skipped
        assert f"bijdrage_{criterion.name}" in out
    assert "corporatiebezit" in {c.name for c in provided}
    # CBS's ownership share is what the corporation criterion ranks on
    share = pd.Series(table["aandeel_corporatie"].to_numpy(), index=table["buurtcode"])
    assert share.notna().sum() == 69  # one buurt with secret ownership figures


def test_kwb_without_buurt_rows_is_one_line_not_an_empty_table(tmp_path: Path) -> None:
    # a download at gemeente/wijk level only: every row was skipped as another level and
    # the run went on with no kerncijfers at all
    path = tmp_path / "kwb-2023.csv"
    path.write_text(
        "gwb_code_10;regio;recs;a_inw\nGM0307;Amersfoort;Gemeente;157000\n"
        "WK030701;Wijk 01;Wijk;9000\n"
    )
    with pytest.raises(InputError, match=r"kwb-2023.csv, kolom 'gwb_code_10': geen rijen van b"):
        read_kerncijfers(path)
