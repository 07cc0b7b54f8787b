"""Highlighting: the line as the grammar lexes it, errors marked, nothing lost."""
from __future__ import annotations

import pytest

from spaq.repl.highlight import highlight


def kinds(text):
    return [(f.kind, f.text) for f in highlight(text) if f.kind]


@pytest.mark.parametrize("text", [
    'purchasers where price < $1 and date >= 2002-01-01 and purchaser contains "omi"',
    "purchasers purchasers where", "purchasers where price < 1 @ x", 'x = "open',
    "\\x on", "  chart sum proceeds by year  ", "", "   ", "sum(proceeds) by year\n  order by year",
])
def test_fragments_cover_the_text_exactly(text):
    assert "".join(f.text for f in highlight(text)) == text


def test_each_kind_of_token():
    assert kinds('purchasers where price < $1 and date >= 2002-01-01 or shares > 1,000 '
                 'and purchaser contains "omi"') == [
        ("entity", "purchasers"), ("keyword", "where"), ("field", "price"), ("comparator", "<"),
        ("money", "$1"), ("keyword", "and"), ("field", "date"), ("comparator", ">="),
        ("date", "2002-01-01"), ("keyword", "or"), ("field", "shares"), ("comparator", ">"),
        ("number", "1,000"), ("keyword", "and"), ("field", "purchaser"), ("keyword", "contains"),
        ("string", '"omi"')]


def test_aggregates_commands_and_punctuation():
    assert kinds("sum(proceeds) by year") == [
        ("aggregate", "sum"), ("punct", "("), ("field", "proceeds"), ("punct", ")"),
        ("keyword", "by"), ("field", "year")]
    assert kinds("help conditions")[0] == ("command", "help")


def test_keywords_are_case_insensitive_as_in_the_grammar():
    assert kinds("PURCHASERS WHERE Price")[:2] == [("entity", "PURCHASERS"), ("keyword", "WHERE")]


def test_an_unfinished_query_is_not_an_error():
    assert not any("error" in k for k, _ in kinds("purchasers where price <"))
    assert kinds('purchasers where purchaser = "Omi')[-1] == ("string", '"Omi')


def test_the_first_token_the_parser_cannot_take_is_marked():
    assert kinds("purchasers purchasers where") == [
        ("entity", "purchasers"), ("entity+error", "purchasers"), ("keyword", "where")]
    marked = [t for k, t in kinds("purchasers where price ~ 1") if "error" in k]
    assert marked == ["~"]


def test_prompt_commands():
    assert kinds("\\format json") == [("meta", "\\format json")]
    assert kinds("chart count by year")[:2] == [("meta", "chart"), ("aggregate", "count")]
