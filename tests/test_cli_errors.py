"""No traceback from the CLI, ever: every error is one Dutch line and a non-zero exit."""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from geoprestatie import pipeline
from geoprestatie.cli import main


def _raiser(exc: BaseException) -> Callable[..., Any]:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return boom


def _one_line(res: Any) -> str:
    assert res.exit_code != 0
    assert isinstance(res.exception, SystemExit), repr(res.exception)  # handled, not a crash
    assert "Traceback" not in res.output
    lines = [line for line in res.output.splitlines() if line.startswith("Fout:")]
    assert len(lines) == 1, res.output
    return lines[0]


def test_every_command_is_handled() -> None:
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        assert getattr(command.callback, "handled", False), name


@pytest.mark.parametrize("code", sorted(errno.errorcode))
def test_any_os_error_is_one_dutch_line(
    code: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exc = OSError(code, "iets", str(tmp_path / "uit" / "sia.html"))
    monkeypatch.setattr(pipeline, "run", _raiser(exc))
    res = CliRunner().invoke(main, ["run", "--out", str(tmp_path / "uit")])
    line = _one_line(res)
    assert "sia.html" in line
    if code == errno.ENOSPC:
        assert "de schijf is vol" in line
    if code == errno.ENAMETOOLONG:
        assert "pad is te lang" in line


@pytest.mark.parametrize(
    ("exc", "words", "code"),
    [
        (MemoryError(), "te weinig geheugen", 1),
        (KeyboardInterrupt(), "afgebroken", 130),
        (PermissionError(errno.EACCES, "Permission denied", "/x/rapport.pdf"), "geen toegang", 1),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "/x/bezit.csv"), "is een map", 1),
        (OSError("zonder errno"), "zonder errno", 1),
        (RecursionError("maximum recursion depth exceeded"), "onverwachte fout", 1),
        (TypeError("int() argument must be ... 'NAType'"), "fout in geoprestatie", 1),
    ],
)
def test_resource_and_unexpected_errors(
    exc: BaseException, words: str, code: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pipeline, "run", _raiser(exc))
    res = CliRunner().invoke(main, ["run", "--out", str(tmp_path / "uit")])
    assert words in _one_line(res)
    assert res.exit_code == code


def test_stage_command_handled_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from geoprestatie import datasets

    monkeypatch.setattr(datasets, "load_buurten", _raiser(MemoryError()))
    res = CliRunner().invoke(main, ["buurten", "--out", str(tmp_path / "b")])
    assert "te weinig geheugen" in _one_line(res)


def test_console_shows_control_characters_escaped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Names and texts from input files reach the console (the summary's buurt and DIA
    names and red agreements, errors and warnings quoting them): a terminal would act on
    ESC (colours, window title, OSC 52 clipboard), CR (overwrite the line) or a bidi
    override (reorder the text). They are shown as escapes; the newline stays."""
    import warnings

    from geoprestatie.errors import DataWarning, GeoprestatieError

    name = "Oost\x1b]0;gp\x07\x1b]52;c;cm0gLXJm\x07\rBU\u202eexe.txt"

    def run(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(f"buurtnaam {name} onbekend", DataWarning, stacklevel=1)
        raise GeoprestatieError(f"afspraak {name}: fout")

    monkeypatch.setattr(pipeline, "run", run)
    res = CliRunner().invoke(main, ["run", "--out", str(tmp_path / "uit")])
    line = _one_line(res)
    for control in ("\x1b", "\x07", "\r", "\u202e"):
        assert control not in res.output, repr(res.output)
    assert "Oost\\x1b]0;gp\\x07" in line and "\\u202eexe.txt" in line
    assert "Let op: buurtnaam Oost\\x1b" in res.output
