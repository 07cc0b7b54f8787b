"""Rendering: pure Result -> text in each format."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import make_index
from spaq.engine import run
from spaq.render import FORMATS, format_money, render
from spaq.result import Result

BY_YEAR = Result(["year", "sum(proceeds)"], [(2001, 5000000.0), (2002, 1660000.0)],
                 ["integer", "money"], ["1 row lacked proceeds"])
ROWS = Result(["purchaser", "date", "shares", "price", "items", "template"],
              [("Omicron Partners, L.P.", dt.date(2002, 6, 5), 2000000, 0.35, ["5", "7"], True),
               (None, None, None, None, None, None)],
              ["text", "date", "integer", "money", "list", "boolean"])


@pytest.mark.parametrize("value, text", [
    (5000000.0, "$5,000,000"), (0.35, "$0.35"), (0.2325, "$0.2325"), (2.5, "$2.50"),
    (1660000, "$1,660,000"), (12345.678, "$12,345.678"), (-3.0, "-$3"), (0.123456, "$0.1235"),
])
def test_money(value, text):
    assert format_money(value) == text


def test_table():
    assert render(BY_YEAR, "table") == (
        "  year    sum(proceeds)\n"
        "------  ---------------\n"
        "  2001       $5,000,000\n"
        "  2002       $1,660,000\n"
        "1 row lacked proceeds")


def test_table_formats_each_type():
    lines = render(ROWS, "table").splitlines()
    assert lines[2].split() == ["Omicron", "Partners,", "L.P.", "2002-06-05", "2,000,000", "$0.35",
                                "5,", "7", "true"]


def test_single_value_prints_alone():
    assert render(Result(["count"], [(4,)], ["integer"]), "table") == "4"


def test_empty_table_says_so():
    assert render(Result(["id"], [], ["text"]), "table").endswith("(no rows)")


def test_csv():
    assert render(BY_YEAR, "csv") == "year,sum(proceeds)\n2001,5000000\n2002,1660000"
    assert render(ROWS, "csv").splitlines()[1:] == [
        '"Omicron Partners, L.P.",2002-06-05,2000000,0.35,"5, 7",true', ",,,,,"]


def test_json():
    assert json.loads(render(BY_YEAR, "json")) == [
        {"year": 2001, "sum(proceeds)": 5000000.0}, {"year": 2002, "sum(proceeds)": 1660000.0}]
    data = json.loads(render(ROWS, "json"))
    assert data[0]["date"] == "2002-06-05" and data[0]["items"] == ["5", "7"]
    assert data[1] == {k: None for k in ROWS.columns}


def test_jsonl():
    lines = render(BY_YEAR, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(render(BY_YEAR, "json"))


def test_markdown():
    assert render(BY_YEAR, "markdown").splitlines()[:3] == [
        "|   year |   sum(proceeds) |",
        "|--------|-----------------|",
        "|   2001 |      $5,000,000 |"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_prose_renders_in_every_format(fmt):
    text = render(Result(text="hello"), fmt)
    assert "hello" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_real_results(fmt):
    index = make_index()
    for query in ("purchasers", "sum proceeds by year", "show purchasers a3.1", "check",
                  "fields", "count filings by items", "help"):
        assert render(run(index, query), fmt)


def test_unknown_format():
    with pytest.raises(ValueError):
        render(BY_YEAR, "xml")


def test_result_api():
    r = run(make_index(), "sum proceeds by year")
    assert r.columns == ["year", "sum(proceeds)"]
    assert r.rows == [(2001, 5000000.0), (2002, 1660000.0)]
    assert r.to_dicts() == [{"year": 2001, "sum(proceeds)": 5000000.0},
                            {"year": 2002, "sum(proceeds)": 1660000.0}]
    assert len(r) == 2 and list(r) == r.rows and "2 rows" in repr(r)
    assert run(make_index(), "count agreements").value == 4
    with pytest.raises(ValueError):
        r.value
    assert isinstance(run(make_index(), "max date").value, dt.date)
