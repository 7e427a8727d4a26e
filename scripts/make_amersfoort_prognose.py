"""Write the demo start stock and mutation plans for Amersfoort (seeded, reproducible).

Run from the repository root: ``PYTHONPATH=src python scripts/make_amersfoort_prognose.py``
(``--out DIR`` writes elsewhere, e.g. to check that a rerun reproduces the shipped files
byte for byte). What is real and what is synthetisch (see ``data/demo/README.md``):

* ``beginstand_amersfoort.csv`` is synthetisch: the dwellings of the synthetic demo stock
  ``data/demo/voorraad_synthetisch.csv`` that the join places in a CBS buurt, counted per
  corporation and buurt (:func:`geoprestatie.prognosis.start_stock_from_stock`), with
  peildatum 2022-01-01. So the prognosis starts from the same stock the join, SIA and
  monitor see.
* ``plannen_amersfoort_2022_2023.csv``: the totals per corporation and per table row are
  real, from the table of hard plans for the social rental stock 2022-2023 in the
  Prestatieafspraken Amersfoort 2022-2023 (de Alliantie, Portaal, Omnia Wonen). The split of
  each total over years, mutation types (nieuwbouw / transformatie / aankoop; liberalisatie /
  deliberalisatie) and buurten is synthetisch: each row goes to a buurt, drawn with a fixed
  seed, where the corporation has demo stock (for a removal: enough stock left in that buurt).
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from geoprestatie import datasets
from geoprestatie.errors import DataWarning
from geoprestatie.join import join_sources
from geoprestatie.prognosis import MUTATIONS, start_stock_from_stock
from geoprestatie.sources import read_stock

SEED = 20220101
OUT = Path(__file__).resolve().parents[1] / "data" / "demo"
STOCK = "demo/voorraad_synthetisch.csv"
PEILDATUM = "2022-01-01"
HERKOMST_START = "synthetisch: demovoorraad voorraad_synthetisch.csv geteld per corporatie en buurt"
HERKOMST_PLAN = (
    "totaal: Prestatieafspraken Amersfoort 2022-2023; verdeling over jaar/type/buurt: synthetisch"
)

#: (corporatie, jaar, mutatie, aantal, tijdelijk); totals per corporation and table row are
#: those of the Prestatieafspraken Amersfoort 2022-2023; the split is synthetisch.
PLAN_ROWS = [
    ("de Alliantie", 2022, "nieuwbouw", 120, False),
    ("de Alliantie", 2023, "nieuwbouw", 129, False),
    ("de Alliantie", 2023, "transformatie", 40, False),
    ("de Alliantie", 2022, "liberalisatie", 30, False),
    ("de Alliantie", 2023, "deliberalisatie", 3, False),
    ("de Alliantie", 2022, "sloop", 72, False),
    ("de Alliantie", 2023, "sloop", 72, False),
    ("de Alliantie", 2022, "verkoop", 20, False),
    ("de Alliantie", 2023, "verkoop", 20, False),
    ("Portaal", 2022, "nieuwbouw", 100, False),
    ("Portaal", 2023, "aankoop", 61, False),
    ("Portaal", 2023, "sloop", 4, False),
    ("Portaal", 2022, "verkoop", 23, False),
    ("Portaal", 2023, "verkoop", 20, False),
    ("Omnia Wonen", 2023, "nieuwbouw", 22, False),
    ("Omnia Wonen", 2022, "nieuwbouw", 40, True),
    ("Omnia Wonen", 2023, "liberalisatie", 1, False),
]


def make_start() -> pd.DataFrame:
    """The demo stock's dwellings placed in a buurt, counted per corporation and buurt."""
    with warnings.catch_warnings():
        # the demo stock's deliberate flaws are rejected and reported by the join
        warnings.simplefilter("ignore", DataWarning)
        stock = read_stock(datasets.data_path(STOCK))
    joined = join_sources(datasets.load_buurten("Amersfoort"), stock=stock).stock
    assert joined is not None
    start = start_stock_from_stock(joined, peildatum=PEILDATUM)
    assert start["buurtcode"].notna().all()
    start = start[["corporatie", "buurtcode", "aantal", "peildatum"]].copy()
    start["peildatum"] = PEILDATUM
    start["herkomst"] = HERKOMST_START
    return start


def make_plans(start: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per plan row, in a buurt where the corporation has (enough) demo stock."""
    left = start.set_index(["corporatie", "buurtcode"])["aantal"].astype("int64").to_dict()
    plans = []
    for corp, year, mut, n, temp in PLAN_ROWS:
        codes = sorted(code for (c, code), have in left.items() if c == corp and have > 0)
        if MUTATIONS[mut] < 0 and not temp:
            codes = [code for code in codes if left[(corp, code)] >= n]
        code = str(rng.choice(codes))
        if MUTATIONS[mut] < 0 and not temp:
            left[(corp, code)] -= n  # a buurt can only lose what it still has
        plans.append(
            {
                "corporatie": corp,
                "jaar": year,
                "mutatie": mut,
                "aantal": n,
                "zekerheid": "hard",
                "tijdelijk": "ja" if temp else "nee",
                "buurtcode": code,
                "herkomst": HERKOMST_PLAN,
            }
        )
    return pd.DataFrame(plans)


def main(out: Path = OUT) -> list[Path]:
    rng = np.random.default_rng(SEED)
    out.mkdir(parents=True, exist_ok=True)
    start = make_start()
    paths = [out / "beginstand_amersfoort.csv", out / "plannen_amersfoort_2022_2023.csv"]
    start.to_csv(paths[0], index=False, lineterminator="\n")
    make_plans(start, rng).to_csv(paths[1], index=False, lineterminator="\n")
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write to")
    for path in main(parser.parse_args().out):
        print(path)
