"""Byte-reproducible outputs: the same inputs and seed give identical files in publiek/ and
intern/ and the same run.json (map element ids numbered, no moment of writing anywhere:
dates from ``[project] datum`` or ``SOURCE_DATE_EPOCH``)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import warnings
from pathlib import Path

import pytest
from small_project import write_project

from geoprestatie import pipeline
from geoprestatie.config import RunConfig, load_config
from geoprestatie.errors import DataWarning


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_two_runs_give_identical_files(tmp_path: Path) -> None:
    cfg = write_project(tmp_path / "project", [30, 30, 4], plans=True, rules=True, sales=True)
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace("[project]\n", "[project]\ndatum = 2026-11-30\n"), encoding="utf-8")
    outs = []
    for name in ("een", "twee"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            result = pipeline.run(load_config(cfg))
            pipeline.write_outputs(result, tmp_path / name)
        outs.append(_files(tmp_path / name))
    first, second = outs
    assert {
        "publiek/sia.html",
        "publiek/prognose.html",
        "publiek/rapport.html",
        "publiek/sia.png",
        "publiek/tabellen.xlsx",
        "publiek/geoprestatie.gpkg",
        "intern/geoprestatie.gpkg",
        "run.json",
    } <= set(first)
    assert first.keys() == second.keys()
    differ = sorted(name for name in first if first[name] != second[name])
    assert differ == []
    assert b'"datum": "2026-11-30"' in first["run.json"]
    with sqlite3.connect(tmp_path / "een" / "publiek" / "geoprestatie.gpkg") as con:
        stamps = {r[0] for r in con.execute("SELECT last_change FROM gpkg_contents")}
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert stamps == {"2026-11-30T00:00:00.000Z"}
    # SQLite's count of write transactions (GDAL sometimes makes one more): fixed
    for name in ("publiek/geoprestatie.gpkg", "intern/geoprestatie.gpkg"):
        header = first[name]
        assert header[24:28] == header[92:96] == (1).to_bytes(4, "big"), name
    assert "Gemaakt op 30-11-2026" in first["publiek/rapport.html"].decode("utf-8")


def test_run_date_from_config_or_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    assert RunConfig({"project": {}}).date == dt.date(2023, 11, 14)
    given = RunConfig({"project": {"datum": dt.date(2026, 1, 2)}})
    assert given.date == dt.date(2026, 1, 2)  # the config wins
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert RunConfig({"project": {}}).date == dt.date.today()
