"""Each query shape, timed in spaq and in sqlite3 `:memory:` over the same rows.

    python benchmarks/query_speed.py [--rows 100000] [--repeat 7]

The rows are purchaser rows as spaq's index holds them (plain dicts, dates
as datetime.date, a few values missing), made from the deals of the
synthetic corpus generator without writing or extracting any file, so the
query engine is timed alone. sqlite3 gets the same rows in a table with no
index (dates as ISO text), in the same process; both sides hand back Python
tuples (sqlite's `fetchall`, spaq's `Result.rows`) and both have their
statements prepared already (spaq caches parsed and compiled queries, the
sqlite3 module caches statements). Each shape runs `repeat` times; the
best time counts, as with `timeit`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from spaq.index import Index  # noqa: E402
from spaq.model import Table  # noqa: E402
from spaq.schema import ENTITIES  # noqa: E402

COLUMNS = [f.name for f in ENTITIES["purchasers"].fields]

# (shape, spaq query or (first line, follow-up), the same in SQL)
SHAPES = [
    ("filter", "purchasers where price < 1.00 and year = 2010",
     "SELECT {cols} FROM purchasers WHERE price < 1.00 AND year = 2010"),
    ("text contains", 'purchasers where purchaser contains "harbor"',
     "SELECT {cols} FROM purchasers WHERE purchaser LIKE '%harbor%'"),
    ("group-by aggregate", "sum proceeds by year",
     "SELECT year, sum(proceeds) FROM purchasers GROUP BY year ORDER BY year"),
    ("order + limit", "purchasers order by proceeds desc limit 10",
     "SELECT {cols} FROM purchasers ORDER BY proceeds IS NULL, proceeds DESC LIMIT 10"),
    ("follow-up", ("purchasers where price < 1.00", "and year = 2010"),
     "SELECT {cols} FROM purchasers WHERE price < 1.00 AND year = 2010"),
]


def purchaser_rows(n: int, seed: int = 1) -> list[dict]:
    """About `n` purchaser rows from the generator's deals (no files)."""
    import generate
    g = generate.Generator(0, seed)
    r = random.Random(seed)
    rows: list[dict] = []
    while len(rows) < n:
        deal, company = g._deal(agreement=True, max_purchasers=r.choice((1, 1, 1, 4)))
        date = dt.date.fromisoformat(deal.date)
        agreement = f"{company.name.split()[0].lower()}-{date:%Y%m%d}"
        for k, p in enumerate(deal.purchasers, 1):
            price = deal.price if r.random() > 0.02 else None
            proceeds = p.proceeds if r.random() > 0.03 else None
            rows.append({
                "id": f"{agreement}-p{k}", "purchaser": p.name, "agreement": agreement, "company": company.name,
                "date": date, "year": date.year, "shares": p.shares, "price": price, "proceeds": proceeds,
                "warrant_shares": p.warrant_shares, "warrant_price": deal.warrant_price,
                "coverage": round(p.warrant_shares / p.shares, 6) if p.warrant_shares is not None else None,
                "source": "schedule" if len(deal.purchasers) > 1 else "body",
                "file": f"{date.year}/{agreement}.txt"})
    return rows[:n]


def as_index(rows: list[dict]) -> Index:
    return Index({"purchasers": Table("purchasers", rows, [{} for _ in rows])})


def as_sqlite(rows: list[dict]) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    types = {"date": "TEXT", "year": "INTEGER", "shares": "INTEGER", "warrant_shares": "INTEGER",
             "price": "REAL", "proceeds": "REAL", "warrant_price": "REAL", "coverage": "REAL"}
    columns = ", ".join(f"{c} {types.get(c, 'TEXT')}" for c in COLUMNS)
    con.execute(f"CREATE TABLE purchasers ({columns})")
    con.executemany(f"INSERT INTO purchasers VALUES ({', '.join('?' for _ in COLUMNS)})",
                    [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in (row[c] for c in COLUMNS))
                     for row in rows])
    con.commit()
    return con


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def measure(index: Index, con: sqlite3.Connection, repeat: int = 7) -> list[dict]:
    """[{shape, query, spaq, sqlite, ratio, rows}] — seconds, best of `repeat`."""
    from spaq.session import Session
    out = []
    for shape, query, sql in SHAPES:
        if isinstance(query, tuple):
            session = Session(index)
            session.run(query[0])
            plan = session.plan

            def run_spaq(session=session, plan=plan, line=query[1]):
                session.plan = plan
                return session.run(line)
            text = " / ".join(query)
        else:
            def run_spaq(q=query):
                return index.query(q)
            text = query
        result = run_spaq()
        statement = sql.format(cols=", ".join(result.columns))
        got = con.execute(statement).fetchall()
        if len(got) != len(result.rows):
            raise AssertionError(f"{shape}: spaq {len(result.rows)} rows, sqlite {len(got)}: {statement}")
        t_spaq = best(run_spaq, repeat)
        t_sql = best(lambda: con.execute(statement).fetchall(), repeat)
        out.append({"shape": shape, "query": text, "sql": statement, "spaq": t_spaq, "sqlite": t_sql,
                    "ratio": t_spaq / t_sql, "rows": len(got)})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)
    rows = purchaser_rows(args.rows)
    index, con = as_index(rows), as_sqlite(rows)
    print(f"{len(rows):,} purchaser rows")
    print(f"{'shape':<20}{'spaq ms':>10}{'sqlite ms':>11}{'ratio':>8}{'rows':>8}  query")
    for m in measure(index, con, args.repeat):
        print(f"{m['shape']:<20}{m['spaq'] * 1e3:>10.1f}{m['sqlite'] * 1e3:>11.1f}{m['ratio']:>7.2f}x"
              f"{m['rows']:>8,}  {m['query']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
