"""Extraction checked field by field against values read by hand off the seeds.

Each case is one field of one row: its value and the line its provenance cites.
"""
import datetime as dt
import json
from pathlib import Path

import pytest

import spaq

CASES = json.loads((Path(__file__).parent / "cases" / "seed_extraction.json").read_text())


def _cases():
    for entity, rows in CASES.items():
        if entity.startswith("_"):
            continue
        for row_id, fields in rows.items():
            for name, (value, line) in fields.items():
                yield pytest.param(entity, row_id, name, value, line, id=f"{entity}:{row_id}:{name}")


@pytest.fixture(scope="module")
def index():
    return spaq.load()


def _plain(v):
    return v.isoformat() if isinstance(v, dt.date) else v


@pytest.mark.parametrize("entity,row_id,name,value,line", list(_cases()))
def test_field(index, entity, row_id, name, value, line):
    table = index.tables[entity]
    pos = table.find("id", row_id)
    assert pos is not None, f"no {entity} row {row_id}"
    assert _plain(table.rows[pos].get(name)) == value
    source = table.sources[pos].get(name)
    if line == "derived":
        assert source is not None and source.derived, f"{name} should be marked derived"
    elif line is not None:
        assert source is not None and not source.derived
        assert source.line == line, source
        assert source.text, "the cited line's text is kept"


def test_counts(index):
    counts = {name: len(t.rows) for name, t in index.tables.items()}
    assert counts == {"agreements": 4, "purchasers": 5, "filings": 5, "companies": 1}


def test_derived_values_cite_their_inputs(index):
    t = index.tables["agreements"]
    src = t.sources[t.find("id", "neotherapeutics-20020607")]["shares"]
    assert src.note.startswith("sum of schedule rows")
    assert [s.line for s in src.inputs] == [160, 162]


def test_seed_findings(index):
    # The only cross-document difference in the seeds: the 8-K drops a comma in the purchaser's name.
    assert [(f["severity"], f["agreement"]) for f in index.findings()] == [("info", "neotherapeutics-20010308")]
