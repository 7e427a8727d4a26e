"""output.files: the output set as one transaction (publiek/, intern/, run.json)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from geoprestatie import _fork
from geoprestatie.errors import GeoprestatieError
from geoprestatie.output import files


def _writer(text: str, *, fail: bool = False):
    def write(folder: Path) -> list[Path]:
        path = folder / "a.csv"
        path.write_text(text)
        if fail:
            raise OSError(errno.ENOSPC, "No space left on device")
        return [path]

    return write


def _write(out: Path, text: str = "new", **kw) -> list[Path]:
    return files.write_output_set(
        out, public=_writer(text), internal=_writer(text + "-intern"), **kw
    )


def test_layout_and_manifest(tmp_path: Path) -> None:
    written = _write(tmp_path / "uit")
    out = tmp_path / "uit"
    assert {p.name for p in out.iterdir()} == {"publiek", "intern", "run.json"}
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert [f["pad"] for f in manifest["bestanden"]] == ["intern/a.csv", "publiek/a.csv"]
    assert manifest["bestanden"][1]["bytes"] == 3 and len(manifest["bestanden"][1]["sha256"]) == 64
    assert written[-1] == out / "run.json"


@pytest.mark.skipif(not _fork.available(), reason="no fork on this platform")
def test_intern_is_written_niced_beside_publiek(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """intern/ is awaited last: its process runs at a lower priority than the one writing
    publiek/ (whose PDF print ends the run); also in a large run (a national one: the
    dwellings are x/y columns, the job is light)."""
    monkeypatch.setattr(_fork, "spare_core", lambda: True)
    monkeypatch.setattr(_fork, "small", lambda: False)
    seen = {}

    def writer(name: str):
        def write(folder: Path) -> list[Path]:
            seen[name] = os.nice(0)
            path = folder / f"{name}.txt"
            path.write_text(str(os.nice(0)))
            return [path]

        return write

    files.write_output_set(tmp_path / "uit", public=writer("publiek"), internal=writer("intern"))
    here = os.nice(0)
    assert seen == {"publiek": here}  # intern/ ran in another process
    niced = int((tmp_path / "uit" / "intern" / "intern.txt").read_text())
    assert niced == min(here + _fork.BACKGROUND_NICE, 19) > here


def test_second_run_needs_force_and_replaces_the_whole_set(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    _write(out, "old")
    with pytest.raises(files.OutputExistsError, match="--force"):
        _write(out, "new")
    _write(out, "new", force=True)
    assert (out / "publiek" / "a.csv").read_text() == "new"
    assert not [p for p in out.iterdir() if p.name.startswith(".geoprestatie")]


def test_failed_run_leaves_the_previous_set_whole(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    _write(out, "old")
    with pytest.raises(GeoprestatieError, match="schijf is vol"):
        files.write_output_set(
            out, public=_writer("new"), internal=_writer("x", fail=True), force=True
        )
    assert (out / "publiek" / "a.csv").read_text() == "old"
    assert (out / "intern" / "a.csv").read_text() == "old-intern"
    assert not [p for p in out.iterdir() if p.name.startswith(".geoprestatie")]


def test_force_never_replaces_a_file_the_manifest_does_not_list(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    _write(out, "old")
    (out / "publiek" / "mijn_notities.txt").write_text("keep")
    with pytest.raises(files.OutputExistsError, match=r"mijn_notities\.txt"):
        _write(out, "new", force=True)
    assert (out / "publiek" / "mijn_notities.txt").read_text() == "keep"


def test_input_inside_the_output_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    out.mkdir()
    (out / "prognose.csv").write_text("corporatie;aantal\n")
    with pytest.raises(files.OutputExistsError, match=r"invoerbestand .*prognose\.csv"):
        _write(out, inputs=[out / "prognose.csv"])


def test_stale_staging_and_interrupted_swap_are_cleaned_at_start(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    _write(out, "old")
    (out / ".geoprestatie-staging-dood").mkdir()  # a killed run's staging folder
    # a kill in the middle of a swap: previous set moved aside, manifest not yet in place
    aside = out / ".geoprestatie-vorige-x"
    aside.mkdir()
    for name in ("publiek", "run.json"):
        os.replace(out / name, aside / name)
    (out / "publiek").mkdir()
    (out / "publiek" / "a.csv").write_text("half new")
    files.cleanup_stale(out)
    assert (out / "publiek" / "a.csv").read_text() == "old"
    assert (out / "run.json").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".geoprestatie")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_is_one_clear_line(tmp_path: Path) -> None:
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(GeoprestatieError, match="schrijfrechten"):
            _write(out)
    finally:
        out.chmod(0o700)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EROFS, "alleen-lezen"),
        (errno.ENAMETOOLONG, "pad is te lang"),
        (errno.EACCES, "schrijfrechten"),
    ],
)
def test_unwritable_folder_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files.tempfile, "NamedTemporaryFile", refuse)
    with pytest.raises(GeoprestatieError, match=words):
        files.check_output_folder(tmp_path / "uit")


def test_full_disk_is_refused_before_the_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        files.shutil,
        "disk_usage",
        lambda _: os.statvfs_result((0,) * 10) and type("U", (), {"free": 10 * 2**20})(),
    )
    with pytest.raises(GeoprestatieError, match="MB vrij"):
        files.check_output_folder(tmp_path / "uit")


def test_sigterm_during_the_write_removes_the_staging_folder(tmp_path: Path) -> None:
    import signal

    def killed(folder: Path) -> list[Path]:
        (folder / "a.csv").write_text("x")
        os.kill(os.getpid(), signal.SIGTERM)
        return []

    out = tmp_path / "uit"
    with pytest.raises(KeyboardInterrupt):
        files.write_output_set(out, public=killed, internal=_writer("y"))
    assert list(out.iterdir()) == []
