"""Bounded work on user input: no pattern, query or result can hang spaq.

- `matches` runs on RE2 (google-re2), which matches in time linear in the
  text: the classic catastrophic patterns return at once over long values;
  what RE2 lacks (lookaround, backreferences) is a clear query error; a
  pattern is at most MAX_PATTERN_LENGTH characters.
- A query is at most MAX_QUERY_LENGTH characters and MAX_DEPTH levels deep;
  past that, a QueryError says so (nothing recurses out of the stack).
- A table for people shows at most render.MAX_TABLE_ROWS rows and counts the
  rest in a footer; csv, json and jsonl carry every row.
- An error's caret lands under the right text whatever the query holds.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

import spaq
from conftest import make_index
from spaq import engine
from spaq.errors import QueryError
from spaq.parser import MAX_DEPTH, MAX_QUERY_LENGTH
from spaq.plan import MAX_PATTERN_LENGTH, compile_regex
from spaq.render import MAX_TABLE_ROWS, render
from spaq.result import Result
from spaq.session import Session

LONG = 100_000      # characters in the long field values


def _long_index():
    """The hand-made index, plus purchasers whose names are 100,000 characters
    made to trip backtracking engines (a near-match at the very end)."""
    index = make_index()
    names = ["a" * LONG + "!", "x" * LONG, "ab" * (LONG // 2) + "c", ("word " * (LONG // 5)) + "!",
             "a" * LONG, "\udcffsurrogate in the data"]
    for i, name in enumerate(names):
        index.table("purchasers").add(dict(id=f"long{i}", purchaser=name, agreement="a1", year=2001))
    return index


@pytest.fixture(scope="module")
def long_index():
    return _long_index()


CATASTROPHIC = [
    "(a+)+$",               # exponential in Python's re on aaaa…!
    "(x+x+)+y",
    "(a|aa)+$",
    "(a|a)*b",
    "^(a+)+b",
    "(.*a){20}$",
    r"(\w+\s?)+$",
    "(ab|a)*c$",
    ".*.*.*.*.*.*.*=",      # polynomial: n^7 steps for a backtracker
]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_a_catastrophic_pattern_over_long_values_returns_at_once(long_index, pattern):
    started = time.perf_counter()
    result = long_index.query(f"purchasers where purchaser matches '{pattern}' show id")
    assert time.perf_counter() - started < 2.0
    assert isinstance(result.rows, list)


def test_catastrophic_patterns_still_match_what_they_should(long_index):
    ids = lambda q: [r[0] for r in long_index.query(q).rows]     # noqa: E731
    assert ids("purchasers where purchaser matches '^(a+)+$' show id") == ["long4"]
    assert ids("purchasers where purchaser matches '^(ab)+c$' show id") == ["long2"]
    assert ids("purchasers where purchaser matches '(x+x+)+y' show id") == []
    assert ids("purchasers where purchaser matches 'SURROGATE' show id") == ["long5"]


def test_the_same_pattern_would_hang_a_backtracking_engine():
    """The control: Python's own re on a 40-character text does not return in a second."""
    code = "import re; re.search(r'(a+)+$', 'a' * 40 + '!')"
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-c", code], timeout=1)


def test_matches_is_case_insensitive_and_reads_unicode():
    index = make_index()
    index.table("purchasers").add(dict(id="u1", purchaser="École Capital", year=2002))
    rows = index.query("purchasers where purchaser matches '^ÉCOLE' show id").rows
    assert rows == [("u1",)]
    assert index.query("purchasers where purchaser matches '^(bnc|iat)' show id").rows == [("a1.1",), ("a4.2",)]


@pytest.mark.parametrize("pattern, message", [
    ("(?<=a)b", "matches does not support lookahead or lookbehind (patterns run on RE2, which cannot backtrack)"),
    ("(?!x)a", "matches does not support lookahead or lookbehind (patterns run on RE2, which cannot backtrack)"),
    (r"(a)\1", "matches does not support backreferences (patterns run on RE2, which cannot backtrack)"),
    ("(?P<n>a)(?P=n)", "matches does not support backreferences (patterns run on RE2, which cannot backtrack)"),
    ("a*+", "matches does not support possessive repeats (patterns run on RE2, which cannot backtrack)"),
    ("(omicron", "bad regular expression: missing ), unterminated subpattern"),
    ("[z-a]", "bad regular expression: bad character range z-a"),
])
def test_what_re2_cannot_do_is_a_clear_error(pattern, message):
    query = f"purchasers where purchaser matches '{pattern}'"
    with pytest.raises(QueryError) as caught:
        make_index().query(query)
    e = caught.value
    assert e.message == message
    assert query[e.start:e.end] == f"'{pattern}'"
    assert str(e).split("\n")[1] == " " * e.start + "^" * (e.end - e.start)


def test_a_pattern_is_at_most_so_long():
    pattern = "a" * (MAX_PATTERN_LENGTH + 1)
    with pytest.raises(QueryError, match="regular expression too long: 1,001 characters; at most 1,000"):
        make_index().query(f"purchasers where purchaser matches '{pattern}'")
    make_index().query(f"purchasers where purchaser matches '{pattern[1:]}'")
    # Deep groups within the length: RE2 takes them; Python's compiler would overflow its stack.
    make_index().query("purchasers where purchaser matches '" + "(" * 450 + "a" + ")" * 450 + "'")
    with pytest.raises(QueryError, match="bad regular expression"):
        make_index().query("purchasers where purchaser matches '" + "(" * 900 + "'")


def test_without_re2_matches_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "re2", None)
    compile_regex.cache_clear()
    engine.compile_cached.cache_clear()
    try:
        with pytest.raises(QueryError, match="matches needs the google-re2 package: pip install google-re2"):
            make_index().query("purchasers where purchaser matches 'x+'")
    finally:
        compile_regex.cache_clear()
        engine.compile_cached.cache_clear()


# --- the query itself: length and depth ---------------------------------------------------

def test_a_query_is_at_most_so_long():
    text = "purchasers where price < 1 and " * 5_000
    started = time.perf_counter()
    with pytest.raises(QueryError) as caught:
        make_index().query(text)
    assert time.perf_counter() - started < 1.0
    assert str(caught.value) == f"query too long: {len(text):,} characters; at most {MAX_QUERY_LENGTH:,}"


def test_thousands_of_parentheses_are_fine_and_deep_logic_is_a_clear_error():
    index = make_index()
    deep = "purchasers where " + "(" * 4_000 + "price < 1" + ")" * 4_000
    assert len(index.query(deep).rows) == 3
    for text in ("purchasers where " + "not " * 1_000 + "template",
                 "purchasers where " + " and ".join(["price > 0"] * 500),
                 "purchasers where " + " or ".join(["price > 0"] * 500)):
        with pytest.raises(QueryError) as caught:
            index.query(text)
        assert caught.value.message.startswith(f"query nested too deeply: at most {MAX_DEPTH} levels")
        assert "^" in str(caught.value).split("\n")[1]
    assert len(index.query("purchasers where " + " and ".join(["price > 0"] * 80)).rows) == 5


def test_a_long_list_of_years_stays_shallow():
    index = make_index()
    years = ", ".join(str(1000 + i) for i in range(1_500))
    assert [r[0] for r in index.query(f"agreements where date in ({years}) show id").rows] == ["a1", "a2", "a3", "a4"]


def test_deep_nesting_leaves_room_on_the_stack():
    """The deepest query allowed still runs with only a third of the usual stack."""
    code = (
        "import sys; sys.path.insert(0, 'tests'); from conftest import make_index\n"
        "from spaq.session import Session\n"
        "ix = make_index(); s = Session(ix)\n"
        "s.run('purchasers where ' + 'not ' * 90 + 'price > 1')\n"
        "sys.setrecursionlimit(350)\n"
        "s.run('explain purchasers where ' + ' or '.join(['price > 0'] * 90))\n"
        "s.run('count of ' + '(top 1 of ' * 30 + 'purchasers' + ' by price)' * 30)\n"
        "print('ok')\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       cwd=str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    assert r.stdout == "ok\n", r.stderr


# --- errors draw the caret under the right text -------------------------------------------------

@pytest.mark.parametrize("query, line, caret", [
    ("purchasers\nwhere prcie < 1", "where prcie < 1", "      ^^^^^"),
    ("purchasers\twhere prcie < 1", "purchasers where prcie < 1", "                 ^^^^^"),
    ("purchasers where purchaser = '中文' and prcie < 1", "purchasers where purchaser = '中文' and prcie < 1",
     " " * 40 + "^^^^^"),                                   # wide characters take two columns
    ("purchasers where purchaser = '\x1b[2J' and prcie < 1", "purchasers where purchaser = '␛[2J' and prcie < 1",
     " " * 40 + "^^^^^"),                                   # control characters are drawn, not sent
    ("purchasers where \x00 prcie < 1", "purchasers where ␀ prcie < 1", " " * 17 + "^"),
])
def test_the_caret_lands_under_the_offending_text(query, line, caret):
    with pytest.raises(QueryError) as caught:
        make_index().query(query)
    shown = str(caught.value).split("\n")
    assert shown[:2] == [line, caret]


def test_a_long_line_is_cut_to_a_window_around_the_error():
    query = "purchasers where " + " and ".join(["price > 0"] * 40) + " and prcie < 1 and " + \
        " and ".join(["price > 0"] * 40)
    with pytest.raises(QueryError) as caught:
        make_index().query(query)
    line, caret, message = str(caught.value).split("\n")
    assert line.startswith("…") and line.endswith("…") and len(line) < 250
    assert line[caret.index("^"):caret.index("^") + 5] == "prcie"
    assert message.startswith("unknown field 'prcie'")


# --- large results -------------------------------------------------------------------------------

def _big(rows: int) -> Result:
    return Result(["id", "proceeds"], [(f"r{i}", i * 1.5) for i in range(rows)], ["text", "money"],
                  ["2 rows lacked proceeds"])


def test_a_table_shows_at_most_max_table_rows_and_says_how_many_more():
    text = render(_big(MAX_TABLE_ROWS + 1))
    lines = text.split("\n")
    assert lines[-2:] == ["… 1 more row (use --format csv or limit)", "2 rows lacked proceeds"]
    assert len(lines) == 2 + MAX_TABLE_ROWS + 2          # header, rule, rows, footer, note
    assert "r9999" in text and "r10000" not in text
    assert "more row" not in render(_big(MAX_TABLE_ROWS))


def test_the_row_limit_is_configurable_and_markdown_obeys_it_too():
    assert render(_big(50), max_rows=3).split("\n")[-2] == "… 47 more rows (use --format csv or limit)"
    assert len(render(_big(50), "markdown", max_rows=3).split("\n")) == 2 + 3 + 2
    assert "more row" not in render(_big(20_000), max_rows=None)
    assert "more row" not in render(_big(20_000), max_rows=0)
    # Cut to one row of one column, it is still a table, not a bare value.
    one = Result(["n"], [(1,), (2,)], ["integer"])
    assert render(one, max_rows=1).split("\n") == ["  n", "---", "  1", "… 1 more row (use --format csv or limit)"]


def test_machine_formats_carry_every_row():
    big = _big(MAX_TABLE_ROWS + 5)
    assert len(render(big, "csv").split("\n")) == 1 + MAX_TABLE_ROWS + 5
    assert len(json.loads(render(big, "json"))) == MAX_TABLE_ROWS + 5
    assert len(render(big, "jsonl").split("\n")) == MAX_TABLE_ROWS + 5


def test_a_huge_query_result_renders_quickly_and_keeps_every_row_for_the_api():
    index = make_index()
    table = index.table("purchasers")
    for i in range(30_000):
        table.add(dict(id=f"p{i}", purchaser=f"Fund {i}", price=1.25, shares=i, proceeds=1.25 * i, year=2002))
    started = time.perf_counter()
    result = index.query("purchasers where year = 2002")
    text = render(result)
    assert time.perf_counter() - started < 10
    assert len(result.rows) == 30_004
    assert text.endswith("… 20,004 more rows (use --format csv or limit)")
