"""National-scale benchmark (not a test): every stage of ``geoprestatie run`` against peers.

On the seeded synthetic national set of ``benchmarks/national.py`` (about 14,000 buurten,
2.5 M dwellings, 100 k sales, a 100 m raster of the country), this script

1. runs ``geoprestatie run`` in a subprocess and times each stage from its progress lines
   (so it keeps measuring whatever the stages become), with the peak memory of the run
   and its forked jobs together (summed PSS, ``_memory.py``);
2. runs the peers on the same files in this process: ``pyarrow.csv`` + ``points_from_xy``
   (reading), ``geopandas.sjoin`` and ``dask_geopandas`` (point in polygon), ``exactextract``
   (coverage-weighted zonal mean) and plain ``pandas.to_csv`` (data output);
3. times, in this process and next to its peer, what the stage times cannot separate:
   ``read_stock`` (against ``pyarrow.csv`` + ``points_from_xy``), the coverage-weighted zonal
   statistics (``read_liveability`` on the raster, against ``exactextract`` on the same file)
   and the data outputs of one ``pipeline.run`` + ``publish`` as the run writes them
   (``write_gpkg`` + ``write_tables`` of ``publiek/``, ``write_internal`` of ``intern/``
   with the offending records), against ``pandas.to_csv`` of the same tables +
   ``pyogrio.write_dataframe`` of the same GeoDataFrames;
4. prints a table of seconds and one line per target of the national-scale issue: ours,
   the peer from the same run, the ratio, the target and whether it is met.

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
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import national  # noqa: E402
from _memory import TreeMemory  # noqa: E402

QUICK = national.Sizes(buurten=1_500, dwellings=100_000, sales=5_000, gemeenten=40, corporations=40)
STAGE = re.compile(r"^\[(\d+/\d+|uitvoer)\]\s*(.*)")


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = func()
    return time.perf_counter() - t0, out


#: Run with this prelude, the run writes no GeoPackage, CSV or XLSX (both sets' data
#: files and ``intern/``): what the data outputs add to a run's wall time is the difference.
NO_DATA_FILES = (
    "import geoprestatie.output.write as w\n"
    "w._data_files = lambda *a, **k: []\n"
    "w.write_internal = lambda *a, **k: []\n"
)


def run_ours(
    config: Path, out: Path, *, prelude: str = ""
) -> tuple[dict[str, float], float, float]:
    """Run the CLI (after ``prelude``, Python code); return seconds per stage (from the
    progress lines), total and peak GB."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-c", prelude + "from geoprestatie.cli import main; main()"]
    cmd += ["run", str(config), "--out", str(out)]
    stages: dict[str, float] = {}
    t0 = last = time.perf_counter()
    current = "start"
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as proc:
        watch = TreeMemory(proc.pid)
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
    # the run's forked jobs (geoprestatie._fork) live beside it: the peak is the largest sum
    # of their PSS, sampled; never below the largest single process (ru_maxrss)
    summed = watch.stop() or 0.0
    one = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / 1e9  # KiB -> GB
    return stages, now - t0, max(summed, one) * 1e9 / 1024**3  # GiB


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


def ours_read(data: Path) -> float:
    """``read_stock`` on the stock file (every Dutch-Excel rule, every row accounted for)."""
    import warnings

    from geoprestatie.sources import read_stock

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the seeded file has rows set aside on purpose
        seconds, stock = timed(lambda: read_stock(data / "voorraad.csv"))
    del stock
    return seconds


def ours_zonal(data: Path) -> float:
    """Our coverage-weighted zonal mean: ``read_liveability`` (the raster read + reduced per
    buurt), as exactextract reads the same file."""
    from geoprestatie.sources import read_buurten, read_liveability

    buurten = read_buurten(data / "buurten.gpkg")
    seconds, _ = timed(lambda: read_liveability(data / "leefbaarometer.tif", buurten=buurten))
    return seconds


def data_outputs(data: Path, scratch: Path) -> tuple[float, float, float, float, float]:
    """One ``pipeline.run`` + ``publish`` (not timed), then our data outputs as the run
    writes them: ``publiek/`` by ``write_gpkg`` + ``write_tables``, ``intern/`` by
    ``write_internal`` (GeoPackage with the dwellings in a forked job beside the tables and
    the offending records); and the peer's plain writes of the same tables (the offending
    records too) and layers. Returns (ours, publiek/ part, intern/ part, peer, load at the
    start)."""
    import warnings

    from geoprestatie import pipeline, publication
    from geoprestatie.config import load_config
    from geoprestatie.output.gpkg import layers, write_gpkg
    from geoprestatie.output.tables import plain, run_tables, write_tables
    from geoprestatie.output.write import write_internal

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pipeline.run(load_config(data / "config.toml"))
        policy = publication.PublicationPolicy.from_dict(result.config.section("uitvoer"))
        public = publication.publish(result, policy)
    shutil.rmtree(scratch, ignore_errors=True)
    for name in ["publiek", "intern", "peer-publiek", "peer-intern"]:
        (scratch / name).mkdir(parents=True)
    load = os.getloadavg()[0]
    t_public = timed(partial(write_gpkg, public, scratch / "publiek"))[0]
    t_public += timed(partial(write_tables, public, scratch / "publiek"))[0]
    t_intern = timed(partial(write_internal, result, scratch / "intern"))[0]
    peer = 0.0
    for name, res, dwellings in [("publiek", public, False), ("intern", result, True)]:
        frames = [
            (layer.name, _peer_frame(layer, plain), layer.spatial_index)
            for layer in layers(res, dwellings=dwellings)
        ]
        tables = run_tables(res)
        if dwellings and res.monitor is not None:
            tables |= {f"overtredingen_{k}": v for k, v in res.monitor.overtredingen.items()}
        peer += timed(partial(_peer_write, tables, frames, scratch / f"peer-{name}"))[0]
    return t_public + t_intern, t_public, t_intern, peer, load


def _peer_frame(layer: Any, plain: Any) -> Any:
    """The layer as the peer writes it: a GeoDataFrame (the dwellings' points made from
    their ``x``/``y`` here, outside the peer's timing)."""
    import geopandas as gpd

    if not layer.xy:
        return gpd.GeoDataFrame(plain(layer.frame), geometry=layer.frame.geometry.values)
    frame = layer.frame
    points = gpd.points_from_xy(frame["x"], frame["y"], crs=layer.crs)
    return gpd.GeoDataFrame(plain(frame.drop(columns=["x", "y"])), geometry=points)


def _peer_write(tables: dict[str, Any], frames: list[Any], folder: Path) -> None:
    """The peer of the data outputs: ``to_csv`` of each table, each layer with pyogrio."""
    import pyogrio

    for table, frame in tables.items():
        frame.to_csv(folder / f"{table}.csv", index=False)
    for layer, gdf, index in frames:
        pyogrio.write_dataframe(
            gdf,
            folder / "peer.gpkg",
            layer=layer,
            use_arrow=True,
            append=(folder / "peer.gpkg").exists(),
            layer_options=None if index else {"SPATIAL_INDEX": "NO"},
        )


def _target_line(what: str, ours: float | None, peer: float | None, target: str, met: str) -> None:
    ratio = f"{ours / peer:.2f}×" if ours is not None and peer else "—"
    ours_s = "not measured" if ours is None else f"{ours:.2f}"
    peer_s = "—" if peer is None else f"{peer:.2f}"
    print(f"| {what} | {ours_s} | {peer_s} | {ratio} | {target} | {met} |")


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
    bare = run_ours(
        data / "config.toml", data.parent / (data.name + "-bare"), prelude=NO_DATA_FILES
    )[0]
    import geopandas as gpd

    buurten = gpd.read_file(data / "buurten.gpkg", engine="pyogrio")[["buurtcode", "geometry"]]
    t_ours_read = ours_read(data)  # first: a first call is what a run sees
    t_read, points = peer_read(data)
    t_sjoin = peer_sjoin(points, buurten)
    t_dask = peer_dask(points, buurten)
    del points
    t_exact = peer_exactextract(data, buurten)
    t_ours_zonal = ours_zonal(data)
    t_csv = peer_csv(data.parent / (data.name + "-out"))
    outputs = data_outputs(data, data.parent / (data.name + "-data-outputs"))

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
    out_s = next((s for k, s in stages.items() if "uitvoer" in k.lower() or "publiek/" in k), None)
    peers = [
        ("pyarrow.csv + points_from_xy (stock)", t_read, "load stage", load),
        ("geopandas.sjoin (points in buurten)", t_sjoin, "join stage", join_s),
        ("dask_geopandas sjoin (8 partitions, threads)", t_dask, "join stage", join_s),
        ("exactextract mean (coverage-weighted)", t_exact, "", None),
        ("pandas.to_csv of the same tables", t_csv, "output stage", out_s),
    ]
    for name, seconds, what, ours in peers:
        if seconds is None:
            print(f"| {name} | not installed | |")
        else:
            ratio = f"{what} {ours / seconds:.2f}×" if ours else ""
            print(f"| {name} | {seconds:.2f} | {ratio} |")

    t_out, t_public, t_intern, t_peer_out, load_out = outputs
    gb = peak * 1024**3 / 1e9

    def met(ok: bool | None) -> str:
        return "n/a" if ok is None else ("**met**" if ok else "not met")

    print(
        "\n| target (national-scale issue) | ours s | peer s (same run) | ours / peer | target | |"
    )
    print("|---|---:|---:|---:|---|---|")
    _target_line(
        "read 2.5 M stock rows: `read_stock` / pyarrow.csv + points_from_xy",
        t_ours_read,
        t_read,
        "≤ 3 s",
        met(t_ours_read <= 3),
    )
    _target_line(
        "join stage / geopandas.sjoin",
        join_s,
        t_sjoin,
        "≤ 0.7× sjoin",
        met(None if join_s is None else join_s <= 0.7 * t_sjoin),
    )
    _target_line(
        "join stage / dask_geopandas sjoin",
        join_s,
        t_dask,
        "(peer)",
        met(None if join_s is None or t_dask is None else join_s <= t_dask),
    )
    _target_line(
        "zonal mean (`read_liveability`) / exactextract",
        t_ours_zonal,
        t_exact,
        "≤ 1× exactextract",
        met(None if t_exact is None else t_ours_zonal <= t_exact),
    )
    _target_line(
        f"data outputs: publiek/ {t_public:.2f} + intern/ {t_intern:.2f} (GPKG, CSV, XLSX) / "
        f"to_csv + pyogrio of the same (load {load_out:.2f})",
        t_out,
        t_peer_out,
        "≤ 5 s",
        met(t_out <= 5),
    )
    out_bare = next((s for k, s in bare.items() if "uitvoer" in k.lower() or "publiek/" in k), None)
    in_run = None if out_s is None or out_bare is None else out_s - out_bare
    _target_line(
        f"data outputs in the run: output stage {out_s or 0:.2f} − {out_bare or 0:.2f} without "
        "them (forked beside publish and the visuals)",
        in_run,
        None,
        "≤ 5 s",
        met(None if in_run is None else in_run <= 5),
    )
    _target_line("whole run (`geoprestatie run`)", total, 30.0, "≤ 30 s", met(total <= 30))
    print(
        f"| peak memory (run + its forked jobs, summed PSS) | {gb:.2f} GB | 2.5 GB (target) | "
        f"{gb / 2.5:.2f}× | ≤ 2.5 GB | {met(gb <= 2.5)} |"
    )
    print(f"(load at the end: {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
