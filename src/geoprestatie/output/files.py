"""The output folder of a run: staging folder, marker file (``run.json``), ``--force``.

:func:`write_outputs` writes every output (:func:`geoprestatie.output.write.write_all`) into
a hidden staging folder inside the output folder, then moves the files into place.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

from geoprestatie._version import __version__
from geoprestatie.errors import DataWarning, GeoprestatieError
from geoprestatie.output.write import write_all
from geoprestatie.result import RunResult

__all__ = ["OUTPUT_FILES", "OutputExistsError", "check_output_folder", "write_outputs"]

Progress = Callable[[str], None]

#: What :func:`write_outputs` writes (those that apply to the run).
OUTPUT_FILES: tuple[str, ...] = (
    "sia.html",
    "prognose.html",
    "monitor.html",
    "rapport.html",
    "rapport.pdf",
    "sia.png",
    "dia.png",
    "prognose.png",
    "geoprestatie.gpkg",
    "tabellen.xlsx",
    "buurttabel.csv",
    "woningen_per_corporatie.csv",
    "sia.csv",
    "dia.csv",
    "dia_vergelijking.csv",
    "prognose.csv",
    "prognose_samenvatting.csv",
    "monitor.csv",
    "monitor_groepen.csv",
    "monitor_thema.csv",
    "monitor_partij.csv",
    "monitor_kaart.html",
    "monitor.md",
    "koppeling.csv",
    "niet_gekoppeld.csv",
    "run.json",
)
_MARKER = "run.json"


class OutputExistsError(GeoprestatieError):
    """The output folder already holds the outputs of an earlier run (use ``force``)."""


def check_output_folder(out: str | Path, *, force: bool = False) -> list[str]:
    """Return the outputs of an earlier run in ``out``; raise unless ``force``.

    Call it before a run to fail fast; :func:`write_outputs` calls it again.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputExistsError(f"--out {out} is a file; expected a folder")
    existing = [name for name in OUTPUT_FILES if (out / name).exists()]
    if existing and not force:
        shown = ", ".join(existing[:4]) + (" …" if len(existing) > 4 else "")
        raise OutputExistsError(
            f"{out} already holds outputs of an earlier run ({shown}); "
            "use --force to overwrite them, or choose another --out folder"
        )
    return existing


def write_outputs(
    result: RunResult,
    out: str | Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> list[Path]:
    """Write every output of a run into ``out`` (maps, PNGs, report, GeoPackage, tables).

    Files are first written to a hidden folder inside ``out`` and then moved into place
    one by one (atomic per file); a failure leaves earlier outputs untouched. ``out`` may
    hold other files (e.g. a README); outputs of an earlier run are only replaced with
    ``force=True``, and then outputs that this run no longer makes are removed.

    Raises
    ------
    OutputExistsError
        ``out`` holds outputs of an earlier run and ``force`` is false.
    """
    out = Path(out)
    existing = check_output_folder(out, force=force)
    out.mkdir(parents=True, exist_ok=True)
    uitvoer = result.config.section("uitvoer")
    min_dwellings = int(uitvoer.get("min_woningen", 5))
    if min_dwellings < 5:
        warnings.warn(
            f"[uitvoer] min_woningen = {min_dwellings}: published outputs show figures of "
            "buurten with fewer than 5 dwellings (privacy: openbaar, tenzij)",
            DataWarning,
            stacklevel=2,
        )
    dwellings = uitvoer.get("individuele_woningen", False) is True
    staging = Path(tempfile.mkdtemp(prefix=".geoprestatie-", dir=out))
    try:
        _say(progress, "[uitvoer] kaarten, rapport, GeoPackage en tabellen")
        written = write_all(result, staging, min_dwellings=min_dwellings, dwellings=dwellings)
        if uitvoer.get("pdf", True) is True and "rapport.pdf" not in {p.name for p in written}:
            _say(
                progress,
                "      let op: rapport.pdf niet gemaakt (geen werkend PDF-programma zoals "
                "Chromium gevonden); druk rapport.html af vanuit de browser",
            )
        marker = staging / _MARKER
        marker.write_text(
            json.dumps(
                {
                    "geoprestatie": _version(),
                    "config": str(result.config.source) if result.config.source else "demo",
                    "synthetisch": result.config.synthetic,
                    "gemaakt": dt.datetime.now().isoformat(timespec="seconds"),
                    "bestanden": sorted(p.name for p in written),
                },
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        written.append(marker)
        final = []
        for path in written:
            target = out / path.name
            path.chmod(0o644)
            os.replace(path, target)
            final.append(target)
        if force:
            for name in set(existing) - {p.name for p in final}:
                (out / name).unlink()
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _version() -> str:
    return __version__


def _say(progress: Progress | None, text: str) -> None:
    if progress is not None:
        progress(text)
