"""Completion as a pure function of the text before the cursor (no terminal)."""
from __future__ import annotations

import pytest

from spaq.repl import terms
from spaq.repl.suggest import Suggestion, split_word, suggest
from spaq.schema import ENTITIES


def texts(text, mini_index=None, last=None, kind=None):
    return [s.text for s in suggest(text, mini_index, last) if kind is None or s.kind == kind]


# --- where the cursor is ------------------------------------------------------------------

def test_entities_and_aggregates_at_the_start(mini_index):
    found = texts("", mini_index)
    for name in ENTITIES:
        assert name in found
    assert {"count", "sum", "avg", "top", "help", "fields"} <= set(found)
    assert found[0] == "agreements"                                 # entities first
    assert found.index("agreements") < found.index("count")


def test_a_partial_word_is_completed_and_replaced(mini_index):
    (s,) = suggest("purch", mini_index)
    assert s == Suggestion("purchasers", "entity", s.meta, -5)
    assert texts("inv", mini_index) == ["investors"]                     # aliases too


def test_clause_keywords_after_an_entity(mini_index):
    found = texts("purchasers ", mini_index)
    assert {"where", "by", "order", "limit", "show"} <= set(found)
    assert found[0] == "where"
    assert "where" in texts("purchasers wh", mini_index)
    assert "count" not in found and "purchasers" not in found
    assert texts("purchasers order ", mini_index) == ["by"]


def test_fields_of_the_current_entity_after_where_by_order_by_show(mini_index):
    purchaser_fields = ENTITIES["purchasers"].field_names
    n = len(purchaser_fields)
    # The entity's own fields, in schema order; the grammar's field phrases may follow.
    assert texts("purchasers where ", mini_index, kind="field")[:n] == purchaser_fields
    assert texts("purchasers order by ", mini_index, kind="field")[:n] == purchaser_fields
    assert texts("purchasers show ", mini_index, kind="field")[:n] == purchaser_fields
    assert texts("count purchasers by ", mini_index, kind="field")[:n] == purchaser_fields
    assert "purchaser_count" in texts("agreements where pur", mini_index)
    assert "purchaser_count" not in texts("purchasers where pur", mini_index)
    assert texts("filings where fo", mini_index) == ["form"]


def test_fields_after_an_aggregate_fit_the_aggregate(mini_index):
    summed = texts("sum ", mini_index, kind="field")
    assert "proceeds" in summed and "shares" in summed
    assert "purchaser" not in summed and "date" not in summed       # sum takes numbers
    assert "date" in texts("max ", mini_index, kind="field")             # max takes dates too
    assert texts("avg(pri", mini_index)[0] == "price"


def test_comparators_after_a_field(mini_index):
    found = suggest("purchasers where price ", mini_index)
    comparators = [s.text for s in found if s.kind == "comparator"]
    assert comparators[:6] == ["=", "<", ">", "<=", ">=", "!="]
    assert {"contains", "matches", "in", "between", "is"} <= set(comparators)
    assert found[0].kind == "comparator"
    assert "and" in texts("purchasers where price ", mini_index)         # `where template`-style truth
    assert texts("purchasers where price <", mini_index) == ["<", "<=", "<>"]


def test_every_comparison_word_of_the_grammar_is_offered_after_a_field(mini_index):
    offered = set(texts("purchasers where price ", mini_index, kind="comparator"))
    assert terms.comparisons()
    for terminal in terms.comparisons():
        assert set(terms.words(terminal)) <= offered, terminal


def test_keywords_come_from_the_parser_not_a_list(mini_index):
    """Every suggested keyword is one the LALR parser accepts at that point."""
    for text in ("purchasers where price < 1 ", "purchasers where price is ", "count ",
                 "purchasers order by price "):
        accepted = terms.parser().parse_interactive(text)
        accepted.exhaust_lexer()
        allowed = {w for t in accepted.accepts() for w in terms.words(t)}
        keywords = texts(text, mini_index, kind="keyword") + texts(text, mini_index, kind="comparator")
        assert keywords and set(keywords) <= allowed
    assert {"not", "null"} <= set(texts("purchasers where price is ", mini_index))
    assert set(texts("purchasers order by price ", mini_index)) >= {"asc", "desc", "limit"}


# --- values ---------------------------------------------------------------------------------

def test_purchaser_names_after_purchaser_equals(mini_index):
    values = texts("purchasers where purchaser = ", mini_index, kind="value")
    assert '"Omicron Partners, L.P."' in values
    assert '"IAT ReInsurance Syndicate, Ltd."' in values
    assert suggest("purchasers where purchaser = ", mini_index)[0].kind == "value"


def test_names_after_contains_match_anywhere_in_the_name(mini_index):
    (s,) = suggest('purchasers where purchaser contains "omi', mini_index)
    assert s.text == '"Omicron Partners, L.P."' and s.start == -4
    assert texts("purchasers where purchaser contains l.p", mini_index) == ['"Omicron Partners, L.P."']
    assert len(texts("purchasers where purchaser contains partner", mini_index)) == 2


def test_company_names_and_years(mini_index):
    assert '"NeoTherapeutics, Inc."' in texts("agreements where company = ", mini_index)
    assert texts("purchasers where year = ", mini_index, kind="value") == ["2001", "2002"]
    assert texts("purchasers where year = 200", mini_index) == ["2001", "2002"]
    assert texts("agreements where year in (2001, ", mini_index) == ["2001", "2002"]


def test_no_values_without_an_index_or_for_numbers(mini_index):
    assert texts("purchasers where purchaser = ", None, kind="value") == []
    assert texts("purchasers where shares = ", mini_index, kind="value") == []   # too many to list
    assert "true" not in texts("purchasers where purchaser = ", mini_index)
    assert "true" in texts("agreements where template = ", mini_index)


# --- commands and prompt commands -------------------------------------------------------------

def test_help_topics_and_fields_entities(mini_index):
    assert "conditions" in texts("help ", mini_index)
    assert texts("fields p", mini_index) == ["purchasers"]


def test_row_ids_after_show_entity(mini_index):
    assert texts("show agreements ", mini_index, kind="value") == ["a1", "a2", "a3", "a4"]
    assert texts("show agreements ", mini_index)[:4] == ["a1", "a2", "a3", "a4"]


def test_prompt_commands(mini_index):
    assert texts("\\", mini_index) == ["\\x", "\\format", "\\timing", "\\q", "\\?"]
    assert texts("\\format ", mini_index) == ["table", "csv", "json", "jsonl", "markdown"]
    assert texts("format j", mini_index) == ["json", "jsonl"]
    assert texts("\\x a", mini_index) == ["auto"]
    assert "chart" in texts("", mini_index) and "exit" in texts("ex", mini_index)


def test_chart_completes_the_query_after_it(mini_index):
    assert texts("chart sum proceeds by ye", mini_index) == ["year"]


def test_a_follow_up_takes_its_entity_from_the_previous_query(mini_index):
    # The grammar decides whether a line may start with `and`; the entity comes from `last`.
    fields = texts("count by ", mini_index, last="agreements where template")
    assert "purchaser_count" in fields


def test_text_that_cannot_parse_suggests_nothing(mini_index):
    assert suggest("purchasers purchasers ", mini_index) == []
    assert suggest("purchasers where @ ", mini_index) == []


@pytest.mark.parametrize("text, before, word", [
    ("purchasers wh", "purchasers ", "wh"),
    ("purchasers ", "purchasers ", ""),
    ('x contains "Omicron Par', "x contains ", '"Omicron Par'),
    ('x = "a" and y', 'x = "a" and ', "y"),
    ("price <", "price ", "<"),
    ("year in (2001,20", "year in (2001,", "20"),
])
def test_split_word(text, before, word):
    assert split_word(text) == (before, word)
