from __future__ import annotations

import base64
import html as htmllib
import re

import geopandas as gpd
import pandas as pd
import pytest
from maps_fixtures import demo_chain, published

from geoprestatie import prognosis as pg
from geoprestatie.errors import InputError
from geoprestatie.output import maps, report
from geoprestatie.output._fmt import nl_int

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _monitor_table() -> pd.DataFrame:
    """Three agreements in the shape of agreements.monitor(...).table."""
    return pd.DataFrame(
        {
            "afspraak_id": ["V1", "M1", "B1"],
            "tekst": ["Geen verkoop E/F/G", "Minimaal 12.000 woningen", "85% betaalbaar"],
            "partij": ["corporaties", "Portaal", "de Alliantie"],
            "status": ["rood", "groen", "onbekend"],
            "gemeten": [10.0, 12345.0, float("nan")],
            "norm": [0.0, 12000.0, 0.85],
            "toelichting": ["10 record(s)", "12345 records", "geen records in de selectie"],
            "n_overtredingen": pd.array([10, 0, None], dtype="Int64"),
            "soort": ["verbod", "aantal", "aandeel"],
            "vergelijking": ["0 overtredingen", ">= 12000", ">= 85%"],
            "bron": ["Prestatieafspraken 2022", "Prestatieafspraken 2022", "x"],
        }
    )


def _offending() -> pd.DataFrame:
    # 6 dwellings in BU1, 1 in BU2, 3 without a buurt (worked out: 6 / < 5 / < 5)
    return pd.DataFrame(
        {
            "vhe_id": [f"V{i:04d}" for i in range(10)],
            "buurtcode": ["BU1"] * 6 + ["BU2"] + [None] * 3,
            "energielabel": ["F"] * 10,
        }
    )


def test_monitor_traffic_lights_and_privacy_by_hand() -> None:
    table = _monitor_table()
    page = report.monitor_html(table, overtredingen={"V1": _offending()})
    assert page.startswith("<!DOCTYPE html>") and 'lang="nl"' in page
    assert page.count('class="light"') == 3
    for word in ("rood: niet voldaan", "groen: voldaan", "onbekend: niet te bepalen"):
        assert word in page
    # onbekend is grey, never green
    row_b1 = page[page.index("onbekend: niet") - 120 : page.index("onbekend: niet")]
    assert "#9e9e9e" in row_b1 and "#1a9850" not in row_b1
    assert "12.345" in page and "≥ 12.000" in page and "≥ 85%" in page
    assert "Geen verkoop E/F/G" in page and "de Alliantie" in page
    # dwelling-level records are published as counts per buurt, small counts suppressed
    assert "V0001" not in page
    assert re.search(r"<td>BU1</td><td[^>]*>6</td>", page)
    assert re.search(r"<td>BU2</td><td>×</td>", page)
    assert re.search(r"<td>\(geen buurt\)</td><td>×</td>", page)
    full = report.monitor_html(table, overtredingen={"V1": _offending()}, show_dwellings=True)
    assert "V0001" in full


def test_monitor_escapes_and_validates() -> None:
    mon = _monitor_table().head(1).assign(tekst="<script>alert(1)</script>", partij="<b>")
    page = report.monitor_html(mon, title="<i>t</i>")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>" not in page and "<i>t</i>" not in page
    with pytest.raises(InputError, match="status"):
        report.monitor_html(mon.assign(status=["paars"]))
    with pytest.raises(InputError, match="gemeten"):
        report.monitor_html(mon.drop(columns=["gemeten"]))
    with pytest.raises(TypeError, match="MonitorResult"):
        report.monitor_html(["V1"])


def test_monitor_real_chain() -> None:
    result = demo_chain()["monitor"]
    page = report.monitor_html(
        result, buurten=demo_chain()["buurten"], synthetic=True, max_rows=10_000
    )
    for rec in result.table.itertuples():
        assert f">{rec.afspraak_id}<" in page
        word = report.STATUS_COLOURS[rec.status][1]
        assert word in page
    # the offending records of each afspraak: counted per buurt, never single dwellings
    assert result.overtredingen
    for ident, records in result.overtredingen.items():
        block = page[page.index(f'id="afspraak-{ident}"') :]
        block = block[: block.index("</details>")]
        assert not any(str(v) in block for v in records["vhe_id"])
        for code, n in records["buurtcode"].value_counts().items():
            shown = "×" if n < 5 else nl_int(n)
            assert re.search(rf"<td>{code}</td><td>[^<]*</td><td[^>]*>{shown}</td>", block)


def test_accounting_real_chain() -> None:
    rep = demo_chain()["joined"].report
    page = report.accounting_html(rep)
    frame = rep.to_frame()
    for rec in frame.itertuples():
        assert nl_int(rec.gelezen) in page and nl_int(rec.gekoppeld) in page
    assert page.count("<td>ja</td>") == len(frame)  # read = joined + not joined
    assert "Gelezen" in page and "Niet gekoppeld, per reden" in page
    # row numbers per reason, never the values (addresses, coordinates, ids)
    nj = rep.not_joined
    for rec in nj.itertuples():
        assert str(rec.bron_rij) in page
        if isinstance(rec.waarde, str):
            assert rec.waarde not in page, rec.waarde
    assert "buiten alle buurten" in page and "ongeldige waarde" in page


def _hand_prognosis() -> pd.DataFrame:
    start = pg.start_from_frame(
        pd.DataFrame({"corporatie": ["A", "B"], "aantal": [1000, 500]}), peildatum="2025-01-01"
    )
    plans = pg.plans_from_frame(
        pd.DataFrame(
            {
                "corporatie": ["A", "A", "B"],
                "jaar": [2025, 2026, 2026],
                "mutatie": ["nieuwbouw", "sloop", "verkoop"],
                "aantal": [234, 34, 7],
            }
        )
    )
    return pg.project(start, plans, config=pg.PrognosisConfig(eindjaar=2026))


def test_report_html_self_contained(
    scored_grid: gpd.GeoDataFrame,
    dia_grid: gpd.GeoDataFrame,
) -> None:
    evil = scored_grid.copy()
    evil["buurtnaam"] = evil["buurtnaam"].astype(object)
    evil.loc[0, "buurtnaam"] = "<script>alert(1)</script>"
    evil, _ = published(evil)  # what publiek/ gets: the 3-dwelling buurt hidden
    m = maps.sia_map(evil, dia_areas=dia_grid)
    accounting = pd.DataFrame(
        {"bron": ["voorraad.csv"], "records": [1500], "gekoppeld": [1490], "gemeld": [10]}
    )
    page = report.report_html(
        title="Rapport <Testdorp>",
        scored=evil,
        dia_areas=dia_grid,
        prognosis=_hand_prognosis(),
        monitor=_monitor_table(),
        accounting=accounting,
        maps={"SIA": m},
        pngs={"SIA-kaart": PNG},
        criterion_labels={"aandeel_efg": "Veel slechte labels"},
        synthetic=True,
    )
    assert "<script>alert(1)" not in page
    assert "<script" not in page  # the map is in an escaped srcdoc attribute, not live
    srcdoc = re.search(r'srcdoc="([^"]*)"', page)
    assert srcdoc is not None and "L.map" in htmllib.unescape(srcdoc.group(1))
    assert "data:image/png;base64," in page
    assert "Rapport &lt;Testdorp&gt;" in page and "synthetisch" in page
    for heading in (
        "Top 15 buurten (SIA)",
        "Dynamische investeringsagenda: DIA-gebieden",
        "Prognose sociale huurvoorraad",
        "Monitor prestatieafspraken",
        "Bronnen",
        "Verantwoording",
    ):
        assert heading in page, heading
    assert "1.490" in page  # Dutch numbers in the tables
    top = page[page.index('id="top"') : page.index('id="dia"')]
    assert "Buurt 1" in top and "Buurt 8" not in top  # the 3-dwelling buurt is hidden
    assert "minder dan 5 woningen" in page  # and the note says why
    assert "Veel slechte labels" in top and "Energielabels" not in top
    assert "Noord" in page and "Oppervlakte (ha)" not in page  # hand DIA has no aggregates
    # prognosis: A 1000 + 234 - 34 = 1200, B 500 - 7 = 493 -> 1693 at the end of 2026
    prog = page[page.index('id="prognose"') : page.index('id="monitor"')]
    assert "Toevoeging permanente nieuwbouw" in prog and "Sloop" in prog
    assert re.search(r"<td>2026</td><td[^>]*>1.734</td><td[^>]*>1.693</td>", prog)
    assert re.search(
        r"Permanente netto groei inclusief sloop</td>(<td[^>]*>[^<]*</td>){2}"
        r"<td[^>]*>193</td>",
        prog,
    )
    assert "CBS, Kadaster" in page  # default sources: the embedded data catalogue


def test_report_real_chain() -> None:
    c = demo_chain()
    areas = c["dia"].areas
    page = report.report_html(
        scored=c["dia"].buurten,
        dia_areas=areas,
        prognosis=c["prognosis"],
        monitor=c["monitor"],
        accounting=c["joined"].report,
        criterion_labels={k.name: k.label for k in c["config"].criteria},
        synthetic=True,
    )
    dia = page[page.index('id="dia"') : page.index('id="prognose"')]
    for rec in areas.itertuples():
        assert htmllib.escape(rec.dia_naam) in dia and nl_int(rec.woningen_corporaties) in dia
    summary = pg.summary_table(c["prognosis"])
    net = summary.loc["Permanente netto groei inclusief sloop", "Totaal"]
    assert re.search(rf"inclusief sloop</td>(<td[^>]*>[^<]*</td>)*<td[^>]*>{net}</td></tr>", page)
    assert "Kans in top 10 (%)" in page and "Niet gekoppeld, per reden" in page


def test_html_table_rejects_missing_column() -> None:
    with pytest.raises(InputError, match="'x'"):
        report.html_table(pd.DataFrame({"a": [1]}), columns={"x": "X"})


def test_report_of_many_gemeenten_summarises_per_gemeente(
    scored_grid: gpd.GeoDataFrame, dia_grid: gpd.GeoDataFrame
) -> None:
    # nine buurten in seven gemeenten; two DIAs (D1: two buurten in Noordoord, D2: one)
    names = ["Noordoord", "Noordoord", "Oost", "Oost", "Zuid", "West", "Midden", "Hoog", "Laag"]
    many = scored_grid.assign(
        gemeentenaam=names,
        dia_id=pd.array(["D1", "D1", "D2"] + [None] * 6, dtype="string"),
    )
    areas = pd.concat([dia_grid, dia_grid.assign(dia_id="D2", dia_naam="Zuidelijk")])
    plan = _hand_prognosis()  # corporations A and B
    summarised = report.report_html(scored=many, dia_areas=areas, prognosis=plan, max_gemeenten=5)
    detailed = report.report_html(scored=many, dia_areas=areas, prognosis=plan, max_gemeenten=7)
    dia_part = summarised.split('id="dia"')[1].split("<h2")[0]
    assert "Per gemeente samengevat (2 DIA" in dia_part and "Zuidelijk" not in dia_part
    rows = re.findall(r"<tr>(.*?)</tr>", dia_part, flags=re.S)
    cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r) for r in rows]
    assert ["Noordoord", "1", "2"] in cells and ["Oost", "1", "1"] in cells  # DIA's, buurten
    assert "Zuidelijk" in detailed.split('id="dia"')[1].split("<h2")[0]
    assert "Eindstand B" in detailed and "Eindstand B" not in summarised
    assert "per corporatie en buurt: prognose.csv" in summarised


def test_programme_tables_print_shares_and_segments_for_readers() -> None:
    """The printed 'Realisatie tegenover de plannen' showed a realisation rate of 87 of 99
    planned as "1" (every share rounded to a whole number) and segments by their codes
    ("koop_betaalbaar")."""
    from geoprestatie.programme import ProgrammeResult

    rates = pd.DataFrame(
        {"corporatie": ["Portaal"], "zekerheid": ["hard"], "richting": ["toevoeging"],
         "jaar": [2025], "gepland": [99], "gerealiseerd": [87], "realisatiegraad": [0.879]}
    )  # fmt: skip
    signals = pd.DataFrame(
        {"segment": ["koop_betaalbaar"], "signaal": ["tekort"], "zeker": [True],
         "vanaf": [2025], "toelichting": ["koop betaalbaar t/m 2034: tekort"]}
    )  # fmt: skip
    page = report._programme_section(
        ProgrammeResult(prognosis=pd.DataFrame(), rates=rates, signals=signals)
    )
    assert '<td class="num">87,9 %</td>' in page
    assert "<td>koop betaalbaar</td>" in page and "koop_betaalbaar" not in page
    assert '<td class="num">2025</td>' in page and '<td class="num">99</td>' in page


def test_a_prognosis_of_many_corporations_prints_a_row_per_corporation() -> None:
    """A national run's 'Mutaties per corporatie' had a column per corporation (270): the
    printed table ran off its landscape page with the totals; and its heading stayed
    behind at the foot of the portrait page before it."""
    corps = [f"Corporatie {i:02d}" for i in range(12)]
    start = pg.start_from_frame(
        pd.DataFrame({"corporatie": corps, "aantal": [100] * 12}), peildatum="2025-01-01"
    )
    plans = pg.plans_from_frame(
        pd.DataFrame({"corporatie": corps, "jaar": 2025, "mutatie": "nieuwbouw", "aantal": 7})
    )
    prognosis = pg.project(start, plans, config=pg.PrognosisConfig(eindjaar=2025))
    table = report._prognosis_table(prognosis, per_corporation=False)
    first = table[: table.index("</table>")]
    assert first.count("<th>") <= report.WIDE_COLUMNS and 'class="wide"' not in first
    assert "<th>Corporatie</th>" in first and first.count("<tr>") == 1 + 12 + 1  # + Totaal
    assert "<td>Totaal</td>" in first
    wide = report.html_table(pd.DataFrame({f"k{i}": [i] for i in range(12)}))
    page = report._headings_with_wide(f'<h2 id="v">Verantwoording</h2>{wide}')
    assert page.startswith('<div class="wide"><h2 id="v">Verantwoording</h2><table>')


def test_monitor_explanations_read_as_text_not_code() -> None:
    """The monitor's 'Toelichting' showed the rule as code: "conditiescore >= 4",
    "waar afspraak == '1.3'" (report and monitor.html of the agreement examples)."""
    table = _monitor_table().assign(
        toelichting=["74 record(s) met energielabel in F, G of conditiescore >= 4",
                     "waar afspraak == '1.3': 2 records", "waar status != 'x'"]
    )  # fmt: skip
    page = report.monitor_html(table)
    assert "conditiescore ≥ 4" in page and "afspraak = &#39;1.3&#39;" in page
    assert "status ≠" in page and ">=" not in page and "==" not in page


def test_no_eligible_buurt_prints_a_sentence_not_empty_tables() -> None:
    """The Enschede example's report printed 'Top 10 buurten' and 'Bijdrage per criterium'
    as tables of headers only under the sentence that no buurt is eligible."""
    import geopandas as gpd
    from shapely.geometry import box

    scored = gpd.GeoDataFrame(
        {"buurtcode": ["BU1", "BU2"], "buurtnaam": ["A", "B"], "sia_score": [float("nan")] * 2,
         "sia_rang": pd.array([None, None], dtype="Int64"), "sia_geschikt": [False, False],
         "sia_reden": ["geen woningen"] * 2, "woningen_corporaties": [30, 40],
         "bijdrage_verkoop": [float("nan")] * 2},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=28992,
    )  # fmt: skip
    part = report._top_table(scored, 10, None)
    assert "Geen buurt is geschikt voor de SIA" in part
    assert "<table" not in part and "Bijdrage per criterium" not in part


def test_a_hidden_monitor_figure_is_explained_on_the_page() -> None:
    """monitor.html of the Enschede example showed 22 × cells and nowhere said what × means."""
    from geoprestatie.publication import MIN_ATTR, SUPPRESSED_ATTR

    table = _monitor_table()
    mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    mask.loc[0, ["gemeten", "toelichting"]] = True
    table.attrs = {SUPPRESSED_ATTR: mask, MIN_ATTR: 10}
    page = report.monitor_html(table)
    assert "<td>×</td>" in page or '<td class="num">×</td>' in page
    assert "× = niet getoond (privacy): minder dan 10 woningen" in page
    assert "niet getoond (privacy)" not in report.monitor_html(_monitor_table())
