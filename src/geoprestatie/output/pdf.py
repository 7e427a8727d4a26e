"""``rapport.pdf``: the report printed by headless Chromium, when it is installed.

The report's print stylesheet (A4, wide tables wrapped, headings kept with what follows)
does the layout; Chromium only prints. The PDF engine is found on ``PATH`` (``chromium``,
``chromium-browser``, ``google-chrome``; or ``$GEOPRESTATIE_CHROMIUM``); without one no PDF
is written and the caller says so. Chromium is started with every host name unresolvable:
the report needs no network, and printing it never reaches one.
"""

from __future__ import annotations

import os
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


def print_pdf(html: Path, pdf: Path, *, timeout: float = 180.0) -> tuple[Path | None, str]:
    """Print ``html`` to ``pdf`` (A4, as the page's print CSS lays it out).

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
    except _NoPdf as exc:
        return None, f"{pdf.name} niet gemaakt: {Path(engine).name} faalde ({exc})"
    return pdf, ""


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
