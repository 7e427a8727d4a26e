"""The example agreement folders data/afspraken/<gemeente>/ run end to end (geoprestatie run)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from geoprestatie import pipeline
from geoprestatie.agreements import STATUSES
from geoprestatie.config import load_config

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "data" / "afspraken"
DOCS = ROOT / "docs" / "afspraken_voorbeelden.md"


def _rule_ids(gemeente: str) -> list[str]:
    data = tomllib.loads((EXAMPLES / gemeente / "afspraken.toml").read_text(encoding="utf-8"))
    return [str(t["id"]) for t in data["afspraak"]]


# the examples have no SIA indicators (Enschede, Terneuzen): the SIA says so in DataWarnings
@pytest.mark.filterwarnings("ignore::geoprestatie.errors.DataWarning")
@pytest.mark.parametrize("gemeente", ["enschede", "amersfoort", "terneuzen"])
def test_example_runs_and_every_rule_has_a_status(gemeente: str) -> None:
    result = pipeline.run(load_config(EXAMPLES / gemeente / "config.toml"))
    assert result.monitor is not None
    table = result.monitor.table.set_index("afspraak_id")
    assert list(table.index) == _rule_ids(gemeente)
    assert set(table["status"]) <= set(STATUSES)
    # every non-green rule carries its evidence: records, groups or its explanation
    groups = result.monitor.groepen
    for ident, row in table.iterrows():
        if row["status"] != "groen":
            has_records = ident in result.monitor.overtredingen
            has_groups = bool((groups["afspraak_id"] == ident).any()) if len(groups) else False
            assert has_records or has_groups or row["toelichting"], ident
    expected = {
        # real figures of the documents, reproduced from the real plan tables
        "amersfoort": {"7a": ("groen", 213.0)},
        "terneuzen": {"1.1.1c": ("rood", 4799.0), "2.3": ("onbekend", None)},
        "enschede": {"5.4": ("rood", 0.0)},
    }[gemeente]
    for ident, (status, measured) in expected.items():
        assert table.loc[ident, "status"] == status
        if measured is not None:
            assert table.loc[ident, "gemeten"] == measured


def test_docs_table_lists_every_rule_with_its_count() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for gemeente in ("enschede", "amersfoort", "terneuzen"):
        section = text.split(f"<!-- {gemeente} -->")[1].split("<!-- /")[0]
        for ident in _rule_ids(gemeente):
            assert f"`{ident}`" in section, (gemeente, ident)
        found = re.search(r"checkable: (\d+); expressed as rules: (\d+)", section)
        assert found is not None, gemeente
        checkable, expressed = map(int, found.groups())
        assert expressed / checkable >= 0.9
