"""The attacker test on the demo: every number in publiek/, every additive relation, LP.

Reads only the files in ``publiek/`` (and the full set in ``intern/`` as the truth and for
the signs of the hidden cells, i.e. an attacker stronger than a real one), writes the
relations between them (buurt totals over corporations and rent classes, DIA sums, the
prognosis chain and its municipal sums) and shows with linear programming that every
hidden cell still admits at least two values. Fails on the old layout (no publiek/).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from attack import exposed, intervals

from geoprestatie import pipeline
from geoprestatie.config import RunConfig, demo_config
from geoprestatie.errors import DataWarning

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("aanval") / "uit"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the demo's deliberate flaws
        config = demo_config()  # without rapport.pdf: the attack reads the tables
        tables = {**config.tables, "uitvoer": {**config.section("uitvoer"), "pdf": False}}
        pipeline.write_outputs(pipeline.run(RunConfig(tables, source=None)), out)
    return out


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", decimal=",", dtype={"buurtcode": str}, na_values=["×"])


def test_publiek_has_no_dwelling_and_no_small_count(demo_out: Path) -> None:
    for path in sorted((demo_out / "publiek").glob("*.csv")):
        frame = _csv(path)
        assert not {"vhe_id", "x", "y", "adres"} & set(frame.columns), path.name
        counts = [c for c in frame if c.startswith(("woningen_", "huur_", "verkoop_gepland"))]
        if path.name in ("prognose.csv",):
            counts = [c for c in frame if c not in ("corporatie", "buurtcode", "jaar")]
        values = frame[counts].apply(pd.to_numeric, errors="coerce").abs()
        assert not ((values >= 1) & (values < 5)).any().any(), path.name


def test_every_hidden_cell_admits_two_values(demo_out: Path) -> None:
    pub, full = demo_out / "publiek", demo_out / "intern"
    table, truth_table = _csv(pub / "buurttabel.csv"), _csv(full / "buurttabel.csv")
    corp = [c for c in table if c.startswith("woningen_") and c != "woningen_corporaties"]
    rent = [c for c in table if c.startswith("huur_")]
    published: dict = {}
    truth: dict = {}
    relations: list = []
    nonzero: set = set()
    for pos, code in enumerate(table["buurtcode"]):
        for col in [*corp, "woningen_corporaties", *rent, "verkoop_gepland"]:
            key = (col, code)
            truth[key] = float(truth_table[col].iloc[pos])
            v = table[col].iloc[pos]
            published[key] = None if pd.isna(v) else float(v)
            if col.startswith("woningen_"):
                nonzero.add(key)
        relations.append((("woningen_corporaties", code), [(c, code) for c in corp]))
        relations.append((("woningen_corporaties", code), [(c, code) for c in rent]))
    for col in [*corp, "woningen_corporaties"]:  # municipal stock: public (accounting, monitor)
        published[(col, "*")] = truth[(col, "*")] = float(truth_table[col].sum())
        relations.append(((col, "*"), [(col, c) for c in table["buurtcode"]]))
    dia = _csv(pub / "dia.csv")
    for _, row in dia.iterrows():
        codes = [c.strip() for c in str(row["buurtcodes"]).split(",")]
        for col in [*corp, "woningen_corporaties", "verkoop_gepland"]:
            if col in dia:
                key = (col, row["dia_id"])
                truth[key] = sum(truth[(col, c)] for c in codes)
                published[key] = None if pd.isna(row[col]) else float(row[col])
                relations.append((key, [(col, c) for c in codes]))
    _prognosis(pub, full, published, truth, relations)
    hidden = [k for k, v in published.items() if v is None]
    assert len(hidden) > 50  # the demo has small groups: the test has something to check
    ivals = intervals(
        published,
        truth,
        relations,
        nonzero_known=nonzero,
        nonpositive=[k for k in truth if k[0] in _REMOVALS],
    )
    for key, (lo, hi) in ivals.items():
        assert lo - 1e-6 <= truth[key] <= hi + 1e-6, key
    assert not exposed(ivals), [k for k in exposed(ivals)][:5]


_REMOVALS = ("sloop", "verkoop", "liberalisatie", "samenvoeging", "tijdelijk_onttrekking")


def _prognosis(pub: Path, full: Path, published: dict, truth: dict, relations: list) -> None:
    prog = _csv(pub / "prognose.csv")
    muts = [
        c
        for c in prog
        if c not in ("corporatie", "buurtcode", "jaar", "beginstand", "eindstand")
        and not c.startswith("tijdelijk_")
    ]
    whole = _csv(full / "prognose.csv")
    sums = whole.groupby(["buurtcode", "jaar"])[["beginstand", "eindstand", *muts]].sum()
    for _, row in prog.iterrows():
        b, y = row["buurtcode"], int(row["jaar"])
        cells = {"beginstand": ("P_stand", b, y), "eindstand": ("P_stand", b, y + 1)}
        cells |= {m: (m, b, y) for m in muts}
        for col, key in cells.items():
            truth[key] = float(sums.loc[(b, y), col])
            published[key] = None if pd.isna(row[col]) else float(row[col])
        relations.append((cells["eindstand"], [cells["beginstand"], *(cells[m] for m in muts)]))
    first = int(prog["jaar"].min())
    start = [k for k in truth if k[0] == "P_stand" and k[2] == first]
    published[("P_stand", "*", first)] = truth[("P_stand", "*", first)] = sum(
        truth[k] for k in start
    )
    relations.append((("P_stand", "*", first), start))
    for code in prog["buurtcode"].unique():  # the start stock is the buurt's stock
        if ("woningen_corporaties", code) in truth and truth[
            ("woningen_corporaties", code)
        ] == truth[("P_stand", code, first)]:
            relations.append((("P_stand", code, first), [("woningen_corporaties", code)]))
