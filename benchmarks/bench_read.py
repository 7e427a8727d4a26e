"""Benchmark of reading a national stock file (not a test): ours against a plain typed read.

A seeded 2,500,000-row stock CSV as Dutch Excel writes it (``;``, decimal commas in the
coordinates and the rents, labels, ja/nee, a few bad values) is generated on the fly into a
temporary folder (never committed). Timed in the same run:

- **peer**: ``pyarrow.csv.read_csv`` with typed columns and ``decimal_point=","`` plus
  ``geopandas.points_from_xy``: no checks, no accounting; it fails on one bad value;
- **peer (pandas)**: ``pandas.read_csv`` (C engine, ``decimal=","``) plus ``points_from_xy``;
- **read_stock**: :func:`geoprestatie.sources.read_stock`, every rule and every row accounted
  for (decimal separator decided per column, ambiguous and non-finite values reported,
  labels, ja/nee, duplicate dwellings, locations checked).

The peers read a copy of the file without the bad rows (they cannot read them). Printed:
seconds (best of ``--repeat``) and the ratio to the pyarrow peer.

Run from the repository root: ``PYTHONPATH=src python benchmarks/bench_read.py``
(``--rows 250000`` for a quick run).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from geoprestatie.sources import read_stock

LABELS = np.array(["A++", "A+", "A", "B", "C", "D", "E", "F", "G"])
BAD = ("inf", "nan", "abc", "1e308")  # one bad rent each, set aside by read_stock


def make_stock(rows: int, seed: int = 20261130) -> pd.DataFrame:
    """A national-shaped stock table (synthetisch) as text, as Dutch Excel writes it."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(13_000, 278_000, rows)
    y = rng.uniform(306_000, 619_000, rows)
    rent = rng.normal(640, 110, rows).clip(250, 1400)
    corp = np.array([f"Woonstichting {i:03d} (synthetisch)" for i in range(300)])
    return pd.DataFrame(
        {
            "VHE-nummer": [f"V{i:08d}" for i in range(rows)],
            "Corporatie": corp[rng.integers(0, len(corp), rows)],
            "X-coördinaat": np.char.replace(np.round(x, 2).astype(str), ".", ","),
            "Y-coördinaat": np.char.replace(np.round(y, 2).astype(str), ".", ","),
            "Energielabel": LABELS[rng.integers(0, len(LABELS), rows)],
            "Bouwjaar": rng.integers(1900, 2024, rows).astype(str),
            "Woningtype": np.where(rng.random(rows) < 0.6, "meergezins", "eengezins"),
            "Kale huur": np.char.replace(np.round(rent, 2).astype(str), ".", ","),
            "DAEB": np.where(rent < 880, "ja", "nee"),
            "Conditiescore": rng.integers(1, 7, rows).astype(str),
        }
    )


def best_of(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - start)
    return best, out


def peer_pyarrow(path: Path) -> gpd.GeoSeries:
    table = pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(delimiter=";"),
        convert_options=pacsv.ConvertOptions(
            decimal_point=",",
            column_types={"X-coördinaat": pa.float64(), "Y-coördinaat": pa.float64()},
        ),
    )
    x = table.column("X-coördinaat").to_numpy()
    y = table.column("Y-coördinaat").to_numpy()
    return gpd.GeoSeries(gpd.points_from_xy(x, y, crs="EPSG:28992"))


def peer_pandas(path: Path) -> gpd.GeoDataFrame:
    df = pd.read_csv(path, sep=";", decimal=",")
    geom = gpd.points_from_xy(df["X-coördinaat"], df["Y-coördinaat"], crs="EPSG:28992")
    return gpd.GeoDataFrame(df, geometry=geom)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    stock = make_stock(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "voorraad_schoon.csv"
        stock.to_csv(clean, sep=";", index=False)
        dirty = Path(tmp) / "voorraad.csv"
        bad = stock.copy()
        bad.loc[: len(BAD) - 1, "Kale huur"] = BAD
        bad.to_csv(dirty, sep=";", index=False, encoding="cp1252")
        size = dirty.stat().st_size / 1e6
        print(f"{args.rows:,} rows, {size:.0f} MB (cp1252, ';', decimal commas)")
        t_pa, _ = best_of(lambda: peer_pyarrow(clean), args.repeat)
        t_pd, _ = best_of(lambda: peer_pandas(clean), args.repeat)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_gp, out = best_of(lambda: read_stock(dirty), args.repeat)
        assert len(out) + len(out.attrs["afgewezen"]) == args.rows
        assert len(out.attrs["afgewezen"]) == len(BAD), out.attrs["afgewezen"]
    print(f"{'method':<58}{'seconds':>9}{'ratio':>8}")
    for name, t in (
        ("pyarrow.csv typed + points_from_xy (peer, no checks)", t_pa),
        ("pandas.read_csv typed + points_from_xy (peer, no checks)", t_pd),
        ("geoprestatie read_stock (all rules, every row accounted)", t_gp),
    ):
        print(f"{name:<58}{t:>9.3f}{t / t_pa:>8.2f}")


if __name__ == "__main__":
    main()
