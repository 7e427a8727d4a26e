"""Per-year prognosis map for the ``prognose`` command (private).

A thin wrapper: the one prognosis map is :func:`geoprestatie.maps.prognose_map`.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from geoprestatie.maps import prognose_map

__all__ = ["prognosis_map"]


def prognosis_map(
    prognosis: pd.DataFrame,
    buurten: gpd.GeoDataFrame,
    *,
    jaar: int,
    title: str | None = None,
    tiles: str | None = "OpenStreetMap",
) -> folium.Map:
    """:func:`geoprestatie.maps.prognose_map` of the single year ``jaar``.

    Examples
    --------
    >>> from geoprestatie.datasets import load_buurten
    >>> b = load_buurten("Amersfoort")
    >>> p = pd.DataFrame({"corporatie": ["X"], "buurtcode": ["BU03070100"], "jaar": [2022],
    ...                   "beginstand": [10], "eindstand": [12]})
    >>> "Hof" in prognosis_map(p, b, jaar=2022).get_root().render()
    True
    """
    return prognose_map(prognosis, buurten, years=[jaar], title=title, tiles=tiles)
