"""Seeded synthetic SIA/DIA/prognosis/monitor frames on real buurten, in the contract shape.

For the presentation tests and the demo outputs (scripts/demo_outputs.py) only: the numbers
are synthetic (no open data on corporation stock exists), so every output made from them
must say "synthetisch".
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

CRITERIA = ("aandeel_efg", "leefbaarometer", "bouwjaar")
WEIGHTS = (0.4, 0.35, 0.25)
CORPORATIONS = ("Corporatie A", "Corporatie B", "Corporatie C")


def synthetic_sia(buurten: gpd.GeoDataFrame, *, seed: int = 0) -> gpd.GeoDataFrame:
    """Buurten plus SIA, robustness and DIA columns (``dia_id``/``dia_naam``)."""
    rng = np.random.default_rng(seed)
    n = len(buurten)
    out = buurten.copy()
    woningen = rng.integers(0, 900, n)
    small = rng.random(n) < 0.1
    woningen[small] = rng.integers(0, 5, int(small.sum()))
    out["woningen_corporaties"] = woningen.astype("int64")
    raw = rng.random((n, len(CRITERIA)))
    contrib = raw * np.array(WEIGHTS) * 100
    for j, c in enumerate(CRITERIA):
        out[f"bijdrage_{c}"] = contrib[:, j].round(3)
    eligible = woningen >= 50
    score = contrib.sum(axis=1)
    out["sia_score"] = np.where(eligible, score.round(3), np.nan)
    out["sia_geschikt"] = eligible
    out["sia_reden"] = np.where(eligible, "", "minder dan 50 corporatiewoningen")
    rank = pd.Series(np.where(eligible, -score, np.nan)).rank(method="first")
    out["sia_rang"] = pd.array(rank.to_numpy(), dtype="Float64").astype("Int64")
    n_ok = int(eligible.sum())
    kans = np.clip(1.2 - rank.to_numpy() / max(1, n_ok) * 4 + rng.normal(0, 0.1, n), 0, 1)
    out["kans_top_k"] = np.where(eligible, kans.round(3), np.nan)
    spread = rng.integers(1, 8, n)
    out["rang_p05"] = pd.array(np.maximum(1, rank - spread), dtype="Float64").astype("Int64")
    out["rang_p95"] = pd.array(rank + spread, dtype="Float64").astype("Int64")
    out["robuust"] = eligible & (kans >= 0.8)
    # DIAs: wijken with at least two of the 25 highest ranked buurten
    top = rank.to_numpy() <= 25
    counts = out.loc[top, "wijkcode"].value_counts()
    wijken = sorted(counts[counts >= 2].index)
    names = {w: str(out.loc[(out["wijkcode"] == w) & top, "buurtnaam"].iloc[0]) for w in wijken}
    in_dia = top & out["wijkcode"].isin(wijken).to_numpy()
    out["dia_id"] = pd.array(
        [
            f"DIA{wijken.index(w) + 1:02d}" if t else None
            for w, t in zip(out["wijkcode"], in_dia, strict=True)
        ],
        dtype="string",
    )
    out["dia_naam"] = pd.array(
        [names[w] if t else None for w, t in zip(out["wijkcode"], in_dia, strict=True)],
        dtype="string",
    )
    return out


def synthetic_dia_areas(scored: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Dissolved DIA polygons: ``dia_id``, ``dia_naam``, ``n_buurten``, ``geometry``."""
    members = scored[scored["dia_id"].notna()]
    areas = members.dissolve(
        by=["dia_id", "dia_naam"], as_index=False, aggfunc={"buurtcode": "count"}
    )
    areas = areas.rename(columns={"buurtcode": "n_buurten"})
    return areas[["dia_id", "dia_naam", "n_buurten", "geometry"]]


def synthetic_prognosis(
    buurten: gpd.GeoDataFrame, *, years: range = range(2025, 2031), seed: int = 1
) -> pd.DataFrame:
    """Stock per buurt, corporation and year: ``buurtcode, jaar, corporatie, voorraad``."""
    rng = np.random.default_rng(seed)
    rows = []
    for code in buurten["buurtcode"]:
        for corp in CORPORATIONS:
            stock = int(rng.integers(0, 300)) if rng.random() < 0.8 else int(rng.integers(0, 5))
            trend = int(rng.integers(-12, 13))
            for year in years:
                rows.append((code, year, corp, stock))
                stock = max(0, stock + trend + int(rng.integers(-3, 4)))
    return pd.DataFrame(rows, columns=["buurtcode", "jaar", "corporatie", "voorraad"])


def synthetic_monitor() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A monitor frame and its offending records (dwelling level)."""
    monitor = pd.DataFrame(
        {
            "afspraak": [
                "Sociale huurvoorraad minimaal 12.000",
                "Geen E/F/G-labels na 2028",
                "Verkoop maximaal 50 per jaar",
            ],
            "gemeten": [12345.0, 37.0, 61.0],
            "norm": [">= 12.000", "0", "<= 50"],
            "status": ["groen", "oranje", "rood"],
        }
    )
    offending = pd.DataFrame(
        {
            "afspraak": ["Geen E/F/G-labels na 2028"] * 7 + ["Verkoop maximaal 50 per jaar"] * 3,
            "vhe_id": [f"V{i:04d}" for i in range(10)],
            "buurtcode": ["BU03070000"] * 6 + ["BU03070001"] + ["BU03070002"] * 3,
            "energielabel": ["F"] * 7 + ["C"] * 3,
        }
    )
    return monitor, offending


def hand_scored(grid: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The conftest 3 x 3 grid with SIA columns whose display is worked out by hand:
    buurten 0-6 eligible with known scores, 7 not eligible, 8 has only 3 dwellings."""
    g = grid.copy()
    g["woningen_corporaties"] = [1234, 800, 600, 400, 300, 200, 100, 50, 3]
    g["sia_score"] = [91.26, 80.0, 70.0, 60.0, 50.0, 40.0, 30.0, np.nan, 42.42]
    g["sia_rang"] = pd.array([1, 2, 3, 4, 5, 6, 7, None, 8], dtype="Int64")
    g["sia_geschikt"] = [True] * 7 + [False, True]
    g["sia_reden"] = [""] * 7 + ["geen Leefbaarometer-score", ""]
    g["bijdrage_aandeel_efg"] = [51.26, 40, 30, 20, 10, 5, 1, np.nan, 21.21]
    g["bijdrage_leefbaarometer"] = [40.0, 40, 40, 40, 40, 35, 29, np.nan, 21.21]
    g["kans_top_k"] = [0.97, 0.9, 0.5, 0.2, 0.1, 0.0, 0.0, np.nan, 0.3]
    g["rang_p05"] = pd.array([1, 1, 2, 3, 4, 5, 6, None, 7], dtype="Int64")
    g["rang_p95"] = pd.array([2, 3, 5, 6, 7, 7, 7, None, 8], dtype="Int64")
    g["robuust"] = [True, True, False, False, False, False, False, False, True]
    g["dia_id"] = pd.array(["D1", "D1"] + [None] * 7, dtype="string")
    g["dia_naam"] = pd.array(["Noord", "Noord"] + [None] * 7, dtype="string")
    return g


def hand_dia(scored: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The one DIA of :func:`hand_scored`: buurten 0 and 1 ("Noord", 2 km2)."""
    return scored.iloc[:2].dissolve(by=["dia_id", "dia_naam"], as_index=False)
