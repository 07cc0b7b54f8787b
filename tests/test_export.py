"""spaq export: every entity, partitioned by year, read back by DuckDB as spaq answers."""
from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path

import pytest

import spaq
from spaq.cli import main
from spaq.export import ExportError, export

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # noqa: E402


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """The seeds and a small generated corpus: several years, schedules, reports."""
    out = tmp_path_factory.mktemp("gen") / "corpus"
    generate.generate(out, 60, seed=5)
    root = Path(__file__).resolve().parent.parent / "corpus"
    return spaq.load(root, out, cache=False)


def read_jsonl(directory: Path) -> list[dict]:
    rows = []
    for part in sorted(directory.glob("**/part-0.jsonl")):
        partition = {}
        for segment in part.relative_to(directory).parts[:-1]:
            key, _, value = segment.partition("=")
            partition[key] = None if value == "__HIVE_DEFAULT_PARTITION__" else value
        rows += [json.loads(line) | partition for line in part.read_text().splitlines()]
    return rows


def test_jsonl_holds_every_row_partitioned_by_year(index, tmp_path):
    manifest = export(index, tmp_path / "out", "jsonl")
    out = tmp_path / "out"
    assert json.loads((out / "_spaq_export.json").read_text()) == manifest
    for name, table in index.tables.items():
        rows = read_jsonl(out / name)
        assert len(rows) == len(table.rows) == manifest["entities"][name]["rows"]
        by_id = {r["id"]: r for r in rows}
        for row in table.rows:
            got = by_id[row["id"]]
            for field, value in row.items():
                if field == "year":
                    assert got["year"] == (None if value is None else str(value))
                elif hasattr(value, "isoformat"):
                    assert got[field] == value.isoformat()
                elif field in got:
                    assert got[field] == value, (name, field)
    years = {p.name for p in (out / "agreements").iterdir()}
    assert "year=2001" in years and len(years) > 3
    assert not (out / "companies" / "year=2001").exists()
    sources = read_jsonl(out / "sources")
    assert len(sources) == sum(len(s) for t in index.tables.values() for s in t.sources)
    omicron = [s for s in sources if s["entity"] == "purchasers" and s["field"] == "price"
               and s["file"] == "003_511c09f0644b0772.txt"]
    assert omicron and omicron[0]["line"] and "$0.35" in omicron[0]["text"]


def test_csv_has_a_header_and_the_same_rows(index, tmp_path):
    export(index, tmp_path / "out", "csv")
    parts = sorted((tmp_path / "out" / "purchasers").glob("*/part-0.csv"))
    rows = [r for p in parts for r in csv.DictReader(p.open(encoding="utf-8"))]
    assert len(rows) == len(index.tables["purchasers"].rows)
    assert "year" not in rows[0] and "purchaser" in rows[0]
    filings = [r for p in (tmp_path / "out" / "agreements").glob("*/part-0.csv")
               for r in csv.DictReader(p.open(encoding="utf-8"))]
    assert all(isinstance(json.loads(r["filings"]), list) for r in filings)


def test_it_will_not_write_into_the_corpus_or_over_other_files(index, tmp_path):
    root = Path(__file__).resolve().parent.parent / "corpus"
    with pytest.raises(ExportError, match="into the corpus"):
        export(index, root / "export", "jsonl")
    assert not (root / "export").exists()
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="not empty"):
        export(index, tmp_path / "busy", "jsonl")
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"
    with pytest.raises(ExportError, match="unknown export format"):
        export(index, tmp_path / "x", "xml")


def test_an_earlier_export_is_replaced(index, tmp_path):
    export(index, tmp_path / "out", "jsonl")
    export(index, tmp_path / "out", "csv")
    assert not list((tmp_path / "out").glob("**/*.jsonl"))
    assert list((tmp_path / "out").glob("**/*.csv"))
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_the_export_command(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("SPAQ_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["export", "--format", "jsonl", str(tmp_path / "out")]) == 0
    assert "4 agreements" in capfd.readouterr().err
    assert (tmp_path / "out" / "agreements" / "year=2002" / "part-0.jsonl").is_file()
    assert main(["export", str(tmp_path / "out"), "--corpus", str(Path(__file__).parent.parent / "corpus" /
                                                                   "003_511c09f0644b0772.txt")]) == 0
    assert "1 agreements" in capfd.readouterr().err
    root = Path(__file__).resolve().parent.parent / "corpus"
    assert main(["export", str(root / "inside")]) == 1
    assert "into the corpus" in capfd.readouterr().err
    # Queries are as they were: `export` is a command, not a query.
    assert main(["-e", "count agreements"]) == 0


FORMATS = ["jsonl", "csv", pytest.param("parquet", marks=pytest.mark.skipif(
    importlib.util.find_spec("pyarrow") is None, reason="pyarrow is not installed"))]


@pytest.mark.parametrize("fmt", FORMATS)
def test_duckdb_over_the_export_answers_as_spaq_does(index, tmp_path, fmt):
    duckdb = pytest.importorskip("duckdb")
    export(index, tmp_path / "out", fmt)
    con = duckdb.connect()
    reader = {"jsonl": "read_json_auto", "csv": "read_csv_auto", "parquet": "read_parquet"}[fmt]
    for name in ("agreements", "purchasers", "filings", "companies"):
        glob = f"{tmp_path}/out/{name}/*/part-0.{fmt}" if name != "companies" else \
            f"{tmp_path}/out/{name}/part-0.{fmt}"
        hive = ", hive_partitioning = true" if name != "companies" else ""
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM {reader}('{glob}'{hive})")

    def sql(q):
        return con.execute(q).fetchall()

    assert sql("SELECT count(*) FROM agreements")[0][0] == index.query("count agreements").value
    assert sql("SELECT count(*) FROM filings")[0][0] == index.query("count filings").value
    assert sql("SELECT count(*) FROM companies")[0][0] == index.query("count companies").value

    cheap = index.query("purchasers where price < 1.00 order by id show id, purchaser, proceeds").rows
    assert [tuple(r) for r in sql("SELECT id, purchaser, proceeds FROM purchasers WHERE price < 1.00 ORDER BY id")] \
        == [tuple(r) for r in cheap]

    by_year = index.query("sum proceeds by year").rows
    got = sql("SELECT year, sum(proceeds) FROM purchasers GROUP BY year ORDER BY year NULLS LAST")
    assert [(y, round(s, 2) if s is not None else None) for y, s in got] == \
        [(y, round(s, 2) if s is not None else None) for y, s in by_year]

    counts = index.query("count agreements by year").rows
    assert sql("SELECT year, count(*) FROM agreements GROUP BY year ORDER BY year NULLS LAST") == \
        [tuple(r) for r in counts]

    top = index.query("top 3 purchasers by proceeds show id").rows
    assert sql("SELECT id FROM purchasers ORDER BY proceeds DESC NULLS LAST, id LIMIT 3") == [tuple(r) for r in top]
    dates = sql("SELECT min(date), max(date) FROM agreements")[0]
    assert dates == (index.query("min date of agreements").value, index.query("max date of agreements").value)
