"""Data-driven engine cases (tests/cases/engine.json) over the hand-made mini index.

Each case is {query, columns, rows[, notes]} or {query, error} (the exact
text the CLI prints: query, caret line, message) or {query, text} (prose:
help, explain). Dates in expected rows are ISO strings.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import make_index
from spaq.engine import run
from spaq.errors import QueryError

CASES = json.loads((Path(__file__).parent / "cases" / "engine.json").read_text(encoding="utf-8"))


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@pytest.mark.parametrize("case", CASES, ids=[c["query"] or "<empty>" for c in CASES])
def test_case(case):
    index = make_index()
    if "error" in case:
        with pytest.raises(QueryError) as caught:
            run(index, case["query"])
        assert str(caught.value) == case["error"]
        return
    result = run(index, case["query"])
    if "text" in case:
        assert result.text == case["text"]
        return
    assert result.text is None
    assert result.columns == case["columns"]
    assert [_plain(list(row)) for row in result.rows] == case["rows"]
    assert result.notes == case.get("notes", [])
    assert all(isinstance(row, tuple) for row in result.rows)
