"""The public output's visuals at national size (not a test): maps, print PNGs, charts.

Runs the pipeline on a config (default the national set of ``national.py``), publishes the
result as ``geoprestatie run`` does, then times in this process what ``publiek/`` draws
(``write_maps``, the map PNGs, the charts, the report; the PDF is left out: Chromium
prints it in another process) and, in the same run, the peers of the two changes:

* the web form of the buurten made once per run (``maps.map_base``) against once per map
  (``web_frames`` and the arcs for ``sia.html`` and for ``prognose.html``, as before);
* the print map's 14,000 buurten drawn as one path collection (``plots._polygons``)
  against ``GeoDataFrame.plot``, with the pixels of both compared.

Run: ``python benchmarks/bench_visuals.py [CONFIG] [--out DIR]``. Before/after: run it
with ``PYTHONPATH=<other checkout>/src`` in the same load window (a checkout without
``map_base`` gets its own parts timed only).
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = func()
    return time.perf_counter() - t0, out


class GcClock:
    """Seconds spent in Python's garbage collector (a national run holds millions of
    objects: a full collection walks them all, wherever it happens to be triggered)."""

    def __init__(self) -> None:
        self.seconds, self.full, self._t0 = 0.0, 0, 0.0
        gc.callbacks.append(self._tick)

    def _tick(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._t0 = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._t0
            self.full += info["generation"] == 2

    def reset(self) -> str:
        text = f"{self.seconds:.2f} s in gc, {self.full} full collection(s)"
        self.seconds, self.full = 0.0, 0
        return text


def _public(config: Path) -> Any:
    from geoprestatie import pipeline, publication
    from geoprestatie.config import load_config

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pipeline.run(load_config(config))
        policy = publication.PublicationPolicy.from_dict(result.config.section("uitvoer"))
        return result, publication.publish(result, policy)


def _pixels(draw: Callable[[Any], None]) -> tuple[float, Any]:
    """Seconds to draw ``frame`` on a print-size map and save it; the pixels."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def run() -> Any:
        fig = Figure(figsize=(8, 8), dpi=200)
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_axes((0.01, 0.05, 0.65, 0.85))
        ax.set_axis_off()
        ax.set_aspect("equal")
        draw(ax)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()

    return timed(run)


def peers(public: Any) -> None:
    import numpy as np

    from geoprestatie.output import _webmap, maps, plots

    buurten = public.buurten
    if hasattr(maps, "map_base"):
        once, _ = timed(lambda: maps.map_base(buurten))

        def per_map() -> None:
            for _ in range(2):  # sia.html and prognose.html each made their own
                web, _context = maps.web_frames(buurten, None)
                _webmap.web_topology(web)

        twice, _ = timed(per_map)
        print(f"web form of the buurten: once per run {once:.2f} s, once per map {twice:.2f} s")
    colours = np.where(np.arange(len(buurten)) % 2 == 0, "#fd8d3c", "#bdbdbd")
    style = {"edgecolor": "#666666", "linewidth": 0.3}
    slow, theirs = _pixels(lambda ax: buurten.plot(ax=ax, color=colours, **style))
    line = f"print map of {len(buurten):,} buurten: GeoDataFrame.plot {slow:.2f} s"
    if hasattr(plots, "_polygons"):
        fast, ours = _pixels(lambda ax: plots._polygons(ax, buurten, color=colours, **style))
        same = "same pixels" if np.array_equal(ours, theirs) else "PIXELS DIFFER"
        line += f", one collection {fast:.2f} s ({slow / fast:.1f}x, {same})"
    print(line)


def visuals(result: Any, public: Any, out: Path) -> None:
    from geoprestatie.output import pdf as pdf_mod
    from geoprestatie.output import summary, write

    parts = [
        ("write_maps (sia, prognose, programma.html)", lambda: write.write_maps(public, out)),
        ("map PNGs (sia, dia, prognose)", lambda: write._map_pngs(public, out)),
        ("chart PNGs (smaa, programme)", lambda: write._chart_pngs(public, out)),
    ]
    clock = GcClock()
    for name, func in parts:
        print(f"{name}: {timed(func)[0]:.2f} s ({clock.reset()})")
    printer = pdf_mod.print_pdf
    pdf_mod.print_pdf = lambda *a, **k: (None, "")  # type: ignore[assignment]
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            seconds, _ = timed(lambda: write._visuals(public, out, pool))
    finally:
        pdf_mod.print_pdf = printer
    print(
        f"publiek/ visuals (_visuals: all of the above and the report, no PDF): {seconds:.2f} s"
        f" ({clock.reset()}; {len(gc.get_objects()):,} objects tracked)"
    )
    seconds, _ = timed(lambda: summary.summary(result, [out / "sia.html"]))
    print(f"console summary: {seconds:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", nargs="?", default=HERE / ".national" / "config.toml")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    print(f"load at start: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    seconds, (result, public) = timed(lambda: _public(Path(args.config)))
    print(f"pipeline.run + publish: {seconds:.1f} s ({len(public.buurten):,} buurten)")
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        print(f"load before the visuals: {os.getloadavg()[0]:.2f}")
        visuals(result, public, out)
        peers(public)
    print(f"load at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
