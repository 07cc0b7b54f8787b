"""Plain-words phrasing (language.md §8): each phrasing in tests/cases/phrasings.json
must give the result of its canonical query on the bundled corpus, plan the same,
and parse to the same tree (names read through the synonym table); and every
word in spaq.schema's tables must be one the grammar accepts, meaning what the
table says."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import spaq
from spaq import ast, record
from spaq.engine import prepare, run
from spaq.parser import lark_parser, parse
from spaq.schema import (AGGREGATE_WORDS, COMPARATOR_WORDS, ENTITIES, ENTITY_NAMES, FIELD_SYNONYMS,
                         FILLER_WORDS, LEAD_WORDS, PRONOUNS, WHERE_WORDS, words)

CASES = json.loads((Path(__file__).parent / "cases" / "phrasings.json").read_text(encoding="utf-8"))
ENGINE_CASES = json.loads((Path(__file__).parent / "cases" / "engine.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed():
    return spaq.load()


@pytest.mark.parametrize("case", CASES, ids=[c["phrasing"] for c in CASES])
def test_phrasing_gives_the_canonical_result(seed, case):
    said, meant = run(seed, case["phrasing"]), run(seed, case["canonical"])
    assert (said.columns, said.rows, said.notes) == (meant.columns, meant.rows, meant.notes)


@pytest.mark.parametrize("case", CASES, ids=[c["phrasing"] for c in CASES])
def test_phrasing_plans_as_the_canonical_query(case):
    said = prepare(case["phrasing"])
    assert said == prepare(case["canonical"])
    # explain shows the canonical form it comes down to
    explained = run(None, "explain " + case["phrasing"]).text
    assert explained.splitlines()[0] == f"query: {said.to_query()}"


_GENERAL = {s.words: s.field for s in FIELD_SYNONYMS if not s.entities}


def _shape(node):
    """A tree as the planner reads it: no spans or raw text; entity aliases and the
    synonyms that hold on every entity resolved (`name` depends on the entity)."""
    if isinstance(node, ast.ShowName):
        return _shape(node.query)
    if isinstance(node, ast.Literal):
        return ("literal", node.kind, node.value)
    if isinstance(node, ast.Name):
        text = words(node.text)
        return ("name", ENTITY_NAMES[text].name if text in ENTITY_NAMES else _GENERAL.get(text, text))
    if isinstance(node, ast.Query) and node.top is not None:
        node = record.replace(node, entity=None)       # kept on Top too
    if isinstance(node, record.Record):
        return (type(node).__name__,) + tuple(_shape(getattr(node, name)) for name in record.fields(node)
                                               if name not in ("start", "end"))
    if isinstance(node, tuple):
        return tuple(_shape(n) for n in node)
    return node


@pytest.mark.parametrize("case", [c for c in CASES if " name" not in c["phrasing"]],
                         ids=[c["phrasing"] for c in CASES if " name" not in c["phrasing"]])
def test_phrasing_parses_to_the_canonical_tree(case):
    assert _shape(parse(case["phrasing"])) == _shape(parse(case["canonical"]))


def test_canonical_text_parses_back_to_the_same_plan():
    queries = [c["phrasing"] for c in CASES] + [c["query"] for c in ENGINE_CASES if "error" not in c]
    checked = 0
    for q in queries:
        planned = prepare(q)
        if isinstance(planned, ast.Command):
            continue
        assert prepare(planned.to_query()) == planned, q
        checked += 1
    assert checked > 150


# --- the tables and the grammar agree ------------------------------------------------

@pytest.mark.parametrize("word, symbol", COMPARATOR_WORDS.items())
def test_comparator_words(word, symbol):
    assert prepare(f"purchasers where price {word} 1") == prepare(f"purchasers where price {symbol} 1")
    assert prepare(f"purchasers where price {word.upper()} 1") == prepare(f"purchasers where price {symbol} 1")


@pytest.mark.parametrize("word, function", AGGREGATE_WORDS.items())
def test_aggregate_words(word, function):
    if function == "count":
        assert prepare(f"{word} purchasers by year") == prepare("count purchasers by year")
    else:
        assert prepare(f"{word} proceeds by year") == prepare(f"{function} proceeds by year")


@pytest.mark.parametrize("synonym", FIELD_SYNONYMS, ids=[f"{s.words}->{s.field}" for s in FIELD_SYNONYMS])
def test_field_synonyms(synonym):
    entities = [e for e in ENTITIES.values() if e.field(synonym.field)
                and (not synonym.entities or e.name in synonym.entities)]
    assert entities
    for e in entities:
        assert prepare(f"{e.name} show {synonym.words}") == prepare(f"{e.name} show {synonym.field}")
        assert prepare(f"{e.name} order by {synonym.words}") == prepare(f"{e.name} order by {synonym.field}")


def test_synonyms_apply_only_where_they_say():
    with pytest.raises(spaq.QueryError) as caught:
        run(None, "agreements show name")
    assert caught.value.message == "unknown field 'name' on agreements"


def test_multi_word_synonyms_are_the_grammars_phrases():
    pattern = next(t for t in lark_parser().terminals if t.name == "PHRASE").pattern.to_regexp()
    multi = {s.words for s in FIELD_SYNONYMS if " " in s.words}
    for phrase in multi:
        assert re.fullmatch(pattern, phrase, re.I), phrase
    assert len(re.findall(r"\(\?i:", pattern)) == len(multi)      # no phrase the table lacks


@pytest.mark.parametrize("lead", LEAD_WORDS)
def test_leading_words(lead):
    assert prepare(f"{lead} purchasers") == prepare("purchasers")
    for fillers in (("the",), ("are",), ("are", "the"), ("is", "the"), ("me",), ("me", "the")):
        said = f"{lead} {' '.join(fillers)} purchasers where price < 1?"
        assert prepare(said) == prepare("purchasers where price < 1"), said
    assert set(FILLER_WORDS) == {"me", "are", "is", "the"}


@pytest.mark.parametrize("word", WHERE_WORDS)
def test_where_words(word):
    assert prepare(f"purchasers {word} price < 1") == prepare("purchasers where price < 1")


@pytest.mark.parametrize("pronoun", PRONOUNS)
def test_pronouns(seed, pronoun):
    session = spaq.Session(seed)
    session.run("purchasers where price < 1")
    assert session.run(f"count {pronoun}").value == 3
    assert session.run(f"sum proceeds of {pronoun}").value == 1660000.0
