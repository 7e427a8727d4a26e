"""``rapport.pdf``: the report printed by headless Chromium, when it is installed.

The report's print stylesheet (A4, wide tables wrapped, headings kept with what follows)
does the layout; Chromium only prints. The PDF engine is found on ``PATH`` (``chromium``,
``chromium-browser``, ``google-chrome``; or ``$GEOPRESTATIE_CHROMIUM``); without one no PDF
is written and the caller says so. Chromium is started with every host name unresolvable:
the report needs no network, and printing it never reaches one.

Starting Chromium takes about a second. :func:`start_browser` starts it ahead (at the
beginning of a run, while the stages compute) and :func:`print_pdf` with ``browser=`` then
prints through the DevTools protocol over a pipe, with the parameters ``--print-to-pdf``
uses: the same PDF.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geoprestatie._atomic import atomic_path
from geoprestatie.output._devtools import DevToolsError, DevToolsPipe

__all__ = ["Browser", "find_engine", "no_engine_note", "print_pdf", "start_browser"]

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_engine() -> str | None:
    """The path of a headless-capable Chromium, or None."""
    for name in (os.environ.get("GEOPRESTATIE_CHROMIUM"), *_NAMES):
        if name and (found := shutil.which(name)):
            return found
    return None


def no_engine_note(name: str = "rapport.pdf") -> str:
    """The Dutch line for a run without a PDF engine."""
    return (
        f"{name} niet gemaakt: geen PDF-programma gevonden (installeer Chromium, "
        "of druk rapport.html af vanuit de browser)"
    )


def print_pdf(
    html: Path,
    pdf: Path,
    *,
    timeout: float = 180.0,
    date: dt.date | None = None,
    browser: Browser | None = None,
) -> tuple[Path | None, str]:
    """Print ``html`` to ``pdf`` (A4, as the page's print CSS lays it out).

    ``date``: the PDF's creation and modification date (midnight UTC) instead of the
    moment of printing, so the same report gives the same file (:func:`reproducible`).
    ``browser``: a Chromium started ahead (:func:`start_browser`) prints; without one, or
    when it has stopped, a Chromium is started for this print.

    Returns the PDF's path and ``""``, or None and a Dutch note saying why there is no PDF
    (no engine installed, or the engine failed: its last output lines). The note is also
    kept as ``browser.failure``.
    """
    engine = browser.engine if browser is not None else find_engine()
    if engine is None:
        return None, no_engine_note(pdf.name)
    try:
        with atomic_path(pdf) as tmp:
            if browser is not None and browser.running():
                browser.print(html, tmp, timeout=timeout)
            else:
                with tempfile.TemporaryDirectory(prefix="gp-pdf-") as profile:
                    _run(engine, html, tmp, Path(profile), timeout=timeout)
            if date is not None:
                tmp.write_bytes(reproducible(tmp.read_bytes(), date))
    except _NoPdf as exc:
        note = f"{pdf.name} niet gemaakt: {Path(engine).name} faalde ({exc})"
        if browser is not None:
            browser.failure = note
        return None, note
    return pdf, ""


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}(?:[+-]\d\d'\d\d'|Z)?\)")


_NODE_ID = re.compile(rb"\(node(\d{8})\)")


def reproducible(data: bytes, date: dt.date) -> bytes:
    """The PDF with its dates set to ``date`` and its structure ids renumbered.

    Chromium stamps ``/CreationDate`` and ``/ModDate`` with the moment of printing and
    names the tagged-PDF structure elements after DOM node numbers, which shift between
    runs. Dates become ``date`` (midnight UTC); node ids are renumbered by rank (order and
    the sorted ID tree kept). Every replacement has the same length, so the offsets in the
    cross-reference table stay valid.

    Examples
    --------
    >>> reproducible(b"<</CreationDate (D:20261201001246+00'00')>>", dt.date(2026, 1, 2))
    b"<</CreationDate (D:20260102000000+00'00')>>"
    >>> reproducible(b"/ID (node00000058) /ID (node00000061)", dt.date(2026, 1, 2))
    b'/ID (node00000001) /ID (node00000002)'
    """
    stamp = date.strftime("%Y%m%d").encode() + b"000000"

    def replace(match: re.Match[bytes]) -> bytes:
        old = match.group(0)
        new = b"/" + match.group(1) + b" (D:" + stamp + old[len(match.group(1)) + 19 :]
        return new if len(new) == len(old) else old

    data = _PDF_DATE.sub(replace, data)
    numbers = sorted({int(m) for m in _NODE_ID.findall(data)})
    rank = {n: i + 1 for i, n in enumerate(numbers)}
    return _NODE_ID.sub(lambda m: b"(node%08d)" % rank[int(m.group(1))], data)


class _NoPdf(Exception):
    """The engine wrote no PDF (leaves the target untouched)."""


def _flags(profile: Path) -> list[str]:
    """Chromium's options for printing: headless, offline, a throwaway profile."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-extensions",
        "--no-first-run",
        "--disable-background-networking",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        # the address bar's popup is a web page that Chromium prepares at start, headless
        # too: about 0.6 s of CPU for nothing to print
        "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
        f"--user-data-dir={profile}",
    ]


def _run(engine: str, html: Path, out: Path, profile: Path, *, timeout: float) -> None:
    try:
        done = subprocess.run(
            [
                engine,
                *_flags(profile),
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                html.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _NoPdf(str(exc)) from exc
    _check(out, done.stderr or "")


def _check(out: Path, log: str) -> None:
    """Raise :class:`_NoPdf` with the engine's last output lines unless ``out`` is a PDF."""
    if out.stat().st_size == 0 or not out.read_bytes().startswith(b"%PDF"):
        raise _NoPdf(" | ".join(log.strip().splitlines()[-2:]) or "geen PDF")


#: ``Page.printToPDF`` as ``chromium --print-to-pdf --no-pdf-header-footer`` calls it
#: (Chromium's headless command handler): the same PDF, byte for byte.
_PRINT_PARAMS = {
    "displayHeaderFooter": False,
    "generateTaggedPDF": True,
    "printBackground": True,
    "preferCSSPageSize": True,
}


def start_browser() -> Browser | None:
    """A headless Chromium started now, to print with later; None without an engine (or
    where it cannot be started this way: not POSIX). Close it (``with`` or
    :meth:`Browser.close`); it stops by itself when this process ends."""
    engine = find_engine()
    if engine is None or not hasattr(os, "posix_spawn"):
        return None
    try:
        return Browser(engine)
    except OSError:
        return None


class Browser:
    """A headless Chromium waiting to print, driven over ``--remote-debugging-pipe``.

    The messages go over :class:`~geoprestatie.output._devtools.DevToolsPipe`. The page to
    print is made at start, so the first print only loads and prints. :meth:`close` ends
    Chromium and its helper processes and removes its profile; Chromium also stops when the
    pipe closes (this process ended).
    """

    def __init__(self, engine: str) -> None:
        self.engine = engine
        #: Why the last print made no PDF (a Dutch note), "" when it did.
        self.failure = ""
        self._dir = tempfile.TemporaryDirectory(prefix="gp-pdf-", ignore_cleanup_errors=True)
        work = Path(self._dir.name)
        self._log = work / "chromium.log"
        self._events: list[dict[str, Any]] = []
        try:
            self._pipe = DevToolsPipe(
                [engine, *_flags(work / "profiel"), "about:blank"], log=self._log
            )
        except OSError:
            self._dir.cleanup()
            raise
        # the page is made while the caller works; its answer is read at the first print
        self._page: int | None = None
        with contextlib.suppress(DevToolsError):  # then print says why
            self._page = self._pipe.send("Target.createTarget", {"url": "about:blank"})

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def running(self) -> bool:
        """Whether Chromium still runs."""
        return self._pipe.running()

    def print(self, html: Path, out: Path, *, timeout: float = 180.0) -> None:
        """Load ``html`` in a fresh page and print it to ``out`` (as ``--print-to-pdf``).

        Raises :class:`_NoPdf` (Chromium stopped, the page did not load, ``timeout``
        seconds passed) with the reason.
        """
        deadline = time.monotonic() + timeout
        try:
            if self._page is None:
                blank = {"url": "about:blank"}
                self._page = self._pipe.send("Target.createTarget", blank, deadline=deadline)
            target = self._result(self._page, deadline)["targetId"]
            self._page = None
            attach = {"targetId": target, "flatten": True}
            session = self._call("Target.attachToTarget", attach, deadline)["sessionId"]
            self._call("Page.enable", {}, deadline, session=session)
            self._call("Page.setLifecycleEventsEnabled", {"enabled": True}, deadline, session)
            self._events.clear()  # the blank page's events
            url = {"url": html.resolve().as_uri()}
            loaded = self._call("Page.navigate", url, deadline, session=session)
            if loaded.get("errorText"):
                raise _NoPdf(f"{html.name}: {loaded['errorText']}")
            self._event(_loaded(session, loaded), deadline)
            printed = self._call("Page.printToPDF", _PRINT_PARAMS, deadline, session=session)
            out.write_bytes(base64.b64decode(printed["data"]))
            self._pipe.send("Target.closeTarget", {"targetId": target}, deadline=deadline)
        except DevToolsError as exc:
            raise _NoPdf(str(exc)) from exc
        except (OSError, ValueError, KeyError) as exc:
            raise _NoPdf(self._reason(exc)) from exc
        _check(out, self._log.read_text(errors="replace"))

    def close(self) -> None:
        """End Chromium (all its processes), close the pipe, remove the profile and the
        folder of its lock socket."""
        lock = self._lock_folder()
        self._pipe.close()
        if lock is not None:
            shutil.rmtree(lock, ignore_errors=True)
        self._dir.cleanup()

    def _lock_folder(self) -> Path | None:
        """The folder Chromium makes in the temporary directory for the profile's lock
        socket (``SingletonSocket`` in the profile links to it): Chromium removes it when it
        shuts down, not when it is killed. None when there is none or it holds more."""
        try:
            folder = Path(os.readlink(Path(self._dir.name) / "profiel" / "SingletonSocket")).parent
            names = [p.name for p in folder.iterdir()]
        except OSError:
            return None
        return folder if all(n.startswith("Singleton") for n in names) else None

    # -- the protocol

    def _call(
        self,
        method: str,
        params: dict[str, Any],
        deadline: float,
        session: str | None = None,
    ) -> dict[str, Any]:
        return self._result(self._pipe.send(method, params, session, deadline=deadline), deadline)

    def _result(self, call: int, deadline: float) -> dict[str, Any]:
        """The answer to command ``call`` (events read on the way are kept)."""
        while True:
            message = self._pipe.receive(deadline)
            if message.get("id") == call:
                if "error" in message:
                    raise _NoPdf(str(message["error"].get("message", message["error"])))
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self._events.append(message)

    def _event(self, wanted: Callable[[dict[str, Any]], bool], deadline: float) -> None:
        """Wait for an event ``wanted`` accepts."""
        while not any(wanted(e) for e in self._events):
            message = self._pipe.receive(deadline)
            if "method" in message:
                self._events.append(message)

    def _reason(self, exc: BaseException) -> str:
        lines = self._log.read_text(errors="replace").strip().splitlines()[-2:]
        return " | ".join(lines) or str(exc) or type(exc).__name__


def _loaded(session: str, navigation: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """Whether an event is the ``load`` of the page ``Page.navigate`` answered about."""

    def test(event: dict[str, Any]) -> bool:
        params = event.get("params", {})
        return (
            event.get("method") == "Page.lifecycleEvent"
            and event.get("sessionId") == session
            and params.get("name") == "load"
            and params.get("frameId") == navigation.get("frameId")
            and params.get("loaderId") == navigation.get("loaderId", params.get("loaderId"))
        )

    return test
