"""The finished index's snapshot (spaq.snapshot): used only when the corpus is
listed exactly as it was, by the same code; anything else builds the index
again (reading only what changed) and rewrites it; damage is never trusted."""
from __future__ import annotations

import operator
import os
import shutil
import json
import subprocess
import sys
import time
from itertools import chain, count
from pathlib import Path

import pytest

import spaq
from spaq import reconcile, snapshot
from spaq.model import Source, Table

from conftest import COMMON_DAMAGE, OLD_NS as OLD, damage, seeds_and_inputs

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus"
INPUTS = ROOT / "tests" / "data" / "inputs"


@pytest.fixture
def corpus(tmp_path) -> Path:
    return seeds_and_inputs(tmp_path, {"sub/again.txt": (SEEDS / "000_c056bd73f6cecd80.txt").read_bytes()})


@pytest.fixture
def no_building(monkeypatch):
    """Building an index fails: a load that succeeds came from the snapshot."""
    def refuse(*args, **kwargs):
        raise AssertionError("the index was built, not read from the snapshot")

    def switch(on: bool):
        if on:
            monkeypatch.setattr(reconcile, "Builder", refuse)
        else:
            monkeypatch.undo()
    return switch


def whole(index) -> dict:
    return {name: (list(t.rows), list(t.sources)) for name, t in index.tables.items()} | {
        "findings": index.findings(), "skipped": index.skipped}


def snap_of(cache_dir: Path) -> Path:
    found = list((cache_dir / "index").glob("*.spaq"))
    assert len(found) == 1
    return found[0]


def test_a_warm_load_comes_whole_from_the_snapshot(cache_dir, corpus, reads, no_building):
    cold = spaq.load(corpus, cache=False)
    assert not (cache_dir / "index").exists()
    spaq.load(corpus)
    snap_of(cache_dir)
    reads.clear()
    no_building(True)
    warm = spaq.load(corpus)
    assert reads == []
    assert whole(warm) == whole(cold)
    # Sources are decoded when asked for, and are the same Sources.
    for name, table in warm.tables.items():
        for i in range(len(table.rows)):
            assert table.sources[i] == cold.tables[name].sources[i]
    assert all(isinstance(s, Source) for srcs in warm.tables["agreements"].sources for s in srcs.values())
    assert warm.query("purchasers where price < 1.00").rows == cold.query("purchasers where price < 1.00").rows
    assert warm.query("sum proceeds by year").rows == cold.query("sum proceeds by year").rows


def test_a_warm_load_imports_no_extraction_and_no_heavy_library(cache_dir, corpus):
    """A warm start loads what it reads: not the extractor, not the reconciler, not the file
    reader (it lists the files, spaq.listing), and none of the libraries only they need (or
    that load more than spaq uses: hashlib loads OpenSSL)."""
    code = ("import sys, spaq; spaq.load(sys.argv[1]); "
            "print(' '.join(m for m in sorted(sys.modules) if m.startswith(('spaq.', 'dataclasses', "
            "'hashlib', 'tempfile', 'logging', 'inscriptis', 'lark', 'prompt_toolkit'))))")
    for _ in ("cold", "warm"):
        done = subprocess.run([sys.executable, "-c", code, str(corpus)], capture_output=True, text=True,
                              check=True, env=dict(os.environ, SPAQ_CACHE_DIR=str(cache_dir)))
    loaded = set(done.stdout.split())
    assert "spaq.snapshot" in loaded                     # it did read the snapshot
    assert not {m for m in loaded if m.startswith(("spaq.extract", "spaq.reconcile", "spaq.corpus"))}, loaded
    assert "spaq.listing" in loaded
    assert not loaded & {"dataclasses", "hashlib", "tempfile", "logging", "inscriptis", "lark", "prompt_toolkit"}


def test_show_and_check_read_the_snapshot_as_they_read_a_built_index(cache_dir, corpus):
    cold = spaq.load(corpus, cache=False)
    spaq.load(corpus)
    warm = spaq.load(corpus)
    for query in ("show agreements neotherapeutics-20020607", "check", "count filings by form"):
        assert warm.query(query).rows == cold.query(query).rows, query


@pytest.mark.parametrize("change", ["edit", "touch", "add", "remove", "rename", "add a directory", "skip"])
def test_a_changed_listing_builds_again_reading_only_what_changed(cache_dir, corpus, reads, change):
    spaq.load(corpus)
    target = corpus / "sub" / "again.txt"
    if change == "edit":
        target.write_bytes(target.read_bytes().replace(b"the", b"THE", 1))
    elif change == "touch":
        os.utime(target, ns=(OLD + 10**9, OLD + 10**9))
    elif change == "add":
        shutil.copy(SEEDS / "003_511c09f0644b0772.txt", corpus / "new.txt")
    elif change == "remove":
        target.unlink()
    elif change == "rename":
        target.rename(corpus / "sub" / "renamed.txt")
    elif change == "add a directory":
        (corpus / "more").mkdir()
        shutil.copy(SEEDS / "003_511c09f0644b0772.txt", corpus / "more" / "x.txt")
    elif change == "skip":
        (corpus / "picture.png").write_bytes(b"\x89PNG")
    reads.clear()
    warm = spaq.load(corpus)
    read = list(reads)
    assert whole(warm) == whole(spaq.load(corpus, cache=False))
    expected = {"edit": ["sub/again.txt"], "touch": ["sub/again.txt"], "add": ["new.txt"], "remove": [],
                "rename": ["sub/renamed.txt"], "add a directory": ["more/x.txt"], "skip": []}[change]
    assert read == expected
    # ... and the snapshot was written again: the load after reads nothing and builds nothing.
    reads.clear()
    assert whole(spaq.load(corpus)) == whole(warm)
    assert reads == []


def test_a_file_rewritten_within_the_mtime_granularity_is_noticed(cache_dir, corpus, reads):
    target = corpus / "sub" / "again.txt"
    now = time.time_ns()
    os.utime(target, ns=(now, now))         # too recent, when the snapshot is made, to trust
    spaq.load(corpus)
    data = target.read_bytes()
    target.write_bytes(data.replace(b"the", b"THE", 1))       # same size...
    os.utime(target, ns=(now, now))                            # ... same mtime
    reads.clear()
    ix = spaq.load(corpus)
    assert "sub/again.txt" in reads
    assert whole(ix) == whole(spaq.load(corpus, cache=False))


def test_another_spaq_or_other_code_builds_again(cache_dir, corpus, monkeypatch, no_building):
    spaq.load(corpus)
    no_building(True)
    spaq.load(corpus)
    monkeypatch.setattr(spaq, "__version__", "99.0")
    with pytest.raises(AssertionError, match="was built"):
        spaq.load(corpus)
    monkeypatch.setattr(spaq, "__version__", spaq.__version__)
    monkeypatch.setattr(snapshot, "code_fingerprint", lambda: "other code")
    with pytest.raises(AssertionError, match="was built"):
        spaq.load(corpus)


def test_a_snapshot_from_a_machine_that_writes_positions_otherwise_builds_again(cache_dir, corpus, monkeypatch,
                                                                             no_building):
    """Columns cite the pool by native unsigned ints: another byte order is not read."""
    spaq.load(corpus)
    no_building(True)
    monkeypatch.setattr(snapshot, "_POSITIONS", "I 4 middle-endian")
    with pytest.raises(AssertionError, match="was built"):
        spaq.load(corpus)


@pytest.mark.parametrize("change", ["nothing", "a share of the pool too large", "a column cites past the pool",
                                    "a column of odd length"])
def test_a_snapshot_that_checks_out_but_does_not_fit_together_is_built_again(cache_dir, corpus, change,
                                                                            no_building):
    """Parts whose checksum is right (as another spaq's bug could write them) but which do
    not fit one another: the index is built again, never read wrong or crashed on."""
    import json
    import zlib
    cold = whole(spaq.load(corpus, cache=False))
    spaq.load(corpus)
    snap = snap_of(cache_dir)
    head, _, payload = snap.read_bytes().partition(b"\n")
    header = json.loads(head)
    parts, at = [], 0
    for n in header["parts"]:
        parts.append(payload[at:at + n])
        at += n
    meta = json.loads(parts[0])
    if change == "a share of the pool too large":
        meta["tables"]["agreements"]["done"] = 10 ** 6
        parts[0] = json.dumps(meta).encode()
    elif change != "nothing":
        first = 4                       # meta and the three pools, then the agreements' first column
        assert meta["tables"]["agreements"]["columns"][0][1] == "values"
        parts[first] = (b"\xff\xff\xff\x7f" * (len(parts[first]) // 4) if change == "a column cites past the pool"
                        else parts[first] + b"\0")
    payload = b"".join(parts)
    header["parts"], header["crc"] = [len(p) for p in parts], zlib.crc32(payload)
    data = json.dumps(header).encode() + b"\n" + payload
    snap.write_bytes(data)
    if change == "nothing":
        no_building(True)               # the parts, written again as they were, are still read back
    assert whole(spaq.load(corpus)) == cold
    assert (snap.read_bytes() == data) == (change == "nothing")
    assert whole(spaq.load(corpus)) == cold


def test_the_code_fingerprint_covers_the_builder():
    assert snapshot.code_fingerprint() == snapshot.code_fingerprint()
    for name in snapshot._BUILDERS:
        assert (ROOT / "spaq" / name).is_file()


@pytest.mark.parametrize("kind", COMMON_DAMAGE + ("extra bytes", "bad lengths", "not json"))
def test_a_damaged_snapshot_is_never_trusted(cache_dir, corpus, kind):
    cold = whole(spaq.load(corpus, cache=False))
    spaq.load(corpus)
    snap = snap_of(cache_dir)
    data = snap.read_bytes()
    head, _, payload = data.partition(b"\n")
    if kind == "extra bytes":
        data += b"[1]"
    elif kind == "bad lengths":
        data = head.replace(b'"parts": [', b'"parts": [1, ', 1) + b"\n" + payload
    elif kind == "not json":
        data = b"{" + data
    else:
        data = damage(data, kind, b"spaq-index")
    snap.write_bytes(data)
    assert whole(spaq.load(corpus)) == cold
    assert snap.read_bytes() != data, "the damaged snapshot is written again"
    assert whole(spaq.load(corpus)) == cold


def test_a_snapshot_is_per_set_of_roots(cache_dir, corpus, tmp_path, no_building):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SEEDS / "003_511c09f0644b0772.txt", other / "x.txt")
    both, one = spaq.load(corpus, other), spaq.load(corpus)
    assert len(list((cache_dir / "index").glob("*.spaq"))) == 2
    no_building(True)
    assert whole(spaq.load(corpus, other)) == whole(both)
    assert whole(spaq.load(corpus)) == whole(one)


def test_no_snapshot_inside_a_corpus_or_without_the_cache(cache_dir, corpus, monkeypatch):
    spaq.load(corpus, cache=False)
    assert not cache_dir.exists()
    monkeypatch.setenv("SPAQ_CACHE_DIR", str(corpus / "cache"))
    spaq.load(corpus)
    assert not (corpus / "cache").exists()


def test_an_unreadable_file_leaves_no_snapshot_so_it_is_tried_again(cache_dir, corpus, reads):
    if os.geteuid() == 0:
        pytest.skip("root reads a chmod 000 file")
    locked = corpus / "locked.txt"
    shutil.copy(SEEDS / "003_511c09f0644b0772.txt", locked)
    locked.chmod(0)
    spaq.load(corpus)
    assert not (cache_dir / "index").exists()


def test_a_file_that_could_not_be_read_is_tried_again(cache_dir, corpus, reads, monkeypatch):
    """As the facts cache does: a file unreadable this time is read again next time."""
    import spaq.corpus as corpus_module
    original = corpus_module.read_file

    def failing(path):
        if str(path).endswith("again.txt"):
            return corpus_module.Read(None, problem="unreadable: Input/output error")
        return original(path)
    monkeypatch.setattr(corpus_module, "read_file", failing)
    first = spaq.load(corpus)
    assert dict(first.skipped)["sub/again.txt"] == "unreadable: Input/output error"
    assert not (cache_dir / "index").exists()
    monkeypatch.setattr(corpus_module, "read_file", original)
    reads.clear()
    second = spaq.load(corpus)
    assert reads == ["sub/again.txt"]
    assert "sub/again.txt" not in dict(second.skipped)


def test_packed_sources_behave_as_a_list(cache_dir, corpus):
    cold = spaq.load(corpus, cache=False)
    spaq.load(corpus)
    table = spaq.load(corpus).tables["purchasers"]
    expected = cold.tables["purchasers"].sources
    assert len(table.sources) == len(expected)
    assert table.sources[-1] == expected[-1] and table.sources[1:3] == expected[1:3]
    assert table.sources == expected and list(table.sources) == list(expected)
    with pytest.raises(IndexError):
        table.sources[len(expected)]
    # A table read back can still grow.
    table.add({"id": "extra", "purchaser": "X"}, {"purchaser": Source("x.txt", 1, "X")})
    assert table.rows[-1]["purchaser"] == "X" and table.sources[-1]["purchaser"].file == "x.txt"
    assert table.rows[-1].get("price") is None and "price" not in table.rows[-1]


def test_many_blocks_of_sources(cache_dir, tmp_path):
    """More rows than one compressed block holds: each row's sources still its own."""
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate
    out = tmp_path / "gen"
    generate.generate(out, 300, seed=5)
    cold = spaq.load(out, cache=False)
    spaq.load(out)
    warm = spaq.load(out)
    for name in ("agreements", "purchasers", "filings"):
        assert len(warm.tables[name].rows) > snapshot.BLOCK or name != "purchasers"
        assert list(warm.tables[name].sources) == list(cold.tables[name].sources)
        assert warm.tables[name].sources[snapshot.BLOCK + 1] == cold.tables[name].sources[snapshot.BLOCK + 1]


def saved_and_read(cache_dir: Path, tmp_path: Path, index):
    """`index` written as the snapshot of a one-file corpus, and read back."""
    class Entry:                        # what the snapshot keeps of the one file's facts-cache entry
        size, mtime_ns, hash = 1, OLD, "h"
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "f.txt").write_text("x")
    os.utime(corpus / "f.txt", ns=(OLD, OLD))
    roots = [(corpus, [(str(corpus / "f.txt"), "f.txt")], [])]
    assert snapshot.save(cache_dir, (corpus,), roots, [Entry()], index) is None
    back = snapshot.load(cache_dir, (corpus,), roots)
    assert back is not None
    return back


def test_tables_with_gaps_and_odd_values_round_trip(cache_dir, tmp_path, monkeypatch):
    """Rows lacking a field, Decimals, datetimes, lists and text JSON must escape."""
    import datetime as dt
    from decimal import Decimal
    from spaq.index import Index
    table = Table("purchasers")
    table.add({"id": "a", "purchaser": "tab\there \ud800 é", "price": Decimal("0.2325"),
               "date": dt.datetime(2002, 6, 5, 12, 30)}, {"price": Source("f.txt", 3, "line \u2028 x")})
    table.add({"id": "b", "shares": 5, "filings": ["x", "y"]}, {})
    index = Index({"purchasers": table}, findings=[{"severity": "info", "agreement": "a", "message": "m",
                                                    "sources": "f.txt:3"}], skipped=[("z.bin", "why")])
    back = saved_and_read(cache_dir, tmp_path, index)
    t = back.tables["purchasers"]
    assert list(t.rows) == list(table.rows)
    assert list(t.sources) == list(table.sources)
    assert t.column("shares") == [None, 5] and t.column("price") == [Decimal("0.2325"), None]
    assert back.findings() == index.findings() and back.skipped == index.skipped


def test_columns_of_text_cite_one_pool_and_come_back_shared(cache_dir, tmp_path):
    """Text columns (with None), columns of lists of text, and text mixed with numbers
    round-trip; a string written in two tables is one object when read back."""
    from spaq.index import Index
    deals = Table("agreements")
    deals.add({"id": "d1", "file": "a.txt", "filings": ["a", "b"], "odd": "x"}, {})
    deals.add({"id": "d2", "file": None, "filings": [], "odd": 7}, {})
    people = Table("purchasers")
    people.add({"id": "p1", "agreement": "d1", "file": "a.txt"}, {})
    people.add({"id": "p2", "agreement": "d2", "file": "a.txt"}, {})
    index = Index({"agreements": deals, "purchasers": people})
    back = saved_and_read(cache_dir, tmp_path, index)
    for name in ("agreements", "purchasers"):
        assert list(back.tables[name].rows) == list(index.tables[name].rows)
    a, p = back.tables["agreements"], back.tables["purchasers"]
    assert a.column("file")[0] is p.column("file")[0] is p.column("file")[1]
    assert a.column("id")[1] is p.column("agreement")[1]
    assert a.column("filings") == [["a", "b"], []]


def test_numbers_dates_and_nones_cite_one_pool_and_keep_their_types(cache_dir, tmp_path):
    """Numbers and dates are written once for every column and table and come back one
    object; values equal across types (1, 1.0, True; 0.0, -0.0) stay apart; a column
    None throughout comes back None in every row, and the table can still grow."""
    import datetime as dt
    import math
    from spaq.index import Index
    day = dt.date(2002, 6, 7)
    deals = Table("agreements")
    deals.add({"id": "d1", "shares": 800_000, "price": 0.35, "date": day, "template": True,
               "closing": None, "pricing": None, "odd": 1, "mixed": "x"}, {})
    deals.add({"id": "d2", "shares": 1, "price": -0.0, "date": dt.date(1999, 1, 2), "template": False,
               "closing": None, "pricing": None, "odd": 1.0, "mixed": 2}, {})
    deals.add({"id": "d3", "shares": 2 ** 70, "price": float("nan"), "date": None, "template": True,
               "closing": None, "pricing": None, "odd": True, "mixed": 0.0}, {})
    people = Table("purchasers")
    people.add({"id": "p1", "shares": 800_000, "price": 0.35, "date": day, "coverage": 0.0}, {})
    people.add({"id": "p2", "shares": 1.0, "price": 0.0, "date": day, "coverage": 1,
                "when": dt.datetime(2002, 6, 7, 9, 30)}, {})
    index = Index({"agreements": deals, "purchasers": people})
    back = saved_and_read(cache_dir, tmp_path, index)
    a, p = back.tables["agreements"], back.tables["purchasers"]

    def typed(values):
        return [(type(v), repr(v), math.copysign(1, v) if type(v) is float else None) for v in values]
    for name in ("agreements", "purchasers"):
        for field, values in index.tables[name].columns.items():
            assert typed(back.tables[name].columns[field]) == typed(values), (name, field)
    assert a.column("shares")[0] is p.column("shares")[0] and a.column("price")[0] is p.column("price")[0]
    assert a.column("date")[0] is p.column("date")[0] is p.column("date")[1]
    assert p.column("when") == [None, dt.datetime(2002, 6, 7, 9, 30)]
    assert a.column("closing") == a.column("pricing") == [None, None, None]
    a.add({"id": "d4", "closing": day}, {})
    assert a.column("closing") == [None, None, None, day] and a.column("pricing") == [None, None, None, None]
    assert a.rows[3] == {"id": "d4", "closing": day}


def packed_sources(table: Table) -> snapshot.PackedSources:
    """`table`'s sources written as a snapshot writes them, and read back."""
    (rows,), sources = snapshot._encode_sources([table])
    return snapshot.PackedSources(rows, table.count, snapshot._SourcePool(sources))


def test_sources_cited_again_and_derived_from_others_round_trip():
    """A block writes each Source once and rows cite it by number: what is cited
    again, from another file, or as the input of a derived value comes back equal."""
    shares, price = Source("a.txt", 3, "800,000 shares"), Source("a.txt", 4, "at $0.35 per share")
    elsewhere = Source("b.txt", 9, "800,000 shares")
    proceeds = Source("a.txt", None, "", True, "shares × price", (shares, price))
    total = Source("a.txt", None, "", True, "sum", (proceeds, elsewhere, Source("a.txt", 3, "800,000 shares")))
    table = Table("agreements")
    rows = [{"shares": shares, "price": price, "proceeds": proceeds}, {}, {"shares": elsewhere, "total": total},
            {"note": Source("c.txt", None, "", note="count of agreements")}]
    for n in range(snapshot.BLOCK + 3):
        table.add({"id": str(n)}, rows[n % len(rows)])
    packed = packed_sources(table)
    assert list(packed) == table.sources
    assert packed[snapshot.BLOCK + 2] == table.sources[snapshot.BLOCK + 2]


def test_sources_whose_text_needs_escaping_round_trip():
    """A block's texts are written unescaped, one a line: a text holding a newline (or a
    lone surrogate, or no text at all) still comes back as it was, and so do the
    blocks around it; a block of rows without sources is a block too."""
    odd = [Source("a.txt", 1, "two\nlines"), Source("a.txt", 2, "lone \ud800 surrogate"),
           Source("b.txt", 3, ""), Source("b.txt", 4, "é × ’ \u2028 \r x"), Source("b.txt", 5, "\n")]
    plain = [Source("c.txt", 6, "no newline here \ud800"), Source("c.txt", 7, "")]
    table = Table("filings")
    for n in range(3 * snapshot.BLOCK):
        block = n // snapshot.BLOCK
        cited = odd if block == 0 else plain if block == 1 else []
        table.add({"id": str(n)}, {f"f{k}": s for k, s in enumerate(cited[:1 + n % len(cited)])} if cited else {})
    packed = packed_sources(table)
    assert list(packed) == table.sources
    assert packed[0]["f0"].text == "two\nlines" and packed[2 * snapshot.BLOCK] == {}


def test_sources_still_read_after_the_snapshot_is_replaced(cache_dir, corpus):
    """A warm index reads its sources from the snapshot it checked, even once another
    load has written a new one over it."""
    cold = spaq.load(corpus, cache=False)
    spaq.load(corpus)
    warm = spaq.load(corpus)
    (corpus / "sub" / "again.txt").unlink()
    spaq.load(corpus)                       # writes a new snapshot in its place
    assert list(warm.tables["agreements"].sources) == list(cold.tables["agreements"].sources)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to count descriptors")
def test_the_snapshot_is_closed_when_its_index_goes(cache_dir, corpus):
    import gc
    spaq.load(corpus)
    gc.collect()                            # indexes of earlier tests, not yet collected
    before = len(os.listdir("/proc/self/fd"))
    warm = spaq.load(corpus)
    assert len(os.listdir("/proc/self/fd")) == before + 1
    del warm
    gc.collect()
    assert len(os.listdir("/proc/self/fd")) == before


def test_sources_derived_from_the_next_block_read_without_recursing_through_every_block(monkeypatch):
    """A derived Source's inputs are read from their block without making that block's
    own derived Sources: a chain of blocks, each citing an input in the next, once made
    every block inside the one before (a RecursionError reading a warm 10,000 filings)."""
    monkeypatch.setattr(snapshot, "SOURCES", 2)
    monkeypatch.setattr(snapshot, "_SHIFT", 1)
    monkeypatch.setattr(snapshot, "_MASK", 1)
    plain = [Source(f"{n}.txt", n, f"line {n}") for n in range(3001)]
    table = Table("filings")
    for n in range(3000):           # numbered derived n, plain n: block n's input is in block n + 1
        derived = Source(f"{n}.txt", None, "", True, "year of date", (plain[n + 1],))
        table.add({"id": str(n)}, {"year": derived, "date": plain[n]})
    packed = packed_sources(table)
    assert packed[0] == table.sources[0] and list(packed) == table.sources


def test_sources_are_numbered_by_the_object_in_the_order_first_cited(monkeypatch):
    """`_SourceBlock.numbers` and `.blocks` (C loops) against the plain loop they stand for: a Source
    cited again keeps its number, an equal but other object gets its own, and the
    inputs of derived Sources not cited by a row are numbered after all of those."""
    a, b, a_again = Source("a.txt", 1, "x"), Source("b.txt", 2, "y"), Source("a.txt", 1, "x")
    hidden = Source("c.txt", 3, "z")
    inner = Source("c.txt", None, "", True, "inner", (hidden, a))
    outer = Source("c.txt", None, "", True, "outer", (inner, b, Source("d.txt", 4, "w")))
    tables = [[a, b, a, a_again, outer], [], [b, outer, a_again, Source("e.txt", 5, "v")]]

    def plain(tables):
        number, written = {}, []
        def note(s):
            if id(s) not in number:
                number[id(s)] = len(written)
                written.append(s)
            return number[id(s)]
        cites = [[note(s) for s in cited] for cited in tables]
        numbered, start = [], 0
        while start < len(written):
            level, start = list(enumerate(written))[start:], len(written)
            for k, s in level:
                if (s.derived, s.note, s.inputs) != (False, "", ()):
                    numbered.append((k, s))
                    for i in s.inputs:
                        note(i)
        return cites, numbered, written

    expected = plain(tables)
    for size in (1, 2, 3, 1024):        # blocks of one, of a few (numbered into as they are made), all
        monkeypatch.setattr(snapshot, "SOURCES", size)
        number, written = {}, []
        cites = [snapshot._SourceBlock.numbers(cited, number, written) for cited in tables]
        blocks = list(snapshot._SourceBlock.blocks(number, written))
        numbered = [(first + k, s) for first, block in zip(count(0, size), blocks)
                    for k, s in zip(block.made, block.derived)]
        assert (cites, numbered) == expected[:2] and all(map(operator.is_, written, expected[2]))
        assert cites == [[0, 1, 0, 2, 3], [], [1, 3, 2, 4]] and len(written) == 8
        assert list(chain.from_iterable(block.sources for block in blocks)) == written
        # Each derived Source's inputs, by number, one's after another's.
        assert [n for block in blocks for n in block.cites] == [number[id(i)] for _, s in numbered for i in s.inputs]
        assert [n for block in blocks for n in block.counts] == [len(s.inputs) for _, s in numbered]


# --- the sources encoded by a second process (snapshot._Beside) -----------------------------

beside_needs_fork = pytest.mark.skipif(not snapshot._can_fork(), reason="needs Linux, fork and two CPUs")


@pytest.fixture
def generated_index(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate
    out = tmp_path / "gen"
    generate.generate(out, 120, seed=9)
    return out, spaq.load(out, cache=False)


@pytest.fixture
def made_here(monkeypatch) -> list[int]:
    """Each time this process (not a forked one) encodes the sources itself, its pid."""
    real = snapshot._encode_sources

    def counted(tables):
        here.append(os.getpid())
        return real(tables)
    here: list[int] = []
    monkeypatch.setattr(snapshot, "_encode_sources", counted)
    monkeypatch.setattr(snapshot._Beside, "MIN_ROWS", 0)
    return here


def written(cache_dir: Path, corpus: Path, index, beside: bool) -> tuple[dict, bytes]:
    """The header (but the time it was made) and the payload of `index` saved as `corpus`'s."""
    roots = [(corpus, *spaq.build.find_files([corpus]))]
    entries = [type("Entry", (), {"size": 1, "mtime_ns": OLD, "hash": ""}) for _ in roots[0][1]]
    assert snapshot.save(cache_dir, (corpus,), roots, entries, index, beside) is None
    header, payload = snap_of(cache_dir).read_bytes().split(b"\n", 1)
    header = json.loads(header)
    del header["made_ns"]
    return header, payload


@beside_needs_fork
def test_sources_encoded_beside_make_the_same_snapshot(tmp_path, generated_index, made_here):
    corpus, index = generated_index
    alone = written(tmp_path / "a", corpus, index, beside=False)
    assert made_here == [os.getpid()]
    beside = written(tmp_path / "b", corpus, index, beside=True)
    assert made_here == [os.getpid()], "the second time, the sources were not encoded here"
    assert beside == alone


@beside_needs_fork
@pytest.mark.parametrize("stage", ["_send", "_write"])
@pytest.mark.parametrize("failure", ["raises", "writes nonsense", "dies"])
def test_when_the_process_beside_fails_the_sources_are_encoded_here(tmp_path, generated_index, made_here,
                                                                       monkeypatch, failure, stage):
    """Whether the child fails handing over its numbers (`_send`) or its blocks of
    Sources (`_write`), this process makes the same snapshot by itself."""
    corpus, index = generated_index
    alone = written(tmp_path / "a", corpus, index, beside=False)
    real = getattr(snapshot._Beside, stage)

    def fail(self, *args):
        if failure == "raises":
            raise RuntimeError("the child fails")
        if failure == "dies":
            os.kill(os.getpid(), 9)
        if stage == "_send":               # numbers that fit no rows, said to be what they are
            numbers, signal = args
            real(self, numbers[:-snapshot._UINT], signal)
        else:
            self.out.write(b"\x03" + bytes(100))
            self.out.flush()
    monkeypatch.setattr(snapshot._Beside, stage, fail)
    assert written(tmp_path / "b", corpus, index, beside=True) == alone
    assert made_here == [os.getpid()] * 2


@beside_needs_fork
def test_the_process_beside_is_reaped_when_this_one_fails(tmp_path, generated_index, monkeypatch):
    corpus, index = generated_index
    started = []
    real_start = snapshot._Beside._start

    def start(self):
        real_start(self)
        started.append(self.pid)
    monkeypatch.setattr(snapshot._Beside, "_start", start)
    monkeypatch.setattr(snapshot._Beside, "MIN_ROWS", 0)
    monkeypatch.setattr(snapshot._Pool, "seal", lambda self, tables: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        written(tmp_path / "b", corpus, index, beside=True)
    assert started and started[0] > 0
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0], os.WNOHANG)


def test_no_process_beside_while_another_thread_runs(tmp_path, generated_index, made_here, monkeypatch):
    import threading
    corpus, index = generated_index

    def no_fork():
        raise AssertionError("forked")
    monkeypatch.setattr(os, "fork", no_fork)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not snapshot._can_fork()
        written(tmp_path / "a", corpus, index, beside=True)
    finally:
        stop.set()
        other.join()
    assert made_here == [os.getpid()]


@pytest.mark.parametrize("workers, beside", [(1, False), (2, True)])
def test_a_build_asks_for_a_process_beside_only_when_it_may_use_more_cores(cache_dir, corpus, monkeypatch,
                                                                            workers, beside):
    asked = []
    real = snapshot.save
    monkeypatch.setattr(snapshot, "save", lambda *a: asked.append(a[5:]) or real(*a))
    spaq.build.build_index([corpus], workers=workers)
    assert asked == [(beside,)]
