"""Need table reader, need against supply, and the steering signals."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from geoprestatie.errors import DataWarning, InputError
from geoprestatie.need import need_from_frame, need_gap, read_need, steering_signals, supply_bands
from geoprestatie.planstatus import UncertaintyConfig, parse_statuses
from geoprestatie.prognosis import PrognosisConfig, plans_from_frame


def _plans(rows: list[tuple]) -> pd.DataFrame:
    cols = ["partij", "jaar", "mutatie", "aantal", "zekerheid", "segment"]
    return plans_from_frame(pd.DataFrame(rows, columns=cols))


def test_reader_dutch_excel_with_aliases(tmp_path: Path) -> None:
    path = tmp_path / "behoefte.csv"
    text = "Marktsegment;Peiljaar;Woningbehoefte;Wijkcode\nMiddeldure huur;2026;1.234,5;WK030701\n"
    path.write_bytes(text.encode("cp1252"))
    need = read_need(path)
    assert need[["segment", "jaar", "behoefte", "wijkcode", "bron_rij"]].to_dict("records") == [
        {
            "segment": "middenhuur",
            "jaar": 2026,
            "behoefte": 1234.5,
            "wijkcode": "WK030701",
            "bron_rij": 2,
        }
    ]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("segment", "luxe", "segment"),
        ("jaar", "2026,5", "jaar"),
        ("behoefte", "veel", "behoefte"),
        ("behoefte", None, "behoefte"),
    ],
)
def test_reader_names_file_column_row(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    frame = pd.DataFrame(
        {"segment": ["koop", "koop"], "jaar": ["2025", "2026"], "behoefte": ["10", "20"]}
    )
    frame.loc[1, column] = value
    path = tmp_path / "b.csv"
    frame.to_csv(path, index=False, sep=";")
    with pytest.raises(InputError, match=message) as info:
        read_need(path)
    assert info.value.rows == [3] and info.value.column == column
    assert "b.csv" in str(info.value)


def test_duplicates_and_two_area_columns() -> None:
    with pytest.raises(InputError, match="meer dan eens"):
        need_from_frame(
            pd.DataFrame({"segment": ["koop"] * 2, "jaar": [2025] * 2, "behoefte": [1, 2]})
        )
    with pytest.raises(InputError, match="per buurt of per wijk"):
        need_from_frame(
            pd.DataFrame(
                {
                    "segment": ["koop"],
                    "jaar": [2025],
                    "behoefte": [1],
                    "buurtcode": ["BU1"],
                    "wijkcode": ["WK1"],
                }
            )
        )


def test_gap_by_hand_with_koop_rolled_up() -> None:
    # need for koop (no bands) is met by every koop band; vrije huur has no need
    plans = _plans(
        [
            ("Ontwikkelaar", 2025, "nieuwbouw", 30, "hard", "koop_duur"),
            ("Gemeente", 2026, "nieuwbouw", 20, "hard", "koop_betaalbaar"),
            ("Ontwikkelaar", 2026, "nieuwbouw", 15, "hard", "vrije_huur"),
            ("Corporatie", 2026, "sloop", 5, "hard", "sociale_huur"),
        ]
    )
    need = need_from_frame(
        pd.DataFrame(
            {
                "segment": ["koop", "koop", "sociale_huur", "sociale_huur"],
                "jaar": [2025, 2026, 2025, 2026],
                "behoefte": [25, 25, 10, 10],
            }
        )
    )
    gap = need_gap(supply_bands(plans, need, config=PrognosisConfig()), need)
    got = {
        (r.segment, r.jaar): (r.behoefte_cumulatief, r.aanbod_cumulatief, r.tekort)
        for r in gap.itertuples()
    }
    assert got[("koop", 2025)] == (25.0, 30, -5.0)
    assert got[("koop", 2026)] == (50.0, 50, 0.0)
    assert got[("sociale_huur", 2026)] == (20.0, -5, 25.0)
    assert pd.isna(got[("vrije_huur", 2026)][0]) and got[("vrije_huur", 2026)][1] == 15
    # hard plans only: the band is the deterministic value
    assert (gap["tekort_p10"] == gap["tekort"]).where(gap["tekort"].notna(), True).all()
    signals = steering_signals(gap, marge=0.1).set_index("segment")
    assert signals.loc["koop", "signaal"] == "in balans"
    assert signals.loc["sociale_huur", "signaal"] == "tekort"
    assert bool(signals.loc["sociale_huur", "zeker"])
    assert signals.loc["vrije_huur", "signaal"] == "geen behoefte opgegeven"
    assert "sociale huur t/m 2026: behoefte 20" in signals.loc["sociale_huur", "toelichting"]


def test_band_of_the_gap_and_the_margin() -> None:
    statuses = parse_statuses({"zacht": {"kans": 0.5, "vertraging": [1.0]}})
    config = PrognosisConfig(
        scenario="zacht",
        statussen=statuses,
        onzekerheid=UncertaintyConfig(simulaties=2000, seed=3, statussen=statuses),
    )
    plans = _plans([("P", 2025, "nieuwbouw", 100, "zacht", "middenhuur")])
    need = need_from_frame(
        pd.DataFrame({"segment": ["middenhuur"], "jaar": [2025], "behoefte": [95]})
    )
    gap = need_gap(supply_bands(plans, need, config=config), need)
    row = gap.iloc[0]
    assert (row["tekort_p10"], row["tekort"], row["tekort_p90"]) == (-5, -5, 95)
    assert row["tekort_p10"] <= row["tekort_p50"] <= row["tekort_p90"]
    sig = steering_signals(gap, marge=0.1).iloc[0]
    assert sig["signaal"] in ("tekort", "in balans")
    assert not sig["zeker"]  # when everything goes well there is enough


def test_plans_before_the_need_warn_and_segment_required() -> None:
    plans = _plans(
        [("P", 2024, "nieuwbouw", 10, "hard", "koop"), ("P", 2025, "nieuwbouw", 10, "hard", "koop")]
    )
    need = need_from_frame(pd.DataFrame({"segment": ["koop"], "jaar": [2025], "behoefte": [5]}))
    with pytest.warns(DataWarning, match=r"\(rij 1\)"):
        bands = supply_bands(plans, need, config=PrognosisConfig())
    assert bands.table["groei"].tolist() == [10]
    bare = plans_from_frame(
        pd.DataFrame({"partij": ["P"], "jaar": [2025], "mutatie": ["nieuwbouw"], "aantal": [1]})
    )
    with warnings.catch_warnings(), pytest.raises(InputError, match="segment"):
        supply_bands(bare, need, config=PrognosisConfig())
