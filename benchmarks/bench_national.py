"""National-scale benchmark (not a test): every stage of ``geoprestatie run`` against peers.

On the seeded synthetic national set of ``benchmarks/national.py`` (about 14,000 buurten,
2.5 M dwellings, 100 k sales, a 100 m raster of the country), this script

1. runs ``geoprestatie run`` in a subprocess and times each stage from its progress lines
   (so it keeps measuring whatever the stages become), with the peak memory of the run;
2. runs the peers on the same files in this process: ``pyarrow.csv`` + ``points_from_xy``
   (reading), ``geopandas.sjoin`` and ``dask_geopandas`` (point in polygon), ``exactextract``
   (coverage-weighted zonal mean) and plain ``pandas.to_csv`` (data output);
3. prints a table of seconds and the ratios the national-scale targets are stated in.

Run from the repository root::

    python benchmarks/bench_national.py                 # full size (generates once, ~1 min)
    python benchmarks/bench_national.py --quick         # 1,500 buurten, 100 k dwellings

The data set is written to ``--data`` (default ``benchmarks/.national[-quick]/``, ignored by
git) and reused while it exists. Peers that are not installed are reported as such; install
them with ``pip install -e ".[bench]"``.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import national  # noqa: E402

QUICK = national.Sizes(buurten=1_500, dwellings=100_000, sales=5_000, gemeenten=40, corporations=40)
STAGE = re.compile(r"^\[(\d+/\d+|uitvoer)\]\s*(.*)")


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = func()
    return time.perf_counter() - t0, out


def run_ours(config: Path, out: Path) -> tuple[dict[str, float], float, float]:
    """Run the CLI; return seconds per stage (from the progress lines), total and peak GB."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-c", "from geoprestatie.cli import main; main()"]
    cmd += ["run", str(config), "--out", str(out)]
    stages: dict[str, float] = {}
    t0 = last = time.perf_counter()
    current = "start"
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            m = STAGE.match(line.strip())
            if m:
                now = time.perf_counter()
                stages[current] = stages.get(current, 0.0) + now - last
                current, last = m.group(2).strip() or m.group(1), now
        proc.wait()
    now = time.perf_counter()
    stages[current] = stages.get(current, 0.0) + now - last
    if proc.returncode != 0:
        raise SystemExit(f"geoprestatie run failed (exit {proc.returncode}): {' '.join(cmd)}")
    peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2  # KiB -> GiB
    return stages, now - t0, peak_gb


def peer_read(data: Path) -> tuple[float, Any]:
    import geopandas as gpd
    import pyarrow.csv as pacsv

    def read() -> Any:
        table = pacsv.read_csv(
            data / "voorraad.csv", parse_options=pacsv.ParseOptions(delimiter=";")
        )
        return gpd.GeoDataFrame(
            table.drop_columns(["x", "y"]).to_pandas(),
            geometry=gpd.points_from_xy(table["x"].to_numpy(), table["y"].to_numpy()),
            crs=national.CRS,
        )

    return timed(read)


def peer_sjoin(points: Any, buurten: Any) -> float:
    import geopandas as gpd

    seconds, _ = timed(lambda: gpd.sjoin(points[["geometry"]], buurten, predicate="within"))
    return seconds


def peer_dask(points: Any, buurten: Any) -> float | None:
    try:
        import dask_geopandas
    except ImportError:
        return None
    parts = dask_geopandas.from_geopandas(points[["geometry"]], npartitions=8)
    seconds, _ = timed(
        lambda: parts.sjoin(buurten, predicate="within").compute(scheduler="threads")
    )
    return seconds


def peer_exactextract(data: Path, buurten: Any) -> float | None:
    try:
        from exactextract import exact_extract
    except ImportError:
        return None
    seconds, _ = timed(
        lambda: exact_extract(
            str(data / "leefbaarometer.tif"),
            buurten,
            "mean",
            include_cols=["buurtcode"],
            output="pandas",
        )
    )
    return seconds


def peer_csv(out: Path) -> float | None:
    import pandas as pd

    tables = [p for p in out.rglob("*.csv")]
    if not tables:
        return None
    frames = [pd.read_csv(p, sep=None, engine="python", encoding="utf-8-sig") for p in tables]
    target = out.parent / (out.name + "-peer-csv")
    target.mkdir(exist_ok=True)
    seconds, _ = timed(
        lambda: [f.to_csv(target / f"{i}.csv", index=False) for i, f in enumerate(frames)]
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,500 buurten, 100 k dwellings")
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    sizes = QUICK if args.quick else national.Sizes()
    data = args.data or HERE / (".national-quick" if args.quick else ".national")
    if not (data / "config.toml").exists():
        seconds, _ = timed(lambda: national.generate(data, sizes))
        print(f"generated {data} in {seconds:.0f} s")
    print(f"{os.cpu_count()} cores; {sizes}; load {os.getloadavg()[0]:.2f}")

    stages, total, peak = run_ours(data / "config.toml", data.parent / (data.name + "-out"))
    import geopandas as gpd

    buurten = gpd.read_file(data / "buurten.gpkg", engine="pyogrio")[["buurtcode", "geometry"]]
    t_read, points = peer_read(data)
    t_sjoin = peer_sjoin(points, buurten)
    t_dask = peer_dask(points, buurten)
    t_exact = peer_exactextract(data, buurten)
    t_csv = peer_csv(data.parent / (data.name + "-out"))

    print("\n| stage (geoprestatie run) | seconds |")
    print("|---|---:|")
    for name, seconds in stages.items():
        print(f"| {name} | {seconds:.2f} |")
    # the output stage's progress line is "[uitvoer] ..." (older) or "publiek/ ... intern/"
    before = sum(
        s
        for k, s in stages.items()
        if k != "start" and "uitvoer" not in k.lower() and "publiek/" not in k
    )
    print(f"| stages before the output (1/6 … 6/6) | {before:.2f} |")
    print(f"| **total** | **{total:.2f}** (peak {peak:.2f} GiB) |")
    print("\n| peer on the same files | seconds | ours / peer |")
    print("|---|---:|---|")
    load = next((s for k, s in stages.items() if k.lower().startswith("laden")), None)
    join_s = next((s for k, s in stages.items() if k.lower().startswith("koppelen")), None)
    out_s = next(
        (s for k, s in stages.items() if "uitvoer" in k.lower() or "kaart" in k.lower()), None
    )
    peers = [
        ("pyarrow.csv + points_from_xy (stock)", t_read, "load stage", load),
        ("geopandas.sjoin (points in buurten)", t_sjoin, "join stage", join_s),
        ("dask_geopandas sjoin (8 partitions, threads)", t_dask, "join stage", join_s),
        ("exactextract mean (coverage-weighted)", t_exact, "", None),
        ("pandas.to_csv of the same tables", t_csv, "output stage", out_s),
    ]
    print(f"(load at the end: {os.getloadavg()[0]:.2f})")
    for name, seconds, what, ours in peers:
        if seconds is None:
            print(f"| {name} | not installed | |")
        else:
            ratio = f"{what} {ours / seconds:.2f}×" if ours else ""
            print(f"| {name} | {seconds:.2f} | {ratio} |")


if __name__ == "__main__":
    main()
