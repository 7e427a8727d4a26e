"""EP-online labels fill missing labels and flag conflicts, per dwelling."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geoprestatie.errors import DataWarning, InputError
from geoprestatie.sources import read_stock
from geoprestatie.sources.eponline import apply_ep_labels, read_ep_online

EP = (
    "PublicatieDatum;01-09-2026\n"
    "LaatstVerwerkteMutatievolgnummer;123\n"
    "Pand_opnamedatum;Pand_opnametype;Pand_status;Pand_energieklasse;Pand_registratiedatum;"
    "Pand_postcode;Pand_huisnummer;Pand_huisnummer_toev;Pand_bagverblijfsobjectid\n"
    "20150101;Basis;Bestaand;D;20150201;3811AB;12;;0307010000000001\n"
    "20240101;Basis;Bestaand;B;20240201;3811AB;12;;0307010000000001\n"  # later: B wins
    "20230101;Basis;Bestaand;A+++;20230105;3811AB;14;;307010000000002\n"
    "20230101;Basis;Bestaand;C;20230105;3811AB;16;;0307010000000003\n"
)


def test_latest_label_per_bag_id(tmp_path: Path) -> None:
    path = tmp_path / "ep.csv"
    path.write_text(EP, encoding="utf-8")
    labels = read_ep_online(path)
    assert labels["bag_id"].tolist() == [f"030701000000000{i}" for i in (1, 2, 3)]
    assert labels["energielabel"].astype(str).tolist() == ["B", "A+++", "C"]
    assert str(labels["registratiedatum"].iloc[0].date()) == "2024-02-01"


def test_fill_and_conflict_reported_per_dwelling(tmp_path: Path) -> None:
    ep = tmp_path / "ep.csv"
    ep.write_text(EP, encoding="utf-8")
    stock_file = tmp_path / "bezit.csv"
    stock_file.write_text(
        "vhe_id;corporatie;x;y;bag_id;label\n"
        "V1;P;155000;463000;0307010000000001;\n"  # missing: filled with B
        "V2;P;155000;463000;0307010000000002;A+++\n"  # same
        "V3;P;155000;463000;0307010000000003;E\n"  # conflict: E kept, reported
        "V4;P;155000;463000;0307010000000009;G\n",  # not in EP-online
        encoding="utf-8",
    )
    stock = read_stock(stock_file)
    with pytest.warns(DataWarning, match="1 ontbrekend.*aangevuld, 1 conflict"):
        out = apply_ep_labels(stock, read_ep_online(ep))
    assert out["energielabel"].astype(str).tolist() == ["B", "A+++", "E", "G"]
    assert out["energielabel_bron"].tolist() == [
        "EP-online",
        "corporatie",
        "corporatie",
        "corporatie",
    ]
    report = pd.DataFrame(out.attrs["energielabel_controle"]).astype(object)
    report = report.where(report.notna(), None)
    assert report[
        ["bron_rij", "vhe_id", "label_corporatie", "label_ep_online", "uitkomst"]
    ].values.tolist() == [[2, "V1", None, "B", "aangevuld"], [4, "V3", "E", "C", "conflict"]]
    assert stock["energielabel"].isna().iloc[0]  # the caller's frame is untouched


def test_not_an_ep_online_file(tmp_path: Path) -> None:
    path = tmp_path / "ep.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(InputError, match="Pand_bagverblijfsobjectid"):
        read_ep_online(path)
