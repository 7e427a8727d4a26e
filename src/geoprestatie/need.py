"""Need against supply: the woningbehoefte per segment and year, the gap, and steering signals.

The need table (:func:`read_need`) gives, per segment and year, the number of dwellings the
stock should grow by in that year (``behoefte``; e.g. the household growth of a provincial
prognosis or a Primos export per segment, differenced per year), optionally per area
(``buurtcode`` or ``wijkcode``; without it the need is for the whole gemeente). The supply is
the net change the plans bring (:func:`geoprestatie.simulation.simulate`), simulated per
segment at the need's level, so a need for ``koop`` is met by every koop band.

:func:`need_gap` sets the cumulative need against the cumulative supply per year with its band;
:func:`steering_signals` says where the plans fall short (``tekort``) or overshoot
(``overschot``) beyond the margin (``[prognose] marge``, a fraction of the cumulative need).
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from geoprestatie._validate import lower_map, require_columns
from geoprestatie.errors import DataWarning, InputError, format_rows
from geoprestatie.prognosis import PrognosisConfig
from geoprestatie.segments import ALL_SEGMENTS, PARENTS, SEGMENT_LABELS, normalise_segment
from geoprestatie.simulation import Bands, band_columns, simulate
from geoprestatie.sources._tabular import (
    ATTR_SOURCE,
    clean_code,
    parse_number,
    read_table,
    with_source_rows,
)

__all__ = [
    "AREA_COLUMNS",
    "need_from_frame",
    "need_gap",
    "need_segments",
    "read_need",
    "steering_signals",
    "supply_bands",
]

#: Area columns a need table may have (one of them), from fine to coarse.
AREA_COLUMNS: tuple[str, ...] = ("buurtcode", "wijkcode")

_NEED_ALIASES: dict[str, tuple[str, ...]] = {
    "segment": ("marktsegment", "prijssegment", "woningsegment", "categorie"),
    "jaar": ("year", "periode", "peiljaar"),
    "behoefte": (
        "woningbehoefte",
        "aantal",
        "toename",
        "benodigde toevoeging",
        "opgave",
        "need",
    ),
    "buurtcode": ("bu_code", "buurt_code", "buurt code", "code buurt"),
    "wijkcode": ("wk_code", "wijk_code", "wijk code", "code wijk"),
}


def read_need(path: str | Path) -> pd.DataFrame:
    """Read a need table (CSV/XLSX, Dutch Excel welcome): ``segment, jaar, behoefte``.

    Optional ``buurtcode`` or ``wijkcode`` gives the need per area. ``behoefte`` is the
    number of dwellings by which the segment should grow in that year (may be negative or
    fractional, e.g. ``12,5``). Column names go through aliases (``woningbehoefte``,
    ``marktsegment``, ...); segment names through :data:`geoprestatie.segments.SEGMENT_ALIASES`.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "b.csv").write_text("Marktsegment;Jaar;Woningbehoefte\\n"
    ...                              "Sociale huur;2025;120,5\\nKoop;2025;80\\n")
    >>> read_need(d / "b.csv")[["segment", "jaar", "behoefte", "bron_rij"]]
            segment  jaar  behoefte  bron_rij
    0  sociale_huur  2025     120.5         2
    1          koop  2025      80.0         3
    """
    return need_from_frame(with_source_rows(read_table(path)), source=path)


def need_from_frame(df: pd.DataFrame, *, source: str | Path = "behoefte") -> pd.DataFrame:
    """Validate a need table into ``segment, jaar, behoefte, [buurtcode|wijkcode], bron_rij``.

    Raises
    ------
    InputError
        Naming file, column and rows: an unknown segment (listing the valid ones), a bad
        year or number, two area columns, or the same (segment, year, area) twice.
    """
    out = df.rename(columns=lower_map(df.columns, _NEED_ALIASES)).copy()
    out.columns = [str(c) for c in out.columns]
    require_columns(out, ["segment", "jaar", "behoefte"], source=source)
    rows = (
        pd.to_numeric(out["bron_rij"], errors="coerce").astype("Int64")
        if "bron_rij" in out.columns
        else pd.Series(np.arange(1, len(out) + 1), index=out.index, dtype="Int64")
    )
    areas = [c for c in AREA_COLUMNS if c in out.columns]
    if len(areas) > 1:
        raise InputError(
            f"de behoeftetabel heeft zowel {areas}; geef de behoefte per buurt of per wijk, "
            "niet allebei",
            source=source,
        )
    seg = normalise_segment(out["segment"])
    bad = seg.isna() | ~seg.isin(ALL_SEGMENTS)
    _fail(bad, out["segment"], "segment", f"verwacht een van {list(ALL_SEGMENTS)}", source, rows)
    year, bad_year = parse_number(out["jaar"])
    bad_year = bad_year | year.isna() | (np.floor(year) != year) | (year < 1900) | (year > 2200)
    _fail(bad_year, out["jaar"], "jaar", "verwacht een jaartal, bijv. 2025", source, rows)
    need, bad_need = parse_number(out["behoefte"])
    _fail(
        bad_need | need.isna(),
        out["behoefte"],
        "behoefte",
        "verwacht een getal (woningen per jaar)",
        source,
        rows,
    )
    result = pd.DataFrame(
        {"segment": seg, "jaar": year.astype("Int64"), "behoefte": need.astype("float64")}
    )
    for area in areas:
        result[area] = clean_code(out[area]).astype("string")
    result["bron_rij"] = rows
    keys = ["segment", "jaar", *areas]
    dup = result.duplicated(keys, keep=False)
    if dup.any():
        raise InputError(
            f"dezelfde combinatie {keys} komt meer dan eens voor; geef één behoefte per combinatie",
            source=source,
            rows=rows[dup].astype(int).tolist(),
        )
    result.attrs[ATTR_SOURCE] = str(source)
    return result.reset_index(drop=True)


def _fail(
    mask: pd.Series,
    values: pd.Series,
    column: str,
    expected: str,
    source: str | Path,
    rows: pd.Series,
) -> None:
    mask = mask.fillna(True).astype(bool)
    if mask.any():
        shown = values[mask].astype("string").fillna("<leeg>").unique().tolist()[:5]
        raise InputError(
            f"`{column}` bevat {shown}; {expected}",
            source=source,
            column=column,
            rows=rows[mask].astype(int).tolist(),
        )


def need_segments(plans: pd.DataFrame, need: pd.DataFrame) -> pd.Series:
    """Each plan row's segment at the need's granularity (``behoeftesegment``).

    A plan segment the need names is kept; a koop band rolls up to ``koop`` (a rent segment
    to ``huur``) when the need has only the parent; a plan saying only ``koop`` while the need
    has the bands stays ``koop`` (reported by :func:`need_gap` as supply without need).

    Examples
    --------
    >>> need = pd.DataFrame({"segment": ["sociale_huur", "koop"]})
    >>> need_segments(pd.DataFrame({"segment": ["sociale_huur", "koop_duur", "middenhuur"]}),
    ...               need).tolist()
    ['sociale_huur', 'koop', 'middenhuur']
    """
    named = set(need["segment"].astype(str))
    parent = {child: p for p, children in PARENTS.items() for child in children}
    seg = plans["segment"].astype("string")
    rolled = seg.map(lambda s: parent.get(s, s) if isinstance(s, str) else s).astype("string")
    use_parent = ~seg.isin(named) & rolled.isin(named)
    return seg.where(~use_parent, rolled).rename("behoeftesegment")


def supply_bands(
    plans: pd.DataFrame,
    need: pd.DataFrame,
    *,
    config: PrognosisConfig,
    first_year: int | None = None,
) -> Bands:
    """Simulated supply per need segment (and the need's area level) and year.

    The plans need a ``segment`` column (and ``wijkcode``/``buurtcode`` when the need is per
    area; see :func:`geoprestatie.simulation.locate_plans`).
    """
    if "segment" not in plans.columns:
        raise InputError(
            "de plannen hebben geen kolom `segment`; voor de vergelijking met de behoefte is het "
            "segment van elke planregel nodig (sociale_huur, middenhuur, vrije_huur, koop_...)",
            source=str(plans.attrs.get(ATTR_SOURCE, "plannen")),
            column="segment",
        )
    no_segment = plans["segment"].isna()
    if no_segment.any():
        raise InputError(
            "planregels zonder segment; vul het segment in (of een huurprijs/koopprijs)",
            source=str(plans.attrs.get(ATTR_SOURCE, "plannen")),
            column="segment",
            rows=[int(r) for r in plans.loc[no_segment, "bron_rij"]],
        )
    area = [c for c in AREA_COLUMNS if c in need.columns]
    first = (
        int(need["jaar"].min()) if first_year is None else max(first_year, int(need["jaar"].min()))
    )
    last = max(int(need["jaar"].max()), int(plans["jaar"].max()) if len(plans) else 0)
    if config.eindjaar is not None:
        last = max(last, config.eindjaar)
    early = plans["jaar"] < first
    if early.any():
        warnings.warn(
            f"{plans.attrs.get(ATTR_SOURCE, 'plannen')}: {int(early.sum())} planregel(s) vóór "
            f"{first}, het eerste jaar van de behoefte, tellen niet mee tegen de behoefte "
            f"({format_rows([int(r) for r in plans.loc[early, 'bron_rij']])})",
            DataWarning,
            stacklevel=2,
        )
    frame = plans.loc[~early].assign(behoeftesegment=need_segments(plans.loc[~early], need))
    frame.attrs = dict(plans.attrs)
    horizon = dataclasses.replace(config, eindjaar=last)
    return simulate(frame, config=horizon, by=("behoeftesegment", *area), first_year=first)


def need_gap(
    bands: Bands, need: pd.DataFrame, *, percentielen: Sequence[int] = (10, 50, 90)
) -> pd.DataFrame:
    """Cumulative need against cumulative supply per segment, [area] and year.

    ``bands`` comes from :func:`supply_bands`. Per row: ``behoefte`` (the year's need),
    ``behoefte_cumulatief`` (from the need's first year), ``aanbod`` (the plans' net change in
    the year, every plan on time), ``aanbod_cumulatief`` and its band
    ``aanbod_cumulatief_p10/p50/p90`` (simulated), and ``tekort = behoefte_cumulatief -
    aanbod_cumulatief`` with its band (``tekort_p10`` from the high supply, ``tekort_p90`` from
    the low). Segments with plans but no need come with ``behoefte`` NA; need without plans
    with supply 0.

    Examples
    --------
    >>> from geoprestatie.prognosis import PrognosisConfig, plans_from_frame
    >>> plans = plans_from_frame(pd.DataFrame({"partij": ["A"], "jaar": [2025],
    ...     "mutatie": ["nieuwbouw"], "aantal": [30], "segment": ["sociale_huur"]}))
    >>> need = need_from_frame(pd.DataFrame({"segment": ["sociale huur"] * 2,
    ...     "jaar": [2025, 2026], "behoefte": [20, 20]}))
    >>> gap = need_gap(supply_bands(plans, need, config=PrognosisConfig()), need)
    >>> gap[["jaar", "behoefte_cumulatief", "aanbod_cumulatief", "tekort"]]
       jaar  behoefte_cumulatief  aanbod_cumulatief  tekort
    0  2025                 20.0                 30   -10.0
    1  2026                 40.0                 30    10.0
    """
    area = [c for c in AREA_COLUMNS if c in need.columns]
    keys = ["segment", *area]
    supply = bands.table.rename(columns={"behoeftesegment": "segment"})
    lo, mid, hi = band_columns("groei", percentielen)
    supply = supply[[*keys, "jaar", "mutatie", "groei", lo, mid, hi]].rename(
        columns={"mutatie": "aanbod", "groei": "aanbod_cumulatief"}
        | {c: c.replace("groei", "aanbod_cumulatief") for c in (lo, mid, hi)}
    )
    years = sorted(set(supply["jaar"].astype(int)) | set(need["jaar"].astype(int)))
    need_keys = need[keys].drop_duplicates()
    all_keys = pd.concat([need_keys, supply[keys].drop_duplicates()]).drop_duplicates()
    for k in keys:
        all_keys[k] = all_keys[k].astype("string")
        supply[k] = supply[k].astype("string")
    grid = all_keys.merge(pd.DataFrame({"jaar": years}), how="cross")
    n = need[[*keys, "jaar", "behoefte"]].astype({k: "string" for k in keys})
    out = grid.merge(n, on=[*keys, "jaar"], how="left").merge(
        supply, on=[*keys, "jaar"], how="left"
    )
    has_need = out.groupby(keys, dropna=False)["behoefte"].transform(lambda v: v.notna().any())
    out["behoefte"] = out["behoefte"].where(~has_need | out["behoefte"].notna(), 0.0)
    group = [out[k].fillna("\x00") for k in keys]
    out["behoefte_cumulatief"] = out.groupby(group)["behoefte"].cumsum().where(has_need)
    supply_cols = [
        "aanbod",
        "aanbod_cumulatief",
        *[c.replace("groei", "aanbod_cumulatief") for c in (lo, mid, hi)],
    ]
    for c in supply_cols:
        filled = out.groupby(group)[c].ffill() if c != "aanbod" else out[c]
        out[c] = filled.fillna(0).astype("int64")
    cum = [c.replace("groei", "aanbod_cumulatief") for c in (lo, mid, hi)]
    out["tekort"] = out["behoefte_cumulatief"] - out["aanbod_cumulatief"]
    for pct_name, supply_name in zip(
        band_columns("tekort", percentielen), reversed(cum), strict=True
    ):
        out[pct_name] = out["behoefte_cumulatief"] - out[supply_name]
    return out.sort_values([*keys, "jaar"], na_position="last").reset_index(drop=True)


def steering_signals(
    gap: pd.DataFrame, *, marge: float = 0.10, percentielen: Sequence[int] = (10, 50, 90)
) -> pd.DataFrame:
    """*Bijsturen* signals per segment [and area]: where the plans fall short or overshoot.

    A year is ``tekort`` when the median cumulative supply falls short of the cumulative need
    by more than ``marge`` x the need, ``overschot`` when it exceeds it by more; else
    ``in balans``. ``zeker`` when even the optimistic (p90) or pessimistic (p10) supply is
    beyond the margin. One row per segment [and area], for the last year, with ``vanaf`` (the
    first year of the last run of that signal) and a Dutch ``toelichting``; segments with
    plans but no need say ``geen behoefte opgegeven``.

    Examples
    --------
    >>> gap = pd.DataFrame({"segment": ["koop"] * 2, "jaar": [2025, 2026],
    ...     "behoefte_cumulatief": [100.0, 200.0], "aanbod_cumulatief": [90, 120],
    ...     "aanbod_cumulatief_p10": [60, 80], "aanbod_cumulatief_p50": [80, 100],
    ...     "aanbod_cumulatief_p90": [95, 130]})
    >>> steering_signals(gap)[["segment", "jaar", "signaal", "zeker", "vanaf"]]
      segment  jaar  signaal  zeker  vanaf
    0    koop  2026  tekort   True   2025
    """
    lo, mid, hi = band_columns("aanbod_cumulatief", percentielen)
    keys = [c for c in ("segment", *AREA_COLUMNS) if c in gap.columns]
    need = gap["behoefte_cumulatief"]
    room = marge * need.abs()
    short = gap[mid] < need - room
    over = gap[mid] > need + room
    signal = np.select(
        [need.isna(), short, over], ["geen behoefte opgegeven", "tekort", "overschot"], "in balans"
    )
    sure = np.where(short, gap[hi] < need - room, np.where(over, gap[lo] > need + room, False))
    frame = gap[[*keys, "jaar"]].assign(signaal=signal, zeker=sure.astype(bool))
    records = []
    for _, part in frame.groupby([gap[k].fillna("\x00") for k in keys], sort=True):
        part = part.sort_values("jaar")
        last = part.iloc[-1]
        same = (part["signaal"] == last["signaal"]).to_numpy()
        start = len(same) - int(np.argmin(same[::-1])) if not same.all() else 0
        row = cast(pd.Series, gap.loc[cast(int, last.name), :])
        records.append(
            {k: row[k] for k in keys}
            | {
                "jaar": int(last["jaar"]),
                "signaal": str(last["signaal"]),
                "zeker": bool(last["zeker"]),
                "vanaf": int(part["jaar"].iloc[start]),
                "behoefte_cumulatief": row["behoefte_cumulatief"],
                "aanbod_p50": int(cast(int, row[mid])),
                "tekort_p50": row["behoefte_cumulatief"] - row[mid],
                "toelichting": _explain(
                    row, str(last["signaal"]), bool(last["zeker"]), lo, mid, hi
                ),
            }
        )
    return pd.DataFrame(records)


def _explain(row: pd.Series, signal: str, sure: bool, lo: str, mid: str, hi: str) -> str:
    """One Dutch sentence for a planner."""
    label = SEGMENT_LABELS.get(str(row["segment"]), str(row["segment"]))
    where = next((f" in {row[a]}" for a in AREA_COLUMNS if a in row.index and pd.notna(row[a])), "")
    band = f"{int(row[lo])}–{int(row[hi])}"
    if signal == "geen behoefte opgegeven":
        return (
            f"{label}{where}: plannen voor {int(row[mid])} woningen, maar geen behoefte opgegeven"
        )
    need = f"{row['behoefte_cumulatief']:.0f}"
    text = (
        f"{label}{where} t/m {int(row['jaar'])}: behoefte {need}, plannen {int(row[mid])} "
        f"(band {band})"
    )
    if signal == "tekort":
        return text + (
            ": tekort, ook als alles meezit — bijsturen" if sure else ": waarschijnlijk tekort"
        )
    if signal == "overschot":
        return text + (
            ": overschot, ook als veel tegenzit" if sure else ": waarschijnlijk overschot"
        )
    return text + ": in balans"
