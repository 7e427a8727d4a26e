"""The attacker test on the demo: every number in publiek/, every additive relation, LP.

Reads only the files in ``publiek/`` (and the full set in ``intern/`` as the truth and for
the signs of the hidden cells, i.e. an attacker stronger than a real one), writes the
relations between them (buurt totals over corporations and rent classes, DIA sums, the
prognosis chain and its municipal sums) and shows with linear programming that every
hidden cell still admits at least two values. Fails on the old layout (no publiek/).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pyogrio
import pytest
from attack import exposed, intervals
from small_project import write_project

from geoprestatie import pipeline
from geoprestatie.config import RunConfig, demo_config, load_config
from geoprestatie.errors import DataWarning

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("aanval") / "uit"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the demo's deliberate flaws
        config = demo_config()  # without rapport.pdf: the attack reads the tables
        tables = {**config.tables, "uitvoer": {**config.section("uitvoer"), "pdf": False}}
        pipeline.write_outputs(pipeline.run(RunConfig(tables, source=None)), out)
    return out


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", decimal=",", dtype={"buurtcode": str}, na_values=["×"])


def test_publiek_has_no_dwelling_and_no_small_count(demo_out: Path) -> None:
    for path in sorted((demo_out / "publiek").glob("*.csv")):
        frame = _csv(path)
        assert not {"vhe_id", "x", "y", "adres"} & set(frame.columns), path.name
        counts = [c for c in frame if c.startswith(("woningen_", "huur_", "verkoop_gepland"))]
        if path.name in ("prognose.csv",):
            counts = [c for c in frame if c not in ("corporatie", "buurtcode", "jaar")]
        values = frame[counts].apply(pd.to_numeric, errors="coerce").abs()
        assert not ((values >= 1) & (values < 5)).any().any(), path.name


def test_every_hidden_cell_admits_two_values(demo_out: Path) -> None:
    pub, full = demo_out / "publiek", demo_out / "intern"
    table, truth_table = _csv(pub / "buurttabel.csv"), _csv(full / "buurttabel.csv")
    corp = [c for c in table if c.startswith("woningen_") and c != "woningen_corporaties"]
    rent = [c for c in table if c.startswith("huur_")]
    published: dict = {}
    truth: dict = {}
    relations: list = []
    nonzero: set = set()
    for pos, code in enumerate(table["buurtcode"]):
        for col in [*corp, "woningen_corporaties", *rent, "verkoop_gepland"]:
            key = (col, code)
            truth[key] = float(truth_table[col].iloc[pos])
            v = table[col].iloc[pos]
            published[key] = None if pd.isna(v) else float(v)
            if col.startswith("woningen_"):
                nonzero.add(key)
        relations.append((("woningen_corporaties", code), [(c, code) for c in corp]))
        relations.append((("woningen_corporaties", code), [(c, code) for c in rent]))
    for col in [*corp, "woningen_corporaties"]:  # municipal stock: public (accounting, monitor)
        published[(col, "*")] = truth[(col, "*")] = float(truth_table[col].sum())
        relations.append(((col, "*"), [(col, c) for c in table["buurtcode"]]))
    dia = _csv(pub / "dia.csv")
    for _, row in dia.iterrows():
        codes = [c.strip() for c in str(row["buurtcodes"]).split(",")]
        for col in [*corp, "woningen_corporaties", "verkoop_gepland"]:
            if col in dia:
                key = (col, row["dia_id"])
                truth[key] = sum(truth[(col, c)] for c in codes)
                published[key] = None if pd.isna(row[col]) else float(row[col])
                relations.append((key, [(col, c) for c in codes]))
    _prognosis(pub, full, published, truth, relations)
    hidden = [k for k, v in published.items() if v is None]
    assert len(hidden) > 50  # the demo has small groups: the test has something to check
    ivals = intervals(
        published,
        truth,
        relations,
        nonzero_known=nonzero,
        nonpositive=[k for k in truth if k[0] in _REMOVALS],
    )
    for key, (lo, hi) in ivals.items():
        assert lo - 1e-6 <= truth[key] <= hi + 1e-6, key
    assert not exposed(ivals), [k for k in exposed(ivals)][:5]


_REMOVALS = ("sloop", "verkoop", "liberalisatie", "samenvoeging", "tijdelijk_onttrekking")


def _prognosis(pub: Path, full: Path, published: dict, truth: dict, relations: list) -> None:
    prog = _csv(pub / "prognose.csv")
    muts = [
        c
        for c in prog
        if c not in ("corporatie", "buurtcode", "jaar", "beginstand", "eindstand")
        and not c.startswith("tijdelijk_")
    ]
    whole = _csv(full / "prognose.csv")
    sums = whole.groupby(["buurtcode", "jaar"])[["beginstand", "eindstand", *muts]].sum()
    for _, row in prog.iterrows():
        b, y = row["buurtcode"], int(row["jaar"])
        cells = {"beginstand": ("P_stand", b, y), "eindstand": ("P_stand", b, y + 1)}
        cells |= {m: (m, b, y) for m in muts}
        for col, key in cells.items():
            truth[key] = float(sums.loc[(b, y), col])
            published[key] = None if pd.isna(row[col]) else float(row[col])
        relations.append((cells["eindstand"], [cells["beginstand"], *(cells[m] for m in muts)]))
    first = int(prog["jaar"].min())
    start = [k for k in truth if k[0] == "P_stand" and k[2] == first]
    published[("P_stand", "*", first)] = truth[("P_stand", "*", first)] = sum(
        truth[k] for k in start
    )
    relations.append((("P_stand", "*", first), start))
    for code in prog["buurtcode"].unique():  # the start stock is the buurt's stock
        if ("woningen_corporaties", code) in truth and truth[
            ("woningen_corporaties", code)
        ] == truth[("P_stand", code, first)]:
            relations.append((("P_stand", code, first), [("woningen_corporaties", code)]))


# --------------------------------------------------------------------- pinned totals


@pytest.fixture(scope="module")
def pinned_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One dwelling in each of five buurten (one corporation): a public municipal total of
    5 would pin every hidden buurt count to 1."""
    folder = tmp_path_factory.mktemp("vastgepind")
    cfg = write_project(folder, [1] * 5, sales=True, plans=True, rules=True)
    with (folder / "afspraken.toml").open("a", encoding="utf-8") as rules:
        rules.write(  # a count over the whole stock: the municipal total again
            '[[afspraak]]\nid = "N"\ntekst = "Voorraad"\npartij = "corporaties"\n'
            'soort = "regel"\ndataset = "voorraad"\nmeting = "aantal()"\nnorm = 1\n'
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        pipeline.write_outputs(pipeline.run(load_config(cfg)), folder / "uit")
    return folder / "uit"


def _report_table(page: str, heading: str) -> list[list[str]]:
    """The cells of the first table after ``heading`` in a report page."""
    part = page[page.rindex(heading) :]  # the section, not the contents list
    part = part[: part.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", part, flags=re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r, flags=re.S) for r in rows]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in r] for r in cells if r]


def _number(text: object) -> float | None:
    """A published figure (Dutch or plain), None for the suppression label or empty."""
    s = str(text).strip()
    if s in ("×", "", "nan", "None", "<NA>"):
        return None
    return float(s.replace(".", "").replace(",", "."))


def test_pinning_total_hidden_in_every_public_file(pinned_out: Path) -> None:
    pub = pinned_out / "publiek"
    table = _csv(pub / "buurttabel.csv")
    truth = _csv(pinned_out / "intern" / "buurttabel.csv")
    cols = [c for c in table if c.startswith("woningen_")]
    published, known, relations, nonzero = {}, {}, [], set()
    for pos, code in enumerate(table["buurtcode"]):
        for col in cols:
            key = (col, code)
            known[key] = float(truth[col].iloc[pos])
            v = table[col].iloc[pos]
            published[key] = None if pd.isna(v) else float(v)
            nonzero.add(key)  # n_corporaties says which corporations are present
    # every figure of publiek/ that is the municipal corporation stock
    candidates: list[tuple[str, float | None]] = []
    koppeling = _csv(pub / "koppeling.csv").set_index("bron")
    candidates += [("koppeling.csv", _number(koppeling.loc["voorraad", c])) for c in KOPPEL]
    scen = _csv(pub / "prognose_scenarios.csv")
    candidates += [("prognose_scenarios.csv", _number(v)) for v in scen["beginstand"]]
    book = openpyxl.load_workbook(pub / "tabellen.xlsx", read_only=True)
    sheet = list(book["Koppeling"].iter_rows(values_only=True))
    voorraad = next(r for r in sheet if r[0] == "voorraad")
    candidates += [("tabellen.xlsx Koppeling", _number(voorraad[i])) for i in (3, 4)]
    rows = list(book["Scenario's"].iter_rows(values_only=True))
    candidates += [("tabellen.xlsx Scenario's", _number(r[3])) for r in rows[1:]]
    monitor = _csv(pub / "monitor.csv").set_index("afspraak_id")
    assert monitor.loc["N", "status"] == "groen"  # the status stays
    candidates += [("monitor.csv", _number(monitor.loc["N", "gemeten"]))]
    full_monitor = _csv(pinned_out / "intern" / "monitor.csv").set_index("afspraak_id")
    assert full_monitor.loc["N", "gemeten"] == 5  # internal: the count itself
    for text in monitor["toelichting"].dropna():  # no record total in the explanation
        assert not re.search(r"\b5\b", str(text)), text
    gpkg = pyogrio.read_dataframe(pub / "geoprestatie.gpkg", layer="buurttabel")
    for col in cols:
        assert gpkg[col].isna().all(), col  # the GeoPackage hides what the CSV hides
    page = (pub / "rapport.html").read_text(encoding="utf-8")
    years = _report_table(page, "Permanente sociale huurvoorraad per jaar")
    candidates += [("rapport.html voorraad per jaar", _number(years[0][1]))]
    kopp_rows = _report_table(page, "Verantwoording")
    voorraad_row = next(r for r in kopp_rows if r[0] == "voorraad")
    candidates += [("rapport.html verantwoording", _number(v)) for v in voorraad_row[3:5]]
    assert len(candidates) >= 9
    shown = [(where, v) for where, v in candidates if v is not None]
    for n, (_where, total) in enumerate(shown):  # each a relation an attacker can write
        published[("*", n)] = known[("*", n)] = total
        relations.append((("*", n), [("woningen_corporaties", c) for c in table["buurtcode"]]))
    hidden = [k for k, v in published.items() if v is None]
    assert len(hidden) == 10
    ivals = intervals(published, known, relations, nonzero_known=nonzero)
    assert not exposed(ivals), (shown, exposed(ivals))
    assert not shown, shown  # here: only hiding the total protects, so it is hidden everywhere


KOPPEL = ("gelezen", "gekoppeld")


def _demo_with_rules(tmp_path: Path, extra: str) -> pipeline.RunResult:
    """The demo run with the agreements ``extra`` (TOML) added to its own."""
    config = demo_config()
    rules = tmp_path / "afspraken.toml"
    own = Path(config.tables["afspraken"]["bestand"]).read_text(encoding="utf-8")
    rules.write_text(own + extra, encoding="utf-8")
    tables = {**config.tables, "afspraken": {**config.tables["afspraken"], "bestand": rules}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the demo's deliberate flaws
        return pipeline.run(RunConfig(tables, source=None))


def test_net_growth_agreement_shows_no_hidden_summary_cell(tmp_path: Path) -> None:
    """A net-growth agreement of one corporation measures the prognosis summary's cell
    "Permanente netto groei inclusief sloop" of that corporation; where the summary hides it
    (it would give the 4 demolished dwellings of Portaal back: 114 with, 118 without
    demolition), the monitor showed it anyway. Now hidden there too; the status stays."""
    result = _demo_with_rules(
        tmp_path,
        '\n[[afspraak]]\nid = "P3"\ntekst = "Portaal: netto groei"\npartij = "Portaal"\n'
        'soort = "prognose"\ndoel = "netto_groei"\ncorporatie = "Portaal"\nvan = 2022\n'
        "tot = 2023\ninclusief_sloop = true\nnorm = 100\n",
    )
    from geoprestatie.publication import publish

    pub = publish(result)
    summary = pub.prognosis_summary
    assert summary is not None
    assert pd.isna(summary.at["Permanente netto groei inclusief sloop", "Portaal"])
    assert summary.at["Permanente netto groei exclusief sloop", "Portaal"] == 118
    table = pub.monitor.table.set_index("afspraak_id")  # type: ignore[union-attr]
    assert result.monitor.table.set_index("afspraak_id").at["P3", "gemeten"] == 114  # type: ignore[union-attr]
    assert pd.isna(table.at["P3", "gemeten"]) and pd.isna(table.at["P3", "toelichting"])
    assert table.at["P3", "status"] == "groen"
    assert table.at["P2", "gemeten"] == 78  # de Alliantie's figure is public in the summary


def test_monitor_groups_per_buurt_give_no_hidden_cell_back(tmp_path: Path) -> None:
    """A rule per buurt counting planned sales measures the buurt table's verkoop_gepland
    (so does a rule for the municipality selecting one buurt):
    De Horsten's 9 (hidden beside Hoefkwartier's 3 so that DIA-02's 57 pins neither) was
    shown in monitor_groepen, and 57 - 23 - 10 - 12 - 9 gave Hoefkwartier's 3 back. A group
    per buurt is now hidden wherever the public buurt table hides a figure of the buurt."""
    result = _demo_with_rules(
        tmp_path,
        '\n[[afspraak]]\nid = "S1"\ntekst = "Verkoop per buurt"\npartij = "corporaties"\n'
        'soort = "regel"\ndataset = "verkoop"\nmeting = "aantal(status == \'voorgenomen\')"\n'
        'vergelijking = "<="\nnorm = 50\nper = "buurtcode"\n'
        # the same figure of one buurt in a row for the municipality
        '[[afspraak]]\nid = "X1"\ntekst = "Verkoop De Horsten"\npartij = "corporaties"\n'
        'soort = "aantal"\ndataset = "verkoop"\nvergelijking = "<="\nnorm = 50\n'
        'selectie = [{ kolom = "buurtcode", op = "==", waarde = "BU03071002" },'
        ' { kolom = "status", op = "==", waarde = "voorgenomen" }]\n',
    )
    from geoprestatie.publication import publish, suppressed_mask

    pub = publish(result)
    table = pub.joined.table
    hidden = set(table["buurtcode"].astype(str)[suppressed_mask(table).any(axis=1).to_numpy()])
    groups = pub.monitor.groepen  # type: ignore[union-attr]
    truth = result.monitor.groepen.set_index("buurtcode")  # type: ignore[union-attr]
    assert truth.at["BU03071002", "gemeten"] == "9" and truth.at["BU03072500", "gemeten"] == "3"
    shown = groups[groups["buurtcode"].astype(str).isin(hidden)]
    assert len(shown) and shown["gemeten"].isna().all(), shown.to_dict("records")
    rows = pub.monitor.table.set_index("afspraak_id")  # type: ignore[union-attr]
    assert result.monitor.table.set_index("afspraak_id").at["X1", "gemeten"] == 9  # type: ignore[union-attr]
    assert pd.isna(rows.at["X1", "gemeten"]) and pd.isna(rows.at["X1", "toelichting"])
