"""The `spaq` command run as a user runs it: a subprocess, from another directory."""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parent.parent / "corpus"


def _command() -> list[str]:
    # The console script installed beside this Python, as a user would type it;
    # `python -m spaq` when the tests run from a checkout without an install.
    script = Path(sys.executable).with_name("spaq")
    return [str(script)] if script.exists() else [sys.executable, "-m", "spaq"]


def spaq(*args: str, stdin: str | None = None, cwd=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env["NO_COLOR"] = "1"
    return subprocess.run(_command() + list(args), input=stdin, capture_output=True, text=True,
                          cwd=cwd or "/", env=env, timeout=60)


def test_query_on_bundled_corpus():
    r = spaq("-e", "purchasers where price < 1.00")
    assert r.returncode == 0, r.stderr
    for name in ("Omicron Partners, L.P.", "Stonestreet Limited Partnership", "BNC Bach International, Ltd."):
        assert name in r.stdout
    assert "IAT" not in r.stdout
    assert r.stderr == ""


def test_single_value_prints_alone():
    r = spaq("-e", "count agreements")
    assert (r.returncode, r.stdout) == (0, "4\n")


def test_query_error_exit_2_with_caret():
    r = spaq("-e", "purchasers where prcie < 1")
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr == ("purchasers where prcie < 1\n"
                        "                 ^^^^^\n"
                        "unknown field 'prcie' on purchasers — did you mean 'price'?\n")
    assert "Traceback" not in r.stderr


def test_syntax_error_has_no_traceback():
    r = spaq("-e", "purchasers where price <")
    assert r.returncode == 2
    assert "^" in r.stderr and "Traceback" not in r.stderr


def test_missing_corpus_exit_1(tmp_path):
    r = spaq("--corpus", str(tmp_path / "nope"), "-e", "count agreements")
    assert r.returncode == 1
    assert r.stderr == f"spaq: cannot read corpus: no such file or directory: {tmp_path / 'nope'}\n"


def test_json_format():
    r = spaq("-e", "sum proceeds by year", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [{"year": 2001, "sum(proceeds)": 5000000.0},
                                    {"year": 2002, "sum(proceeds)": 1660000.0}]


def test_jsonl_and_csv_formats():
    r = spaq("-e", "purchasers where price < 1 show purchaser, price", "--format", "jsonl")
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["purchaser"] for row in rows] == ["Omicron Partners, L.P.", "Stonestreet Limited Partnership",
                                                  "BNC Bach International, Ltd."]
    r = spaq("-e", "purchasers where price < 1 show purchaser, price", "--format", "csv")
    assert list(csv.reader(io.StringIO(r.stdout)))[0] == ["purchaser", "price"]
    assert len(r.stdout.splitlines()) == 4


def test_markdown_format():
    r = spaq("-e", "count agreements by year", "--format", "markdown")
    assert r.returncode == 0
    assert r.stdout.splitlines()[0].startswith("|")


def test_dates_iso_in_json():
    r = spaq("-e", "agreements where date >= 2002-01-01 order by date show date", "--format", "json")
    assert [row["date"] for row in json.loads(r.stdout)] == ["2002-03-12", "2002-06-05", "2002-06-07"]


def test_version():
    r = spaq("--version")
    assert r.returncode == 0 and r.stdout.startswith("spaq ")


def test_corpus_single_file_and_repeatable(tmp_path):
    r = spaq("--corpus", str(SEED / "000_c056bd73f6cecd80.txt"), "--corpus", str(SEED / "003_511c09f0644b0772.txt"),
             "-e", "count agreements")
    assert (r.returncode, r.stdout) == (0, "2\n")


def test_report_alone_makes_a_deal_from_its_own_figures():
    r = spaq("--corpus", str(SEED / "002_c925b9460a6f9d51.txt"), "-e",
             "purchasers show purchaser, shares, proceeds, source", "--format", "json")
    assert json.loads(r.stdout) == [{"purchaser": "IAT ReInsurance Syndicate Ltd.", "shares": 1250000,
                                     "proceeds": 5000000.0, "source": "report"}]


def test_queries_from_stdin_exit_2_when_one_failed():
    r = spaq(stdin="count agreements\ncount nonsense\ncount filings\n")
    assert r.returncode == 2
    assert r.stdout == "4\n5\n"
    assert "nonsense" in r.stderr


def test_queries_from_file(tmp_path):
    q = tmp_path / "q.spaq"
    q.write_text("-- a comment\ncount agreements\n\ncount companies\n")
    r = spaq("-f", str(q))
    assert (r.returncode, r.stdout) == (0, "4\n1\n")


def test_strange_files_are_reported_and_skipped(tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(SEED, corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (corpus / "notes.txt").write_text("just some notes, not a filing\n")
    r = spaq("--corpus", str(corpus), "-e", "count agreements")
    assert (r.returncode, r.stdout) == (0, "4\n"), r.stderr
    assert "spaq: skipped empty.txt: empty file" in r.stderr
    assert "spaq: skipped blob.bin: binary file (NUL bytes)" in r.stderr
    r = spaq("--corpus", str(corpus), "-e", "filings where form = \"unknown\" show file", "--format", "csv")
    assert sorted(r.stdout.split()[1:]) == ["blob.bin", "empty.txt", "notes.txt"]


def test_corpus_is_never_written(tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(SEED, corpus)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in corpus.rglob("*")}
    for q in ("count agreements", "check", "show agreements neotherapeutics-20010308", "reload"):
        spaq("--corpus", str(corpus), "-e", q)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in corpus.rglob("*")}
    assert before == after


def test_show_cites_file_and_line():
    r = spaq("-e", "show agreements neotherapeutics-20010308")
    assert r.returncode == 0, r.stderr
    assert "000_c056bd73f6cecd80.txt:13" in r.stdout      # the shares line
    assert "derived" in r.stdout                          # year, coverage
