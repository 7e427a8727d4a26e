"""The GeoPackage opens styled in QGIS (output/gpkg.py, output/_qml.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from xml.etree import ElementTree as ET

import geopandas as gpd
import pytest

from geoprestatie import pipeline
from geoprestatie.config import RunConfig, demo_config
from geoprestatie.errors import DataWarning
from geoprestatie.output._mapdata import COLOUR_NOT_ELIGIBLE, classify, palette
from geoprestatie.output.gpkg import write_gpkg


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pipeline.RunResult]:
    base = demo_config()
    tables = dict(base.tables)
    tables["sia"] = {**tables.get("sia", {}), "robustness": {"draws": 100}}
    with pytest.warns(DataWarning):
        result = pipeline.run(RunConfig(tables, source=None))
    folder = tmp_path_factory.mktemp("gpkg")
    (path,) = write_gpkg(result, folder)
    return path, result


def _styles(path: Path) -> dict[str, tuple[str, int, str]]:
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT f_table_name, styleQML, useAsDefault, f_geometry_column FROM layer_styles"
        ).fetchall()
    return {name: (qml, default, column) for name, qml, default, column in rows}


def _root(qml: str) -> ET.Element:
    assert qml.startswith("<!DOCTYPE qgis")
    return ET.fromstring(qml.split("\n", 1)[1])


def test_every_layer_has_a_default_style_and_description(gpkg: tuple) -> None:
    path, _ = gpkg
    with sqlite3.connect(path) as con:
        contents = dict(con.execute("SELECT table_name, description FROM gpkg_contents"))
        geometry = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
    styles = _styles(path)
    layers = {"buurttabel", "sia", "dia", "prognose"}
    assert layers <= set(styles) and layers <= set(geometry)
    for layer in layers:
        qml, default, column = styles[layer]
        assert default == 1 and column == geometry[layer]
        assert contents[layer] and "synthetisch" in contents[layer]
        root = _root(qml)
        assert root.find("renderer-v2").get("type") == "RuleRenderer"
        assert root.findall("renderer-v2/rules/rule")


def test_aliases_are_dutch_for_every_field(gpkg: tuple) -> None:
    path, _ = gpkg
    for layer, (qml, _, _) in _styles(path).items():
        fields = [c for c in gpd.read_file(path, layer=layer, rows=1).columns if c != "geometry"]
        aliases = {a.get("field"): a.get("name") for a in _root(qml).iter("alias")}
        assert set(aliases) == set(fields), layer
        assert all(name and "_" not in name for name in aliases.values()), layer


def test_sia_style_has_the_web_map_classes(gpkg: tuple) -> None:
    path, result = gpkg
    scored = result.dia_result.buurten
    score = scored["sia_score"].where(scored["sia_geschikt"].astype(bool))
    classes = classify(score, scheme="quantiles", k=5)
    colours = palette("YlOrRd", len(classes.labels))
    root = _root(_styles(path)["sia"][0])
    rules = root.findall("renderer-v2/rules/rule")
    labels = [r.get("label") for r in rules]
    assert labels[: len(classes.labels)] == list(classes.labels)
    fills = {
        s.get("name"): next(o.get("value") for o in s.iter("Option") if o.get("name") == "color")
        for s in root.iter("symbol")
    }

    def rgb(hex_colour: str) -> str:
        h = hex_colour.lstrip("#")
        return ",".join(str(int(h[i : i + 2], 16)) for i in (0, 2, 4)) + ",255"

    for rule, colour in zip(rules, colours, strict=False):
        assert fills[rule.get("symbol")] == rgb(colour)
    grey = next(r for r in rules if r.get("label").startswith("niet geschikt"))
    assert fills[grey.get("symbol")] == rgb(COLOUR_NOT_ELIGIBLE)


def test_buurt_layers_carry_every_buurt(gpkg: tuple) -> None:
    path, result = gpkg
    for layer in ("buurttabel", "sia", "prognose"):
        assert len(gpd.read_file(path, layer=layer)) == len(result.buurten), layer


def test_dwelling_layer_has_no_rtree_the_buurt_layers_have_one(gpkg: tuple, tmp_path: Path) -> None:
    _, result = gpkg
    (path,) = write_gpkg(result, tmp_path, dwellings=True)
    with sqlite3.connect(path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        description = con.execute(
            "SELECT description FROM gpkg_contents WHERE table_name = 'woningen'"
        ).fetchone()[0]
        n = con.execute("SELECT COUNT(*) FROM woningen").fetchone()[0]
    stock = result.joined.stock
    assert n == int((stock["x"].notna() & stock["y"].notna()).sum()) > 0
    assert not any(t.startswith("rtree_woningen") for t in tables)
    assert {"rtree_buurttabel_geom", "rtree_sia_geom"} <= tables
    assert "Zonder ruimtelijke index" in description


def test_a_layer_written_in_parts_equals_one_written_at_once(
    gpkg: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geoprestatie.output import gpkg as gpkg_module

    _, result = gpkg
    (tmp_path / "heel").mkdir()
    (tmp_path / "delen").mkdir()
    (whole,) = write_gpkg(result, tmp_path / "heel", dwellings=True)
    monkeypatch.setattr(gpkg_module, "_ROWS_PER_WRITE", 5_000)
    (parts,) = write_gpkg(result, tmp_path / "delen", dwellings=True)
    for layer in ("woningen", "buurttabel", "prognose"):
        a, b = gpd.read_file(whole, layer=layer), gpd.read_file(parts, layer=layer)
        assert a.equals(b), layer
    assert len(gpd.read_file(parts, layer="woningen")) > 3 * 5_000  # written in 4 parts
    with sqlite3.connect(parts) as con:
        description = con.execute(
            "SELECT description FROM gpkg_contents WHERE table_name = 'woningen'"
        ).fetchone()[0]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "Zonder ruimtelijke index" in description
    assert not any(t.startswith("rtree_woningen") for t in tables)
    assert "rtree_buurttabel_geom" in tables


def test_points_written_from_their_coordinates_equal_to_file(
    gpkg: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dwelling layer's WKB is made from the coordinates (``point_wkb``): the layer
    reads back as the one ``to_file`` writes (fields, types, CRS, rows, geometry)."""
    import pyogrio

    from geoprestatie.output import gpkg as gpkg_module

    _, result = gpkg
    (tmp_path / "snel").mkdir()
    (tmp_path / "to_file").mkdir()
    (fast,) = write_gpkg(result, tmp_path / "snel", dwellings=True)
    monkeypatch.setattr(gpkg_module, "point_wkb", lambda geometry: None)
    (plain,) = write_gpkg(result, tmp_path / "to_file", dwellings=True)
    a, b = pyogrio.read_info(fast, layer="woningen"), pyogrio.read_info(plain, layer="woningen")
    for key in ("fields", "dtypes", "geometry_type", "features", "crs", "layer_metadata"):
        assert str(a[key]) == str(b[key]), key
    read = [gpd.read_file(p, layer="woningen") for p in (fast, plain)]
    assert read[0].equals(read[1])
    assert fast.read_bytes() == plain.read_bytes()


def test_prognosis_layer_shows_a_hidden_stand_as_empty_not_zero() -> None:
    """A stand the publication policy hid (NA, marked in ``attrs["onderdrukt"]``) is empty
    in the layer, as in prognose.csv and on the map: it was summed as 0, so the layer showed
    a stock of 0 and a change of -10 where the truth was 1 and -1."""
    import pandas as pd
    from shapely.geometry import box

    from geoprestatie.output.gpkg import prognosis_layer

    prog = pd.DataFrame(
        {
            "corporatie": ["alle corporaties"] * 4,
            "buurtcode": ["B1", "B1", "B2", "B2"],
            "jaar": [2025, 2026, 2025, 2026],
            "beginstand": pd.array([10, pd.NA, pd.NA, pd.NA], dtype="Int64"),
            "sloop": pd.array([pd.NA, 0, 0, 0], dtype="Int64"),
            "eindstand": pd.array([pd.NA, pd.NA, pd.NA, pd.NA], dtype="Int64"),
        }
    )
    hidden = prog.isna()
    prog.attrs["onderdrukt"] = hidden
    buurten = gpd.GeoDataFrame(
        {"buurtcode": ["B1", "B2"], "buurtnaam": ["Een", "Twee"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs=28992,
    )
    layer = prognosis_layer(prog, buurten)
    assert layer is not None
    figures = layer.drop(columns=["buurtcode", "buurtnaam", "geometry", "niet_getoond"])
    assert not (figures == 0).any().any(), figures.to_dict("records")
    assert figures.loc[layer["buurtcode"] == "B2"].isna().all().all()


def test_the_dwelling_layer_has_the_joined_dwellings_at_their_coordinates(
    gpkg: tuple, tmp_path: Path
) -> None:
    """The joined stock keeps its dwellings' locations as ``x``/``y`` (no point object per
    dwelling: 0.5 GB at national size); the ``woningen`` layer draws them as points there,
    with the attributes and without ``x``/``y`` fields."""
    import pyogrio

    _, result = gpkg
    stock = result.joined.stock
    assert not isinstance(stock, gpd.GeoDataFrame) and "geometry" not in stock
    (path,) = write_gpkg(result, tmp_path, dwellings=True)
    layer = pyogrio.read_dataframe(path, layer="woningen")
    located = stock[stock["x"].notna() & stock["y"].notna()].reset_index(drop=True)
    assert layer["vhe_id"].tolist() == located["vhe_id"].astype(str).tolist()
    assert layer.geometry.x.tolist() == located["x"].tolist()
    assert layer.geometry.y.tolist() == located["y"].tolist()
    assert "x" not in layer.columns and "y" not in layer.columns
    assert layer.crs.to_epsg() == 28992


def test_qgis_tells_a_hidden_prognosis_from_none() -> None:
    """The public GeoPackage's prognosis style labelled the buurten whose figures the
    publication hid "geen prognose" (13 of them in the demo), where the PNG and the web map
    say "× niet getoond (privacy)"."""
    import pandas as pd
    from shapely.geometry import box

    from geoprestatie.output import gpkg as gp

    prog = pd.DataFrame(
        {"corporatie": ["A"] * 4, "buurtcode": ["B1", "B1", "B2", "B2"],
         "jaar": [2025, 2026, 2025, 2026], "beginstand": pd.array([10, 12, 3, 3], dtype="Int64"),
         "nieuwbouw": pd.array([2, 0, 0, 0], dtype="Int64"),
         "eindstand": pd.array([12, 12, 3, 3], dtype="Int64")}
    )  # fmt: skip
    hidden = pd.DataFrame(False, index=prog.index, columns=prog.columns)
    hidden.loc[[2, 3], ["beginstand", "eindstand"]] = True
    prog[["beginstand", "eindstand"]] = prog[["beginstand", "eindstand"]].mask(hidden)
    prog.attrs["onderdrukt"] = hidden
    buurten = gpd.GeoDataFrame(
        {"buurtcode": ["B1", "B2", "B3"], "buurtnaam": ["Een", "Twee", "Drie"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
        crs=28992,
    )
    layer = gp.prognosis_layer(prog, buurten)
    assert layer is not None and "niet_getoond" in layer
    assert layer["niet_getoond"].astype("boolean").fillna(False).tolist() == [False, True, False]
    rules = {r.label: r.expression for r in gp._prognosis_rules(layer)}
    assert rules.get("× niet getoond (privacy)") == '"niet_getoond"' and "geen prognose" in rules


def test_points_in_one_gdal_call_without_fsync(
    gpkg: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dwelling layer is fed to GDAL part by part in one call (not one call, file
    open and commit per part), with SQLite's fsync off while GDAL writes and the
    setting as it was after."""
    import pyogrio

    from geoprestatie.output import gpkg as gpkg_module

    _, result = gpkg
    calls: list[object] = []
    real = pyogrio.write_arrow

    def spy(*args: object, **kwargs: object) -> None:
        calls.append(pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS"))
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gpkg_module.pyogrio, "write_arrow", spy)
    monkeypatch.setattr(gpkg_module, "_ROWS_PER_WRITE", 5_000)
    before = pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS")
    (path,) = write_gpkg(result, tmp_path, dwellings=True)
    assert calls == [False]  # pyogrio reads "OFF" back as False
    assert pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS") == before
    stock = result.joined.stock
    n = int((stock["x"].notna() & stock["y"].notna()).sum())
    assert n > 3 * 5_000
    assert pyogrio.read_info(path, layer="woningen")["features"] == n
