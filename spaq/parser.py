"""Text -> spaq.ast, with errors a person can read.

One LALR parser is built from grammar/spaq.lark by lark and cached; a query
that parses is parsed from those tables by spaq.lalr, without importing lark
(a tenth of a second on a slow machine), and one that does not is parsed
again by lark, whose error says what was expected. The transformer only
builds nodes (and reads literal values); names are resolved later by
spaq.plan. Every lark error is turned into a `QuerySyntaxError` that points
at the offending text and says what was expected in words, never in
terminal names.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import ast, lalr
from .errors import QueryError, QuerySyntaxError, closest
from .lalr import Token, Tree
from .record import Record
from .schema import AGGREGATE_WORDS, COMPARATOR_WORDS, ENTITIES, words


def grammar_path() -> Path:
    """Where spaq.lark is: inside the package when installed, else the checkout.
    (The package is a directory on disk: importlib.resources, slow to import, adds nothing.)"""
    here = Path(__file__).resolve().parent
    packaged = here / "grammar" / "spaq.lark"
    return packaged if packaged.is_file() else here.parent / "grammar" / "spaq.lark"


def grammar_text() -> str:
    return grammar_path().read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def lark_parser():
    """lark's parser (a lark.Lark): what spaq.lalr's tables come from, and what
    reads a query they cannot parse, to say why."""
    # Built once: constructing the LALR tables is the slow part.
    # ... and then kept in spaq's cache directory, so the next process only loads them.
    from .cache import cached_lark
    return cached_lark(grammar_text(), parser="lalr")


@functools.lru_cache(maxsize=1)
def fast_parser() -> lalr.Parser | None:
    """The tables of lark_parser() run without lark (None: lark parses everything)."""
    return lalr.cached_parser(grammar_text(), lark_parser)


# Bounds on what a query may be, so no input can exhaust the stack or the
# clock: the transformer, the planner and the compiled conditions recurse
# once per level of nesting, and error recovery re-parses the text.
MAX_QUERY_LENGTH = 10_000       # characters
MAX_DEPTH = 100                 # levels of and/or/not, parentheses and nested queries


def parse(text: str) -> ast.Statement:
    """Parse one statement; raises QuerySyntaxError (or QueryError for bad literals)."""
    try:
        tree = _tree(text)
    except _NotParsed as e:
        raise _syntax_error(text, e.error) from None
    return _ToAst(text).transform(tree)


class _NotParsed(Exception):
    """The text does not parse: `error` is lark's UnexpectedInput, which says why."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def _tree(text: str) -> Tree:
    """The parse tree of a query within the bounds; QuerySyntaxError when it is not,
    _NotParsed when it does not parse."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"query too long: {len(text):,} characters; at most {MAX_QUERY_LENGTH:,}")
    odd = _NOT_TEXT.search(text)
    if odd:
        raise QuerySyntaxError(f"not a character a query can hold: U+{ord(odd.group()):04X}",
                               text, odd.start(), odd.end())
    try:
        fast = fast_parser()
        if fast is None:
            raise lalr.Unparsed("no tables")
        tree = fast.parse(text)
    except lalr.Unparsed:
        tree = _lark_tree(text)
    _check_depth(text, tree)
    return tree


def _lark_tree(text: str) -> Tree:
    """lark's parse of the text, as spaq.lalr's Tree and Tokens; _NotParsed with lark's error."""
    from lark import Tree as LarkTree
    from lark.exceptions import UnexpectedInput
    try:
        root = lark_parser().parse(text)
    except UnexpectedInput as e:
        raise _NotParsed(e) from None
    # Bottom-up without recursion (the depth is checked after): each subtree once its children are.
    made: dict[int, Tree] = {}
    for subtree in root.iter_subtrees():
        made[id(subtree)] = Tree(subtree.data, [
            made[id(c)] if isinstance(c, LarkTree) else
            Token(c.type, str(c), c.start_pos, c.end_pos) if isinstance(c, str) else c
            for c in subtree.children])
    return made[id(root)]


# Lone surrogates (undecodable bytes from a command line, broken JSON) can be
# neither matched nor printed.
_NOT_TEXT = re.compile("[\ud800-\udfff]")


def _check_depth(text: str, tree: Tree) -> None:
    """Raises when the tree nests deeper than MAX_DEPTH, pointing at the leftmost
    subtree past the limit; measured without recursion."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise QuerySyntaxError(f"query nested too deeply: at most {MAX_DEPTH} levels of "
                                   "and/or/not and nested queries (for many alternatives use "
                                   "`FIELD in (a, b, ...)`)", text, *_token_span(node))
        stack.extend((child, depth + 1) for child in reversed(node.children) if isinstance(child, Tree))


def _token_span(node: Tree) -> tuple[int, int]:
    """From the first token under a subtree to the last, found without recursion."""
    ends = []
    for pick in (0, -1):
        item = node
        while isinstance(item, Tree) and item.children:
            item = item.children[pick]
        ends.append(item if isinstance(item, Token) else None)
    first, last = ends
    if first is None or last is None:
        return 0, 1
    return first.start_pos, max(last.end_pos, first.start_pos + 1)


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
    # `Sept` and `Jun.`, which the grammar reads as months, as strptime's %b reads them.
    cleaned = re.sub(r"\b(sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\.?(?=\s)",
                     lambda m: m.group(1)[:3], cleaned, flags=re.IGNORECASE)
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


class _Clause(ast.Node):
    """A clause on its way into ast.Query; never leaves this module.

    `key` is what may not be given twice; `word` is how it was written, for
    that message. Conditions (`where`, `paid ...`, `in 2002`) are joined with
    `and` in the order written.
    """
    key: str
    value: object
    word: str = ""


class _Ignored(Record):
    """Leading words and fillers (`which`, `show me the`): read, then dropped."""


_CONDITION_KEYS = ("where", "paid", "dated", "in_year")


def _name(token: Token) -> ast.Name:
    return ast.Name(token.start_pos, token.end_pos, str(token))


def _is_token(item, *types: str) -> bool:
    return isinstance(item, Token) and (not types or item.type in types)


class _ToAst:
    """Builds ast nodes; reads literals; evaluates nothing.

    Forgiving words become the nodes their canonical forms make: `under` the
    `<` of a Compare, `total` a `sum` Aggregate, `in 2002` the Compare
    `year = 2002`. Names stay as typed; synonyms are the planner's to resolve.
    """

    def __init__(self, text: str):
        self._statement_text = text       # the whole statement, for error carets

    def transform(self, tree: Tree):
        """As lark's Transformer: children first, then the method named after the
        rule (or its alias); a rule without one stays a Tree. Recursive: the parser
        has bounded the depth (MAX_DEPTH)."""
        children = [self.transform(c) if isinstance(c, Tree) else c for c in tree.children]
        method = getattr(self, tree.data, None)
        return method(children) if method is not None else Tree(tree.data, children)

    def start(self, items):
        return items[0]                   # a trailing `?` asks, it does not change the question

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

    paid = field

    def entity(self, items):
        return _name(items[0])

    def pronoun(self, items):
        return ast.Pronoun(items[0].start_pos, items[0].end_pos, str(items[0]).lower())

    def lead(self, items):
        return _Ignored()

    polite = lead

    # -- conditions
    def comparator(self, items):
        if len(items) == 1 and items[0].type == "COMPARATOR":
            op = str(items[0])
            return {"==": "=", "<>": "!="}.get(op, op)
        # `is` before a comparator word is a filler; `is` alone and `is not` are words too.
        spoken = words(" ".join(str(t) for t in items))
        if spoken not in COMPARATOR_WORDS:
            spoken = words(str(items[-1]))
        return COMPARATOR_WORDS[spoken]

    def compare(self, items):
        left, op, right = items
        return ast.Compare(*_span([left, right]), op, left, right)

    def dated(self, items):
        # `after June 1, 2002`: the row's date, compared as the word says.
        word, value = items
        date = ast.Name(word.start_pos, word.end_pos, "date")
        return ast.Compare(*_span(items), COMPARATOR_WORDS[words(str(word))], date, value)

    def in_year(self, items):
        # `in 2002`: `year = 2002`, the name spanning `in`, the value the digits.
        (tok,) = items
        digits = re.search(r"\d{4}", str(tok))
        start = tok.start_pos + digits.start()
        year = ast.Name(tok.start_pos, tok.start_pos + 2, "year")
        value = ast.Literal(start, start + 4, "number", int(digits.group()), digits.group())
        return ast.Compare(tok.start_pos, tok.end_pos, "=", year, value)

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

    def predicate(self, items):
        # `before`/`after` a value as a test of its own (`and before 2002`): already a Compare.
        return items[0]

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
        spoken = words(str(fn))
        return ast.Aggregate(fn.start_pos, end, AGGREGATE_WORDS.get(spoken, spoken), field)

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
        return _Clause(*_span(items), "where", items[1], str(items[0]).lower())

    def paid_where(self, items):
        return _Clause(*_span(items), "paid", items[0], "paid")

    def dated_where(self, items):
        return _Clause(*_span(items), "dated", items[0], "before/after")

    def year_clause(self, items):
        return _Clause(*_span(items), "in_year", self.in_year(items), "in YEAR")

    def group_by(self, items):
        return _Clause(*_span(items), "group_by", tuple(items[1:]), "by")

    def order_by(self, items):
        return _Clause(*_span(items), "order_by", tuple(items[2:]), "order by")

    def limit(self, items):
        return _Clause(*_span(items), "limit", self.number([items[1]]), "limit")

    def show_columns(self, items):
        return _Clause(*_span(items), "show", tuple(items[1:]), "show")

    def top(self, items):
        count = self.number([items[1]])
        rows = [i for i in items[2:-1] if isinstance(i, (ast.Name, ast.Pronoun, ast.Query))]
        return ast.Top(*_span(items), count, rows[0] if rows else None, items[-1])

    def _clauses(self, items) -> dict:
        """Clauses into the keyword arguments of ast.Query / ast.FollowUp."""
        parts = {"where": None, "group_by": (), "order_by": (), "limit": None, "show": ()}
        seen: set[str] = set()
        conditions = []
        for item in items:
            if item.key in seen:
                raise QuerySyntaxError(f"'{item.word}' given twice", self._statement_text, item.start, item.end)
            seen.add(item.key)
            if item.key in _CONDITION_KEYS:
                conditions.append(item.value)
            else:
                parts[item.key] = item.value
        for cond in conditions:
            parts["where"] = cond if parts["where"] is None else ast.And(
                *_span([parts["where"], cond]), parts["where"], cond)
        return parts

    def query(self, items):
        items = [i for i in items if not isinstance(i, _Ignored) and not _is_token(i, "SHOW", "OF")]
        parts = {"aggregates": (), "entity": None, "top": None}
        clauses = []
        for item in items:
            if isinstance(item, ast.Top):
                parts["top"], parts["entity"] = item, item.entity
            elif isinstance(item, (ast.Name, ast.Pronoun, ast.Query)):
                parts["entity"] = item
            elif isinstance(item, _Clause):
                clauses.append(item)
            elif isinstance(item, tuple):
                parts["aggregates"] = item
        return ast.Query(*_span(items), **parts, **self._clauses(clauses))

    def followup(self, items):
        first = items[0]
        if _is_token(first, "AND", "OR"):
            word, joins = _name(first), str(first).lower()
            where = _Clause(*_span(items[:2]), "where", items[1], joins)
            clauses = [where, *items[2:]]
        else:
            end = first.start + len(self._statement_text[first.start:].split(None, 1)[0])
            word = ast.Name(first.start, end, self._statement_text[first.start:end])
            joins, clauses = "and", list(items)
        return ast.FollowUp(*_span(items), word=word, joins=joins, **self._clauses(clauses))

    def show_fields(self, items):
        show = [_name(i) if isinstance(i, Token) else i for i in items[1:] if not isinstance(i, _Clause)]
        shown = _Clause(*_span(show), "show", tuple(show), "show")
        clauses = [shown, *(i for i in items if isinstance(i, _Clause))]
        return ast.FollowUp(*_span(items), word=_name(items[0]), joins="and", **self._clauses(clauses))

    def show_name(self, items):
        name = _name(items[1])
        query = self.query([name, *items[2:]])
        if any(isinstance(i, _Clause) and i.key == "show" for i in items):
            return query        # `show investors ... show purchaser`: only an entity reads so
        followup = self.show_fields(items)
        return ast.ShowName(*_span(items), query, followup)

    def show_row(self, items):
        return self.command(items)

    def command(self, items):
        head = items[0]
        args: list = []
        query = None
        for item in items[1:]:
            if isinstance(item, ast.Command):
                raise QuerySyntaxError(f"explain explains a query, not the command '{item.name}'",
                                       self._statement_text, item.start, item.end)
            if isinstance(item, (ast.Query, ast.FollowUp, ast.ShowName)):
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
_AGGREGATES = {"COUNT", "SUM", "AVG", "MIN", "MAX", "MEDIAN", "TOTAL", "AVERAGE", "HOW_MANY"}
_COMMANDS = {"HELP", "FIELDS", "SHOW", "EXPLAIN", "CHECK", "RELOAD"}
_CLAUSES = ("WHERE", "BY", "ORDER", "LIMIT", "SHOW")
_NULLS = {"NULL", "MISSING", "KNOWN"}
# The forgiving words (language.md §8) are accepted everywhere they fit but
# never listed as expected: a message teaches the canonical form.
FORGIVING_TERMINALS = {"QUESTION", "WITH", "WHOSE", "PAID", "IN_YEAR", "BEFORE", "AFTER", "LIST", "FIND", "GET",
              "WHICH", "WHAT", "ME", "ARE", "THE", "THEM", "THOSE", "IT", "PHRASE", "UNDER", "BELOW",
              "OVER", "ABOVE", "EQUALS", "LESS_THAN", "MORE_THAN", "AT_LEAST", "AT_MOST", "EQUAL_TO"}
_WORDS = {"ORDER": "order by", "LPAR": "(", "RPAR": ")", "COMMA": ","}
_SUGGESTABLE = ("where", "by", "order", "limit", "show", "and", "or", "not", "in", "between",
                "is", "contains", "matches", "asc", "desc", "of", "null", "missing", "known")
# Words tried in front of the offending token when looking for the nearest valid query.
_INSERTABLE = (("WHERE", "where"), ("AND", "and"), ("BY", "by"), ("ORDER", "order by"),
               ("COMPARATOR", "="), ("OF", "of"))

ENTITY_PHRASE = "an entity such as " + ", ".join(ENTITIES)
FIELD_PHRASE = "a field name such as price, shares, proceeds"
VALUE_PHRASE = "a value: a number, date or quoted text"
COMPARISON_PHRASE = "a comparison such as = < > contains"


def _join(phrases: list[str]) -> str:
    if len(phrases) == 1:
        return phrases[0]
    return ", ".join(phrases[:-1]) + " or " + phrases[-1]


def _last_shifted(e) -> tuple[object, int]:
    """The last token or subtree the parser had accepted, and how many it holds."""
    parser = getattr(e, "interactive_parser", None)
    try:
        stack = parser.parser_state.value_stack
    except AttributeError:
        return None, 0
    return (stack[-1] if stack else None), len(stack)


def _expected_phrase(expected: set[str], last, depth: int = 0) -> str:
    """What the parser would have accepted, in words, most useful first."""
    expected = {t for t in expected if not t.startswith("__")} - FORGIVING_TERMINALS  # helpers, plain words
    last_type = last.type if isinstance(last, str) else None     # a token (lark's Token is a str), not a subtree
    if "COMPARATOR" in expected:
        # After a field: the comparison is what is missing, whatever else fits.
        return COMPARISON_PHRASE
    if "NAME" in expected:
        if "TOP" in expected:            # where a statement or query starts
            if expected & (_COMMANDS - {"SHOW"}):     # `show` also leads a query (`show the deals`)
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
    if expected & _NULLS:
        phrases.append("null, missing or known")
    for name in sorted(expected - _VALUES - _AGGREGATES - _NULLS - {"ROW_ID", "$END", *_CLAUSES},
                       key=lambda n: (n not in ("AND", "OR"), n)):
        if name in ("ASC", "DESC", "TOP") or name in _COMMANDS:
            if name in ("ASC", "DESC") and "asc or desc" not in phrases:
                phrases.append("asc or desc")
            continue
        phrases.append(f"'{_WORDS.get(name, name.lower())}'")
    phrases.extend(f"'{_WORDS.get(c, c.lower())}'" for c in clauses)
    if "$END" in expected:
        phrases.append("the end of the query")
    return _join(phrases) if phrases else "something else"


def _acceptable(e, fallback) -> set[str]:
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


def _runs(text: str) -> bool:
    """Whether `text` parses and plans as a query of its own (no previous query)."""
    from .plan import plan       # late: plan imports this module
    try:
        statement = _ToAst(text).transform(_tree(text))
        if isinstance(statement, ast.Command):
            return statement.query is None or isinstance(statement.query, ast.Query) and \
                bool(plan(statement.query, text))
        return bool(plan(statement, text))
    except (_NotParsed, QueryError):
        return False


def _nearest_query(text: str, start: int, end: int, expected: set[str], close: list[str]) -> str | None:
    """The nearest valid query: the offending word replaced by a keyword it
    resembles, or a missing keyword put in front of it (`purchasers price < 1`
    -> `purchasers where price < 1`). Only candidates that parse and plan count."""
    candidates = [text[:start] + word + text[end:] for word in close]
    candidates += [text[:start] + word + " " + text[start:] for terminal, word in _INSERTABLE
                   if terminal in expected]
    for candidate in candidates:
        if _runs(candidate):
            return " ".join(candidate.split())
    return None


def _syntax_error(text: str, e) -> QuerySyntaxError:
    """The message for lark's UnexpectedInput `e`."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken
    last, depth = _last_shifted(e)
    if isinstance(e, UnexpectedToken):
        tok = e.token
        expected = _acceptable(e, e.expected)
        if tok.type == "$END":
            end = len(text.rstrip())
            return QuerySyntaxError(f"unexpected end of query: expected {_expected_phrase(expected, last, depth)}",
                                    text, end, end + 1)
        word = str(tok)
        close: list[str] = []
        if tok.type == "NAME":
            words_here = [w for w in _SUGGESTABLE if w.upper() in expected or w.upper() in _NULLS & expected]
            close = [_WORDS.get(w.upper(), w)
                     for w in closest(word.lower(), words_here, 0.7)]
        nearest = _nearest_query(text, tok.start_pos, tok.end_pos, expected, close)
        suggestion = f"'{nearest}'" if nearest else (f"'{close[0]}'" if close else None)
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
