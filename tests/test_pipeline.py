"""The main job end to end: the embedded demo and a user's own (test-made) files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from geoprestatie import pipeline
from geoprestatie.cli import main
from geoprestatie.config import RunConfig, demo_config, load_config
from geoprestatie.errors import ConfigError, DataWarning
from geoprestatie.output.pdf import find_engine
from geoprestatie.output.summary import summary


def _no_pdf(config: RunConfig) -> RunConfig:
    """The config without rapport.pdf (headless Chromium takes seconds per write; the PDF
    itself is tested in test_output_pdf.py and end to end in test_own_files_end_to_end)."""
    tables = dict(config.tables)
    tables["uitvoer"] = {**config.section("uitvoer"), "pdf": False}
    return RunConfig(tables, source=config.source)


@pytest.fixture(scope="module")
def demo_result() -> pipeline.RunResult:
    # the demo data has deliberate flaws: they are reported, never silent
    with pytest.warns(DataWarning) as record:
        result = pipeline.run(_no_pdf(demo_config()))
    messages = " | ".join(str(w.message) for w in record)
    assert "voorraad_synthetisch.csv: 4 rij(en) apart gezet" in messages
    assert "verkoop_synthetisch.csv: 1 rij(en) apart gezet" in messages
    return result


def test_demo_run_all_stages(demo_result: pipeline.RunResult) -> None:
    r = demo_result
    assert len(r.table) == 145 and r.table["buurtcode"].is_unique
    r.joined.report.check()
    assert {"sia_score", "sia_rang", "kans_top_k", "robuust"} <= set(r.prioritised.columns)
    scored = r.prioritised[r.prioritised["sia_geschikt"]]
    assert scored["sia_score"].between(0, 100).all() and len(scored) > 50
    # a buurt that is not eligible has no score, but always a reason
    rest = r.prioritised[~r.prioritised["sia_geschikt"]]
    assert rest["sia_score"].isna().all() and rest["sia_reden"].str.len().gt(0).all()
    assert len(r.dia_result.areas) >= 1
    assert r.prognosis is not None and r.prognosis_summary is not None
    assert r.monitor is not None and len(r.monitor.table) >= 4
    # the real Amersfoort 2022-2023 net growth (hard plans, incl. demolition) in the summary
    assert "213" in r.prognosis_summary.to_string()


def test_public_set_the_same_with_its_data_files_in_the_background(
    demo_result: pipeline.RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``write_all`` writes the GeoPackage and the tables in a background job beside the
    maps, PNGs and report, also in a large run: the same files, byte for byte, as all in
    this process."""
    import dataclasses
    import os

    from geoprestatie import _fork
    from geoprestatie.output import write

    if not _fork.available():
        pytest.skip("no fork on this platform")
    tables = dict(demo_result.config.tables)
    tables["uitvoer"] = {**demo_result.config.section("uitvoer"), "pdf": False}
    result = dataclasses.replace(
        demo_result, config=dataclasses.replace(demo_result.config, tables=tables)
    )
    writer = tmp_path / "pid"
    real = write.write_tables  # type: ignore[attr-defined]

    def spy(*args: object, **kwargs: object) -> list[Path]:
        writer.write_text(f"{os.getpid()} {os.nice(0)}")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(write, "write_tables", spy)
    monkeypatch.setattr(_fork, "spare_core", lambda: True)
    monkeypatch.setattr(_fork, "small", lambda: False)  # also in a large (national) run
    (tmp_path / "forked").mkdir()
    forked = write.write_all(result, tmp_path / "forked")
    pid, nice = map(int, writer.read_text().split())
    assert pid != os.getpid() and nice > os.nice(0), "the tables were written here"
    monkeypatch.setattr(_fork, "available", lambda: False)
    (tmp_path / "here").mkdir()
    here = write.write_all(result, tmp_path / "here")
    assert writer.read_text() == f"{os.getpid()} {os.nice(0)}"
    assert [p.name for p in forked] == [p.name for p in here]
    assert {"geoprestatie.gpkg", "tabellen.xlsx", "sia.png", "rapport.html"} <= {
        p.name for p in forked
    }
    for a, b in zip(forked, here, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_maps_of_a_run_simplify_the_buurten_once(
    demo_result: pipeline.RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sia.html, prognose.html and programma.html draw the same buurten: they are
    simplified (and cut into arcs) once per run, not once per map."""
    from geoprestatie import _fork
    from geoprestatie.output import _topology, write

    monkeypatch.setattr(_fork, "available", lambda: False)
    sizes: list[int] = []
    simplify = _topology.simplify_coverage

    def counted(geoms, tolerance):  # type: ignore[no-untyped-def]
        sizes.append(len(geoms))
        return simplify(geoms, tolerance)

    monkeypatch.setattr(_topology, "simplify_coverage", counted)
    written, pages = write.write_maps(demo_result, tmp_path)
    assert {p.name for p in written} == {"sia.html", "prognose.html", "programma.html"}
    assert set(pages) == {"SIA-prioriteiten", "Prognose", "Woningbouwprogramma"}
    assert sizes.count(len(demo_result.buurten)) == 1  # the DIA outlines apart


def test_summary_reads_plain_columns(
    demo_result: pipeline.RunResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GeoDataFrame.itertuples deep-copies every row's geometry (a national DIA: seconds)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("GeoDataFrame.itertuples called")

    monkeypatch.setattr(gpd.GeoDataFrame, "itertuples", refuse)
    text = summary(demo_result, [Path("uit/publiek/sia.html")])
    assert "Top 5 buurten: 1. " in text and "DIA's (" in text


def test_demo_outputs_and_force(demo_result: pipeline.RunResult, tmp_path: Path) -> None:
    out = tmp_path / "maps"
    out.mkdir()
    (out / "README.md").write_text("keep me")
    written = pipeline.write_outputs(demo_result, out)
    names = {p.name for p in written}
    expected = {
        "sia.html",
        "prognose.html",
        "monitor.html",
        "rapport.html",
        "sia.png",
        "dia.png",
        "smaa.png",
        "prognose.png",
        "geoprestatie.gpkg",
        "tabellen.xlsx",
        "sia.csv",
        "buurttabel.csv",
        "dia.csv",
        "prognose.csv",
        "monitor.csv",
        "koppeling.csv",
        "run.json",
    }
    assert expected <= names
    assert not [p for p in out.iterdir() if p.name.startswith(".geoprestatie-")]
    assert {"publiek", "intern", "run.json", "README.md"} == {p.name for p in out.iterdir()}
    # the pairwise winning indices are internal (issue 13): never in publiek/
    assert (out / "intern" / "sia_paarsgewijs.csv").exists()
    assert not (out / "publiek" / "sia_paarsgewijs.csv").exists()
    layers = set(gpd.list_layers(out / "publiek" / "geoprestatie.gpkg")["name"])
    assert {"buurttabel", "sia", "dia", "prognose"} <= layers
    assert len(gpd.read_file(out / "publiek" / "geoprestatie.gpkg", layer="sia")) == 145
    with pd.ExcelFile(out / "publiek" / "tabellen.xlsx") as xlsx:
        sheets = set(xlsx.sheet_names)
    assert {"Toelichting", "SIA", "Buurten", "DIA", "Prognose", "Monitor", "Koppeling"} <= sheets
    html = (out / "publiek" / "sia.html").read_text(encoding="utf-8")
    assert "synthetisch" in html.lower()
    assert (out / "publiek" / "sia.html").stat().st_size < 1_500_000
    # no second run over the first without --force; README untouched either way
    with pytest.raises(pipeline.OutputExistsError, match="--force"):
        pipeline.write_outputs(demo_result, out)
    pipeline.write_outputs(demo_result, out, force=True)
    assert (out / "README.md").read_text() == "keep me"


def _own_files(
    tmp_path: Path, grid: gpd.GeoDataFrame, *, naam: str = "Buurt 0", pdf: bool = False
) -> Path:
    """A user's own small project: buurten file, stock CSV (cp1252, ;), sales, plans, rules
    (``rapport.pdf`` only with ``pdf``)."""
    grid = grid.copy()
    grid.loc[0, "buurtnaam"] = naam
    grid.to_file(tmp_path / "buurten.gpkg", layer="buurten")
    rows = []
    labels = "ABCDEFG"
    for i, b in enumerate(grid.itertuples()):
        c = b.geometry.centroid
        for j in range(6 + 2 * i):
            rows.append(
                {
                    "VHE nummer": f"V{i}{j:03d}",
                    "Corporatie": "Woonstede" if j % 3 else "Thuis Wonen",
                    "X": f"{c.x + j:.1f}".replace(".", ","),
                    "Y": f"{c.y:.1f}".replace(".", ","),
                    "Energielabel": labels[(i + j) % 7],
                    "Bouwjaar": 1950 + 5 * i,
                    "Huurprijs": f"{500 + 20 * j:.2f}".replace(".", ","),
                    "Conditiescore": 1 + j % 5,
                }
            )
    pd.DataFrame(rows).to_csv(tmp_path / "bezit.csv", sep=";", index=False, encoding="cp1252")
    pd.DataFrame(
        {
            "vhe_id": ["V0000", "V8001"],
            "jaar": [2026, 2027],
            "status": ["voorgenomen", "gerealiseerd"],
        }
    ).to_csv(tmp_path / "verkoop.csv", index=False)
    pd.DataFrame(
        {
            "corporatie": ["Woonstede", "Thuis Wonen"],
            "jaar": [2026, 2027],
            "mutatie": ["nieuwbouw", "sloop"],
            "aantal": [10, 2],
            "buurtcode": ["BU99990004", "BU99990008"],
        }
    ).to_csv(tmp_path / "plannen.csv", index=False)
    (tmp_path / "afspraken.toml").write_text(
        '[[afspraak]]\nid = "V1"\ntekst = "Geen verkoop van F/G"\npartij = "corporaties"\n'
        'soort = "verbod"\ndataset = "verkoop"\n'
        'verboden_als = [{ kolom = "energielabel", op = "in", waarde = ["F", "G"] }]\n',
        encoding="utf-8",
    )
    cfg = tmp_path / "project.toml"
    cfg.write_text(
        '[project]\nnaam = "Testdorp"\n'
        '[buurten]\nbestand = "buurten.gpkg"\n'
        '[bronnen]\nvoorraad = "bezit.csv"\nverkoop = "verkoop.csv"\n'
        '[sia]\ntop_k = 3\n[[sia.criteria]]\nname = "efg"\nlabel = "Aandeel E/F/G"\n'
        'column = "aandeel_efg"\ndirection = "higher"\nweight = 2\n'
        '[[sia.criteria]]\nname = "bouwjaar"\nlabel = "Oude voorraad"\n'
        'column = "bouwjaar_mediaan"\ndirection = "lower"\nweight = 1\n'
        "[sia.robustness]\ndraws = 200\n"
        '[dia]\nselection = "top_k"\nmin_buurten = 2\n'
        '[prognose]\nplannen = "plannen.csv"\npeildatum = "2026-01-01"\n'
        '[afspraken]\nbestand = "afspraken.toml"\n'
        f"[uitvoer]\npdf = {str(pdf).lower()}\n",
        encoding="utf-8",
    )
    return cfg


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()
    }


def test_own_files_end_to_end(tmp_path: Path, grid_buurten: gpd.GeoDataFrame) -> None:
    cfg = _own_files(tmp_path, grid_buurten, pdf=True)
    before = _digest(tmp_path)
    out = tmp_path / "uit"
    res = CliRunner().invoke(main, ["run", str(cfg), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "[1/6]" in res.output and "[6/6]" in res.output
    assert "Top 5 buurten" in res.output
    assert (out / "publiek" / "sia.html").exists() and (out / "publiek" / "rapport.html").exists()
    assert "synthetisch" not in (out / "publiek" / "sia.html").read_text(encoding="utf-8").lower()
    assert _digest(tmp_path) == before  # inputs never modified
    sia = pd.read_csv(out / "intern" / "sia.csv", sep=";", decimal=",")
    assert len(sia) == 9 and sia["sia_rang"].min() == 1
    # the one run of the suite that prints rapport.pdf (when Chromium is installed)
    pdf = out / "publiek" / "rapport.pdf"
    assert pdf.exists() == (find_engine() is not None)
    if pdf.exists():
        assert pdf.read_bytes().startswith(b"%PDF")


def test_script_buurtnaam_is_escaped(tmp_path: Path, grid_buurten: gpd.GeoDataFrame) -> None:
    evil = "<script>alert(1)</script>"
    cfg = _own_files(tmp_path, grid_buurten, naam=evil)
    result = pipeline.run(load_config(cfg))
    out = tmp_path / "uit"
    pipeline.write_outputs(result, out)
    for name in ("sia.html", "prognose.html", "monitor.html", "rapport.html"):
        text = (out / "publiek" / name).read_text(encoding="utf-8")
        assert evil not in text, name


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('voorraad = "bezit.csv"', 'voorraad = "weg.csv"'), "bestand niet gevonden"),
        (('column = "aandeel_efg"', 'column = "bestaat_niet"'), "bestaat_niet"),
        (("weight = 2", "weight = -2"), "weight"),
        (("[dia]", '[dia]\nsplit_method = "kmeans"'), "split_method"),
    ],
)
def test_bad_config_one_line(
    tmp_path: Path, grid_buurten: gpd.GeoDataFrame, edit: tuple[str, str], message: str
) -> None:
    cfg = _own_files(tmp_path, grid_buurten)
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    res = CliRunner().invoke(main, ["run", str(cfg), "--out", str(tmp_path / "uit")])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    errors = [line for line in res.output.splitlines() if line.startswith("Fout:")]
    assert len(errors) == 1 and message in errors[0], res.output
    assert not (tmp_path / "uit" / "sia.html").exists()


def test_unknown_section_and_invalid_toml(tmp_path: Path) -> None:
    bad = tmp_path / "x.toml"
    bad.write_text("[bronnenn]\nvoorraad = 'a.csv'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"onbekende sectie \[bronnenn\]"):
        load_config(bad)
    bad.write_text("[bronnen\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"runconfiguratie .*x\.toml: ongeldige TOML"):
        load_config(bad)


def test_init_writes_runnable_config(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "mijn.toml"
    res = runner.invoke(main, ["init", str(target)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "criteria.toml").exists()
    cfg = load_config(target)
    assert cfg.synthetic and cfg.path("bronnen", "voorraad") is not None
    assert runner.invoke(main, ["init", str(target)]).exit_code == 1  # no silent overwrite


@pytest.mark.parametrize(
    ("section", "line", "message"),
    [
        (
            "[project]",
            "synthetish = true",
            r"\[project\] heeft onbekende sleutel\(s\) \['synthetish'\]",
        ),
        (
            "[uitvoer]",
            'individuele_woningen = "nee"',
            r"individuele_woningen is 'nee' maar moet true of false zijn",
        ),
        (
            "[uitvoer]",
            'min_woningen = "vijf"',
            r"min_woningen is 'vijf' maar moet een geheel getal zijn",
        ),
        ("[uitvoer]", "min_woningen = 0", r"min_woningen is 0 maar moet >= 1 zijn"),
        ("[afspraken]", "jaaar = 2023", r"\[afspraken\] heeft onbekende sleutel\(s\) \['jaaar'\]"),
        ("[koppeling]", "tolerence_m = 5", r"\[koppeling\].*tolerence_m"),
    ],
)
def test_config_checked_before_the_run(
    tmp_path: Path, grid_buurten: gpd.GeoDataFrame, section: str, line: str, message: str
) -> None:
    cfg = _own_files(tmp_path, grid_buurten)
    text = cfg.read_text(encoding="utf-8")
    text = (
        text.replace(section, f"{section}\n{line}")
        if section in text
        else (text + f"\n{section}\n{line}\n")
    )
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(cfg)


def test_prognosis_rows_outside_the_study_area_are_accounted(
    tmp_path: Path, grid_buurten: gpd.GeoDataFrame
) -> None:
    cfg = _own_files(tmp_path, grid_buurten)
    plans = tmp_path / "plannen.csv"
    plans.write_text(
        plans.read_text(encoding="utf-8") + "Woonstede,2027,nieuwbouw,30,BU01530000\n",
        encoding="utf-8",
    )
    with pytest.warns(DataWarning, match=r"plannen\.csv: 1 rij\(en\) met een buurtcode buiten"):
        result = pipeline.run(load_config(cfg))
    counts = result.joined.report.to_frame().set_index("bron")
    assert counts.loc["plannen", "gelezen"] == 3 and counts.loc["plannen", "gekoppeld"] == 2
    nj = result.joined.report.not_joined
    row = nj[nj["bron"] == "plannen"].iloc[0]
    assert (row["bron_rij"], row["reden"], row["waarde"]) == (
        4,
        "onbekende_buurtcode",
        "BU01530000",
    )
    # the 30 dwellings are in neither the prognosis nor its totals
    assert int(result.prognosis["nieuwbouw"].sum()) == 10


def test_sia_table_says_which_dia(demo_result: pipeline.RunResult, tmp_path: Path) -> None:
    out = tmp_path / "o"
    pipeline.write_outputs(demo_result, out)
    sia = pd.read_csv(out / "publiek" / "sia.csv", sep=";", decimal=",")
    dia = pd.read_csv(out / "publiek" / "dia.csv", sep=";", decimal=",")
    assert set(sia["dia_id"].dropna()) == set(dia["dia_id"])


def _demo_with(**sections: dict[str, object]) -> pipeline.RunResult:
    base = demo_config()
    tables = dict(base.tables)
    for name, extra in sections.items():
        tables[name] = {**base.section(name), **extra}
    tables["sia"] = {**tables.get("sia", {}), "robustness": {"draws": 100}}
    with pytest.warns(DataWarning):
        return pipeline.run(_no_pdf(RunConfig(tables, source=None)))


def test_run_without_any_dia_writes_everything(tmp_path: Path) -> None:
    result = _demo_with(dia={"min_buurten": 8, "aanvullen": False})
    assert result.dia_result.areas.empty
    written = {p.name for p in pipeline.write_outputs(result, tmp_path / "o")}
    assert {"sia.html", "dia.png", "rapport.html"} <= written
    assert "Geen DIA's" in (tmp_path / "o" / "publiek" / "rapport.html").read_text(encoding="utf-8")
    assert "DIA's: geen" in summary(result, [])


def test_previous_dia_set_from_our_own_geopackage(
    demo_result: pipeline.RunResult, tmp_path: Path
) -> None:
    first = tmp_path / "vorig"
    pipeline.write_outputs(demo_result, first)
    result = _demo_with(dia={"vorige": first / "publiek" / "geoprestatie.gpkg"})
    assert result.dia_comparison is not None
    assert set(result.dia_comparison["status"]) == {"ongewijzigd"}  # same run, same DIAs
    out = tmp_path / "nu"
    pipeline.write_outputs(result, out)
    back = pd.read_csv(out / "publiek" / "dia_vergelijking.csv", sep=";", decimal=",")
    assert len(back) == len(demo_result.dia_result.areas)
    assert "Vergelijking met de vorige DIA-set" in (out / "publiek" / "rapport.html").read_text(
        "utf-8"
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('tolerance_m = "veel"', r"tolerance_m is 'veel' maar moet een aantal meters"),
        ('huur_jaar = "2024"', r"huur_jaar is '2024' maar moet een jaar"),
    ],
)
def test_join_config_types(
    tmp_path: Path, grid_buurten: gpd.GeoDataFrame, line: str, message: str
) -> None:
    cfg = _own_files(tmp_path, grid_buurten)
    cfg.write_text(cfg.read_text(encoding="utf-8") + f"\n[koppeling]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(cfg)


def test_internal_set_the_same_with_its_geopackage_forked(
    demo_result: pipeline.RunResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``write_internal`` writes the GeoPackage in a forked job beside the tables: the same
    files, byte for byte, as all in this process. The layers are made here, the child
    only writes them (its memory is what it writes: copy-on-write)."""
    import os

    from geoprestatie import _fork
    from geoprestatie.output import gpkg, write

    if not _fork.available():
        pytest.skip("no fork on this platform")
    writer, maker = tmp_path / "pid", tmp_path / "layers_pid"
    real_write, real_layers = gpkg._write_ready, gpkg.layers

    def spy_write(*args: object) -> list[Path]:
        writer.write_text(str(os.getpid()))
        return real_write(*args)  # type: ignore[arg-type]

    def spy_layers(*args: object, **kwargs: bool) -> list[gpkg.Layer]:
        maker.write_text(str(os.getpid()))
        return real_layers(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gpkg, "_write_ready", spy_write)
    monkeypatch.setattr(gpkg, "layers", spy_layers)
    monkeypatch.setattr(_fork, "spare_core", lambda: True)
    (tmp_path / "forked").mkdir()
    forked = write.write_internal(demo_result, tmp_path / "forked")
    assert writer.read_text() != str(os.getpid()), "the GeoPackage was written here"
    assert maker.read_text() == str(os.getpid()), "the layers were made in the child"
    monkeypatch.setattr(_fork, "available", lambda: False)
    (tmp_path / "here").mkdir()
    here = write.write_internal(demo_result, tmp_path / "here")
    assert writer.read_text() == str(os.getpid())
    assert [p.name for p in forked] == [p.name for p in here]
    assert forked[0].name == "geoprestatie.gpkg"
    for a, b in zip(forked, here, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
