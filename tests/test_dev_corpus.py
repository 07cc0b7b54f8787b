"""Extraction on real filings of other issuers, scored against hand-checked values.

The thresholds are the product's targets (issue 3): of the values spaq gives,
at least 99.5 % right; of the labelled values, at least 95 % found.
`python benchmarks/score_extraction.py -v` prints every miss.
"""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETS = sorted((ROOT / "tests" / "data").glob("corpus-*/truth.json"))


def _scorer():
    spec = importlib.util.spec_from_file_location("score_extraction", ROOT / "benchmarks" / "score_extraction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("truth", SETS, ids=[p.parent.name for p in SETS])
def test_precision_and_recall(truth):
    given, right, labelled, found, side, lines = _scorer().score(truth)
    report = "\n".join(lines)
    assert right / given >= 0.995, report
    assert found / labelled >= 0.95, report
    assert side["right"] == side["given"], report
