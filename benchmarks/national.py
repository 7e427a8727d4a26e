"""A seeded, national-shaped synthetic data set for the scale benchmarks (not a test).

Everything here is **synthetisch**: about 14,000 buurten (Voronoi cells, denser around
~40 "cities") covering a rough outline of the Netherlands in RD New, nested in wijken and
~340 gemeenten; 2.5 M corporation dwellings of ~280 corporations; 100 k sales; mutation
plans; a 100 m liveability-like raster of the whole country; an agreements file and a run
config. The sizes follow the real country (CBS 2024: 14,5xx buurten, 342 gemeenten; about
2.3 M corporation dwellings in Aedes' figures), the places and names are invented.

``python benchmarks/national.py OUT [--buurten 14000 --dwellings 2500000]`` writes the files
into ``OUT``; :func:`generate` does the same from Python (``tests/test_national.py`` runs it
small).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

CRS = "EPSG:28992"
# A rough outline of the Netherlands in RD New (km): enough for a national shape and extent.
_OUTLINE_KM = [
    (14, 372),
    (30, 360),
    (60, 356),
    (95, 370),
    (130, 376),
    (160, 380),
    (190, 352),
    (178, 316),
    (196, 306),
    (206, 322),
    (204, 360),
    (236, 380),
    (262, 410),
    (276, 450),
    (260, 470),
    (268, 500),
    (260, 540),
    (272, 560),
    (256, 600),
    (222, 608),
    (180, 600),
    (150, 590),
    (120, 580),
    (110, 560),
    (98, 520),
    (86, 490),
    (70, 460),
    (56, 430),
    (40, 410),
    (20, 392),
]


@dataclass(frozen=True)
class Sizes:
    """How big the synthetic country is."""

    buurten: int = 14_000
    dwellings: int = 2_500_000
    sales: int = 100_000
    gemeenten: int = 342
    corporations: int = 280
    cities: int = 40


def outline() -> shapely.Polygon:
    """The rough national outline in RD New metres."""
    return shapely.Polygon([(x * 1000.0, y * 1000.0) for x, y in _OUTLINE_KM])


def _seeds(n: int, country: shapely.Polygon, rng: np.random.Generator, cities: int) -> np.ndarray:
    """``n`` seed points in the country: 60 % clustered around cities, 40 % uniform."""
    minx, miny, maxx, maxy = country.bounds
    shapely.prepare(country)
    centres = _uniform(cities, country, rng)
    out: list[np.ndarray] = []
    got = 0
    while got < n:
        k = 2 * (n - got)
        urban = rng.random(k) < 0.6
        pts = rng.uniform((minx, miny), (maxx, maxy), size=(k, 2))
        which = rng.integers(0, cities, size=k)
        spread = rng.gamma(2.0, 2500.0, size=k)
        angle = rng.uniform(0, 2 * np.pi, size=k)
        pts[urban] = (
            centres[which[urban]] + np.c_[np.cos(angle), np.sin(angle)][urban] * spread[urban, None]
        )
        inside = shapely.contains_xy(country, pts[:, 0], pts[:, 1])
        out.append(pts[inside])
        got += int(inside.sum())
    return np.concatenate(out)[:n]


def _uniform(n: int, country: shapely.Polygon, rng: np.random.Generator) -> np.ndarray:
    minx, miny, maxx, maxy = country.bounds
    pts = rng.uniform((minx, miny), (maxx, maxy), size=(n * 4, 2))
    inside = shapely.contains_xy(country, pts[:, 0], pts[:, 1])
    return pts[inside][:n]


def make_buurten(sizes: Sizes, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Voronoi buurten covering the outline, coded like CBS (GM/WK/BU) and nested."""
    country = outline()
    seeds = _seeds(sizes.buurten, country, rng, sizes.cities)
    cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=country)
    cells = shapely.intersection(np.asarray(shapely.get_parts(cells)), country)
    # voronoi_polygons does not keep the input order: match cells to seeds again
    tree = shapely.STRtree(cells)
    idx = tree.query(shapely.points(seeds), predicate="within")
    order = np.empty(len(seeds), dtype=int)
    order[idx[0]] = idx[1]
    cells = cells[order]
    gem = cKDTree(seeds[rng.choice(len(seeds), sizes.gemeenten, replace=False)]).query(seeds)[1]
    wijk = np.zeros(len(seeds), dtype=int)
    for g in range(sizes.gemeenten):
        members = np.flatnonzero(gem == g)
        if len(members) == 0:
            continue
        k = max(1, len(members) // 5)
        centres = seeds[rng.choice(members, k, replace=False)]
        wijk[members] = cKDTree(centres).query(seeds[members])[1]
    frame = pd.DataFrame({"gem": gem, "wijk": wijk})
    frame["nr"] = frame.groupby(["gem", "wijk"]).cumcount()
    gm = [f"{g + 1:04d}" for g in frame["gem"]]
    wk = [f"{w % 100:02d}" for w in frame["wijk"]]
    bu = [f"{b % 100:02d}" for b in frame["nr"]]
    out = gpd.GeoDataFrame(
        {
            "buurtcode": [f"BU{a}{b}{c}" for a, b, c in zip(gm, wk, bu, strict=True)],
            "buurtnaam": [f"Buurt {i + 1} (synthetisch)" for i in range(len(seeds))],
            "wijkcode": [f"WK{a}{b}" for a, b in zip(gm, wk, strict=True)],
            "gemeentecode": [f"GM{a}" for a in gm],
            "gemeentenaam": [f"Gemeente {g + 1} (synthetisch)" for g in frame["gem"]],
        },
        geometry=cells,
        crs=CRS,
    )
    out = out[~out.geometry.is_empty].drop_duplicates("buurtcode")
    out["woningvoorraad"] = rng.integers(50, 2500, size=len(out))
    return out.reset_index(drop=True)


def make_stock(buurten: gpd.GeoDataFrame, sizes: Sizes, rng: np.random.Generator) -> pd.DataFrame:
    """Dwellings near buurt centres (a few per mille stray just outside), per corporation."""
    weight = rng.lognormal(0.0, 1.0, size=len(buurten))
    which = rng.choice(len(buurten), size=sizes.dwellings, p=weight / weight.sum())
    centre = shapely.get_coordinates(buurten.geometry.representative_point())
    radius = np.sqrt(buurten.geometry.area.to_numpy() / np.pi) * 0.35
    angle = rng.uniform(0, 2 * np.pi, sizes.dwellings)
    dist = radius[which] * np.sqrt(rng.random(sizes.dwellings))
    xy = centre[which] + np.c_[np.cos(angle), np.sin(angle)] * dist[:, None]
    gem = buurten["gemeentecode"].to_numpy()[which]
    codes, gem_idx = np.unique(gem, return_inverse=True)
    # each gemeente has 1-4 corporations out of the national set
    n_corp = rng.integers(1, 5, size=len(codes))
    first = rng.integers(0, sizes.corporations, size=len(codes))
    pick = (first[gem_idx] + rng.integers(0, 1 << 30, sizes.dwellings) % n_corp[gem_idx]) % (
        sizes.corporations
    )
    names = np.array(
        [f"Woonstichting {i + 1:03d} (synthetisch)" for i in range(sizes.corporations)]
    )
    labels = np.array(["A++", "A+", "A", "B", "C", "D", "E", "F", "G"])
    rent = rng.normal(640, 110, sizes.dwellings).clip(250, 1400)
    return pd.DataFrame(
        {
            "vhe_id": [f"V{i:08d}" for i in range(sizes.dwellings)],
            "corporatie": names[pick],
            "x": np.round(xy[:, 0]).astype(int),
            "y": np.round(xy[:, 1]).astype(int),
            "energielabel": labels[
                rng.choice(
                    9, sizes.dwellings, p=[0.02, 0.05, 0.25, 0.25, 0.18, 0.12, 0.07, 0.04, 0.02]
                )
            ],
            "bouwjaar": rng.integers(1900, 2024, sizes.dwellings),
            "woningtype": np.where(rng.random(sizes.dwellings) < 0.6, "meergezins", "eengezins"),
            "huurprijs": [f"{r:.2f}".replace(".", ",") for r in rent],
            "daeb": np.where(rent < 880, "ja", "nee"),
            "conditiescore": rng.integers(1, 7, sizes.dwellings),
            # where the generator put it (not written: the run must find it from x/y)
            "_buurtcode": buurten["buurtcode"].to_numpy()[which],
        }
    )


def make_sales(stock: pd.DataFrame, sizes: Sizes, rng: np.random.Generator) -> pd.DataFrame:
    """Sales of existing dwellings, 2020-2030, realised up to 2024."""
    pick = rng.choice(len(stock), size=sizes.sales, replace=False)
    jaar = rng.integers(2020, 2031, sizes.sales)
    return pd.DataFrame(
        {
            "vhe_id": stock["vhe_id"].to_numpy()[pick],
            "corporatie": stock["corporatie"].to_numpy()[pick],
            "jaar": jaar,
            "status": np.where(jaar <= 2024, "gerealiseerd", "voorgenomen"),
        }
    )


def make_plans(stock: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Mutation plans per corporation, 2025-2030, in buurten where it owns dwellings.

    Removals (sloop, verkoop) never exceed a quarter of what the corporation owns there.
    """
    owned = stock.groupby(["corporatie", "_buurtcode"]).size().rename("n").reset_index()
    rows = []
    for corp, places in owned.groupby("corporatie"):
        for _ in range(int(rng.integers(2, 8))):
            place = places.iloc[int(rng.integers(0, len(places)))]
            mutatie = str(rng.choice(["nieuwbouw", "sloop", "verkoop", "aankoop"]))
            cap = int(place["n"]) // 4 if mutatie in ("sloop", "verkoop") else 120
            if cap < 1:
                continue
            rows.append(
                {
                    "corporatie": corp,
                    "jaar": int(rng.integers(2025, 2031)),
                    "mutatie": mutatie,
                    "aantal": int(rng.integers(1, cap + 1)),
                    "zekerheid": str(rng.choice(["hard", "zacht"])),
                    "tijdelijk": "nee",
                    "buurtcode": place["_buurtcode"],
                    "herkomst": "synthetisch (benchmarks/national.py)",
                }
            )
    return pd.DataFrame(rows)


def write_raster(path: Path, rng: np.random.Generator) -> None:
    """A 100 m liveability-like grid (scores 3.5-4.5, nodata outside the outline)."""
    import rasterio
    from affine import Affine
    from rasterio.features import geometry_mask

    transform = Affine(100, 0, 0, 0, -100, 625_000)
    shape = (3250, 2800)
    noise = rng.normal(0, 0.15, size=(shape[0] // 10 + 1, shape[1] // 10 + 1))
    field = np.kron(noise, np.ones((10, 10)))[: shape[0], : shape[1]] + 4.0
    outside = geometry_mask([outline()], out_shape=shape, transform=transform)
    data = np.where(outside, -9999.0, field).astype("float32")
    profile = {
        "driver": "GTiff",
        "height": shape[0],
        "width": shape[1],
        "count": 1,
        "dtype": "float32",
        "crs": CRS,
        "transform": transform,
        "nodata": -9999.0,
        "compress": "deflate",
        "tiled": True,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)


AGREEMENTS = """\
# synthetisch: agreements for the national benchmark (benchmarks/national.py)
[[afspraak]]
id = "N1"
tekst = "Geen verkoop van woningen met energielabel F of G (synthetisch)"
partij = "alle corporaties"
bron = "synthetisch"
soort = "verbod"
dataset = "verkoop"
verboden_als = [{ kolom = "energielabel", op = "in", waarde = ["F", "G"] }]

[[afspraak]]
id = "N2"
tekst = "Minstens 70% van de voorraad heeft een energielabel A t/m C (synthetisch)"
partij = "alle corporaties"
bron = "synthetisch"
soort = "aandeel"
dataset = "voorraad"
voorwaarde = [{ kolom = "energielabel", op = "<=", waarde = "C" }]
vergelijking = ">="
norm = 0.7
marge = 0.05
"""

CONFIG = """\
# synthetisch: national-scale benchmark run (benchmarks/national.py)
[project]
naam = "Nationale benchmark (synthetisch)"
synthetisch = true

[buurten]
bestand = "buurten.gpkg"

[bronnen]
voorraad = "voorraad.csv"
verkoop = "verkoop.csv"
leefbaarometer = "leefbaarometer.tif"

[sia]
top_k = 50

[prognose]
plannen = "plannen.csv"
peildatum = "2025-01-01"

[afspraken]
bestand = "afspraken.toml"
jaar = 2025
"""


def generate(
    out: str | Path, sizes: Sizes = Sizes(), *, seed: int = 2026, raster: bool = True
) -> Path:
    """Write the synthetic national set into ``out`` and return the path of its run config."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    buurten = make_buurten(sizes, rng)
    buurten.to_file(out / "buurten.gpkg", layer="buurten", engine="pyogrio")
    stock = make_stock(buurten, sizes, rng)
    stock.drop(columns="_buurtcode").to_csv(out / "voorraad.csv", sep=";", index=False)
    make_sales(stock, sizes, rng).to_csv(out / "verkoop.csv", sep=";", index=False)
    make_plans(stock, rng).to_csv(out / "plannen.csv", index=False)
    config = CONFIG
    if raster:
        write_raster(out / "leefbaarometer.tif", rng)
    else:
        config = config.replace('leefbaarometer = "leefbaarometer.tif"\n', "")
    (out / "afspraken.toml").write_text(AGREEMENTS, encoding="utf-8")
    (out / "config.toml").write_text(config, encoding="utf-8")
    return out / "config.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--buurten", type=int, default=Sizes.buurten)
    parser.add_argument("--dwellings", type=int, default=Sizes.dwellings)
    parser.add_argument("--sales", type=int, default=Sizes.sales)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    t0 = time.perf_counter()
    sizes = Sizes(buurten=args.buurten, dwellings=args.dwellings, sales=args.sales)
    config = generate(args.out, sizes, seed=args.seed)
    print(f"{config} ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
