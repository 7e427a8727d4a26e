from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from geoprestatie.cli import main


def test_buurten_map(tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    res = CliRunner().invoke(main, ["buurten", "--gemeente", "Enschede", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "70 buurten" in res.output
    html = out.read_text(encoding="utf-8")
    assert "BU01530000" in html and "leaflet" in html.lower()


def test_buurten_unknown_gemeente_is_one_line(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main, ["buurten", "--gemeente", "Atlantis", "--out", str(tmp_path / "x.html")]
    )
    assert res.exit_code == 1
    assert res.output.startswith("Fout: ")
    assert "Traceback" not in res.output
    assert "Enschede (GM0153)" in res.output
    assert not (tmp_path / "x.html").exists()


def test_help_and_version() -> None:
    res = CliRunner().invoke(main, ["--help"])
    assert res.exit_code == 0 and "buurten" in res.output
    assert CliRunner().invoke(main, ["--version"]).exit_code == 0


def test_buurten_options_shared_and_crs(tmp_path: Path) -> None:
    """Every command that reads buurten takes --buurten/--gemeente/--layer/--crs alike."""
    import pytest

    from geoprestatie.datasets import load_buurten

    path = tmp_path / "nocrs.shp"
    cols = ["buurtcode", "buurtnaam", "geometry"]
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        load_buurten("Enschede")[cols].set_crs(None, allow_override=True).to_file(path)
    runner = CliRunner()
    for command in ("buurten", "join", "prognose", "monitor"):
        assert "--crs" in runner.invoke(main, [command, "--help"]).output, command
    bad = runner.invoke(
        main, ["buurten", "--buurten", str(path), "--out", str(tmp_path / "a.html")]
    )
    assert bad.exit_code == 1 and "geen coördinatenstelsel" in bad.output
    ok = runner.invoke(
        main,
        [
            "buurten",
            "--buurten",
            str(path),
            "--crs",
            "EPSG:28992",
            "--out",
            str(tmp_path / "b.html"),
        ],
    )
    assert ok.exit_code == 0 and "70 buurten" in ok.output


def test_every_command_is_explained_in_dutch_with_an_example() -> None:
    runner = CliRunner()
    top = runner.invoke(main, ["--help"]).output
    assert "Toon deze uitleg en stop." in top and "geoprestatie run" in top
    for command in main.commands:
        text = runner.invoke(main, [command, "--help"]).output
        assert "Voorbeeld" in text, command
        assert "Toon deze uitleg en stop." in text, command
        assert "uitvoer" in text or command == "init", command  # one output convention


def test_bad_csv_dialect_is_one_dutch_line(tmp_path: Path) -> None:
    from geoprestatie.config import example_config_text

    cfg = tmp_path / "p.toml"
    cfg.write_text(example_config_text().replace('csv = "nl"', 'csv = "excel"'), "utf-8")
    res = CliRunner().invoke(main, ["run", str(cfg), "--out", str(tmp_path / "o")])
    assert res.exit_code == 1 and res.output.startswith("Fout: ")
    assert "[uitvoer] csv is 'excel'" in res.output and "internationaal" in res.output


def test_run_starts_chromium_ahead_and_says_when_there_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run`` starts the PDF printer before the stages, hands it to the output writers,
    ends it after them; without Chromium the run says in one Dutch line that there is no
    rapport.pdf. (Stages and outputs replaced: only the wiring is checked.)"""
    from geoprestatie import pipeline
    from geoprestatie.output import pdf, summary

    events: list[str] = []

    class Printer:
        failure = ""

        def __enter__(self) -> Printer:
            return self

        def __exit__(self, *exc: object) -> None:
            events.append("closed")

    printer = Printer()

    def write_outputs(result: object, out: Path, **kwargs: object) -> list[Path]:
        events.append("written with printer" if kwargs["browser"] is printer else "written")
        return []

    monkeypatch.setattr(pdf, "start_browser", lambda: events.append("started") or printer)
    monkeypatch.setattr(pipeline, "run", lambda config, progress: events.append("run"))
    monkeypatch.setattr(pipeline, "write_outputs", write_outputs)
    monkeypatch.setattr(summary, "summary", lambda *a, **k: "Klaar.")
    res = CliRunner().invoke(main, ["run", "--out", str(tmp_path / "o"), "-q"])
    assert res.exit_code == 0, res.output
    assert events == ["started", "run", "written with printer", "closed"]
    assert "rapport.pdf" not in res.output

    events.clear()
    printer.failure = "rapport.pdf niet gemaakt: chromium faalde (geen antwoord binnen de tijd)"
    res = CliRunner().invoke(main, ["run", "--out", str(tmp_path / "o"), "-q", "--force"])
    assert events[-1] == "closed" and f"Let op: {printer.failure}" in res.output

    events.clear()
    monkeypatch.setattr(pdf, "find_engine", lambda: None)
    monkeypatch.setattr(pdf, "start_browser", lambda: None)
    res = CliRunner().invoke(main, ["run", "--out", str(tmp_path / "o"), "-q", "--force"])
    assert res.exit_code == 0, res.output
    assert events == ["run", "written"]
    assert "Let op: rapport.pdf niet gemaakt: geen PDF-programma gevonden" in res.output


def test_the_program_leaves_without_walking_its_objects() -> None:
    """Run as the program, the CLI freezes what is left at the end (the interpreter's exit
    then skips the cycle search over every object of a run); called with arguments (tests,
    notebooks), it leaves the caller's garbage collector as it was."""
    import gc
    import subprocess
    import sys

    code = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('bevroren' if gc.get_freeze_count() else 'niet'))\n"
        "from geoprestatie.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code, "--version"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "bevroren"
    failed = subprocess.run(
        [sys.executable, "-c", code, "run", "bestaat_niet.toml"], capture_output=True, text=True
    )
    assert failed.returncode == 1 and failed.stderr.startswith("Fout: ")
    assert CliRunner().invoke(main, ["--version"]).exit_code == 0
    assert gc.get_freeze_count() == 0
