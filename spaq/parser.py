"""Text -> spaq.ast, with errors a person can read.

One LALR parser is built from grammar/spaq.lark and cached. The Transformer
only builds nodes (and reads literal values); names are resolved later by
spaq.plan. Every lark error is turned into a `QuerySyntaxError` that points
at the offending text and says what was expected in words, never in
terminal names.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import importlib.resources
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from . import ast
from .errors import QueryError, QuerySyntaxError
from .schema import ENTITIES


def grammar_path() -> Path:
    """Where spaq.lark is: inside the package when installed, else the checkout."""
    try:
        packaged = importlib.resources.files("spaq") / "grammar" / "spaq.lark"
        if packaged.is_file():
            return Path(str(packaged))
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "grammar" / "spaq.lark"


def grammar_text() -> str:
    return grammar_path().read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def lark_parser() -> Lark:
    # Built once: constructing the LALR tables is the slow part.
    return Lark(grammar_text(), parser="lalr")


def parse(text: str) -> ast.Statement:
    """Parse one statement; raises QuerySyntaxError (or QueryError for bad literals)."""
    try:
        tree = lark_parser().parse(text)
    except UnexpectedInput as e:
        raise _syntax_error(text, e) from None
    try:
        return _ToAst(text).transform(tree)
    except VisitError as e:
        if isinstance(e.orig_exc, QueryError):
            raise e.orig_exc from None
        raise


# --- literal values ----------------------------------------------------------

_SCALE = {"k": Decimal(1_000), "m": Decimal(1_000_000), "b": Decimal(1_000_000_000),
          "%": Decimal("0.01")}


def parse_number(raw: str) -> int | float:
    """`$1,250,000` -> 1250000, `1.5m` -> 1500000, `10%` -> 0.1, `.35` -> 0.35.

    Scaling goes through Decimal so `$0.2325` and `10%` are the floats a user
    would write, not binary near-misses.
    """
    text = raw.replace("$", "").replace(",", "")
    scale = _SCALE.get(text[-1:].lower())
    if scale is not None:
        text = text[:-1]
    value = Decimal(text) * (scale if scale is not None else 1)
    if value == value.to_integral_value() and scale != _SCALE["%"] and "." not in raw:
        return int(value)
    return float(value)


_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%b. %d, %Y",
                 "%d %B %Y", "%d %b %Y", "%m/%d/%Y", "%Y/%m/%d")


def parse_date(text: str) -> dt.date | None:
    """A date written the ways filings and people write them, or None."""
    cleaned = re.sub(r"\s+", " ", text.strip())
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


# --- tree -> ast ---------------------------------------------------------------

def _span(items) -> tuple[int, int]:
    starts, ends = [], []
    for item in items:
        if isinstance(item, Token):
            starts.append(item.start_pos)
            ends.append(item.end_pos)
        elif isinstance(item, ast.Node):
            starts.append(item.start)
            ends.append(item.end)
        elif isinstance(item, (tuple, list)):
            if item:
                s, e = _span(item)
                starts.append(s)
                ends.append(e)
    return min(starts), max(ends)


@dataclass(frozen=True)
class _Clause(ast.Node):
    """A clause on its way into ast.Query; never leaves this module."""
    key: str
    value: object


def _name(token: Token) -> ast.Name:
    return ast.Name(token.start_pos, token.end_pos, str(token))


class _ToAst(Transformer):
    """Builds ast nodes; reads literals; evaluates nothing."""

    def __init__(self, text: str):
        super().__init__()
        self._statement_text = text       # the whole statement, for error carets

    def start(self, items):
        return items[0]

    # -- values
    def number(self, items):
        (tok,) = items
        try:
            value = parse_number(str(tok))
        except (InvalidOperation, ValueError):
            raise QuerySyntaxError(f"not a number: {tok}", self._statement_text, tok.start_pos, tok.end_pos)
        return ast.Literal(tok.start_pos, tok.end_pos, "number", value, str(tok))

    def date(self, items):
        (tok,) = items
        value = parse_date(str(tok))
        if value is None:
            raise QuerySyntaxError(f"not a date: {tok}", self._statement_text, tok.start_pos, tok.end_pos)
        return ast.Literal(tok.start_pos, tok.end_pos, "date", value, str(tok))

    def text(self, items):
        (tok,) = items
        return ast.Literal(tok.start_pos, tok.end_pos, "text", str(tok)[1:-1], str(tok))

    def boolean(self, items):
        (tok,) = items
        return ast.Literal(tok.start_pos, tok.end_pos, "boolean", tok.type == "TRUE", str(tok))

    # -- names
    def field(self, items):
        return _name(items[0])

    def entity(self, items):
        return _name(items[0])

    # -- conditions
    def compare(self, items):
        left, op, right = items
        op = {"==": "=", "<>": "!="}.get(str(op), str(op))
        return ast.Compare(*_span(items), op, left, right)

    def contains(self, items):
        return ast.Contains(*_span(items), items[0], items[2])

    def matches(self, items):
        return ast.Matches(*_span(items), items[0], items[2])

    def in_list(self, items):
        negated = items[1].type == "NOT"
        values = tuple(i for i in items[1:] if isinstance(i, ast.Literal))
        end = self._statement_text.index(")", values[-1].end) + 1
        return ast.InList(_span(items)[0], end, items[0], values, negated)

    def between(self, items):
        negated = items[1].type == "NOT"
        operands = [i for i in items if isinstance(i, ast.Node)]
        return ast.Between(*_span(items), operands[0], operands[1], operands[2], negated)

    def is_null(self, items):
        word = str(items[-1]).lower()
        negated = any(isinstance(i, Token) and i.type == "NOT" for i in items)
        negated ^= word == "known"
        return ast.IsNull(*_span(items), items[0], negated)

    def truth(self, items):
        return ast.Truth(*_span(items), items[0])

    def not_(self, items):
        return ast.Not(*_span(items), items[1])

    def and_(self, items):
        return ast.And(*_span(items), items[0], items[2])

    def or_(self, items):
        return ast.Or(*_span(items), items[0], items[2])

    # -- aggregates and clauses
    def aggregate(self, items):
        fn = items[0]
        field = items[1] if len(items) > 1 else None
        end = field.end if field else fn.end_pos
        if field is not None and self._statement_text[end:].lstrip().startswith(")"):
            end = self._statement_text.index(")", end) + 1
        return ast.Aggregate(fn.start_pos, end, str(fn).lower(), field)

    aggregate_column = aggregate

    def aggregates(self, items):
        return tuple(items)

    def direction(self, items):
        return items[0].type == "DESC"

    def order_item(self, items):
        key = items[0]
        descending = items[1] if len(items) > 1 else False
        return ast.OrderItem(*_span([key]), key, descending)

    def where(self, items):
        return _Clause(*_span(items), "where", items[1])

    def group_by(self, items):
        return _Clause(*_span(items), "group_by", tuple(items[1:]))

    def order_by(self, items):
        return _Clause(*_span(items), "order_by", tuple(items[2:]))

    def limit(self, items):
        return _Clause(*_span(items), "limit", self.number([items[1]]))

    def show_columns(self, items):
        return _Clause(*_span(items), "show", tuple(items[1:]))

    def top(self, items):
        count = self.number([items[1]])
        entity = items[2] if isinstance(items[2], ast.Name) and len(items) == 5 else None
        return ast.Top(*_span(items), count, entity, items[-1])

    def query(self, items):
        parts = {"aggregates": (), "entity": None, "where": None, "group_by": (),
                 "order_by": (), "limit": None, "show": (), "top": None}
        seen: set[str] = set()
        for item in items:
            if isinstance(item, Token):         # `of`
                continue
            if isinstance(item, ast.Top):
                parts["top"], parts["entity"] = item, item.entity
            elif isinstance(item, ast.Name):
                parts["entity"] = item
            elif isinstance(item, _Clause):
                if item.key in seen:
                    word = {"group_by": "by", "order_by": "order by"}.get(item.key, item.key)
                    raise QuerySyntaxError(f"'{word}' given twice", self._statement_text, item.start, item.end)
                seen.add(item.key)
                parts[item.key] = item.value
            else:
                parts["aggregates"] = item
        return ast.Query(*_span(items), **parts)

    def command(self, items):
        head = items[0]
        args: list = []
        query = None
        for item in items[1:]:
            if isinstance(item, ast.Query):
                query = item
            elif isinstance(item, ast.Name):
                args.append(item)
            elif item.type == "STRING":
                args.append(ast.Literal(item.start_pos, item.end_pos, "text", str(item)[1:-1], str(item)))
            elif item.type == "ROW_ID":
                args.append(ast.Literal(item.start_pos, item.end_pos, "text", str(item), str(item)))
            else:
                args.append(_name(item))
        return ast.Command(*_span(items), str(head).lower(), tuple(args), query)


# --- errors in words -------------------------------------------------------------

_VALUES = {"NUMBER", "DATE", "STRING", "TRUE", "FALSE"}
_COMPARISONS = {"COMPARATOR", "CONTAINS", "MATCHES", "IN", "BETWEEN", "IS"}
_AGGREGATES = {"COUNT", "SUM", "AVG", "MIN", "MAX", "MEDIAN"}
_COMMANDS = {"HELP", "FIELDS", "SHOW", "EXPLAIN", "CHECK", "RELOAD"}
_CLAUSES = ("WHERE", "BY", "ORDER", "LIMIT", "SHOW")
_WORDS = {"ORDER": "order by", "LPAR": "(", "RPAR": ")", "COMMA": ","}
_SUGGESTABLE = ("where", "by", "order", "limit", "show", "and", "or", "not", "in", "between",
                "is", "contains", "matches", "asc", "desc", "of", "null", "missing", "known")

ENTITY_PHRASE = "an entity such as " + ", ".join(ENTITIES)
FIELD_PHRASE = "a field name such as price, shares, proceeds"
VALUE_PHRASE = "a value: a number, date or quoted text"
COMPARISON_PHRASE = "a comparison such as = < > contains"


def _join(phrases: list[str]) -> str:
    if len(phrases) == 1:
        return phrases[0]
    return ", ".join(phrases[:-1]) + " or " + phrases[-1]


def _last_shifted(e: UnexpectedInput) -> tuple[object, int]:
    """The last token or subtree the parser had accepted, and how many it holds."""
    parser = getattr(e, "interactive_parser", None)
    try:
        stack = parser.parser_state.value_stack
    except AttributeError:
        return None, 0
    return (stack[-1] if stack else None), len(stack)


def _expected_phrase(expected: set[str], last, depth: int = 0) -> str:
    """What the parser would have accepted, in words, most useful first."""
    expected = {t for t in expected if not t.startswith("__")}  # anonymous helpers
    last_type = last.type if isinstance(last, Token) else None
    if "COMPARATOR" in expected:
        # After a field: the comparison is what is missing, whatever else fits.
        return COMPARISON_PHRASE
    if "NAME" in expected:
        if "TOP" in expected:            # where a statement or query starts
            if expected & _COMMANDS:
                return f"{ENTITY_PHRASE}, an aggregate such as count or sum, or a command such as help"
            return f"{ENTITY_PHRASE}, or an aggregate such as count or sum"
        if last is None or last_type in ("OF", "TOP", "EXPLAIN", "NUMBER", "FIELDS") or "BY" in expected \
                or last_type == "SHOW" and depth == 1:     # `show ENTITY ID`, not `show F, G`
            return ENTITY_PHRASE
        if expected & _VALUES and not ({"NOT", "LPAR"} & expected):
            return VALUE_PHRASE
        return FIELD_PHRASE
    if "ROW_ID" in expected:
        return "a row id"
    phrases: list[str] = []
    if expected & _VALUES:
        phrases.append("a number" if expected & _VALUES == {"NUMBER"} else VALUE_PHRASE)
    if expected & _AGGREGATES:
        phrases.append("an aggregate such as count, sum, avg, min, max, median")
    clauses = [c for c in _CLAUSES if c in expected]
    if len(clauses) >= 3:
        phrases.append("a clause (" + ", ".join(_WORDS.get(c, c.lower()) for c in clauses) + ")")
        clauses = []
    for name in sorted(expected - _VALUES - _AGGREGATES - {"ROW_ID", "$END", *_CLAUSES},
                       key=lambda n: (n not in ("AND", "OR"), n)):
        if name in ("ASC", "DESC", "NULL_WORD", "TOP") or name in _COMMANDS:
            if name == "NULL_WORD":
                phrases.append("null, missing or known")
            elif name in ("ASC", "DESC"):
                if "asc or desc" not in phrases:
                    phrases.append("asc or desc")
            continue
        phrases.append(f"'{_WORDS.get(name, name.lower())}'")
    phrases.extend(f"'{_WORDS.get(c, c.lower())}'" for c in clauses)
    if "$END" in expected:
        phrases.append("the end of the query")
    return _join(phrases) if phrases else "something else"


def _acceptable(e: UnexpectedInput, fallback) -> set[str]:
    """Terminals the parser really accepts here.

    The LALR table's set is wider (a state that will reduce lists every
    lookahead of the reduction); the interactive parser tries each one.
    """
    parser = getattr(e, "interactive_parser", None)
    if parser is not None:
        try:
            return set(parser.accepts())
        except Exception:       # lark internals; the table's set still serves
            pass
    return set(fallback or ())


def _syntax_error(text: str, e: UnexpectedInput) -> QuerySyntaxError:
    last, depth = _last_shifted(e)
    if isinstance(e, UnexpectedToken):
        tok = e.token
        expected = _acceptable(e, e.expected)
        if tok.type == "$END":
            end = len(text.rstrip())
            return QuerySyntaxError(f"unexpected end of query: expected {_expected_phrase(expected, last, depth)}",
                                    text, end, end + 1)
        word = str(tok)
        suggestion = None
        if tok.type == "NAME":
            words = [w for w in _SUGGESTABLE if w.upper() in expected
                     or (w in ("null", "missing", "known") and "NULL_WORD" in expected)]
            close = difflib.get_close_matches(word.lower(), words, n=1, cutoff=0.7)
            if close:
                suggestion = f"'{_WORDS.get(close[0].upper(), close[0])}'"
        return QuerySyntaxError(f"unexpected '{word}': expected {_expected_phrase(expected, last, depth)}",
                                text, tok.start_pos, tok.end_pos, suggestion)
    if isinstance(e, UnexpectedCharacters):
        pos = e.pos_in_stream
        char = text[pos] if pos < len(text) else ""
        if char in "\"'":
            return QuerySyntaxError("unterminated quoted text: add the closing " + char,
                                    text, pos, len(text.rstrip()))
        return QuerySyntaxError(f"unexpected character '{char}': expected "
                                f"{_expected_phrase(_acceptable(e, e.allowed), last, depth)}", text, pos, pos + 1)
    return QuerySyntaxError("cannot read this query", text, getattr(e, "pos_in_stream", 0) or 0)
