"""rapport.pdf: the report printed on A4 with every table column on the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from maps_fixtures import demo_chain

from geoprestatie.output import pdf, plots, report

pypdf = pytest.importorskip("pypdf")

A4 = (595.28, 841.89)  # points


def _words(page: object) -> list[tuple[float, str]]:
    """(x of the text start, text) of every text run on a PDF page."""
    out: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            out.append((tm[4] * cm[0] + cm[4], text.strip()))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return out


@pytest.mark.browser
@pytest.mark.skipif(pdf.find_engine() is None, reason="no PDF engine (Chromium) installed")
def test_report_prints_on_a4_without_cut_columns(tmp_path: Path) -> None:
    c = demo_chain()
    labels = {k.name: k.label for k in c["config"].criteria}
    png = tmp_path / "sia.png"
    plots.sia_png(c["dia"].buurten, dia_areas=c["dia"].areas, path=png, synthetic=True)
    page = report.report_html(
        title="Rapport demo",
        scored=c["dia"].buurten,
        dia_areas=c["dia"].areas,
        prognosis=c["prognosis"],
        monitor=c["monitor"],
        accounting=c["joined"].report,
        pngs={"SIA-prioriteiten": png},
        criterion_labels=labels,
        top_n=10,
        synthetic=True,
    )
    html = tmp_path / "rapport.html"
    html.write_text(page, encoding="utf-8")
    out, note = pdf.print_pdf(html, tmp_path / "rapport.pdf")
    assert out is not None, note
    doc = pypdf.PdfReader(out)
    assert 3 <= len(doc.pages) <= 20
    words = []
    landscape = 0
    for p in doc.pages:
        w, h = float(p.mediabox.width), float(p.mediabox.height)
        # A4, portrait or (a page holding a table of more than 10 columns) landscape
        assert abs(min(w, h) - A4[0]) < 2 and abs(max(w, h) - A4[1]) < 2, (w, h)
        landscape += w > h
        on_page = _words(p)
        # nothing starts beyond the right margin (a cut column would): 12 mm margins
        assert max(x for x, _ in on_page) < w - 12 / 25.4 * 72
        words += on_page
    assert landscape >= 1  # the accounting table (14 columns) is printed across
    text = " ".join(t for _, t in words)
    # the last columns of the widest tables are printed: criterion contributions, accounting
    assert labels[list(labels)[-1]].split()[-1] in text
    assert "gelezen = gekoppeld + niet gekoppeld" in " ".join(text.split()).replace("- ", "")
    assert "Top 10 buurten (SIA)" in text and "Bronnen" in text


def test_no_engine_no_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_engine", lambda: None)
    (tmp_path / "r.html").write_text("<p>x</p>")
    out, note = pdf.print_pdf(tmp_path / "r.html", tmp_path / "r.pdf")
    assert out is None and "Chromium" in note and not (tmp_path / "r.pdf").exists()


@pytest.mark.browser
@pytest.mark.skipif(pdf.find_engine() is None, reason="no PDF engine (Chromium) installed")
def test_same_report_prints_the_same_bytes(tmp_path: Path) -> None:
    """With a fixed date two prints of one page are byte-identical (a real Chromium print,
    not only the date rewrite), and the date is the one asked for."""
    import datetime as dt

    html = tmp_path / "r.html"
    html.write_text("<html><body><h1>Rapport</h1><p>Woningen é ×</p></body></html>", "utf-8")
    day = dt.date(2025, 1, 2)
    first, _ = pdf.print_pdf(html, tmp_path / "a.pdf", date=day)
    second, _ = pdf.print_pdf(html, tmp_path / "b.pdf", date=day)
    assert first is not None and second is not None
    data = first.read_bytes()
    assert data == second.read_bytes()
    assert b"D:20250102000000" in data
