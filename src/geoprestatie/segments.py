"""Housing market segments and their price bounds per year (one place, like :mod:`huur`).

Segments of the whole stock, cheapest first: ``sociale_huur``, ``middenhuur``,
``vrije_huur``, ``koop_betaalbaar``, ``koop_midden``, ``koop_duur``. A plan may also say
only ``koop`` or ``huur`` when it does not know the band; those roll up in comparisons
(:data:`PARENTS`).

Bounds per year (monthly kale huur in euro, purchase price in euro):

* ``sociale_huur``: up to and including the liberalisatiegrens (from
  :data:`geoprestatie.huur.DEFAULT_LIMITS`, Rijksoverheid; 2025: EUR 900.07, equal to the
  maximum rent at 143 WWS points);
* ``middenhuur``: up to and including the middenhuurgrens, the maximum rent at 186 WWS
  points, the upper bound of the middle segment regulated by the Wet betaalbare huur (in
  force 1 July 2024: 144 to 186 points). The amounts per point are the *maximale
  huurprijsgrenzen voor zelfstandige woningen* of the Uitvoeringsregeling huurprijzen
  woonruimte (BWBR0015386), artikel 2 and bijlage I. The default has 2025 only: EUR 1,184.82
  per 1 January 2025, i.e. the 1 July 2024 amount at 186 points (EUR 1,157.95) indexed by
  2.32 % (inflation July 2023 to July 2024) and rounded up to the cent, as announced by the
  Ministerie van VRO on 26 November 2024 ("Bedragen en grenswaarden huursector voor 2025
  bekend", volkshuisvestingnederland.nl). Other years: ``[prognose.segmentgrenzen.<jaar>]``
  ``middenhuurgrens``;
* ``koop_betaalbaar`` / ``koop_midden``: up to and including the koopgrenzen
  ``betaalbaar`` and ``midden``; no defaults: municipalities use their own bounds.

A year without the bound a price needs is an error naming the key to add to the config
(``[prognose.segmentgrenzen.<jaar>]``). Plans that name their segment need no bounds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geoprestatie._validate import config_number
from geoprestatie.errors import ConfigError
from geoprestatie.huur import DEFAULT_LIMITS

__all__ = [
    "DEFAULT_BOUNDS",
    "PARENTS",
    "SEGMENTS",
    "SEGMENT_ALIASES",
    "SEGMENT_LABELS",
    "SegmentBounds",
    "bounds_for",
    "classify_price",
    "normalise_segment",
    "parse_bounds",
]

SEGMENTS: tuple[str, ...] = (
    "sociale_huur",
    "middenhuur",
    "vrije_huur",
    "koop_betaalbaar",
    "koop_midden",
    "koop_duur",
)
#: Segments a plan may name when it does not know the band, and what rolls up into them.
PARENTS: dict[str, tuple[str, ...]] = {
    "huur": ("sociale_huur", "middenhuur", "vrije_huur"),
    "koop": ("koop_betaalbaar", "koop_midden", "koop_duur"),
}
ALL_SEGMENTS: tuple[str, ...] = (*SEGMENTS, *PARENTS)

#: Dutch labels for tables and charts.
SEGMENT_LABELS: dict[str, str] = {
    "sociale_huur": "sociale huur",
    "middenhuur": "middenhuur",
    "vrije_huur": "vrije huur",
    "koop_betaalbaar": "koop betaalbaar",
    "koop_midden": "koop midden",
    "koop_duur": "koop duur",
    "huur": "huur (segment onbekend)",
    "koop": "koop (prijsklasse onbekend)",
}

#: Spellings seen in plan lists and need tables -> canonical segment.
SEGMENT_ALIASES: dict[str, str] = {
    "sociaal": "sociale_huur",
    "sociale huur": "sociale_huur",
    "soc huur": "sociale_huur",
    "sociale huurwoning": "sociale_huur",
    "sh": "sociale_huur",
    "middeldure huur": "middenhuur",
    "midden huur": "middenhuur",
    "middensegment huur": "middenhuur",
    "mh": "middenhuur",
    "vrije sector": "vrije_huur",
    "vrije sector huur": "vrije_huur",
    "dure huur": "vrije_huur",
    "geliberaliseerde huur": "vrije_huur",
    "betaalbare koop": "koop_betaalbaar",
    "goedkope koop": "koop_betaalbaar",
    "koop goedkoop": "koop_betaalbaar",
    "middeldure koop": "koop_midden",
    "koop middelduur": "koop_midden",
    "dure koop": "koop_duur",
    "koop duur": "koop_duur",
    "koopwoning": "koop",
    "huurwoning": "huur",
}


def normalise_segment(values: pd.Series) -> pd.Series:
    """Canonical segment names (lower case, spaces/hyphens/dots folded, aliases resolved).

    Unknown names are returned folded, so the caller can report them.

    Examples
    --------
    >>> normalise_segment(pd.Series(["Sociale huur", "Vrije-sector", "koop_duur", None])).tolist()
    ['sociale_huur', 'vrije_huur', 'koop_duur', <NA>]
    """
    text = values.astype("string").str.strip().str.lower()
    folded = text.str.replace(r"[\s\-_.]+", " ", regex=True).str.strip()
    canonical = folded.str.replace(" ", "_", regex=False)
    known = canonical.isin(ALL_SEGMENTS)
    alias = folded.map(lambda v: SEGMENT_ALIASES.get(v) if isinstance(v, str) else None)
    out = canonical.where(known, alias.astype("string").fillna(canonical))
    return out.mask(out.eq(""), pd.NA)


@dataclass(frozen=True)
class SegmentBounds:
    """The segment bounds of one year; ``None`` = not known for that year."""

    liberalisatiegrens: float | None = None
    middenhuurgrens: float | None = None
    koop_betaalbaar: float | None = None
    koop_midden: float | None = None

    def __post_init__(self) -> None:
        rent = [v for v in (self.liberalisatiegrens, self.middenhuurgrens) if v is not None]
        buy = [v for v in (self.koop_betaalbaar, self.koop_midden) if v is not None]
        for values in (rent, buy):
            if any(v <= 0 for v in values) or values != sorted(values):
                raise ConfigError(
                    f"segmentgrenzen {values} moeten positief en oplopend zijn "
                    "(liberalisatiegrens <= middenhuurgrens; koop_betaalbaar <= koop_midden)"
                )


def _defaults() -> dict[int, SegmentBounds]:
    out = {
        y: SegmentBounds(liberalisatiegrens=lim.liberalisatiegrens)
        for y, lim in DEFAULT_LIMITS.items()
    }
    out[2025] = SegmentBounds(
        liberalisatiegrens=DEFAULT_LIMITS[2025].liberalisatiegrens, middenhuurgrens=1184.82
    )
    return out


#: Default bounds per year (see the module docstring for the sources).
DEFAULT_BOUNDS: dict[int, SegmentBounds] = _defaults()

_BOUND_KEYS = ("liberalisatiegrens", "middenhuurgrens", "koop_betaalbaar", "koop_midden")


def parse_bounds(table: Mapping[Any, Any]) -> dict[int, SegmentBounds]:
    """The defaults updated with ``[segmentgrenzen.<jaar>]`` tables (keys as the fields).

    Examples
    --------
    >>> b = parse_bounds({"2024": {"koop_betaalbaar": 390000, "koop_midden": 500000}})
    >>> b[2024].koop_betaalbaar, b[2024].liberalisatiegrens
    (390000.0, 879.66)
    """
    out = dict(DEFAULT_BOUNDS)
    for raw_year, values in table.items():
        try:
            year = int(raw_year)
        except (TypeError, ValueError):
            raise ConfigError(
                f"segmentgrenzen.{raw_year}: verwacht een jaartal, bijv. [segmentgrenzen.2024]"
            ) from None
        if not isinstance(values, Mapping):
            raise ConfigError(
                f"segmentgrenzen.{raw_year} moet een tabel zijn met {list(_BOUND_KEYS)}"
            )
        unknown = sorted(set(values) - set(_BOUND_KEYS))
        if unknown:
            raise ConfigError(
                f"segmentgrenzen.{year}: onbekende sleutel(s) {unknown}; "
                f"verwacht {list(_BOUND_KEYS)}"
            )
        base = out.get(year, SegmentBounds())
        merged = {k: getattr(base, k) for k in _BOUND_KEYS}
        where = f"segmentgrenzen.{year}: "
        merged.update({k: config_number(v, k, where=where) for k, v in values.items()})
        out[year] = SegmentBounds(**merged)
    return out


def bounds_for(year: int, bounds: Mapping[int, SegmentBounds] | None = None) -> SegmentBounds:
    """The bounds of ``year`` (empty bounds when the year is unknown)."""
    return (DEFAULT_BOUNDS if bounds is None else bounds).get(year, SegmentBounds())


def classify_price(
    price: pd.Series,
    kind: str,
    years: pd.Series,
    bounds: Mapping[int, SegmentBounds] | None = None,
) -> pd.Series:
    """Segment of each price in its year: ``kind`` is ``huur`` (monthly) or ``koop``.

    A price equal to a bound falls in the segment below it ("up to and including").
    NA prices stay NA.

    Raises
    ------
    ConfigError
        A year lacks a bound the prices need, naming the year and the key to add.

    Examples
    --------
    >>> classify_price(pd.Series([700.0, 1000.0, 1300.0]), "huur",
    ...                pd.Series([2025, 2025, 2025])).tolist()
    ['sociale_huur', 'middenhuur', 'vrije_huur']
    """
    if kind not in PARENTS:
        raise ValueError(f"`kind` is {kind!r}; verwacht een van {list(PARENTS)}")
    names = PARENTS[kind]
    keys = ("liberalisatiegrens", "middenhuurgrens") if kind == "huur" else _BOUND_KEYS[2:]
    values = pd.to_numeric(price, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    out = np.full(len(values), None, dtype=object)
    year_values = pd.to_numeric(years, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    for year in sorted({int(y) for y in year_values[~np.isnan(values)] if not np.isnan(y)}):
        b = bounds_for(year, bounds)
        limits = [getattr(b, k) for k in keys]
        missing = [k for k, v in zip(keys, limits, strict=True) if v is None]
        if missing:
            raise ConfigError(
                f"geen segmentgrens {missing} voor {year}: een {kind}prijs heeft die nodig. Voeg "
                f"[prognose.segmentgrenzen.{year}] toe met "
                f"{', '.join(f'{k} = ...' for k in missing)}, of geef het segment zelf"
            )
        here = (year_values == year) & ~np.isnan(values)
        codes = np.searchsorted(np.asarray(limits, dtype="float64"), values[here], side="left")
        out[here] = np.asarray(names, dtype=object)[codes]
    return pd.Series(out, index=price.index, dtype="string", name="segment")
