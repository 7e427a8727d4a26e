"""Error and warning classes of geoprestatie.

Every error that is the user's to fix subclasses :class:`GeoprestatieError`
(a :class:`ValueError`), names the file, row or column involved, the value that
came in and what was expected. The CLI prints such an error as one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = [
    "ConfigError",
    "DataWarning",
    "GeoprestatieError",
    "InputError",
    "format_rows",
]


class GeoprestatieError(ValueError):
    """Base class of the errors the user can fix (bad input, bad config)."""


class InputError(GeoprestatieError):
    """An input file or frame does not meet the expected schema or values.

    Parameters
    ----------
    message
        What is wrong and what was expected.
    source
        The file (or a name for an in-memory frame) the problem is in.
    column
        The column concerned, if any.
    rows
        The rows concerned, if any, numbered as the user sees them in the file (Excel or a
        text editor: the header is row 1, the first data row 2; for a vector file the
        1-based feature), as ``bron_rij`` in :mod:`geoprestatie.sources._tabular`.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | Path | None = None,
        column: str | None = None,
        rows: Sequence[int] | None = None,
    ) -> None:
        self.source = str(source) if source is not None else None
        self.column = column
        self.rows = list(rows) if rows is not None else []
        parts = []
        if self.source:
            parts.append(f"{self.source}")
        if column:
            parts.append(f"kolom {column!r}")
        if self.rows:
            parts.append(format_rows(self.rows))
        prefix = ", ".join(parts)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class ConfigError(GeoprestatieError):
    """A configuration file or object is invalid (names the key and what is allowed)."""


class DataWarning(UserWarning):
    """Input was accepted but changed or partly set aside (repaired, reported rows)."""


def format_rows(rows: Iterable[int], *, limit: int = 10) -> str:
    """Format row numbers for a (Dutch) message: ``rij 3`` or ``rijen 3, 7, 9 (+12 meer)``.

    Examples
    --------
    >>> format_rows([3])
    'rij 3'
    >>> format_rows(range(1, 15), limit=3)
    'rijen 1, 2, 3 (+11 meer)'
    """
    rows = list(rows)
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" (+{len(rows) - limit} meer)" if len(rows) > limit else ""
    return f"rij {shown}" if len(rows) == 1 else f"rijen {shown}{more}"
