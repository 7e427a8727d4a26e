"""Rent classes by the yearly Dutch rent limits (huurgrenzen), shared by join and prognosis.

The limits are the monthly net rents (kale huur, euro) set each year by the national
government. Users pass their own :class:`RentLimits` for years not listed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geoprestatie.errors import ConfigError

__all__ = ["DEFAULT_LIMITS", "RENT_CLASSES", "RentLimits", "classify_rent", "limits_for"]

#: Class names, cheapest first; ``huur_onbekend`` is used for a missing rent.
RENT_CLASSES: tuple[str, ...] = (
    "goedkoop",  # <= kwaliteitskortingsgrens
    "betaalbaar_laag",  # <= lage aftoppingsgrens
    "betaalbaar_hoog",  # <= hoge aftoppingsgrens
    "duur",  # <= liberalisatiegrens
    "vrije_sector",  # > liberalisatiegrens
)


@dataclass(frozen=True)
class RentLimits:
    """The four rent limits of one year (euro per month, kale huur)."""

    kwaliteitskortingsgrens: float
    aftoppingsgrens_laag: float
    aftoppingsgrens_hoog: float
    liberalisatiegrens: float

    def __post_init__(self) -> None:
        values = [
            self.kwaliteitskortingsgrens,
            self.aftoppingsgrens_laag,
            self.aftoppingsgrens_hoog,
            self.liberalisatiegrens,
        ]
        if any(v <= 0 for v in values) or values != sorted(values):
            raise ConfigError(
                f"de huurgrenzen zijn {values} maar moeten positief en oplopend zijn: "
                "kwaliteitskortingsgrens <= aftoppingsgrens_laag <= aftoppingsgrens_hoog "
                "<= liberalisatiegrens"
            )

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (
            self.kwaliteitskortingsgrens,
            self.aftoppingsgrens_laag,
            self.aftoppingsgrens_hoog,
            self.liberalisatiegrens,
        )


#: Published limits (Rijksoverheid, huurtoeslag/huurbeleid) per 1 January of the year.
DEFAULT_LIMITS: dict[int, RentLimits] = {
    2020: RentLimits(432.51, 619.01, 663.40, 737.14),
    2021: RentLimits(442.46, 633.25, 678.66, 752.33),
    2022: RentLimits(442.46, 633.25, 678.66, 763.47),
    2023: RentLimits(452.20, 647.19, 693.60, 808.06),
    2024: RentLimits(454.47, 650.43, 697.07, 879.66),
    2025: RentLimits(477.20, 682.96, 731.93, 900.07),
}


def limits_for(year: int, limits: Mapping[int, RentLimits] | None = None) -> RentLimits:
    """The limits of ``year``; an unknown year is an error listing the known ones.

    Examples
    --------
    >>> limits_for(2020).aftoppingsgrens_hoog
    663.4
    """
    table = DEFAULT_LIMITS if limits is None else limits
    if year not in table:
        raise ConfigError(
            f"geen huurgrenzen voor het jaar {year}; bekende jaren zijn {sorted(table)}. "
            "Oplossing: zet ze in de configuratie onder [huurgrenzen.<jaar>]"
        )
    return table[year]


def classify_rent(rent: pd.Series, limits: RentLimits) -> pd.Series:
    """Rent class per dwelling (categorical in :data:`RENT_CLASSES` order; NA stays NA).

    A rent equal to a limit falls in the class below it ("up to and including").

    Examples
    --------
    >>> classify_rent(pd.Series([400.0, 663.40, 700.0, None]), limits_for(2020)).tolist()
    ['goedkoop', 'betaalbaar_hoog', 'duur', nan]
    """
    values = pd.to_numeric(rent, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    codes = np.searchsorted(np.asarray(limits.bounds), values, side="left")
    # the class's position as the categorical code (-1: missing), no label per row
    codes = np.where(np.isnan(values), -1, np.minimum(codes, len(RENT_CLASSES) - 1))
    return pd.Series(
        pd.Categorical.from_codes(
            codes, dtype=pd.CategoricalDtype(list(RENT_CLASSES), ordered=True)
        ),
        index=rent.index,
        name="huurklasse",
    )
