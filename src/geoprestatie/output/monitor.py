"""The monitor of the agreements as a set of files: CSV, Markdown, HTML and the offenders."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geoprestatie._atomic import atomic_path, write_text
from geoprestatie.agreements import MonitorResult, to_markdown
from geoprestatie.output._sheets import write_csv
from geoprestatie.output.report import monitor_html

__all__ = ["to_html", "write_monitor"]


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
