"""The monitor reuses the join's sales-to-stock link (voorraad_positie) and keeps it out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geoprestatie.agreements import agreement_from_dict, monitor
from geoprestatie.join import STOCK_POSITION


def test_the_join_link_gives_the_same_monitor_as_a_new_link() -> None:
    stock = pd.DataFrame(
        {
            "vhe_id": ["1", "1", "2"],
            "corporatie": ["A", "B", "A"],
            "energielabel": ["G", "B", "F"],
        }
    )
    sales = pd.DataFrame(
        {
            "vhe_id": ["1", "2"],
            "corporatie": ["B", "A"],
            "jaar": [2022, 2022],
            "status": ["gerealiseerd", "gerealiseerd"],
        }
    )
    rule = agreement_from_dict(
        {
            "id": "r",
            "tekst": "t",
            "partij": "p",
            "soort": "regel",
            "dataset": "verkoop",
            "meting": "aantal(energielabel in ['F', 'G'])",
            "vergelijking": "<=",
            "norm": 0,
        }
    )
    fresh = monitor([rule], stock=stock, sales=sales)
    linked = sales.assign(**{STOCK_POSITION: np.array([1, 2])})
    reused = monitor([rule], stock=stock, sales=linked)
    assert fresh.table["gemeten"].tolist() == reused.table["gemeten"].tolist() == [1.0]
    assert reused.overtredingen["r"]["vhe_id"].tolist() == ["2"]
    assert STOCK_POSITION not in reused.overtredingen["r"].columns


def test_shorthand_compares_a_numeric_text_column() -> None:
    """An extra column read as text ('700,5') is numeric for <= (was refused)."""
    stock = pd.DataFrame({"vhe_id": ["1", "2", "3"], "streefhuur": ["700,5", "720", ""]})
    rule = agreement_from_dict(
        {
            "id": "s",
            "tekst": "t",
            "partij": "p",
            "soort": "aandeel",
            "norm": 0.3,
            "voorwaarde": [{"kolom": "streefhuur", "op": "<=", "waarde": 710}],
        }
    )
    row = monitor([rule], stock=stock).table.iloc[0]
    # 1 of 3 at least (the empty cell is unknown), so >= 30 % whatever it is
    assert row["status"] == "groen" and row["gemeten"] == 1 / 3
