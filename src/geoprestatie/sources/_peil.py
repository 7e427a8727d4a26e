"""The date a file says it stands at, against the config's (private).

A stock snapshot or start stock may carry its own ``peildatum`` (or ``peiljaar``) column;
the config names the same thing (``[prognose] peildatum``, the year key of
``[afspraken.voorraad_peil]``). When both are given they must agree: a config value never
silently overrides the file it describes (one line naming file, column, row, both values
and the fix, :func:`geoprestatie._validate.config_contradiction`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from geoprestatie._validate import config_contradiction, lower_map
from geoprestatie.errors import InputError
from geoprestatie.sources.aliases import STAND_ALIASES

__all__ = ["check_stated_date", "parse_date_text"]

_ISO = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_DMY = re.compile(r"\d{1,2}[-/]\d{1,2}[-/]\d{4}")


def parse_date_text(text: str) -> dt.date | None:
    """A date as files write it (``2022-01-01``, an Excel date cell ``2022-01-01 00:00:00``,
    ``1-1-2022``, ``01/01/2022``); None when it is not one.

    Examples
    --------
    >>> parse_date_text("2022-01-01 00:00:00"), parse_date_text("31-12-2021")
    (datetime.date(2022, 1, 1), datetime.date(2021, 12, 31))
    >>> parse_date_text("binnenkort") is None
    True
    """
    head = re.split(r"[T ]", text.strip())[0]
    for pattern, dayfirst in ((_ISO, False), (_DMY, True)):
        if pattern.fullmatch(head):
            try:
                return pd.Timestamp(pd.to_datetime(head, dayfirst=dayfirst)).date()
            except (ValueError, TypeError):
                return None
    return None


def _stated(frame: pd.DataFrame) -> tuple[str, str] | None:
    """(the file's column, ``peildatum`` | ``peiljaar``) of the first stated-date column."""
    mapped = lower_map([str(c) for c in frame.columns], STAND_ALIASES)
    for column, kind in mapped.items():
        return column, kind
    for kind in STAND_ALIASES:
        if kind in frame.columns:
            return kind, kind
    return None


def check_stated_date(
    frame: pd.DataFrame,
    *,
    key: str,
    source: str | Path,
    date: dt.date | None = None,
    year: int | None = None,
) -> None:
    """Raise when the frame's own ``peildatum``/``peiljaar`` contradicts the config's.

    ``date`` is compared with a stated date (and its year with a stated year); ``year``
    only with the year of either. Rows are ``bron_rij`` when the frame has it. A file
    without such a column, or with only empty cells in it, passes.

    Examples
    --------
    >>> f = pd.DataFrame({"Peildatum": ["1-1-2022", "1-1-2022"], "bron_rij": [2, 3]})
    >>> check_stated_date(f, key="[prognose] peildatum", source="v.csv",
    ...                   date=dt.date(2022, 1, 1))
    >>> check_stated_date(f, key="[afspraken.voorraad_peil] 2023", source="v.csv", year=2023)
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geoprestatie.errors.InputError: v.csv, ...Peildatum..., ...2, 3: het bestand zegt \
'1-1-2022', maar [afspraken.voorraad_peil] 2023 zegt '2023'; verwacht dezelfde waarde. \
Oplossing: haal [afspraken.voorraad_peil] 2023 weg (het bestand zegt het zelf) of corrigeer \
de config of het bestand
    """
    found = _stated(frame)
    if found is None or (date is None and year is None):
        return
    column, kind = found
    text = frame[column].astype("string").str.strip()
    text = text[text.notna() & (text != "")]
    if text.empty:
        return
    rows = frame["bron_rij"] if "bron_rij" in frame.columns else pd.Series(frame.index + 1)
    given = date.isoformat() if date is not None else str(year)
    wrong = pd.Series(False, index=text.index)
    for value in text.unique():
        hit = text == value
        if kind == "peildatum":
            stated = parse_date_text(str(value))
            if stated is None:
                raise InputError(
                    f"{value!r} is geen datum; verwacht bijv. 2022-01-01 of 1-1-2022 "
                    f"(de datum van de stand, zoals {key})",
                    source=source,
                    column=column,
                    rows=[int(r) for r in rows[hit[hit].index]],
                )
            ok = stated == date if date is not None else stated.year == year
        else:
            ok = str(value) == str(date.year if date is not None else year)
        if not ok:
            wrong |= hit
    if bool(wrong.any()):
        first = wrong[wrong].index
        raise config_contradiction(
            source=source,
            column=column,
            file_value=text[first[0]],
            key=key,
            config_value=given,
            rows=[int(r) for r in rows[first]],
        )
