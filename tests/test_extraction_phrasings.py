"""Deal terms from the phrasings of the field: one short text each, its expected values.

Each case in cases/extraction_phrasings.json is written as filings write it;
`expect` lists the fields that must come out (null: must stay empty),
`deals` how many deals the text holds, `expect_second` the second deal's.
"""
import datetime as dt
import json
from pathlib import Path

import pytest

import spaq

CASES = json.loads((Path(__file__).parent / "cases" / "extraction_phrasings.json").read_text())


def _plain(v):
    return v.isoformat() if isinstance(v, dt.date) else v


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_phrasing(case, tmp_path):
    (tmp_path / "doc.txt").write_text(case["text"] + "\n")
    deals = spaq.load(tmp_path / "doc.txt").tables["agreements"].rows
    assert len(deals) == case.get("deals", 1)
    for deal, key in zip(deals, ("expect", "expect_second")):
        got = {k: _plain(deal.get(k)) for k in case.get(key, {})}
        assert got == case.get(key, {})
