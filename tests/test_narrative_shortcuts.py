"""The shortcuts of narrative.py give what the plain reading gives: party_before reads its
window from each cut instead of slicing it there, _BOUNDARY tries its alternatives in
another order, aliases skips what cannot be a short name's full name."""
from __future__ import annotations

import itertools
import random
import re

from spaq.extract import narrative as N
from spaq.extract.values import DATE, clean_name

# _BOUNDARY as first written, its alternatives in reading order.
PLAIN_BOUNDARY = re.compile(rf"(?=[bawfuOoAJFMSND\d.):])(?:"
                            rf"\b(?:between|among|with|by|from)\s+|\b(?:On|on|As\s+of)\s+{DATE},?\s+|{DATE},\s+"
                            r"|\.(?<!Inc\.)(?<!Ltd\.)(?<!Co\.)(?<!Corp\.)(?<!L\.P\.)(?<!\b[A-Z]\.)\s+(?=[A-Z])"
                            r"|\)\s*,?\s*(?:and\s+)?|\band\s+(?=[A-Z_])|:\s+|\bundersigned,?\s+)")

NAMES = ["Acme Holdings, Inc.", "Mistral Harbor Fund, L.P.", "the Investors", "Section 6.1", "BCD Ltd.",
         "Pelham Ridge Capital LLC", "ACME", "Xylo Bio"]
DESCRIPTORS = ["", ", a Delaware corporation", ", an exempted company", " a Cayman Islands fund",
               ", a Nevada corporation, with headquarters at 12 Main St."]
BEFORE = ["", "dated as of 8 March 2001, ", "on 2020-06-03, with ", "As of 3/8/2001, by ", "the undersigned, ",
          "xJune 3, 2020, ", "among ", "December 1, 2020, ", "Nov 2, 2019, ", "Sept. 9, 2018, ", "On Oct 1, 2021, ",
          "Feb 2, 2020, ", "Jan 5, 2020, ", "Aug 4, 2020, ", "Land and Sea Ltd. and Co. with ", "Inc. Acme", "This Agreement is made as of March 8, 2001, by and between ", "entered into an agreement with ",
          "On June 3, 2020, ", "(the \"Company\"), and ", "sold shares to ", "Note 4: ", "of ",
          "between Acme Corp. and "]


_LEADING_WORD = re.compile(r"^(?:of|from|to|with)\s+")


def plain_party_before(text: str, lo: int, role_start: int):
    """party_before as first written: each cut's text sliced off and substituted."""
    window = text[max(lo, role_start - 250):role_start]
    base = role_start - len(window)
    cuts = sorted({0} | {m.end() for m in PLAIN_BOUNDARY.finditer(window)}, reverse=True)
    fallback = None
    for cut in cuts:
        party = N._DESCRIPTOR.sub("", _LEADING_WORD.sub("", window[cut:]))
        name = clean_name(party)
        at = base + cut + (window[cut:].find(name) if name and name in window[cut:] else 0)
        if fallback is None:
            fallback = (name, at)
        if N.is_name(name):
            return name, at
    return fallback


def windows():
    for before, name, descriptor in itertools.product(BEFORE, NAMES, DESCRIPTORS):
        yield f"{before}{name}{descriptor} (the \"Purchaser\")"
    rng = random.Random(7)
    phrases = BEFORE + NAMES + DESCRIPTORS + ["with ", "of ", "to ", " and ", ", ", "with a Delaware corporation "]
    for _ in range(2000):
        yield "".join(rng.choice(phrases) for _ in range(rng.randrange(1, 12))) + " (the \"Buyer\")"


def test_boundaries_are_found_as_the_plain_pattern_finds_them():
    for text in windows():
        assert [m.span() for m in N._BOUNDARY.finditer(text)] == [m.span() for m in PLAIN_BOUNDARY.finditer(text)]


def test_party_before_reads_each_cut_as_the_slice_did():
    for text in windows():
        role = text.rindex("(")
        # From each word on: a window may open with a leading word, a name or a descriptor.
        for lo in [0] + [i + 1 for i, c in enumerate(text[:role]) if c == " "]:
            assert N.party_before(text, lo, role) == plain_party_before(text, lo, role), (text, lo)


def test_aliases_keeps_a_short_name_its_full_name_starts_with():
    text = ('Mistral Harbor Fund, L.P. ("Mistral Fund") and Acme Holdings, Inc. (the "Company") signed '
            'a Securities Purchase Agreement (the "Purchase Agreement").')
    assert N.aliases(text) == {"Mistral Fund": "Mistral Harbor Fund, L.P."}


def _plain_sells(text: str, start: int, end: int) -> bool:
    """sells as the patterns say it, with no gate before them."""
    return N.DEAL_START.search(text, start, end) is not None and N.NOT_A_SALE.search(text, start, end) is None


def test_sells_answers_as_its_patterns_do():
    from pathlib import Path

    from spaq import corpus
    from spaq.extract.terms import sentences
    from spaq.extract.text import flow_lines
    root = Path(__file__).parent / "data"
    rng = random.Random(11)
    pieces = ["The Company ", "entered into a Securities Purchase Agreement", " sold ", "issued and sold 1,000 shares",
              " agreed to sell", " agreement", " shall purchase", "Purchase Agreement dated ", "in exchange for",
              " upon the exercise of", "İSSUED AND SOLD 2,000 SHARES", "ſold 5 shares", ". ", "\n", "WILL BUY",
              "Hereby subscribes", " desires to sell from time to time", " consultants", "closed an offering"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 15))) for _ in range(1500)]
    texts += ["\n".join(d.lines) for p in sorted(root.rglob("*.txt")) for d in corpus.read_documents(p, p.name)[0]]
    checked = 0
    for text in texts:
        lines = text.split("\n")
        f = flow_lines("x", range(1, len(lines) + 1), lines)
        for s, e in sentences(f.text, 0, len(f.text)):
            assert N.sells(f, s, e) == _plain_sells(f.text, s, e), f.text[s:e]
            checked += 1
    assert checked > 2000


def test_a_sentence_without_bought_figures_has_no_allocation():
    rng = random.Random(13)
    pieces = ["Pelham Ridge", " purchased ", "1,000,000 shares", " and ", "; ", ", ", ": ", "\n", "Cardew Fund, L.P.",
              " acquired", " an aggregate of ", "500 units", " subscribed for ", " will purchase ", " bought",
              " agreed to purchase ", "the Investors", " of ", "2.5", " Shares", " at $1.00 per share"]
    hits = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 16)))
        s, e = rng.randrange(0, 5), len(text) - rng.randrange(0, 5)
        if N._BOUGHT_FIGURES.search(text, s, e) is None:
            assert N._ALLOCATION.search(text, s, e) is None, text
        hits += N._ALLOCATION.search(text, s, e) is not None
    assert hits > 10
