"""The columnar evaluator (spaq.evaluate: column scans, hash lookups, cached
orders, integer sums) gives exactly what the row-at-a-time one gives
(tests/plain_evaluate.py, spaq's evaluator before columns) on random rows
with nulls, Decimals, sub-cent floats, look-alike names and ties."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

import plain_evaluate
from spaq import engine
from spaq.evaluate import compile_plan
from spaq.index import Index
from spaq.model import Table
from spaq.session import Session

NAMES = ["Omicron Partners LP", "Omicron Partners, L.P.", "omicron partners lp", "Harbor Fund",
         "HARBOR FUND, LTD.", "Alpha Capital", "Sea\0Harbor", "har\0bor", "Zeta Harbor Co.", "Émile Investments", "", None]
COMPANIES = ["Acme Corp", "acme corp.", "Beta Inc", "Gamma, Inc.", None]


def _money(r: random.Random):
    k = r.random()
    if k < 0.1:
        return None
    if k < 0.3:
        return Decimal(r.choice(["0.35", "1.00", "0.1", "0.2", "12.345", "1000"]))
    if k < 0.4:
        return r.choice([0.1, 0.2, 0.3, 1.0, 0.0125, 1e-7])
    return round(r.uniform(0, 3), r.choice((2, 2, 4)))


def purchaser_rows(n: int, seed: int) -> list[dict]:
    r = random.Random(seed)
    rows = []
    for i in range(n):
        date = dt.date(r.choice((2001, 2002, 2003)), r.randint(1, 12), r.randint(1, 28))
        shares = r.choice([None, 1000, 2000, 2000, 50_000, r.randint(1, 10**6)])
        rows.append({
            "id": f"d{i // 3}-p{i % 3}", "purchaser": r.choice(NAMES), "agreement": f"d{i // 3}",
            "company": r.choice(COMPANIES), "date": None if r.random() < 0.05 else date,
            "year": None if r.random() < 0.05 else date.year, "shares": shares,
            "price": _money(r), "proceeds": _money(r) if r.random() < 0.5 else r.choice([None, 1000.5, 2e6]),
            "warrant_shares": r.choice([None, 100, 500]), "warrant_price": _money(r),
            "coverage": r.choice([None, 0.2, 0.25, 0.123456, 1 / 3]),
            "source": r.choice(["body", "schedule"]), "file": f"{date.year}/x{i}.txt"})
    return rows


QUERIES = [
    "purchasers",
    "purchasers where price < 1.00 and year = 2002",
    "purchasers where price <= 1 or year = 2001",
    "purchasers where not (price > 1 and year = 2003)",
    "purchasers where not price = 1",
    "purchasers where price != 0.35",
    "purchasers where price = 0.35",
    "purchasers where price = 0.1 or proceeds = 0.3",
    "purchasers where shares = 2000 and price is not null",
    "purchasers where year = 2002 and shares >= 2000",
    "purchasers where purchaser = \"omicron partners l.p.\"",
    "purchasers where purchaser != \"harbor fund\"",
    "purchasers where purchaser contains \"harbor\"",
    "purchasers where not purchaser contains \"HARBOR\"",
    "purchasers where purchaser contains \"\"",
    "purchasers where purchaser > \"h\"",
    "purchasers where company in (\"acme corp\", \"beta inc\")",
    "purchasers where date = 2002",
    "purchasers where date < 2002-06-01",
    "purchasers where date between 2001-06-01 and 2002-06-01",
    "purchasers where price between 0.2 and 1",
    "purchasers where price not between 0.2 and 1",
    "purchasers where price < warrant_price",
    "purchasers where purchaser matches \"^omi\"",
    "purchasers where year in (2001, 2003)",
    "purchasers where coverage > 0.2",
    "purchasers order by proceeds desc limit 10",
    "purchasers order by proceeds",
    "purchasers order by purchaser, price desc",
    "purchasers where year = 2001 order by price desc limit 5",
    "purchasers where price < 1 order by date limit 7",
    "purchasers order by coverage desc, id limit 20",
    "purchasers limit 3",
    "purchasers show purchaser, coverage, shares, date",
    "count purchasers",
    "count purchasers by year",
    "sum proceeds by year",
    "sum price, avg price, min price, max price, median price by company",
    "sum shares, avg shares by purchaser",
    "sum coverage, avg coverage by source",
    "avg proceeds by year, source",
    "sum proceeds where year = 2002",
    "sum proceeds by year order by sum(proceeds) desc",
    "count purchasers by purchaser order by count desc",
    "min date, max date by year",
    "max purchaser by company",
    "count purchasers where purchaser contains \"x\" by year",
]

FOLLOW_UPS = [
    ("purchasers order by price desc limit 20", "sum proceeds of them"),
    ("purchasers order by price desc limit 20", "them where year = 2002"),
    ("purchasers order by price limit 30", "them order by proceeds desc limit 5"),
    ("purchasers where price < 1.00", "and year = 2002"),
    ("purchasers where price < 1.00", "or purchaser contains \"omicron\""),
    ("purchasers where year = 2001", "by company"),
]


def _index(seed: int, n: int = 400) -> Index:
    rows = purchaser_rows(n, seed)
    return Index({"purchasers": Table("purchasers", rows, [{} for _ in rows])})


def _both(index: Index, plan):
    fast, plain = compile_plan(plan)(index), plain_evaluate.compile_plan(plan)(index)
    return fast, plain


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("query", QUERIES)
def test_columns_match_rows(seed, query):
    index = _index(seed)
    plan = engine.prepare(query)
    for _ in range(2):      # the second run reads the kept columns
        fast, plain = _both(index, plan)
        assert fast.columns == plain.columns
        assert fast.rows == plain.rows, query
        assert [tuple(map(type, r)) for r in fast.rows] == [tuple(map(type, r)) for r in plain.rows]
        assert fast.notes == plain.notes


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("first, then", FOLLOW_UPS)
def test_follow_ups_match(seed, first, then):
    index = _index(seed)
    session = Session(index)
    session.run(first)
    plan = engine.prepare(then, session.plan)
    fast, plain = _both(index, plan)
    assert (fast.rows, fast.notes) == (plain.rows, plain.notes)


def test_columns_follow_the_rows():
    """Rows added, or a table replaced (a reload), are seen: kept columns are remade."""
    index = _index(1, 50)
    table = index.table("purchasers")
    before = index.query("count purchasers where year = 2002").value
    table.add(dict(purchasers_row := purchaser_rows(1, 9)[0], year=2002))
    assert index.query("count purchasers where year = 2002").value == before + 1
    fresh = _index(2, 60)
    index.tables = fresh.tables
    assert index.query("count purchasers where year = 2002").value == \
        sum(1 for r in fresh.table("purchasers").rows if r["year"] == 2002)
    assert purchasers_row


def test_results_hand_out_their_own_values():
    """Numbers are handed out from a column converted once and kept (float for money,
    int for counts, whatever the index stored); lists are copies, so a caller that
    changes one does not change the index or the next answer."""
    rows = [{"id": "a", "filings": ["f1", "f2"], "price": Decimal("0.35"), "shares": 1000.0},
            {"id": "b", "filings": None, "price": None, "shares": True},
            {"id": "c", "filings": ["f3"], "price": 1.5, "shares": 7}]
    index = Index({"agreements": Table("agreements", rows, [{} for _ in rows])})
    for _ in range(2):
        result = index.query("agreements show id, filings, price, shares")
        assert result.rows == [("a", ["f1", "f2"], 0.35, 1000), ("b", None, None, 1), ("c", ["f3"], 1.5, 7)]
        assert [tuple(map(type, r))[2:] for r in result.rows] == [(float, int), (type(None), int), (float, int)]
        result.rows[0][1].append("changed")
    assert rows[0]["filings"] == ["f1", "f2"]
