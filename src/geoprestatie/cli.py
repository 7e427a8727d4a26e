"""Command-line interface: one subcommand per stage, each a thin call into the library."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from geoprestatie import __version__
from geoprestatie.errors import DataWarning, GeoprestatieError


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn user-fixable errors into one clear line and data warnings into notes."""
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataWarning)
            yield
    except GeoprestatieError as exc:
        raise click.ClickException(str(exc)) from None
    except FileNotFoundError as exc:
        raise click.ClickException(f"file not found: {exc.filename or exc}") from None
    finally:
        # re-emitted only after the recording context is closed
        for w in caught:
            if issubclass(w.category, DataWarning):
                click.echo(f"Let op: {w.message}", err=True)
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _handled(func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _user_errors():
            return func(*args, **kwargs)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geoprestatie")
def main() -> None:
    """geoprestatie: data, priorities (SIA/DIA), prognoses and agreement monitoring
    per CBS buurt for Dutch housing performance agreements (prestatieafspraken)."""


@main.command()
@click.option(
    "--gemeente",
    default=None,
    help="Municipality name or GM code (case-insensitive); default: all in the file.",
)
@click.option(
    "--buurten",
    "buurten_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A CBS wijk- en buurtkaart file (GPKG, SHP, GeoJSON); default: embedded CBS 2022.",
)
@click.option("--layer", default=None, help="Layer in a multi-layer file.")
@click.option("--crs", default=None, help="CRS to assume when the file has none, e.g. EPSG:28992.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("maps/buurten.html"),
    show_default=True,
    help="HTML file to write.",
)
@_handled
def buurten(
    gemeente: str | None, buurten_file: Path | None, layer: str | None, crs: str | None, out: Path
) -> None:
    """Write an interactive map of CBS buurten (tooltips with name and code)."""
    from geoprestatie import datasets, maps
    from geoprestatie._atomic import write_text
    from geoprestatie.sources import read_buurten

    if buurten_file is None:
        gdf = datasets.load_buurten(gemeente)
    else:
        gdf = read_buurten(buurten_file, layer=layer, gemeente=gemeente, crs=crs)
    title = f"Buurten {gemeente}" if gemeente else "Buurten"
    m = maps.buurten_map(gdf, title=title)
    write_text(out, m.get_root().render())
    n_gem = gdf["gemeentecode"].nunique()
    click.echo(f"{len(gdf)} buurten in {n_gem} gemeente(n) -> {out}")


def _write_table(frame: Any, target: Path) -> Path:
    """Write a (Geo)DataFrame atomically: GPKG (one layer, named after the file) or CSV."""
    from geoprestatie._atomic import atomic_path

    with atomic_path(target) as tmp:
        if target.suffix == ".gpkg":
            tmp.unlink()  # GDAL creates the GeoPackage itself
            frame.to_file(tmp, layer=target.stem, driver="GPKG")
        else:
            plain = frame.drop(columns="geometry") if "geometry" in frame.columns else frame
            plain.to_csv(tmp, index=False)
    return target


def _read_dia_set(path: Path) -> Any:
    import geopandas as gpd
    import pandas as pd

    if path.suffix.lower() == ".csv":
        return pd.read_csv(path, dtype=str)
    return gpd.read_file(path)


@main.command()
@click.option(
    "--tabel",
    "table_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help="Buurt table (GPKG or other vector file), one row per buurt.",
)
@click.option("--layer", default=None, help="Layer in a multi-layer file.")
@click.option(
    "--criteria",
    "criteria_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="TOML with [sia] criteria and [dia] settings; default: the shipped default set.",
)
@click.option(
    "--vorige-dia",
    "previous",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="An earlier dia_gebieden.gpkg/.csv (or buurtcode,dia_id CSV) to compare with.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("uitvoer/sia"),
    show_default=True,
    help="Output folder.",
)
@_handled
def sia(
    table_file: Path,
    layer: str | None,
    criteria_file: Path | None,
    previous: Path | None,
    out: Path,
) -> None:
    """Prioritise buurten (SIA) and delineate investment areas (DIA).

    Writes sia_buurten (scores, ranks, contributions, robustness, DIA per buurt),
    dia_gebieden (dissolved DIAs with aggregates) as GPKG and CSV, the one-at-a-time
    weight sweep and, with --vorige-dia, the comparison with the earlier DIAs.
    """
    import geopandas as gpd

    from geoprestatie import dia as dia_mod
    from geoprestatie import sia as sia_mod
    from geoprestatie._validate import to_rd_new

    if criteria_file is None:
        criteria_file = sia_mod.DEFAULT_CRITERIA_TOML
    sia_cfg = sia_mod.SiaConfig.from_toml(criteria_file)
    dia_cfg = dia_mod.DiaConfig.from_toml(criteria_file)
    table = to_rd_new(gpd.read_file(table_file, layer=layer), source=table_file)
    prioritised = sia_mod.prioritise(table, sia_cfg)
    result = dia_mod.delineate(prioritised, dia_cfg)
    sweep = sia_mod.weight_sweep(table, sia_cfg)

    written = [
        _write_table(result.buurten, out / "sia_buurten.gpkg"),
        _write_table(result.buurten, out / "sia_buurten.csv"),
        _write_table(result.areas, out / "dia_gebieden.csv"),
        _write_table(sweep, out / "sia_gewichtsgevoeligheid.csv"),
    ]
    if len(result.areas):
        written.append(_write_table(result.areas, out / "dia_gebieden.gpkg"))
    if previous is not None:
        cmp = dia_mod.compare_dia(_read_dia_set(previous), result)
        written.append(_write_table(cmp, out / "dia_vergelijking.csv"))

    b = result.buurten
    click.echo(
        f"{int(b['sia_geschikt'].sum())} van {len(b)} buurten geschikt; "
        f"{int(b['robuust'].sum())} robuust in de top {prioritised.attrs['top_k']} "
        f"({sia_cfg.robustness.draws} trekkingen); {len(result.areas)} DIA('s)"
    )
    for note in result.notes:  # skipped criteria are reported as DataWarnings by sia.score
        click.echo(f"Let op: DIA: {note}", err=True)
    for path in written:
        click.echo(f"-> {path}")
