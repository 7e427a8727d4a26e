"""Generate the synthetic (synthetisch) Amersfoort demo data in data/demo/.

Seeded and deterministic: running it again writes byte-identical CSV files. Dwelling counts
per buurt are sized from the real CBS figures (woningvoorraad, aandeel_koop);
everything about individual dwellings is invented. See data/demo/README.md.

Run: ``PYTHONPATH=src python scripts/make_demo_data.py``
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
from affine import Affine
from rasterio import features

from geoprestatie import datasets

SEED = 20261122
OUT = Path(__file__).resolve().parents[1] / "data" / "demo"
#: the real corporations in Amersfoort and an assumed share of their stock there
CORPORATIES = {"de Alliantie": 0.45, "Portaal": 0.35, "Omnia Wonen": 0.20}
#: assumed share of the rented dwellings (CBS) owned by these corporations
CORPORATIE_AANDEEL_HUUR = 0.6
#: building periods and label probabilities (A++++ ... G order below), older = worse
PERIODS = [(1900, 1945), (1946, 1970), (1971, 1990), (1991, 1999), (2000, 2023)]
PERIOD_WEIGHTS_PRE2000 = [0.08, 0.27, 0.45, 0.20]
LABELS = ["A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G"]
LABEL_P = {
    0: [0, 0, 0, 0.01, 0.08, 0.14, 0.25, 0.20, 0.14, 0.10, 0.08],
    1: [0, 0, 0, 0.01, 0.12, 0.20, 0.28, 0.18, 0.10, 0.07, 0.04],
    2: [0, 0, 0.01, 0.02, 0.25, 0.30, 0.24, 0.10, 0.05, 0.02, 0.01],
    3: [0, 0.01, 0.02, 0.05, 0.45, 0.30, 0.12, 0.04, 0.01, 0, 0],
    4: [0.05, 0.10, 0.20, 0.25, 0.38, 0.02, 0, 0, 0, 0, 0],
}


def _points_in(poly: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    minx, miny, maxx, maxy = poly.bounds
    out = np.empty((0, 2))
    shapely.prepare(poly)
    while len(out) < n:
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(max(2 * n, 64), 2))
        out = np.vstack([out, xy[shapely.contains_xy(poly, xy[:, 0], xy[:, 1])]])
    return np.round(out[:n])


def make_stock(
    buurten: gpd.GeoDataFrame, ind: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    data = buurten.merge(ind, on="buurtcode", how="left", suffixes=("", "_ind"))
    huur = data["woningvoorraad"] * (100 - (data["aandeel_koop"] * 100).round(6)) / 100
    n_per = np.round(huur.fillna(0) * CORPORATIE_AANDEEL_HUUR).astype(int).to_numpy()
    corp_names = list(CORPORATIES)
    base = np.array(list(CORPORATIES.values()))
    wijk_mix = {w: rng.dirichlet(base * 4) for w in sorted(data["wijkcode"].unique())}
    rows = []
    for i, row in data.iterrows():
        n = int(n_per[i])
        if n == 0:
            continue
        xy = _points_in(row.geometry, n, rng)
        mix = wijk_mix[row["wijkcode"]]
        corp = rng.choice(3, size=n, p=mix)
        new = float(round(row["aandeel_bouwjaar_vanaf_2000"] * 100, 6)) / 100
        new = 0.1 if np.isnan(new) else new
        period = np.where(rng.random(n) < new, 4, rng.choice(4, size=n, p=PERIOD_WEIGHTS_PRE2000))
        lo = np.array([PERIODS[p][0] for p in period])
        hi = np.array([PERIODS[p][1] for p in period])
        bouwjaar = rng.integers(lo, hi + 1)
        label = [LABELS[rng.choice(11, p=np.array(LABEL_P[p]) / sum(LABEL_P[p]))] for p in period]
        meer = float(round(row["aandeel_meergezins"] * 100, 6)) / 100
        meer = 0.5 if np.isnan(meer) else meer
        meergezins = rng.random(n) < meer
        rent = rng.normal(640, 110, n) + np.where(meergezins, -40, 40) + (period - 2) * 25
        score = np.clip(np.round(rng.normal(5.2 - period * 0.6, 0.8, n)), 1, 6).astype(int)
        rows.append(
            pd.DataFrame(
                {
                    "corp": corp,
                    "x": xy[:, 0].astype(int),
                    "y": xy[:, 1].astype(int),
                    "energielabel": label,
                    "bouwjaar": bouwjaar,
                    "woningtype": np.where(meergezins, "meergezins", "eengezins"),
                    "huurprijs": np.clip(rent, 350, 1150).round(2),
                    "daeb": np.where(rng.random(n) < 0.93, "ja", "nee"),
                    "conditiescore": score,
                }
            )
        )
    stock = pd.concat(rows, ignore_index=True)
    prefix = np.array(["DA", "PO", "OW"])
    stock.insert(0, "vhe_id", [f"{prefix[c]}{i:06d}" for i, c in enumerate(stock["corp"], 1)])
    stock.insert(1, "corporatie", np.array(corp_names, dtype=object)[stock["corp"]])
    return stock.drop(columns="corp")


def add_flaws(
    stock: pd.DataFrame, buurten: gpd.GeoDataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Deliberate problems so the accounting has something to show."""
    out = stock.astype({"x": object, "y": object, "energielabel": object, "bouwjaar": object})
    out["buurtcode"] = ""
    outline = buurten.union_all()
    ring = shapely.get_exterior_ring(max(shapely.get_parts(outline), key=lambda g: g.area))
    centre = outline.centroid
    picks = rng.choice(len(out), size=12, replace=False)
    for k, dist in enumerate([20.0, 30.0, 40.0, 2000.0, 3500.0]):
        p = ring.interpolate(rng.uniform(0, ring.length))
        dx, dy = p.x - centre.x, p.y - centre.y
        norm = float(np.hypot(dx, dy))
        q = (p.x + dx / norm * dist, p.y + dy / norm * dist)
        if shapely.contains_xy(outline, *q) or (
            dist < 50 and outline.distance(shapely.Point(q)) > 49
        ):
            q = (p.x + dx / norm * 5, p.y + dy / norm * 5)
        out.loc[picks[k], ["x", "y"]] = [round(q[0]), round(q[1])]
    out.loc[picks[5], "energielabel"] = "H"
    out.loc[picks[6], "bouwjaar"] = "19x5"
    out.loc[picks[7], ["x", "y"]] = ["", ""]
    for j in (8, 9, 10):  # location only by buurtcode
        xy = shapely.Point(out.loc[picks[j], "x"], out.loc[picks[j], "y"])
        code = buurten.loc[buurten.contains(xy), "buurtcode"]
        out.loc[picks[j], "buurtcode"] = code.iloc[0] if len(code) else "BU03079999"
        out.loc[picks[j], ["x", "y"]] = ["", ""]
    dup = out.loc[[picks[11]]].copy()
    out = pd.concat([out, dup], ignore_index=True)  # a duplicate vhe_id at the end
    return out


def make_sales(stock: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(stock)
    idx = rng.choice(n, size=int(n * 0.05), replace=False)
    planned = rng.random(len(idx)) < 0.8
    sales = pd.DataFrame(
        {
            "vhe_id": stock["vhe_id"].to_numpy()[idx],
            "jaar": np.where(
                planned, rng.integers(2025, 2030, len(idx)), rng.integers(2022, 2025, len(idx))
            ),
            "status": np.where(planned, "voorgenomen", "gerealiseerd"),
        }
    ).sort_values("vhe_id", ignore_index=True)
    extra = pd.DataFrame(
        {
            "vhe_id": ["XX000001", "XX000002", sales["vhe_id"].iloc[0] + "B"],
            "jaar": [2026, 2027, 2026],
            "status": ["voorgenomen", "voorgenomen", "misschien"],
        }
    )
    return pd.concat([sales, extra], ignore_index=True)


def make_heat(
    buurten: gpd.GeoDataFrame, ind: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    ind = ind.assign(meergezinswoning_percentage=(ind["aandeel_meergezins"] * 100).round(6))
    data = buurten.merge(ind[["buurtcode", "meergezinswoning_percentage"]], on="buurtcode")
    per_wijk = data.groupby("wijkcode")["meergezinswoning_percentage"].mean().fillna(30)
    rows = []
    for wijk, meer in per_wijk.items():
        if meer > 60:
            strat = "Warmtenet"
        elif meer > 35:
            strat = str(rng.choice(["Warmtenet", "Hybride warmtepomp"]))
        else:
            strat = str(rng.choice(["All-electric", "Hybride warmtepomp", "Nog onbekend"]))
        start = str(rng.choice(["2026", "2028-2030", "2030", "2035", "2040", ""]))
        rows.append({"wijkcode": wijk, "startjaar": start, "strategie": strat})
    return pd.DataFrame(rows)


def make_raster(
    buurten: gpd.GeoDataFrame, ind: pd.DataFrame, rng: np.random.Generator, path: Path
) -> None:
    minx, miny, maxx, maxy = buurten.total_bounds
    minx, miny = np.floor(minx / 100) * 100, np.floor(miny / 100) * 100
    maxx, maxy = np.ceil(maxx / 100) * 100, np.ceil(maxy / 100) * 100
    width, height = int((maxx - minx) / 100), int((maxy - miny) / 100)
    transform = Affine(100, 0, minx, 0, -100, maxy)
    score = buurten.merge(ind[["buurtcode", "leefbaarometer_score"]], on="buurtcode", how="left")
    score = score.dropna(subset=["leefbaarometer_score"])
    base = features.rasterize(
        zip(score.geometry, score["leefbaarometer_score"], strict=True),
        out_shape=(height, width),
        transform=transform,
        fill=np.nan,
        dtype="float32",
    )
    noise = rng.normal(0, 0.05, size=base.shape).astype("float32")
    arr = np.where(np.isnan(base), -9999, np.round(base + noise, 2)).astype("float32")
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:28992",
        "transform": transform,
        "nodata": -9999,
        "compress": "deflate",
        "predictor": 3,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(arr, 1)
        dst.update_tags(
            TIFFTAG_IMAGEDESCRIPTION="SYNTHETISCH: Leefbaarometer-achtig 100 m grid voor de demo "
            "(echte buurtscores + ruis), geen echte Leefbaarometer-data",
            bron="synthetisch, scripts/make_demo_data.py",
        )


def main() -> None:
    rng = np.random.default_rng(SEED)
    buurten = datasets.load_buurten("Amersfoort")
    ind = datasets.load_indicators("Amersfoort")
    OUT.mkdir(parents=True, exist_ok=True)
    stock = make_stock(buurten, ind, rng)
    flawed = add_flaws(stock, buurten, rng)
    flawed.to_csv(OUT / "voorraad_synthetisch.csv", sep=";", decimal=",", index=False)
    make_sales(stock, rng).to_csv(OUT / "verkoop_synthetisch.csv", sep=";", index=False)
    make_heat(buurten, ind, rng).to_csv(OUT / "warmte_synthetisch.csv", sep=";", index=False)
    make_raster(buurten, ind, rng, OUT / "leefbaarometer_grid_synthetisch.tif")
    print(f"{len(flawed)} stock rows, written to {OUT}")


if __name__ == "__main__":
    main()
