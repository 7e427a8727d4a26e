"""Realisations: what was planned against what was built, and the next year's start.

The adaptive loop of *adaptief programmeren*: each year the realised mutations
(:func:`read_realisations`, the same columns as a plan file, without status) are set against
last year's plans (:func:`realisation_rates`: per party and status, additions and removals
apart), and the next prognosis starts from the realised stock (:func:`next_start`) with the
plans that are still open (:func:`open_plans`: later years, plus what was planned but not
realised, carried to the next year when the rows share a ``project``).

The measured rates are the evidence for the realisation probabilities of
:mod:`geoprestatie.planstatus` (``[prognose.status.<naam>] kans``).
"""

from __future__ import annotations

import dataclasses
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from geoprestatie.errors import DataWarning, InputError
from geoprestatie.prognosis import (
    MUTATIONS,
    NET_MUTATIONS,
    PrognosisConfig,
    plans_from_frame,
    project,
    signed_counts,
    start_from_frame,
)
from geoprestatie.sources._tabular import ATTR_SOURCE, read_table, with_source_rows

__all__ = [
    "next_start",
    "open_plans",
    "read_realisations",
    "realisation_rates",
    "realisations_from_frame",
]

_DIRECTIONS = ("toevoeging", "onttrekking", "saldo")


def read_realisations(path: str | Path) -> pd.DataFrame:
    """Read realised mutations (CSV/XLSX): the columns of a plan file, without status.

    See :func:`realisations_from_frame`.
    """
    return realisations_from_frame(with_source_rows(read_table(path)), source=path)


def realisations_from_frame(
    df: pd.DataFrame, *, source: str | Path = "realisaties"
) -> pd.DataFrame:
    """Validate realised mutations: as :func:`geoprestatie.prognosis.plans_from_frame`, with
    ``zekerheid`` replaced by ``gerealiseerd`` (a status column in the file is an error: a
    realisation has no status).

    Examples
    --------
    >>> r = realisations_from_frame(pd.DataFrame({"partij": ["A"], "jaar": [2024],
    ...     "mutatie": ["nieuwbouw"], "aantal": [12]}))
    >>> r[["corporatie", "jaar", "aantal", "zekerheid"]].to_dict("records")
    [{'corporatie': 'A', 'jaar': 2024, 'aantal': 12, 'zekerheid': 'gerealiseerd'}]
    """
    plans = plans_from_frame(df, source=source)
    if (
        df.columns.astype(str)
        .str.strip()
        .str.lower()
        .isin(["zekerheid", "status", "planstatus"])
        .any()
    ):
        raise InputError(
            "een realisatiebestand heeft geen statuskolom (zekerheid/status): elke rij is "
            "gerealiseerd; laat de kolom weg",
            source=source,
            column="zekerheid",
        )
    out = plans.assign(zekerheid="gerealiseerd")
    out.attrs = dict(plans.attrs)
    return out


def _direction(frame: pd.DataFrame) -> pd.Series:
    sign = frame["mutatie"].map(MUTATIONS)
    kind = np.where(
        frame["mutatie"].isin(NET_MUTATIONS),
        "saldo",
        np.where(sign > 0, "toevoeging", "onttrekking"),
    )
    return pd.Series(kind, index=frame.index, name="richting")


def _status_of_realised(plans: pd.DataFrame, realised: pd.DataFrame) -> pd.Series:
    """The plan status of each realised row, by (party, project); without projects ``alle``."""
    if "project" not in plans.columns or "project" not in realised.columns:
        return pd.Series("alle", index=realised.index, dtype="string")
    lookup = (
        plans.dropna(subset=["project"])
        .drop_duplicates(["corporatie", "project"])
        .set_index(["corporatie", "project"])["zekerheid"]
    )
    keys = pd.MultiIndex.from_frame(realised[["corporatie", "project"]].astype(object))
    found = pd.Series(lookup.reindex(keys).to_numpy(), index=realised.index, dtype="string")
    return found.fillna("niet gepland")


def realisation_rates(plans: pd.DataFrame, realised: pd.DataFrame, *, jaar: int) -> pd.DataFrame:
    """Planned against realised in ``jaar``, per party, status and direction.

    ``gepland`` and ``gerealiseerd`` are dwellings (removals counted positive);
    ``realisatiegraad = gerealiseerd / gepland`` (NA without plans). Realised rows are given
    the status of their plan through ``project``; when either file lacks ``project``, the
    status is ``alle`` (rate per party only), and realised projects without a plan are
    ``niet gepland``.

    Examples
    --------
    >>> plans = plans_from_frame(pd.DataFrame({"partij": ["A", "A"], "jaar": [2024, 2024],
    ...     "mutatie": ["nieuwbouw"] * 2, "aantal": [40, 60], "zekerheid": ["hard", "zacht"],
    ...     "project": ["p1", "p2"]}))
    >>> done = realisations_from_frame(pd.DataFrame({"partij": ["A"], "jaar": [2024],
    ...     "mutatie": ["nieuwbouw"], "aantal": [36], "project": ["p1"]}))
    >>> realisation_rates(plans, done, jaar=2024)[["zekerheid", "gepland", "gerealiseerd",
    ...     "realisatiegraad"]]
      zekerheid  gepland  gerealiseerd  realisatiegraad
    0      hard       40            36              0.9
    1     zacht       60             0              0.0
    """
    planned = plans[plans["jaar"] == jaar]
    done = realised[realised["jaar"] == jaar]
    by_project = "project" in plans.columns and "project" in realised.columns
    p = pd.DataFrame(
        {
            "corporatie": planned["corporatie"].astype(str),
            "zekerheid": planned["zekerheid"].astype(str) if by_project else "alle",
            "richting": _direction(planned),
            "gepland": signed_counts(planned).abs(),
            "gerealiseerd": 0,
        }
    )
    r = pd.DataFrame(
        {
            "corporatie": done["corporatie"].astype(str),
            "zekerheid": _status_of_realised(plans, done).astype(str),
            "richting": _direction(done),
            "gepland": 0,
            "gerealiseerd": signed_counts(done).abs(),
        }
    )
    keys = ["corporatie", "zekerheid", "richting"]
    both = pd.concat([p, r], ignore_index=True)
    out = both.groupby(keys, sort=True)[["gepland", "gerealiseerd"]].sum().reset_index()
    out["jaar"] = jaar
    rate = out["gerealiseerd"] / out["gepland"].where(out["gepland"] > 0)
    out["realisatiegraad"] = rate.astype("Float64").round(3)
    return out[
        [
            "corporatie",
            "zekerheid",
            "richting",
            "jaar",
            "gepland",
            "gerealiseerd",
            "realisatiegraad",
        ]
    ]


def next_start(
    start: pd.DataFrame, realised: pd.DataFrame, *, jaar: int, config: PrognosisConfig | None = None
) -> pd.DataFrame:
    """The start stock of the next prognosis: ``start`` plus the realised mutations up to and
    including ``jaar``, with peildatum 1 January of ``jaar + 1``.

    Realised temporary units go to ``tijdelijk``. Realised rows after ``jaar`` are an error.

    Examples
    --------
    >>> start = start_from_frame(pd.DataFrame({"corporatie": ["A"], "aantal": [100]}),
    ...                          peildatum="2024-01-01")
    >>> done = realisations_from_frame(pd.DataFrame({"partij": ["A", "A"], "jaar": [2024] * 2,
    ...     "mutatie": ["nieuwbouw", "sloop"], "aantal": [36, 10]}))
    >>> next_start(start, done, jaar=2024)[["corporatie", "aantal", "peildatum"]]
      corporatie  aantal   peildatum
    0          A     126  2025-01-01
    """
    late = realised["jaar"] > jaar
    if late.any():
        raise InputError(
            f"gerealiseerde mutaties na {jaar}: "
            f"{sorted(set(realised.loc[late, 'jaar'].astype(int)))}; verwacht jaren tot en met "
            f"{jaar} (corrigeer het jaar of kies een later realisatiejaar)",
            source=str(realised.attrs.get(ATTR_SOURCE, "realisaties")),
            column="jaar",
            rows=[int(r) for r in realised.loc[late, "bron_rij"]],
        )
    base = config if config is not None else PrognosisConfig()
    as_plans = realised.assign(zekerheid="hard")
    as_plans.attrs = dict(realised.attrs)
    cfg = dataclasses.replace(base, scenario="hard", eindjaar=jaar, onzekerheid=None)
    projected = project(start, as_plans, config=cfg)
    keys = [c for c in ("corporatie", "buurtcode") if c in projected.columns]
    last = projected[projected["jaar"] == jaar]
    frame = pd.DataFrame(
        {k: last[k] for k in keys}
        | {"aantal": last["eindstand"], "tijdelijk": last["tijdelijk_eindstand"]}
    )
    return start_from_frame(
        frame.reset_index(drop=True), peildatum=date(jaar + 1, 1, 1), source="realisaties"
    )


def open_plans(plans: pd.DataFrame, realised: pd.DataFrame, *, jaar: int) -> pd.DataFrame:
    """The plans still open after ``jaar``: later rows, plus the unrealised part of the rows
    up to ``jaar``, carried to ``jaar + 1`` (column ``doorgeschoven``).

    Carrying needs ``project`` in both files (planned minus realised per party, project and
    mutation); without it, the unrealised part is reported with a warning and not carried.

    Examples
    --------
    >>> plans = plans_from_frame(pd.DataFrame({"partij": ["A", "A"], "jaar": [2024, 2025],
    ...     "mutatie": ["nieuwbouw"] * 2, "aantal": [40, 10], "project": ["p1", "p2"]}))
    >>> done = realisations_from_frame(pd.DataFrame({"partij": ["A"], "jaar": [2024],
    ...     "mutatie": ["nieuwbouw"], "aantal": [30], "project": ["p1"]}))
    >>> open_plans(plans, done, jaar=2024)[["project", "jaar", "aantal", "doorgeschoven"]]
      project  jaar  aantal  doorgeschoven
    0      p2  2025      10          False
    1      p1  2025      10           True
    """
    later = plans[plans["jaar"] > jaar].assign(doorgeschoven=False)
    past = plans[(plans["jaar"] <= jaar) & ~plans["mutatie"].isin(NET_MUTATIONS)]
    if "project" not in plans.columns or "project" not in realised.columns:
        if len(past):
            warnings.warn(
                f"plannen tot en met {jaar} zijn niet aan de realisaties te koppelen zonder een "
                "kolom `project` in beide bestanden; wat niet gerealiseerd is, schuift niet "
                "door: voeg het toe aan de plannen van volgend jaar",
                DataWarning,
                stacklevel=2,
            )
        out = later.reset_index(drop=True)
        out.attrs = dict(plans.attrs)
        return out
    key = ["corporatie", "project", "mutatie"]
    done = realised[realised["jaar"] <= jaar].groupby(key)["aantal"].sum()
    planned = past.groupby(key)["aantal"].sum()
    left = (planned - done.reindex(planned.index, fill_value=0)).clip(lower=0)
    left = left[left > 0]
    template = past.drop_duplicates(key).set_index(key)
    carried = template.loc[left.index].reset_index()
    carried["aantal"] = left.to_numpy().astype("int64")
    carried["jaar"] = jaar + 1
    carried["doorgeschoven"] = True
    out = pd.concat([later, carried], ignore_index=True)
    out["aantal"] = out["aantal"].astype("Int64")
    out["jaar"] = out["jaar"].astype("Int64")
    out.attrs = dict(plans.attrs)
    return out[[*plans.columns, "doorgeschoven"]]
