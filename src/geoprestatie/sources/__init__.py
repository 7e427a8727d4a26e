"""Readers, one per source, each returning the canonical schema.

Rows a reader cannot accept are not dropped silently: they travel in the returned frame's
``attrs`` (``bestand``, ``rijen_gelezen``, ``afgewezen``) to the accounting of
:func:`geoprestatie.join.join_sources`; see :mod:`geoprestatie.sources._tabular`. Every
accepted column alias is listed in :mod:`geoprestatie.sources.aliases`; every indicator
name of the CBS and Leefbaarometer files in :mod:`geoprestatie.sources.indicators`.
"""

from geoprestatie.sources.buurten import BUURT_COLUMNS, read_buurten
from geoprestatie.sources.heat import read_heat_plans
from geoprestatie.sources.indicators import INDICATORS, LIVEABILITY_INDICATORS
from geoprestatie.sources.kerncijfers import read_kerncijfers
from geoprestatie.sources.liveability import read_liveability, zonal_statistics
from geoprestatie.sources.sales import read_sales
from geoprestatie.sources.stock import read_stock

__all__ = [
    "BUURT_COLUMNS",
    "INDICATORS",
    "LIVEABILITY_INDICATORS",
    "read_buurten",
    "read_heat_plans",
    "read_kerncijfers",
    "read_liveability",
    "read_sales",
    "read_stock",
    "zonal_statistics",
]
