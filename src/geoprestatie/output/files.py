"""The output set of a run, written as one transaction: ``publiek/``, ``intern/``, ``run.json``.

Layout of ``--out``:

* ``publiek/`` everything that may be published (maps, report, PNGs, GeoPackage, XLSX and
  CSV), rendered from :func:`geoprestatie.publication.publish` only;
* ``intern/`` the full tables: dwellings with vhe_id and coordinates, the records not
  joined, the offending records of the monitor;
* ``run.json`` the manifest: every file written, with its size and SHA-256.

The set is written into a staging folder beside the targets (``.geoprestatie-staging-*``
inside ``--out``), then swapped in with renames: the previous ``publiek/`` and ``intern/``
are moved aside, the new ones moved in, the manifest replaced last, the old ones removed.
A failure before the manifest is in place moves the previous set back, so the folder holds
the whole old set or the whole new one. SIGINT/SIGTERM during the write clean up the
staging folder; a staging folder left by a killed run is removed (and an interrupted swap
undone) at the next start. ``--force`` replaces only files the previous manifest lists;
an input file inside ``--out`` is refused.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from geoprestatie import _fork
from geoprestatie._version import __version__
from geoprestatie.errors import GeoprestatieError

__all__ = [
    "MANIFEST",
    "MIN_FREE_BYTES",
    "SETS",
    "OutputExistsError",
    "check_output_folder",
    "file_stem",
    "write_output_set",
]

Progress = Callable[[str], None]
Writer = Callable[[Path], list[Path]]

MANIFEST = "run.json"
SETS = ("publiek", "intern")
#: free space needed before a run starts (the demo set is ~10 MB; a province ~200 MB)
MIN_FREE_BYTES = 256 * 1024 * 1024
_STAGING = ".geoprestatie-staging-"
_OLD = ".geoprestatie-vorige-"


class OutputExistsError(GeoprestatieError):
    """The output folder cannot take this run's output set (earlier run, input inside, ...)."""


def _oserror(exc: OSError, where: Path) -> GeoprestatieError:
    """One clear Dutch line for a disk/path problem."""
    reasons = {
        errno.ENOSPC: "de schijf is vol",
        errno.EDQUOT: "het schijfquotum is op",
        errno.ENAMETOOLONG: "het pad is te lang voor dit bestandssysteem",
        errno.EACCES: "geen schrijfrechten",
        errno.EPERM: "geen schrijfrechten",
        errno.EROFS: "het bestandssysteem is alleen-lezen",
    }
    why = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return GeoprestatieError(
        f"uitvoermap {where}: kan niet schrijven ({why}); kies met --out een andere map "
        "of maak ruimte/rechten vrij"
    )


def _inputs_inside(out: Path, inputs: Iterable[Path]) -> list[Path]:
    root = out.resolve()
    inside = []
    for path in inputs:
        try:
            resolved = Path(path).resolve()
        except OSError:
            continue
        if resolved == root or root in resolved.parents:
            inside.append(Path(path))
    return inside


def _manifest(out: Path) -> dict[str, Any] | None:
    path = out / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _listed(manifest: dict[str, Any] | None) -> set[str]:
    files = manifest.get("bestanden", []) if manifest else []
    return {str(f.get("pad")) for f in files if isinstance(f, dict)}


def cleanup_stale(out: Path) -> None:
    """Remove staging folders of killed runs; finish or undo a swap that a kill interrupted.

    The manifest is moved in last: with ``run.json`` in place the new set is complete and
    the previous one (in ``.geoprestatie-vorige-*``) goes; without it the swap is undone.
    """
    if not out.is_dir():
        return
    for entry in sorted(out.iterdir()):
        if entry.name.startswith(_STAGING) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(_OLD) and entry.is_dir():
            if not (out / MANIFEST).exists():
                for name in SETS:
                    if (entry / name).exists() and (out / name).exists():
                        shutil.rmtree(out / name)  # half-arrived new set
                for kept in entry.iterdir():
                    os.replace(kept, out / kept.name)
            shutil.rmtree(entry, ignore_errors=True)


def check_output_folder(
    out: str | Path, *, force: bool = False, inputs: Iterable[Path] = ()
) -> list[str]:
    """Check ``out`` before the heavy work; return the files of the previous run.

    Raises
    ------
    OutputExistsError
        ``out`` is a file, holds an earlier run (without ``force``), holds files in
        ``publiek/``/``intern/`` that the previous manifest does not list, or contains an
        input file of this run.
    GeoprestatieError
        ``out`` is not writable, its path is too long, or the disk is (nearly) full.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputExistsError(f"--out {out} is een bestand; geef een map op")
    inside = _inputs_inside(out, inputs)
    if inside:
        raise OutputExistsError(
            f"invoerbestand {inside[0]} staat in de uitvoermap {out}; een run vervangt die "
            "map, dus zet de invoer ergens anders of kies een andere --out"
        )
    cleanup_stale(out)
    previous = _manifest(out)
    present = [s for s in (*SETS, MANIFEST) if (out / s).exists()]
    if present and not force:
        raise OutputExistsError(
            f"{out} bevat de uitvoer van een eerdere run ({', '.join(present)}); gebruik "
            "--force om die te vervangen, of kies een andere --out"
        )
    listed = _listed(previous)
    foreign = [
        p.relative_to(out).as_posix()
        for s in SETS
        if (out / s).is_dir()
        for p in sorted((out / s).rglob("*"))
        if p.is_file() and p.relative_to(out).as_posix() not in listed
    ]
    if foreign:
        raise OutputExistsError(
            f"{out / foreign[0]} staat niet in {MANIFEST} van de vorige run; --force vervangt "
            "alleen bestanden van een eerdere run: verplaats dit bestand of kies een andere --out"
        )
    _check_writable(out)
    return sorted(listed)


def _check_writable(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=_STAGING):
            pass
        free = shutil.disk_usage(out).free
    except OSError as exc:
        raise _oserror(exc, out) from None
    if free < MIN_FREE_BYTES:
        raise GeoprestatieError(
            f"uitvoermap {out}: nog {free // 2**20} MB vrij, minstens "
            f"{MIN_FREE_BYTES // 2**20} MB nodig; maak ruimte vrij of kies een andere --out"
        )


@contextmanager
def _signals_cleanup(staging: Path) -> Iterator[None]:
    """During the write, SIGINT/SIGTERM remove the staging folder, then stop the run."""

    def handler(signum: int, frame: FrameType | None) -> None:
        shutil.rmtree(staging, ignore_errors=True)
        raise KeyboardInterrupt(f"signaal {signum}")

    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):  # not the main thread: leave them alone
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_stem(text: str, *, limit: int = 40) -> str:
    """A safe file-name part for a user text (an agreement id), distinct per text.

    Letters, digits, ``-`` and ``_`` are kept; a text with anything else, or longer than
    ``limit``, gets its other characters as ``_``, is cut to ``limit`` and gets 8 hex
    digits of its SHA-256, so two ids never share a file and no name is too long.

    Examples
    --------
    >>> file_stem("M1"), file_stem("4.1"), file_stem("4_1")
    ('M1', '4_1_e979952d', '4_1')
    """
    safe = "".join(ch if (ch.isascii() and ch.isalnum()) or ch in "-_" else "_" for ch in text)
    if safe == text and 0 < len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{safe[:limit]}_{digest}"


def write_output_set(
    out: str | Path,
    *,
    public: Writer,
    internal: Writer,
    force: bool = False,
    inputs: Iterable[Path] = (),
    meta: dict[str, Any] | None = None,
) -> list[Path]:
    """Write ``publiek/`` and ``intern/`` (each by its writer) and ``run.json``, as a whole.

    ``public``/``internal`` write their files into the folder they are given and return
    them. Returns the final paths (manifest last).
    """
    out = Path(out)
    check_output_folder(out, force=force, inputs=inputs)
    staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=out))
    try:
        with _signals_cleanup(staging):
            _write_sets(staging, public, internal)
            files = sorted(p for p in staging.rglob("*") if p.is_file())
            entries = [
                {
                    "pad": p.relative_to(staging).as_posix(),
                    "bytes": p.stat().st_size,
                    "sha256": _digest(p),
                }
                for p in files
            ]
            manifest = {"geoprestatie": __version__, **(meta or {}), "bestanden": entries}
            (staging / MANIFEST).write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            _swap(staging, out)
    except OSError as exc:
        raise _oserror(exc, out) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / str(e["pad"]) for e in entries] + [out / MANIFEST]


def _write_sets(staging: Path, public: Writer, internal: Writer) -> None:
    """Both sets into ``staging``: ``intern/`` in another process
    (:mod:`geoprestatie._fork`), ``publiek/`` here."""
    for name in SETS:
        (staging / name).mkdir()
    # intern/ is awaited last: niced, it leaves the cores to the PNGs and the report, whose
    # PDF print is the end of the run, and takes what they leave; light (as write_all's
    # data files): a national run forks it too, beside publish and publiek/
    job = _fork.start(lambda: internal(staging / SETS[1]), background=True, light=True)
    try:
        public(staging / SETS[0])
    except BaseException:
        job.cancel()
        raise
    job.result()


def _swap(staging: Path, out: Path) -> None:
    """Move the previous set aside, the new one in, the manifest last; undo on failure."""
    old = Path(tempfile.mkdtemp(prefix=_OLD, dir=out))
    moved: list[str] = []
    try:
        for name in (*SETS, MANIFEST):
            if (out / name).exists():
                os.replace(out / name, old / name)
                moved.append(name)
        for name in SETS:
            os.replace(staging / name, out / name)
        os.replace(staging / MANIFEST, out / MANIFEST)
    except BaseException:
        for name in (*SETS, MANIFEST):
            if name in moved:
                if (out / name).is_dir():
                    shutil.rmtree(out / name, ignore_errors=True)
                elif (out / name).exists():
                    (out / name).unlink()
                os.replace(old / name, out / name)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)
