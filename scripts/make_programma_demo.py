"""Write the synthetic whole-stock demo for Amersfoort: plans, need, realisations (seeded).

Run from the repository root: ``PYTHONPATH=src python scripts/make_programma_demo.py``
(``--out DIR`` writes elsewhere; a rerun reproduces the files byte for byte). Everything is
**synthetisch** except one anchor, said in the ``herkomst`` column: the need of the segment
sociale huur, 350 dwellings per year, is the net growth the corporations aim for in
2022-2030 (*Prestatieafspraken Amersfoort 2022-2023*, hoofdstuk 1.1, afspraak 2).

* ``programma_amersfoort_synthetisch.csv``: plans of every party (the three corporations,
  two invented developers, the municipality's own projects) 2025-2034, by segment, status
  (hard / zacht / idee), capacity and location (a buurtcode or a point in RD New);
  one published net figure (``saldo`` -25 tot 2026) and demolition.
* ``behoefte_amersfoort_synthetisch.csv``: need per segment and year 2025-2034.
* ``realisaties_amersfoort_synthetisch.csv``: what was realised in 2025, per project.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from geoprestatie import datasets, segments
from geoprestatie.planstatus import DEFAULT_STATUSES

SEED = 20250101
OUT = Path(__file__).resolve().parents[1] / "data" / "demo"
YEARS = range(2025, 2035)
SYNTH = "synthetisch"

#: party, partijtype, segment weights (sociale_huur, middenhuur, vrije_huur, koop_*)
PARTIES = {
    "de Alliantie": ("corporatie", [0.8, 0.2, 0, 0, 0, 0]),
    "Portaal": ("corporatie", [0.85, 0.15, 0, 0, 0, 0]),
    "Omnia Wonen": ("corporatie", [0.9, 0.1, 0, 0, 0, 0]),
    "Ontwikkelaar Eem (synthetisch)": ("ontwikkelaar", [0, 0.15, 0.25, 0.15, 0.2, 0.25]),
    "Ontwikkelaar Vathorst (synthetisch)": ("ontwikkelaar", [0, 0.1, 0.2, 0.2, 0.25, 0.25]),
    "Gemeente Amersfoort (eigen projecten)": ("gemeente", [0.3, 0.25, 0, 0.35, 0.1, 0]),
}
SEGMENTS = list(segments.SEGMENTS)  # the weights above follow this order
#: need per year (synthetisch, except sociale huur: see the module docstring)
NEED = {
    "sociale_huur": 350,
    "middenhuur": 220,
    "vrije_huur": 90,
    "koop_betaalbaar": 260,
    "koop_midden": 170,
    "koop_duur": 45,
}
HERKOMST_NEED_SOCIAAL = (
    "Prestatieafspraken Amersfoort 2022-2023, afspraak 2: netto +350 sociale huurwoningen "
    "per jaar (ambitie 2022-2030); overgenomen als behoefte"
)


def make_plans(rng: np.random.Generator) -> pd.DataFrame:
    buurten = datasets.load_buurten("Amersfoort")
    rows = []
    for n in range(1, 181):
        party = list(PARTIES)[int(rng.integers(len(PARTIES)))]
        kind, weights = PARTIES[party]
        segment = SEGMENTS[int(rng.choice(6, p=np.asarray(weights) / sum(weights)))]
        year = int(rng.choice(list(YEARS)))
        # later years are less certain
        p_hard = max(0.1, 0.8 - 0.12 * (year - 2025))
        status = str(
            rng.choice(
                ["hard", "zacht", "idee"], p=[p_hard, (1 - p_hard) * 0.6, (1 - p_hard) * 0.4]
            )
        )
        buurt = buurten.iloc[int(rng.integers(len(buurten)))]
        where = rng.random()
        code, x, y = "", "", ""
        if where < 0.6:
            code = str(buurt["buurtcode"])
        else:
            sample = buurten.loc[[buurt.name], "geometry"].sample_points(1, rng=rng).iloc[0]
            point = sample.geoms[0] if hasattr(sample, "geoms") else sample
            x, y = str(round(point.x)), str(round(point.y))
        rows.append(
            {
                "project": f"P{n:03d}",
                "partij": party,
                "partijtype": kind,
                "jaar": year,
                "mutatie": "nieuwbouw" if rng.random() < 0.85 else "transformatie",
                "aantal": int(rng.integers(8, 120)),
                "segment": segment,
                "status": status,
                "buurtcode": code,
                "x": x,
                "y": y,
                "herkomst": SYNTH,
            }
        )
    extra = [
        ("S001", "de Alliantie", "corporatie", 2026, "sloop", 96, "sociale_huur", "hard"),
        ("S002", "Portaal", "corporatie", 2028, "sloop", 60, "sociale_huur", "zacht"),
        # a published net figure without a split by mutation type: "-25 tot 2026"
        ("N001", "Omnia Wonen", "corporatie", 2026, "saldo", -25, "sociale_huur", "hard"),
    ]
    for project, party, kind, year, mut, n, segment, status in extra:
        code = str(buurten["buurtcode"].iloc[int(rng.integers(len(buurten)))])
        rows.append(
            {
                "project": project,
                "partij": party,
                "partijtype": kind,
                "jaar": year,
                "mutatie": mut,
                "aantal": n,
                "segment": segment,
                "status": status,
                "buurtcode": code,
                "x": "",
                "y": "",
                "herkomst": SYNTH,
            }
        )
    return pd.DataFrame(rows).sort_values(["jaar", "project"], kind="stable")


def make_need() -> pd.DataFrame:
    rows = [
        {
            "segment": segment,
            "jaar": year,
            "behoefte": need,
            "herkomst": HERKOMST_NEED_SOCIAAL if segment == "sociale_huur" else SYNTH,
        }
        for segment, need in NEED.items()
        for year in YEARS
    ]
    return pd.DataFrame(rows)


def make_realisations(plans: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """2025: each plan realised with its status's default probability, some a bit smaller."""
    first = plans[(plans["jaar"] == 2025) & (plans["mutatie"] != "saldo")]
    rows = []
    for rec in first.to_dict("records"):
        if rng.random() >= DEFAULT_STATUSES[rec["status"]].kans * 0.92:
            continue
        n = round(rec["aantal"] * rng.uniform(0.8, 1.0))
        rows.append(
            {k: rec[k] for k in ("project", "partij", "jaar", "mutatie", "segment", "buurtcode")}
            | {"aantal": n, "herkomst": SYNTH}
        )
    return pd.DataFrame(rows)


def main(out: Path = OUT) -> list[Path]:
    rng = np.random.default_rng(SEED)
    out.mkdir(parents=True, exist_ok=True)
    plans = make_plans(rng)
    files = {
        "programma_amersfoort_synthetisch.csv": plans,
        "behoefte_amersfoort_synthetisch.csv": make_need(),
        "realisaties_amersfoort_synthetisch.csv": make_realisations(plans, rng),
    }
    paths = []
    for name, frame in files.items():
        path = out / name
        frame.to_csv(path, index=False, sep=";", lineterminator="\n")
        paths.append(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write to")
    for path in main(parser.parse_args().out):
        print(path)
