"""The grammar loads strictly, every rule is documented, and no lark error escapes."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from lark import Lark

from conftest import make_index
from spaq import ast
from spaq.aggregates import AGGREGATES
from spaq.engine import run
from spaq.errors import QueryError, QuerySyntaxError
from spaq.parser import grammar_path, grammar_text, parse, parse_date, parse_number


def test_grammar_loads_lalr_strict():
    Lark(grammar_text(), parser="lalr", strict=True)


def test_grammar_is_found_in_the_checkout():
    assert grammar_path().name == "spaq.lark" and grammar_path().is_file()


def test_every_rule_has_a_comment():
    lines = grammar_text().splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[?!]?[a-z_]+\s*:", line):
            assert lines[i - 1].startswith("//"), f"rule without a comment: {line}"


def test_aggregate_keywords_match_the_registry():
    keywords = set(re.findall(r'^([A-Z]+): "([a-z]+)"i', grammar_text(), re.M))
    words = {word for _, word in keywords}
    assert set(AGGREGATES) <= words


@pytest.mark.parametrize("raw, value", [
    ("1", 1), ("1.00", 1.0), (".35", 0.35), ("1,250,000", 1250000), ("$5,000,000", 5000000),
    ("$0.2325", 0.2325), ("1.5m", 1500000), ("$2M", 2000000), ("500k", 500000), ("10%", 0.1),
    ("-3", -3), ("2b", 2000000000),
])
def test_numbers(raw, value):
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw, value", [
    ("2002-06-05", dt.date(2002, 6, 5)), ("June 5, 2002", dt.date(2002, 6, 5)),
    ("Jun 5, 2002", dt.date(2002, 6, 5)), ("5 June 2002", dt.date(2002, 6, 5)),
    ("06/05/2002", dt.date(2002, 6, 5)), ("June 5th, 2002", dt.date(2002, 6, 5)), ("soon", None),
])
def test_dates(raw, value):
    assert parse_date(raw) == value


def test_spans_point_at_the_text():
    q = "purchasers where price < $1 and year in (2001, 2002)"
    tree = parse(q)
    assert isinstance(tree, ast.Query)
    compare = tree.where.left
    assert q[compare.start:compare.end] == "price < $1"
    assert q[compare.right.start:compare.right.end] == "$1"
    in_list = tree.where.right
    assert q[in_list.start:in_list.end] == "year in (2001, 2002)"
    assert [v.value for v in in_list.values] == [2001, 2002]


def test_thousands_commas_inside_a_list():
    tree = parse("purchasers where shares in (1,250,000, 2002)")
    assert [v.value for v in tree.where.values] == [1250000, 2002]


def test_and_binds_tighter_than_or():
    tree = parse("agreements where a = 1 or b = 2 and c = 3")
    assert isinstance(tree.where, ast.Or) and isinstance(tree.where.right, ast.And)


def test_keywords_and_names_are_case_insensitive():
    tree = parse("COUNT Purchasers BY Year ORDER BY count DESC LIMIT 1")
    assert tree.aggregates[0].function == "count" and tree.order_by[0].descending


def test_syntax_errors_are_query_syntax_errors():
    with pytest.raises(QuerySyntaxError) as caught:
        parse("purchasers where price <")
    assert caught.value.start == len("purchasers where price <")


NASTY = [
    "", " ", "\t", "\n", "(", ")", "((", "'", '"', "''", '""', "'''", "\\", "\x00", "🦄",
    "purchasers where", "purchasers where (", "purchasers where ()", "purchasers where price <<< 1",
    "purchasers where price < 1 and", "purchasers where price < 1 or or", "not", "and", "or",
    "where", "by", "order by", "limit", "show", "show show", "help help help", "explain explain",
    "count count", "sum sum", "top", "top top", "top -1 purchasers by price", "purchasers limit -5",
    "purchasers limit 99999999999999999999", "purchasers where price = 1e5",
    "purchasers where price = $", "purchasers where price = ,", "purchasers where price = 1,2",
    "purchasers where date = 0000-00-00", "purchasers where date = 9999-99-99",
    "purchasers where purchaser matches '['", "purchasers where purchaser matches '*'",
    "purchasers where price in ()", "purchasers where price between and",
    "purchasers;DROP TABLE", "purchasers -- comment", "purchasers /* x */", "sum(", "sum()",
    "count(*)", "purchasers where price < 1)", "fields fields fields", "show purchasers 'x",
    "purchasers where x" * 40, "a" * 5000, "(" * 500, "purchasers where " + "not " * 300 + "template",
    "purchasers where price = 10%%", "purchasers where price = 5kk", "purchasers order by sum(",
    "explain show purchasers a1", "reload now", "check everything",
    # the plain-words forms and follow-ups, half typed
    "which", "which?", "?", "??", "how many", "how", "show me", "show the", "paid", "in 2002", "in",
    "them", "those?", "it it", "and", "or or", "with", "top 2 of them by", "sum proceeds of (",
    "sum proceeds of (purchasers", "sum proceeds of ()", "sum proceeds of (count purchasers)",
    "deals after", "deals after June", "deals after June 31, 2002", "purchasers paid", "purchasers paid under",
    "show purchaser,", "show price per", "purchasers where price is not", "purchasers where price at",
    "explain and", "explain them", "help how many", "show purchasers a1.1?",
]


@pytest.mark.parametrize("text", NASTY)
def test_no_lark_error_escapes(text):
    index = make_index()
    try:
        run(index, text)
    except QueryError as e:
        assert str(e)          # renders, caret and all
        assert "__ANON" not in str(e) and "CNAME" not in str(e) and "$END" not in str(e)


# --- plain words and follow-ups --------------------------------------------------

def test_word_comparators_build_the_canonical_node():
    said, meant = parse("purchasers where price is at least $1"), parse("purchasers where price >= $1")
    assert said.where.op == meant.where.op == ">="
    assert type(said.where) is type(meant.where) is ast.Compare


def test_plain_word_aggregates_are_the_registry_names():
    q = parse("how many deals")
    assert q.aggregates[0].function == "count" and q.aggregates[0].field is None
    q = parse("total gross proceeds, average price per share by year")
    assert [a.function for a in q.aggregates] == ["sum", "avg"]
    assert [a.field.text for a in q.aggregates] == ["gross proceeds", "price per share"]


def test_in_year_is_a_comparison_spanning_its_words():
    text = "purchasers in 2002"
    where = parse(text).where
    assert (where.op, where.left.text, where.right.value) == ("=", "year", 2002)
    assert text[where.start:where.end] == "in 2002" and text[where.right.start:where.right.end] == "2002"


def test_dates_in_words_need_no_quotes():
    where = parse("deals after June 1, 2002").where
    assert (where.left.text, where.op, where.right.value) == ("date", ">", dt.date(2002, 6, 1))


def test_leading_words_are_not_part_of_the_query():
    text = "which are the purchasers with price < 1?"
    q = parse(text)
    assert text[q.start:q.end] == "purchasers with price < 1"


def test_follow_ups_parse_to_follow_up_nodes():
    f = parse("or price > 3 order by price limit 2")
    assert isinstance(f, ast.FollowUp) and f.joins == "or" and f.word.text == "or"
    assert f.limit.value == 2 and f.order_by[0].key.text == "price"
    assert parse("by year").group_by[0].text == "year"
    assert parse("show purchaser, price").show[1].text == "price"


def test_show_name_keeps_both_readings():
    s = parse("show price in 2002")
    assert isinstance(s, ast.ShowName)
    assert s.query.entity.text == "price" and s.followup.show[0].text == "price"
    assert isinstance(parse("show purchasers a1.1"), ast.Command)
    assert isinstance(parse("show the purchasers"), ast.Query)


def test_pronouns_and_parenthesised_rows():
    q = parse("sum proceeds of them")
    assert isinstance(q.entity, ast.Pronoun) and q.entity.text == "them"
    q = parse("count of (purchasers where price < 1 limit 2)")
    assert isinstance(q.entity, ast.Query) and q.entity.limit.value == 2


def test_forgiving_terminals_are_never_listed_as_expected():
    with pytest.raises(QuerySyntaxError) as caught:
        parse("purchasers where price < 1 foo")
    for word in ("with", "paid", "in_year", "question", "whose"):
        assert word not in caught.value.message
