"""Extraction's fast paths find what the plain patterns they stand for find.

Each fast path (bytes kinds instead of a lookbehind pattern, literal-led patterns
instead of a class-led one, ...) is compared with the plain form on texts drawn
from the characters that decide it, so a change to either side that makes them
differ fails here rather than silently changing an extracted value."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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
