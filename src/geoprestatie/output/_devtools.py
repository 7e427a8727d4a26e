"""Chromium driven over the DevTools protocol on a pipe (private).

Started with ``--remote-debugging-pipe``, Chromium reads commands (JSON, each ended by a NUL
byte) from its file descriptor 3 and writes answers and events to 4. :class:`DevToolsPipe`
starts it that way and moves the messages; what to send is the caller's: ``pdf.Browser``
prints the report, ``scripts/browser_check.py`` exercises the published pages.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["DevToolsError", "DevToolsPipe", "DevToolsTimeout"]


#: Seconds :meth:`DevToolsPipe.send` waits for a full pipe by default (a message is small:
#: only a Chromium that stopped reading its pipe makes it wait).
SEND_WAIT = 30.0


class DevToolsError(Exception):
    """Chromium stopped or broke the protocol (the message says which, in Dutch)."""


class DevToolsTimeout(DevToolsError, TimeoutError):
    """Chromium did not answer in time."""


class DevToolsPipe:
    """A Chromium process (``argv``, without ``--remote-debugging-pipe``) and its pipe.

    Its output goes to ``log`` (or nowhere); it runs in its own process group, so
    :meth:`close` ends its helper processes too. Chromium also stops when the pipe closes
    (when this process ends).
    """

    def __init__(self, argv: Sequence[str], *, log: Path | None = None) -> None:
        self._buffer = bytearray()
        self._last_id = 0
        self._group: int | None = None
        # the ends Chromium gets, numbered >= 5 so that moving them to 3 and 4 clobbers none
        to_engine, self._send_fd = _pipe_at_least(5)
        self._receive_fd, from_engine = _pipe_at_least(5, reverse=True)
        try:
            out = os.open(
                log or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600
            )
        except OSError:
            for fd in (to_engine, from_engine, self._send_fd, self._receive_fd):
                os.close(fd)
            raise
        try:
            self.pid: int | None = os.posix_spawn(
                argv[0],
                [*argv, "--remote-debugging-pipe"],
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_DUP2, out, 1),
                    (os.POSIX_SPAWN_DUP2, out, 2),
                    (os.POSIX_SPAWN_DUP2, to_engine, 3),
                    (os.POSIX_SPAWN_DUP2, from_engine, 4),
                ],
                setsid=True,  # its own process group
            )
        except OSError:
            for fd in (self._send_fd, self._receive_fd):
                os.close(fd)
            raise
        finally:
            for fd in (to_engine, from_engine, out):
                os.close(fd)
        #: its process group (its own: ``setsid``), ended by :meth:`close` even after
        #: :meth:`running` found the main process gone (its helpers may still run)
        self._group = self.pid
        self._poll = select.poll()  # not select(): descriptors above 1023 too
        self._poll.register(self._receive_fd, select.POLLIN)
        os.set_blocking(self._send_fd, False)  # a full pipe waits in send(), with a deadline
        self._writable = select.poll()
        self._writable.register(self._send_fd, select.POLLOUT)

    def running(self) -> bool:
        """Whether Chromium still runs."""
        if self.pid is None:
            return False
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                return True
        self.pid = None
        return False

    def send(
        self,
        method: str,
        params: dict[str, Any],
        session: str | None = None,
        *,
        deadline: float | None = None,
    ) -> int:
        """Send a command (to the page of ``session``, else to the browser); its id.
        Waits at most until ``deadline`` (``time.monotonic()``; default :data:`SEND_WAIT`
        seconds from now) for a Chromium that stopped reading its pipe."""
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        end = time.monotonic() + SEND_WAIT if deadline is None else deadline
        while data:
            try:
                data = data[os.write(self._send_fd, data) :]
                continue
            except BlockingIOError:  # the pipe is full: Chromium has not read it yet
                pass
            except OSError as exc:
                raise DevToolsError("het programma stopte") from exc
            left = end - time.monotonic()
            if left <= 0 or not self._writable.poll(left * 1000):
                raise DevToolsTimeout("nam de opdracht niet aan binnen de tijd")
        return self._last_id

    def receive(self, deadline: float) -> dict[str, Any]:
        """The next message (an answer or an event), waiting at most until ``deadline``
        (``time.monotonic()``)."""
        while (end := self._buffer.find(b"\0")) < 0:
            left = deadline - time.monotonic()
            if left <= 0 or not self._poll.poll(left * 1000):
                raise DevToolsTimeout("geen antwoord binnen de tijd")
            chunk = os.read(self._receive_fd, 1 << 20)
            if not chunk:
                raise DevToolsError("het programma stopte")
            self._buffer += chunk
        message = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        try:
            parsed: dict[str, Any] = json.loads(message)
        except ValueError as exc:
            raise DevToolsError("onleesbaar antwoord") from exc
        return parsed

    def close(self, grace: float = 0.0) -> None:
        """End Chromium and its helpers (asked to stop first when ``grace`` seconds are
        given, killed after them) and close the pipe."""
        group, self._group = self._group, None
        if group is not None:
            if grace > 0 and self.running():
                _signal_group(group, signal.SIGTERM)
                end = time.monotonic() + grace
                while self.running() and time.monotonic() < end:
                    time.sleep(0.05)
            _signal_group(group, signal.SIGKILL)  # the helpers too
        if self.pid is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = None
        for fd in (self._send_fd, self._receive_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._send_fd = self._receive_fd = -1


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _pipe_at_least(low: int, *, reverse: bool = False) -> tuple[int, int]:
    """A pipe (read end, write end), both close-on-exec; the end another process gets
    (the read end, or with ``reverse`` the write end) numbered ``low`` or higher."""
    import fcntl  # POSIX only, like os.posix_spawn

    read, write = os.pipe()
    if reverse:
        moved = fcntl.fcntl(write, fcntl.F_DUPFD_CLOEXEC, low)
        os.close(write)
        return read, moved
    moved = fcntl.fcntl(read, fcntl.F_DUPFD_CLOEXEC, low)
    os.close(read)
    return moved, write
