"""The cache of extracted facts (the finished index's snapshot: test_snapshot.py):
a warm load gives what a cold one gives, and
a changed file, spaq version or extractor is read again; a damaged or foreign
cache is rebuilt, never trusted and never fatal; nothing is written into a corpus."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import spaq
from spaq import build, cache
from spaq.model import Source

from conftest import COMMON_DAMAGE, damage, seeds_and_inputs

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus"
INPUTS = ROOT / "tests" / "data" / "inputs"


@pytest.fixture
def corpus(tmp_path) -> Path:
    """The seeds, the odd inputs and an empty file, in a directory the test may change."""
    return seeds_and_inputs(tmp_path, {"empty.txt": b""})


def snapshot(index) -> dict:
    return {name: (t.rows, t.sources) for name, t in index.tables.items()} | {
        "findings": index.findings(), "skipped": index.skipped}


def test_a_warm_load_reads_no_file_and_gives_what_a_cold_one_gives(cache_dir, corpus, reads):
    cold = spaq.load(corpus, cache=False)
    reads.clear()
    first = spaq.load(corpus)
    assert sorted(reads) == sorted(p.name for p in corpus.iterdir())
    reads.clear()
    warm = spaq.load(corpus)
    assert reads == []
    assert snapshot(warm) == snapshot(cold) == snapshot(first)


def test_values_still_cite_their_sources_after_the_round_trip(cache_dir, corpus):
    cold = spaq.load(corpus, cache=False)
    spaq.load(corpus)
    warm = spaq.load(corpus)
    cited = 0
    for name, table in warm.tables.items():
        for row, sources, cold_sources in zip(table.rows, table.sources, cold.tables[name].sources):
            for field, s in sources.items():
                assert s == cold_sources[field]
                assert isinstance(s, Source)
                if not s.derived:
                    assert s.file and s.line and s.text
                    cited += 1
                else:
                    assert s.note and all(c.line for c in s.cited())
    assert cited > 100
    ids = [r["id"] for r in warm.tables["agreements"].rows]
    for i in ids:
        assert warm.query(f"show agreements {i}").rows == cold.query(f"show agreements {i}").rows


def test_a_changed_file_is_read_again_and_only_it(cache_dir, corpus, reads):
    spaq.load(corpus)
    reads.clear()
    p = corpus / "003_511c09f0644b0772.txt"
    p.write_text(p.read_text().replace("$0.35 per", "$0.36 per"))
    ix = spaq.load(corpus)
    assert reads == [p.name]
    assert 0.36 in [r["price"] for r in ix.tables["purchasers"].rows]


def test_a_file_rewritten_with_the_same_size_and_mtime_is_caught_when_racy(cache_dir, corpus, reads):
    # A file written just before it was read: its mtime alone is not trusted.
    p = corpus / "003_511c09f0644b0772.txt"
    os.utime(p)
    spaq.load(corpus)
    st = p.stat()
    p.write_text(p.read_text().replace("$0.35 per", "$0.36 per"))
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert p.stat().st_size == st.st_size
    reads.clear()
    ix = spaq.load(corpus)
    assert reads == [p.name]
    assert 0.36 in [r["price"] for r in ix.tables["purchasers"].rows]


def test_new_and_deleted_files(cache_dir, corpus, reads):
    spaq.load(corpus)
    reads.clear()
    (corpus / "000_c056bd73f6cecd80.txt").unlink()
    shutil.copy(SEEDS / "000_c056bd73f6cecd80.txt", corpus / "copy.txt")
    ix = spaq.load(corpus)
    assert reads == ["copy.txt"]
    assert "copy.txt" in {r["file"] for r in ix.tables["filings"].rows}
    assert "000_c056bd73f6cecd80.txt" not in {r["file"] for r in ix.tables["filings"].rows}


def test_another_spaq_version_reads_everything_again(cache_dir, corpus, reads, monkeypatch):
    spaq.load(corpus)
    reads.clear()
    monkeypatch.setattr(spaq, "__version__", "99.0")
    spaq.load(corpus)
    assert len(reads) == len(list(corpus.iterdir()))


def test_a_changed_extractor_reads_everything_again(cache_dir, corpus, reads, monkeypatch):
    spaq.load(corpus)
    reads.clear()
    monkeypatch.setattr(cache, "extractor_fingerprint", lambda: "another extractor")
    spaq.load(corpus)
    assert len(reads) == len(list(corpus.iterdir()))


def test_the_fingerprint_covers_the_extractor_source():
    """Every spaq module that reading a text and an HTML filing loads is hashed into the
    fingerprint, but for those that hold no extraction (the package's doors, its errors)."""
    code = ("import sys; from pathlib import Path; from spaq import cache; "
            "[cache.read_entry(Path(p), Path(p).name) for p in sys.argv[1:]]; "
            "print(' '.join(m.__file__ for n, m in sorted(sys.modules.items()) if n.startswith('spaq')))")
    files = [ROOT / "tests" / "data" / "inputs" / "acme_spa_2021.htm", ROOT / "corpus" / "000_c056bd73f6cecd80.txt"]
    here = str(Path(spaq.__file__).resolve().parent.parent)      # the spaq this test imported
    done = subprocess.run([sys.executable, "-c", code, *map(str, files)], capture_output=True, text=True, check=True,
                          env=dict(os.environ, PYTHONPATH=here), cwd=here)
    loaded = {Path(f).resolve() for f in done.stdout.split()}
    hashed = {p.resolve() for p in cache.extractor_files()}
    assert all(p.exists() for p in hashed)
    holds_no_extraction = {"__init__.py", "errors.py", "index.py", "schema.py"}
    assert {p for p in loaded if p.name not in holds_no_extraction} <= hashed
    assert cache.extractor_fingerprint() == cache.extractor_fingerprint()


def pack_of(cache_dir: Path) -> Path:
    """The pack of facts, the finished index's snapshot removed so that the next load reads the pack."""
    packs = cache.packs_of(cache_dir)
    assert len(packs) == 1
    for snap in (cache_dir / "index").glob("*.spaq"):
        snap.unlink()
    return packs[0]


@pytest.mark.parametrize("kind", COMMON_DAMAGE + ("a line too long", "not utf-8"))
def test_a_damaged_cache_is_rebuilt_and_never_trusted(cache_dir, corpus, reads, kind):
    cold = spaq.load(corpus, cache=False)
    spaq.load(corpus)
    pack = pack_of(cache_dir)
    data = pack.read_bytes()
    if kind == "a line too long":
        lines = data.split(b"\n")
        lines[2] = lines[2] + b"x" * 100
        data = b"\n".join(lines)
    elif kind == "not utf-8":
        data = data.replace(b"Omicron", b"\xff\xfe\xfd\xfc\xfb\xfa\xf9", 1)
    else:
        data = damage(data, kind, b"spaq-facts")
    pack.write_bytes(data)
    reads.clear()
    ix = spaq.load(corpus)
    assert snapshot(ix) == snapshot(cold)
    assert reads, "a damaged entry must be read again from the file"
    # ... and the pack was made whole again: the next load reads nothing.
    reads.clear()
    assert snapshot(spaq.load(corpus)) == snapshot(cold)
    assert reads == []


def test_a_checksum_error_costs_only_that_file(cache_dir, corpus, reads):
    spaq.load(corpus)
    pack = pack_of(cache_dir)
    data = pack.read_bytes()
    i = data.index(b"Omicron")
    pack.write_bytes(data[:i] + b"Omikron" + data[i + 7:])
    reads.clear()
    ix = spaq.load(corpus)
    assert reads == ["003_511c09f0644b0772.txt"]
    assert "Omicron Partners, L.P." in [r["purchaser"] for r in ix.tables["purchasers"].rows]


def test_nothing_is_written_into_the_corpus(cache_dir, corpus, tmp_path, monkeypatch):
    def tree():
        return sorted((str(p.relative_to(corpus)), p.stat().st_size, p.stat().st_mtime_ns)
                      for p in corpus.rglob("*"))
    before = tree()
    spaq.load(corpus)
    spaq.load(corpus)
    assert tree() == before
    # A cache directory inside the corpus turns the cache off for it.
    monkeypatch.setenv("SPAQ_CACHE_DIR", str(corpus / "cache"))
    ix = spaq.load(corpus)
    spaq.load(corpus)
    assert tree() == before
    assert not (corpus / "cache").exists()
    assert len(ix.tables["agreements"].rows) >= 4


def test_no_cache_writes_nothing(cache_dir, corpus):
    spaq.load(corpus, cache=False)
    assert not cache_dir.exists()
    from spaq.cli import main
    assert main(["--no-cache", "--corpus", str(corpus), "-e", "count agreements"]) == 0
    assert not (cache_dir / "facts").exists()


def test_a_cache_directory_that_cannot_be_written_costs_only_speed(tmp_path, corpus, monkeypatch):
    blocker = tmp_path / "a file, not a directory"
    blocker.write_text("x")
    monkeypatch.setenv("SPAQ_CACHE_DIR", str(blocker))
    assert snapshot(spaq.load(corpus)) == snapshot(spaq.load(corpus, cache=False))


def test_the_cache_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("SPAQ_CACHE_DIR", str(tmp_path / "x"))
    assert cache.cache_dir() == tmp_path / "x"
    monkeypatch.delenv("SPAQ_CACHE_DIR")
    import platformdirs
    assert cache.cache_dir() == Path(platformdirs.user_cache_dir("spaq", appauthor=False))


@pytest.mark.parametrize("value", [
    None, True, 0, -3, 1.5, 0.2325, float("inf"), "Omicron Partners, L.P.", "tab\tand\nnewline", "",
    dt.date(2002, 6, 5), dt.datetime(2002, 6, 5, 12, 30), ["5", "7"], ("a", 1), Decimal("0.2325"),
    {"a": [dt.date(2001, 1, 1)]}, {1: "one"}, [], [[1, 2], {"$d": "not a date"}],
])
def test_values_survive_the_encoding(value):
    line = json.dumps(cache.encode_value(value))
    assert cache.decode_value(json.loads(line)) == value


def _entry(*texts: str) -> cache.Entry:
    """An entry of one document whose values cite lines with these texts (and one derived value)."""
    from spaq.extract import Bag, DealFacts, DocFacts
    lines = [Source("a.txt", n + 1, text) for n, text in enumerate(texts)]
    derived = Source("a.txt", None, "", True, "shares × price", (lines[0], Source("b.txt", 3, "x")))
    terms = Bag({f"f{n}": n for n in range(len(lines))} | {"date": dt.date(2002, 6, 5), "proceeds": 1.5},
                {f"f{n}": s for n, s in enumerate(lines)} | {"proceeds": derived})
    doc = DocFacts("a.txt", 1, "agreement", Bag({"form": "8-K"}, {"form": Source("a.txt", None, "no line")}),
                   [DealFacts("agreement", terms, [], "body", [("Omicron", lines[-1])])])
    return cache.Entry("a.txt", 10, 1, "h", 2, [doc], None)


@pytest.mark.parametrize("texts", [
    ("800,000 shares", "at $0.35 per share"), ("",), ("", ""), ("tab\there", "plain"), ("new\nline", "plain"),
    ("crlf\r", "unicode \u2028 and \u00e9"), ("a surrogate \udcff",),
])
def test_an_entry_comes_back_from_its_record_as_it_was(texts):
    entry = _entry(*texts)
    line = entry.encode()
    cache._check(line)
    back = cache._facts_of(line)
    assert back == entry.facts
    terms = back[0].deals[0].terms
    assert list(terms.values) == list(entry.facts[0].deals[0].terms.values)
    assert list(terms.sources) == list(entry.facts[0].deals[0].terms.sources)
    assert back[0].deals[0].names[0][1] is terms.sources[f"f{len(texts) - 1}"]


def test_records_holding_newlines_are_framed_by_their_length(tmp_path):
    """Pickles hold newlines: a pack is read by each record's length, not by its lines."""
    written = {"a.txt": _entry("new\nline", "x"), "b.txt": _entry("\n\n"), "c.txt": _entry("plain")}
    pack = cache.Pack(tmp_path, tmp_path / "cache" / "pack.pack")
    for name, entry in written.items():
        entry.name = name
        pack.store(entry)
        entry.line = None
    pack.close()
    again = cache.Pack(tmp_path, tmp_path / "cache" / "pack.pack")
    assert sorted(again.index) == sorted(written) and not again.changed
    for name, (_, start, end) in again.index.items():
        cache._check(again.data[start:end])
        assert cache._facts_of(again.data[start:end]) == written[name].facts


def test_parallel_extraction_gives_what_one_process_gives(cache_dir, corpus, monkeypatch):
    monkeypatch.setattr(build, "PARALLEL_MIN_FILES", 2)
    parallel = build.build_index([corpus], cache=True, workers=2)
    serial = build.build_index([corpus], cache=False, workers=1)
    assert snapshot(parallel) == snapshot(serial)


def test_a_worker_sends_its_cache_line_alone_and_the_facts_are_made_again_from_it(corpus):
    for path in sorted(corpus.iterdir()):
        read = cache.read_entry(path, path.name)
        sent = cache.read_entry_encoded((path, path.name, True))
        assert sent.facts is None and sent.line
        assert sent.with_facts().facts == read.facts
        unencoded = cache.read_entry_encoded((path, path.name, False))
        assert unencoded.line is None and unencoded.with_facts().facts == read.facts


def test_progress_is_silent_when_stderr_is_not_a_terminal(cache_dir, corpus, capfd):
    spaq.load(corpus)
    assert capfd.readouterr().err == ""
    progress = build._Progress(1000)
    assert progress.stream is None


def test_the_grammar_comes_from_the_cache_and_survives_damage(tmp_path):
    from lark import Lark
    from spaq.parser import grammar_text
    text = grammar_text()
    built = Lark(text, parser="lalr")
    first = cache.cached_lark(text, directory=tmp_path, parser="lalr")
    files = list(tmp_path.glob("grammar-*.json"))
    assert len(files) == 1
    loaded = cache.cached_lark(text, directory=tmp_path, parser="lalr")
    queries = ["purchasers where price < 1.00", "sum proceeds by year", "count agreements",
               "agreements where date >= 2002-01-01 order by date desc limit 2"]
    for q in queries:
        assert loaded.parse(q) == built.parse(q) == first.parse(q)
    files[0].write_bytes(files[0].read_bytes()[:1000])
    again = cache.cached_lark(text, directory=tmp_path, parser="lalr")
    assert again.parse(queries[0]) == built.parse(queries[0])
    files[0].write_bytes(b"00000000 {\"magic\": \"spaq-grammar\"}")
    assert cache.cached_lark(text, directory=tmp_path, parser="lalr").parse(queries[1]) == built.parse(queries[1])


@pytest.mark.parametrize("name", ["corpus-dev", "corpus-blind", "corpus-blind2"])
def test_every_value_cites_the_line_it_was_read_from_after_the_round_trip(cache_dir, name):
    """Over the larger corpora (HTML, submissions, excerpts): a warm index cites exactly what a
    cold one cites, and each stated value's line of the file holds the start of its cited text."""
    import re
    from spaq.corpus import decode, read_documents
    root = ROOT / "tests" / "data" / name
    cold = spaq.load(root, cache=False)
    spaq.load(root)
    warm = spaq.load(root)
    assert snapshot(warm) == snapshot(cold)
    lines: dict[str, list[str]] = {}
    for path in root.rglob("*"):
        docs, _ = read_documents(path, path.name) if path.is_file() else ([], [])
        if docs and not any(w.startswith("HTML") for d in docs for w in d.warnings):
            lines[path.relative_to(root).as_posix()] = decode(path.read_bytes())[0].splitlines()

    def squash(text: str) -> str:
        # Tags, blanks and table bars aside (the flow drops them; a cell's label may join its figure).
        return re.sub(r"[\s|]+", "", re.sub(r"</?(?:PAGE|TABLE|CAPTION|S|C|FN|F\d+)>", "", text, flags=re.I))
    checked = 0
    for table in warm.tables.values():
        for sources in table.sources:
            for s in sources.values():
                for c in s.cited():
                    if c.derived or c.file not in lines:
                        continue
                    start = squash(lines[c.file][c.line - 1])[:20]
                    assert c.text.startswith("…") or start in squash(c.text), (c.file, c.line, c.text)
                    checked += 1
    assert checked > 100


def test_facts_too_deep_to_encode_are_read_again_not_fatal(tmp_path, monkeypatch):
    """JSON is made without looking for cycles (facts are trees): a value nested deeper
    than the encoder goes is not cached, in this process or a worker's, and nothing fails."""
    from spaq.extract import DocFacts
    from spaq.extract.facts import Bag
    deep: list = []
    for _ in range(100_000):
        deep = [deep]

    def entry(*_):
        return cache.Entry("f.txt", 1, 1, "h", 1, [DocFacts("f.txt", 1, "8-K", Bag({"items": deep}, {}))], None)
    pack = cache.Pack(tmp_path, tmp_path / "cache" / "pack.pack")
    pack.store(entry())
    pack.close()
    assert "f.txt" not in cache.Pack(tmp_path, tmp_path / "cache" / "pack.pack").index
    monkeypatch.setattr(cache, "read_entry", entry)
    sent = cache.read_entry_encoded((tmp_path / "f.txt", "f.txt", True))
    assert sent.line is None and sent.facts[0].filing.values["items"] is deep


def test_only_a_racy_entry_hashes_its_bytes(corpus):
    """The hash is checked only when the mtime is too close to the entry's making to be trusted:
    an older file's entry does without it; a file written just before it was read has it."""
    old = corpus / "000_c056bd73f6cecd80.txt"
    os.utime(old, ns=(old.stat().st_atime_ns, old.stat().st_mtime_ns - 10 * cache.RACY_NS))
    assert cache.read_entry(old, old.name).hash == ""
    new = corpus / "003_511c09f0644b0772.txt"
    os.utime(new)
    assert cache.read_entry(new, new.name).hash == cache.content_hash(new.read_bytes())


def test_the_pack_of_an_older_format_is_removed_when_the_new_one_is_written(cache_dir, corpus):
    spaq.load(corpus)
    (pack,) = cache.packs_of(cache_dir)
    old = pack.with_suffix(".jsonl")
    old.write_text('{"magic": "spaq-facts", "format": 3}\n')
    (corpus / "new.txt").write_bytes((SEEDS / "003_511c09f0644b0772.txt").read_bytes())
    spaq.load(corpus)
    assert not old.exists() and pack.exists()


@pytest.mark.parametrize("name, unread", [("a.txt", None), ('dir/"quoted"\\back\tslash.htm', "no documents"),
                                          ("ünïcødé ‘x’ \u2028.txt", "cannot read: \x00\x1f"), ("", "")])
def test_an_entry_key_is_the_json_a_json_encoder_makes(name, unread):
    from spaq.cache import Entry
    entry = Entry(name, 4096, 1_764_700_000_123_456_789, "ab" * 16, 1_764_700_000_999_999_999, [], unread)
    assert entry.key_json() == json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode(entry.key())
    assert json.loads(entry.key_json()) == entry.key()
