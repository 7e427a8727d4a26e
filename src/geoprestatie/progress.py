"""Progress of a run on the console: stage lines, and a tqdm bar while a stage runs.

The pipeline reports progress as text lines through a callable (``progress=``): a line
starting with ``[k/n]`` opens stage *k* of *n*, ``[uitvoer]`` the writing of the outputs,
any other line is a detail of the current stage. :class:`StageProgress` is such a callable
for the console. On a terminal it keeps one tqdm bar at the bottom (stages done of all,
the current stage and the time it has taken, refreshed every second, so a long stage shows
that it is still working); the lines themselves are printed above the bar. Not on a
terminal (a pipe, a log file, CI) it prints the lines only, so logs stay clean.
"""

from __future__ import annotations

import re
import sys
import threading
from typing import IO, Any

from tqdm import tqdm

__all__ = ["StageProgress"]

_STAGE = re.compile(r"^\[(?:(\d+)/(\d+)|uitvoer)\]\s*(.*)$")


class StageProgress:
    """A ``progress`` callable for :func:`geoprestatie.pipeline.run` and ``write_outputs``.

    Parameters
    ----------
    stream
        Where lines and the bar go (default ``sys.stderr`` for the bar, ``sys.stdout`` for
        the lines, as click would print them).
    bar
        Show the bar: ``None`` (default) only when ``stream`` is a terminal.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> say = StageProgress(stream=out, bar=False)
    >>> say("[1/2] Laden"); say("      buurten: 145"); say("[2/2] Koppelen"); say.close()
    >>> out.getvalue().splitlines()
    ['[1/2] Laden', '      buurten: 145', '[2/2] Koppelen']
    """

    def __init__(self, *, stream: IO[str] | None = None, bar: bool | None = None) -> None:
        self._stream = stream if stream is not None else sys.stdout
        shown = self._stream.isatty() if bar is None else bar
        self._bar: Any = None
        if shown:
            self._bar = tqdm(
                total=1,
                file=sys.stderr if stream is None else self._stream,
                bar_format="{desc} {bar:20} {n_fmt}/{total_fmt} [{elapsed}]",
                mininterval=1.0,
                leave=False,
                dynamic_ncols=True,
            )
            self._stop = threading.Event()
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        """Refresh the bar every second, so the elapsed time runs during a long stage."""
        while not self._stop.wait(1.0):
            bar = self._bar
            if bar is not None:
                bar.refresh()

    def __call__(self, text: str) -> None:
        m = _STAGE.match(text.strip())
        if self._bar is None:
            print(text, file=self._stream, flush=True)
            return
        if m:
            if m.group(1):
                self._bar.total = int(m.group(2))
                self._bar.n = int(m.group(1)) - 1
            self._bar.set_description_str(m.group(3)[:40], refresh=False)
            self._bar.refresh()
        self._bar.write(text, file=self._stream)

    def close(self) -> None:
        """Remove the bar (the lines stay)."""
        if self._bar is not None:
            self._stop.set()
            bar, self._bar = self._bar, None
            bar.close()
