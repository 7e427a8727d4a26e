"""The expression part of the rule language: parsed safely, evaluated column-wise.

An expression is text in a small subset of Python syntax (with Dutch keywords), parsed with
:mod:`ast` and checked against a strict whitelist of node types: names of columns, numbers,
texts, lists of constants, ``+ - * /``, comparisons (``== != < <= > >= in``, ``niet in``),
``en``/``of``/``niet`` (``and``/``or``/``not``), ``vorig.<kolom>`` (the value of the same
dwelling in an earlier stock snapshot) and calls of the functions in :data:`FUNCTIONS` and
:data:`AGGREGATES`. Nothing is ever passed to :func:`eval`.

Record-level values are three-valued: every value carries a *known* flag. A missing cell is
unknown; ``en``/``of``/``niet`` follow Kleene logic (``onwaar en ?`` is ``onwaar``).

Aggregates (``aantal``, ``som``, ``aandeel``, ``gemiddelde``, ``mediaan``, ``minimum``,
``maximum``) reduce the records of each group to an *interval* ``[laag, hoog]``: the lowest
and highest value the measurement can take whatever the unknown values are. ``aantal`` and
``aandeel`` bound exactly; the others are unbounded (``-inf``..``inf``) as soon as one value
they need is unknown, unless the rule says ``ontbrekend = "negeren"``. Arithmetic between
aggregates is interval arithmetic, so the final status is decided only when every possible
value gives the same colour.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"huur": [500.0, None, 800.0], "max_huur": [700.0, 700.0, 700.0]})
>>> e = parse("huur <= 0.9 * max_huur", where="voorbeeld")
>>> v = e.evaluate(Frame.of(df))
>>> v.values.tolist(), v.known.tolist()
([True, False, False], [True, False, True])
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import math
import re
import tokenize
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from geoprestatie.errors import ConfigError
from geoprestatie.sources._tabular import FALSE_WORDS, TRUE_WORDS, parse_number

__all__ = [
    "AGGREGATES",
    "FUNCTIONS",
    "LOCATION_COLUMNS",
    "Expr",
    "Frame",
    "Interval",
    "Vec",
    "parse",
]

#: A record's location (a point, or the joined dwellings' RD coordinates): not one of the
#: attributes a rule's columns, a comparison with an earlier year or a record table show.
LOCATION_COLUMNS = frozenset({"geometry", "x", "y"})

#: Dutch keywords and their Python spelling (replaced token by token, never inside texts).
_KEYWORDS = {"en": "and", "of": "or", "niet": "not", "ja": "True", "nee": "False"}

#: Record-level functions: name -> (minimum, maximum number of arguments, description).
FUNCTIONS: dict[str, tuple[int, int, str]] = {
    "bekend": (1, 1, "waar als de waarde bekend (niet leeg) is; nooit onbekend"),
    "leeg": (1, 1, "waar als de waarde leeg is; nooit onbekend"),
    "jaar": (1, 1, "het jaar van een datum"),
    "maand": (1, 1, "de maand (1-12) van een datum"),
    "datum": (1, 1, "een vaste datum, bijv. datum('2022-07-01')"),
    "bevat": (2, 2, "waar als de tekst het stukje tekst bevat (hoofdletterongevoelig)"),
    "abs": (1, 1, "de absolute waarde"),
    "dagen": (2, 2, "het aantal dagen van de eerste tot de tweede datum"),
}
#: Aggregates: name -> (minimum, maximum number of arguments, description).
AGGREGATES: dict[str, tuple[int, int, str]] = {
    "aantal": (0, 1, "het aantal records (waarvoor de voorwaarde geldt)"),
    "som": (1, 1, "de som van een kolom of berekening"),
    "aandeel": (1, 1, "het aandeel records waarvoor de voorwaarde geldt (0-1)"),
    "gemiddelde": (1, 1, "het gemiddelde"),
    "mediaan": (1, 1, "de mediaan"),
    "minimum": (1, 1, "de kleinste waarde"),
    "maximum": (1, 1, "de grootste waarde"),
}
_ALIASES = {
    "min": "minimum",
    "max": "maximum",
    "count": "aantal",
    "sum": "som",
    "share": "aandeel",
    "mean": "gemiddelde",
    "median": "mediaan",
}


# --------------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Vec:
    """A record-level value: ``values`` and which of them are ``known``.

    ``kind`` is ``num`` (float64; ordered categories as their codes, dates as days since
    1970), ``bool``, ``text`` (object) or ``date``; ``categories`` of an ordered column.
    """

    values: np.ndarray
    known: np.ndarray
    kind: str
    categories: tuple[str, ...] = ()
    text: np.ndarray | None = None  # the cells as text, for a column typed from text


@dataclass(frozen=True)
class Interval:
    """Per group the interval ``[lo, hi]`` a measurement lies in (NaN: not measurable)."""

    lo: np.ndarray
    hi: np.ndarray

    @staticmethod
    def point(value: float, n: int) -> Interval:
        arr = np.full(n, float(value))
        return Interval(arr, arr.copy())


@dataclass(frozen=True)
class Frame:
    """The records a rule looks at, with group codes for aggregates.

    ``groups`` gives each record its group (0..n_groups-1) or -1 when the record is not
    surely in the population; ``maybe`` gives the group of records whose membership is
    unknown (a filter on a missing value), else -1. ``ignore_missing`` is the rule's
    ``ontbrekend = "negeren"``.
    """

    data: pd.DataFrame
    groups: np.ndarray
    n_groups: int
    maybe: np.ndarray
    ignore_missing: bool = False
    constants: Mapping[str, Interval] = field(default_factory=dict)

    @staticmethod
    def of(data: pd.DataFrame) -> Frame:
        n = len(data)
        return Frame(data, np.zeros(n, dtype=np.int64), 1, np.full(n, -1, dtype=np.int64))


def _days(values: pd.Series) -> np.ndarray:
    stamps = pd.to_datetime(values, errors="coerce")
    out = (stamps - pd.Timestamp("1970-01-01")).dt.days.astype("float64")
    return out.to_numpy(na_value=np.nan)


def column_vec(data: pd.DataFrame, name: str, *, where: str) -> Vec:
    """The :class:`Vec` of a column, typed from its dtype (text that reads as numbers is
    numeric: a Dutch decimal comma is understood)."""
    col = data[name]
    known = col.notna().to_numpy(dtype=bool)
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = tuple(str(c) for c in col.dtype.categories)
        if col.dtype.ordered:
            codes = col.cat.codes.to_numpy().astype("float64")
            codes[~known] = np.nan
            return Vec(codes, known, "num", cats)
        col = col.astype("string")
    if pd.api.types.is_bool_dtype(col):
        return Vec(col.fillna(False).to_numpy(dtype=bool), known, "bool")
    if pd.api.types.is_datetime64_any_dtype(col):
        return Vec(_days(col), known, "date")
    if pd.api.types.is_numeric_dtype(col):
        return Vec(col.astype("float64").to_numpy(na_value=np.nan), known, "num")
    text = col.astype("string").str.strip()
    known = (text.notna() & (text != "")).to_numpy(dtype=bool)
    filled = text[known]
    low = set(filled.str.lower().unique())
    if low and low <= TRUE_WORDS | FALSE_WORDS and not low <= set("0123456789"):
        return Vec(text.str.lower().isin(TRUE_WORDS).fillna(False).to_numpy(bool), known, "bool")
    as_text = text.fillna("").to_numpy(dtype=object)
    numbers, bad = parse_number(filled)
    if len(filled) and not bad.any() and numbers.notna().all():
        vals = np.full(len(col), np.nan)
        vals[known] = numbers.astype("float64").to_numpy()
        return Vec(vals, known, "num", text=as_text)
    if len(filled) and filled.str.fullmatch(r"\d{1,4}[-/]\d{1,2}[-/]\d{1,4}").all():
        iso = bool(filled.str.match(r"^\d{4}").all())
        dates = pd.to_datetime(filled, errors="coerce", dayfirst=not iso, format="mixed")
        if dates.notna().all():
            vals = np.full(len(col), np.nan)
            vals[known] = _days(dates)
            return Vec(vals, known, "date", text=as_text)
    return Vec(as_text, known, "text")


# --------------------------------------------------------------------------------- parsing


_ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Name,
    ast.Load,
    ast.Attribute,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Call,
)


#: Python's reasons for an unreadable expression (SyntaxError.msg) in Dutch.
_SYNTAX_REASONS: tuple[tuple[str, str], ...] = (
    ("invalid syntax. Perhaps you forgot a comma?", "ongeldige opbouw; ontbreekt er een komma?"),
    ("invalid syntax", "ongeldige opbouw"),
    ("was never closed", "wordt niet gesloten"),
    ("unmatched", "heeft geen openend haakje"),
    ("unterminated string literal", "tekst zonder afsluitend aanhalingsteken"),
    ("invalid decimal literal", "ongeldig getal"),
    ("unexpected EOF", "de uitdrukking houdt te vroeg op"),
    ("closing parenthesis", "haakjes passen niet bij elkaar"),
    ("EOF in multi-line", "haakjes passen niet bij elkaar"),
)


def _syntax_reason(exc: SyntaxError) -> str:
    """Python's SyntaxError message in Dutch (the quoted part kept), or as it is.

    Examples
    --------
    >>> _syntax_reason(SyntaxError("'(' was never closed"))
    "'(' wordt niet gesloten"
    """
    msg = str(getattr(exc, "msg", exc))
    for english, dutch in _SYNTAX_REASONS:
        if english in msg:
            quoted = re.findall(r"'[^']*'", msg)
            return f"{quoted[0]} {dutch}" if quoted and not dutch.startswith("ongeldig") else dutch
    return msg


def _node_text(node: ast.AST) -> str:
    """The source text of a syntax node for a message (``'lambda x: x'``)."""
    try:
        return repr(ast.unparse(node))
    except Exception:  # pragma: no cover - unparse handles every expression node
        return type(node).__name__


def _translate(text: str) -> str:
    """Replace the Dutch keywords by Python ones, token by token (texts are left alone)."""
    out = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        raise SyntaxError(str(exc.args[0]) if exc.args else str(exc)) from None
    for tok in tokens:
        if tok.type == tokenize.NAME and tok.string in _KEYWORDS:
            tok = tok._replace(string=_KEYWORDS[tok.string])
        out.append(tok)
    return tokenize.untokenize(out)


def parse(text: Any, *, where: str, aggregate: bool = False, constants: Sequence[str] = ()) -> Expr:
    """Parse an expression; ``aggregate`` says whether aggregates may (and must) be used.

    ``constants`` are names a measurement may use outside an aggregate (``referentie``);
    such a measurement needs no aggregate.

    Raises
    ------
    ConfigError
        Syntax errors and anything outside the whitelist, in Dutch, naming ``where``.
    """
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise ConfigError(f"{where}: verwacht een uitdrukking (tekst), kreeg {text!r}")
    source = str(text).strip()
    if not source:
        raise ConfigError(f"{where}: de uitdrukking is leeg")
    try:
        tree = ast.parse(_translate(source).strip(), mode="eval")
    except SyntaxError as exc:
        raise ConfigError(
            f"{where}: uitdrukking {source!r} is niet leesbaar ({_syntax_reason(exc)}); "
            "gebruik kolommen, getallen, 'tekst', + - * /, == != < <= > >= in, en/of/niet "
            "en de functies uit docs/regeltaal.md"
        ) from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ConfigError(
                f"{where}: {_node_text(node)} is niet toegestaan in een uitdrukking ({source!r})"
            )
        if isinstance(node, ast.Attribute) and not (
            isinstance(node.value, ast.Name) and node.value.id == "vorig"
        ):
            raise ConfigError(
                f"{where}: alleen vorig.<kolom> mag een punt hebben; kreeg {ast.unparse(node)!r}"
            )
        if isinstance(node, ast.Call):
            _check_call(node, where=where, source=source)
        if isinstance(node, ast.Constant) and not isinstance(node.value, str | int | float | bool):
            raise ConfigError(f"{where}: constante {node.value!r} is niet toegestaan")
    expr = Expr(tree.body, source, where)
    if aggregate:
        _check_measure_shape(tree.body, where=where, source=source, constants=constants)
    uses_constant = any(isinstance(n, ast.Name) and n.id in constants for n in ast.walk(tree.body))
    if aggregate and not expr.has_aggregate() and not uses_constant:
        raise ConfigError(
            f"{where}: {source!r} meet niets: gebruik een aggregaat zoals aantal(), "
            f"aandeel(voorwaarde) of som(kolom) ({sorted(AGGREGATES)})"
        )
    if not aggregate and expr.has_aggregate():
        raise ConfigError(
            f"{where}: {source!r}: aggregaten ({sorted(AGGREGATES)}) horen in `meting` of "
            "`norm`, niet in een voorwaarde per record"
        )
    return expr


def _check_measure_shape(
    node: ast.expr, *, where: str, source: str, constants: Sequence[str] = ()
) -> None:
    """A measurement is aggregates and numbers joined by + - * / (no comparisons)."""
    if isinstance(node, ast.BinOp):
        _check_measure_shape(node.left, where=where, source=source, constants=constants)
        _check_measure_shape(node.right, where=where, source=source, constants=constants)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _check_measure_shape(node.operand, where=where, source=source, constants=constants)
    elif isinstance(node, ast.Name) and node.id not in constants:
        raise ConfigError(
            f"{where}: {source!r}: {node.id!r} staat buiten een aggregaat; schrijf bijv. "
            f"som({node.id})" + (f" (of gebruik {list(constants)})" if constants else "")
        )
    elif isinstance(node, ast.Call | ast.Name) or (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        return
    else:
        raise ConfigError(
            f"{where}: {source!r}: een meting is een getal uit aggregaten en getallen met "
            f"+ - * /; {ast.unparse(node)!r} hoort binnen een aggregaat, bijv. "
            f"aandeel({ast.unparse(node)})"
        )


def _check_call(node: ast.Call, *, where: str, source: str) -> None:
    if not isinstance(node.func, ast.Name):
        raise ConfigError(
            f"{where}: alleen functies bij naam mogen worden aangeroepen ({source!r})"
        )
    name = _ALIASES.get(node.func.id, node.func.id)
    spec = FUNCTIONS.get(name) or AGGREGATES.get(name)
    if spec is None:
        raise ConfigError(
            f"{where}: onbekende functie {node.func.id!r}; bekend zijn "
            f"{sorted([*FUNCTIONS, *AGGREGATES])}"
        )
    if node.keywords or not spec[0] <= len(node.args) <= spec[1]:
        raise ConfigError(
            f"{where}: {name}() verwacht {spec[0]}"
            + (f"-{spec[1]}" if spec[1] != spec[0] else "")
            + f" argument(en), kreeg {ast.unparse(node)!r}"
        )


# ------------------------------------------------------------------------------ evaluation

_CMP: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}
_ARITH: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


@dataclass(frozen=True)
class Expr:
    """A parsed, checked expression (see :func:`parse`)."""

    node: ast.expr
    source: str
    where: str

    def has_aggregate(self) -> bool:
        return any(
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Name)
            and _ALIASES.get(n.func.id, n.func.id) in AGGREGATES
            for n in ast.walk(self.node)
        )

    def columns(self) -> set[str]:
        """Column names used (``vorig.x`` as ``vorig.x``), without function names."""
        funcs = {id(n.func) for n in ast.walk(self.node) if isinstance(n, ast.Call)}
        out = set()
        for n in ast.walk(self.node):
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name):
                out.add(f"vorig.{n.attr}")
            elif isinstance(n, ast.Name) and id(n) not in funcs and n.id != "vorig":
                out.add(n.id)
        return out

    def first_aggregate(self) -> tuple[str, ast.expr | None] | None:
        """``(name, argument)`` when the whole expression is one aggregate call."""
        node = self.node
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = _ALIASES.get(node.func.id, node.func.id)
            if name in AGGREGATES:
                return name, (node.args[0] if node.args else None)
        return None

    def evaluate(self, frame: Frame) -> Vec:
        """Record-level value of a non-aggregate expression."""
        return _Evaluator(frame, self).record(self.node)

    def measure(self, frame: Frame) -> Interval:
        """The interval per group of an aggregate expression."""
        return _Evaluator(frame, self).agg(self.node)

    def sub(self, node: ast.expr) -> Expr:
        return Expr(node, ast.unparse(node), self.where)


def _kleene_and(a: Vec, b: Vec) -> Vec:
    av, bv = a.values.astype(bool) & a.known, b.values.astype(bool) & b.known
    false = (a.known & ~av) | (b.known & ~bv)
    true = av & bv
    return Vec(true, true | false, "bool")


def _kleene_or(a: Vec, b: Vec) -> Vec:
    av, bv = a.values.astype(bool) & a.known, b.values.astype(bool) & b.known
    true = av | bv
    false = (a.known & ~av) & (b.known & ~bv)
    return Vec(true, true | false, "bool")


class _Evaluator:
    def __init__(self, frame: Frame, expr: Expr) -> None:
        self.frame = frame
        self.expr = expr
        self.n = len(frame.data)

    def fail(self, message: str) -> ConfigError:
        return ConfigError(f"{self.expr.where}: {message} (in {self.expr.source!r})")

    # -- record level ------------------------------------------------------------------
    def const(self, value: Any) -> Vec:
        if isinstance(value, bool):
            return Vec(np.full(self.n, value), np.ones(self.n, bool), "bool")
        if isinstance(value, int | float):
            return Vec(np.full(self.n, float(value)), np.ones(self.n, bool), "num")
        return Vec(np.full(self.n, str(value), dtype=object), np.ones(self.n, bool), "text")

    def record(self, node: ast.expr) -> Vec:
        if isinstance(node, ast.Constant):
            return self.const(node.value)
        if isinstance(node, ast.Name):
            if node.id in ("True", "False"):
                return self.const(node.id == "True")
            return self.column(node.id)
        if isinstance(node, ast.Attribute):
            return self.column(f"vorig.{node.attr}")
        if isinstance(node, ast.UnaryOp):
            v = self.record(node.operand)
            if isinstance(node.op, ast.Not):
                b = self.boolean(v)
                return Vec(~b.values.astype(bool), b.known, "bool")
            num = self.number(v)
            sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
            return Vec(sign * num.values, num.known, "num")
        if isinstance(node, ast.BoolOp):
            vals = [self.boolean(self.record(v)) for v in node.values]
            out = vals[0]
            for v in vals[1:]:
                out = _kleene_and(out, v) if isinstance(node.op, ast.And) else _kleene_or(out, v)
            return out
        if isinstance(node, ast.BinOp):
            a, b = self.record(node.left), self.record(node.right)
            if a.kind == "date" and b.kind == "date" and isinstance(node.op, ast.Sub):
                return Vec(a.values - b.values, a.known & b.known, "num")
            a, b = self.number(a), self.number(b)
            with np.errstate(divide="ignore", invalid="ignore"):
                vals = _ARITH[type(node.op)](a.values, b.values)
            known = a.known & b.known & np.isfinite(vals)
            return Vec(vals, known, "num")
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.List | ast.Tuple):
            raise self.fail("een lijst hoort rechts van `in`")
        raise self.fail(f"{type(node).__name__} is hier niet toegestaan")  # pragma: no cover

    def column(self, name: str) -> Vec:
        data = self.frame.data
        if name not in data.columns:
            hint = (
                " (vorig.<kolom> vraagt `vergelijk_met` met een eerdere peildatum)"
                if name.startswith("vorig.")
                else ""
            )
            shown = sorted(c for c in map(str, data.columns) if c not in LOCATION_COLUMNS)
            raise self.fail(f"kolom {name!r} bestaat niet in de gegevens{hint}; kolommen: {shown}")
        return column_vec(data, name, where=self.expr.where)

    def boolean(self, v: Vec) -> Vec:
        if v.kind == "bool":
            return v
        if v.kind == "num" and not v.categories:
            ok = np.isin(v.values[v.known], (0.0, 1.0)).all()
            if ok:
                return Vec(v.values == 1.0, v.known, "bool")
        raise self.fail("verwacht een voorwaarde (waar/onwaar), kreeg een " + _kind_nl(v))

    def number(self, v: Vec) -> Vec:
        if v.kind in ("num", "date"):
            return v
        if v.kind == "bool":
            return Vec(v.values.astype("float64"), v.known, "num")
        raise self.fail("verwacht een getal, kreeg tekst")

    def literal_for(self, v: Vec, node: ast.expr) -> Any:
        """A constant on the right of a comparison, converted to the column's kind."""
        if not isinstance(node, ast.Constant | ast.Name):
            return None
        value = node.value if isinstance(node, ast.Constant) else None
        if isinstance(node, ast.Name):
            if node.id not in ("True", "False"):
                return None
            value = node.id == "True"
        if v.categories:
            if str(value) not in v.categories:
                raise self.fail(
                    f"waarde {value!r} is geen categorie van de kolom; "
                    f"kies uit {list(v.categories)}"
                )
            return float(v.categories.index(str(value)))
        if v.kind == "date":
            if isinstance(value, str):
                try:
                    return float((pd.Timestamp(value) - pd.Timestamp("1970-01-01")).days)
                except ValueError:
                    raise self.fail(f"{value!r} is geen datum (schrijf 'jjjj-mm-dd')") from None
            if isinstance(value, int | float):
                raise self.fail(f"vergelijk een datum met een datum ('jjjj-mm-dd'), niet {value!r}")
        if v.kind == "bool" and isinstance(value, str):
            w = value.strip().lower()
            if w not in TRUE_WORDS | FALSE_WORDS:
                raise self.fail(f"de kolom is ja/nee; kreeg {value!r}")
            return w in TRUE_WORDS
        if v.kind == "num" and isinstance(value, str):
            raise self.fail(f"de kolom is numeriek; kreeg tekst {value!r}")
        if v.kind == "text" and not isinstance(value, str):
            return str(value)
        return value

    def side(self, node: ast.expr, other: Vec | None) -> Vec:
        if other is not None:
            lit = self.literal_for(other, node)
            if lit is not None:
                if isinstance(lit, bool) and other.kind == "bool":
                    return self.const(lit)
                if isinstance(lit, float | int) and not isinstance(lit, bool):
                    return Vec(np.full(self.n, float(lit)), np.ones(self.n, bool), other.kind)
                return self.const(lit)
        return self.record(node)

    @staticmethod
    def _is_text(node: ast.expr) -> bool:
        if isinstance(node, ast.List | ast.Tuple):
            return any(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)
        return isinstance(node, ast.Constant) and isinstance(node.value, str)

    def as_text(self, v: Vec, node: ast.expr) -> Vec:
        """A column typed from text, compared with text ('13', ['12', '13']), stays text."""
        if v.text is not None and v.kind != "text" and self._is_text(node):
            return Vec(v.text, v.known, "text")
        return v

    def compare(self, node: ast.Compare) -> Vec:
        left = self.as_text(self.record(node.left), node.comparators[0])
        result: Vec | None = None
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn):
                part = self.membership(left, right_node, negate=isinstance(op, ast.NotIn))
                right = left
            else:
                left = self.as_text(left, right_node)
                right = self.side(right_node, left)
                if isinstance(node.left, ast.Constant):  # 'A' == energielabel
                    left = self.side(node.left, right)
                part = self.pairwise(op, left, right)
            result = part if result is None else _kleene_and(result, part)
            left = right
        assert result is not None
        return result

    def pairwise(self, op: ast.cmpop, a: Vec, b: Vec) -> Vec:
        known = a.known & b.known
        if a.kind == "text" or b.kind == "text":
            if a.kind != b.kind:
                raise self.fail(
                    f"vergelijkt tekst met een {_kind_nl(b if a.kind == 'text' else a)}"
                )
            if type(op) not in (ast.Eq, ast.NotEq):
                raise self.fail("tekst kent alleen == en != (en in); gebruik een geordende kolom")
            av = np.char.lower(a.values.astype(str))
            bv = np.char.lower(b.values.astype(str))
            vals = _CMP[type(op)](av, bv)
        else:
            if a.kind == "bool" and b.kind == "bool" and type(op) in (ast.Eq, ast.NotEq):
                vals = _CMP[type(op)](a.values.astype(bool), b.values.astype(bool))
            else:
                x, y = self.number(a), self.number(b)
                # a tolerance for decimal arithmetic: 630 / 600 - 1 <= 0.05 holds
                tol = 1e-9 * np.maximum(1.0, np.abs(np.nan_to_num(y.values)))
                with np.errstate(invalid="ignore"):
                    if isinstance(op, ast.LtE):
                        vals = x.values <= y.values + tol
                    elif isinstance(op, ast.GtE):
                        vals = x.values >= y.values - tol
                    else:
                        vals = _CMP[type(op)](x.values, y.values)
        return Vec(np.asarray(vals, dtype=bool) & known, known, "bool")

    def membership(self, left: Vec, node: ast.expr, *, negate: bool) -> Vec:
        if not isinstance(node, ast.List | ast.Tuple) or not all(
            isinstance(e, ast.Constant) for e in node.elts
        ):
            raise self.fail("rechts van `in` staat een lijst van vaste waarden, bijv. ['F', 'G']")
        items = [self.literal_for(left, e) for e in node.elts]
        if left.kind == "text":
            wanted = {str(i).strip().casefold() for i in items}
            hit = np.array([str(v).strip().casefold() in wanted for v in left.values], dtype=bool)
        else:
            hit = np.isin(left.values.astype("float64"), np.array(items, dtype="float64"))
        hit = ~hit if negate else hit
        return Vec(hit & left.known, left.known, "bool")

    def call(self, node: ast.Call) -> Vec:
        assert isinstance(node.func, ast.Name)
        name = _ALIASES.get(node.func.id, node.func.id)
        if name in AGGREGATES:
            raise self.fail(f"{name}() is een aggregaat en kan niet per record")
        args = node.args
        if name == "datum":
            if not (isinstance(args[0], ast.Constant) and isinstance(args[0].value, str)):
                raise self.fail(
                    "datum() verwacht een vaste datum als tekst, bijv. datum('2022-07-01')"
                )
            lit = self.literal_for(Vec(np.zeros(0), np.zeros(0, bool), "date"), args[0])
            return Vec(np.full(self.n, float(lit)), np.ones(self.n, bool), "date")
        v = self.record(args[0])
        if name == "bekend":
            return Vec(v.known.copy(), np.ones(self.n, bool), "bool")
        if name == "leeg":
            return Vec(~v.known, np.ones(self.n, bool), "bool")
        if name in ("jaar", "maand"):
            if v.kind != "date":
                raise self.fail(f"{name}() verwacht een datumkolom, kreeg een {_kind_nl(v)}")
            stamps = pd.to_datetime(v.values, unit="D", origin="unix", errors="coerce")
            part = stamps.year if name == "jaar" else stamps.month
            return Vec(np.asarray(part, dtype="float64"), v.known, "num")
        if name == "bevat":
            if v.kind != "text" or not (
                isinstance(args[1], ast.Constant) and isinstance(args[1].value, str)
            ):
                raise self.fail("bevat(kolom, 'tekst') verwacht een tekstkolom en een vaste tekst")
            needle = args[1].value.casefold()
            hit = np.array([needle in str(x).casefold() for x in v.values], dtype=bool)
            return Vec(hit & v.known, v.known, "bool")
        if name == "abs":
            num = self.number(v)
            return Vec(np.abs(num.values), num.known, "num")
        if name == "dagen":
            w = self.record(args[1])
            if v.kind != "date" or w.kind != "date":
                raise self.fail("dagen(van, tot) verwacht twee datums")
            return Vec(w.values - v.values, v.known & w.known, "num")
        raise self.fail(f"onbekende functie {name!r}")  # pragma: no cover

    # -- aggregate level ---------------------------------------------------------------
    def agg(self, node: ast.expr) -> Interval:
        g = self.frame.n_groups
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            if isinstance(node.value, bool):
                raise self.fail("een meting is een getal, geen waar/onwaar")
            return Interval.point(float(node.value), g)
        if isinstance(node, ast.Name) and node.id in self.frame.constants:
            return self.frame.constants[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            v = self.agg(node.operand)
            return Interval(-v.hi, -v.lo) if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            return _interval_arith(type(node.op), self.agg(node.left), self.agg(node.right))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = _ALIASES.get(node.func.id, node.func.id)
            if name in AGGREGATES:
                return self.aggregate(name, node.args[0] if node.args else None)
        if isinstance(node, ast.Name):
            raise self.fail(
                f"{node.id!r} staat buiten een aggregaat; schrijf bijv. som({node.id}) "
                f"of gemiddelde({node.id})"
                + (
                    f"; bekende namen: {sorted(self.frame.constants)}"
                    if self.frame.constants
                    else ""
                )
            )
        raise self.fail(
            f"{ast.unparse(node)!r}: een meting combineert aggregaten en getallen met + - * /"
        )

    def aggregate(self, name: str, arg: ast.expr | None) -> Interval:
        fr = self.frame
        g = fr.n_groups
        inside = fr.groups >= 0
        codes = np.where(inside, fr.groups, 0)
        maybe = fr.maybe[fr.maybe >= 0]

        def count(mask: np.ndarray) -> np.ndarray:
            return np.bincount(codes[mask & inside], minlength=g).astype("float64")

        n_maybe = (
            np.bincount(maybe, minlength=g).astype("float64")
            if len(maybe) and not fr.ignore_missing
            else np.zeros(g)
        )
        if name in ("aantal", "aandeel"):
            if arg is None:
                if name == "aandeel":
                    raise self.fail("aandeel() verwacht een voorwaarde")
                n = count(np.ones(self.n, bool))
                return Interval(n, n + n_maybe)
            cond = self.boolean(self.record(arg))
            true = cond.values.astype(bool) & cond.known
            unknown = ~cond.known
            if fr.ignore_missing:
                unknown = np.zeros(self.n, bool)
                base = count(cond.known)
            else:
                base = count(np.ones(self.n, bool))
            n_true, n_unk = count(true), count(unknown)
            if name == "aantal":
                return Interval(n_true, n_true + n_unk + n_maybe)
            total = base + n_maybe
            with np.errstate(divide="ignore", invalid="ignore"):
                lo = np.where(total > 0, n_true / total, np.nan)
                hi = np.where(total > 0, (n_true + n_unk + n_maybe) / total, np.nan)
            return Interval(lo, hi)
        assert arg is not None
        v = self.number(self.record(arg))
        use = inside & v.known
        unknown = count(~v.known) + n_maybe
        if fr.ignore_missing:
            unknown = np.zeros(g)
        vals = v.values
        if name == "som":
            s = np.bincount(codes[use], weights=vals[use], minlength=g).astype("float64")
            lo = np.where(unknown > 0, -np.inf, s)
            hi = np.where(unknown > 0, np.inf, s)
            return Interval(lo, hi)
        series = pd.Series(vals[use]).groupby(codes[use])
        how = {"gemiddelde": "mean", "mediaan": "median", "minimum": "min", "maximum": "max"}[name]
        stat = series.agg(how).reindex(range(g)).to_numpy(dtype="float64")
        lo = np.where(unknown > 0, -np.inf, stat)
        hi = np.where(unknown > 0, np.inf, stat)
        empty = count(v.known) == 0
        lo[empty & (unknown == 0)] = np.nan
        hi[empty & (unknown == 0)] = np.nan
        return Interval(lo, hi)


def _interval_arith(op: type, a: Interval, b: Interval) -> Interval:
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if op is ast.Add:
            return Interval(a.lo + b.lo, a.hi + b.hi)
        if op is ast.Sub:
            return Interval(a.lo - b.hi, a.hi - b.lo)
        if op is ast.Div:
            zero = (b.lo <= 0) & (b.hi >= 0)
            inv = Interval(1.0 / b.hi, 1.0 / b.lo)
            out = _interval_arith(ast.Mult, a, inv)
            exact_zero = zero & (b.lo == b.hi)
            lo = np.where(zero, np.where(exact_zero, np.nan, -np.inf), out.lo)
            hi = np.where(zero, np.where(exact_zero, np.nan, np.inf), out.hi)
            return Interval(lo, hi)
        products = np.stack([a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi])
        products = np.where(np.isnan(products), 0.0, products)  # 0 * inf: 0
        bad = np.isnan(a.lo) | np.isnan(b.lo)
        return Interval(
            np.where(bad, np.nan, products.min(axis=0)),
            np.where(bad, np.nan, products.max(axis=0)),
        )


def _kind_nl(v: Vec) -> str:
    return {"num": "getal", "bool": "ja/nee-waarde", "text": "tekst", "date": "datum"}[v.kind]


def describe_interval(lo: float, hi: float, *, share: bool = False) -> str:
    """``12``, ``45,0%`` or a range ``12 tot 15`` / ``onbekend`` for display (Dutch)."""

    def one(x: float) -> str:
        if math.isinf(x):
            return "-∞" if x < 0 else "∞"
        if share:
            return f"{x:.1%}".replace(".", ",")
        if x == round(x):
            return f"{x:,.0f}".replace(",", ".")
        digits = 3 if abs(x) < 10 else 2
        text = f"{x:,.{digits}f}".rstrip("0").rstrip(".")
        return text.replace(",", "_").replace(".", ",").replace("_", ".")

    if math.isnan(lo) or math.isnan(hi):
        return "onbekend"
    return one(lo) if lo == hi else f"{one(lo)} tot {one(hi)}"


def today() -> dt.date:
    """The date of today (a function, so a monitor date can be given instead)."""
    return dt.date.today()


def names_used(exprs: Sequence[Expr]) -> set[str]:
    """All column names the expressions use."""
    out: set[str] = set()
    for e in exprs:
        out |= e.columns()
    return out
