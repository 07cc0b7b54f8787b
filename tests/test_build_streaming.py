"""The build hands each file's facts to the reconciling Builder as they are read (in
corpus order, whichever files came from the cache), so its per-document share is done
while the workers read; and a reading left early does not wait for the rest."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from spaq import build, cache
from spaq.cache import read_entry_encoded
from spaq.extract.facts import Bag, DocFacts
from spaq.reconcile import Builder

ROOT = Path(__file__).resolve().parent.parent


def tables(index) -> dict:
    return {name: (t.rows, list(t.sources)) for name, t in index.tables.items()} | {
        "findings": index.findings(), "skipped": index.skipped}


def _doc(file: str, company: str) -> DocFacts:
    return DocFacts(file, 1, "8-K", Bag({"company": company}), [])


def test_an_unread_file_gets_its_id_after_every_document_whenever_it_is_fed():
    fed = Builder()
    fed.add_unread("a.txt", "no documents")
    fed.add(_doc("a.htm", "Acme Inc."))
    fed.add(_doc("b.htm", "ACME INC."))
    at_once = Builder([_doc("a.htm", "Acme Inc."), _doc("b.htm", "ACME INC.")], [("a.txt", "no documents")])
    for builder in (fed, at_once):
        filings = builder.index((), []).tables["filings"]
        assert dict(zip(filings.column("file"), filings.column("id"))) == {"a.htm": "a", "b.htm": "b", "a.txt": "a-2"}
        # The spellings are counted as they come: the mixed-case one names the company.
        assert set(filings.column("company")) == {"Acme Inc.", None}


@pytest.fixture
def generated(tmp_path) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate
    out = tmp_path / "gen"
    generate.generate(out, 150, seed=11)
    return out


def test_a_corpus_read_partly_from_the_cache_builds_what_a_cold_read_builds(cache_dir, generated, monkeypatch):
    cold = build.build_index([generated], cache=False, workers=1)
    build.build_index([generated], workers=2)
    files = sorted(p for p in generated.rglob("*") if p.is_file())
    changed = [p for i, p in enumerate(files) if i % 3]
    assert len(changed) >= build.PARALLEL_MIN_FILES     # read by the workers
    for path in changed:
        with open(path, "ab") as f:
            f.write(b"\n")
    from_cache: list[str] = []
    lookup = cache.Pack.lookup

    def looked_up(self, path, name):
        entry = lookup(self, path, name)
        if entry is not None:
            from_cache.append(name)
        return entry
    monkeypatch.setattr(cache.Pack, "lookup", looked_up)
    # Two files in three read again, every third from the cache: fed to the Builder
    # in corpus order all the same.
    partly = build.build_index([generated], workers=2)
    assert sorted(from_cache) == sorted(str(p.relative_to(generated)) for p in files if p not in changed)
    assert tables(partly) == tables(cold)


def test_a_parallel_read_gives_what_a_read_in_one_process_gives(generated):
    assert tables(build.build_index([generated], cache=False, workers=2)) == \
        tables(build.build_index([generated], cache=False, workers=1))


def _slow_job(job):
    """A job that says it ran (a line in the file named by SPAQ_TEST_RAN) and takes a while."""
    import time
    with open(os.environ["SPAQ_TEST_RAN"], "a") as f:
        f.write(job[1] + "\n")
    time.sleep(0.02)
    return read_entry_encoded(job)


@pytest.mark.skipif(sys.platform == "win32", reason="forked workers")
def test_a_reading_left_early_does_not_read_the_rest(generated, tmp_path, monkeypatch):
    ran = tmp_path / "ran.txt"
    monkeypatch.setenv("SPAQ_TEST_RAN", str(ran))
    monkeypatch.setattr(build, "read_entry_encoded", _slow_job)
    jobs = [(p, p.name) for p in sorted(generated.rglob("*")) if p.is_file()] * 4
    reading = build._read_all(jobs, False, 2)
    first = next(reading)
    assert first.name == jobs[0][1]
    reading.close()                    # as when the build fails while the workers read
    # The chunks already handed to the workers finish; the rest were cancelled.
    assert len(ran.read_text().splitlines()) < len(jobs) // 2


def _dies_on_the_hundredth(job):
    """A worker's job that kills its process at one file, as a crash or the OOM killer would."""
    if job[1] == os.environ["SPAQ_TEST_DIE_AT"]:
        os._exit(1)
    return read_entry_encoded(job)


@pytest.mark.skipif(sys.platform == "win32", reason="forked workers")
def test_when_a_worker_dies_the_files_left_are_read_here(generated, monkeypatch, caplog):
    files = sorted(p for p in generated.rglob("*") if p.is_file())
    monkeypatch.setenv("SPAQ_TEST_DIE_AT", str(files[100].relative_to(generated)))
    monkeypatch.setattr(build, "read_entry_encoded", _dies_on_the_hundredth)
    with caplog.at_level("INFO", logger="spaq"):
        index = build.build_index([generated], cache=False, workers=2)
    assert "reading in one process" in caplog.text
    monkeypatch.undo()
    assert tables(index) == tables(build.build_index([generated], cache=False, workers=1))


def test_with_no_processes_to_be_had_every_file_is_read_here(generated, monkeypatch, caplog):
    import concurrent.futures

    class NoProcesses:
        def __init__(self, *args, **kwargs):
            raise NotImplementedError("no processes in this sandbox")
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoProcesses)
    with caplog.at_level("INFO", logger="spaq"):
        index = build.build_index([generated], cache=False, workers=2)
    assert "no processes in this sandbox" in caplog.text
    monkeypatch.undo()
    assert tables(index) == tables(build.build_index([generated], cache=False, workers=1))
