"""``rapport.pdf``: the report printed by headless Chromium, when it is installed.

The report's print stylesheet (A4, wide tables wrapped, headings kept with what follows)
does the layout; Chromium only prints. The PDF engine is found on ``PATH`` (``chromium``,
``chromium-browser``, ``google-chrome``; or ``$GEOPRESTATIE_CHROMIUM``); without one no PDF
is written and the caller says so. Chromium is started with every host name unresolvable:
the report needs no network, and printing it never reaches one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from geoprestatie._atomic import atomic_path

__all__ = ["find_engine", "print_pdf"]

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_engine() -> str | None:
    """The path of a headless-capable Chromium, or None."""
    for name in (os.environ.get("GEOPRESTATIE_CHROMIUM"), *_NAMES):
        if name and (found := shutil.which(name)):
            return found
    return None


def print_pdf(
    html: Path, pdf: Path, *, timeout: float = 180.0, date: dt.date | None = None
) -> tuple[Path | None, str]:
    """Print ``html`` to ``pdf`` (A4, as the page's print CSS lays it out).

    ``date``: the PDF's creation and modification date (midnight UTC) instead of the
    moment of printing, so the same report gives the same file (:func:`reproducible`).

    Returns the PDF's path and ``""``, or None and a Dutch note saying why there is no PDF
    (no engine installed, or the engine failed: its last output lines).
    """
    engine = find_engine()
    if engine is None:
        return None, (
            f"{pdf.name} niet gemaakt: geen PDF-programma gevonden (installeer Chromium, "
            "of druk rapport.html af vanuit de browser)"
        )
    try:
        with tempfile.TemporaryDirectory(prefix="gp-pdf-") as profile, atomic_path(pdf) as tmp:
            _run(engine, html, tmp, Path(profile), timeout=timeout)
            if date is not None:
                tmp.write_bytes(reproducible(tmp.read_bytes(), date))
    except _NoPdf as exc:
        return None, f"{pdf.name} niet gemaakt: {Path(engine).name} faalde ({exc})"
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


def _run(engine: str, html: Path, out: Path, profile: Path, *, timeout: float) -> None:
    try:
        done = subprocess.run(
            [
                engine,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-extensions",
                "--no-first-run",
                "--disable-background-networking",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                f"--user-data-dir={profile}",
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
    if out.stat().st_size == 0 or not out.read_bytes().startswith(b"%PDF"):
        raise _NoPdf(" | ".join((done.stderr or "").strip().splitlines()[-2:]) or "geen PDF")
