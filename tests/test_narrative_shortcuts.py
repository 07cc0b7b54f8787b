"""The shortcuts of narrative.py give what the plain reading gives: party_before reads its
window from each cut instead of slicing it there, aliases skips what cannot be a short
name's full name."""
from __future__ import annotations

import itertools
import random
import re

from spaq.extract import narrative as N
from spaq.extract.values import clean_name

NAMES = ["Acme Holdings, Inc.", "Mistral Harbor Fund, L.P.", "the Investors", "Section 6.1", "BCD Ltd.",
         "Pelham Ridge Capital LLC", "ACME", "Xylo Bio"]
DESCRIPTORS = ["", ", a Delaware corporation", ", an exempted company", " a Cayman Islands fund",
               ", a Nevada corporation, with headquarters at 12 Main St."]
BEFORE = ["", "This Agreement is made as of March 8, 2001, by and between ", "entered into an agreement with ",
          "On June 3, 2020, ", "(the \"Company\"), and ", "sold shares to ", "Note 4: ", "of ",
          "between Acme Corp. and "]


_LEADING_WORD = re.compile(r"^(?:of|from|to|with)\s+")


def plain_party_before(text: str, lo: int, role_start: int):
    """party_before as first written: each cut's text sliced off and substituted."""
    window = text[max(lo, role_start - 250):role_start]
    base = role_start - len(window)
    cuts = sorted({0} | {m.end() for m in N._BOUNDARY.finditer(window)}, reverse=True)
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
