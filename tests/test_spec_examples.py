"""Every example of language.md (sections 1-6, 9) runs on the bundled seed corpus,
and the answers index.md promises for it come out. Uses the real extraction."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import spaq
from spaq.engine import run
from spaq.errors import QueryError

CASES = json.loads((Path(__file__).parent / "cases" / "spec_examples.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed():
    return spaq.load()


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("case", CASES, ids=[c["query"] for c in CASES])
def test_spec_example(seed, case):
    if "error" in case:
        with pytest.raises(QueryError) as caught:
            run(seed, case["query"])
        assert str(caught.value) == case["error"]
        return
    result = run(seed, case["query"])
    if "columns" in case:
        assert result.columns == case["columns"]
        assert [[_plain(v) for v in row] for row in result.rows] == case["rows"]
        assert result.notes == case.get("notes", [])


@pytest.mark.parametrize("entity", ["agreements", "purchasers", "filings", "companies"])
def test_show_entity_id(seed, entity):
    # `show ENTITY ID` with an id the seed corpus really has.
    key = seed.table(entity).rows[0].get("id")
    result = run(seed, f"show {entity} {key}")
    assert result.columns == ["field", "value", "source"]
    assert len(result.rows) == len(spaq.schema.ENTITIES[entity].fields)
