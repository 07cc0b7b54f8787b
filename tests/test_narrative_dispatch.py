"""deal_start tries, at each deal word, only the ways of DEAL_START that open with it, and passes
over "agreement" and "purchaser": it must find the span DEAL_START.search finds."""
from __future__ import annotations

import random
from pathlib import Path

from spaq import corpus
from spaq.extract import narrative as N
from spaq.extract.terms import sentences
from spaq.extract.text import flow_lines


def test_one_word_stands_at_a_place():
    assert set(N._DEAL_START_AT) == {w[0] for w in N.DEAL_START_WORDS}
    assert not any(a != b and a.startswith(b) for a in N.DEAL_START_WORDS for b in N.DEAL_START_WORDS)


def test_deal_start_finds_what_the_pattern_finds():
    rng = random.Random(5)
    pieces = ["The Company ", "entered into a Securities Purchase Agreement", " sold ", "issued and sold 1,000 shares",
              " agreed to sell", " agreement", " Agreements", " AGREEMENT ", " shall purchase", " Purchaser ",
              " purchasers", "Purchase Agreement dated ", " purchased 5 shares", " purchases", "agree to buy",
              "İSSUED AND SOLD 2,000 SHARES", "ſold 5 shares", ". ", "\n", "WILL BUY", "Hereby subscribes",
              " desires to sell", " wishes to sell", "closed an offering", " acquired 7 units", " agree"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 15))) for _ in range(2000)]
    root = Path(__file__).parent / "data"
    texts += ["\n".join(d.lines) for p in sorted(root.rglob("*.txt")) for d in corpus.read_documents(p, p.name)[0]]
    found = 0
    for text in texts:
        lines = text.split("\n")
        f = flow_lines("x", range(1, len(lines) + 1), lines)
        spans = [(0, len(f.text))] + list(sentences(f.text, 0, len(f.text)))
        for s, e in spans:
            m, plain = N.deal_start(f, s, e), N.DEAL_START.search(f.text, s, e)
            assert (m and m.span()) == (plain and plain.span()), f.text[s:e]
            found += plain is not None
    assert found > 500


def test_cuts_from_the_end_are_the_cuts_of_the_whole_window():
    from tests.test_narrative_shortcuts import windows
    rng = random.Random(9)
    bits = ["On March 8, 2001, ", "Acme Corp. ", "(the \"Company\"), and ", "between ", "BCD Ltd. ", ": ", "with ",
            "as of 3/8/2001, ", "Land and Sea LLC, ", "a Delaware corporation ", "Dec. 5, 2020, ", "Q ", "\n", "  "]
    texts = list(windows()) + ["".join(rng.choice(bits) for _ in range(rng.randrange(1, 30))) for _ in range(3000)]
    for text in texts:
        plain = [m.end() for m in N._BOUNDARY.finditer(text)][::-1] + [0]
        assert list(N._cuts(text)) == plain, text
        assert not any(c in N._NO_BOUNDARY for m in N._BOUNDARY.finditer(text) for c in m.group(0)), text


def test_a_name_without_undersigned_or_a_digit_is_no_not_a_name_match():
    rng = random.Random(3)
    bits = ["Acme ", "undersigned", "Undersigned ", "123", "4567 ", "Main St. ", "٣٤٥", "Suite 100, ", "x", " ", "-"]
    for _ in range(5000):
        text = "".join(rng.choice(bits) for _ in range(rng.randrange(1, 8)))
        gated = ("undersigned" in text or N._DIGIT.search(text)) and N._NOT_A_NAME.search(text)
        assert bool(gated) == bool(N._NOT_A_NAME.search(text)), text
