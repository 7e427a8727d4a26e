"""rapport.pdf: the report printed on A4 with every table column on the page."""

from __future__ import annotations

import os
import signal
import time
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


needs_engine = pytest.mark.skipif(pdf.find_engine() is None, reason="no Chromium installed")
LOADED_PAGE = (
    "<html><body><h1>Rapport</h1><iframe srcdoc='<p>kaart in een frame</p>'></iframe>"
    "<script>addEventListener('load', () => document.body.append('na het laden'))</script>"
    "</body></html>"
)


@pytest.mark.browser
@needs_engine
def test_a_browser_started_ahead_prints_the_same_pdf(tmp_path: Path) -> None:
    """A Chromium started ahead prints what ``--print-to-pdf`` prints, byte for byte, after
    the page (and its frames and load handlers) has loaded; it prints more than once."""
    import datetime as dt

    html = tmp_path / "r.html"
    html.write_text(LOADED_PAGE, "utf-8")
    day = dt.date(2025, 1, 2)
    once, _ = pdf.print_pdf(html, tmp_path / "a.pdf", date=day)
    browser = pdf.start_browser()
    assert browser is not None
    with browser:
        warm, note = pdf.print_pdf(html, tmp_path / "b.pdf", date=day, browser=browser)
        again, _ = pdf.print_pdf(html, tmp_path / "c.pdf", date=day, browser=browser)
    assert once is not None and warm is not None and again is not None, note
    assert warm.read_bytes() == once.read_bytes() == again.read_bytes()
    assert "na het laden" in pypdf.PdfReader(warm).pages[0].extract_text()
    assert browser.failure == ""


def _group(pgid: int) -> list[str]:
    """The live (not zombie) processes of process group ``pgid``, from /proc."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(stat.parent.name)
    return alive


@pytest.mark.browser
@needs_engine
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_the_browser_is_ended_and_removed_on_ctrl_c(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (or any error) in the ``with``: Chromium and its helpers end, and its profile
    and the folder of its lock socket in the temporary directory are gone."""
    import shutil
    import tempfile
    import time

    # a temporary directory of its own, short (a socket's path has a length limit)
    temp = Path(tempfile.mkdtemp(prefix="gp-test-"))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    html = tmp_path / "r.html"
    html.write_text("<p>Rapport</p>", "utf-8")
    try:
        browser = pdf.start_browser()
        assert browser is not None
        with pytest.raises(KeyboardInterrupt), browser:
            pid, work = browser._pipe.pid, Path(browser._dir.name)
            assert pid is not None and work.exists()
            printed, note = pdf.print_pdf(html, tmp_path / "r.pdf", browser=browser)
            assert printed is not None, note
            assert len(_group(pid)) >= 3  # the browser, its zygote and renderer processes
            assert len(list(temp.iterdir())) == 2  # the profile's folder and the lock's
            raise KeyboardInterrupt
        deadline = time.monotonic() + 5
        while _group(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _group(pid) == [] and not browser.running()
        assert list(temp.iterdir()) == []
    finally:
        shutil.rmtree(temp, ignore_errors=True)


@pytest.mark.browser
@needs_engine
def test_a_stopped_or_stuck_browser(tmp_path: Path) -> None:
    """Chromium gone before the print: a Chromium is started for it. No answer in time: no
    PDF, and the Dutch note says why."""
    import os
    import signal
    import time

    html = tmp_path / "r.html"
    html.write_text("<p>Rapport</p>", "utf-8")
    browser = pdf.start_browser()
    assert browser is not None and browser._pipe.pid is not None
    with browser:
        os.killpg(browser._pipe.pid, signal.SIGKILL)
        while browser.running():
            time.sleep(0.01)
        printed, note = pdf.print_pdf(html, tmp_path / "a.pdf", browser=browser)
        assert printed is not None and printed.read_bytes().startswith(b"%PDF"), note
    browser = pdf.start_browser()
    assert browser is not None
    with browser:
        printed, note = pdf.print_pdf(html, tmp_path / "b.pdf", browser=browser, timeout=0.001)
    assert printed is None and not (tmp_path / "b.pdf").exists()
    assert note == browser.failure and "b.pdf niet gemaakt" in note and "binnen de tijd" in note


def test_no_engine_no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_engine", lambda: None)
    assert pdf.start_browser() is None


def test_close_ends_the_helpers_after_the_main_process_died(tmp_path: Path) -> None:
    """A Chromium whose main process dies while a helper of its group lives on: once
    ``running()`` has reaped the main process, ``close()`` still ends the group (found in
    review, session 6: the helpers were left running)."""
    from geoprestatie.output._devtools import DevToolsPipe

    engine = tmp_path / "engine.sh"
    helper_pid = tmp_path / "helper.pid"
    engine.write_text(f"#!/bin/sh\nsleep 60 &\necho $! > {helper_pid}\nexit 1\n")
    engine.chmod(0o755)
    pipe = DevToolsPipe([str(engine)])
    deadline = time.monotonic() + 10
    while pipe.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pipe.running()
    helper = int(helper_pid.read_text())
    pipe.close()
    time.sleep(0.2)
    state = Path(f"/proc/{helper}/stat")
    alive = state.exists() and state.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    if alive:
        os.kill(helper, signal.SIGKILL)
    assert not alive


def test_send_to_a_chromium_that_stopped_reading_ends_at_the_deadline(tmp_path: Path) -> None:
    """A Chromium that no longer reads its pipe: ``send`` waits for a full pipe until its
    deadline and then says so, instead of blocking the run for ever (the write had no
    deadline)."""
    from geoprestatie.output._devtools import DevToolsPipe, DevToolsTimeout

    engine = tmp_path / "engine.sh"
    engine.write_text("#!/bin/sh\nexec sleep 60\n")  # holds the pipe, never reads it
    engine.chmod(0o755)
    pipe = DevToolsPipe([str(engine)])
    try:
        start = time.monotonic()
        with pytest.raises(DevToolsTimeout, match="binnen de tijd"):
            pipe.send("Page.navigate", {"url": "x" * (1 << 20)}, deadline=start + 0.5)
        assert 0.4 < time.monotonic() - start < 5
    finally:
        pipe.close()


def test_the_run_s_browser_is_ended_once_it_has_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report is printed once per run: the browser is ended right after the print
    (its shutdown beside the data files), also when the print failed."""
    import datetime as dt

    from geoprestatie.output import write

    events: list[str] = []

    class Browser:
        def close(self) -> None:
            events.append("closed")

    def print_pdf(html: Path, out: Path, **kwargs: object) -> tuple[Path | None, str]:
        events.append("printed" if kwargs["browser"] is browser else "no browser")
        if html.name == "kapot.html":
            raise OSError("pipe closed")
        return out, ""

    browser = Browser()
    monkeypatch.setattr(pdf, "print_pdf", print_pdf)
    day = dt.date(2026, 1, 2)
    assert write._print_once(tmp_path / "r.html", tmp_path / "r.pdf", date=day, browser=browser)
    assert events == ["printed", "closed"]
    with pytest.raises(OSError):
        write._print_once(tmp_path / "kapot.html", tmp_path / "r.pdf", date=day, browser=browser)
    assert events[2:] == ["printed", "closed"]
    events.clear()
    write._print_once(tmp_path / "r.html", tmp_path / "r.pdf", date=day, browser=None)
    assert events == ["no browser"]
