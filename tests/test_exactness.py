"""Exactness: money adds up to the cent, and the same query prints the same bytes every run.

Aggregates add numbers as Decimal (spaq.aggregates), reading each value as
it is written (`Decimal(str(0.1))` is 0.1, not the binary near-miss), so a
sum over 100,000 rows of $0.10 and $0.01 is exact where a float sum drifts.
Results are handed out as float; every sum of cents below $90 trillion is
the float nearest the exact total, so it prints to the cent.

Determinism: fresh processes with different hash seeds, without and with the
extraction cache (cold, then warm), print every query byte for byte alike,
group-by over text keys that tie included.
"""
from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from spaq.index import Index
from spaq.model import Table
from spaq.render import render

ROOT = Path(__file__).resolve().parent.parent
ROWS = 100_000


def _cents(rng: random.Random) -> float:
    """Money as filings write it: mostly dimes and cents, some odd amounts."""
    return rng.choice([0.10, 0.01, 0.07, 0.29, 0.35, 1234.56, 0.2325, 999_999.99, 4_999_999.97])


@pytest.fixture(scope="module")
def many():
    rng = random.Random(7)
    table = Table("purchasers")
    for i in range(ROWS):
        price = _cents(rng)
        table.add(dict(id=f"p{i}", purchaser=f"Fund {i % 97}", year=2000 + i % 3, price=price,
                       proceeds=[0.10, 0.01][i % 2], shares=i))
    return Index({"purchasers": table})


def _exact(values) -> Decimal:
    return sum((Decimal(str(v)) for v in values), Decimal(0))


def test_the_float_sum_drifts_so_the_test_means_something(many):
    proceeds = [r["proceeds"] for r in many.table("purchasers").rows]
    assert _exact(proceeds) == Decimal("5500.00")
    assert sum(proceeds) != 5500.0                     # about 5500.000000002


def test_a_sum_over_100k_rows_is_exact_to_the_cent(many):
    assert many.query("sum proceeds").value == 5500.0
    assert render(many.query("sum proceeds")) == "$5,500"
    prices = [r["price"] for r in many.table("purchasers").rows]
    exact = _exact(prices)
    total = many.query("sum price").value
    assert total == float(exact) and sum(prices) != float(exact)
    assert Decimal(repr(total)) == exact                # the float prints as the exact total
    assert render(many.query("sum price"), "csv") == f"sum(price)\n{exact.normalize():f}"


def test_sums_by_group_are_exact(many):
    rows = many.table("purchasers").rows
    result = many.query("sum price, sum proceeds by year")
    for year, price, proceeds in result.rows:
        group = [r for r in rows if r["year"] == year]
        assert Decimal(repr(price)) == _exact(r["price"] for r in group)
        assert Decimal(repr(proceeds)) == _exact(r["proceeds"] for r in group)


def test_avg_and_median_are_computed_in_decimal(many):
    prices = [r["price"] for r in many.table("purchasers").rows]
    exact = [Decimal(str(v)) for v in prices]
    assert many.query("avg price").value == float(sum(exact) / len(exact))
    assert many.query("median price").value == float(statistics.median(exact))
    assert many.query("avg proceeds").value == 0.055


def test_decimal_values_in_the_index_stay_exact():
    table = Table("purchasers")
    for i in range(1_000):
        table.add(dict(id=f"d{i}", purchaser="Fund", year=2002, price=Decimal("0.2325"),
                       proceeds=Decimal("0.01") if i % 2 else Decimal("1234567.89")))
    index = Index({"purchasers": table})
    assert Decimal(repr(index.query("sum proceeds").value)) == Decimal("617283950.00")
    assert render(index.query("sum proceeds")) == "$617,283,950"
    assert render(index.query("sum price")) == "$232.50"
    assert render(index.query("avg price")) == "$0.2325"


# --- the same bytes every run --------------------------------------------------------------

QUERIES = [
    "purchasers", "agreements", "filings", "companies", "count purchasers by year",
    "sum proceeds by year", "sum proceeds, count by company", "purchasers order by price",
    "purchasers order by proceeds desc limit 2", "agreements order by template, date desc",
    "count filings by form", "count purchasers by company", "max price by company",
    "fields purchasers", "explain sum proceeds by year", "check",
]

# Text keys that tie: the same group spelt four ways, names equal but for case.
TIES = [
    ("t1", "Alpha Fund, L.P.", "Acme", 1.0, 100.0), ("t2", "beta fund", "acme", 1.0, 100.0),
    ("t3", "ALPHA FUND LP", "ACME", 2.0, 50.0), ("t4", "Beta Fund", "Zeta", 1.0, 100.0),
    ("t5", "alpha fund l.p.", "zeta", 2.0, 50.0), ("t6", "Gamma", "Acme", None, None),
    ("t7", "gamma", "Zeta", 1.0, 100.0), ("t8", "Beta  Fund", "acme", 2.0, 50.0),
]
TIE_QUERIES = [
    "count by purchaser", "sum proceeds by purchaser", "count by company",
    "sum proceeds by purchaser order by sum(proceeds) desc", "count by purchaser order by count desc",
    "purchasers order by price", "purchasers order by price desc, purchaser",
    "purchasers order by purchaser", "max purchaser by company", "count by price",
    "purchasers where purchaser = 'alpha fund lp' order by price desc",
]

SCRIPT = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import spaq
from spaq.index import Index
from spaq.model import Table
from spaq.render import render
cache = sys.argv[1] == "cache"
ix = spaq.load(cache=cache)
for q in {QUERIES!r}:
    for fmt in ("table", "csv", "json"):
        print(q, fmt)
        print(render(ix.query(q), fmt))
table = Table("purchasers")
for id_, name, company, price, proceeds in {TIES!r}:
    table.add(dict(id=id_, purchaser=name, company=company, price=price, proceeds=proceeds, year=2002))
ties = Index({{"purchasers": table}})
for q in {TIE_QUERIES!r}:
    print(q)
    print(render(ties.query(q), "csv"))
"""


def _run(seed: str, cache: str, cache_dir: Path) -> bytes:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PYTHONHASHSEED=seed, SPAQ_CACHE_DIR=str(cache_dir), NO_COLOR="1")
    r = subprocess.run([sys.executable, "-c", SCRIPT, cache], capture_output=True, env=env,
                       cwd="/", timeout=300)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    return r.stdout


def test_same_queries_print_the_same_bytes_in_fresh_processes(tmp_path):
    runs = [_run("1", "no-cache", tmp_path), _run("2", "cache", tmp_path),   # cold: writes the cache
            _run("3", "cache", tmp_path), _run("random", "cache", tmp_path)]  # warm: reads it
    assert len(runs[0]) > 1_000
    for other in runs[1:]:
        assert other == runs[0]


def test_ties_keep_the_order_of_the_rows(tmp_path):
    """Groups that tie on a sort key keep first-seen order; a group shows its first spelling."""
    out = _run("0", "no-cache", tmp_path).decode()
    block = out.split("count by purchaser\n", 1)[1].split("\n\n")[0].split("\n")
    assert block[:4] == ["purchaser,count", "\"Alpha Fund, L.P.\",3", "beta fund,3", "Gamma,2"]
