"""publication: primary and secondary suppression, proven with an attacker's LP."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from attack import exposed, intervals
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geoprestatie.errors import ConfigError
from geoprestatie.publication import (
    ALL_CORPORATIONS,
    PublicationPolicy,
    coarse_prognosis,
    publish_frames,
    suppressed_mask,
)

CORPS = ("a", "b", "c")
RENT = ("huur_goedkoop", "huur_duur", "huur_onbekend")


def _table(cells: list[list[int]], rent_split: list[int]) -> pd.DataFrame:
    """Buurten x corporations, with rent classes that add up to the buurt total."""
    frame = pd.DataFrame(cells, columns=[f"woningen_{c}" for c in CORPS[: len(cells[0])]])
    frame.insert(0, "buurtcode", [f"BU{i:08d}" for i in range(len(frame))])
    total = frame.filter(like="woningen_").sum(axis=1)
    frame["woningen_corporaties"] = total
    cheap = np.minimum(total, np.asarray(rent_split[: len(frame)]))
    frame["huur_goedkoop"] = cheap
    frame["huur_duur"] = (total - cheap) // 2
    frame["huur_onbekend"] = total - cheap - frame["huur_duur"]
    frame["n_corporaties"] = (
        frame.filter(like="woningen_").drop(columns="woningen_corporaties") > 0
    ).sum(axis=1)
    return frame


def _attack(table: pd.DataFrame, public: pd.DataFrame, hidden_totals=frozenset()) -> dict:
    """Every relation an attacker can write: buurt totals over corporations and over rent
    classes, and the municipal stock totals per corporation and in all (assumed known: the
    accounting and the monitor publish them), unless publication hid them."""
    corp = [c for c in table if c.startswith("woningen_") and c != "woningen_corporaties"]
    published, truth, relations, nonzero = {}, {}, [], set()
    for pos, code in enumerate(table["buurtcode"]):
        for col in [*corp, "woningen_corporaties", *RENT]:
            key = (col, code)
            truth[key] = float(table[col].iloc[pos])
            value = public[col].iloc[pos]
            published[key] = None if pd.isna(value) else float(value)
            if col.startswith("woningen_"):
                nonzero.add(key)  # n_corporaties tells which corporations are present
        relations.append((("woningen_corporaties", code), [(c, code) for c in corp]))
        relations.append((("woningen_corporaties", code), [(c, code) for c in RENT]))
    for col in [*corp, "woningen_corporaties"]:
        total = truth[(col, "*")] = float(table[col].sum())
        published[(col, "*")] = None if col in hidden_totals else total
        if total:
            nonzero.add((col, "*"))
        relations.append(((col, "*"), [(col, code) for code in table["buurtcode"]]))
    return intervals(published, truth, relations, nonzero_known=nonzero)


def _publish_frames(table: pd.DataFrame, **kw):
    empty = pd.DataFrame({"dia_id": [], "buurtcodes": []})
    return publish_frames(table=table, scored=table, areas=empty, policy=PublicationPolicy(**kw))


def _publish(table: pd.DataFrame, **kw) -> pd.DataFrame:
    return _publish_frames(table, **kw).table


def test_pinned_municipal_total_is_hidden():
    # one dwelling in each of five buurten, municipal total 5: each hidden count would be
    # pinned to 1 (hidden means >= 1) whatever is hidden per buurt; the total is hidden
    t = _table([[1]] * 5, [0] * 5)
    frames = _publish_frames(t)
    assert frames.table["woningen_a"].isna().all()
    assert {"woningen_a", "woningen_corporaties"} <= frames.hidden_totals
    assert any("gemeentetotaal wordt in publiek/ niet getoond" in n for n in frames.notes)
    assert not exposed(_attack(t, frames.table, frames.hidden_totals))
    # the attacker with the total published pins every buurt: the hiding is needed
    assert len(exposed(_attack(t, frames.table))) == 10  # 5 buurten x (a, all)
    # a total that leaves room (2 + 3 over two buurten) stays published
    roomy = _publish_frames(_table([[2], [3], [60]], [0] * 3))
    assert not roomy.hidden_totals
    assert not any("gemeentetotaal" in n for n in roomy.notes)


def test_hand_worked_row_and_column():
    # B1: a=3 is small; its row needs a second hidden cell (b=60, the cheapest part), and
    # column a (municipal total published) and column b need one each: a=40 in B2, b=10 in
    # B2 closes the rectangle; B3 and every total stay published.
    t = _table([[3, 60], [40, 10], [50, 70]], [0, 0, 0])
    pub = _publish(t)
    assert pub[["woningen_a", "woningen_b"]].isna().to_numpy().tolist() == [
        [True, True],
        [True, True],
        [False, False],
    ]
    assert pub["woningen_corporaties"].tolist() == [63, 50, 120]
    assert not exposed(_attack(t, pub))


counts = st.one_of(st.integers(0, 4), st.integers(0, 80))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example([[1]] * 5, [0] * 6)  # hypothesis found it: a public total 5 pinned five 1s
@example([[1, 30], [1, 40], [2, 50]], [0] * 6)  # a corporation with 4 in all
@given(
    st.integers(1, 3).flatmap(
        lambda k: st.lists(st.lists(counts, min_size=k, max_size=k), min_size=2, max_size=6)
    ),
    st.lists(st.integers(0, 60), min_size=6, max_size=6),
)
def test_no_small_count_published_and_no_hidden_count_derivable(cells, split):
    # no exception: a corporation with 1-4 dwellings in the whole municipality and a
    # municipal total that pins the buurt counts are protected by hiding that total in
    # publiek/ (``hidden_totals``); every other total the attacker knows
    table = _table(cells, split)
    frames = _publish_frames(table)
    pub = frames.table
    shown = pub[[c for c in pub if c.startswith(("woningen_", "huur_"))]]
    values = shown.to_numpy(dtype=float, na_value=np.nan)
    assert not ((values >= 1) & (values < 5)).any(), "a count of 1-4 is published"
    ivals = _attack(table, pub, frames.hidden_totals)
    assert not exposed(ivals), {k: v for k, v in ivals.items() if v[1] - v[0] < 1}
    for col in frames.hidden_totals:  # a hidden total is one that was needed or small
        assert col.startswith("woningen_")
    mask = suppressed_mask(pub)
    assert (mask.to_numpy() == pub.isna().to_numpy() & mask.to_numpy()).all()


def test_min_woningen_zero_publishes_everything():
    t = _table([[1, 2]], [1])
    assert _publish(t, min_woningen=0)["woningen_a"].tolist() == [1]


def test_bad_min_woningen_is_a_config_error():
    with pytest.raises(ConfigError, match="min_woningen"):
        PublicationPolicy(min_woningen=-1)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="min_woningen"):
        PublicationPolicy.from_dict({"min_woningen": "5"})


def test_derived_figures_follow_their_count():
    t = _table([[3, 0], [40, 10], [50, 70]], [0, 0, 0])
    t["woningvoorraad"] = [100, 200, 300]
    t["aandeel_corporatie"] = t["woningen_corporaties"] / t["woningvoorraad"]
    t["verkoop_gepland"] = [0, 2, 9]
    t["verkoop_aandeel"] = t["verkoop_gepland"] / t["woningen_corporaties"]
    t["sia_score"] = [10.0, 20.0, 30.0]
    t["bijdrage_x"] = [1.0, 2.0, 3.0]
    empty = pd.DataFrame({"dia_id": [], "buurtcodes": []})
    pub = publish_frames(table=t, scored=t, areas=empty, policy=PublicationPolicy())
    row0 = pub.scored.iloc[0]
    # B1 has 3 dwellings: its share (with the public CBS stock: the count) and SIA hidden
    assert pd.isna(row0["aandeel_corporatie"]) and pd.isna(row0["sia_score"])
    assert pd.isna(row0["bijdrage_x"])
    # B2's planned sales (2) are hidden, so its sales share is hidden too
    assert pd.isna(pub.table["verkoop_aandeel"].iloc[1])
    assert pub.table["woningvoorraad"].tolist() == [100, 200, 300]  # CBS figures stay
    assert "sia_score" not in pub.table or pub.table is not pub.scored


def test_smaa_and_what_it_takes_follow_their_count():
    """Every SIA figure of a hidden buurt is hidden: the SMAA-2 families (rank
    acceptabilities, central weights, confidence), what-it-takes, and the pairwise
    winning indices leave the public frame altogether."""
    t = _table([[3, 0], [40, 10], [50, 70]], [0, 0, 0])
    extra = {
        "kans_rang_1": [0.5, 0.3, 0.2],
        "centraal_gewicht_x": [0.4, 0.5, 0.6],
        "betrouwbaarheid": [0.9, 0.8, 0.7],
        "wat_nodig_l1": [0.1, 0.2, 0.3],
        "wat_nodig_tekst": ["a", "b", "c"],
    }
    scored = t.assign(**extra)
    scored.attrs["paarsgewijs"] = {"buurtcodes": list(t.buurtcode), "kans_voor": [[0.5] * 3] * 3}
    empty = pd.DataFrame({"dia_id": [], "buurtcodes": []})
    pub = publish_frames(table=t, scored=scored, areas=empty, policy=PublicationPolicy())
    assert pub.scored.loc[0, list(extra)].isna().all()
    assert pub.scored.loc[2, list(extra)].notna().all()
    assert "paarsgewijs" not in pub.scored.attrs and "paarsgewijs" in scored.attrs


def test_dia_sums_do_not_give_a_hidden_buurt_away():
    t = _table([[3, 60], [40, 10], [50, 70], [30, 30]], [0] * 4)
    areas = pd.DataFrame(
        {"dia_id": ["DIA-01"], "buurtcodes": [f"{t.buurtcode[0]}, {t.buurtcode[3]}"]}
    )
    for col in ("woningen_a", "woningen_b", "woningen_corporaties"):
        areas[col] = t[col].iloc[[0, 3]].sum()
    pub = publish_frames(table=t, scored=t, areas=areas, policy=PublicationPolicy())
    published, truth = {}, {}
    relations = []
    for col in ("woningen_a", "woningen_b", "woningen_corporaties"):
        for pos, code in enumerate(t["buurtcode"]):
            truth[(col, code)] = float(t[col].iloc[pos])
            v = pub.table[col].iloc[pos]
            published[(col, code)] = None if pd.isna(v) else float(v)
        v = pub.areas[col].iloc[0]
        truth[(col, "DIA")] = float(areas[col].iloc[0])
        published[(col, "DIA")] = None if pd.isna(v) else float(v)
        relations.append(((col, "DIA"), [(col, t.buurtcode[0]), (col, t.buurtcode[3])]))
        published[(col, "*")] = truth[(col, "*")] = float(t[col].sum())
        relations.append(((col, "*"), [(col, c) for c in t.buurtcode]))
    for code in t.buurtcode:
        relations.append(
            (("woningen_corporaties", code), [("woningen_a", code), ("woningen_b", code)])
        )
    ivals = intervals(published, truth, relations, nonzero_known=list(truth))
    assert ivals and not exposed(ivals)


def _prognosis() -> pd.DataFrame:
    rows = []
    for corp, code, start, new in (("A", "B1", 3, 0), ("B", "B1", 40, 2), ("A", "B2", 60, 0)):
        stand = start
        for year in (2022, 2023):
            add = new if year == 2023 else 0
            rows.append((corp, code, year, stand, add, 0, stand + add))
            stand += add
    return pd.DataFrame(
        rows,
        columns=[
            "corporatie",
            "buurtcode",
            "jaar",
            "beginstand",
            "nieuwbouw",
            "sloop",
            "eindstand",
        ],
    )


def test_prognosis_is_public_per_buurt_over_all_corporations():
    p = _prognosis()
    coarse = coarse_prognosis(p)
    assert set(coarse["corporatie"]) == {ALL_CORPORATIONS}
    assert coarse["beginstand"].tolist() == [43, 43, 60, 60]
    assert (
        coarse["eindstand"] == coarse["beginstand"] + coarse["nieuwbouw"] + coarse["sloop"]
    ).all()


def test_prognosis_small_mutation_hidden_and_not_derivable():
    p = _prognosis()
    t = _table([[3, 40], [60, 0]], [0, 0])
    empty = pd.DataFrame({"dia_id": [], "buurtcodes": []})
    pub = publish_frames(table=t, scored=t, areas=empty, policy=PublicationPolicy(), prognosis=p)
    prog = pub.prognosis
    assert prog is not None
    # nieuwbouw 2 in B1 (2023) is small: hidden, and so is enough of its chain
    # (eindstand = beginstand + mutations, eindstand(2022) = beginstand(2023)) and of the
    # municipal sum (nieuwbouw 2 in 2023 for the municipality) that it cannot be derived
    assert pd.isna(prog.loc[(prog.buurtcode == "B1") & (prog.jaar == 2023), "nieuwbouw"]).all()
    published, truth, relations = {}, {}, []
    for pos, row in prog.iterrows():
        code, year = row["buurtcode"], int(row["jaar"])
        for col, key in (
            ("beginstand", ("stand", code, year)),
            ("eindstand", ("stand", code, year + 1)),
            ("nieuwbouw", ("nieuwbouw", code, year)),
            ("sloop", ("sloop", code, year)),
        ):
            truth[key] = float(coarse_prognosis(p).loc[pos, col])
            published[key] = None if pd.isna(row[col]) else float(row[col])
        relations.append(
            (
                ("stand", code, year + 1),
                [("stand", code, year), ("nieuwbouw", code, year), ("sloop", code, year)],
            )
        )
    # the municipal start stock is public (the accounting); per-year municipal mutations are
    # published only summed over the years (the summary table)
    start = [k for k in truth if k[0] == "stand" and k[2] == 2022]
    published[("stand", "*", 2022)] = truth[("stand", "*", 2022)] = sum(truth[k] for k in start)
    relations.append((("stand", "*", 2022), start))
    removals = [k for k in truth if k[0] == "sloop"]
    ivals = intervals(published, truth, relations, nonpositive=removals)
    assert [k for k in ivals if k[0] == "nieuwbouw"] and not exposed(ivals)


def test_prognosis_summary_hides_nothing_that_follows_from_its_own_sums() -> None:
    """The summary per corporation (rows: mutations, net growth with and without
    demolition; columns: corporations, Totaal) as a reader sees it: Totaal is the sum of the
    corporations, net growth the sum of the mutation rows. Corporation B demolishes 4:
    Totaal - A - C and growth with minus without demolition gave it back (the demo: Portaal
    sloop -4, Omnia Wonen deliberalisatie -1), because the row and column sums were not in
    the cell system (and the net-growth rows were mapped one row off since ``saldo``)."""
    from geoprestatie.prognosis import (
        PrognosisConfig,
        plans_from_frame,
        project,
        start_from_frame,
        summary_table,
    )

    b1, b2 = "BU00000001", "BU00000002"
    start = start_from_frame(
        pd.DataFrame(
            {
                "corporatie": ["A", "A", "B", "B", "C"],
                "buurtcode": [b1, b2, b1, b2, b2],
                "aantal": [300, 200, 100, 120, 80],
            }
        ),
        peildatum="2022-01-01",
    )
    plans = plans_from_frame(
        pd.DataFrame(
            {
                "corporatie": ["A", "A", "B", "B", "C", "A"],
                "jaar": [2022, 2022, 2022, 2023, 2022, 2023],
                "mutatie": ["nieuwbouw", "sloop", "nieuwbouw", "sloop", "verkoop", "verkoop"],
                "aantal": [50, 40, 30, 4, 20, 25],
                "buurtcode": [b1, b2, b1, b2, b2, b1],
            }
        )
    )
    prognosis = project(start, plans, config=PrognosisConfig())
    summary = summary_table(prognosis)
    table = pd.DataFrame(
        {
            "buurtcode": [b1, b2],
            "woningen_a": [300, 200],
            "woningen_b": [100, 120],
            "woningen_c": [0, 80],
            "woningen_corporaties": [400, 400],
        }
    )
    pub = publish_frames(
        table=table,
        scored=table,
        areas=pd.DataFrame({"dia_id": [], "buurtcodes": []}),
        policy=PublicationPolicy(),
        prognosis=prognosis,
        summary=summary,
    ).prognosis_summary
    assert pub is not None and pd.isna(pub.at["Sloop", "B"])
    rows, cols = [str(r) for r in summary.index], [str(c) for c in summary.columns]
    published = {
        (r, c): None if pd.isna(pub.at[r, c]) else float(pub.at[r, c]) for r in rows for c in cols
    }
    truth = {(r, c): float(summary.at[r, c]) for r in rows for c in cols}
    relations = [((r, cols[-1]), [(r, c) for c in cols[:-1]]) for r in rows]
    leaves = [
        r
        for r in rows
        if r
        not in ("Permanente netto groei inclusief sloop", "Permanente netto groei exclusief sloop")
    ]
    for c in cols:
        relations.append(
            (
                ("Permanente netto groei inclusief sloop", c),
                [(r, c) for r in leaves if "tijdelijk" not in r.lower()],
            )
        )
        relations.append(
            (
                ("Permanente netto groei exclusief sloop", c),
                [(r, c) for r in leaves if "tijdelijk" not in r.lower() and r != "Sloop"],
            )
        )
    ivals = intervals(published, truth, relations)
    assert not exposed(ivals), {k: v for k, v in ivals.items() if v[1] - v[0] < 1}
