"""Point in polygon at address scale (10 M points) on one machine vs dask-geopandas (not a test).

The national buurten of ``national.py`` and 10,000,000 points (the 2.5 M synthetic dwellings
four times, each copy moved up to 150 m, so some fall outside every buurt or within the
50 m snapping tolerance). Each method runs in its own process (fresh memory), reads the
points from one GeoParquet file and reports seconds (without the read) and peak memory:

* ``geopandas.sjoin`` (``within``, plain: no nearest buurt, no accounting);
* ``geoprestatie.join.assign_buurten`` (threaded STRtree query over the cores, nearest
  buurt within 50 m: what the run uses; the accounting follows from its output);
* ``[koppeling] partities = 16``: ``geoprestatie._partitioned.assign_partitioned`` (the
  points in memory, Hilbert-sorted into 16 dask partitions, ``assign_buurten`` on each: the
  path ``geoprestatie run`` takes with that setting);
* ``dask_geopandas`` ``sjoin`` (16 partitions, threads);
* ``dask_geopandas`` ``map_partitions(assign_buurten)`` on the partitions of the GeoParquet
  file (``read_parquet``): the same placement and so the same accounting, with only one
  partition's geometries in memory per worker. The script asserts that it places every
  point exactly as ``assign_buurten`` does.

``python benchmarks/bench_dask.py [--points N] [--data DIR]`` (``--data``: a ``national.py``
folder, generated when missing). Figures in ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

METHODS = ("sjoin", "assign_buurten", "partities", "dask_sjoin", "dask_assign_parquet")
PARTITIONS = 16


def make_points(data: Path, n: int, out: Path) -> None:
    """``n`` points from the dwellings of ``data`` (copies moved up to 150 m), as GeoParquet
    sorted along a Hilbert curve (so that partitions are compact areas)."""
    import geopandas as gpd
    import national
    import numpy as np
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(
        data / "voorraad.csv",
        parse_options=pacsv.ParseOptions(delimiter=";"),
        convert_options=pacsv.ConvertOptions(include_columns=["x", "y"]),
    )
    x, y = table["x"].to_numpy(), table["y"].to_numpy()
    rng = np.random.default_rng(15)
    reps = -(-n // len(x))
    xs = np.concatenate([x + rng.uniform(-150, 150, len(x)) for _ in range(reps)])[:n]
    ys = np.concatenate([y + rng.uniform(-150, 150, len(y)) for _ in range(reps)])[:n]
    points = gpd.GeoDataFrame(
        {"id": np.arange(n)}, geometry=gpd.points_from_xy(xs, ys), crs=national.CRS
    )
    order = np.argsort(points.geometry.hilbert_distance().to_numpy(), kind="stable")
    points.iloc[order].reset_index(drop=True).to_parquet(out, row_group_size=n // PARTITIONS + 1)


def run_one(method: str, data: Path, points_path: Path, result: Path) -> dict[str, float]:
    """Run one method in this process; save the buurt position per point id to ``result``."""
    import geopandas as gpd
    import numpy as np

    from geoprestatie.join import assign_buurten

    buurten = gpd.read_file(data / "buurten.gpkg", engine="pyogrio")[["buurtcode", "geometry"]]
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    if method == "dask_assign_parquet":
        import dask_geopandas

        def place(part: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
            pos, how = assign_buurten(part.geometry, buurten, tolerance_m=50.0)
            return part[["id"]].assign(pos=pos, how=how)

        t0 = time.perf_counter()
        parts = dask_geopandas.read_parquet(points_path, split_row_groups=True)
        meta = {"id": "int64", "pos": "int64", "how": "int8"}
        out = parts.map_partitions(place, meta=meta).compute(scheduler="threads")
        seconds = time.perf_counter() - t0
        # partitions come back in file order, as the other methods read the points
        pos = out["pos"].to_numpy()
    else:
        points = gpd.read_parquet(points_path)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
        t0 = time.perf_counter()
        if method == "sjoin":
            joined = gpd.sjoin(points[["geometry"]], buurten, predicate="within")
            seconds = time.perf_counter() - t0
            pos = np.full(len(points), -1, dtype="int64")
            pos[joined.index.to_numpy()] = joined["index_right"].to_numpy()
        elif method == "assign_buurten":
            pos, _ = assign_buurten(points.geometry, buurten, tolerance_m=50.0)
            seconds = time.perf_counter() - t0
        elif method == "partities":
            from geoprestatie._partitioned import assign_partitioned

            pos, _ = assign_partitioned(
                points.geometry.to_numpy(),
                lambda g: assign_buurten(g, buurten, tolerance_m=50.0),
                PARTITIONS,
            )
            seconds = time.perf_counter() - t0
        else:  # dask_sjoin
            import dask_geopandas

            parts = dask_geopandas.from_geopandas(points[["geometry"]], npartitions=PARTITIONS)
            joined = parts.sjoin(buurten, predicate="within").compute(scheduler="threads")
            seconds = time.perf_counter() - t0
            pos = np.full(len(points), -1, dtype="int64")
            pos[joined.index.to_numpy()] = joined["index_right"].to_numpy()
    np.save(result, pos)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    return {"seconds": seconds, "peak_gb": peak, "before_gb": base}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000_000)
    parser.add_argument("--data", type=Path, default=HERE / ".national")
    parser.add_argument("--one", choices=METHODS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    points_path = args.data / f"punten_{args.points}.parquet"
    if args.one:
        stats = run_one(args.one, args.data, points_path, args.data / f"pos_{args.one}.npy")
        print(json.dumps(stats))
        return
    import national
    import numpy as np

    if not (args.data / "config.toml").exists():
        national.generate(args.data, national.Sizes())
    if not points_path.exists():
        make_points(args.data, args.points, points_path)
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; {args.points:,} points")
    results = {}
    for method in METHODS:
        cmd = [sys.executable, __file__, "--one", method, "--points", str(args.points)]
        cmd += ["--data", str(args.data)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{method}: failed\n{done.stderr[-2000:]}")
            continue
        results[method] = json.loads(done.stdout.strip().splitlines()[-1])
    ours = np.load(args.data / "pos_assign_buurten.npy")
    dask_ours = np.load(args.data / "pos_dask_assign_parquet.npy")
    assert (ours == dask_ours).all(), "dask partitions placed points differently"
    partities = np.load(args.data / "pos_partities.npy")
    assert (ours == partities).all(), "[koppeling] partities placed points differently"
    inside = np.load(args.data / "pos_sjoin.npy")
    agree = (inside < 0) | (inside == ours)
    print(f"assign_buurten = dask partitions: yes; agrees with sjoin inside: {agree.mean():.6f}")
    print(f"placed: {np.mean(ours >= 0):.4f} (sjoin inside: {np.mean(inside >= 0):.4f})")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    base = results.get("sjoin", {}).get("seconds")
    print("| method | seconds | ratio to sjoin | peak GB (process) |")
    print("|---|---:|---:|---:|")
    for method, s in results.items():
        ratio = f"{s['seconds'] / base:.2f}" if base else ""
        print(f"| {method} | {s['seconds']:.1f} | {ratio} | {s['peak_gb']:.2f} |")


if __name__ == "__main__":
    main()
