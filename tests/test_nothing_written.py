"""Nothing lost, nothing written: spaq reads a corpus and never changes it.

Every file's bytes, mode and modification time, and every directory's listing
and modification time (creating and removing a temporary file changes it),
are recorded before and compared after indexing, querying, caching cold and
warm, and exporting. The prompt's history is private to the user. A crash
while the cache is written leaves the old cache or none, never half of one.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import spaq
from spaq import cache

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus"
INPUTS = ROOT / "tests" / "data" / "inputs"


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Seeds, the odd inputs in a subdirectory, and a few files spaq cannot read."""
    d = tmp_path / "corpus"
    shutil.copytree(SEEDS, d)
    shutil.copytree(INPUTS, d / "inputs")
    (d / "empty.txt").write_bytes(b"")
    (d / "blob.txt").write_bytes(bytes(range(256)) * 40)
    (d / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (d / ".hidden").write_text("not read")
    # Old enough that the cache trusts the mtime (no second read to compare bytes).
    old = 1_500_000_000 * 1_000_000_000
    for p in [d, *d.rglob("*")]:
        os.utime(p, ns=(old, old), follow_symlinks=False)
    return d


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under root: bytes (files), listing (directories), mode and mtime."""
    out = {}
    for p in [root, *sorted(root.rglob("*"))]:
        st = p.lstat()
        content = sorted(os.listdir(p)) if p.is_dir() else p.read_bytes()
        out[str(p.relative_to(root))] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_mtime_ns,
                                         st.st_size if p.is_file() else None, content)
    return out


QUERIES = ["agreements", "purchasers where price < 1.00", "sum proceeds by year", "filings", "companies",
           "check", "count filings by form", "top 2 purchasers by proceeds"]


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "spaq", *args], input=stdin, capture_output=True, text=True,
                          timeout=300, env=os.environ.copy())


def test_indexing_querying_caching_and_exporting_change_nothing_in_the_corpus(corpus, cache_dir, tmp_path):
    before = snapshot(corpus)
    cold = spaq.load(corpus, cache=False)
    first = spaq.load(corpus)                       # the cache is written
    warm = spaq.load(corpus)                        # and read
    assert (cache_dir / "facts").is_dir()
    for ix in (cold, first, warm):
        for q in QUERIES:
            ix.query(q)
        for row in ix.tables["agreements"].rows:
            ix.query(f"show agreements {row['id']}")
        ix.reload()
    assert snapshot(corpus) == before
    # The command line: queries, a script on stdin, and every export format.
    assert run_cli("--corpus", str(corpus), "-e", "count agreements").returncode == 0
    assert run_cli("--no-cache", "--corpus", str(corpus), "-e", "agreements").returncode == 0
    assert run_cli("--corpus", str(corpus), stdin="\n".join(QUERIES) + "\n").returncode == 0
    formats = ["jsonl", "csv"] + (["parquet"] if importlib.util.find_spec("pyarrow") else [])
    for fmt in formats:
        r = run_cli("--corpus", str(corpus), "export", "--format", fmt, str(tmp_path / f"out-{fmt}"))
        assert r.returncode == 0, r.stderr
        assert (tmp_path / f"out-{fmt}" / "_spaq_export.json").is_file()
    # Exporting again over the earlier export, and an export aimed into the corpus, refused.
    assert run_cli("--corpus", str(corpus), "export", str(tmp_path / "out-jsonl")).returncode == 0
    r = run_cli("--corpus", str(corpus), "export", str(corpus / "inputs" / "export"))
    assert r.returncode == 1 and "into the corpus" in r.stderr
    assert snapshot(corpus) == before


def test_a_cache_directory_inside_the_corpus_writes_nothing_there(corpus, monkeypatch):
    before = snapshot(corpus)
    monkeypatch.setenv("SPAQ_CACHE_DIR", str(corpus / "inputs" / ".cache"))
    spaq.load(corpus)
    spaq.load(corpus)
    assert run_cli("--corpus", str(corpus), "-e", "count agreements").returncode == 0
    assert snapshot(corpus) == before


# --- the history file ------------------------------------------------------------------------

@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_history_file_is_the_users_alone(tmp_path):
    from spaq.repl.app import open_history
    from spaq.repl.history import prepare
    old = os.umask(0)                  # the most permissive umask: the modes are spaq's own
    try:
        path = prepare(tmp_path / "new" / "dir" / "history")
        history = open_history(str(tmp_path / "other" / "history"), {})
        history.store_string("agreements where company = 'Secret Corp'")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    other = tmp_path / "other" / "history"
    assert stat.S_IMODE(other.stat().st_mode) == 0o600
    assert "Secret Corp" in other.read_text()


# --- a crash while the cache is written --------------------------------------------------------

def tables(ix) -> dict:
    return {name: (t.rows, t.sources) for name, t in ix.tables.items()}


def test_a_failed_replace_leaves_the_old_pack_and_no_temporary_file(corpus, cache_dir, monkeypatch):
    spaq.load(corpus)
    (pack,) = cache.packs_of(cache_dir)
    old = pack.read_bytes()
    (corpus / "new.txt").write_bytes((SEEDS / "003_511c09f0644b0772.txt").read_bytes())

    def crash(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", crash)
    ix = spaq.load(corpus)                          # still answers, from what it read
    assert [r for r in ix.tables["agreements"].rows if r["file"] == "new.txt"]
    assert pack.read_bytes() == old
    assert sorted(p.name for p in pack.parent.iterdir()) == [pack.name]
    monkeypatch.undo()
    monkeypatch.setenv("SPAQ_CACHE_DIR", str(cache_dir))
    assert tables(spaq.load(corpus)) == tables(spaq.load(corpus, cache=False))


CRASH = textwrap.dedent("""
    # Index the corpus with the cache on, and die (SIGKILL: no cleanup, no finally)
    # once N entries are written, or while the entries still valid are copied over,
    # with part of a line flushed to disk.
    import os, signal, sys
    from spaq import build, cache
    real_store = cache.Pack.store
    count = 0

    def die(pack):
        out = pack._open()
        for name in pack.kept[:1]:
            _, start, end = pack.index[name]
            out.write(pack.data[start:end + 1])
        out.write(b"0badc0de [\\"half")          # a line cut mid-way
        out.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    def store(self, entry):
        global count
        real_store(self, entry)
        count += 1
        if count == int(sys.argv[2]):
            die(self)
    cache.Pack.store = store
    cache.Pack.close = die
    build.build_index([sys.argv[1]], workers=1)
    """)


@pytest.mark.parametrize("after", [1, 3])
def test_a_process_killed_while_writing_the_cache_leaves_a_cache_that_reads_true(corpus, cache_dir, after,
                                                                                  reads):
    expected = tables(spaq.load(corpus, cache=False))

    def killed() -> None:
        r = subprocess.run([sys.executable, "-c", CRASH, str(corpus), str(after)], capture_output=True,
                           timeout=300, env=os.environ.copy())
        assert r.returncode == -signal.SIGKILL, r.stderr
        # It died mid-write: the half-written temporary file is there to prove it.
        assert [t for t in (cache_dir / "facts").glob("*.tmp") if t.read_bytes().endswith(b'["half')]

    # Killed before any pack existed: no pack, a stray temporary file at most.
    killed()
    assert cache.packs_of(cache_dir) == []
    assert tables(spaq.load(corpus)) == expected          # cold: builds the pack
    assert tables(spaq.load(corpus)) == expected          # warm: reads it
    (pack,) = cache.packs_of(cache_dir)
    good = pack.read_bytes()
    # Killed while rewriting a pack (a file changed): the old pack stays whole.
    (corpus / "new.txt").write_bytes((SEEDS / "000_c056bd73f6cecd80.txt").read_bytes())
    killed()
    assert pack.read_bytes() == good
    reads.clear()
    ix = spaq.load(corpus)
    assert reads == ["new.txt"]                            # the rest came from the old pack, intact
    assert tables(ix) == tables(spaq.load(corpus, cache=False))


def test_stray_temporary_files_of_a_killed_run_are_never_read_as_a_pack(corpus, cache_dir):
    spaq.load(corpus)
    (pack,) = cache.packs_of(cache_dir)
    (pack.parent / (pack.name + ".x1y2z3.tmp")).write_bytes(b"garbage\n")
    assert cache.packs_of(cache_dir) == [pack]
    assert tables(spaq.load(corpus)) == tables(spaq.load(corpus, cache=False))


def test_a_stale_temporary_file_is_swept_when_the_pack_is_next_written(corpus, cache_dir):
    spaq.load(corpus)
    (pack,) = cache.packs_of(cache_dir)
    stale, fresh = (pack.parent / (pack.name + ".stale.tmp"), pack.parent / (pack.name + ".fresh.tmp"))
    stale.write_bytes(b"left by a killed run")
    fresh.write_bytes(b"another run, still writing")
    old = time.time() - cache.STALE_SECONDS - 60
    os.utime(stale, (old, old))
    (corpus / "new.txt").write_bytes(b"a change, so the pack is written again")
    spaq.load(corpus)
    assert not stale.exists() and fresh.exists()
