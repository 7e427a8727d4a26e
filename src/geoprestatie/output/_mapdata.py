"""Data preparation shared by the interactive maps, static plots and the report (private).

Classification (mapclassify, chosen by name), colour-blind-safe palettes, Dutch class
labels, the SIA display status of each buurt (with privacy suppression) and the prognosis
totals per buurt and year.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.colors import to_hex

from geoprestatie.errors import InputError
from geoprestatie.output._fmt import is_missing, nl_int, nl_num, nl_pct
from geoprestatie.publication import SUPPRESSED_ATTR, SUPPRESSED_LABEL, suppressed_mask

#: classification schemes by name -> mapclassify class name (deterministic ones only)
SCHEMES: dict[str, str] = {
    "quantiles": "Quantiles",
    "fisher_jenks": "FisherJenks",
    "equal_interval": "EqualInterval",
}

#: sequential and diverging palettes that stay distinguishable with colour-vision deficiency
PALETTES = ("YlOrRd", "YlGnBu", "Purples", "Blues", "viridis", "cividis", "PuOr", "BrBG")

COLOUR_NOT_ELIGIBLE = "#a3a3a3"
COLOUR_SUPPRESSED = "#dcdcdc"
COLOUR_ROBUST = "#000000"
COLOUR_DIA = "#08519c"

#: Dutch labels of known SIA criteria (suffix of ``bijdrage_<criterium>``)
CRITERION_LABELS: dict[str, str] = {
    "efg": "Energielabels E/F/G",
    "aandeel_efg": "Energielabels E/F/G",
    "leefbaarometer": "Leefbaarometer",
    "leefbaarometer_score": "Leefbaarometer",
    "aandeel_corporatie": "Aandeel corporatiewoningen",
    "corporatie": "Aandeel corporatiewoningen",
    "bouwjaar": "Bouwjaar",
    "bouwjaar_mediaan": "Bouwjaar (mediaan)",
    "verkoop": "Verkoop",
    "verkoop_aandeel": "Aandeel verkoop",
    "warmte": "Warmtetransitie",
    "warmte_startjaar": "Startjaar warmtetransitie",
}


def criterion_label(name: str, labels: Mapping[str, str] | None = None) -> str:
    """Dutch label of a criterion (the suffix of a ``bijdrage_*`` column).

    Examples
    --------
    >>> criterion_label("aandeel_efg"), criterion_label("geluid_weg")
    ('Energielabels E/F/G', 'Geluid weg')
    >>> criterion_label("x", {"x": "Mijn criterium"})
    'Mijn criterium'
    """
    if labels and name in labels:
        return labels[name]
    if name in CRITERION_LABELS:
        return CRITERION_LABELS[name]
    return name.replace("_", " ").strip().capitalize()


def palette(name: str, k: int) -> list[str]:
    """``k`` hex colours sampled from a named colour-blind-safe matplotlib colormap.

    Examples
    --------
    >>> palette("YlOrRd", 3)
    ['#ffe998', '#fc6631', '#800026']
    >>> palette("rainbow", 3)
    Traceback (most recent call last):
    ...
    ValueError: palet is 'rainbow' maar moet een van ('YlOrRd', ...
    """
    if name not in PALETTES:
        raise ValueError(f"palet is {name!r} maar moet een van {PALETTES} zijn")
    if k < 1:
        raise ValueError(f"het aantal klassen k is {k} maar moet >= 1 zijn")
    cmap = mpl.colormaps[name]
    # skip the palest end of sequential maps: it vanishes against a white background
    lo = 0.0 if name in ("viridis", "cividis", "PuOr", "BrBG") else 0.15
    positions = [0.5] if k == 1 else list(np.linspace(lo, 1.0, k))
    return [to_hex(cmap(float(p))) for p in positions]


@dataclass(frozen=True)
class Classes:
    """A classification: upper ``bins``, per-value class index (-1 for missing), labels."""

    bins: tuple[float, ...]
    index: np.ndarray
    labels: tuple[str, ...]


def class_labels(lower: float, bins: Sequence[float], decimals: int = 1) -> tuple[str, ...]:
    """Dutch class labels ``"0,0 – 20,0"`` from the minimum and the upper bounds.

    Examples
    --------
    >>> class_labels(0, [20, 50.5, 100])
    ('0,0 – 20,0', '20,0 – 50,5', '50,5 – 100,0')
    """
    edges = [lower, *bins]
    return tuple(
        f"{nl_num(a, decimals)} – {nl_num(b, decimals)}" for a, b in itertools.pairwise(edges)
    )


def classify(
    values: pd.Series | np.ndarray, *, scheme: str = "quantiles", k: int = 5, decimals: int = 1
) -> Classes:
    """Classify values with a mapclassify scheme chosen by name; missing values get -1.

    ``k`` shrinks to the number of distinct values when there are fewer.

    Examples
    --------
    >>> c = classify(pd.Series([0.0, 10, 20, 30, None]), scheme="equal_interval", k=3)
    >>> c.index.tolist(), c.labels
    ([0, 0, 1, 2, -1], ('0,0 – 10,0', '10,0 – 20,0', '20,0 – 30,0'))
    >>> classify(pd.Series([1.0]), scheme="jenks")
    Traceback (most recent call last):
    ...
    ValueError: klassenindeling is 'jenks' maar moet een van ['quantiles', 'fisher_jenks', ...
    """
    if scheme not in SCHEMES:
        raise ValueError(f"klassenindeling is {scheme!r} maar moet een van {list(SCHEMES)} zijn")
    y = pd.to_numeric(pd.Series(values), errors="coerce").astype("float64").to_numpy()
    ok = ~np.isnan(y)
    index = np.full(len(y), -1, dtype=int)
    if not ok.any():
        return Classes((), index, ())
    distinct = np.unique(y[ok])
    k = max(1, min(k, len(distinct)))
    if k == 1:
        index[ok] = 0
        v = float(distinct[0])
        return Classes((v,), index, (nl_num(v, decimals),))
    import mapclassify  # here: its import loads scipy.stats and scikit-learn (about 1 s)

    with warnings.catch_warnings():
        # quantiles with ties: mapclassify warns and merges classes, which is what we want
        warnings.filterwarnings("ignore", message="Not enough unique values", category=UserWarning)
        warnings.filterwarnings(
            "ignore", message="Warning: Not enough unique", category=UserWarning
        )
        fitted = getattr(mapclassify, SCHEMES[scheme])(y[ok], k=k)
    bins = tuple(float(b) for b in fitted.bins)
    index[ok] = np.asarray(fitted.yb, dtype=int)
    return Classes(bins, index, class_labels(float(y[ok].min()), bins, decimals))


# ---------------------------------------------------------------------------- SIA

SIA_REQUIRED = ("buurtcode", "buurtnaam", "sia_score", "sia_rang", "sia_geschikt", "geometry")


def criteria_columns(scored: pd.DataFrame, criteria: Sequence[str] | None) -> list[str]:
    """The ``bijdrage_*`` columns to show: all of them, or those of ``criteria`` in order."""
    if criteria is None:
        return [str(c) for c in scored.columns if str(c).startswith("bijdrage_")]
    cols = [f"bijdrage_{c}" if not c.startswith("bijdrage_") else c for c in criteria]
    missing = [c for c in cols if c not in scored.columns]
    if missing:
        found = [str(c) for c in scored.columns if str(c).startswith("bijdrage_")]
        raise InputError(
            f"criteria {missing} hebben geen bijdragekolom; gevonden {found}",
            column=missing[0],
        )
    return cols


#: The tooltip status of a buurt whose SIA figures the publication policy hid.
SUPPRESSED_STATUS = f"{SUPPRESSED_LABEL} niet getoond (privacy)"


def hidden(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Where the publication policy hid ``column`` (``frame.attrs["onderdrukt"]``);
    all False for a frame that was not published (internal outputs show everything)."""
    if column not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return suppressed_mask(frame)[column].to_numpy(dtype=bool)


def sia_status(scored: pd.DataFrame) -> pd.DataFrame:
    """Add ``_status`` (``prioriteit``/``niet_geschikt``/``onderdrukt``) and ``_reden``
    (Dutch reason) for display.

    A buurt is shown with its score when it is eligible (``sia_geschikt``) and has a score;
    ``onderdrukt`` where :func:`geoprestatie.publication.publish` hid its SIA score
    (renderers never suppress themselves).
    """
    missing = [c for c in SIA_REQUIRED if c not in scored.columns]
    if missing:
        raise InputError(
            f"SIA-kolom(men) ontbreken: {missing}; verwacht de SIA-kolommen "
            f"{list(SIA_REQUIRED)} (zie docs/architecture.md), gevonden "
            f"{list(map(str, scored.columns))}",
            source="SIA-tabel",
        )
    out = scored.copy()
    suppressed = hidden(scored, "sia_score")
    eligible = out["sia_geschikt"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    has_score = pd.to_numeric(out["sia_score"], errors="coerce").notna().to_numpy()
    status = np.where(
        suppressed, "onderdrukt", np.where(eligible & has_score, "prioriteit", "niet_geschikt")
    )
    reason_col = (
        out["sia_reden"].astype(object)
        if "sia_reden" in out
        else pd.Series([None] * len(out), index=out.index, dtype=object)
    )
    reason_hidden = hidden(scored, "sia_reden")
    reasons = []
    for st, r, r_hidden in zip(status, reason_col, reason_hidden, strict=True):
        if st == "onderdrukt" or (st == "niet_geschikt" and r_hidden):
            reasons.append(SUPPRESSED_STATUS)
        elif st == "niet_geschikt":
            reasons.append(str(r) if isinstance(r, str) and r else "niet geschikt (geen score)")
        else:
            reasons.append("geschikt")
    out["_status"] = status
    out["_reden"] = reasons
    return out


#: What each DIA role (``dia_rol`` of :func:`geoprestatie.dia.delineate`) means, in Dutch.
DIA_ROLES: dict[str, str] = {
    "prioriteitsbuurt": "prioriteitsbuurt",
    "verbindingsbuurt": "verbindingsbuurt: verbindt twee prioriteitsbuurten",
    "aanvulling": "aanvulling: maakt het gebied groot genoeg",
    "vastgezet": "vastgezet uit de vorige DIA-set",
}


def top_rows(shown: pd.DataFrame, n: int) -> pd.DataFrame:
    """The top ``n`` of :func:`sia_status`'s frame by rank, a hidden rank as a placeholder row
    (:func:`with_hidden_ranks`)."""
    prio = shown[shown["_status"] == "prioriteit"].sort_values("sia_rang").head(n)
    return with_hidden_ranks(prio, int((shown["_status"] == "onderdrukt").sum()), n)


def with_hidden_ranks(prio: pd.DataFrame, n_hidden: int, top_n: int) -> pd.DataFrame:
    """The top rows with a placeholder row for each rank the publication policy hid.

    Ranks are unique (1, 2, ...), so a rank missing from the public top is a buurt whose
    figures are not shown; a row "niet getoond (privacy)" says so instead of a silent gap.
    The ranks follow from the public ones alone: nothing more is revealed.

    Examples
    --------
    >>> t = pd.DataFrame({"sia_rang": [1, 3], "buurtnaam": ["A", "C"], "sia_score": [9.0, 7.0]})
    >>> out = with_hidden_ranks(t, n_hidden=5, top_n=3)
    >>> out[["sia_rang", "buurtnaam"]].values.tolist()
    [[1, 'A'], [2, 'niet getoond (privacy)'], [3, 'C']]
    >>> suppressed_mask(out)["sia_score"].tolist()
    [False, True, False]
    """
    if not n_hidden or not len(prio) or "sia_rang" not in prio:
        return prio
    ranks = pd.to_numeric(prio["sia_rang"], errors="coerce")
    gaps = sorted(set(range(1, top_n + 1)) - set(ranks.dropna().astype(int).tolist()))
    gaps = gaps[:n_hidden]
    if not gaps:
        return prio
    filler = pd.DataFrame(
        {"sia_rang": gaps, "buurtnaam": ["niet getoond (privacy)"] * len(gaps)},
        index=[f"_verborgen_{i}" for i in range(len(gaps))],
    )
    mask = suppressed_mask(prio)
    out = pd.concat([prio, filler])
    out["sia_rang"] = pd.to_numeric(out["sia_rang"], errors="coerce").astype("Int64")
    out = out.sort_values("sia_rang", kind="stable").head(top_n)
    hidden = mask.reindex(index=out.index, columns=out.columns, fill_value=False)
    hidden.loc[hidden.index.isin(filler.index), :] = True
    hidden.loc[:, ["sia_rang", "buurtnaam"]] = False
    out.attrs = {**prio.attrs, SUPPRESSED_ATTR: hidden}
    return out


def _texts(frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame:
        return [""] * len(frame)
    return [v if isinstance(v, str) else "" for v in frame[column].astype(object)]


def dia_role_texts(shown: pd.DataFrame) -> list[str]:
    """Per buurt its role in its DIA (``dia_rol``) explained in Dutch; ``""`` outside.

    Examples
    --------
    >>> dia_role_texts(pd.DataFrame({"dia_rol": ["aanvulling", None]}))
    ['aanvulling: maakt het gebied groot genoeg', '']
    """
    return [DIA_ROLES.get(r, r) if r else "" for r in _texts(shown, "dia_rol")]


def dia_texts(shown: pd.DataFrame) -> list[str]:
    """Per buurt one Dutch phrase on its DIA: which area and in what role, or, for a
    priority buurt outside every DIA, the constraint that kept it out (``dia_reden``).

    ``shown`` is the frame of :func:`sia_status`; a buurt in neither case gets ``""``.

    Examples
    --------
    >>> t = pd.DataFrame({"dia_naam": ["DIA Noord", None, None],
    ...     "dia_rol": ["verbindingsbuurt", None, None],
    ...     "dia_reden": [None, "past niet meer in het budget van 250 (budget)", None]})
    >>> dia_texts(t)  # doctest: +NORMALIZE_WHITESPACE
    ['in DIA Noord als verbindingsbuurt: verbindt twee prioriteitsbuurten',
     'niet in een DIA: past niet meer in het budget van 250 (budget)', '']
    """
    names, reasons = _texts(shown, "dia_naam"), _texts(shown, "dia_reden")
    out = []
    for name, role, reason in zip(names, dia_role_texts(shown), reasons, strict=True):
        if name:
            out.append(f"in {name}" + (f" als {role}" if role else ""))
        else:
            out.append(f"niet in een DIA: {reason}" if reason else "")
    return out


def what_it_takes_texts(shown: pd.DataFrame) -> list[str]:
    """``wat_nodig_tekst`` of the buurten shown with their score (``""`` elsewhere: a
    suppressed or ineligible buurt tells nothing about its weights)."""
    prio = shown["_status"].to_numpy() == "prioriteit" if "_status" in shown else None
    texts = _texts(shown, "wat_nodig_tekst")
    return texts if prio is None else [t if p else "" for t, p in zip(texts, prio, strict=True)]


def cut_sentence(name: str, rank: object, what: str, dia: str) -> str:
    """One Dutch sentence on a buurt near the top-*k* cut: what it takes, and its DIA.

    Examples
    --------
    >>> cut_sentence("Zuid", 11, "Komt in de top 10 als A zwaarder weegt", "niet in een DIA")
    'Zuid (rang 11): komt in de top 10 als A zwaarder weegt; niet in een DIA.'
    """
    head = f"{name} (rang {nl_int(rank)})" if not is_missing(rank) else name
    parts = [what[:1].lower() + what[1:] if what else "", dia]
    body = "; ".join(p for p in parts if p)
    return f"{head}: {body}." if body else f"{head}."


# ---------------------------------------------------------------------------- prognosis

PROGNOSIS_REQUIRED = ("buurtcode", "jaar", "beginstand", "eindstand")

#: mutation columns of :func:`geoprestatie.prognosis.project`, with their Dutch labels
MUTATION_LABELS: dict[str, str] = {
    "nieuwbouw": "nieuwbouw",
    "transformatie": "transformatie",
    "aankoop": "aankoop",
    "deliberalisatie": "deliberalisatie",
    "splitsing": "splitsing",
    "sloop": "sloop",
    "verkoop": "verkoop",
    "liberalisatie": "liberalisatie",
    "samenvoeging": "samenvoeging",
}


def prognosis_totals(
    prognosis: pd.DataFrame,
    *,
    corporatie: str | None = None,
) -> pd.DataFrame:
    """Permanent stock per buurt and year (summed over corporations, or of one).

    Takes the table of :func:`geoprestatie.prognosis.project` (``corporatie``, ``buurtcode``,
    ``jaar``, ``beginstand``, the mutation columns, ``eindstand``). Rows without a buurtcode
    cannot be placed on a map and are left out here (see :func:`unplaced`).

    Returns columns ``buurtcode``, ``jaar``, ``beginstand``, ``eindstand`` (the stock at the
    end of the year), ``verandering`` (eindstand - beginstand of the year),
    ``verandering_start`` (eindstand - beginstand of the first year) and the mutation
    columns that are present, each summed; sign as in the prognosis (removals negative).

    Examples
    --------
    >>> p = pd.DataFrame({"corporatie": ["A", "B", "A", "B"], "buurtcode": ["BU1"] * 4,
    ...                   "jaar": [2025, 2025, 2026, 2026], "beginstand": [10, 5, 12, 5],
    ...                   "sloop": [0, 0, 0, -3], "eindstand": [12, 5, 12, 2]})
    >>> t = prognosis_totals(p)
    >>> t[["jaar", "eindstand", "verandering", "verandering_start", "sloop"]].to_numpy().tolist()
    [[2025, 17, 2, 2, 0], [2026, 14, -3, -1, -3]]
    """
    missing = [c for c in PROGNOSIS_REQUIRED if c not in prognosis.columns]
    if missing:
        raise InputError(
            f"prognosekolom(men) ontbreken: {missing}; verwacht de tabel van "
            f"prognosis.project() met {list(PROGNOSIS_REQUIRED)} per corporatie, buurt "
            f"en jaar; gevonden {list(map(str, prognosis.columns))}",
            source="prognose",
        )
    df = prognosis
    if corporatie is not None:
        if "corporatie" not in df.columns:
            raise InputError(
                f"kan corporatie {corporatie!r} niet kiezen: de prognose heeft geen kolom "
                "'corporatie'",
                source="prognose",
                column="corporatie",
            )
        known = sorted(map(str, df["corporatie"].dropna().unique()))
        if corporatie not in known:
            raise ValueError(f"corporatie is {corporatie!r} maar moet een van {known} zijn")
        df = df[df["corporatie"].astype(str) == corporatie]
    df = df[df["buurtcode"].notna()]
    figures = ["beginstand", *[m for m in MUTATION_LABELS if m in df.columns], "eindstand"]
    keys = pd.DataFrame(
        {"buurtcode": df["buurtcode"].astype(str), "jaar": df["jaar"].astype("int64")}
    )
    values = df[figures].apply(pd.to_numeric).fillna(0).astype("int64")
    totals = (
        pd.concat([keys, values], axis=1)
        .groupby(["buurtcode", "jaar"], as_index=False, sort=True)[figures]
        .sum()
    )
    totals["verandering"] = totals["eindstand"] - totals["beginstand"]
    first = totals.groupby("buurtcode")["beginstand"].transform("first")
    totals["verandering_start"] = totals["eindstand"] - first
    order = ["buurtcode", "jaar", "beginstand", "eindstand", "verandering", "verandering_start"]
    result: pd.DataFrame = totals[[*order, *figures[1:-1]]].reset_index(drop=True)
    return result


def shown_totals(prognosis: pd.DataFrame, *, corporatie: str | None = None) -> pd.DataFrame:
    """:func:`prognosis_totals` as a public output shows them, with ``onderdrukt``.

    A buurt-year whose stand the publication policy hid (``attrs["onderdrukt"]`` of the
    prognosis: beginstand or eindstand) is ``onderdrukt``: its figures are NA. A hidden
    mutation hides that mutation (and the year's change) only.

    Examples
    --------
    >>> p = pd.DataFrame({"corporatie": ["alle corporaties"] * 2, "buurtcode": ["BU1", "BU2"],
    ...                   "jaar": [2025, 2025], "beginstand": [pd.NA, 40],
    ...                   "eindstand": [pd.NA, 41], "nieuwbouw": [pd.NA, 1]})
    >>> p.attrs["onderdrukt"] = p.isna()
    >>> t = shown_totals(p)
    >>> t["onderdrukt"].tolist(), t["eindstand"].tolist()
    ([True, False], [<NA>, 41])
    """
    totals = prognosis_totals(prognosis, corporatie=corporatie)
    mask = suppressed_mask(prognosis)
    keys = pd.DataFrame(
        {
            "buurtcode": prognosis["buurtcode"].astype("string"),
            "jaar": pd.to_numeric(prognosis["jaar"]).astype("int64"),
        }
    )
    if corporatie is not None and "corporatie" in prognosis:
        mask = mask[prognosis["corporatie"].astype(str).to_numpy() == corporatie]
        keys = keys[prognosis["corporatie"].astype(str).to_numpy() == corporatie]
    cols = [c for c in totals.columns if c in mask.columns and c not in ("buurtcode", "jaar")]
    flags = pd.concat([keys.reset_index(drop=True), mask[cols].reset_index(drop=True)], axis=1)
    flags = flags.dropna(subset=["buurtcode"]).groupby(["buurtcode", "jaar"])[cols].any()
    per_row = flags.reindex(
        pd.MultiIndex.from_frame(totals[["buurtcode", "jaar"]].astype({"buurtcode": object}))
    ).fillna(False)
    stand = np.zeros(len(totals), dtype=bool)
    for col in ("beginstand", "eindstand"):
        if col in per_row:
            stand |= per_row[col].to_numpy(dtype=bool)
    out = totals.astype({c: "Int64" for c in totals.columns if c not in ("buurtcode", "jaar")})
    first_hidden = pd.Series(stand, index=out.index).groupby(out["buurtcode"]).transform("first")
    for col in out.columns:
        if col in ("buurtcode", "jaar"):
            continue
        hide = stand.copy()
        if col in per_row:
            hide |= per_row[col].to_numpy(dtype=bool)
        if col == "verandering":
            hide |= (
                per_row.drop(columns=["beginstand", "eindstand"], errors="ignore")
                .any(axis=1)
                .to_numpy(dtype=bool)
            )
        if col == "verandering_start":
            hide |= first_hidden.to_numpy(dtype=bool)
        out[col] = out[col].mask(hide)
    out["onderdrukt"] = stand
    return out


def unplaced(prognosis: pd.DataFrame, codes: set[str]) -> tuple[int, int, list[str]]:
    """Rows of a prognosis that a map cannot draw (no buurtcode, or one not in ``codes``):
    ``(rows, dwellings at the end of the last year, up to 5 codes)``.

    Examples
    --------
    >>> p = pd.DataFrame({"buurtcode": ["BU1", None, "BU9"], "jaar": [2025] * 3,
    ...                   "eindstand": [3, 4, 5]})
    >>> unplaced(p, {"BU1"})
    (2, 9, ['<NA>', 'BU9'])
    """
    code = prognosis["buurtcode"].astype("string")
    lost = ~code.isin(codes).fillna(False).astype(bool) | code.isna()
    last = prognosis["jaar"].astype("int64") == int(prognosis["jaar"].astype("int64").max())
    dwellings = int(pd.to_numeric(prognosis.loc[lost & last, "eindstand"]).fillna(0).sum())
    shown = sorted(set(code[lost].fillna("<NA>")))[:5]
    return int(lost.sum()), dwellings, shown


def change_classes(change: pd.Series) -> tuple[np.ndarray, tuple[str, ...]]:
    """Five symmetric classes of a stock change: strong/some decrease, none, some/strong
    increase; the threshold is the median absolute non-zero change.

    Examples
    --------
    >>> idx, labels = change_classes(pd.Series([-30, -2, 0, 3, 40, None]))
    >>> idx.tolist()
    [0, 1, 2, 3, 4, -1]
    >>> labels[2]
    'geen verandering'
    """
    x = pd.to_numeric(change, errors="coerce").astype("float64").to_numpy()
    ok = ~np.isnan(x)
    nonzero = np.abs(x[ok & (x != 0)])
    t = float(np.median(nonzero)) if nonzero.size else 1.0
    t = max(1.0, float(np.ceil(t)))
    idx = np.full(len(x), -1, dtype=int)
    idx[ok & (x <= -t)] = 0
    idx[ok & (x > -t) & (x < 0)] = 1
    idx[ok & (x == 0)] = 2
    idx[ok & (x > 0) & (x < t)] = 3
    idx[ok & (x >= t)] = 4
    tt = nl_num(t, 0)
    labels = (
        f"afname {tt} of meer",
        f"afname minder dan {tt}",
        "geen verandering",
        f"toename minder dan {tt}",
        f"toename {tt} of meer",
    )
    return idx, labels


# ---------------------------------------------------------------------------- DIA

#: the aggregates of :func:`geoprestatie.dia.delineate` shown to users: column -> (label, kind)
DIA_FIELDS: dict[str, tuple[str, str]] = {
    "dia_id": ("Id", "text"),
    "dia_naam": ("DIA", "text"),
    "n_buurten": ("Buurten", "int"),
    "buurtnamen": ("Buurtnamen", "text"),
    "woningen_corporaties": ("Corporatiewoningen", "count"),
    "woningvoorraad": ("Woningvoorraad (CBS)", "int"),
    "aandeel_efg": ("Aandeel label E/F/G", "pct"),
    "leefbaarometer_gemiddeld": ("Leefbaarometer (gemiddeld)", "num2"),
    "warmte_startjaren": ("Start warmtetransitie", "text"),
    "warmte_strategieen": ("Warmtestrategie", "text"),
    "verkoop_gepland": ("Verkoop gepland (woningen)", "count"),
    "sia_score_gemiddeld": ("SIA-score (gemiddeld)", "num1"),
    "kans_top_k_gemiddeld": ("Kans in de top (gemiddeld)", "pct"),
    "n_robuust": ("Robuuste buurten", "int"),
    "oppervlakte_ha": ("Oppervlakte (ha)", "num1"),
}


_PARTICLES = {"de", "het", "van", "der", "den", "en", "op", "aan"}


def corporation_name(slug: str) -> str:
    """A readable corporation name from the slug of a ``woningen_<slug>`` column.

    The join stage keeps only the slug (``join.slug``); words of three letters or more are
    capitalised, Dutch particles stay lower case.

    Examples
    --------
    >>> corporation_name("de_alliantie"), corporation_name("omnia_wonen")
    ('de Alliantie', 'Omnia Wonen')
    """
    words = slug.replace("_", " ").split()
    return " ".join(w if w in _PARTICLES or len(w) < 3 else w[:1].upper() + w[1:] for w in words)


def dia_display(areas: pd.DataFrame) -> pd.DataFrame:
    """The DIA aggregates as Dutch display text, one column per label (not escaped).

    Cells the publication policy hid (``attrs["onderdrukt"]``) show as
    :data:`~geoprestatie.publication.SUPPRESSED_LABEL`. Columns that are absent are
    skipped; the per-corporation counts (``woningen_<corporatie>``) follow the total.

    Examples
    --------
    >>> a = pd.DataFrame({"dia_naam": ["Oost"], "woningen_corporaties": [120.0],
    ...                   "woningen_portaal": [pd.NA], "aandeel_efg": [0.25]})
    >>> a.attrs["onderdrukt"] = a.isna()
    >>> dia_display(a).iloc[0].tolist()
    ['Oost', '120', '×', '25,0 %']
    """
    fields: list[tuple[str, str, str]] = []
    for col, (label, kind) in DIA_FIELDS.items():
        if col in areas.columns:
            fields.append((col, label, kind))
        if col == "woningen_corporaties":
            per_corp = sorted(
                str(c)
                for c in areas.columns
                if str(c).startswith("woningen_") and str(c) != "woningen_corporaties"
            )
            fields.extend(
                (c, "waarvan " + corporation_name(c.removeprefix("woningen_")), "count")
                for c in per_corp
            )

    def text(v: object, kind: str, hide: bool) -> str:
        if hide:
            return SUPPRESSED_LABEL
        if is_missing(v):
            return "–"
        if kind in ("count", "int"):
            return nl_int(v)
        if kind == "pct":
            return nl_pct(v, 1)
        if kind in ("num1", "num2"):
            return nl_num(v, int(kind[-1]))
        return str(v) if str(v) else "–"

    out = pd.DataFrame(index=areas.index)
    for col, label, kind in fields:
        out[label] = [
            text(v, kind, h)
            for v, h in zip(areas[col].astype(object), hidden(areas, col), strict=True)
        ]
    return out
