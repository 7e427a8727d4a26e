"""How large and how fast the web maps are for a whole country (not a test).

A national-size buurt set (synthetisch: the Voronoi buurten of ``national.py``, their
borders densified to a vertex every 25 m and bent by a smooth displacement field, so a
buurt has ~100–300 vertices like the CBS wijk- en buurtkaart, with shared borders still
shared) gets seeded SIA columns; the script builds ``sia_map`` and ``prognose_map``
(10 years), writes them and opens them in headless Chromium with the network off
(``scripts/browser_check.py``): file size, build time, time until the map is drawn, and
a screenshot. Run: ``python benchmarks/bench_maps.py OUT [--buurten 14000]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from national import Sizes, make_buurten  # noqa: E402

from geoprestatie.output import _topology, maps  # noqa: E402


def _browser_check():  # type: ignore[no-untyped-def]
    path = HERE.parent / "scripts" / "browser_check.py"
    spec = importlib.util.spec_from_file_location("browser_check", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wiggly(buurten: gpd.GeoDataFrame, *, step: float = 25.0, amp: float = 12.0) -> gpd.GeoDataFrame:
    """Densify and bend every border the same way on both sides (a function of position)."""
    geoms = shapely.segmentize(buurten.geometry.to_numpy(), step)

    def bend(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0], xy[:, 1]
        dx = amp * (np.sin(y / 97.0) + 0.5 * np.sin((x + y) / 41.0))
        dy = amp * (np.cos(x / 89.0) + 0.5 * np.cos((x - y) / 37.0))
        return np.column_stack([x + dx, y + dy])

    bent = shapely.transform(geoms, bend)
    return buurten.set_geometry(gpd.GeoSeries(shapely.make_valid(bent), crs=buurten.crs))


def scored(buurten: gpd.GeoDataFrame, rng: np.random.Generator) -> gpd.GeoDataFrame:
    n = len(buurten)
    score = rng.uniform(0, 100, n)
    out = buurten.assign(
        sia_score=score,
        sia_rang=pd.Series(score).rank(ascending=False, method="first").to_numpy(),
        sia_geschikt=rng.random(n) > 0.15,
        woningen_corporaties=rng.integers(0, 600, n),
        kans_top_k=rng.random(n),
        rang_p05=np.maximum(1, score.argsort().argsort() - 30),
        rang_p95=score.argsort().argsort() + 30,
        robuust=rng.random(n) > 0.97,
    )
    for name in ("leefbaarheid", "aandeel_corporatie", "aandeel_efg", "warmte", "verkoop", "ses"):
        out[f"bijdrage_{name}"] = score * rng.uniform(0.05, 0.25, n)
    out.attrs["top_k"] = 50
    return out


def prognosis(buurten: gpd.GeoDataFrame, rng: np.random.Generator, years: int = 10) -> pd.DataFrame:
    codes = np.repeat(buurten["buurtcode"].to_numpy(), years)
    start = np.repeat(rng.integers(0, 800, len(buurten)), years)
    jaar = np.tile(np.arange(2025, 2025 + years), len(buurten))
    change = rng.integers(-20, 30, len(codes))
    return pd.DataFrame(
        {
            "corporatie": "Corporatie (synthetisch)",
            "buurtcode": codes,
            "jaar": jaar,
            "beginstand": start,
            "nieuwbouw": np.maximum(change, 0),
            "sloop": np.minimum(change, 0),
            "eindstand": start + change,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--buurten", type=int, default=14_000)
    parser.add_argument(
        "--peer",
        action="store_true",
        help="also time shapely.coverage_simplify on the same buurten (slow: minutes)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261130)
    buurten = wiggly(make_buurten(Sizes(buurten=args.buurten), rng))
    vertices = shapely.get_num_coordinates(buurten.geometry.to_numpy())
    bc = _browser_check()
    figures: dict[str, object] = {
        "buurten": len(buurten),
        "vertices_per_buurt_median": float(np.median(vertices)),
        "gemeenten": int(buurten["gemeentecode"].nunique()),
    }
    tolerance = 80.0  # what web_tolerance picks for the whole country
    geoms = buurten.geometry.to_numpy()
    t0 = time.perf_counter()
    ours = _topology.simplify_coverage(geoms, tolerance)
    figures["simplify_s (geoprestatie, arcs)"] = round(time.perf_counter() - t0, 2)
    figures["vertices_after"] = int(shapely.get_num_coordinates(ours).sum())
    if args.peer:
        t0 = time.perf_counter()
        peer = shapely.coverage_simplify(geoms, tolerance)
        figures["simplify_s (shapely.coverage_simplify)"] = round(time.perf_counter() - t0, 2)
        figures["vertices_after (coverage_simplify)"] = int(shapely.get_num_coordinates(peer).sum())
    jobs = {
        "sia.html": lambda: maps.sia_map(scored(buurten, rng), synthetic=True),
        "prognose.html": lambda: maps.prognose_map(
            prognosis(buurten, rng), buurten, synthetic=True
        ),
    }
    for name, build in jobs.items():
        t0 = time.perf_counter()
        page = build().get_root().render()
        seconds = time.perf_counter() - t0
        path = args.out / name
        path.write_text(page, encoding="utf-8")
        shot = args.out / f"{path.stem}_1366.png"
        found = bc.check_page(path, screenshot=shot, window=(1366, 768), timeout=300)
        figures[name] = {
            "mb": round(path.stat().st_size / 1e6, 2),
            "build_s": round(seconds, 1),
            "drawn_ms": found.get("render_ms"),
            "of_which_gpmap_ms": found.get("script_ms"),
            "buurten_drawn": found.get("polygons"),
            "problems": bc.problems(found, min_polygons=len(buurten)),
        }
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
