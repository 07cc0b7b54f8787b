"""Extraction's fast paths find what the plain patterns they stand for find.

Each fast path (bytes kinds instead of a lookbehind pattern, literal-led patterns
instead of a class-led one, ...) is compared with the plain form on texts drawn
from the characters that decide it, so a change to either side that makes them
differ fails here rather than silently changing an extracted value."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from spaq.extract import terms as T
from spaq.extract import text as X

FAST = settings(max_examples=400, deadline=None, database=None)

# Letters, digits, "$", blanks and line breaks, and the words the patterns look for.
_PIECES = ["a", "s", "t", "h", "n", "d", "r", "Z", "A", "1", "5", "0", "$", " ", "\n", ".", ",", "-", "é", "٣",
           "st", "nd", "rd", "th", "s ", "July", "May", "June", "December", "Mayor", "on", "of"]
texts = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@FAST
@given(texts)
def test_unglue_is_the_glue_pattern(text):
    assert X.unglue(text) == X._GLUED.sub(" ", text)


# sentence_end as it was written first: one class-led pattern, its matches taken in order.
_END = re.compile(r"[.\n](?:(?<=[.])(?=\s+[A-Z(\"]|\s*$)|(?<=\n)(?=[A-Z][^\n]{0,70}\n))")


def plain_sentence_end(text: str, start: int, limit: int) -> int:
    stop = min(len(text), start + limit)
    for m in _END.finditer(text, start, stop):
        dot = m.start()
        if text[dot] == "\n":
            if T._is_heading(text, dot + 1):
                return dot
            continue
        if text[dot - 1:dot].isdigit() and text[dot + 1:dot + 2].isdigit():
            continue
        if T._ABBREV.search(text[max(0, dot - 12):dot]) and not T._LABELLED.search(text[max(0, dot - 20):dot]):
            continue
        return dot + 1
    return stop


_PROSE = ["The ", "shares", ". ", ".", "\n", "Inc. ", "No. 5", "3.5", "Exhibit A. ", "J. ", "(", '"', "  ", ":",
          "Heading Line\n", ":\nTerms Of Sale\n", "x", "A", "7"]
prose = st.lists(st.sampled_from(_PROSE), max_size=30).map("".join)


@FAST
@given(prose, st.integers(0, 60), st.integers(1, 80))
def test_sentence_end_takes_the_candidates_in_order(text, start, limit):
    start = min(start, len(text))
    assert T.sentence_end(text, start, limit) == plain_sentence_end(text, start, limit)
