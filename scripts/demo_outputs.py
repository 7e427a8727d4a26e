#!/usr/bin/env python3
"""Write every presentation output from seeded synthetic data on the real Amersfoort buurten.

The buurten are real (CBS, Kadaster); the SIA, DIA, prognosis and monitor figures are
synthetic (tests/maps_fixtures.py) and every output says so. Used for the README
screenshots and the browser check::

    PYTHONPATH=src python scripts/demo_outputs.py --out maps
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from maps_fixtures import (  # noqa: E402
    synthetic_dia_areas,
    synthetic_monitor,
    synthetic_prognosis,
    synthetic_sia,
)

from geoprestatie import datasets, maps, plots, report  # noqa: E402
from geoprestatie._atomic import write_text  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "maps")
    parser.add_argument("--gemeente", default="Amersfoort")
    args = parser.parse_args(argv)
    out: Path = args.out
    buurten = datasets.load_buurten(args.gemeente)
    scored = synthetic_sia(buurten)
    dia = synthetic_dia_areas(scored)
    prognosis = synthetic_prognosis(buurten)
    monitor, offending = synthetic_monitor()

    sia = maps.sia_map(scored, dia_areas=dia, synthetic=True, top_k=25)
    prog = maps.prognose_map(prognosis, buurten, synthetic=True)
    write_text(out / "sia.html", sia.get_root().render())
    write_text(out / "prognose.html", prog.get_root().render())
    write_text(
        out / "monitor.html", report.monitor_html(monitor, offending=offending, synthetic=True)
    )
    title = f"SIA-prioriteiten {args.gemeente}"
    plots.sia_png(scored, dia_areas=dia, synthetic=True, path=out / "sia.png", title=title)
    plots.dia_png(scored, dia, synthetic=True, path=out / "dia.png")
    plots.prognose_png(prognosis, buurten, synthetic=True, path=out / "prognose.png")
    page = report.report_html(
        title=f"Prestatieafspraken {args.gemeente}",
        scored=scored,
        dia_areas=dia,
        prognosis=prognosis,
        monitor=monitor,
        offending=offending,
        maps={"SIA-prioriteiten": sia},
        pngs={
            "SIA-prioriteiten": out / "sia.png",
            "DIA's": out / "dia.png",
            "Prognose": out / "prognose.png",
        },
        synthetic=True,
    )
    write_text(out / "rapport.html", page)
    for f in sorted(out.glob("*.*")):
        if f.is_file():
            print(f"{f.stat().st_size / 1024:8.1f} kB  {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
