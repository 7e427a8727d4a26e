"""Stage commands publish through the policy of `run`: `geoprestatie monitor` writes
publiek/ (no dwelling, no small count per buurt) and intern/ with a manifest; the maps of
`geoprestatie prognose` are drawn from the public prognosis."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from geoprestatie import datasets
from geoprestatie.cli import main

SMALL, LARGE, OTHER = "BU03070100", "BU03070101", "BU03070102"


def _inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    rows = ["vhe_id;corporatie;buurtcode;energielabel;huurprijs"]
    rows += [f"S{i};Portaal;{SMALL};F;500" for i in range(3)]  # 3 dwellings: small
    rows += [f"L{i};Portaal;{LARGE};{'F' if i < 11 else 'B'};500" for i in range(60)]
    # the next-smallest buurt hides too (else 3 = municipal total - the others)
    rows += [f"O{i};Portaal;{OTHER};B;500" for i in range(45)]
    stock = tmp_path / "voorraad.csv"
    stock.write_text("\n".join(rows) + "\n", encoding="utf-8")
    alloc = ["datum;corporatie;buurtcode;vhe_id"]
    alloc += [f"2024-03-01;Portaal;{SMALL};S{i}" for i in range(2)]  # 2 allocations: small
    alloc += [f"2024-03-01;Portaal;{LARGE};L{i}" for i in range(17)]
    toewijzingen = tmp_path / "toewijzingen.csv"
    toewijzingen.write_text("\n".join(alloc) + "\n", encoding="utf-8")
    rules = tmp_path / "afspraken.toml"
    rules.write_text(
        '[[afspraak]]\nid = "E"\ntekst = "Weinig F-labels"\npartij = "Portaal"\n'
        'soort = "regel"\ndataset = "voorraad"\nmeting = "aantal(energielabel >= \'F\')"\n'
        'vergelijking = "<="\nnorm = 20\nper = "buurtcode"\n'
        '[[afspraak]]\nid = "T"\ntekst = "Toewijzingen per buurt"\npartij = "Portaal"\n'
        'soort = "regel"\ndataset = "toewijzingen"\nmeting = "aantal()"\nnorm = 1\n'
        'per = "buurtcode"\n',
        encoding="utf-8",
    )
    return stock, toewijzingen, rules


def test_small_monitor_counts_never_reach_publiek(tmp_path: Path) -> None:
    stock, toewijzingen, rules = _inputs(tmp_path)
    out = tmp_path / "m"
    args = ["monitor", "--afspraken", str(rules), "--voorraad", str(stock)]
    args += ["--gegevens", f"toewijzingen={toewijzingen}", "--gemeente", "Amersfoort"]
    done = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "Traceback" not in done.output
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    listed = {e["pad"] for e in manifest["bestanden"]}
    assert "publiek/monitor.html" in listed and "intern/overtredingen.csv" in listed

    def groups(where: str) -> dict[tuple[str, str], object]:
        frame = pd.read_csv(out / where / "monitor_groepen.csv", sep=";", dtype=str)
        return {
            (str(a), str(b)): g
            for a, b, g in zip(
                frame["afspraak_id"], frame["buurtcode"], frame["gemeten"], strict=True
            )
        }

    full, public = groups("intern"), groups("publiek")
    # the monitor datasets of `run` (toewijzingen through --gegevens) are measured
    assert full[("T", SMALL)] == "2" and full[("T", LARGE)] == "17"
    assert full[("E", SMALL)] == "3" and full[("E", LARGE)] == "11"
    # a small count per buurt never reaches publiek/; the others do
    assert public[("T", SMALL)] == "×" and public[("E", SMALL)] == "×"
    assert public[("T", LARGE)] == "17" and public[("E", LARGE)] == "11"
    # no dwelling in publiek/: no offending records, no vhe_id anywhere
    publiek = out / "publiek"
    assert not list(publiek.glob("overtredingen*")) and not list(publiek.glob("niet_gek*"))
    for path in publiek.iterdir():
        text = path.read_text(encoding="utf-8")
        for vhe in ("S0", "S1", "S2", "L0"):
            assert f">{vhe}<" not in text and f";{vhe};" not in text, (path.name, vhe)
    page = (publiek / "monitor.html").read_text(encoding="utf-8")
    assert "overtredingen" not in page.lower() or "vhe_id" not in page


def test_monitor_refuses_a_bad_dataset_option(tmp_path: Path) -> None:
    _, _, rules = _inputs(tmp_path)
    args = ["monitor", "--afspraken", str(rules), "--gegevens", "onzin.csv"]
    done = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "m")])
    assert done.exit_code == 1 and done.output.startswith("Fout: ")
    assert "--gegevens 'onzin.csv'" in done.output and "Traceback" not in done.output


def test_prognose_maps_show_no_small_count(tmp_path: Path) -> None:
    # the stage command's maps are for publishing: drawn from the public prognosis (per
    # buurt over all corporations, small and derivable figures hidden), as in `run`;
    # before, every tooltip listed "Omnia Wonen: 3" (a corporation's 1-4 dwellings)
    demo = datasets.data_path("demo")
    args = ["prognose", "--beginstand", str(demo / "beginstand_amersfoort.csv")]
    args += ["--plannen", str(demo / "plannen_amersfoort_2022_2023.csv")]
    done = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "p")])
    assert done.exit_code == 0, done.output
    maps = sorted((tmp_path / "p" / "publiek" / "kaarten").glob("prognose_*.html"))
    assert len(maps) == 2
    small = re.compile(r"(Omnia Wonen|Portaal|de Alliantie): [1-4]\b")
    for path in maps:
        page = path.read_text(encoding="utf-8")
        assert not small.findall(page), (path.name, small.findall(page)[:3])
        assert "×" in page  # hidden figures are marked, not dropped


def test_a_selection_narrowed_to_a_small_group_shows_no_count(tmp_path: Path) -> None:
    """A rule whose selection is one buurt ("aantal" with ``selectie`` on buurtcode, or a
    measure that filters on it) or whose groups are not buurten (``per = "corporatie"``)
    counted the few dwellings there; publiek/ showed "3" and "3 records in de selectie"
    for the buurt whose stock the buurt table hides, and the 2 dwellings of a small
    corporation. Now the measured figures are hidden (the status stays), and one more
    group beside a hidden one (the groups add up to the public municipal stock)."""
    stock, _, _ = _inputs(tmp_path)
    extra = [f"K{i};Omnia Wonen;{LARGE};B;500" for i in range(2)]  # a corporation of 2
    stock.write_text(stock.read_text(encoding="utf-8") + "\n".join(extra) + "\n", "utf-8")
    rules = tmp_path / "smal.toml"
    rules.write_text(
        '[[afspraak]]\nid = "S"\ntekst = "Voorraad in de kleine buurt"\npartij = "Portaal"\n'
        'soort = "aantal"\ndataset = "voorraad"\nvergelijking = ">="\nnorm = 0\n'
        f'selectie = [{{ kolom = "buurtcode", op = "==", waarde = "{SMALL}" }}]\n'
        '[[afspraak]]\nid = "R"\ntekst = "Idem, als regel"\npartij = "Portaal"\n'
        f'soort = "regel"\ndataset = "voorraad"\nmeting = "aantal(buurtcode == \'{SMALL}\')"\n'
        'vergelijking = ">="\nnorm = 0\n'
        '[[afspraak]]\nid = "K"\ntekst = "Per corporatie"\npartij = "alle"\n'
        'soort = "regel"\ndataset = "voorraad"\nmeting = "aantal()"\nvergelijking = ">="\n'
        'norm = 0\nper = "corporatie"\n',
        encoding="utf-8",
    )
    out = tmp_path / "m"
    args = ["monitor", "--afspraken", str(rules), "--voorraad", str(stock)]
    done = CliRunner().invoke(main, [*args, "--gemeente", "Amersfoort", "--out", str(out)])
    assert done.exit_code == 0, done.output
    read = {"sep": ";", "dtype": str, "keep_default_na": False}
    full = pd.read_csv(out / "intern" / "monitor.csv", **read).set_index("afspraak_id")
    public = pd.read_csv(out / "publiek" / "monitor.csv", **read).set_index("afspraak_id")
    assert full.loc["S", "gemeten"] == "3" and full.loc["R", "gemeten"] == "3"
    for rule in ("S", "R"):
        assert public.loc[rule, "gemeten"] == "×", public.loc[rule].to_dict()
        assert public.loc[rule, "toelichting"] in ("×", ""), public.loc[rule].to_dict()
        assert public.loc[rule, "status"] == full.loc[rule, "status"]
    groups = pd.read_csv(out / "publiek" / "monitor_groepen.csv", **read)
    truth = pd.read_csv(out / "intern" / "monitor_groepen.csv", **read)
    assert set(truth["gemeten"]) == {"2", "108"}
    assert (groups["gemeten"] == "×").all(), groups.to_dict("records")
    for path in (out / "publiek").glob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert "3 records in de selectie" not in page and "gemeten 3," not in page, path.name


def test_prognose_summary_marks_its_hidden_cells(tmp_path: Path) -> None:
    # publiek/prognose_samenvatting.csv of the stage command wrote its hidden cells empty
    # (the mask stayed on the row labels), and Totaal minus the other corporations gave
    # Portaal's 4 demolished dwellings back; now × and no row with a single hidden cell
    demo = datasets.data_path("demo")
    args = ["prognose", "--beginstand", str(demo / "beginstand_amersfoort.csv")]
    args += ["--plannen", str(demo / "plannen_amersfoort_2022_2023.csv")]
    done = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "p")])
    assert done.exit_code == 0, done.output
    read = {"sep": ";", "dtype": str, "keep_default_na": False, "index_col": 0}
    public = pd.read_csv(tmp_path / "p" / "publiek" / "prognose_samenvatting.csv", **read)
    full = pd.read_csv(tmp_path / "p" / "intern" / "prognose_samenvatting.csv", **read)
    assert full.at["Sloop", "Portaal"] == "-4"
    assert not (public == "").any().any(), public.to_dict()
    hidden = public == "×"
    assert hidden.at["Sloop", "Portaal"]
    assert not (hidden.sum(axis=1) == 1).any(), public.to_dict()
