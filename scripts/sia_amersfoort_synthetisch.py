"""SIA/DIA on Amersfoort: real CBS buurten and indicators, SYNTHETIC corporation data.

Until the demo buurt table of the join stage exists, this script builds one from the embedded
real data (``datasets.load_buurten`` + ``datasets.load_indicators``: geometry, woningvoorraad,
koopwoning_percentage, Leefbaarometer, CBS SES score) plus seeded **synthetic** corporation
columns (woningen per corporation, E/F/G share, heat-plan start year and strategy, planned
sales). Everything synthetic is labelled "synthetisch". Run from the repository root::

    PYTHONPATH=src python scripts/sia_amersfoort_synthetisch.py [--out DIR]

It prints the top 10 with their contributions, the robustness figures and the DIAs, and with
``--out`` writes the table as ``buurttabel_amersfoort_synthetisch.gpkg`` for ``geoprestatie sia``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geoprestatie import datasets, dia, sia

CORPORATIES = (
    "Corporatie A (synthetisch)",
    "Corporatie B (synthetisch)",
    "Corporatie C (synthetisch)",
)
SLUGS = ("corporatie_a_synthetisch", "corporatie_b_synthetisch", "corporatie_c_synthetisch")


def build_table(seed: int = 2026) -> gpd.GeoDataFrame:
    """Real Amersfoort buurten + indicators with seeded synthetic corporation columns."""
    rng = np.random.default_rng(seed)
    t = datasets.load_buurten("Amersfoort").merge(
        datasets.load_indicators("Amersfoort").drop(columns=["buurtnaam", "gemeentenaam"]),
        on="buurtcode",
        how="left",
        validate="one_to_one",
    )
    n = len(t)
    voorraad = t["woningvoorraad"].fillna(0).to_numpy(dtype=float)
    huur = (100 - t["koopwoning_percentage"].fillna(50).to_numpy(dtype=float)) / 100
    # corporations own most of the rented stock (synthetic share ~ Beta(7, 3))
    corp = np.round(voorraad * huur * rng.beta(7, 3, size=n))
    n_corp = rng.choice([1, 2, 3], size=n, p=[0.45, 0.4, 0.15])
    shares = rng.dirichlet([2.0, 1.5, 1.0], size=n)
    for i, k in enumerate(n_corp):
        shares[i, np.argsort(-shares[i])[k:]] = 0
    shares /= shares.sum(axis=1, keepdims=True)
    per_corp = np.floor(shares * corp[:, None])
    per_corp[:, 0] += corp - per_corp.sum(axis=1)  # rounding rest to the first corporation
    for j, slug in enumerate(SLUGS):
        t[f"woningen_{slug}"] = per_corp[:, j]
    t["woningen_corporaties"] = per_corp.sum(axis=1)
    t["n_corporaties"] = (per_corp > 0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        t["aandeel_corporatie"] = np.where(
            voorraad > 0, t["woningen_corporaties"] / voorraad, np.nan
        )
    # older stock (few dwellings built since 2000) has more E/F/G labels
    old = 1 - t["bouwjaar_vanaf_2000_percentage"].fillna(20).to_numpy(dtype=float) / 100
    t["aandeel_efg"] = np.clip(0.45 * old**2 + rng.normal(0, 0.06, size=n), 0, 1)
    # heat plans per wijk
    wijken = sorted(t["wijkcode"].unique())
    start = dict(
        zip(wijken, rng.choice([2026, 2028, 2030, 2033, 2036, -1], size=len(wijken)), strict=True)
    )
    strat = dict(
        zip(
            wijken,
            rng.choice(["warmtenet", "all-electric", "hybride"], size=len(wijken)),
            strict=True,
        )
    )
    t["warmte_startjaar"] = pd.array(
        [start[w] if start[w] > 0 else None for w in t["wijkcode"]], "Int64"
    )
    t["warmte_strategie"] = pd.array(
        [strat[w] if start[w] > 0 else None for w in t["wijkcode"]], dtype="string"
    )
    t["verkoop_gepland"] = rng.binomial(t["woningen_corporaties"].astype(int), 0.03).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t["verkoop_aandeel"] = np.where(
            t["woningen_corporaties"] > 0, t["verkoop_gepland"] / t["woningen_corporaties"], np.nan
        )
    t["bron_corporatiedata"] = "synthetisch (scripts/sia_amersfoort_synthetisch.py)"
    t.attrs["bron"] = "CBS buurten/indicatoren (echt); corporatiekolommen synthetisch"
    return t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--draws", type=int, default=1000)
    args = ap.parse_args()

    table = build_table()
    base = sia.default_config()
    cfg = sia.SiaConfig(
        criteria=base.criteria,
        method=base.method,
        eligibility=base.eligibility,
        top_k=base.top_k,
        robustness=sia.RobustnessConfig(
            draws=args.draws,
            spread=base.robustness.spread,
            seed=base.robustness.seed,
            threshold=base.robustness.threshold,
        ),
    )
    p = sia.prioritise(table, cfg)
    res = dia.delineate(p, dia.DiaConfig.from_toml(sia.DEFAULT_CRITERIA_TOML))
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 30)
    print("Amersfoort — CBS-data echt, corporatiedata SYNTHETISCH")
    print(
        f"geschikt: {int(p['sia_geschikt'].sum())} van {len(p)}; gewichten: "
        + ", ".join(f"{k} {v:.2f}" for k, v in p.attrs["sia_gewichten"].items())
    )
    bij = [c for c in p.columns if c.startswith("bijdrage_")]
    top = p.sort_values("sia_rang").head(10)
    cols = [
        "sia_rang",
        "buurtcode",
        "buurtnaam",
        "sia_score",
        *bij,
        "kans_top_k",
        "rang_p05",
        "rang_p95",
        "robuust",
    ]
    short = {c: c.replace("bijdrage_", "b_") for c in bij}
    print(top[cols].rename(columns=short).round(1).to_string(index=False))
    print(
        f"robuust (>= {cfg.robustness.threshold:.0%} van {cfg.robustness.draws} trekkingen "
        f"in top {cfg.top_k}): {int(p['robuust'].sum())}"
    )
    print(
        sia.weight_sweep(table, cfg)[
            ["criterium", "factor", "top_k_behouden", "erbij", "eraf"]
        ].to_string(index=False)
    )
    print(res.areas.drop(columns="geometry").round(2).T.to_string())
    for note in res.notes:
        print("Let op:", note)
    reasons = res.buurten.loc[
        res.buurten["dia_reden"].notna(), ["buurtcode", "buurtnaam", "dia_reden"]
    ]
    print(reasons.to_string(index=False))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / "buurttabel_amersfoort_synthetisch.gpkg"
        table.to_file(path, layer="buurttabel")
        print("->", path)


if __name__ == "__main__":
    main()
