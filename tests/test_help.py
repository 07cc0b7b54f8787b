"""`help` teaches from the registries: every topic's worked examples run, and the
entities, fields, aggregates, commands and plain words it lists are the ones the
parser and planner use."""
from __future__ import annotations

import pytest

import spaq
from spaq.aggregates import AGGREGATES
from spaq.commands import COMMANDS, HELP_ALIASES, HELP_TOPICS
from spaq.engine import run
from spaq.errors import QueryError
from spaq.schema import (AGGREGATE_WORDS, COMPARATOR_WORDS, ENTITIES, FIELD_SYNONYMS, FOLLOW_UPS,
                         LEAD_WORDS, PRONOUNS)


@pytest.fixture(scope="module")
def seed():
    return spaq.load()


def help_text(topic: str = "") -> str:
    return run(None, f"help {topic}".strip()).text


@pytest.mark.parametrize("name", HELP_TOPICS)
def test_every_topic_has_worked_examples_that_run(seed, name):
    topic = HELP_TOPICS[name]
    text = help_text(name)
    assert topic.examples and "Examples:" in text
    for example in topic.examples:
        conversation = (example,) if isinstance(example, str) else example
        session = spaq.Session(seed)
        for line in conversation:
            assert f"spaq> {line}" in text
            result = session.run(line)            # raises QueryError if the help is wrong
            assert result.text is not None or result.columns, line


def test_overview_lists_topics_commands_and_entities():
    text = help_text()
    for name in [*HELP_TOPICS, *COMMANDS, *ENTITIES]:
        assert name in text
    assert "which purchasers paid under $1?" in text and "sum proceeds of them" in text


def test_plain_words_come_from_the_tables():
    text = help_text("phrasing")
    for s in FIELD_SYNONYMS:
        assert any(line.split("=")[0].strip() == s.words and s.field in line for line in text.splitlines()), s
    for word in [*COMPARATOR_WORDS, *AGGREGATE_WORDS, *LEAD_WORDS]:
        assert word in text


def test_phrasing_examples_show_the_query_they_mean():
    lines = help_text("phrasing").splitlines()
    at = lines.index("  spaq> which purchasers paid under $1?")
    assert lines[at + 1] == "        = purchasers where price < 1"


def test_followups_from_the_table():
    text = help_text("followups")
    for start, does in FOLLOW_UPS:
        assert start in text and does in text
    for pronoun in PRONOUNS:
        assert f"`{pronoun}`" in text


def test_fields_and_aggregates_from_their_registries():
    text = help_text("purchasers")
    for f in ENTITIES["purchasers"].fields:
        assert f.name in text and f.meaning in text
    text = help_text("aggregates")
    for a in AGGREGATES.values():
        assert a.name in text and a.example in text


@pytest.mark.parametrize("alias, topic", HELP_ALIASES.items())
def test_aliases(alias, topic):
    assert help_text(alias) == help_text(topic)


def test_help_on_a_field_or_a_synonym():
    assert help_text("price").splitlines()[0] == "price:"
    assert "purchasers.warrant_price  money" in help_text("strike")
    assert "('exercise price' means warrant_price)" in help_text("exercise price")


def test_no_help_suggests_a_topic():
    with pytest.raises(QueryError) as caught:
        run(None, "help phrasng")
    assert caught.value.suggestion == "'help phrasing'"
