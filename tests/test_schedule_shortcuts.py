"""The schedule reader's shortcuts give what its plain reading gives: a flattened table is
not looked for in a document with too few "|" to hold one, and a schedule's lines are
numbered as the table reader takes them instead of all at once."""
from __future__ import annotations

import itertools
import random
from pathlib import Path

from spaq import corpus
from spaq.corpus import Document
from spaq.extract import schedule as S
from spaq.extract.terms import Bag

ROOT = Path(__file__).parent / "data"


def plain_pairs(doc: Document) -> Bag | None:
    """read_flat_table_pairs as first written: every line looked at."""
    lines = list(doc.numbered())
    if sum(1 for _, l in lines if l.strip().startswith("|")) < 6:
        return None
    cells = S._pipe_cells(lines)
    bag = Bag()
    for (n, label), (m, value) in zip(cells, cells[1:]):
        fig = S._CELL_FIGURE.match(value)
        if not fig or not fig.group(1):
            continue
        for name, rx in S._PAIR_LABELS:
            if rx.match(label) and not bag.has(name):
                parse = S.parse_money if name in ("price", "proceeds", "warrant_price") else S.parse_shares
                bag.put(name, parse(fig.group(1)), S.Source(doc.file, m, f"{label}: {value}"))
    return bag if len(bag.values) >= 2 else None


def plain_schedule(doc: Document):
    lines = doc.lines
    for i in S._heading_candidates(lines):
        if S._HEADING.match(S._blank_tags(lines[i])):
            rows, total = S._read_table(doc.file, [(doc.first_line + j, lines[j])
                                                   for j in range(i + 1, min(i + 400, len(lines)))])
            if rows:
                return rows, total
    return [], None


def made_up(name: str, pieces: list[str], count: int, longest: int, seed: int):
    """`count` documents of up to `longest` lines, each line one of `pieces` picked at random."""
    rng = random.Random(seed)
    for k in range(count):
        lines = [rng.choice(pieces) for _ in range(rng.randrange(0, longest))]
        yield Document(f"{name}-{k}", lines, first_line=rng.randrange(1, 50))


def documents():
    for path in sorted(ROOT.rglob("*")):
        if path.is_file() and path.suffix != ".json":
            yield from corpus.read_documents(path, path.name)[0]
    pieces = ["|Shares of common stock issued", "|1,600,000", "|Purchase price per share", "|$", "|2.50",
              "|Gross proceeds", "|4,000,000", "a | b", "||", "prose", "", "  |Total", "SCHEDULE A",
              "Purchaser    Shares    Purchase Price", "Alder Fund    1,000    $ 2,500", "Total    1,000    $ 2,500"]
    yield from made_up("made-up", pieces, 800, 14, seed=5)


def _key(bag):
    return None if bag is None else (bag.values, bag.sources)


def test_flat_table_pairs_and_schedules_are_read_as_plainly():
    for doc in documents():
        assert _key(S.read_flat_table_pairs(doc)) == _key(plain_pairs(doc)), doc.file
        rows, total = S.read_schedule(doc)
        plain_rows, plain_total = plain_schedule(doc)
        assert [_key(r) for r in rows] == [_key(r) for r in plain_rows] and _key(total) == _key(plain_total)
