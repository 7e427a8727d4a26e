"""Coverage-weighted zonal statistics: exact cell shares, equal to exactextract."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon, box

from geoprestatie.errors import InputError
from geoprestatie.sources._zonal import coverage_fractions, zonal_statistics

UNIT = Affine(1, 0, 0, 0, -1, 10)  # 10 x 10 cells of 1, origin top-left at (0, 10)


def test_fractions_by_hand() -> None:
    # a triangle over two cells: half of cell (row 9, col 0) and a quarter-triangle beyond
    tri = Polygon([(0, 0), (2, 0), (0, 1)])
    c = coverage_fractions([tri], UNIT)
    got = dict(zip(zip(c.row.tolist(), c.col.tolist(), strict=True), c.fraction, strict=True))
    assert got[(9, 0)] == pytest.approx(0.75)  # 1 - the triangle (1, 0.5)-(0, 1)-(1, 1) of 1/4
    assert got[(9, 1)] == pytest.approx(0.25)
    assert sum(got.values()) == pytest.approx(tri.area)


def test_holes_and_multipolygons() -> None:
    ring = box(1, 1, 5, 5).difference(box(2, 2, 4, 4))  # a square with a 2 x 2 hole
    multi = shapely.MultiPolygon([box(6, 6, 6.5, 7), box(8, 8, 9, 9)])
    c = coverage_fractions([ring, multi], UNIT)
    per = np.bincount(c.polygon, weights=c.fraction)
    assert per.tolist() == pytest.approx([12.0, 1.5])
    hole = (c.polygon == 0) & (c.row == 10 - 3) & (c.col == 2)  # cell (2..3, 2..3) is in the hole
    assert not hole.any()


_coord = st.floats(0.05, 9.95, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_coord, _coord), min_size=3, max_size=12))
def test_shares_add_up_to_the_area(points: list[tuple[float, float]]) -> None:
    poly = shapely.make_valid(Polygon(points))
    parts = [g for g in shapely.get_parts(poly) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts or sum(p.area for p in parts) < 1e-9:
        return
    c = coverage_fractions(parts, UNIT)
    assert ((c.fraction > 0) & (c.fraction <= 1)).all()
    total = np.bincount(c.polygon, weights=c.fraction, minlength=len(parts))
    np.testing.assert_allclose(total, [p.area for p in parts], rtol=1e-9, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.3, 9.7), st.floats(0.3, 9.7))
def test_a_partition_covers_every_cell_once(x: float, y: float) -> None:
    # four buurten that tile the raster: per cell the shares sum to 1
    quads = [box(0, 0, x, y), box(x, 0, 10, y), box(0, y, x, 10), box(x, y, 10, 10)]
    c = coverage_fractions(quads, UNIT)
    per_cell = np.bincount(c.row * 10 + c.col, weights=c.fraction, minlength=100)
    np.testing.assert_allclose(per_cell, 1.0, rtol=1e-9)


def _irregular_buurten(rng: np.random.Generator, n: int) -> gpd.GeoDataFrame:
    polys = []
    for _ in range(n):
        cx, cy = rng.uniform(1_100, 2_100), rng.uniform(1_100, 1_900)
        k = int(rng.integers(5, 14))
        r = rng.uniform(3, 70, k)  # from a fraction of a cell to several cells
        ang = np.sort(rng.uniform(0, 2 * np.pi, k))
        polys.append(shapely.make_valid(Polygon(np.c_[cx + r * np.cos(ang), cy + r * np.sin(ang)])))
    polys.append(box(1_000.5, 1_000.5, 1_003, 1_001.3))  # far smaller than a cell
    polys.append(box(1_100, 1_100, 1_200, 1_200).difference(box(1_130, 1_130, 1_170, 1_170)))
    polys.append(
        shapely.MultiPolygon([box(1_500, 1_500, 1_512, 1_503), box(1_600, 1_600, 1_650, 1_603)])
    )
    return gpd.GeoDataFrame(
        {"buurtcode": [f"BU{i:08d}" for i in range(len(polys))]}, geometry=polys, crs=28992
    )


def test_means_equal_exactextract(tmp_path: Path) -> None:
    exactextract = pytest.importorskip("exactextract")
    rng = np.random.default_rng(7)
    transform = Affine(10, 0, 1_000, 0, -10, 2_000)
    arr = rng.normal(4, 1, (100, 120))
    arr[rng.random(arr.shape) < 0.1] = -9999
    buurten = _irregular_buurten(rng, 60)
    path = tmp_path / "r.tif"
    profile = {"driver": "GTiff", "width": 120, "height": 100, "count": 1, "dtype": "float64",
               "crs": "EPSG:28992", "transform": transform, "nodata": -9999}  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(arr, 1)
    ours = zonal_statistics(buurten, arr, transform, nodata=-9999)
    theirs = exactextract.exact_extract(
        str(path), buurten, ["mean", "count"], output="pandas", include_cols=["buurtcode"]
    )
    assert ours["buurtcode"].tolist() == theirs["buurtcode"].tolist()
    np.testing.assert_allclose(ours["gemiddelde"], theirs["mean"], rtol=0, atol=1e-6)
    assert ours["gemiddelde"].notna().all()  # every buurt, however small, gets a value
    # exactextract's count is the sum of the shares of cells with data: our coverage x area
    area_cells = buurten.geometry.area.to_numpy() / 100
    np.testing.assert_allclose(ours["dekking"] * area_cells, theirs["count"], rtol=1e-6)


def test_cells_outside_the_raster_lower_the_coverage() -> None:
    b = gpd.GeoDataFrame({"buurtcode": ["A"]}, geometry=[box(-1, 0, 1, 1)])
    z = zonal_statistics(b, np.full((10, 10), 2.0), UNIT)
    assert z.loc[0, "gemiddelde"] == 2.0 and z.loc[0, "dekking"] == pytest.approx(0.5)


def test_rotated_raster_is_one_dutch_line() -> None:
    b = gpd.GeoDataFrame({"buurtcode": ["BU00000001"]}, geometry=[box(0, 0, 2, 2)], crs=28992)
    arr = np.ones((2, 2), dtype="float32")
    with pytest.raises(InputError, match=r"het raster is gedraaid.*Oplossing: `gdalwarp"):
        zonal_statistics(b, arr, Affine(1, 0.5, 0, 0, -1, 2))
