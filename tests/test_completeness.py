"""A hollow SIA is never presented as whole: outside the province of Utrecht most default
criteria have no data; every output that shows the SIA says which were skipped and their
share of the weight, and below half the weight the run stops unless the config allows it.
Source credits name only the sources used."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from cbs_fixtures import figures, geopackage_2023
from click.testing import CliRunner

from geoprestatie import _fork, completeness, pipeline
from geoprestatie.cli import main
from geoprestatie.config import load_config
from geoprestatie.errors import ConfigError, DataWarning
from geoprestatie.output import plots, write
from geoprestatie.output.summary import summary
from geoprestatie.sia import SiaConfig, default_config

#: The default set's weights (default_criteria.toml): only CBS's ownership share has data.
SKIPPED = {
    "leefbaarheid": 0.25,
    "gezamenlijk_bezit": 0.10,
    "energielabel_efg": 0.20,
    "warmtetransitie": 0.10,
    "verkoop": 0.10,
    "sociaal_economisch": 0.10,
}


def _enschede(tmp_path: Path, *, allow: bool) -> Path:
    """Enschede (province of Overijssel) from a CBS wijk- en buurtkaart 2023, default SIA."""
    geopackage_2023(tmp_path / "wijkenbuurten_2023_v1.gpkg", figures(n=12))
    cfg = tmp_path / "enschede.toml"
    cfg.write_text(
        '[project]\nnaam = "SIA Enschede"\nsynthetisch = false\n'
        '[buurten]\nbestand = "wijkenbuurten_2023_v1.gpkg"\nlaag = "buurten"\n'
        'gemeente = "Enschede"\n'
        f"[sia]\ntop_k = 3\n{'onvolledig_toestaan = true' if allow else ''}\n"
        "[sia.robustness]\ndraws = 40\n[uitvoer]\npdf = false\n",
        encoding="utf-8",
    )
    return cfg


def test_weight_shares_by_hand() -> None:
    config = default_config()
    scored = pd.DataFrame({"buurtcode": ["BU1"], "bijdrage_corporatiebezit": [10.0]})
    whole = completeness.sia_completeness(scored, config)
    assert {s.name: round(s.share, 6) for s in whole.skipped} == SKIPPED
    assert whole.present == pytest.approx(0.15)
    assert whole.short() == "Onvolledige SIA: 6 van 7 criteria overgeslagen (85 % van het gewicht)"
    assert "Lage leefbaarheid (Leefbaarometer) (25 %)" in whole.names()
    with pytest.raises(ConfigError, match="15 % van het gewicht") as err:
        completeness.check(whole, allow=False)
    assert "onvolledig_toestaan = true" in str(err.value)
    completeness.check(whole, allow=True)
    half = completeness.SiaCompleteness(0.5, whole.skipped[:1], 7)
    completeness.check(half, allow=False)  # exactly half is enough


def test_complete_sia_says_nothing() -> None:
    cfg = SiaConfig.from_dict(
        {
            "criteria": [
                {"name": "a", "label": "A", "column": "a", "direction": "higher", "weight": 1}
            ]
        }
    )
    whole = completeness.sia_completeness(pd.DataFrame({"bijdrage_a": [1.0]}), cfg)
    assert whole.complete and whole.text() == "" and whole.short() == ""


def test_hollow_run_stops_with_one_dutch_line(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main, ["run", str(_enschede(tmp_path, allow=False)), "--out", str(tmp_path / "uit")]
    )
    assert res.exit_code == 1
    errors = [line for line in res.output.splitlines() if line.startswith("Fout:")]
    assert len(errors) == 1
    assert "de SIA rust op maar 15 % van het gewicht" in errors[0]
    assert "leefbaarometer_score" in errors[0] and "onvolledig_toestaan" in errors[0]
    assert not (tmp_path / "uit" / "publiek").exists()


def test_hollow_sia_is_said_in_every_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = _enschede(tmp_path, allow=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        result = pipeline.run(load_config(cfg))
    whole = result.completeness
    assert not whole.complete and whole.present == pytest.approx(0.15)
    short = "Onvolledige SIA: 6 van 7 criteria overgeslagen (85 % van het gewicht)"
    # console, notebook repr and Jupyter view
    assert short in summary(result, [])
    assert "sia_onvolledig=85%" in repr(result)
    assert short in (result._repr_html_() or "")
    # the PNG subtitle (the writer hands the line to the plot)
    seen: dict[str, Any] = {}
    real = plots.sia_png

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(plots, "sia_png", spy)
    monkeypatch.setattr(_fork, "available", lambda: False)  # the spy sees calls made here
    out = tmp_path / "uit"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        pipeline.write_outputs(result, out)
    assert seen["incomplete"].startswith(short)
    fig = real(result.dia_result.buurten, incomplete=seen["incomplete"])
    assert any(short in t.get_text() for t in fig.texts)
    public = out / "publiek"
    report = (public / "rapport.html").read_text(encoding="utf-8")
    assert short in report and "Lage leefbaarheid (Leefbaarometer) (25 %)" in report
    assert "leefbaarometer_score" in report  # why: the column has no value
    sia_map = (public / "sia.html").read_text(encoding="utf-8")
    assert short in sia_map
    # only the sources used are credited (no Leefbaarometer data in this run)
    assert "Leefbaarometer 3.0" not in sia_map
    bronnen = report[report.index('id="bronnen"') :]
    assert "Leefbaarometer 3.0" not in bronnen
    # the tables: a column in sia.csv and the explanation in the workbook
    sia = pd.read_csv(public / "sia.csv", sep=";", decimal=",")
    assert "sia_gewicht_aanwezig" in sia.columns
    toelichting = pd.read_excel(public / "tabellen.xlsx", sheet_name="Toelichting", header=None)
    assert toelichting.astype(str).apply(lambda c: c.str.contains(short, regex=False)).any().any()
    assert write  # the writer module is the one patched above
