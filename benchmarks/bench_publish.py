"""Time :func:`geoprestatie.publication.publish_frames` on a national-shaped buurt table.

Everything is **synthetisch** and seeded: ``--buurten`` buurten in ~340 gemeenten, each of
``--corporaties`` corporations active in a region of gemeenten (one ``woningen_<corporatie>``
column each, as ``[koppeling] corporatie_kolommen = 100`` and more would give), counts with
many small cells (the ones suppression works on), rent classes that add up, planned sales
and DIAs of three to five buurten. ``python benchmarks/bench_publish.py --buurten 14000
--corporaties 280`` prints the time, the cells and how many were hidden. Not a test.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

RENT = ("goedkoop", "betaalbaar_laag", "betaalbaar_hoog", "duur", "vrije_sector", "onbekend")


def buurt_table(n_buurten: int, n_corp: int, *, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A synthetic buurt table and DIA areas (``dia_id``, ``buurtcodes``)."""
    rng = np.random.default_rng(seed)
    n_gem = max(1, min(340, n_buurten // 40))
    gem = np.sort(rng.integers(0, n_gem, n_buurten))
    counts = np.zeros((n_buurten, n_corp), dtype=np.int64)
    for c in range(n_corp):
        centre = rng.integers(0, n_gem)
        width = rng.integers(1, max(2, n_gem // 20))
        region = np.abs(gem - centre) <= width
        present = region & (rng.random(n_buurten) < 0.6)
        # a few large holdings, many small ones
        size = rng.negative_binomial(1, 0.02, n_buurten) + 1
        counts[present, c] = size[present]
    frame = pd.DataFrame(counts, columns=[f"woningen_corp_{c:03d}" for c in range(n_corp)])
    frame.insert(0, "buurtcode", [f"BU{i:08d}" for i in range(n_buurten)])
    frame.insert(1, "gemeentecode", [f"GM{g:04d}" for g in gem])
    total = counts.sum(axis=1)
    frame["woningen_corporaties"] = total
    frame["n_corporaties"] = (counts > 0).sum(axis=1)
    shares = rng.dirichlet(np.ones(len(RENT)), n_buurten)
    rent = np.floor(shares * total[:, None]).astype(np.int64)
    rent[:, -1] += total - rent.sum(axis=1)
    for j, k in enumerate(RENT):
        frame[f"huur_{k}"] = rent[:, j]
    frame["verkoop_gepland"] = rng.binomial(np.minimum(total, 50), 0.05)
    frame["aandeel_efg"] = rng.random(n_buurten)
    frame["sia_score"] = rng.random(n_buurten) * 100
    starts = rng.choice(n_buurten - 5, size=max(1, n_buurten // 100), replace=False)
    areas = pd.DataFrame(
        {
            "dia_id": [f"DIA-{i:03d}" for i in range(len(starts))],
            "buurtcodes": [
                ", ".join(frame["buurtcode"].iloc[s : s + 3 + i % 3]) for i, s in enumerate(starts)
            ],
        }
    )
    figures = [c for c in frame if c.startswith(("woningen_", "huur_", "verkoop_"))]
    values = frame[figures].to_numpy()
    sums = np.array(
        [values[s : s + 3 + i % 3].sum(axis=0) for i, s in enumerate(starts)], dtype=np.int64
    )
    areas = pd.concat([areas, pd.DataFrame(sums, columns=figures)], axis=1)
    return frame, areas


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buurten", type=int, default=14000)
    parser.add_argument("--corporaties", type=int, default=280)
    args = parser.parse_args()
    from geoprestatie.publication import PublicationPolicy, publish_frames

    table, areas = buurt_table(args.buurten, args.corporaties)
    t0 = time.perf_counter()
    pub = publish_frames(table=table, scored=table, areas=areas, policy=PublicationPolicy())
    seconds = time.perf_counter() - t0
    cells = int(table.filter(like="woningen_").size)
    print(
        f"publish_frames: {args.buurten} buurten x {args.corporaties} corporaties "
        f"({cells:,} stock cells, {len(areas)} DIA's): {seconds:.1f} s; "
        f"primary {pub.n_primary:,}, secondary {pub.n_secondary:,}"
    )
    # every renderer reads the public frame column by column; pandas deep-copies attrs
    # (with the mask of hidden cells) on each access
    t0 = time.perf_counter()
    for column in pub.table.columns:
        pub.table[column].notna().sum()
    print(
        f"{len(pub.table.columns)} column accesses on the public table: "
        f"{time.perf_counter() - t0:.2f} s"
    )


if __name__ == "__main__":
    main()
