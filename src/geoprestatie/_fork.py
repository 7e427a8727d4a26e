"""Independent jobs in forked worker processes (private; used by the pipeline and ``output``).

Much of a run is Python holding the GIL (matplotlib drawing, xlsxwriter cells, pandas), so
threads do not use the second core. On Linux a job can run in a child process made with
``fork``: the child shares the parent's memory copy-on-write (the run's data is neither
pickled nor recomputed), does its work (writes its files, computes a stage) and sends back
only its return value, the warnings it raised and its exception, if any. :func:`start`
returns a :class:`Job` whose ``result()`` waits for the child and gives the value
(re-raising the exception, re-issuing each warning in the parent, so nothing the job says
is lost).

Where ``fork`` is not safe or not there (macOS, Windows), inside a child, when no second
core is free (:func:`spare_core`) and in a large run (:func:`small`: the children's memory
would add up), the job runs in the calling process when its result is asked for: same
result, same order of progress lines and warnings as without jobs, one core.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import time
import warnings
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

__all__ = [
    "BACKGROUND_NICE",
    "MAX_FORK_RSS",
    "Job",
    "available",
    "others_running",
    "small",
    "spare_core",
    "start",
]

T = TypeVar("T")


def available() -> bool:
    """Whether jobs can run in forked children here (Linux, not already inside a child)."""
    return (
        sys.platform.startswith("linux")
        and multiprocessing.parent_process() is None  # not inside a child
        and "fork" in multiprocessing.get_all_start_methods()
    )


def spare_core() -> bool:
    """Whether a second core is free: at least two cores for this process and either a
    1-min load average below their number minus a half (this process itself counts about
    one) or, right now, no runnable task but this run's own (:func:`others_running`).

    A child costs CPU of its own (copy-on-write pages, first-use caches): on one core, or
    with every core busy, the job runs faster in place. The load average lags by a minute:
    a run started right after another (a demo run twice) would see the first run's load
    and run every job in place (4.9 → 6.5 s for the demo), so the current count can free a
    core too. The count alone is not enough: a short task of another program (a monitor
    sampling memory) at that instant keeps the jobs in place (national run under
    ``bench_national``'s memory sampler, one run each: output stage 16.4 s with the count
    alone, 15.2 s with either).
    """
    cores = len(os.sched_getaffinity(0))
    if cores < 2:
        return False
    if os.getloadavg()[0] < cores - 0.5:
        return True
    others = others_running()
    return others is not None and others < cores - 1


def others_running(proc: str = "/proc", reads: int = 3) -> int | None:
    """Runnable tasks on the machine that are not this process's or its descendants' (its
    forked jobs, the PDF engine) and not the kernel's own (writing back the files a run
    just wrote): the count in ``/proc/loadavg`` less those tasks in state R, the fewest
    over a few reads a millisecond apart; None where ``/proc`` cannot be read.

    Examples
    --------
    >>> others_running("/nonexistent") is None
    True
    """
    fewest = sys.maxsize
    for read in range(reads):
        if read:
            time.sleep(0.001)
        try:
            with open(f"{proc}/loadavg", encoding="ascii") as handle:
                total = int(handle.read().split()[3].split("/")[0])
            tree, kernel = _tree(proc, os.getpid())
            ours = sum(_running_tasks(f"{proc}/{pid}") for pid in tree)
        except (OSError, IndexError, ValueError):
            return None
        fewest = min(fewest, total - ours - kernel)
    return max(fewest, 0)


def _stat_fields(path: str) -> list[str]:
    """The fields of a ``stat`` file after the command name (state, ppid, ...)."""
    with open(path, encoding="ascii", errors="replace") as handle:
        return handle.read().rsplit(")", 1)[1].split()


def _tree(proc: str, root: int) -> tuple[list[int], int]:
    """``root`` and every process descending from it; and the kernel's threads (children
    of ``kthreadd``, pid 2) in state R."""
    children: dict[int, list[int]] = {}
    kernel = 0
    for entry in os.scandir(proc):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):  # ended meanwhile
                state, ppid = _stat_fields(f"{entry.path}/stat")[:2]
                children.setdefault(int(ppid), []).append(int(entry.name))
                kernel += ppid == "2" and state == "R"
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out, kernel


def _running_tasks(process: str) -> int:
    """The threads of a process (its ``/proc`` folder) in state R; 0 once it ended."""
    running = 0
    with contextlib.suppress(OSError):
        for task in os.scandir(f"{process}/task"):
            with contextlib.suppress(OSError, IndexError):
                running += _stat_fields(f"{task.path}/stat")[0] == "R"
    return running


#: A process that has held more memory than this (a national run) runs its jobs in place,
#: except *light* ones (:func:`start`): the child of a job over the dwellings may make arrays
#: of its own as large as theirs (``intern/`` with 2.5 M dwelling point objects took a
#: national run's summed footprint from 2.19 to 2.63 GB, above the 2.5 GB a national run is
#: to stay within; with the dwellings as x/y columns and the GeoPackage written per part the
#: output jobs are light: 2.08-2.11 GB forked).
MAX_FORK_RSS = 1 << 30


def small() -> bool:
    """Whether this process has stayed below :data:`MAX_FORK_RSS` (peak resident memory)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < MAX_FORK_RSS


class Job(Generic[T]):
    """A started job: :meth:`result` waits for it, :meth:`cancel` stops it."""

    def __init__(
        self,
        process: Any = None,
        receive: Connection | None = None,
        *,
        deferred: Callable[[], T] | None = None,
        unfreeze: bool = True,
    ) -> None:
        self._process, self._receive = process, receive
        self._deferred = deferred
        self._unfreeze = unfreeze
        self._value: Any = None
        self._error: BaseException | None = None

    def result(self) -> T:
        """The job's value (waits for the child, or runs the job now when it has no child):
        its warnings are issued here, its exception is raised here."""
        if self._deferred is not None:
            job, self._deferred = self._deferred, None
            self._value = job()
        if self._receive is not None:
            self._collect()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[no-any-return]

    def busy(self) -> bool:
        """Whether the job still runs in its child (False without a child, or when its
        result is in)."""
        return self._receive is not None and not self._receive.poll()

    def cancel(self) -> None:
        """Stop the child, if it still runs (the caller is failing or interrupted); a job
        without a child is not run."""
        self._deferred = None
        if self._process is not None and self._receive is not None:
            self._process.kill()
            self._process.join()
            self._thaw()
            self._receive.close()
            self._receive = None

    def _thaw(self) -> None:
        """Undo the freeze of :func:`start`, unless the objects were frozen before it (by
        another job still running, or by the caller for good)."""
        if self._unfreeze:
            gc.unfreeze()

    def _collect(self) -> None:
        assert self._receive is not None
        try:
            self._value, caught, self._error = self._receive.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            self._process.join()
            self._error = ChildProcessError(
                f"uitvoerproces stopte onverwacht (exitcode {self._process.exitcode})"
            )
            caught = []
        finally:
            self._receive.close()
            self._receive = None
        self._process.join()
        self._thaw()
        for message, category, filename, lineno in caught:
            warnings.warn_explicit(message, category, filename, lineno)


#: How much lower the priority of a *background* job's child is (:func:`os.nice`).
BACKGROUND_NICE = 10


def start(job: Callable[[], T], *, light: bool = False, background: bool = False) -> Job[T]:
    """Start ``job`` in a forked child (:func:`available`, :func:`spare_core` and, unless
    the job is ``light``, :func:`small`); else it runs in place when :meth:`Job.result` is
    called, where and in the order the work was done before it could run beside the caller.

    ``light``: the job's own memory does not grow with the dwellings (it draws or
    computes per buurt, sums the dwellings into a buurt-level frame, or writes them in
    parts), so it may run beside a large run too (a national run: the PNGs, the prognosis
    and both sets' data files in children, 2.08-2.11 GB summed peak).

    ``background``: the child runs at a lower priority (:data:`BACKGROUND_NICE`): a job
    whose result is asked for last takes a core when the caller and the other jobs leave
    it (the caller waiting for another process, a core free), instead of slowing the work
    that is waited for first.

    Examples
    --------
    >>> start(lambda: 6 * 7).result()
    42
    """
    if not (available() and spare_core() and (light or small())):
        return Job(deferred=job)  # in place, when the caller asks for the value
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    # the objects that exist now are shared copy-on-write: the cyclic garbage collector
    # leaves them alone until the job is done (a full collection writes to every object's
    # header and would copy the whole heap, in both processes); objects frozen before stay so
    frozen_before = gc.get_freeze_count() > 0
    gc.freeze()
    with warnings.catch_warnings():
        # Python >= 3.12 warns on fork with threads (e.g. idle BLAS workers); the child
        # only writes files and leaves with os._exit
        warnings.simplefilter("ignore", DeprecationWarning)
        nice = BACKGROUND_NICE if background else 0
        process = context.Process(target=_child, args=(job, send, nice), daemon=True)
        process.start()
    send.close()
    return Job(process, receive, unfreeze=not frozen_before)


def _child(job: Callable[[], Any], send: Connection, nice: int = 0) -> None:
    """In the child: run ``job``, send (value, warnings, exception) to the parent."""
    for sig in (signal.SIGINT, signal.SIGTERM):  # the parent cleans up; the child just stops
        signal.signal(sig, signal.SIG_DFL)
    if nice:
        os.nice(nice)
    value: Any = None
    error: BaseException | None = None
    with warnings.catch_warnings(record=True) as caught:
        try:
            value = job()
        except Exception as exc:
            error = exc
    records = [(str(w.message), w.category, w.filename, w.lineno) for w in caught]
    try:
        payload = pickle.dumps((value, records, error))
        pickle.loads(payload)
    except Exception as exc:  # an unpicklable value or error: say what it was
        problem = error if error is not None else exc
        payload = pickle.dumps(
            (None, records, RuntimeError(f"{type(problem).__name__}: {problem}"))
        )
    send.send_bytes(payload)
    send.close()
