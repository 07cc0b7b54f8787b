"""Score extraction against hand-checked filings: precision and recall.

    python benchmarks/score_extraction.py [TRUTH.json] [--verbose]

TRUTH.json (default: tests/data/corpus-dev/truth.json, the format of
shared/corpus-dev) lists per file the allocations a reader found: purchaser,
shares, price_per_share, aggregate_price, warrant_shares,
warrant_exercise_price. Each file is indexed alone. Every agreement and
purchaser row spaq makes from it is a candidate; each labelled allocation
is paired with the candidate agreeing with it on most fields, and:

- precision = of the values spaq gives (non-null fields of the paired rows,
  plus every value of rows that pair with no allocation), how many are right;
- recall    = of the labelled values (non-null in the truth), how many spaq gives.

The truth labels only what the text states ("nothing is computed"), so values
spaq derives (proceeds = shares × price, sums of schedule rows) are counted
apart: they are printed as "derived", with how many the truth leaves null.
The company and the agreement date are scored the same way on the side.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import spaq  # noqa: E402
from spaq.extract.values import name_key  # noqa: E402

FIELDS = {"purchaser": "purchaser", "shares": "shares", "price_per_share": "price",
          "aggregate_price": "proceeds", "warrant_shares": "warrant_shares",
          "warrant_exercise_price": "warrant_price"}


def same(truth, value) -> bool:
    if truth is None or value is None:
        return truth is None and value is None
    if isinstance(truth, str):
        return name_key(truth) == name_key(str(value))
    return abs(float(truth) - float(value)) <= 1e-6 * max(1.0, abs(float(truth)))


def candidates(ix, file: str) -> list[dict]:
    """Every agreement and purchaser row, with derived values moved under `_derived`."""
    rows = []
    for entity in ("agreements", "purchasers"):
        table = ix.tables[entity]
        for row, sources in zip(table.rows, table.sources):
            derived = {k: row[k] for k, s in sources.items() if s.derived and k in FIELDS.values()}
            rows.append({**{k: v for k, v in row.items() if k not in derived}, "_entity": entity,
                         "_derived": derived})
    return rows


def agreement(alloc: dict, row: dict) -> int:
    return sum(same(alloc[t], row.get(s)) and alloc[t] is not None for t, s in FIELDS.items())


def score(truth_path: Path, verbose: bool = False):
    truth = json.loads(truth_path.read_text())
    docs = truth_path.parent
    given = right = labelled = found = derived = derived_null = 0
    side = {"given": 0, "right": 0, "labelled": 0, "found": 0}
    lines = []
    for entry in truth:
        ix = spaq.load(docs / entry["file"])
        rows = candidates(ix, entry["file"])
        used: set[int] = set()
        for alloc in entry["allocations"]:
            best = max(range(len(rows)), key=lambda i: (agreement(alloc, rows[i]) if i not in used else -1,
                                                         rows[i]["_entity"] == "agreements"), default=None)
            row = rows[best] if best is not None and best not in used else {}
            if best is not None:
                used.add(best)
                # A deal's own purchaser rows restate it: they are not extra claims.
                used.update(i for i, r in enumerate(rows) if r.get("agreement") == row.get("id")
                            and r["_entity"] == "purchasers" and len(entry["allocations"]) == 1)
            for t, s in FIELDS.items():
                if s in row.get("_derived", {}):
                    derived += 1
                    derived_null += alloc[t] is None
                tv, sv = alloc[t], row.get(s)
                if tv is not None:
                    labelled += 1
                    found += same(tv, sv)
                if sv is not None:
                    given += 1
                    right += same(tv, sv)
                if not same(tv, sv):
                    kind = "MISS " if sv is None else "WRONG"
                    lines.append(f"{kind} {entry['file']}: {t} = {sv!r}, truth {tv!r}")
        for i, row in enumerate(rows):
            # A deal's purchaser rows restate a paired deal; a deal's own row sums paired purchaser rows.
            if i in used or row["_entity"] == "purchasers" and any(
                    rows[j].get("id") == row.get("agreement") for j in used) or \
                    row["_entity"] == "agreements" and any(rows[j].get("agreement") == row.get("id") for j in used):
                continue
            extra = [s for s in FIELDS.values() if row.get(s) is not None]
            given += len(extra)
            if extra:
                lines.append(f"EXTRA {entry['file']}: {row['_entity']} {row.get('id')}: "
                             + ", ".join(f"{s}={row[s]!r}" for s in extra))
        deal = next((r for r in rows if r["_entity"] == "agreements"), {})
        for t, s in (("company", "company"), ("agreement_date", "date")):
            tv, sv = entry.get(t), deal.get(s)
            if isinstance(sv, dt.date):
                sv = sv.isoformat()
            ok = (tv == sv) if t == "agreement_date" else same(tv, sv)
            side["labelled"] += tv is not None
            side["found"] += tv is not None and ok
            side["given"] += sv is not None
            side["right"] += sv is not None and ok
            if not ok:
                lines.append(f"{'MISS ' if sv is None else 'WRONG'} {entry['file']}: {t} = {sv!r}, truth {tv!r}")
    side["derived"], side["derived_null"] = derived, derived_null
    return given, right, labelled, found, side, lines


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv or "-v" in argv
    paths = [a for a in argv if not a.startswith("-")]
    truth_path = Path(paths[0]) if paths else HERE.parent / "tests" / "data" / "corpus-dev" / "truth.json"
    given, right, labelled, found, side, lines = score(truth_path, verbose)
    if verbose:
        print("\n".join(lines))
    print(f"allocations: precision {right}/{given} = {right / max(given, 1):.1%}   "
          f"recall {found}/{labelled} = {found / max(labelled, 1):.1%}")
    print(f"derived values (not scored): {side['derived']}, of which the truth leaves null: {side['derived_null']}")
    print(f"company+date: precision {side['right']}/{side['given']} = {side['right'] / max(side['given'], 1):.1%}   "
          f"recall {side['found']}/{side['labelled']} = {side['found'] / max(side['labelled'], 1):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
