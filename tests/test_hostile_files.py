"""Whatever a corpus folder holds, spaq indexes the rest and says what it could not read.

Every hostile file is made here, by the test, never committed: empty, binary,
NUL bytes, UTF-16 with and without a byte-order mark, Latin-1, a 50 MB file,
a 10 MB line, HTML nested 100,000 deep or never closed, a submission of a
thousand documents, a file that cannot be opened, links that loop, a file
that vanishes between listing and reading, a directory named like a file, a
named pipe, a device, names that are not UTF-8. Each becomes a `filings` row
with a warning, or is listed as skipped with its reason; the seeds beside
them are indexed as ever; memory and time stay bounded.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import spaq
from spaq import build, corpus
from spaq.errors import CorpusError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus"
OMICRON = SEEDS / "003_511c09f0644b0772.txt"     # the 2002-06-05 agreement: Omicron, $0.35
SEED_DEALS = {"neotherapeutics-20010308", "neotherapeutics-20020312",
              "neotherapeutics-20020605", "neotherapeutics-20020607"}


def filings(ix, file: str) -> list[dict]:
    return [r for r in ix.tables["filings"].rows if r["file"] == file]


def warnings_of(ix, file: str) -> list[str]:
    return [w for r in filings(ix, file) for w in r["warnings"] or ()]


def deals_of(ix, file: str) -> list[dict]:
    return [r for r in ix.tables["agreements"].rows if r["file"] == file]


def seeds_indexed(ix) -> bool:
    return SEED_DEALS <= {r["id"] for r in ix.tables["agreements"].rows}


def skipped(ix) -> dict[str, str]:
    return dict(ix.skipped)


@pytest.fixture
def seeds(tmp_path) -> Path:
    d = tmp_path / "corpus"
    shutil.copytree(SEEDS, d)
    return d


# --- what the bytes hold -------------------------------------------------------------------

def _omicron() -> str:
    return OMICRON.read_text()


def _utf16_without_bom(order: str) -> bytes:
    return _omicron().encode(f"utf-16-{order}")


def _nul_later() -> bytes:
    # NULs past the first 4 KB of a text (padding, a bad copy): removed, the text read.
    text = _omicron().encode()
    return text[:6000] + b"\x00" * 3 + text[6000:]


def _latin1() -> bytes:
    # \x81 is not Windows-1252 either: Latin-1 is the last resort, and never fails.
    return _omicron().replace("Omicron Partners", "Omicron Partners Soci\xe9t\xe9").encode("latin-1") + b"\x81\n"


def _nested_html() -> bytes:
    # lxml gives up past a few hundred levels, silently: the words are read without the tags.
    words = "<p>" + "</p><p>".join(_omicron().split("\n\n")) + "</p>"
    return b"<html><body>" + b"<div>" * 100_000 + words.encode() + b"</div>" * 100_000 + b"</body></html>"


def _unclosed_html() -> bytes:
    return b"<html><body><p>hello<div><table><tr><td>" * 20_000


def _thousand_documents() -> bytes:
    docs = []
    for i in range(1000):
        close = b"</TEXT>\n</DOCUMENT>\n" if i % 2 else b""     # half never close
        docs.append(b"<DOCUMENT>\n<TYPE>EX-99.%d\n<TEXT>\nExhibit %d, nothing to see.\n%s" % (i, i, close))
    return b"<SEC-DOCUMENT>\n<SEC-HEADER>\n</SEC-HEADER>\n" + b"".join(docs) + b"</SEC-DOCUMENT>\n"


def _uuencoded_submission() -> bytes:
    rnd = random.Random(3)
    body = "\n".join("M" + "".join(rnd.choice("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJ") for _ in range(60))
                     for _ in range(2000))
    return (f"<SEC-DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-10.1\n<TEXT>\n{_omicron()}\n</TEXT>\n</DOCUMENT>\n"
            f"<DOCUMENT>\n<TYPE>GRAPHIC\n<FILENAME>logo.jpg\n<TEXT>\nbegin 644 logo.jpg\n{body}\nend\n"
            f"</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n").encode()


CONTENTS = {
    # name: (bytes, what the filing's warnings or reason say)
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b" \n\t\r\n  \n", "empty file"),
    "random.txt": (random.Random(1).randbytes(200_000), "binary file"),
    "random_no_nul.txt": (bytes(random.Random(2).choices(range(1, 256), k=50_000)), "binary file"),
    "nul_first.txt": (b"\x00\x00\x00" + _omicron().encode(), "binary file (NUL bytes)"),
    "all_nul.txt": (b"\x00" * 100_000, "binary file (NUL bytes)"),
    "nul_later.txt": (_nul_later(), "NUL characters removed"),
    "utf16_bom.txt": (_omicron().encode("utf-16"), "decoded as UTF-16"),
    "utf16le.txt": (_utf16_without_bom("le"), "decoded as UTF-16 (no byte-order mark)"),
    "utf16be.txt": (_utf16_without_bom("be"), "decoded as UTF-16 (no byte-order mark)"),
    "latin1.txt": (_latin1(), "decoded as Latin-1"),
    "nested.htm": (_nested_html(), "HTML rendered only in part"),
    "unclosed.htm": (_unclosed_html(), "HTML"),
    "submission_with_graphic.txt": (_uuencoded_submission(), "a uuencoded attachment, not text: not read"),
}
# What must still be read from them: the Omicron agreement, whatever the encoding.
READ_AS_OMICRON = ["nul_later.txt", "utf16_bom.txt", "utf16le.txt", "utf16be.txt", "latin1.txt", "nested.htm",
                   "submission_with_graphic.txt"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, spaq.Index]:
    d = tmp_path_factory.mktemp("hostile") / "corpus"
    shutil.copytree(SEEDS, d)
    for name, (data, _) in CONTENTS.items():
        (d / name).write_bytes(data)
    (d / "thousand.txt").write_bytes(_thousand_documents())
    # A directory named like a file, with a filing in it.
    (d / "exhibit.txt").mkdir()
    shutil.copy(OMICRON, d / "exhibit.txt" / "inside.txt")
    # Links: a directory to its parent (a loop), a file to itself (a loop), a file to a device.
    (d / "exhibit.txt" / "parent").symlink_to("..", target_is_directory=True)
    os.symlink("self.txt", d / "self.txt")
    os.symlink(os.devnull, d / "null.txt")
    os.mkfifo(d / "pipe.txt")
    return d, spaq.load(d, cache=False)


@pytest.mark.parametrize("name", sorted(CONTENTS))
def test_each_strange_file_is_a_filing_with_a_warning(hostile, name):
    _, ix = hostile
    rows = filings(ix, name)
    assert rows, f"{name} is not a filing"
    expected = CONTENTS[name][1]
    assert any(expected in w for w in warnings_of(ix, name)), warnings_of(ix, name)


def test_files_that_are_not_text_are_form_unknown_and_listed_as_not_read(hostile):
    _, ix = hostile
    for name in ("empty.txt", "blank.txt", "random.txt", "random_no_nul.txt", "nul_first.txt", "all_nul.txt"):
        (row,) = filings(ix, name)
        assert row["form"] == "unknown" and row["agreement"] is None
        assert name in skipped(ix)


@pytest.mark.parametrize("name", READ_AS_OMICRON)
def test_what_is_text_under_the_strangeness_is_still_read(hostile, name):
    _, ix = hostile
    (deal,) = deals_of(ix, name)
    assert (deal["date"].isoformat(), deal["price"], deal["shares"]) == ("2002-06-05", 0.35, 800_000)
    assert deal["purchaser"].startswith("Omicron Partners")


def test_the_rest_of_the_corpus_is_indexed(hostile):
    _, ix = hostile
    assert seeds_indexed(ix)
    for seed in SEEDS.iterdir():
        assert filings(ix, seed.name)[0]["warnings"] in ([], ["blank form"])


def test_a_thousand_documents_are_a_thousand_filings(hostile):
    _, ix = hostile
    rows = filings(ix, "thousand.txt")
    assert len(rows) == 1000
    assert [r["form"] for r in rows[:3]] == ["EX-99.0", "EX-99.1", "EX-99.2"]
    # An unclosed document ends where the next begins: none holds the ones after it.
    assert len({r["id"] for r in rows}) == 1000


def test_a_thousand_unclosed_documents_are_split_in_linear_time():
    text = "".join(f"<DOCUMENT>\n<TYPE>EX-{i}\n<TEXT>\n" + "line\n" * 50 for i in range(5000))
    start = time.perf_counter()
    docs = corpus.split_documents("x.txt", text)
    assert len(docs) == 5000 and all(len(d.lines) == 50 for d in docs)
    assert time.perf_counter() - start < 5


def test_a_directory_named_like_a_file_is_searched(hostile):
    _, ix = hostile
    (deal,) = deals_of(ix, "exhibit.txt/inside.txt")
    assert deal["purchaser"] == "Omicron Partners, L.P."


def test_links_that_loop_are_not_followed_and_say_why(hostile):
    _, ix = hostile
    assert skipped(ix)["exhibit.txt/parent"] == "a link to a directory, not followed"
    assert "symbolic links" in skipped(ix)["self.txt"]
    (row,) = filings(ix, "self.txt")
    assert row["form"] == "unknown" and "symbolic links" in row["warnings"][0]


def test_pipes_and_devices_are_skipped_not_waited_on(hostile):
    _, ix = hostile
    assert skipped(ix)["pipe.txt"] == "not a regular file (a named pipe)"
    assert skipped(ix)["null.txt"] == "not a regular file (a device)"
    assert not filings(ix, "pipe.txt")


def test_a_pipe_put_in_place_of_a_listed_file_is_refused_at_once(tmp_path):
    pipe = tmp_path / "swapped.txt"
    os.mkfifo(pipe)
    got = []
    reader = threading.Thread(target=lambda: got.append(corpus.read_file(pipe)), daemon=True)
    reader.start()
    reader.join(10)
    assert got, "reading a named pipe blocked"
    assert got[0].data is None and got[0].problem == "not a regular file (a named pipe)"


def test_a_corpus_that_is_a_pipe_or_a_loop(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(CorpusError, match="no files found"):
        spaq.load(tmp_path / "pipe", cache=False)
    os.symlink("loop", tmp_path / "loop")
    with pytest.raises(CorpusError, match="cannot read corpus: Too many levels of symbolic links"):
        spaq.load(tmp_path / "loop", cache=False)


# --- what the file system does -------------------------------------------------------------

@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_file_without_read_permission(seeds):
    (seeds / "secret.txt").write_text("private")
    (seeds / "secret.txt").chmod(0)
    ix = spaq.load(seeds, cache=False)
    assert skipped(ix)["secret.txt"] == "unreadable: Permission denied"
    assert seeds_indexed(ix)


def test_a_file_that_cannot_be_opened(seeds, monkeypatch):
    """chmod 000 as root still reads: the refusal is simulated where the file is opened."""
    (seeds / "secret.txt").write_text("private")
    real = os.open

    def refuse(path, *args, **kwargs):
        if Path(path).name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)
    monkeypatch.setattr(os, "open", refuse)
    for cache in (False, True):
        ix = spaq.load(seeds, cache=cache)
        assert skipped(ix)["secret.txt"] == "unreadable: Permission denied"
        (row,) = filings(ix, "secret.txt")
        assert row["form"] == "unknown" and row["warnings"] == ["unreadable: Permission denied"]
        assert seeds_indexed(ix)


def test_a_read_that_fails_half_way(seeds, monkeypatch):
    """An I/O error after the file was opened (a disk, a network share going away)."""
    (seeds / "flaky.txt").write_text("x" * 10_000)
    real = os.read

    def flaky(fd, n):
        if os.readlink(f"/proc/self/fd/{fd}").endswith("flaky.txt"):
            raise OSError(5, "Input/output error")
        return real(fd, n)
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell which file a descriptor is")
    monkeypatch.setattr(os, "read", flaky)
    ix = spaq.load(seeds, cache=False)
    assert skipped(ix)["flaky.txt"] == "unreadable: Input/output error"
    assert seeds_indexed(ix)


def test_a_directory_that_cannot_be_listed(seeds, monkeypatch):
    (seeds / "locked").mkdir()
    shutil.copy(OMICRON, seeds / "locked" / "x.txt")
    real = os.scandir

    def refuse(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)
    monkeypatch.setattr(os, "scandir", refuse)
    ix = spaq.load(seeds, cache=False)
    assert skipped(ix)["locked"] == "unreadable directory: Permission denied"
    assert seeds_indexed(ix)


@pytest.mark.parametrize("cache", [False, True])
def test_a_file_that_disappears_between_listing_and_reading(seeds, monkeypatch, cache):
    (seeds / "gone.txt").write_bytes(OMICRON.read_bytes())
    real = build.find_files

    def listed_then_removed(paths):
        found, skip = real(paths)
        (seeds / "gone.txt").unlink()
        return found, skip
    monkeypatch.setattr(build, "find_files", listed_then_removed)
    ix = spaq.load(seeds, cache=cache)
    assert "no longer there" in skipped(ix)["gone.txt"]
    assert filings(ix, "gone.txt")[0]["form"] == "unknown"
    assert seeds_indexed(ix)


def test_a_file_cached_then_deleted_then_listed_again(seeds, monkeypatch):
    """A cache entry for a file that is gone by the time it is looked up is never used."""
    (seeds / "gone.txt").write_bytes(OMICRON.read_bytes())
    spaq.load(seeds)
    real = build.find_files

    def listed_then_removed(paths):
        found, skip = real(paths)
        (seeds / "gone.txt").unlink()
        return found, skip
    monkeypatch.setattr(build, "find_files", listed_then_removed)
    ix = spaq.load(seeds)
    assert not deals_of(ix, "gone.txt") and "no longer there" in skipped(ix)["gone.txt"]


def test_names_that_are_not_utf8_or_hold_control_characters(seeds, capfd):
    os.close(os.open(os.fsencode(seeds) + b"/caf\xe9.txt", os.O_CREAT | os.O_WRONLY))
    (seeds / "two\nlines.txt").write_bytes(b"")
    ix = spaq.load(seeds, cache=False)
    assert {"caf\\xe9.txt", "two\\x0alines.txt"} <= set(skipped(ix))
    for fmt in ("table", "json", "csv"):
        r = subprocess.run([sys.executable, "-m", "spaq", "--no-cache", "--corpus", str(seeds), "--format", fmt,
                            "-e", "filings where form = 'unknown'"], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        shown = {r["file"] for r in json.loads(r.stdout)} if fmt == "json" else r.stdout
        assert "caf\\xe9.txt" in shown and "Traceback" not in r.stderr
        assert "spaq: skipped two\\x0alines.txt: empty file" in r.stderr.splitlines()


def test_a_document_that_makes_extraction_fail_costs_only_that_document(seeds, monkeypatch):
    from spaq import extract
    from spaq.extract import document
    real = document.extract_document

    def fragile(doc):
        if doc.file == "boom.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real(doc)
    monkeypatch.setattr(document, "extract_document", fragile)
    monkeypatch.setattr(extract, "extract_document", fragile, raising=False)
    from spaq import cache
    monkeypatch.setattr(cache, "_READERS", None)     # (read_entry keeps the extractor it found first)
    shutil.copy(OMICRON, seeds / "boom.txt")
    ix = spaq.load(seeds, cache=False)
    (row,) = filings(ix, "boom.txt")
    assert row["warnings"][-1].startswith("extraction failed (RecursionError: maximum recursion depth exceeded)")
    assert row["form"] == "unknown" and not deals_of(ix, "boom.txt")
    assert seeds_indexed(ix)


def test_the_cache_gives_back_what_a_cold_read_gives(hostile, tmp_path, monkeypatch):
    d, cold = hostile
    monkeypatch.setenv("SPAQ_CACHE_DIR", str(tmp_path / "cache"))
    first, warm = spaq.load(d), spaq.load(d)
    for ix in (first, warm):
        for name in cold.tables:
            assert ix.tables[name].rows == cold.tables[name].rows
        assert ix.skipped == cold.skipped


def test_the_cli_lists_what_it_skipped_and_never_prints_a_traceback(hostile):
    d, _ = hostile
    r = subprocess.run([sys.executable, "-m", "spaq", "--no-cache", "--corpus", str(d), "-e", "count agreements"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert "spaq: skipped empty.txt: empty file" in lines
    assert "spaq: skipped pipe.txt: not a regular file (a named pipe)" in lines


def test_past_twenty_the_cli_counts_what_it_skipped(seeds):
    for i in range(30):
        (seeds / f"empty{i:02}.txt").write_bytes(b"")
    r = subprocess.run([sys.executable, "-m", "spaq", "--no-cache", "--corpus", str(seeds), "-e", "count filings"],
                       capture_output=True, text=True, timeout=300)
    assert (r.returncode, r.stdout) == (0, "35\n")
    lines = r.stderr.splitlines()
    assert lines[:2] == ["spaq: skipped empty00.txt: empty file", "spaq: skipped empty01.txt: empty file"]
    assert len(lines) == 21 and lines[-1].startswith("spaq: ... and 10 more files skipped or read in part")


# --- bounded memory and time ---------------------------------------------------------------

MEASURE = textwrap.dedent("""
    import resource, sys, time
    from pathlib import Path
    import spaq
    start = time.perf_counter()
    ix = spaq.load(sys.argv[1], cache=False)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # kB on Linux
    big = [r for r in ix.tables["filings"].rows if r["file"] == "big.txt"]
    deals = sorted(r["id"] for r in ix.tables["agreements"].rows)
    print(repr((seconds, peak_mb, [r["warnings"] for r in big], deals)))
""")

MB = 2**20


def _prose(size: int) -> bytes:
    seed = b"".join(p.read_bytes() for p in sorted(SEEDS.iterdir()))
    return (seed * (size // len(seed) + 1))[:size]


BIG = {
    "50 MB of filings": lambda: _prose(50 * MB),
    "50 MB of two-letter lines": lambda: b"ab\n" * (50 * MB // 3),
    "a 10 MB line of prose": lambda: _prose(10 * MB).replace(b"\n", b" "),
    "a 10 MB line of dashes": lambda: b"-" * (10 * MB) + b"x\n",
}


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> dict[str, tuple]:
    """Each big file beside the seeds, indexed in a fresh process of its own, all at once."""
    runs = {}
    for case, make in BIG.items():
        d = tmp_path_factory.mktemp("big")
        shutil.copytree(SEEDS, d / "corpus")
        (d / "corpus" / "big.txt").write_bytes(make())
        runs[case] = (d, subprocess.Popen([sys.executable, "-c", MEASURE, str(d / "corpus")],
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    out = {}
    for case, (d, proc) in runs.items():
        stdout, stderr = proc.communicate(timeout=600)
        (d / "corpus" / "big.txt").unlink()          # pytest keeps the last runs' directories
        assert proc.returncode == 0, stderr
        out[case] = eval(stdout)
    return out


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in kB on Linux")
@pytest.mark.parametrize("case", list(BIG))
def test_a_huge_file_costs_bounded_memory_and_time(measured, case):
    seconds, peak_mb, warnings, deals = measured[case]
    assert peak_mb < 1024, f"{case}: peak {peak_mb:.0f} MB"
    assert seconds < 60, f"{case}: {seconds:.0f} s"
    assert set(deals) >= SEED_DEALS
    (mine,) = warnings
    assert any(w.startswith("cut: ") for w in mine), mine


def test_what_the_limits_say(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(corpus, "MAX_DOCUMENT_CHARS", 500)
    monkeypatch.setattr(corpus, "MAX_LINE_CHARS", 100)
    (tmp_path / "a.txt").write_bytes(("é" * 60 + "\n").encode() * 9)
    docs, why = corpus.read_documents(tmp_path / "a.txt", "a.txt")
    (doc,) = docs
    assert why == [] and "\ufffd" not in "".join(doc.lines)
    assert not any("decoded as" in w for w in doc.warnings)
    (tmp_path / "b.txt").write_bytes(b"y" * 300 + b"\n" + b"z\n" * 2000)
    (doc,) = corpus.read_documents(tmp_path / "b.txt", "b.txt")[0]
    assert doc.warnings == ["cut: only the first 1,000 bytes of the file were read",
                            "cut: only the first 500 characters of the document were read",
                            "cut: 1 line longer than 100 characters read only that far (the first: line 1)"]
    assert len(doc.lines[0]) == 100 and sum(len(line) + 1 for line in doc.lines) <= 500


def test_a_utf8_character_cut_by_the_read_limit_is_still_utf8(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 1001)          # mid-way through a two-byte é
    (tmp_path / "a.txt").write_bytes("é".encode() * 2000)
    (doc,) = corpus.read_documents(tmp_path / "a.txt", "a.txt")[0]
    assert doc.lines == ["é" * 500]
    assert not any("decoded as" in w for w in doc.warnings)


def test_lines_are_numbered_as_python_splits_them():
    text = "a\r\nb\rc\x0cd\x1ce\u2028f\n\ng"
    assert list(corpus.iter_lines(text)) == text.splitlines()
    (doc,) = corpus.split_documents("x", text)
    assert list(doc.numbered())[-1] == (8, "g")


def test_worker_processes_read_the_hostile_files_as_this_one_does(hostile, monkeypatch):
    d, one = hostile
    monkeypatch.setattr(build, "PARALLEL_MIN_FILES", 1)
    many = build.build_index([d], cache=False, workers=2)
    for name in one.tables:
        assert many.tables[name].rows == one.tables[name].rows
    assert many.skipped == one.skipped


def test_the_cli_says_what_was_read_only_in_part(seeds, monkeypatch, capsys):
    from spaq.cli import main
    monkeypatch.setattr(corpus, "MAX_LINE_CHARS", 100)
    (seeds / "wide.txt").write_text("x" * 500 + "\n")
    assert main(["--no-cache", "--corpus", str(seeds), "-e", "count agreements"]) == 0
    err = capsys.readouterr().err
    assert "spaq: wide.txt: 1 line longer than 100 characters read only that far (the first: line 1)" in err


def test_lines_of_dashes_cost_linear_time(seeds):
    (seeds / "dashes.txt").write_text(("-" * 9_999 + "x\n") * 5)
    start = time.perf_counter()
    spaq.load(seeds / "dashes.txt", cache=False)
    assert time.perf_counter() - start < 0.3


def test_a_link_to_nothing(seeds):
    os.symlink("nowhere.txt", seeds / "dangling.txt")
    ix = spaq.load(seeds, cache=False)
    assert skipped(ix)["dangling.txt"] == "unreadable: a link to nothing (nowhere.txt)"
    assert seeds_indexed(ix)
