"""Work _read_agreement skips gives what doing it gave.

- a sentence with a word a deal starts with but no term word and none of CLAUSE_WORDS is
  not asked whether it sells: read as a sale clause it would read nothing.
Each is compared with the plain form on every agreement of the corpora in tests/data, and
on generated sentences built from the words the readers look for."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spaq.extract import narrative as N
from spaq.extract import terms as T
from spaq.extract.text import flow_lines
from test_agreement_reading_gates import _spans
from test_agreement_shortcuts import _NO_TERM, AGREEMENTS, FAST


def _holds(f, words, s, e):
    return any(f.low.find(w, s, e) >= 0 for w in words)


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_the_sentence_loop_asks_sells_where_it_matters(i):
    """The loop as _read_agreement runs it, against sells asked of every sentence."""
    f, at = AGREEMENTS[i]
    fast, plain = T.Terms(), T.Terms()
    for s, e in _spans(f, at):
        sale = N.sells(f, s, e)
        T._read_sentence(f, s, e, plain, sale, not sale)
        term = _holds(f, T.TERM_WORDS, s, e)
        asked = term or _holds(f, T.CLAUSE_WORDS, s, e)
        fast_sale = asked and sale
        if fast_sale or term:
            T._read_sentence(f, s, e, fast, fast_sale, not fast_sale)
    assert fast == plain


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_a_clause_without_term_or_clause_words_reads_nothing(i):
    f, at = AGREEMENTS[i]
    for s, e in _spans(f, at):
        if not _holds(f, T.TERM_WORDS + T.CLAUSE_WORDS, s, e):
            for clause in (True, False):
                t = T.Terms()
                T._read_sentence(f, s, e, t, clause, False)
                assert t == T.Terms()


# The generated sentences hold neither a term word nor a clause word.
_NO_CLAUSE = [w for w in _NO_TERM if not any(c in w.lower() for c in T.CLAUSE_WORDS)] + [
    "pre-", "The Company shall sell", " agrees to issue ", "(iii) ", "Preferred Stock", "1,000,000 Shares"[:-6]]


@FAST
@given(st.lists(st.sampled_from(_NO_CLAUSE), min_size=1, max_size=30).map("".join))
def test_a_generated_clause_without_those_words_reads_nothing(text):
    assert not any(w in text.lower() for w in T.TERM_WORDS + T.CLAUSE_WORDS)
    f = flow_lines("x.txt", range(1, text.count("\n") + 2), text.split("\n"))
    for clause in (True, False):
        t = T.Terms()
        T._read_sentence(f, 0, len(f.text), t, clause, False)
        assert t == T.Terms()


@pytest.mark.parametrize("text", ["The Company shall sell pre-funded units to the Purchaser.",
                                  "The Company shall issue 1,000,000 shares of Common Stock."])
def test_a_clause_word_alone_can_yield_a_term(text):
    """Why CLAUSE_WORDS holds what it holds: each alone makes a clause read something."""
    f = flow_lines("x.txt", range(1, 2), [text])
    t = T.Terms()
    T._read_sentence(f, 0, len(f.text), t, True, False)
    assert t != T.Terms()


# -- loops in place of comprehensions and any() over generators: the same answers --

_WORDS = ["warrant", "placement", "finder", "outstanding", "existing", "price", "per", "$", "share",
          "aggregate", "proceeds", "year", "unit", " ", ".", "x"]


@FAST
@given(st.lists(st.sampled_from(_WORDS), max_size=20).map("".join), st.integers(0, 40), st.integers(0, 200))
def test_holds_one_is_any_over_the_words(text, start, end):
    for words in (T._AGENT_WORDS, T._OUTSTANDING_WORDS, T.CLAUSE_WORDS, ()):
        assert T.holds_one(text[start:end], words) == any(text.find(w, start, end) >= 0 for w in words)


def _plain_anchors_held(f, anchors, start, end):
    family = T._FAMILIES.get(anchors) or T._family(anchors)
    low = f.low[start:end]
    present = {w for w in family.words if w in low}
    return [(T.compiled(family.patterns[i]), starts) for i, starts, needs in family.anchors if needs <= present]


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_anchors_held_are_those_whose_words_stand(i):
    f, at = AGREEMENTS[i]
    families = [T.PRICE_STRONG + T.PRICE_WEAK, T.UNIT_PRICE, T.WARRANT_PRICE + T.WARRANT_PRICE_ITEM,
                T.WARRANT_SHARES, T.PROCEEDS, T.WARRANT_YEARS, T.PRICE_STRONG]
    for s, e in T.sentences(f.text, at):
        for anchors in families:
            assert T._anchors_held(f, anchors, s, e) == _plain_anchors_held(f, anchors, s, e)


def _plain_offering(f, start, end):
    """read_offering's offering as the comprehensions told it."""
    low = f.low[start:end]
    if not any(w in low for w in T._OFFERING_WORDS):
        return None
    reg = T.search_at(f, T._REGISTERED, T._REGISTERED_WORDS, start, end)
    priv = T.search_at(f, T._PRIVATE, T._PRIVATE_WORDS, start, end)
    kinds = [k for k, m in (("registered direct", reg), ("private placement", priv)) if m]
    if not kinds:
        return None
    m = min((x for x in (reg, priv) if x), key=lambda x: x.start())
    return " + ".join(kinds), f.source(m.start(), m.end())


_OFFERINGS = ["The Shares are offered in a registered direct offering under a prospectus supplement.",
              "This is a private placement under Section 4(a)(2) to accredited investors.",
              "A private placement, with a prospectus supplement for the resale.",
              "Nothing of the kind.", "The registration statement, and a private placement."]


@pytest.mark.parametrize("text", _OFFERINGS)
def test_read_offering_tells_the_offering_as_the_comprehensions_did(text):
    f = flow_lines("x.txt", range(1, 2), [text])
    bag = T.Bag()
    T.read_offering(f, 0, len(f.text), bag)
    plain = _plain_offering(f, 0, len(f.text))
    assert (bag.get("offering"), bag.sources.get("offering")) == (plain or (None, None))


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_read_offering_of_an_agreement(i):
    f, at = AGREEMENTS[i]
    bag = T.Bag()
    T.read_offering(f, at, len(f.text), bag)
    plain = _plain_offering(f, at, len(f.text))
    assert (bag.get("offering"), bag.sources.get("offering")) == (plain or (None, None))


@pytest.mark.parametrize("text", ["no items here", "(i) one (ii) two", "head (a) one (b) two (c) three", "(1) x"])
def test_items_as_the_comprehension_found_them(text):
    marks = [m.start() for m in T._ITEM.finditer(text, 0, len(text))]
    if len(marks) < 2:
        plain = [(0, len(text))]
    else:
        bounds = marks + [len(text)]
        head = [(0, marks[0])] if text[:marks[0]].strip() else []
        plain = head + [(bounds[i], bounds[i + 1]) for i in range(len(marks))]
    assert T.items(text, 0, len(text)) == plain
