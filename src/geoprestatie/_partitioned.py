"""Point placement over dask-geopandas partitions: past one machine, the same answer.

``[koppeling] partities = N`` (N > 0) splits the points of a source into N spatially
compact partitions (Hilbert order) and places each partition with the very function the
in-process join uses, through :meth:`dask_geopandas.GeoDataFrame.map_partitions`. The
result (buurt position and how it was found, per point, in input order) is identical, so
the accounting that follows from it is too.

``compute()`` runs on dask's current scheduler: threads on this machine, or, when a
``dask.distributed`` client is active (a cluster started in the notebook), its workers.
When to switch (measured in ``benchmarks/bench_dask.py``, figures in
``benchmarks/README.md``): on one machine the in-process threaded join is as fast; the
partitioned path is for address sets that do not fit one machine or for a cluster.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd

from geoprestatie.errors import ConfigError

__all__ = ["MAX_PARTITIONS", "assign_partitioned"]

MAX_PARTITIONS = 4096
Placement = tuple[np.ndarray, np.ndarray]


def _dask_geopandas() -> object:
    try:
        import dask_geopandas
    except ImportError:
        raise ConfigError(
            "[koppeling] partities vraagt het pakket dask-geopandas, dat niet is "
            "geïnstalleerd: pip install 'geoprestatie[dask]', of zet partities = 0 "
            "(koppelen op deze machine)"
        ) from None
    return dask_geopandas


def assign_partitioned(
    geoms: np.ndarray,
    assign: Callable[[np.ndarray], Placement],
    partitions: int,
) -> Placement:
    """``assign(geoms)``, computed per dask partition; the same arrays in input order.

    Parameters
    ----------
    geoms
        Point geometries (shapely), none missing or empty.
    assign
        The in-process placement: geometries -> (positions, how), both per geometry.
    partitions
        Number of dask partitions (1 ... ``MAX_PARTITIONS``; more than points: one each).
    """
    dgpd = _dask_geopandas()
    n = len(geoms)
    if n == 0:
        return np.empty(0, dtype="int64"), np.empty(0, dtype="int8")
    series = gpd.GeoSeries(geoms)
    order = np.argsort(series.hilbert_distance().to_numpy(), kind="stable")
    frame = gpd.GeoDataFrame({"rij": order}, geometry=series.iloc[order].to_numpy())
    parts = dgpd.from_geopandas(  # type: ignore[attr-defined]
        frame, npartitions=max(1, min(partitions, n)), sort=False
    )

    def place(part: gpd.GeoDataFrame) -> pd.DataFrame:
        pos, how = assign(part.geometry.to_numpy())
        return pd.DataFrame(
            {"rij": part["rij"].to_numpy(), "pos": pos, "how": how}, index=part.index
        )

    meta = pd.DataFrame(
        {
            "rij": pd.Series(dtype="int64"),
            "pos": pd.Series(dtype="int64"),
            "how": pd.Series(dtype="int8"),
        }
    )
    out = parts.map_partitions(place, meta=meta).compute()
    pos = np.full(n, -1, dtype="int64")
    how = np.full(n, -1, dtype="int8")
    rows = out["rij"].to_numpy()
    pos[rows] = out["pos"].to_numpy()
    how[rows] = out["how"].to_numpy()
    return pos, how
