"""Helper B's shortcuts on the report and reading side give what the plain code gives.

The sale way of narrative._DEAL_STARTS guards its optional "(... words ... (" group with a
lookahead that a match of the group needs (a "(" after a run of letters, hyphens and blanks):
every place where the way is tried must match as the way without the guard does."""
from __future__ import annotations

import itertools
import random
import re

from spaq.extract import narrative as N
from spaq.extract.values import NUM

# The sale way as first written, without the guard.
PLAIN_SALE = re.compile(
    rf"(?:issued\s+and\s+sold|sold\s+and\s+issued|(?<!be\s)sold|issued|purchased|acquired)(?:\s+and\s+issued)?\s+"
    rf"(?:(?:to|from)\s+(?:(?!warrant)[^.;]){{0,100}}?\s+)?(?:an\s+aggregate\s+(?:of\s+)?)?"
    rf"(?:(?:[a-z\-]+\s+){{1,9}}\()?{NUM}\)?\s+(?:shares|units|Units)", re.I)
SALE = re.compile(next(p for words, p in N._DEAL_STARTS if "sold" in words), re.I)

VERBS = ["issued and sold ", "sold and issued ", "sold ", "be sold ", "issued ", "purchased ", "acquired ",
         "Issued And Issued ", "SOLD "]
TO = ["", "to Alpha Fund, L.P. ", "from the Investors ", "to the warrant holders ", "to X; ", "to Ann. ",
      "to one of its 3 investors, "]
AGGREGATE = ["", "an aggregate of ", "an aggregate ", "AN AGGREGATE OF "]
WORDS = ["", "one million two hundred (", "ten (", "two-hundred thousand (", "pursuant to Form S-3 (",
         "a b c d e f g h i j (", "one\ntwo (", "seven ((", "Shares (", "ſeven (", "\u212aelvin ("]
FIGURES = ["1,230,770", "800000", ".35", "1.5", "12,34", "", "one"]
AFTER = [" shares", ") shares", " Units", " units of", " warrants", "  shares.", ")shares"]


def sentences():
    for n, parts in enumerate(itertools.product(VERBS, TO, AGGREGATE, WORDS, FIGURES, AFTER)):
        if n % 3:
            continue            # (a third of them: each piece still meets every other)
        yield "On June 3, 2020, the Company " + "".join(parts)
    rng = random.Random(11)
    pieces = VERBS + TO + AGGREGATE + WORDS + FIGURES + AFTER + ["(", " ", "-", "a", "\n", ";", "."]
    for _ in range(3000):
        yield "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14)))


def test_the_guarded_sale_way_matches_as_the_plain_one():
    assert SALE.pattern != PLAIN_SALE.pattern
    tried = 0
    for text in sentences():
        # (the way opens with one of its words: elsewhere both fail at once)
        low = text.lower()
        for i in sorted({0} | {m.start() for m in re.finditer("issued|sold|purchased|acquired", low)}):
            for end in (len(text), max(i, len(text) - 7)):
                plain, fast = PLAIN_SALE.match(text, i, end), SALE.match(text, i, end)
                assert (plain and plain.span()) == (fast and fast.span()), (text, i, end)
                tried += plain is not None
    assert tried > 1000
