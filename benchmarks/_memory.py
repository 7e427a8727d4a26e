"""The memory a command takes with its child processes, summed (for the benchmarks).

``ru_maxrss`` of a process (and of ``RUSAGE_CHILDREN``) is the peak of *one* process: a
run that forks jobs (``geoprestatie._fork``) has parent and children alive at once. This
samples the proportional set size (PSS: shared pages counted once, split over the
processes sharing them) of a process and all its descendants every ``interval`` seconds
from ``/proc/<pid>/smaps_rollup`` and keeps the largest sum. Linux only; elsewhere
:class:`TreeMemory` reports ``None``.
"""

from __future__ import annotations

import threading
from pathlib import Path

PROC = Path("/proc")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in (PROC / str(pid) / "task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += _children(p)
    return sorted(found)


def tree_pss_kib(pid: int) -> int | None:
    """PSS of ``pid`` and every process below it, in KiB (0 once it has ended); ``None``
    when a process started or ended while they were read.

    A fork during a sample would count the pages it shares twice: the parent read before
    the fork holds them all, the child read after it holds half of them (a national run's
    2 GB parent read as 3 GB for one sample). Such a sample is not a sum of one moment.
    """
    tree = _tree(pid)
    total = sum(_pss_kib(p) for p in tree)
    return total if _tree(pid) == tree else None


class TreeMemory:
    """Samples :func:`tree_pss_kib` of ``pid`` in a thread until :meth:`stop`.

    Examples
    --------
    >>> import os
    >>> watch = TreeMemory(os.getpid(), interval=0.01)
    >>> peak = watch.stop()
    >>> peak is None or peak > 0
    True
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.peak_kib = 0
        self._pid, self._interval = pid, interval
        self._done = threading.Event()
        self.available = (PROC / "self" / "smaps_rollup").exists()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        if self.available:
            self._thread.start()

    def _sample(self) -> None:
        while True:
            self.peak_kib = max(self.peak_kib, tree_pss_kib(self._pid) or 0)
            if self._done.wait(self._interval):
                return

    def stop(self) -> float | None:
        """Stop sampling; the peak summed PSS in GB (10⁹ bytes), or ``None`` off Linux."""
        if not self.available:
            return None
        self._done.set()
        self._thread.join()
        return self.peak_kib * 1024 / 1e9
