"""The synthetic corpus of benchmarks/generate.py: what it writes is what the index finds."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

import spaq
from spaq.model import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # noqa: E402


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "corpus"
    return out, generate.generate(out, 150, seed=3)


def test_it_writes_n_files_and_a_manifest_beside_them(written):
    out, manifest = written
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) == manifest["files"] == 150
    assert generate.manifest_path(out).is_file()
    assert not any(p.name.endswith(".json") for p in files)
    kinds = {p.suffix for p in files}
    assert kinds == {".txt", ".htm"}
    texts = [p.read_text() for p in files]
    assert any("<SEC-DOCUMENT>" in t for t in texts)
    assert any("FORM 8-K" in t for t in texts) and any("FORM 10-Q" in t for t in texts)
    assert any("SCHEDULE 1" in t for t in texts) and any("SCHEDULE OF PURCHASERS" in t for t in texts)
    assert manifest["purchasers"] > manifest["agreements"]


def test_the_index_finds_every_deal_once(written):
    out, manifest = written
    index = spaq.load(out, cache=False)
    assert generate.check(index, manifest) == []
    assert len(index.tables["agreements"].rows) == manifest["agreements"]
    assert len(index.tables["purchasers"].rows) == manifest["purchasers"]
    assert len(index.tables["filings"].rows) == manifest["documents"]
    # Some deals are told by an agreement and a report: one deal, two filings.
    assert any(len(d["files"]) > 1 for d in manifest["deals"])
    assert any(not d["agreement"] for d in manifest["deals"])


def test_the_check_notices_a_lost_and_a_doubled_deal(written):
    out, manifest = written
    index = spaq.load(out, cache=False)
    assert generate.check(index, manifest) == []
    rows = list(index.tables["agreements"].rows)
    rows[-1] = rows[0]                  # the last deal lost, the first counted twice
    index.tables["agreements"] = Table("agreements", rows)
    problems = generate.check(index, manifest)
    assert any("found 0 times" in p for p in problems)
    assert any("found 2 times" in p for p in problems)


def test_the_same_seed_writes_the_same_corpus(tmp_path):
    a = generate.generate(tmp_path / "a", 40, seed=9)
    b = generate.generate(tmp_path / "b", 40, seed=9)
    assert a == b
    for p in (tmp_path / "a").rglob("*.txt"):
        assert p.read_bytes() == (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes()
