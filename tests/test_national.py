"""A small national-shaped set (benchmarks/national.py) runs through the whole pipeline."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from geoprestatie import config, pipeline

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "national.py"


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory):
    spec = importlib.util.spec_from_file_location("national", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["national"] = module
    spec.loader.exec_module(module)
    return module


def test_generator_is_national_shaped(national) -> None:
    import numpy as np

    sizes = national.Sizes(buurten=400, dwellings=4000, sales=100, gemeenten=12, corporations=8)
    buurten = national.make_buurten(sizes, np.random.default_rng(1))
    assert len(buurten) == 400
    assert buurten["buurtcode"].is_unique
    assert buurten["buurtcode"].str.fullmatch(r"BU\d{8}").all()
    # the buurten tile the outline: no gaps, no overlaps (areas add up)
    assert buurten.area.sum() == pytest.approx(national.outline().area, rel=1e-6)
    assert buurten["gemeentecode"].nunique() == 12
    # codes nest: BU code starts with its wijk code digits, wijk with its gemeente
    assert (buurten["buurtcode"].str[2:8] == buurten["wijkcode"].str[2:8]).all()
    assert (buurten["wijkcode"].str[2:6] == buurten["gemeentecode"].str[2:6]).all()


# no heat plans and no CBS socio-economic score in the synthetic set: those criteria are skipped
@pytest.mark.filterwarnings("ignore:.*overgeslagen.*:geoprestatie.errors.DataWarning")
def test_small_national_run_accounts_for_every_record(national, tmp_path: Path) -> None:
    sizes = national.Sizes(buurten=300, dwellings=6000, sales=200, gemeenten=10, corporations=6)
    path = national.generate(tmp_path, sizes, raster=False)
    result = pipeline.run(config.load_config(path))
    result.joined.report.check()
    stock = next(s for s in result.joined.report.sources if s.bron == "voorraad")
    assert stock.gelezen == 6000
    assert stock.gekoppeld >= 5900
    assert result.prioritised["sia_geschikt"].sum() > 0
    assert result.monitor is not None and len(result.monitor.table) == 2
