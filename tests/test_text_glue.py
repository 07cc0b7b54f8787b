"""unglue's ASCII path (spaq.extract.text._glued_ascii: the glues found as pairs of kinds of
characters) finds the places the plain pattern _GLUED finds, on ASCII texts built from the
characters and words that decide a glue (test_fast_paths.py mixes in others, which take
the other path)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spaq.extract import text as X

_PIECES = ["a", "s", "t", "h", "n", "d", "r", "Z", "A", "J", "1", "5", "0", "$", " ", "\n", ".", ",",
           "st", "nd", "rd", "th", "s ", "July", "May", "June", "December", "Mayor", "on", "of"]


@settings(max_examples=1000, deadline=None, database=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_the_ascii_glues_are_the_glue_pattern_s(text):
    assert sorted(X._glued_ascii(text)) == [m.start() for m in X._GLUED.finditer(text)]
    assert X.unglue(text) == X._GLUED.sub(" ", text)
