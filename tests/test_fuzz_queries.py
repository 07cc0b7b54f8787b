"""Query fuzzing: whatever is typed, the only exception is spaq.QueryError.

Three kinds of input, each a hypothesis strategy:

- grammar-aware: queries built from the grammar's own keywords, the entity
  and field names and forgiving words of spaq.schema, and values as users
  write them ($1,250,000, 1.5m, 10%, dates, quoted text); mostly valid,
  some with misspelt names;
- nearly valid: those queries with tokens dropped, duplicated, swapped,
  inserted or the text cut short;
- raw text: arbitrary unicode, control characters, NUL, lone surrogates,
  very long input, deep parentheses and long and/or/not chains.

The property (`failure`): running the text through `Index.query`,
`Session.run` or `spaq.engine.run` either returns a Result or raises
QueryError; that error is not the engine's safety net ("internal error",
which wraps a bug), and when it has a position its str() draws a caret
line under the query. Runs against the bundled corpus and the hand-made
index of conftest. CI runs a few hundred examples per property
(SPAQ_FUZZ_EXAMPLES to change); benchmarks/fuzz_queries.py runs 100,000+.

Failures these found in the engine, now fixed: `before`/`after` inside
parentheses or after `not` reached the planner as a raw lark tree (a
TypeError); long and/or/not chains, `date in (...)` lists of years, long
sessions of follow-ups and deeply nested regex groups overflowed the stack
(RecursionError); a query holding a newline or control characters drew its
caret under the wrong text; lone surrogates could not be printed or matched.
"""
from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark.lexer import PatternStr

import spaq
from conftest import make_index
from spaq import engine
from spaq.errors import QueryError
from spaq.parser import MAX_QUERY_LENGTH, lark_parser
from spaq.schema import (AGGREGATE_WORDS, BOOLEAN, COMPARATOR_WORDS, DATE, ENTITIES, ENTITY_NAMES,
                         FIELD_SYNONYMS, FILLER_WORDS, INTEGER, LEAD_WORDS, LIST, NUMERIC, PRONOUNS,
                         WHERE_WORDS, all_field_names)
from spaq.session import Session

# Strategies this large make hypothesis warn that their repr is long; it is.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

# The same examples every CI run (a failure is reproducible); SPAQ_FUZZ_RANDOM=1
# explores afresh, as benchmarks/fuzz_queries.py does with its seeds.
EXAMPLES = int(os.environ.get("SPAQ_FUZZ_EXAMPLES", "250"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                derandomize=not os.environ.get("SPAQ_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])


# --- the indexes ------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def indexes() -> tuple[spaq.Index, ...]:
    """The bundled corpus and the hand-made index. `reload` re-reads files (and
    would turn the hand-made index into the bundled one), so here it does nothing."""
    built = (spaq.load(cache=False), make_index())
    for index in built:
        index.reload = lambda index=index: index
    return built


# --- the property -----------------------------------------------------------------

def failure(run, text: str) -> str | None:
    """None when `run(text)` behaves; else what went wrong (any exception
    other than QueryError propagates, which is a failure too)."""
    try:
        run(text)
    except QueryError as e:
        return bad_error(e)
    return None


def bad_error(e: QueryError) -> str | None:
    if e.message.startswith("internal error") or e.__cause__ is not None and \
            not isinstance(e.__cause__, QueryError):
        return f"internal error: {e.message}"
    shown = str(e)
    if e.start is None or not e.query:
        return None
    lines = shown.split("\n")
    if len(lines) < 3 or not re.fullmatch(r" *\^+", lines[1]):
        return f"no caret line under the query: {shown!r}"
    if lines[1].index("^") > len(lines[0]) + 1 + sum(1 for c in lines[0] if ord(c) > 0x1100):
        return f"caret beyond the query line: {shown!r}"
    return None


def assert_behaves(text: str, which: int = 0) -> None:
    index = indexes()[which]
    for run in (index.query, functools.partial(engine.run, index), Session(index).run):
        problem = failure(run, text)
        assert problem is None, f"{text!r}: {problem}"


# --- the vocabulary: the grammar's tokens, the schema's names ------------------------

KEYWORDS = sorted({t.pattern.value for t in lark_parser().terminals if isinstance(t.pattern, PatternStr)})
PHRASES = sorted({*COMPARATOR_WORDS, *AGGREGATE_WORDS, *(s.words for s in FIELD_SYNONYMS)})
ENTITY_WORDS = sorted(ENTITY_NAMES)
FIELD_WORDS = sorted({*all_field_names(), *(s.words for s in FIELD_SYNONYMS)})
SYMBOLS = ["=", "!=", "<>", "==", "<", "<=", ">", ">=", "(", ")", ",", "?", "$", "%", '"', "'", "-", "."]
AGGREGATES = ["count", "sum", "avg", "min", "max", "median", "total", "average", "how many"]
COMPARATORS = ["=", "!=", "<>", "==", "<", "<=", ">", ">=", *COMPARATOR_WORDS]


def _typo(word: str, i: int, kind: int) -> str:
    if not word:
        return "x"
    i %= len(word)
    if kind == 0:
        return word[:i] + word[i + 1:] or "x"                            # a letter dropped
    if kind == 1:
        return word[:i] + word[i] + word[i:]                             # doubled
    return word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:]   # two swapped


def names(words: list[str]) -> st.SearchStrategy[str]:
    """A name as typed: mostly right, sometimes in other case or misspelt."""
    exact = st.sampled_from(words)
    return st.one_of(
        exact, exact, exact,
        exact.map(str.upper),
        st.builds(_typo, exact, st.integers(0, 30), st.integers(0, 2)),
        st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True))


entity_names = names(ENTITY_WORDS)
field_names = names(FIELD_WORDS)


@st.composite
def numbers(draw) -> str:
    whole = draw(st.one_of(st.integers(0, 999), st.integers(0, 10**12), st.integers(0, 10**40)))
    text = f"{whole:,}" if draw(st.booleans()) else str(whole)
    if draw(st.booleans()):
        text = ("" if draw(st.booleans()) else text) + "." + str(draw(st.integers(0, 99999)))
    text = draw(st.sampled_from(["", "$", "-", "-$"])) + text
    return text + draw(st.sampled_from(["", "", "k", "m", "b", "K", "M", "%"]))


MONTHS = ["January", "June", "Jun.", "jun", "Sept", "December", "Foo"]


@st.composite
def dates(draw) -> str:
    y, m, d = draw(st.integers(1000, 9999)), draw(st.integers(0, 13)), draw(st.integers(0, 32))
    form = draw(st.integers(0, 3))
    if form == 0:
        return f"{y}-{m:02d}-{d:02d}"
    month = draw(st.sampled_from(MONTHS))
    if form == 1:
        return f'"{month} {d}, {y}"'
    if form == 2:
        return f"{month} {d}, {y}"
    return f"{d} {month} {y}"


REGEX_PIECES = ["(a+)+$", "(x+x+)+y", "^omi.*lp$", "(?<=a)b", r"(\w)\1", "[z-a]", "(", "a{2,1}",
                "(?P<n>x)(?P=n)", "(" * 200, ".*" * 50, r"\d+\.\d+", "[[:alpha:]]", "(?i)x", "\\"]


@st.composite
def quoted(draw) -> str:
    quote = draw(st.sampled_from(['"', "'"]))
    body = draw(st.one_of(st.text(max_size=30), st.sampled_from(REGEX_PIECES),
                          st.sampled_from(["omicron", "Omicron Partners LP", "8-K", "", "2002", "1.5m"])))
    return quote + body.replace(quote, "") + quote


values = st.one_of(numbers(), dates(), quoted(), st.sampled_from(["true", "false", "2001", "2002"]))
operands = st.one_of(field_names, values)


def _joined(*parts) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map(lambda t: " ".join(p for p in t if p))


def _listed(item, max_size=4, sep=", ") -> st.SearchStrategy[str]:
    return st.lists(item, min_size=1, max_size=max_size).map(sep.join)


predicates = st.one_of(
    _joined(field_names, st.sampled_from(COMPARATORS), operands),
    _joined(operands, st.sampled_from(COMPARATORS), field_names),
    _joined(field_names, st.sampled_from(["contains", "matches", "not contains"]), quoted()),
    _joined(field_names, st.sampled_from(["in", "not in"]), _listed(values).map(lambda s: f"({s})")),
    _joined(field_names, st.sampled_from(["between", "not between"]), operands, st.just("and"), operands),
    _joined(field_names, st.sampled_from(["is null", "is not null", "is missing", "is known", "is nul"])),
    field_names,
    _joined(st.sampled_from(["before", "after"]), values),
    st.integers(1990, 2030).map(lambda y: f"in {y}"),
    _joined(st.just("paid"), st.sampled_from(COMPARATORS), numbers()),
)

conditions = st.recursive(predicates, lambda inner: st.one_of(
    _joined(inner, st.sampled_from(["and", "or", "AND", "Or"]), inner),
    inner.map(lambda c: f"not {c}"),
    inner.map(lambda c: f"({c})"),
), max_leaves=6)

aggregate_calls = st.one_of(
    st.sampled_from(["count", "how many"]),
    _joined(st.sampled_from(AGGREGATES), field_names),
    st.tuples(st.sampled_from(AGGREGATES), field_names).map(lambda t: f"{t[0]}({t[1]})"))

subjects = st.one_of(
    entity_names,
    _joined(_listed(aggregate_calls, 3), st.sampled_from(["", "of"]),
            st.one_of(st.just(""), entity_names, st.sampled_from(PRONOUNS))),
    _joined(st.just("top"), numbers(), st.sampled_from(["", "of"]), st.one_of(st.just(""), entity_names),
            st.just("by"), field_names),
    st.sampled_from(PRONOUNS),
)

order_items = _joined(st.one_of(field_names, aggregate_calls), st.sampled_from(["", "asc", "desc"]))

clauses = st.one_of(
    _joined(st.sampled_from(WHERE_WORDS), conditions),
    _joined(st.just("by"), _listed(field_names, 3)),
    _joined(st.just("order by"), _listed(order_items, 3)),
    _joined(st.just("limit"), numbers()),
    _joined(st.just("show"), _listed(field_names, 4)),
    st.integers(1990, 2030).map(lambda y: f"in {y}"),
    _joined(st.just("paid"), st.sampled_from(COMPARATORS), numbers()),
)

leads = st.one_of(st.just(""), _joined(st.sampled_from(LEAD_WORDS),
                                       st.lists(st.sampled_from(FILLER_WORDS), max_size=2).map(" ".join)))

queries = _joined(leads, subjects, st.lists(clauses, max_size=4).map(" ".join),
                  st.sampled_from(["", "", "?"]))

followups = st.one_of(
    _joined(st.sampled_from(["and", "or"]), conditions),
    clauses,
    _joined(st.sampled_from(["sum proceeds of", "count", "avg price of"]), st.sampled_from(PRONOUNS)),
)

commands = st.one_of(
    _joined(st.just("help"), st.one_of(st.just(""), field_names, st.sampled_from(
        ["fields", "entities", "aggregates", "conditions", "values", "phrasing", "followups", "strike"]))),
    _joined(st.just("fields"), st.one_of(st.just(""), entity_names)),
    _joined(st.just("explain"), st.one_of(queries, followups)),
    _joined(st.just("show"), entity_names, st.one_of(
        st.from_regex(r"[a-z0-9.\-]{1,20}", fullmatch=True), quoted(),
        st.sampled_from(["neotherapeutics-20010308", "a1", "a3.1", "f5", "c1"]))),
    st.just("check"),
    st.just("reload"),
)

statements = st.one_of(queries, commands, followups)


# --- well-typed: valid queries over one entity's own fields, to reach the evaluator ------------

def _of_type(entity, *types: str) -> list[str]:
    return [f.name for f in entity.fields if f.type in types]


def _typed_predicate(draw, entity) -> str:
    field = draw(st.sampled_from(entity.fields))
    name, type_ = field.name, field.type
    if draw(st.integers(0, 9)) == 0:
        return f"{name} {draw(st.sampled_from(['is null', 'is not null', 'is missing', 'is known']))}"
    if type_ in NUMERIC:
        form = draw(st.integers(0, 3))
        if form == 0:
            return f"{name} {draw(st.sampled_from(COMPARATORS))} {draw(numbers())}"
        if form == 1:
            return f"{name} between {draw(numbers())} and {draw(numbers())}"
        if form == 2:
            return f"{name} in ({draw(_listed(numbers()))})"
        return f"{name} {draw(st.sampled_from(COMPARATORS))} {draw(st.sampled_from(_of_type(entity, *NUMERIC)))}"
    if type_ == DATE:
        form = draw(st.integers(0, 2))
        if form == 0:
            value = draw(st.one_of(dates(), st.integers(1995, 2005).map(str)))
            return f"{name} {draw(st.sampled_from(COMPARATORS))} {value}"
        if form == 1:
            return f"{name} between {draw(dates())} and {draw(dates())}"
        return f"{name} in ({draw(_listed(st.integers(1999, 2003).map(str)))})"
    if type_ == BOOLEAN:
        return draw(st.sampled_from([name, f"not {name}", f"{name} = true", f"{name} != false"]))
    if type_ == LIST:
        return f"{name} {draw(st.sampled_from(['contains', '=', '!=']))} {draw(quoted())}"
    form = draw(st.integers(0, 3))
    if form == 0:
        return f"{name} {draw(st.sampled_from(['=', '!=', '<', '>=']))} {draw(quoted())}"
    if form == 1:
        return f"{name} contains {draw(quoted())}"
    if form == 2:
        return f"{name} matches {draw(quoted())}"
    return f"{name} in ({draw(_listed(quoted()))})"


def _typed_condition(draw, entity, depth: int = 0) -> str:
    form = draw(st.integers(0, 5 if depth < 3 else 0))
    if form <= 2:
        return _typed_predicate(draw, entity)
    if form == 3:
        return f"not {_typed_condition(draw, entity, depth + 1)}"
    if form == 4:
        return f"({_typed_condition(draw, entity, depth + 1)})"
    word = draw(st.sampled_from(["and", "or"]))
    return f"{_typed_condition(draw, entity, depth + 1)} {word} {_typed_condition(draw, entity, depth + 1)}"


@st.composite
def typed_queries(draw) -> str:
    entity = draw(st.sampled_from(list(ENTITIES.values())))
    where = f"where {_typed_condition(draw, entity)}" if draw(st.integers(0, 3)) else ""
    orderable = _of_type(entity, *NUMERIC, DATE, "text")
    if draw(st.booleans()):
        numeric = _of_type(entity, *NUMERIC)
        calls = ["count"] + [f"{fn} {f}" for fn in ("sum", "avg", "median", "min", "max") for f in numeric] \
            + [f"{fn} {f}" for fn in ("min", "max") for f in _of_type(entity, DATE, "text")]
        chosen = draw(st.lists(st.sampled_from(calls), min_size=1, max_size=3, unique=True))
        groups = draw(st.lists(st.sampled_from(_of_type(entity, "text", INTEGER, DATE, BOOLEAN)),
                               max_size=2, unique=True))
        parts = [", ".join(chosen), "of" if chosen[-1] != "count" else "", entity.name, where]
        if groups:
            parts.append("by " + ", ".join(groups))
            if draw(st.booleans()):
                key = draw(st.sampled_from(groups + [c if c == "count" else "{}({})".format(*c.split())
                                                     for c in chosen]))
                parts.append(f"order by {key} {draw(st.sampled_from(['', 'desc']))}")
    else:
        parts = [entity.name, where]
        if draw(st.booleans()):
            keys = draw(st.lists(st.sampled_from(orderable), min_size=1, max_size=3))
            parts.append("order by " + ", ".join(f"{k} {draw(st.sampled_from(['', 'asc', 'desc']))}"
                                                 for k in keys))
        if draw(st.booleans()):
            parts.append("show " + ", ".join(draw(st.lists(st.sampled_from(entity.field_names),
                                                           min_size=1, max_size=5))))
    if draw(st.booleans()):
        parts.append(f"limit {draw(st.integers(0, 20))}")
    query = " ".join(p for p in parts if p)
    return draw(st.sampled_from(["", "explain "])) + query if draw(st.integers(0, 5)) == 0 else query


# --- nearly valid: a valid statement mutated token by token ------------------------------

VOCABULARY = KEYWORDS + PHRASES + ENTITY_WORDS + FIELD_WORDS + SYMBOLS


@st.composite
def mutated(draw) -> str:
    text = draw(st.one_of(typed_queries(), statements))
    tokens = text.split()
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["drop", "duplicate", "swap", "insert", "truncate", "glue"]))
        if op == "truncate":
            text = " ".join(tokens)
            tokens = text[:draw(st.integers(0, len(text)))].split()
            continue
        if not tokens:
            tokens = [draw(st.sampled_from(VOCABULARY))]
            continue
        i = draw(st.integers(0, len(tokens) - 1))
        j = draw(st.integers(0, len(tokens) - 1))
        if op == "drop":
            del tokens[i]
        elif op == "duplicate":
            tokens.insert(i, tokens[i])
        elif op == "swap":
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif op == "insert":
            tokens.insert(i, draw(st.sampled_from(VOCABULARY)))
        elif i + 1 < len(tokens):
            tokens[i:i + 2] = [tokens[i] + tokens[i + 1]]          # two tokens without the space
    return " ".join(tokens)


token_soup = st.lists(st.sampled_from(VOCABULARY) | values, max_size=25).map(" ".join)


# --- raw text ---------------------------------------------------------------------------

CONTROLS = [chr(c) for c in range(32)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\u202e",
                                          "\u200b", "\ufffd", "\U0001F4A9", "中", "\u0301", "\udcff",
                                          "\ud800"]
any_char = st.one_of(st.characters(), st.sampled_from(CONTROLS))


@st.composite
def injected(draw) -> str:
    """A statement with odd characters put in anywhere."""
    text = draw(st.one_of(typed_queries(), statements))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.text(any_char, min_size=1, max_size=3)) + text[i:]
    return text


@st.composite
def long_input(draw) -> str:
    size = draw(st.sampled_from([MAX_QUERY_LENGTH - 1, MAX_QUERY_LENGTH, MAX_QUERY_LENGTH + 1,
                                 20_000, 100_000]))
    seed = draw(st.one_of(st.sampled_from(["x", "(", "purchasers where price < 1 and ", "é", "\x00",
                                           "not ", '"', "1,000,"]), statements))
    text = (seed * (size // max(1, len(seed)) + 1))[:size]
    return draw(st.sampled_from(["", "purchasers where ", "explain "])) + text


@st.composite
def nested(draw) -> str:
    """Deep parentheses (balanced or not) and long and/or/not chains."""
    n = draw(st.one_of(st.integers(1, 150), st.integers(150, 5_000)))
    kind = draw(st.integers(0, 5))
    inner = draw(st.sampled_from(["price < 1", "template", "purchaser matches '(a+)+$'", ""]))
    if kind == 0:
        cond = "(" * n + inner + ")" * n
    elif kind == 1:
        cond = "(" * n + inner + ")" * draw(st.integers(0, n + 2))
    elif kind == 2:
        cond = "not " * n + inner
    elif kind == 3:
        cond = " and ".join([inner or "price > 0"] * n)
    elif kind == 4:
        cond = "(" * n + " or ".join(["year = 2002"] * 3) + ")" * n
    else:
        return "count of " + "(top 1 of " * n + "purchasers" + " by price)" * n
    return draw(st.sampled_from(["purchasers where ", "explain agreements where ", "and ", ""])) + cond


raw_text = st.one_of(st.text(any_char, max_size=80), injected(), long_input(), nested(),
                     st.binary(max_size=60).map(lambda b: b.decode("utf-8", "surrogateescape")))


# --- the properties ------------------------------------------------------------------------

STRATEGIES = {
    "well-typed": typed_queries(),
    "grammar": statements,
    "mutated": mutated(),
    "token soup": token_soup,
    "raw text": raw_text,
}


@pytest.mark.parametrize("kind", list(STRATEGIES))
def test_only_query_errors_escape(kind):
    @FUZZ
    @given(STRATEGIES[kind], st.integers(0, 1))
    def check(text, which):
        assert_behaves(text, which)
    check()


@FUZZ
@given(st.lists(st.one_of(typed_queries(), statements, followups, mutated()), min_size=1, max_size=8),
       st.integers(0, 1))
def test_sessions_of_followups(lines, which):
    """Each line refines the one before; none may break the session."""
    session = Session(indexes()[which])
    for line in lines:
        problem = failure(session.run, line)
        assert problem is None, f"{lines!r} at {line!r}: {problem}"


def test_the_nastiest_inputs_directly():
    """The inputs the strategies only sometimes reach, every time."""
    for text in NASTIEST:
        for which in (0, 1):
            assert_behaves(text, which)


def test_a_long_session_of_followups_ends_in_a_clear_error():
    session = Session(indexes()[1])
    session.run("purchasers where price > 0")
    with pytest.raises(QueryError, match="too deep"):
        for _ in range(1_000):
            session.run("and price > 0")
    assert len(session.run("purchasers where price > 1").rows) == 2     # a new query starts afresh


# The inputs a CLI user most plausibly throws at spaq to break it.
NASTIEST = [
    "", " ", "\x00", "purchasers where purchaser = '\x00'", "\x1b[2J\x1b[H purchasers", "\udcff",
    "purchasers where " + "(" * 5_000 + "price < 1" + ")" * 5_000,
    "purchasers where " + "(" * 4_000 + "price < 1" + ")" * 4_000,
    "purchasers where " + "(" * 5_000,
    "purchasers where " + "not " * 5_000 + "template",
    "purchasers where " + " and ".join(["price > 0"] * 2_000),
    "agreements where date in (" + ", ".join(["2002"] * 1_500) + ")",
    "x" * 100_000,
    "purchasers where purchaser matches '(a+)+$'",
    "purchasers where purchaser matches '(x+x+)+y'",
    "purchasers where purchaser matches '" + "(" * 900 + "'",
    "purchasers where purchaser matches '" + "a" * 2_000 + "'",
    "purchasers limit 99999999999999999999999999999999",
    "purchasers where price < " + "9" * 5_000,
    "top " + "9" * 5_000 + " purchasers by price",
    "sum proceeds of them", "and price > 1", "explain explain purchasers",
    "purchasers\nwhere prcie < 1", "中文 where prcie < 1", "purchasers where price < 1 )))",
]


# --- the CLI: never a traceback -------------------------------------------------------------

def _spaq(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("spaq")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "spaq"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["NO_COLOR"] = "1"
    return subprocess.run(command + list(args), input=stdin, capture_output=True, cwd="/",
                          env=env, timeout=120)


def test_cli_never_prints_a_traceback():
    argv_safe = [q for q in NASTIEST if q and "\x00" not in q and "\udcff" not in q and "\n" not in q]
    args = [a for q in argv_safe for a in ("-e", q)]
    r = _spaq("--no-cache", *args)
    assert r.returncode == 2
    assert b"Traceback" not in r.stderr + r.stdout
    # NUL, escapes, undecodable bytes and newlines only reach spaq through a file or a pipe.
    r = _spaq("--no-cache", "-f", "-", stdin=b"count agreements\n\x00\n\xff\xfe purchasers\n"
              b"purchasers where purchaser = '\x1b[2J'\nexplain \x00 \xc3\n" + b"(" * 20_000 + b"\n")
    assert b"Traceback" not in r.stderr + r.stdout
    assert r.stdout.startswith(b"4\n") and r.returncode == 2
    assert b"\x1b" not in r.stderr                 # the query is echoed, its escapes drawn
    # Undecodable bytes on the command line itself.
    r = _spaq("--no-cache", "-e", os.fsdecode(b"purchasers where purchaser = '\xff'"))
    assert r.returncode == 2 and b"Traceback" not in r.stderr
