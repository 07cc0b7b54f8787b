"""read_cover's gates: a pattern is skipped only where it cannot match."""
from __future__ import annotations

import random

from spaq.extract import report as R


def test_the_gates_refuse_no_match():
    rng = random.Random(2)
    bits = ["New York, NY", " 10022", "-1234", "12-3456789", "July 20, 2019", "٣", "²", " ", ", ", "\n", "Suite 5"]
    for _ in range(5000):
        text = "".join(rng.choice(bits) for _ in range(rng.randrange(1, 7)))
        if not R._DIGIT.search(text):
            assert not R._DATE.search(text), text
        if "-" not in text:
            assert not R._IRS.search(text), text
        address = R.squash(text)        # (as read_cover joins the address's lines: no line break ends it)
        if not address[-1:].isdigit():
            assert R._ZIP.sub(r" \1", address) == address, address
