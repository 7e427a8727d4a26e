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
