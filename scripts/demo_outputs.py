#!/usr/bin/env python3
"""Write every presentation output from the real chain on the Amersfoort demo data.

Buurten, CBS indicators and Leefbaarometer scores are real; the corporation stock, sales,
heat plans, plans and agreements are the SYNTHETISCHE demo data (data/demo/) and every
output says so. Used for the README screenshots and the browser check::

    PYTHONPATH=src python scripts/demo_outputs.py --out maps
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import warnings
from pathlib import Path
from typing import Any

from geoprestatie import agreements, datasets, dia, maps, plots, report, sia
from geoprestatie import prognosis as pg
from geoprestatie._atomic import write_text
from geoprestatie.errors import DataWarning
from geoprestatie.join import join_sources
from geoprestatie.sources import read_heat_plans, read_sales, read_stock

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "demo"


def build_chain(*, draws: int | None = None) -> dict[str, Any]:
    """Run join -> SIA -> DIA -> prognosis -> monitor on the Amersfoort demo data.

    ``draws`` overrides the number of Monte Carlo draws of the SIA robustness (tests use
    fewer). Returns the stage outputs by name. The data warnings of the deliberately flawed
    demo data are silenced here: the join report accounts for every record.
    """
    buurten = datasets.load_buurten("Amersfoort")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        joined = join_sources(
            buurten,
            stock=read_stock(DEMO / "voorraad_synthetisch.csv"),
            sales=read_sales(DEMO / "verkoop_synthetisch.csv"),
            heat=read_heat_plans(DEMO / "warmte_synthetisch.csv", buurten=buurten),
            liveability=datasets.load_indicators("Amersfoort"),
        )
        config = sia.default_config()
        if draws is not None:
            config = dataclasses.replace(
                config, robustness=dataclasses.replace(config.robustness, draws=draws)
            )
        prioritised = sia.prioritise(joined.table, config)
        dia_result = dia.delineate(prioritised, dia.DiaConfig())
        start = pg.start_stock_from_stock(joined.stock, peildatum="2022-01-01")
        plans = pg.read_mutation_plans(DEMO / "plannen_amersfoort_2022_2023.csv")
        projected = pg.project(start, plans, config=pg.PrognosisConfig())
        monitored = agreements.monitor(
            agreements.read_agreements(DEMO / "afspraken_amersfoort.toml"),
            stock=joined.stock,
            sales=joined.sales,
            prognosis=projected,
            jaar=2023,
        )
    return {
        "buurten": buurten,
        "joined": joined,
        "config": config,
        "prioritised": prioritised,
        "dia": dia_result,
        "prognosis": projected,
        "monitor": monitored,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "maps")
    args = parser.parse_args(argv)
    out: Path = args.out
    c = build_chain()
    buurten, areas = c["buurten"], c["dia"].areas
    scored = c["dia"].buurten  # prioritised buurten + dia_id, dia_naam, dia_reden
    labels = {crit.name: crit.label for crit in c["config"].criteria}
    title = "SIA-prioriteiten Amersfoort"

    sia_map = maps.sia_map(scored, dia_areas=areas, criterion_labels=labels, synthetic=True)
    prog_map = maps.prognose_map(c["prognosis"], buurten, synthetic=True)
    write_text(out / "sia.html", sia_map.get_root().render())
    write_text(out / "prognose.html", prog_map.get_root().render())
    write_text(
        out / "monitor.html", report.monitor_html(c["monitor"], buurten=buurten, synthetic=True)
    )
    plots.sia_png(scored, dia_areas=areas, synthetic=True, path=out / "sia.png", title=title)
    plots.dia_png(scored, areas, synthetic=True, path=out / "dia.png")
    plots.prognose_png(c["prognosis"], buurten, synthetic=True, path=out / "prognose.png")
    page = report.report_html(
        title="Prestatieafspraken Amersfoort",
        scored=scored,
        dia_areas=areas,
        prognosis=c["prognosis"],
        monitor=c["monitor"],
        accounting=c["joined"].report,
        maps={"SIA-prioriteiten": sia_map},
        pngs={
            "SIA-prioriteiten": out / "sia.png",
            "DIA's": out / "dia.png",
            "Prognose": out / "prognose.png",
        },
        criterion_labels=labels,
        synthetic=True,
    )
    write_text(out / "rapport.html", page)
    for f in sorted(out.glob("*.*")):
        if f.is_file():
            print(f"{f.stat().st_size / 1024:8.1f} kB  {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
