"""The demo run (``geoprestatie run``, embedded Amersfoort) timed whole and by part (not a test).

1. ``--runs`` fresh processes of ``geoprestatie run --out TMP --force -q`` (the README's
   command), wall seconds each, with the load average before and after; ``--mode fork``
   or ``inline`` fixes whether independent jobs run in forked processes
   (:mod:`geoprestatie._fork`; by default the load decides);
2. the import of the CLI and of ``geoprestatie.pipeline`` in a fresh process;
3. one run in a process that wraps the stages and the output writers with timers and prints
   seconds per part (a part's time includes the parts it calls: ``write_all`` holds the
   maps, PNGs, report, GeoPackage and tables of ``publiek/``, ``write_internal`` those of
   ``intern/``; parts run in a forked child are not counted). A module is wrapped when the
   run imports it, so its import stays in the run's time.

``python benchmarks/bench_demo.py [--runs 3]``. Before/after: run it with
``PYTHONPATH=<other checkout>/src`` in the same load window. Figures in
``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

#: (module, function) pairs timed in the breakdown run; missing ones are skipped.
PARTS = [
    ("geoprestatie.pipeline", "run"),
    ("geoprestatie.pipeline", "_sia_dia"),
    ("geoprestatie.pipeline", "_prognosis"),
    ("geoprestatie.publication", "publish"),
    ("geoprestatie.output.write", "write_all"),
    ("geoprestatie.output.write", "write_maps"),
    ("geoprestatie.output.write", "write_pngs"),
    ("geoprestatie.output.write", "write_monitor_pages"),
    ("geoprestatie.output.write", "write_report"),
    ("geoprestatie.output.write", "write_gpkg"),
    ("geoprestatie.output.write", "write_tables"),
    ("geoprestatie.output.write", "_printed"),
    ("geoprestatie.output.pdf", "start_browser"),
    ("geoprestatie.output.pdf", "print_pdf"),
    ("geoprestatie.pipeline", "_import_output_layer"),
    ("geoprestatie.output.write", "write_internal"),
    ("geoprestatie.output.plots", "sia_png"),
    ("geoprestatie.output.plots", "dia_png"),
    ("geoprestatie.output.plots", "prognose_png"),
    ("geoprestatie.output.robustness", "smaa_png"),
    ("geoprestatie.output.prognosis_charts", "fan_chart"),
    ("geoprestatie.output.prognosis_charts", "mutation_chart"),
    ("geoprestatie.output._sheets", "write_xlsx"),
    ("geoprestatie.output._sheets", "write_csv"),
    ("geoprestatie.output.files", "write_output_set"),
]

_BREAKDOWN = r"""
import importlib.abc, importlib.util, os, sys, time
t0 = time.perf_counter()
import geoprestatie.cli as cli
import geoprestatie.pipeline
imported = time.perf_counter() - t0
spent, calls = {}, {}
def wrap(module, name):
    func = getattr(module, name, None)
    if func is None:
        return
    key = f"{module.__name__.removeprefix('geoprestatie.')}.{name}"
    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return func(*a, **k)
        finally:
            if os.getpid() == PID:  # not in a forked child
                spent[key] = spent.get(key, 0.0) + time.perf_counter() - t
                calls[key] = calls.get(key, 0) + 1
    for m in list(sys.modules.values()):
        if getattr(m, "__name__", "").startswith("geoprestatie") and getattr(m, name, None) is func:
            setattr(m, name, timed)
WANTED = {}
for mod, name in PARTS:
    WANTED.setdefault(mod, []).append(name)
class Wrapper(importlib.abc.MetaPathFinder):
    # wraps a module's parts when it is imported: the run's own (lazy) imports stay in it
    def find_spec(self, fullname, path, target=None):
        if fullname not in WANTED:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        run_module = spec.loader.exec_module
        def exec_module(module):
            run_module(module)
            for name in WANTED[fullname]:
                wrap(module, name)
        spec.loader.exec_module = exec_module
        return spec
PID = os.getpid()
for mod in WANTED:
    if mod in sys.modules:
        for name in WANTED[mod]:
            wrap(sys.modules[mod], name)
sys.meta_path.insert(0, Wrapper())
import contextlib, io
t1 = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    try:
        cli.main(["run", "--out", OUT, "--force", "-q"])
    except SystemExit:
        pass
total = time.perf_counter() - t1
print(f"{'imports (cli + pipeline)':40s} {imported:6.2f} s")
print(f"{'run command after the imports':40s} {total:6.2f} s")
for key, s in spent.items():
    print(f"  {key:38s} {s:6.2f} s  ({calls[key]}x)")
"""


#: Code run before the CLI: whether geoprestatie._fork forks (a checkout without it: no-op).
_PATCH = {
    "auto": "",
    "fork": "try:\n import geoprestatie._fork as f; f.spare_core = f.small = lambda: True\n"
    "except ImportError:\n pass\n",
    "inline": "try:\n import geoprestatie._fork as f; f.spare_core = lambda: False\n"
    "except ImportError:\n pass\n",
}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--breakdown", action="store_true", help="only the timed parts")
    parser.add_argument(
        "--mode",
        choices=list(_PATCH),
        default="auto",
        help="forked jobs as the load and size decide (auto), always (fork) or never (inline)",
    )
    args = parser.parse_args()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    exe = [sys.executable, "-c", _PATCH[args.mode] + "from geoprestatie.cli import main; main()"]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "uitvoer")
        print(f"load before: {load()}")
        walls = []
        for _ in range(0 if args.breakdown else args.runs):
            t = time.perf_counter()
            subprocess.run(
                [*exe, "run", "--out", out, "--force", "-q"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            walls.append(time.perf_counter() - t)
        if walls:
            print("geoprestatie run (wall): " + ", ".join(f"{w:.2f}" for w in walls) + " s")
        for what in ("geoprestatie.cli", "geoprestatie.pipeline")[: 0 if args.breakdown else 2]:
            code = (
                f"import time; t=time.perf_counter(); import {what}; print(time.perf_counter()-t)"
            )
            s = float(
                subprocess.run(
                    [sys.executable, "-c", code],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            print(f"import {what}: {s:.2f} s")
        code = _PATCH[args.mode] + f"PARTS = {PARTS!r}\nOUT = {out!r}\n" + _BREAKDOWN
        subprocess.run([sys.executable, "-c", code], env=env, check=True, stderr=subprocess.DEVNULL)
        print(f"load after: {load()}")


if __name__ == "__main__":
    main()
