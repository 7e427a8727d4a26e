"""The stoplight report per theme and party, the trend, and the per-buurt map."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geoprestatie.agreements import read_previous, with_trend
from geoprestatie.datasets import load_buurten
from geoprestatie.errors import ConfigError
from geoprestatie.output.stoplight import monitor_map, stoplight_counts, stoplight_html


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "afspraak_id": ["1", "2", "3", "4"],
            "thema": ["Wonen", "Wonen", "Zorg", ""],
            "partij": ["Clavis", "gemeente", "Clavis", "Clavis"],
            "status": ["groen", "rood", "onbekend", "oranje"],
        }
    )


def test_counts_per_theme_and_party_with_trend() -> None:
    before = pd.DataFrame({"afspraak_id": ["1", "2", "3"], "status": ["rood", "rood", "groen"]})
    table = with_trend(_table(), before)
    assert table["trend"].tolist() == ["beter", "gelijk", "onbekend", "nieuw"]
    by_theme = stoplight_counts(table, "thema").set_index("thema")
    assert by_theme.loc["Wonen", ["groen", "rood", "totaal", "trend_beter"]].tolist() == [
        1,
        1,
        2,
        1,
    ]
    assert by_theme.loc["(geen)", "oranje"] == 1  # an agreement without theme is counted
    by_party = stoplight_counts(table, "partij").set_index("partij")
    assert by_party["totaal"].sum() == len(table)
    page = stoplight_html(table)
    assert "Stoplicht per thema en per partij" in page and "1 beter" in page


def test_previous_monitor_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "run").mkdir()
    _table().to_csv(tmp_path / "run" / "monitor.csv", index=False)
    assert read_previous(tmp_path / "run")["status"].tolist() == _table()["status"].tolist()
    (tmp_path / "leeg").mkdir()
    with pytest.raises(ConfigError, match=r"geen monitor\.csv"):
        read_previous(tmp_path / "leeg")
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="afspraak_id en status"):
        read_previous(tmp_path / "x.csv")


def test_map_of_rules_per_buurt() -> None:
    buurten = load_buurten("Terneuzen")
    codes = buurten["buurtcode"].astype(str).tolist()
    groups = pd.DataFrame(
        {
            "afspraak_id": ["4.3b"] * 3,
            "buurtcode": codes[:3],
            "status": ["groen", "rood", "onbekend"],
            "gemeten": ["100,0%", "0,0%", "onbekend"],
        }
    )
    m = monitor_map(groups, buurten, texts={"4.3b": "Leefbaarheid <gevolgd>"}, synthetic=True)
    assert m is not None
    page = m.get_root().render()
    assert "Afspraak 4.3b" in page and "Synthetische gegevens" in page
    # inert JSON (< and > escaped), shown as text by the page's script; no CDN
    assert "\\u003cgevolgd\\u003e" in page and "<gevolgd>" not in page
    assert '<script src="http' not in page
    assert all(code in page for code in codes[:3]) and codes[3] not in page
    assert monitor_map(groups.drop(columns="buurtcode"), buurten) is None
