"""_fork: jobs in forked children give back their value, warnings and errors."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from geoprestatie import _fork
from geoprestatie.errors import DataWarning, InputError

pytestmark = pytest.mark.skipif(not _fork.available(), reason="no fork on this platform")


@pytest.fixture(autouse=True)
def _a_free_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork whatever the machine's load and the process's size (the tests check the
    forked path)."""
    monkeypatch.setattr(_fork, "spare_core", lambda: True)
    monkeypatch.setattr(_fork, "small", lambda: True)


def test_value_and_files_come_from_another_process(tmp_path: Path) -> None:
    def job() -> tuple[int, Path]:
        path = tmp_path / "a.txt"
        path.write_text("x")
        return os.getpid(), path

    pid, path = _fork.start(job).result()
    assert pid != os.getpid()
    assert path.read_text() == "x"


def test_warnings_are_issued_in_the_parent() -> None:
    def job() -> int:
        warnings.warn("3 rijen apart gezet", DataWarning, stacklevel=1)
        return 1

    with pytest.warns(DataWarning, match="3 rijen apart gezet"):
        assert _fork.start(job).result() == 1


def test_errors_are_raised_in_the_parent() -> None:
    def bad_input() -> None:
        raise InputError("kolom ontbreekt", source="x.csv", column="vhe_id")

    with pytest.raises(InputError, match=r"x\.csv.*vhe_id.*kolom ontbreekt"):
        _fork.start(bad_input).result()

    def full_disk() -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        _fork.start(full_disk).result()


def test_an_unpicklable_value_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match=r"PicklingError|Can.t pickle|cannot pickle"):
        _fork.start(lambda: lambda: 1).result()


def test_a_child_that_dies_is_reported() -> None:
    with pytest.raises(ChildProcessError, match="exitcode 3"):
        _fork.start(lambda: os._exit(3)).result()


def test_a_job_inside_a_child_runs_in_place() -> None:
    def job() -> tuple[bool, int]:
        inner = _fork.start(os.getpid).result()
        return _fork.available(), inner == os.getpid()

    assert _fork.start(job).result() == (False, True)


def test_cancel_stops_the_child(tmp_path: Path) -> None:
    def slow() -> None:
        import time

        time.sleep(30)
        (tmp_path / "late.txt").write_text("x")

    job = _fork.start(slow)
    job.cancel()
    assert not (tmp_path / "late.txt").exists()


def test_without_fork_the_job_runs_here_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fork, "available", lambda: False)
    ran: list[int] = []
    job = _fork.start(lambda: ran.append(os.getpid()) or 7)
    assert ran == []  # not yet: the work keeps its place
    assert job.result() == 7 and ran == [os.getpid()]
    job = _fork.start(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        job.result()
    cancelled = _fork.start(lambda: ran.append(0))
    cancelled.cancel()
    assert ran == [os.getpid()]


def test_spare_core_needs_two_cores_and_a_free_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    monkeypatch.setattr(_fork, "others_running", lambda: 1)  # another task runs now
    monkeypatch.setattr(os, "getloadavg", lambda: (1.2, 0.0, 0.0))
    assert _fork.spare_core()
    monkeypatch.setattr(os, "getloadavg", lambda: (1.6, 0.0, 0.0))
    assert not _fork.spare_core()
    # a lagging load average (a run just ended) but nothing else runnable now
    monkeypatch.setattr(_fork, "others_running", lambda: 0)
    assert _fork.spare_core()
    monkeypatch.setattr(_fork, "others_running", lambda: None)  # no /proc
    assert not _fork.spare_core()
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0})
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not _fork.spare_core()


def _fake_proc(root: Path, running: int, tasks: dict[int, tuple[int, list[str]]]) -> str:
    """A /proc with ``running`` runnable tasks in loadavg and processes pid: (ppid, states
    of its threads)."""
    root.mkdir()
    (root / "loadavg").write_text(f"1.61 1.70 1.64 {running}/107 24186\n")
    for pid, (ppid, states) in tasks.items():
        (root / str(pid)).mkdir()
        (root / str(pid) / "stat").write_text(f"{pid} (a (b) c) {states[0]} {ppid} 1 1\n")
        for n, state in enumerate(states):
            (root / str(pid) / "task" / str(pid + n)).mkdir(parents=True)
            (root / str(pid) / "task" / str(pid + n) / "stat").write_text(
                f"{pid + n} (x) {state} {ppid} 1\n"
            )
    return str(root)


def test_others_running_leaves_out_this_run_s_own_tasks(tmp_path: Path) -> None:
    me = os.getpid()
    # this process (2 running threads), a forked job (running), the PDF engine's helper
    # under its main process (running); 1 running task of another program, 1 sleeping
    ours = {me: (1, ["R", "R"]), 900001: (me, ["R"]), 900002: (me, ["S"]), 900003: (900002, ["R"])}
    others = {900010: (1, ["R", "S"]), 900011: (1, ["S"])}
    # a kernel worker (a child of kthreadd, pid 2) writing back files: not another program
    kernel = {900020: (2, ["R"]), 900021: (2, ["S"])}
    proc = _fake_proc(tmp_path / "proc", 6, {**ours, **others, **kernel})
    assert _fork.others_running(proc) == 1
    proc = _fake_proc(tmp_path / "proc2", 4, ours)
    assert _fork.others_running(proc) == 0
    (tmp_path / "proc2" / "loadavg").write_text("garbage\n")
    assert _fork.others_running(proc) is None
    # the real /proc: this process is running while it counts, and is left out
    assert 0 <= (_fork.others_running() or 0) < 1000


def test_a_large_process_runs_its_jobs_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    monkeypatch.setattr(_fork, "spare_core", lambda: True)
    monkeypatch.setattr(_fork, "MAX_FORK_RSS", 1)  # every process is large
    assert not _fork.small()
    assert _fork.start(os.getpid).result() == os.getpid()
    # a light job (buurt-level work) still runs beside a large run
    assert _fork.start(os.getpid, light=True).result() != os.getpid()
    monkeypatch.setattr(_fork, "MAX_FORK_RSS", 1 << 60)
    assert _fork.small()
    assert _fork.start(os.getpid).result() != os.getpid()


def test_a_background_job_runs_niced() -> None:
    """A job asked for last runs niced: it takes a core only when the rest leave it."""
    here = os.nice(0)
    niced = _fork.start(lambda: os.nice(0), background=True).result()
    assert niced == min(here + _fork.BACKGROUND_NICE, 19) > here
    assert _fork.start(lambda: os.nice(0)).result() == here
    assert os.nice(0) == here  # the caller keeps its priority


def test_busy_while_the_child_works(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    job = _fork.start(lambda: time.sleep(0.5) or 1)
    assert job.busy()
    assert job.result() == 1 and not job.busy()
    monkeypatch.setattr(_fork, "available", lambda: False)
    assert not _fork.start(lambda: 2).busy()  # no child: it runs when asked, never beside


def test_a_job_keeps_a_freeze_made_before_it() -> None:
    """A job freezes the heap while its child runs and thaws it when done, but leaves a
    freeze the caller made before it (the CLI's, for the output stage) in place."""
    import gc

    assert gc.get_freeze_count() == 0
    _fork.start(lambda: 1).result()
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        _fork.start(lambda: 1).result()
        assert gc.get_freeze_count() >= frozen > 0
    finally:
        gc.unfreeze()
