"""The stage commands `join`, `sia` and `prognose` write what `run` writes: publiek/ (through
the publication policy: small counts per buurt hidden, no dwelling), intern/ (everything)
and run.json; an earlier output is replaced only with --force."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from geoprestatie.cli import main

SMALL, LARGE, OTHER = "BU03070100", "BU03070101", "BU03070102"


def _stock(tmp_path: Path) -> Path:
    rows = ["vhe_id;corporatie;buurtcode;energielabel;huurprijs"]
    rows += [f"S{i};Portaal;{SMALL};F;500" for i in range(3)]  # 3 dwellings: small
    rows += [f"L{i};Portaal;{LARGE};B;500" for i in range(60)]
    rows += [f"O{i};Portaal;{OTHER};B;500" for i in range(45)]
    stock = tmp_path / "voorraad.csv"
    stock.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return stock


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")


def _no_dwellings(publiek: Path) -> None:
    """No vhe_id column or value, no coordinates, no records not joined in publiek/."""
    assert not list(publiek.glob("niet_gekoppeld*"))
    for path in publiek.rglob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        assert "vhe_id" not in text, path.name
        for vhe in ("S0", "S1", "S2", "L0"):
            assert f";{vhe};" not in text and f"\n{vhe};" not in text, (path.name, vhe)


def _refused_without_force(args: list[str]) -> None:
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 1, done.output
    assert "--force" in done.output and "Traceback" not in done.output


def test_join_hides_small_counts_in_publiek(tmp_path: Path) -> None:
    import geopandas as gpd

    out = tmp_path / "k"
    args = ["join", "--gemeente", "Amersfoort", "--voorraad", str(_stock(tmp_path))]
    args += ["--out", str(out)]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert f"{out}/publiek/" in done.output and f"{out}/intern/" in done.output
    listed = {e["pad"] for e in json.loads((out / "run.json").read_text())["bestanden"]}
    assert {"publiek/buurttabel.csv", "intern/niet_gekoppeld.csv"} <= listed
    full = _csv(out / "intern" / "buurttabel.csv").set_index("buurtcode")
    public = _csv(out / "publiek" / "buurttabel.csv").set_index("buurtcode")
    assert (
        full.loc[SMALL, "woningen_portaal"] == "3" and full.loc[LARGE, "woningen_portaal"] == "60"
    )
    assert public.loc[SMALL, "woningen_portaal"] == "×"
    assert public.loc[LARGE, "woningen_portaal"] == "60"
    layer = gpd.read_file(out / "publiek" / "geoprestatie.gpkg", layer="buurttabel")
    small = layer.loc[layer["buurtcode"] == SMALL, "woningen_portaal"]
    assert small.isna().all()
    assert not layer["woningen_portaal"].between(1, 4).any()  # no small count anywhere
    _no_dwellings(out / "publiek")
    _refused_without_force(args)


def test_prognose_hides_small_counts_in_publiek(tmp_path: Path) -> None:
    start = tmp_path / "start.csv"
    start.write_text(
        "corporatie;buurtcode;aantal;peildatum\n"
        f"Portaal;{SMALL};3;1-1-2024\nPortaal;{LARGE};60;1-1-2024\n"
        f"Portaal;{OTHER};45;1-1-2024\n",
        encoding="utf-8",
    )
    plans = tmp_path / "plannen.csv"
    plans.write_text(
        f"corporatie;jaar;mutatie;aantal;buurtcode\nPortaal;2024;nieuwbouw;10;{LARGE}\n",
        encoding="utf-8",
    )
    out = tmp_path / "p"
    args = ["prognose", "--beginstand", str(start), "--plannen", str(plans), "--out", str(out)]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert f"{out}/intern/ (prognose.csv" in done.output and f"{out}/publiek/" in done.output
    full = _csv(out / "intern" / "prognose.csv").set_index("buurtcode")
    public = _csv(out / "publiek" / "prognose.csv").set_index("buurtcode")
    assert full.loc[SMALL, "beginstand"] == "3" and full.loc[LARGE, "eindstand"] == "70"
    assert public.loc[SMALL, "beginstand"] == "×" and public.loc[SMALL, "eindstand"] == "×"
    assert public.loc[LARGE, "eindstand"] == "70"
    # the workbook and the maps show the small buurt's count nowhere either
    sheet = pd.read_excel(out / "publiek" / "tabellen.xlsx", sheet_name="Prognose", dtype=str)
    small = sheet[sheet.iloc[:, 1] == SMALL]
    assert len(small) == 1 and (small == "3").sum().sum() == 0 and (small == "×").any(axis=None)
    for page in (out / "publiek" / "kaarten").glob("*.html"):
        assert "×" in page.read_text(encoding="utf-8")
    _no_dwellings(out / "publiek")
    _refused_without_force(args)


def test_sia_hides_small_counts_in_publiek(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    codes = [f"BU0000000{i}" for i in range(6)]
    table = gpd.GeoDataFrame(
        {
            "buurtcode": codes,
            "buurtnaam": [f"Buurt {i}" for i in range(6)],
            "aandeel_efg": [0.9, 0.8, 0.7, 0.1, 0.0, 0.05],
            "woningen_corporaties": [3, 200, 300, 100, 100, 100],  # buurt 0: 3 dwellings
            "woningen_portaal": [3, 200, 300, 100, 100, 100],
        },
        geometry=[box(i * 100, 0, i * 100 + 100, 100) for i in range(6)],
        crs=28992,
    )
    table_file = tmp_path / "buurttabel.gpkg"
    table.to_file(table_file, layer="buurttabel")
    crit = tmp_path / "c.toml"
    crit.write_text(
        '[sia]\ntop_k = 3\n[sia.robustness]\ndraws = 50\n[[sia.criteria]]\nname = "efg"\n'
        'label = "Aandeel E/F/G"\ncolumn = "aandeel_efg"\ndirection = "higher"\nweight = 1\n'
        "[dia]\nmin_buurten = 2\n",
        encoding="utf-8",
    )
    out = tmp_path / "s"
    args = ["sia", "--tabel", str(table_file), "--criteria", str(crit), "--out", str(out)]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert f"-> {out}/publiek/sia.csv" in done.output
    assert f"-> {out}/intern/sia_gewichtsgevoeligheid.csv" in done.output
    full = _csv(out / "intern" / "sia.csv").set_index("buurtcode")
    public = _csv(out / "publiek" / "sia.csv").set_index("buurtcode")
    assert full.loc[codes[0], "woningen_corporaties"] == "3"
    assert public.loc[codes[0], "woningen_corporaties"] == "×"
    assert public.loc[codes[0], "woningen_portaal"] == "×"
    layer = gpd.read_file(out / "publiek" / "geoprestatie.gpkg", layer="sia")
    assert not layer["woningen_corporaties"].between(1, 4).any()
    # the DIA of buurt 0 does not give its 3 back: its total hidden, or another member too
    dia = _csv(out / "publiek" / "dia.csv").set_index("dia_id")
    members = full.loc[full["dia_id"] == full.loc[codes[0], "dia_id"]].index
    total = dia.loc[full.loc[codes[0], "dia_id"], "woningen_corporaties"]
    assert total == "×" or (public.loc[members, "woningen_corporaties"] == "×").sum() >= 2
    assert not (out / "publiek" / "sia_gewichtsgevoeligheid.csv").exists()
    _no_dwellings(out / "publiek")
    _refused_without_force(args)
