"""Write the example start stock and mutation plans for Amersfoort (seeded, reproducible).

Run from the repository root: ``python examples/make_amersfoort_prognose.py``.

What is real and what is synthetisch:

* The plan totals per corporation are real: the table of hard plans for the social rental
  stock 2022-2023 in the Prestatieafspraken Amersfoort 2022-2023 (de Alliantie, Portaal,
  Omnia Wonen). The split of each total over years, mutation types (nieuwbouw /
  transformatie / aankoop; liberalisatie / deliberalisatie) and buurten is synthetisch.
* The start stock per corporation and buurt is synthetisch: round corporation totals spread
  over the Amersfoort buurten in proportion to their CBS rental dwellings (woningvoorraad x
  (100 - koopwoning_percentage)), with a seeded random draw.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geoprestatie import datasets

SEED = 20220101
HERE = Path(__file__).parent
PEILDATUM = "2022-01-01"

#: synthetisch: round start totals, not the corporations' published numbers
START_TOTALS = {"Alliantie": 15000, "Portaal": 5500, "Omnia Wonen": 1500}

#: (corporatie, jaar, mutatie, aantal, tijdelijk); totals per corporation and table row are
#: those of the Prestatieafspraken Amersfoort 2022-2023; the split is synthetisch.
PLAN_ROWS = [
    ("Alliantie", 2022, "nieuwbouw", 120, False),
    ("Alliantie", 2023, "nieuwbouw", 129, False),
    ("Alliantie", 2023, "transformatie", 40, False),
    ("Alliantie", 2022, "liberalisatie", 30, False),
    ("Alliantie", 2023, "deliberalisatie", 3, False),
    ("Alliantie", 2022, "sloop", 72, False),
    ("Alliantie", 2023, "sloop", 72, False),
    ("Alliantie", 2022, "verkoop", 20, False),
    ("Alliantie", 2023, "verkoop", 20, False),
    ("Portaal", 2022, "nieuwbouw", 100, False),
    ("Portaal", 2023, "aankoop", 61, False),
    ("Portaal", 2023, "sloop", 4, False),
    ("Portaal", 2022, "verkoop", 23, False),
    ("Portaal", 2023, "verkoop", 20, False),
    ("Omnia Wonen", 2023, "nieuwbouw", 22, False),
    ("Omnia Wonen", 2022, "nieuwbouw", 40, True),
    ("Omnia Wonen", 2023, "liberalisatie", 1, False),
]


def main() -> None:
    rng = np.random.default_rng(SEED)
    ind = datasets.load_indicators("Amersfoort")
    weight = (
        ind["woningvoorraad"].fillna(0) * (100 - ind["koopwoning_percentage"].fillna(100))
    ).clip(lower=0)
    weight = weight / weight.sum()
    codes = ind["buurtcode"].astype(str).to_numpy()
    rows = []
    for corp, total in START_TOTALS.items():
        counts = rng.multinomial(total, weight.to_numpy())
        for code, n in zip(codes, counts, strict=True):
            if n > 0:
                rows.append((corp, code, int(n)))
    start = pd.DataFrame(rows, columns=["corporatie", "buurtcode", "aantal"])
    start["peildatum"] = PEILDATUM
    start["herkomst"] = "synthetisch"
    start.to_csv(HERE / "beginstand_amersfoort.csv", index=False)

    plans = []
    for corp, year, mut, n, temp in PLAN_ROWS:
        own = start[start["corporatie"] == corp]
        if mut in {"sloop", "verkoop", "liberalisatie"}:
            own = own[own["aantal"] >= n]  # a buurt can only lose what it has
        code = rng.choice(own["buurtcode"].to_numpy())
        plans.append(
            {
                "corporatie": corp,
                "jaar": year,
                "mutatie": mut,
                "aantal": n,
                "zekerheid": "hard",
                "tijdelijk": "ja" if temp else "nee",
                "buurtcode": code,
                "herkomst": "totaal: Prestatieafspraken Amersfoort 2022-2023; "
                "verdeling over jaar/type/buurt: synthetisch",
            }
        )
    pd.DataFrame(plans).to_csv(HERE / "plannen_amersfoort_2022_2023.csv", index=False)


if __name__ == "__main__":
    main()
