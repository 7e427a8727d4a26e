"""The monitor of the agreements as a set of files: CSV, Markdown, HTML and the offenders.

:func:`write_monitor_set` is what the ``monitor`` command writes: the public monitor
(:func:`geoprestatie.publication.publish_monitor`) in ``publiek/``, the full one with the
offending records and the rows not used in ``intern/``, as one transaction with a manifest
(:func:`geoprestatie.output.files.write_output_set`), like ``run``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geoprestatie._atomic import atomic_path, write_text
from geoprestatie.agreements import MonitorResult, to_markdown
from geoprestatie.output._sheets import write_csv
from geoprestatie.output.files import write_output_set
from geoprestatie.output.report import monitor_html
from geoprestatie.output.stoplight import monitor_map, stoplight_counts

__all__ = ["to_html", "write_monitor", "write_monitor_set"]


def to_html(
    result: MonitorResult | pd.DataFrame,
    *,
    title: str = "Monitor prestatieafspraken",
    max_records: int = 50,
    show_dwellings: bool = False,
) -> str:
    """A standalone HTML stoplight page, for publication: see
    :func:`geoprestatie.output.report.monitor_html` (every user string escaped; offending
    dwellings are counted per buurt with counts below 5 suppressed, and listed one by one
    only with ``show_dwellings=True``).
    """
    return monitor_html(result, title=title, max_rows=max_records, show_dwellings=show_dwellings)


def write_monitor(result: MonitorResult, out_dir: str | Path) -> list[Path]:
    """Write ``monitor.csv``, ``monitor.md``, ``monitor.html`` and ``overtredingen.csv``
    (all offending records with their ``afspraak_id``) atomically; return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [
        out / "monitor.csv",
        out / "monitor.md",
        out / "monitor.html",
        out / "overtredingen.csv",
    ]
    with atomic_path(paths[0]) as tmp:
        write_csv(result.table, tmp)
    write_text(paths[1], to_markdown(result))
    write_text(paths[2], to_html(result))
    frames = [
        recs.astype("string").assign(afspraak_id=ident)[["afspraak_id", *map(str, recs.columns)]]
        for ident, recs in result.overtredingen.items()
    ]
    merged = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["afspraak_id"])
    )
    with atomic_path(paths[3]) as tmp:
        write_csv(merged, tmp)
    return paths


def _monitor_files(
    result: MonitorResult,
    folder: Path,
    *,
    buurten: gpd.GeoDataFrame | None,
    min_woningen: int,
    csv: str,
) -> list[Path]:
    """monitor.csv/.md/.html, per theme and party, per group and the map of the groups."""
    written = [write_csv(result.table, folder / "monitor.csv", csv=csv)]
    for by in ("thema", "partij"):
        if by in result.table:
            counts = stoplight_counts(result.table, by)
            written.append(write_csv(counts, folder / f"monitor_{by}.csv", csv=csv))
    if len(result.groepen):
        written.append(write_csv(result.groepen, folder / "monitor_groepen.csv", csv=csv))
    written.append(write_text(folder / "monitor.md", to_markdown(result)))
    page = monitor_html(result, buurten=buurten, min_dwellings=min_woningen)
    written.append(write_text(folder / "monitor.html", page))
    if buurten is not None and len(result.groepen):
        texts = dict(
            zip(
                result.table["afspraak_id"].astype(str),
                result.table["tekst"].astype(str),
                strict=True,
            )
        )
        buurt_map = monitor_map(result.groepen, buurten, texts=texts)
        if buurt_map is not None:
            html = buurt_map.get_root().render()
            written.append(write_text(folder / "monitor_kaart.html", html))
    return written


def write_monitor_set(
    full: MonitorResult,
    public: MonitorResult,
    out: str | Path,
    *,
    rejected: pd.DataFrame,
    buurten: gpd.GeoDataFrame | None = None,
    min_woningen: int,
    force: bool = False,
    inputs: Iterable[Path] = (),
    csv: str = "nl",
    meta: dict[str, Any] | None = None,
) -> list[Path]:
    """The ``monitor`` command's output set: ``publiek/`` from ``public`` only (monitor
    CSV/MD/HTML, per theme/party/group, the map), ``intern/`` from ``full`` plus the
    offending records (``overtredingen.csv``) and the rows not used (``niet_gekoppeld.csv``),
    and ``run.json``; the whole set replaces the previous one or nothing does."""

    def write_public(folder: Path) -> list[Path]:
        return _monitor_files(public, folder, buurten=buurten, min_woningen=min_woningen, csv=csv)

    def write_internal(folder: Path) -> list[Path]:
        written = _monitor_files(full, folder, buurten=buurten, min_woningen=min_woningen, csv=csv)
        frames = [
            recs.astype("string").assign(afspraak_id=ident)[
                ["afspraak_id", *map(str, recs.columns)]
            ]
            for ident, recs in full.overtredingen.items()
        ]
        merged = (
            pd.concat(frames, ignore_index=True)
            if frames
            else pd.DataFrame(columns=["afspraak_id"])
        )
        written.append(write_csv(merged, folder / "overtredingen.csv", csv=csv))
        written.append(write_csv(rejected, folder / "niet_gekoppeld.csv", csv=csv))
        return written

    return write_output_set(
        out,
        public=write_public,
        internal=write_internal,
        force=force,
        inputs=inputs,
        meta={"min_woningen": min_woningen, **(meta or {})},
    )
