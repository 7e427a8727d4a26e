"""Command-line interface: one subcommand per stage, each a thin call into the library.

Everything printed is Dutch (help with an example per command, progress, warnings,
errors); shared words come from :mod:`geoprestatie.teksten`, click's own words (``Usage:``,
``Missing argument`` …) from :mod:`geoprestatie._click_nl` during each call of ``main``.
Default output folders follow one convention: ``uitvoer/`` for ``run`` and
``uitvoer/<onderdeel>/`` for a single stage, with the same file names as ``run`` writes.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import re
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from geoprestatie._click_nl import dutch_click
from geoprestatie._version import __version__
from geoprestatie.errors import DataWarning, GeoprestatieError
from geoprestatie.teksten import LET_OP

#: What a terminal would act on rather than show: C0 and C1 control characters but the
#: newline and tab (ESC starts colour, title and clipboard sequences; CR overwrites the
#: line) and the bidirectional overrides that reorder what is shown.
_TERMINAL_CONTROLS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def terminal_text(text: str) -> str:
    r"""``text`` as the console shows it: every control character a terminal would act on
    written as its escape (names and texts come from input files: a buurt name, an
    agreement's text).

    Examples
    --------
    >>> print(terminal_text("Rood: A1 \x1b]52;c;cm0gLXJm\x07 tekst\u202etxt.exe\nvolgende"))
    Rood: A1 \x1b]52;c;cm0gLXJm\x07 tekst\u202etxt.exe
    volgende
    """

    def escaped(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _TERMINAL_CONTROLS.sub(escaped, text)


def _echo(message: object = None, **kwargs: Any) -> None:
    """``click.echo`` of console text (:func:`terminal_text`)."""
    click.echo(None if message is None else terminal_text(str(message)), **kwargs)


_HELP = "Toon deze uitleg en stop."
_OPTIONS_METAVAR = "[OPTIES]"

#: Placeholders of option values in the help (click: TEXT, INTEGER, FLOAT, FILE …).
_METAVARS = {
    "text": "TEKST",
    "integer": "GETAL",
    "float": "GETAL",
    "file": "BESTAND",
    "directory": "MAP",
    "path": "PAD",
}
#: Names of click's path kinds in messages ("Bestand 'x' bestaat niet.").
_PATH_NAMES = {"file": "bestand", "directory": "map", "path": "pad"}


class _Int(click.types.IntParamType):
    name = "geheel getal"  # "'x' is geen geldig geheel getal."


class _Float(click.types.FloatParamType):
    name = "getal"


def _dutch_metavars(params: list[click.Parameter]) -> None:
    """Dutch placeholders (``--gemeente TEKST``) and type names in click's messages.

    Click names a path kind when the option is declared (at import, in English); every
    ``click.Path`` is the option's own object, so it is renamed here. ``int`` and ``float``
    are click's shared types and are replaced by Dutch-named ones.
    """
    for param in params:
        english = param.type.name
        if type(param.type) is click.types.IntParamType:
            param.type = _Int()
        elif type(param.type) is click.types.FloatParamType:
            param.type = _Float()
        if isinstance(param.type, click.Path):
            param.type.name = _PATH_NAMES.get(english, english)
        if isinstance(param, click.Option) and param.metavar is None and not param.is_flag:
            name = _METAVARS.get(english)
            if name is not None:
                param.metavar = name


class _Command(click.Command):
    """A command whose --help option, usage line and placeholders are Dutch."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", _OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)
        _dutch_metavars(self.params)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _HELP
        return option


class _Group(_Command, click.Group):
    """The command group: Dutch --help and usage, every subcommand a :class:`_Command`,
    and click's own words in Dutch while it runs (:func:`geoprestatie._click_nl.dutch_click`).
    """

    command_class = _Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "OPDRACHT [ARGUMENTEN]...")
        super().__init__(*args, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run a command. As the program (arguments from ``sys.argv``), the objects left at
        the end are frozen (:func:`gc.freeze`): the interpreter's exit then frees them
        without walking them for cycles (0.3 s after the demo run; the memory goes back to
        the system with the process)."""
        program = not args and "args" not in kwargs
        try:
            with dutch_click():
                return super().main(*args, **kwargs)
        finally:
            if program:
                gc.freeze()


class Fout(click.ClickException):
    """A user-fixable error: one Dutch line ``Fout: …`` on stderr, exit code 1."""

    def show(self, file: Any = None) -> None:
        _echo(f"Fout: {self.format_message()}", err=True)


class _Afgebroken(Fout):
    """Interrupted (Ctrl-C, SIGTERM): one line, exit code 130 as shells expect."""

    exit_code = 130


#: What an operating-system error means for the user, by errno (the rest: its own text).
_OS_REASONS = {
    errno.ENOSPC: "de schijf is vol; maak ruimte vrij of kies met --out een andere schijf",
    errno.EDQUOT: "het schijfquotum is op; maak ruimte vrij of kies een andere map",
    errno.ENAMETOOLONG: "het pad is te lang voor dit bestandssysteem; kies een kortere map",
    errno.EACCES: "geen toegang (rechten); kies een map of bestand waar u rechten op heeft",
    errno.EPERM: "geen toegang (rechten); kies een map of bestand waar u rechten op heeft",
    errno.EROFS: "het bestandssysteem is alleen-lezen; kies met --out een andere map",
    errno.EISDIR: "dit is een map; geef een bestand op",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EMFILE: "te veel open bestanden; sluit andere programma's of verhoog de limiet",
    errno.ENFILE: "te veel open bestanden op dit systeem; probeer het later opnieuw",
    errno.ENOMEM: "te weinig geheugen; sluit andere programma's of neem minder gegevens",
    errno.EIO: "lees- of schrijffout van het apparaat; controleer de schijf",
    errno.ELOOP: "het pad verwijst in een kring naar zichzelf (symbolische koppelingen)",
    errno.EBUSY: "het bestand is in gebruik; sluit het in het andere programma",
    errno.EPIPE: "de uitvoer werd afgesloten (pijp gesloten)",
}


def _os_text(exc: OSError) -> str:
    """One Dutch line for an operating-system error: file, reason, how to go on."""
    where = exc.filename if exc.filename is not None else None
    reason = _OS_REASONS.get(exc.errno or -1)
    if reason is None:
        code = errno.errorcode.get(exc.errno or -1, "")
        detail = exc.strerror or str(exc) or type(exc).__name__
        reason = f"systeemfout {code} ({detail})".replace(" ()", "") if code else detail
    return f"{where}: {reason}" if where else reason


def _internal_text(exc: BaseException) -> str:
    """One line for an unexpected error (a bug): what, where, and that it is ours."""
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" in {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
    text = " ".join(str(exc).split())[:300]
    return (
        f"onverwachte fout ({type(exc).__name__}{': ' + text if text else ''}){where}. "
        "Dit is een fout in geoprestatie, niet in uw gegevens: meld deze regel aan de beheerders"
    )


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn every error into one clear Dutch line and a non-zero exit (never a traceback);
    print data warnings as they happen.

    Our own errors (bad input or config) keep their text; resource and environment errors
    (a full or read-only disk, a too-long path, no memory, Ctrl-C) say what happened and
    what to do; anything else is reported as a bug in one line.
    """
    original = warnings.showwarning

    def show(message: Any, category: Any, filename: Any, lineno: Any, *args: Any) -> None:
        if issubclass(category, DataWarning):
            _echo(f"{LET_OP} {message}", err=True)
        else:
            original(message, category, filename, lineno, *args)

    with warnings.catch_warnings():
        warnings.simplefilter("always", DataWarning)
        warnings.showwarning = show  # type: ignore[assignment]
        try:
            yield
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except GeoprestatieError as exc:
            raise Fout(str(exc)) from None
        except FileNotFoundError as exc:
            raise Fout(f"bestand niet gevonden: {exc.filename or exc}") from None
        except MemoryError:
            raise Fout(
                "te weinig geheugen voor deze run; sluit andere programma's, neem minder "
                "buurten of minder trekkingen ([sia.robustness] draws)"
            ) from None
        except OSError as exc:
            raise Fout(_os_text(exc)) from None
        except KeyboardInterrupt:
            raise _Afgebroken(
                "afgebroken; er is geen halve uitvoer achtergebleven (de vorige uitvoer staat "
                "er nog)"
            ) from None
        except Exception as exc:
            raise Fout(_internal_text(exc)) from None


def _handled(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command inside :func:`_user_errors` (every command is; a test checks it)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _user_errors():
            return func(*args, **kwargs)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    wrapper.handled = True  # type: ignore[attr-defined]
    return wrapper


def _buurten_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options that choose the buurten, shared by every command that needs them."""
    options = (
        click.option(
            "--buurten",
            "buurten_file",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Een CBS wijk- en buurtkaart (GPKG, SHP, GeoJSON; 2018 of later); "
            "standaard de ingebouwde CBS-buurten 2022.",
        ),
        click.option(
            "--gemeente",
            default=None,
            help="Gemeentenaam of GM-code (hoofdletters maken niet uit); standaard alle buurten.",
        ),
        click.option("--layer", default=None, help="Laag in een buurtenbestand met meer lagen."),
        click.option(
            "--crs",
            default=None,
            help="Coördinatenstelsel als het buurtenbestand er geen heeft, bijv. EPSG:28992.",
        ),
    )
    for option in reversed(options):
        func = option(func)
    return func


def _load_buurten(
    buurten_file: Path | None, gemeente: str | None, layer: str | None, crs: str | None
) -> Any:
    """The buurten chosen by :func:`_buurten_options`."""
    from geoprestatie import datasets
    from geoprestatie.sources import read_buurten

    if buurten_file is None:
        return datasets.load_buurten(gemeente)
    return read_buurten(buurten_file, layer=layer, gemeente=gemeente, crs=crs)


@click.group(
    cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(
    __version__,
    prog_name="geoprestatie",
    message="%(prog)s versie %(version)s",
    help="Toon de versie en stop.",
)
def main() -> None:
    """geoprestatie: gegevens, prioriteiten (SIA/DIA), prognoses en de monitor van
    prestatieafspraken per CBS-buurt.

    \b
    Begin met de demo (Amersfoort, synthetische corporatiegegevens):
        geoprestatie run
    Uw eigen gegevens: schrijf een voorbeeldconfiguratie en pas de bestandsnamen aan:
        geoprestatie init mijn_project.toml
        geoprestatie run mijn_project.toml

    Elke stap heeft ook een eigen opdracht (hieronder); 'geoprestatie OPDRACHT --help' geeft
    de uitleg en een voorbeeld. Uitvoer komt standaard in uitvoer/ (run) of
    uitvoer/<opdracht>/.
    """


def _file_option(*names: str, **kwargs: Any) -> Callable[..., Any]:
    """An option naming one input file (none by default); ``kwargs`` as for click.option."""
    return click.option(
        *names, type=click.Path(dir_okay=False, path_type=Path), default=None, **kwargs
    )


def _out_option(default: str, what: str) -> Callable[..., Any]:
    """The ``--out`` option of every command: one default convention (``uitvoer/...``)."""
    return click.option(
        "--out",
        type=click.Path(file_okay=not default.endswith("/"), path_type=Path),
        default=Path(default.rstrip("/")),
        show_default=True,
        help=what,
    )


def _csv(frame: Any, target: Path) -> Path:
    """Write a table as CSV in the Dutch Excel dialect, atomically."""
    from geoprestatie._atomic import atomic_path
    from geoprestatie.output._sheets import write_csv

    with atomic_path(target) as tmp:
        write_csv(frame, tmp)
    return target


def _gpkg(layers: dict[str, Any], target: Path) -> Path:
    """Write (Geo)DataFrames as layers of one GeoPackage, atomically."""
    from geoprestatie._atomic import atomic_path

    with atomic_path(target) as tmp:
        tmp.unlink()  # GDAL creates the GeoPackage itself
        for name, frame in layers.items():
            frame.to_file(tmp, layer=name, driver="GPKG")
    return target


def _publication_options(what: str) -> Callable[..., Any]:
    """``--min-woningen`` and ``--force`` of the commands that write publiek/ and intern/."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option(
            "--force", is_flag=True, help=f"Overschrijf de uitvoer van een eerdere {what}."
        )(func)
        return click.option(
            "--min-woningen",
            "min_woningen",
            type=click.IntRange(min=0),
            metavar="AANTAL",
            default=5,
            show_default=True,
            help="Privacy in publiek/: aantallen van minder woningen worden niet getoond "
            "(als [uitvoer] min_woningen van `run`).",
        )(func)

    return decorate


def _policy(min_woningen: int) -> Any:
    """The publication policy of ``--min-woningen`` (a warning below the default)."""
    from geoprestatie import publication

    if min_woningen < publication.DEFAULT_MIN_DWELLINGS:
        warnings.warn(
            f"--min-woningen {min_woningen}: de openbare uitvoer toont cijfers van minder dan "
            f"{publication.DEFAULT_MIN_DWELLINGS} woningen (privacy: openbaar, tenzij)",
            DataWarning,
            stacklevel=2,
        )
    return publication.PublicationPolicy(min_woningen=min_woningen)


def _write_set(
    out: Path,
    public: Callable[[Path], list[Path]],
    internal: Callable[[Path], list[Path]],
    *,
    force: bool,
    inputs: list[Path],
    min_woningen: int,
) -> list[Path]:
    """``publiek/``, ``intern/`` and ``run.json`` as one transaction (as `run` writes)."""
    from geoprestatie.output.files import write_output_set

    return write_output_set(
        out,
        public=public,
        internal=internal,
        force=force,
        inputs=inputs,
        meta={"min_woningen": min_woningen},
    )


def _check_out(out: Path, force: bool, inputs: list[Path]) -> None:
    """Refuse an earlier output (without --force) before the heavy work."""
    from geoprestatie.output.files import check_output_folder

    check_output_folder(out, force=force, inputs=inputs)


@main.command()
@_buurten_options
@_out_option("uitvoer/buurten.html", "Het HTML-bestand dat wordt geschreven.")
@_handled
def buurten(
    buurten_file: Path | None, gemeente: str | None, layer: str | None, crs: str | None, out: Path
) -> None:
    """Kaart van de CBS-buurten (naam en code bij elke buurt).

    \b
    Voorbeeld:
        geoprestatie buurten --gemeente Enschede
    """
    from geoprestatie._atomic import write_text
    from geoprestatie.output import maps

    gdf = _load_buurten(buurten_file, gemeente, layer, crs)
    title = f"Buurten {gemeente}" if gemeente else "Buurten"
    m = maps.buurten_map(gdf, title=title)
    write_text(out, m.get_root().render())
    n_gem = gdf["gemeentecode"].nunique()
    _echo(f"{len(gdf)} buurten in {n_gem} gemeente(n) -> {out}")


@main.command()
@_file_option(
    "--beginstand",
    "start_file",
    required=True,
    help="Beginvoorraad (CSV/XLSX): corporatie, [buurtcode], aantal, [peildatum].",
)
@_file_option(
    "--plannen",
    "plans_file",
    required=True,
    help="Mutatieplannen (CSV/XLSX): corporatie, jaar, mutatie, aantal, [buurtcode, "
    "zekerheid, tijdelijk].",
)
@click.option(
    "--scenario",
    type=click.Choice(["hard", "zacht", "alles"]),
    default=None,
    help="hard (standaard); zacht = hard + zacht; alles = hard + zacht + ambitie.",
)
@_file_option(
    "--config",
    "config_file",
    help="TOML met een tabel [prognose]: scenario, eindjaar, huurstijging, "
    "[[prognose.doelen]], [prognose.huurgrenzen.<jaar>]. Opties op de opdrachtregel winnen.",
)
@_file_option(
    "--voorraad",
    "stock_file",
    help="Voorraadbestand (CSV/XLSX/GPKG, één rij per woning, met huurprijs; als bij `join`) "
    "voor de prognose per huurklasse.",
)
@click.option(
    "--peildatum", default=None, help="Datum van de beginvoorraad als het bestand er geen heeft."
)
@click.option(
    "--eindjaar", type=int, default=None, help="Laatste jaar (standaard: laatste planjaar)."
)
@_publication_options("prognose")
@_buurten_options
@_out_option("uitvoer/prognose/", "Uitvoermap (publiek/, intern/ en run.json).")
@_handled
def prognose(
    start_file: Path,
    plans_file: Path,
    scenario: str | None,
    config_file: Path | None,
    stock_file: Path | None,
    peildatum: str | None,
    eindjaar: int | None,
    min_woningen: int,
    force: bool,
    buurten_file: Path | None,
    gemeente: str | None,
    layer: str | None,
    crs: str | None,
    out: Path,
) -> None:
    """Voorraadprognose per corporatie (en buurt) per jaar uit de mutatieplannen.

    Schrijft zoals `run` intern/ (prognose.csv, prognose_samenvatting.csv, doelen.csv met
    doelen uit --config, huurklassen.csv met --voorraad, tabellen.xlsx: dezelfde tabellen
    plus per corporatie en totaal, met Toelichting) en publiek/ (prognose.csv per buurt over
    alle corporaties, prognose_samenvatting.csv en tabellen.xlsx met die twee, kleine en
    af te leiden aantallen niet getoond; als er buurtcodes zijn één kaart per jaar in
    kaarten/). Geef `geoprestatie monitor --prognose` de intern/prognose.csv.

    \b
    Voorbeeld (synthetisch, met de echte plantotalen van Amersfoort 2022-2023):
        geoprestatie prognose --beginstand data/demo/beginstand_amersfoort.csv \\
            --plannen data/demo/plannen_amersfoort_2022_2023.csv --scenario zacht
    """
    import dataclasses

    import pandas as pd

    from geoprestatie import prognosis as pg
    from geoprestatie._atomic import atomic_path, write_text
    from geoprestatie._validate import read_toml
    from geoprestatie.output._sheets import write_xlsx
    from geoprestatie.output.tables import with_index_column

    policy = _policy(min_woningen)
    inputs = [p for p in (start_file, plans_file, config_file, stock_file, buurten_file) if p]
    _check_out(out, force, inputs)
    config = pg.PrognosisConfig()
    if config_file is not None:
        config = pg.PrognosisConfig.from_dict(
            read_toml(config_file, what="prognoseconfiguratie").get("prognose", {})
        )
    if scenario is not None:
        config = dataclasses.replace(config, scenario=scenario)
    if eindjaar is not None:
        config = dataclasses.replace(config, eindjaar=eindjaar)
    scenario = config.scenario

    start = pg.read_start_stock(start_file, peildatum=peildatum)
    plans = pg.read_mutation_plans(plans_file)
    result = pg.project(start, plans, config=config)
    summary = pg.summary_table(result)
    tables: dict[str, pd.DataFrame] = {
        "prognose": result,
        "prognose_samenvatting": summary.reset_index(),
    }
    if config.targets:
        tables["doelen"] = pg.target_gaps(result, config=config)
    if stock_file is not None:
        from geoprestatie.sources import read_stock

        # rows the reader sets aside are named in a DataWarning ("Let op: ...")
        stock = read_stock(stock_file)
        tables["huurklassen"] = pg.rent_class_prognosis(stock, result, plans, config=config)

    public = _public_prognosis(result, summary, policy)
    # the demo data marks itself synthetisch (column herkomst): say so on every map
    synthetic = any(b"synthetisch" in f.read_bytes().lower() for f in (start_file, plans_file))
    pages = _prognosis_maps(
        public.prognosis, result, synthetic, (buurten_file, gemeente, layer, crs)
    )
    public_tables = {
        "prognose": public.prognosis,
        "prognose_samenvatting": with_index_column(public.prognosis_summary),
    }

    def write_public(folder: Path) -> list[Path]:
        written = [_csv(frame, folder / f"{name}.csv") for name, frame in public_tables.items()]
        with atomic_path(folder / "tabellen.xlsx") as tmp:
            write_xlsx(tmp, _prognosis_sheets(public_tables, public=True))
        written.append(folder / "tabellen.xlsx")
        for year, page in pages.items():
            written.append(write_text(folder / "kaarten" / f"prognose_{year}.html", page))
        return written

    def write_internal(folder: Path) -> list[Path]:
        written = [_csv(frame, folder / f"{name}.csv") for name, frame in tables.items()]
        with atomic_path(folder / "tabellen.xlsx") as tmp:
            write_xlsx(tmp, _prognosis_sheets(tables, public=False))
        return [*written, folder / "tabellen.xlsx"]

    _write_set(
        out, write_public, write_internal, force=force, inputs=inputs, min_woningen=min_woningen
    )
    years = sorted(set(result["jaar"].astype(int)))
    _echo(
        f"prognose {years[0]}-{years[-1]} (scenario {scenario}), {result['corporatie'].nunique()} "
        f"corporatie(s), {len(result)} rijen -> {out}/intern/ ("
        + ", ".join(f"{name}.csv" for name in tables)
        + f", tabellen.xlsx) en {out}/publiek/ (prognose.csv, prognose_samenvatting.csv, "
        "tabellen.xlsx" + (f", {len(pages)} kaart(en)" if pages else "") + ")"
    )
    if synthetic:
        _echo(f"{LET_OP} de invoer bevat synthetische gegevens (zie de bestanden)", err=True)
    _echo(summary.to_string())


def _rejected_rows(*frames: Any) -> Any:
    """The rows the readers set aside (``attrs["afgewezen"]``), one table for all files."""
    import pandas as pd

    from geoprestatie.sources._tabular import ATTR_REJECTED, REJECT_COLUMNS

    records = [r for f in frames if f is not None for r in f.attrs.get(ATTR_REJECTED, [])]
    table = pd.DataFrame(records, columns=list(REJECT_COLUMNS))
    table["bron_rij"] = table["bron_rij"].astype("Int64")
    return table


@main.command()
@_file_option(
    "--afspraken",
    "agreements_file",
    required=True,
    help="Afsprakenbestand (TOML met tabellen [[afspraak]]).",
)
@_file_option(
    "--voorraad",
    "stock_file",
    help="Voorraadbestand (CSV/XLSX/GPKG), één rij per woning, als bij `join`.",
)
@_file_option(
    "--verkoop",
    "sales_file",
    help="Verkoopbestand (CSV/XLSX/GPKG): vhe_id, jaar, status; als bij `join`.",
)
@_file_option(
    "--prognose",
    "prognosis_file",
    help="intern/prognose.csv, geschreven door `geoprestatie prognose`.",
)
@click.option(
    "--jaar",
    type=int,
    default=None,
    help="Het jaar van de monitor: de huurgrenzen van dit jaar gelden.",
)
@click.option(
    "--gegevens",
    "datasets",
    multiple=True,
    metavar="NAAM=BESTAND",
    help="Een monitordataset als in [afspraken] van `run`: toewijzingen, geld, acties, "
    "kengetallen of mutaties (gerealiseerd), of plannen (mutatieplannen); herhaalbaar.",
)
@_publication_options("monitor")
@_buurten_options
@_out_option("uitvoer/monitor/", "Uitvoermap (publiek/, intern/ en run.json).")
@_handled
def monitor(
    agreements_file: Path,
    stock_file: Path | None,
    sales_file: Path | None,
    prognosis_file: Path | None,
    jaar: int | None,
    datasets: tuple[str, ...],
    min_woningen: int,
    force: bool,
    buurten_file: Path | None,
    gemeente: str | None,
    layer: str | None,
    crs: str | None,
    out: Path,
) -> None:
    """Toets de afspraken (stoplicht: groen, oranje, rood of onbekend).

    Schrijft zoals `run` publiek/ (monitor.csv, monitor.md, monitor.html, per thema, partij
    en groep; kleine aantallen per buurt niet getoond) en intern/ (dezelfde tabellen
    volledig, overtredingen.csv: de records die een afspraak overtreden, en
    niet_gekoppeld.csv: invoerrijen die niet gebruikt konden worden, met bestand, rij en
    reden). Afspraken waarvan de gegevens ontbreken zijn onbekend.

    \b
    Voorbeeld (synthetisch; maak eerst de prognose met `geoprestatie prognose`):
        geoprestatie monitor --afspraken data/demo/afspraken_amersfoort.toml \\
            --voorraad data/demo/voorraad_synthetisch.csv \\
            --verkoop data/demo/verkoop_synthetisch.csv \\
            --prognose uitvoer/prognose/intern/prognose.csv --jaar 2023
    """
    from geoprestatie import agreements as ag
    from geoprestatie import publication
    from geoprestatie.output.monitor import write_monitor_set
    from geoprestatie.pipeline import monitor_data
    from geoprestatie.prognosis import read_prognosis
    from geoprestatie.sources import read_sales, read_stock

    section = _dataset_options(datasets)
    rules = ag.read_agreements(agreements_file)
    # rows a reader sets aside are named in a DataWarning ("Let op: ...", one line per file);
    # the stock and sales are joined to the buurten as in `run`, so both monitor the same
    # dwellings, and every row not used is written to niet_gekoppeld.csv (file, row, reason)
    stock = read_stock(stock_file) if stock_file else None
    sales = read_sales(sales_file) if sales_file else None
    rejected = _rejected_rows(stock, sales)
    table = buurten = None
    if stock is not None or sales is not None:
        from geoprestatie.join import join_sources

        buurten = _load_buurten(buurten_file, gemeente, layer, crs)
        joined = join_sources(buurten, stock=stock, sales=sales)
        stock, sales = joined.usable("voorraad"), joined.usable("verkoop")
        rejected = joined.report.not_joined.drop(columns="bron")
        table = joined.table
    plans = section.pop("plannen", None)
    _read, data = monitor_data(
        section, base=Path.cwd(), buurt_table=table, plans=None if plans is None else Path(plans)
    )
    prognosis = read_prognosis(prognosis_file) if prognosis_file else None
    result = ag.monitor(rules, stock=stock, sales=sales, prognosis=prognosis, jaar=jaar, data=data)
    policy = _policy(min_woningen)
    public = publication.publish_monitor(result, policy, table=table, stock=stock)
    inputs = [p for p in (agreements_file, stock_file, sales_file, prognosis_file) if p]
    inputs += [Path(str(v)) for v in (*section.values(), plans) if v is not None]
    write_monitor_set(
        result,
        public,
        out,
        rejected=rejected,
        buurten=buurten,
        min_woningen=min_woningen,
        force=force,
        inputs=inputs,
    )
    counts = result.table["status"].value_counts()
    _echo(
        f"{len(rules)} afspraken: "
        + ", ".join(f"{s} {int(counts.get(s, 0))}" for s in ag.STATUSES)
        + f" -> {out}/publiek/ (monitor.csv, monitor.md, monitor.html) en {out}/intern/"
        + (
            f" (overtredingen.csv; niet_gekoppeld.csv: {len(rejected)} rij(en) niet gebruikt)"
            if len(rejected)
            else " (overtredingen.csv)"
        )
    )


#: What ``monitor --gegevens NAAM=BESTAND`` accepts (the files of ``[afspraken]``).
_MONITOR_DATASETS = ("toewijzingen", "geld", "acties", "kengetallen", "mutaties", "plannen")


def _dataset_options(pairs: tuple[str, ...]) -> dict[str, Any]:
    """``NAAM=BESTAND`` options as an ``[afspraken]`` table (a bad name: one Dutch line)."""
    from geoprestatie.errors import ConfigError

    section: dict[str, Any] = {}
    for pair in pairs:
        name, sep, file = pair.partition("=")
        name = name.strip().lower()
        if not sep or name not in _MONITOR_DATASETS or not file.strip():
            raise ConfigError(
                f"--gegevens {pair!r}: verwacht NAAM=BESTAND met NAAM een van "
                f"{', '.join(_MONITOR_DATASETS)}, bijv. --gegevens toewijzingen=toewijzingen.csv"
            )
        section[name] = file.strip()
    return section


def _public_prognosis(prognosis: Any, summary: Any = None, policy: Any = None) -> Any:
    """The prognosis as publiek/ may show it (:func:`publication.publish_frames`)."""
    import pandas as pd

    from geoprestatie import publication

    no_table = pd.DataFrame({"buurtcode": pd.Series([], dtype=str)})
    no_areas = pd.DataFrame({"dia_id": [], "buurtcodes": []})
    return publication.publish_frames(
        table=no_table,
        scored=no_table,
        areas=no_areas,
        policy=policy or publication.PublicationPolicy(),
        prognosis=prognosis,
        summary=summary,
    )


def _prognosis_sheets(tables: dict[str, Any], *, public: bool) -> list[Any]:
    """The sheets of tabellen.xlsx: the public set has no per-corporation breakdown."""
    from geoprestatie import prognosis as pg
    from geoprestatie.output._sheets import Sheet

    result = tables["prognose"]
    sheets = [Sheet("Prognose", result, "prognose", "Voorraad per corporatie, buurt en jaar.", 1)]
    if public:
        sheets[0] = Sheet("Prognose", result, "prognose", "Voorraad per buurt en jaar.", 1)
    else:
        sheets += [
            Sheet(
                "Per corporatie",
                pg.aggregate(result, by=("corporatie",)),
                "prognose",
                "Voorraad per corporatie en jaar.",
                1,
            ),
            Sheet("Totaal", pg.aggregate(result, by=()), "prognose", "Voorraad per jaar.", 1),
        ]
    sheets.append(
        Sheet(
            "Samenvatting",
            tables["prognose_samenvatting"],
            "prognose_samenvatting",
            "Mutaties over de hele periode per corporatie en in totaal.",
            1,
        )
    )
    sheets += [
        Sheet(name.capitalize(), tables[name], name, about, 1)
        for name, about in (
            ("doelen", "De doelen uit de configuratie tegen de prognose."),
            ("huurklassen", "De prognose per huurklasse."),
        )
        if name in tables
    ]
    return sheets


def _prognosis_maps(
    public: Any, result: Any, synthetic: bool, where: tuple[Any, Any, Any, Any]
) -> dict[int, str]:
    """One map page per year, drawn from the public prognosis (as `run` draws it)."""
    if "buurtcode" not in result.columns or not result["buurtcode"].notna().any():
        return {}
    from geoprestatie.output.maps import prognose_map

    codes = set(result["buurtcode"].dropna().astype(str))
    buurten = _load_buurten(*where)
    buurten = buurten[buurten["buurtcode"].isin(codes)]
    if buurten.empty:
        _echo(f"{LET_OP} geen van de buurtcodes staat in de buurtenkaart; geen kaarten", err=True)
        return {}
    suffix = " (synthetische gegevens)" if synthetic else ""
    return {
        year: prognose_map(
            public, buurten, years=[year], title=f"Prognose sociale huurvoorraad {year}{suffix}"
        )
        .get_root()
        .render()
        for year in sorted(set(result["jaar"].astype(int)))
    }


_DEMO = {
    "voorraad": "demo/voorraad_synthetisch.csv",
    "verkoop": "demo/verkoop_synthetisch.csv",
    "warmte": "demo/warmte_synthetisch.csv",
}


@main.command()
@_buurten_options
@_file_option(
    "--voorraad",
    help="Voorraadbestand (CSV/XLSX/GPKG), één rij per woning.",
)
@_file_option(
    "--verkoop",
    help="Verkoopbestand (CSV/XLSX).",
)
@_file_option(
    "--leefbaarometer",
    help="Leefbaarometer per buurt (CSV/XLSX) of een GeoTIFF-raster; standaard de "
    "ingebouwde echte scores (provincie Utrecht).",
)
@_file_option(
    "--warmte",
    help="Plannen warmtetransitie per buurt/wijk (CSV/XLSX) of als vlakken (GPKG).",
)
@click.option(
    "--tolerantie",
    "tolerance_m",
    type=float,
    default=50.0,
    show_default=True,
    help="Meters waarbinnen een punt buiten alle buurten naar de dichtstbijzijnde buurt gaat.",
)
@click.option(
    "--huurjaar",
    "huur_jaar",
    type=int,
    default=2024,
    show_default=True,
    help="Jaar van de huurgrenzen voor de huurklassen.",
)
@_publication_options("koppeling")
@_out_option("uitvoer/koppeling/", "Uitvoermap (publiek/, intern/ en run.json).")
@_handled
def join(
    buurten_file: Path | None,
    gemeente: str | None,
    layer: str | None,
    crs: str | None,
    voorraad: Path | None,
    verkoop: Path | None,
    leefbaarometer: Path | None,
    warmte: Path | None,
    tolerance_m: float,
    huur_jaar: int,
    min_woningen: int,
    force: bool,
    out: Path,
) -> None:
    """Koppel de gegevens van de partijen aan de buurten; toon de verantwoording.

    Schrijft zoals `run` publiek/ (geoprestatie.gpkg met laag buurttabel, buurttabel.csv en
    koppeling.csv; kleine aantallen per buurt niet getoond) en intern/ (dezelfde bestanden
    volledig en niet_gekoppeld.csv: de invoerrijen die niet gekoppeld konden worden).

    Zonder --voorraad/--verkoop/--leefbaarometer/--warmte draait het op de SYNTHETISCHE
    demodata van Amersfoort (data/demo/); met de ingebouwde buurten en zonder --gemeente
    worden de buurten van Amersfoort gebruikt.

    \b
    Voorbeeld:
        geoprestatie join --voorraad bezit.xlsx --verkoop verkoop.csv --gemeente Amersfoort
    """
    from geoprestatie import datasets, publication
    from geoprestatie.join import JoinConfig, join_sources
    from geoprestatie.sources import (
        read_heat_plans,
        read_liveability,
        read_sales,
        read_stock,
    )

    policy = _policy(min_woningen)
    inputs = [p for p in (buurten_file, voorraad, verkoop, leefbaarometer, warmte) if p]
    _check_out(out, force, inputs)
    demo = all(f is None for f in (voorraad, verkoop, leefbaarometer, warmte))
    if buurten_file is None and gemeente is None:
        gemeente = "Amersfoort"  # the embedded demo data is of Amersfoort
    b = _load_buurten(buurten_file, gemeente, layer, crs)
    if demo:
        names = set(b["gemeentenaam"].astype(str))
        if names != {"Amersfoort"}:
            raise click.UsageError(
                "de demodata (gebruikt zonder --voorraad/--verkoop/--leefbaarometer/--warmte) "
                f"is alleen van Amersfoort; de buurten zijn van {sorted(names)}"
            )
        _echo("Let op: SYNTHETISCHE demodata (data/demo/), niet voor beleid.")
        voorraad, verkoop, warmte = (datasets.data_path(_DEMO[k]) for k in _DEMO)
    config = JoinConfig(tolerance_m=tolerance_m, huur_jaar=huur_jaar)
    indicators = None
    gm = sorted(set(b["gemeentenaam"].astype(str)))
    try:
        indicators = datasets.load_indicators(gm[0]) if len(gm) == 1 else None
    except GeoprestatieError:
        indicators = None  # no embedded indicators for this municipality
    live = read_liveability(leefbaarometer, buurten=b) if leefbaarometer else None
    if live is None and indicators is not None:
        live, indicators = indicators, None
    result = join_sources(
        b,
        stock=read_stock(voorraad) if voorraad else None,
        sales=read_sales(verkoop) if verkoop else None,
        liveability=live,
        heat=read_heat_plans(warmte, buurten=b) if warmte else None,
        indicators=indicators,
        config=config,
    )
    _echo(str(result.report))
    public = publication.publish_joined(result, policy)

    def tables(joined: Any, folder: Path) -> list[Path]:
        return [
            _gpkg({"buurttabel": joined.table}, folder / "geoprestatie.gpkg"),
            _csv(joined.table, folder / "buurttabel.csv"),
            _csv(joined.report.to_frame(), folder / "koppeling.csv"),
        ]

    def internal(folder: Path) -> list[Path]:
        return [
            *tables(result, folder),
            _csv(result.report.not_joined, folder / "niet_gekoppeld.csv"),
        ]

    _write_set(
        out,
        lambda folder: tables(public, folder),
        internal,
        force=force,
        inputs=inputs,
        min_woningen=min_woningen,
    )
    _echo(
        f"{len(result.table)} buurten -> {out}/publiek/ (geoprestatie.gpkg, buurttabel.csv, "
        f"koppeling.csv) en {out}/intern/ (dezelfde volledig, niet_gekoppeld.csv)"
    )


def _sia_criteria(path: Path) -> tuple[Any, bool]:
    """The SIA config of a criteria file and its ``[sia] onvolledig_toestaan`` (as in `run`)."""
    from geoprestatie import completeness
    from geoprestatie.sia import SiaConfig, read_sia_table

    table = read_sia_table(path)
    allow = completeness.pop_allow(table, where=f"{path}: ")
    return SiaConfig.from_toml(path, table=table), allow


@main.command()
@click.option(
    "--tabel",
    "table_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help="Buurttabel (GPKG of ander vectorbestand), één rij per buurt; bijv. de "
    "geoprestatie.gpkg van `join` (laag buurttabel).",
)
@click.option("--layer", default=None, help="Laag in een bestand met meer lagen.")
@click.option(
    "--criteria",
    "criteria_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="TOML met de criteria [sia] en de instellingen [dia]; standaard de meegeleverde set.",
)
@click.option(
    "--vorige-dia",
    "previous",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Een eerdere DIA-set om mee te vergelijken: dia.csv, geoprestatie.gpkg (laag dia) "
    "of een CSV met buurtcode en dia_id.",
)
@click.option(
    "--onvolledig-toestaan",
    "allow_incomplete",
    is_flag=True,
    help="Ook een SIA maken als criteria met samen meer dan de helft van het gewicht geen "
    "gegevens hebben (als [sia] onvolledig_toestaan = true); elke uitvoer vermeldt het.",
)
@_publication_options("SIA")
@_out_option("uitvoer/sia/", "Uitvoermap (publiek/, intern/ en run.json).")
@_handled
def sia(
    table_file: Path,
    layer: str | None,
    criteria_file: Path | None,
    previous: Path | None,
    allow_incomplete: bool,
    min_woningen: int,
    force: bool,
    out: Path,
) -> None:
    """Prioriteer de buurten (SIA) en baken investeringsgebieden af (DIA).

    Schrijft zoals `run` intern/ (geoprestatie.gpkg met lagen sia en dia, sia.csv: score,
    rang, bijdragen, robuustheid en DIA per buurt, dia.csv: de DIA's met hun kenmerken,
    sia_gewichtsgevoeligheid.csv: één gewicht tegelijk gevarieerd, en met --vorige-dia
    dia_vergelijking.csv) en publiek/ (dezelfde bestanden behalve de gevoeligheid, kleine en
    af te leiden aantallen per buurt en DIA niet getoond).

    \b
    Voorbeeld:
        geoprestatie sia --tabel uitvoer/koppeling/intern/geoprestatie.gpkg --criteria criteria.toml
    """
    import pyogrio

    from geoprestatie import completeness, publication
    from geoprestatie import dia as dia_mod
    from geoprestatie import sia as sia_mod
    from geoprestatie.sources._tabular import read_vector

    policy = _policy(min_woningen)
    inputs = [p for p in (table_file, criteria_file, previous) if p]
    _check_out(out, force, inputs)
    if criteria_file is None:
        criteria_file = sia_mod.DEFAULT_CRITERIA_TOML
    sia_cfg, allow = _sia_criteria(criteria_file)
    dia_cfg = dia_mod.DiaConfig.from_toml(criteria_file)
    if layer is None:
        try:
            names = [str(name) for name, _ in pyogrio.list_layers(table_file)]
        except pyogrio.errors.DataSourceError:
            names = []  # read_vector says what the file is not
        layer = "buurttabel" if "buurttabel" in names else (names[0] if names else None)
    table = read_vector(table_file, layer=layer)
    sia_cfg = sia_mod.fit_top_k(sia_cfg, len(table))
    prioritised = sia_mod.prioritise(table, sia_cfg)
    whole = completeness.sia_completeness(prioritised, sia_cfg)
    completeness.check(whole, allow=allow or allow_incomplete)
    if not whole.complete:
        _echo(f"{LET_OP} {whole.short()}: {whole.names()}", err=True)
    earlier = dia_mod.read_dia_set(previous) if previous is not None else None
    result = dia_mod.delineate(prioritised, dia_cfg, previous=earlier)
    sweep = sia_mod.weight_sweep(table, sia_cfg)

    cmp = dia_mod.compare_dia(earlier, result) if earlier is not None else None
    pub = publication.publish_frames(
        table=table,
        scored=result.buurten,
        areas=result.areas,
        policy=policy,
        criteria={c.name: c.column for c in sia_cfg.criteria},
        eligibility=[f.column for f in sia_cfg.eligibility],
    )

    def files(scored: Any, areas: Any, folder: Path) -> list[Path]:
        layers = {"sia": scored, **({"dia": areas} if len(areas) else {})}
        written = [
            _gpkg(layers, folder / "geoprestatie.gpkg"),
            _csv(scored, folder / "sia.csv"),
            _csv(areas, folder / "dia.csv"),
        ]
        if cmp is not None:  # which buurten changed DIA: no counts
            written.append(_csv(cmp, folder / "dia_vergelijking.csv"))
        return written

    def internal(folder: Path) -> list[Path]:
        written = files(result.buurten, result.areas, folder)
        return [*written, _csv(sweep, folder / "sia_gewichtsgevoeligheid.csv")]

    written = _write_set(
        out,
        lambda folder: files(pub.scored, pub.areas, folder),
        internal,
        force=force,
        inputs=inputs,
        min_woningen=min_woningen,
    )

    b = result.buurten
    _echo(
        f"{int(b['sia_geschikt'].sum())} van {len(b)} buurten geschikt; "
        f"{int(b['robuust'].sum())} robuust in de top {prioritised.attrs['top_k']} "
        f"({sia_cfg.robustness.draws} trekkingen); {len(result.areas)} DIA('s)"
    )
    for note in result.notes:  # skipped criteria are reported as DataWarnings by sia.score
        _echo(f"{LET_OP} DIA: {note}", err=True)
    for path in written:
        _echo(f"-> {path}")


@main.command()
@click.argument(
    "config_file",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="[CONFIG.toml]",
)
@_out_option("uitvoer/", "Uitvoermap (wordt gemaakt; andere bestanden erin blijven staan).")
@click.option(
    "--force",
    is_flag=True,
    help="Overschrijf de uitvoer van een eerdere run in --out.",
)
@click.option(
    "--csv",
    "csv_dialect",
    type=click.Choice(["nl", "internationaal"]),
    default=None,
    help="CSV-bestanden voor Nederlandse Excel (nl: ; en decimale komma, standaard) of "
    "internationaal (, en punt); wint van [uitvoer] csv in de configuratie.",
)
@click.option("--quiet", "-q", is_flag=True, help="Toon alleen de samenvatting aan het eind.")
@_handled
def run(
    config_file: Path | None, out: Path, force: bool, csv_dialect: str | None, quiet: bool
) -> None:
    """Het hele werk: inlezen, koppelen, SIA, DIA, prognose, monitor, uitvoer.

    Zonder CONFIG.toml draait de ingebouwde demo van Amersfoort (echte CBS-buurten en
    Leefbaarometer, SYNTHETISCHE corporatiegegevens). `geoprestatie init` schrijft een
    configuratie met uitleg om mee te beginnen. Uitvoer in --out: sia.html, prognose.html,
    monitor.html, rapport.html, sia.png, dia.png, prognose.png, geoprestatie.gpkg (met
    QGIS-stijlen), tabellen.xlsx en de CSV-tabellen.

    \b
    Voorbeelden:
        geoprestatie run
        geoprestatie run mijn_project.toml --out uitvoer/2025 --force
    """
    import dataclasses
    import time

    from geoprestatie.output import pdf

    started = time.perf_counter()
    # Chromium starts now, beside the imports and the stages, and prints the report at the
    # end; the demo prints it, so its Chromium starts before the config's imports (geopandas)
    browser = pdf.start_browser() if config_file is None else None
    from geoprestatie.config import demo_config, load_config

    config = demo_config() if config_file is None else load_config(config_file)
    if csv_dialect is not None:
        tables = dict(config.tables)
        tables["uitvoer"] = {**config.section("uitvoer"), "csv": csv_dialect}
        config = dataclasses.replace(config, tables=tables)
    wants_pdf = config.section("uitvoer").get("pdf", True) is True
    if browser is None and wants_pdf:
        browser = pdf.start_browser()
    with browser or contextlib.nullcontext():
        result, written = _run_and_write(config, config_file, out, force, quiet, browser)
    if browser is not None and browser.failure:
        warnings.warn(browser.failure, DataWarning, stacklevel=1)
    elif wants_pdf and browser is None and pdf.find_engine() is None:
        warnings.warn(pdf.no_engine_note(), DataWarning, stacklevel=1)
    from geoprestatie.output.summary import summary

    _echo(summary(result, written, seconds=time.perf_counter() - started))


def _run_and_write(
    config: Any, config_file: Path | None, out: Path, force: bool, quiet: bool, browser: Any
) -> tuple[Any, list[Path]]:
    """:func:`run`'s stages and output set, with progress lines unless ``quiet``."""
    from geoprestatie import pipeline
    from geoprestatie.progress import StageProgress

    pipeline.check_output_folder(out, force=force, inputs=pipeline.input_paths(config))
    say = None if quiet else StageProgress()
    if say is not None:
        what = "demo (synthetische corporatiegegevens)" if config_file is None else config_file
        say(f"geoprestatie run: {what}")
    try:
        result = pipeline.run(config, progress=say)
        # the modules and the run's data stay until the outputs are written: frozen, the
        # cyclic garbage collector does not walk them again in each full collection
        gc.freeze()
        written = pipeline.write_outputs(result, out, force=force, progress=say, browser=browser)
    finally:
        gc.unfreeze()
        if say is not None:
            say.close()
    return result, written


@main.command()
@click.argument(
    "path",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("geoprestatie.toml"),
    metavar="[BESTAND.toml]",
)
@click.option("--force", is_flag=True, help="Overschrijf bestaande bestanden.")
@_handled
def init(path: Path, force: bool) -> None:
    """Schrijf een voorbeeldconfiguratie met uitleg (en criteria.toml ernaast).

    Zoals geschreven draait die de ingebouwde demo; vervang de bestandsnamen door die van
    uw eigen bestanden.

    \b
    Voorbeeld:
        geoprestatie init mijn_project.toml
        geoprestatie run mijn_project.toml
    """
    from geoprestatie import sia
    from geoprestatie._atomic import write_text
    from geoprestatie.config import example_config_text

    criteria = path.with_name("criteria.toml")
    for target in (path, criteria):
        if target.exists() and not force:
            raise Fout(f"{target} bestaat al; gebruik --force om het te overschrijven")
    write_text(path, example_config_text())
    write_text(criteria, sia.DEFAULT_CRITERIA_TOML.read_text(encoding="utf-8"))
    _echo(f"{path} en {criteria} geschreven. Draai nu: geoprestatie run {path}")


@main.command()
@click.argument(
    "bestand",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("aanlevering.xlsx"),
)
@click.option(
    "--corporatie",
    "corporaties",
    multiple=True,
    help="Corporatie voor de keuzelijst (meerdere keren te geven).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Run-config: [bronnen] corporatie komt in de keuzelijst.",
)
@click.option("--force", is_flag=True, help="Overschrijf een bestaand bestand.")
@_handled
def sjabloon(
    bestand: Path, corporaties: tuple[str, ...], config_file: Path | None, force: bool
) -> None:
    """Schrijf het aanlever-sjabloon (XLSX) voor de partijen.

    Een tabblad per dataset (Voorraad, Verkoop, Plannen, Mutaties, Beginstand,
    Toewijzingen, Geld, Acties, Kengetallen) plus Toelichting met de afgesproken
    definities; verplichte kolommen zijn geel, keuzelijsten voor labels, statussen,
    mutaties, segmenten, ja/nee en corporaties, controles op jaartallen, getallen, datums
    en buurtcodes. Het sjabloon komt in BESTAND, niet in de uitvoer van een run. Voorbeeld:

        geoprestatie sjabloon aanlevering.xlsx --corporatie Portaal --corporatie "de Alliantie"
    """
    from geoprestatie.config import load_config
    from geoprestatie.template import write_template

    names = list(corporaties)
    if config_file is not None:
        own = load_config(config_file).section("bronnen").get("corporatie")
        names += [own] if own and own not in names else []
    if bestand.exists() and not force:
        raise Fout(f"{bestand} bestaat al; gebruik --force om te overschrijven")
    write_template(bestand, corporations=names)
    _echo(
        f"Sjabloon geschreven: {bestand}. Controleer een ingevuld bestand met: "
        f"geoprestatie controleer {bestand}"
    )


@main.command()
@click.argument("bestand", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_file_option(
    "--out",
    help="De gemarkeerde kopie (standaard: BESTAND_controle.xlsx ernaast).",
)
@_handled
def controleer(bestand: Path, out: Path | None) -> None:
    """Controleer een ingevuld sjabloon zoals een run het leest.

    Bij fouten: een kopie met de foute cellen gemarkeerd (kleur en opmerking) en een
    tabblad Controle (naast BESTAND, niet in de uitvoer van een run), en exitcode 1.
    Voorbeeld:

        geoprestatie controleer aanlevering.xlsx --out aanlevering_controle.xlsx
    """
    from geoprestatie.template import check_workbook, write_marked_copy

    problems = check_workbook(bestand)
    if not problems:
        _echo(f"{bestand}: geen fouten gevonden; het bestand kan zo in een run.")
        return
    target = out or bestand.with_name(f"{bestand.stem}_controle.xlsx")
    write_marked_copy(bestand, problems, target)
    sheets = sorted({p.sheet for p in problems})
    _echo(
        f"{bestand}: {len(problems)} fout(en) in {', '.join(sheets)}, bv. tabblad "
        f"{problems[0].sheet} rij {problems[0].row}: {problems[0].reason}. "
        f"Gemarkeerde kopie: {target}",
        err=True,
    )
    raise SystemExit(1)
