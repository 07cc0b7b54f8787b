"""Work an agreement's readers no longer do gives what doing it gave.

- the sentence loop calls neither sells nor read_sentence where the word places say
  the call would answer no;
- _search tries a later anchor only before the best match found so far;
- a reader whose only effect is a put is not run for a field already found;
- each other-security pattern runs only where its own word stands.
Each is compared with the plain form on every agreement of the corpora in tests/data."""
from __future__ import annotations

from re import _parser as P

import pytest

from spaq.extract import narrative as N
from spaq.extract import terms as T
from test_agreement_shortcuts import AGREEMENTS
from test_pattern_gates import check, ok


def _spans(f, at):
    """The sentences _read_agreement reads, as it finds them (an amendment's order aside)."""
    text = f.text
    sale = N.deal_start(f, max(0, at - 2000))
    if not sale:
        return []
    end_preamble = T.sentence_end(text, at, 1500)
    return list(T.sentences(text, min(T.sentence_start(text, sale.start()), end_preamble)))


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_the_sentence_loop_reads_what_every_call_reads(i):
    f, at = AGREEMENTS[i]
    fast, plain = T.Terms(), T.Terms()
    deal_words, term_words = f.places(N.DEAL_START_WORDS), f.places(T.TERM_WORDS)
    for s, e in _spans(f, at):
        sale = N.sells(f, s, e)
        T.read_sentence(f, s, e, plain, clause=sale, rest=not sale)
        deal = any(s <= p < e for p in deal_words)
        assert deal or not sale
        if sale or any(s <= p < e for p in term_words):
            T.read_sentence(f, s, e, fast, clause=sale, rest=not sale)
    assert fast == plain


def _plain_search(f, anchors, start, end):
    """The earliest match of any anchor in start..end, the first anchor's at a tie."""
    best = None
    for a in anchors:
        m = T.compiled(a).search(f.text, start, end)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


FAMILIES = [T.PRICE_STRONG + T.PRICE_WEAK, T.UNIT_PRICE, T.WARRANT_PRICE + T.WARRANT_PRICE_ITEM,
            T.WARRANT_SHARES, T.PROCEEDS, T.WARRANT_YEARS]


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_search_finds_the_earliest_match_of_any_anchor(i):
    f, at = AGREEMENTS[i]
    for s, e in T.sentences(f.text, at):
        for anchors in FAMILIES:
            fast, plain = T._search(f, anchors, s, e), _plain_search(f, anchors, s, e)
            assert (fast and fast.span()) == (plain and plain.span())


def test_a_bound_stops_the_places_tried():
    text = "at $1.00 per share; the purchase price per share of $2.00; at $3.00 per share"
    f = T.Flow("x.txt", text, [0], [1], None)
    rx = T.compiled(T.PRICE_WEAK[0])
    assert [m.start() for m in T._matches(f, rx, ("at", "for"), 0, len(text))] == [0, 59]
    assert [m.start() for m in T._matches(f, rx, ("at", "for"), 0, len(text), before=59)] == [0]
    assert T._matches(f, rx, ("at",), 0, len(text), before=0) == []


# Fields a reader fills only by a put (first wins): filled beforehand, they stay, and the
# rest of what the sentence yields is what it yields read into an empty bag.
_PUT_ONLY = ("warrant_shares", "warrant_years", "pricing", "warrant_expires", "warrant_exercisable")


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_a_filled_field_is_not_read_again_and_the_rest_is_read_as_before(i):
    f, at = AGREEMENTS[i]
    for s, e in T.sentences(f.text, at):
        for clause, rest in ((True, False), (False, True)):
            fresh, filled = T.Terms(), T.Terms()
            for name in _PUT_ONLY:
                filled.bag.put(name, "before", None)
            T._read_sentence(f, s, e, fresh, clause, rest)
            T._read_sentence(f, s, e, filled, clause, rest)
            for name in _PUT_ONLY:
                assert filled.bag.values.pop(name) == "before"
                fresh.bag.values.pop(name, None)
                fresh.bag.sources.pop(name, None)
            assert fresh == filled


@pytest.mark.parametrize("k", range(len(T._OTHER_SECURITIES)))
def test_every_match_of_an_other_security_holds_its_word(k):
    rx, _, word = T._OTHER_SECURITIES[k]
    # (the analyser reads literal runs only: units' "[Uu]nit" holds "unit" in any case, so
    # its run "nit" is checked, and the matches of the phrasings below)
    assert ok(list(P.parse(rx.pattern, rx.flags).data), (word if word != "unit" else "nit",))
    if rx.pattern.startswith("(?=["):
        check(rx, f"_OTHER_SECURITIES[{k}]")
    text = "sold 1,000 Units and 2,000 units at $1.00 per Unit, $2.00 per\nunit; 5 Unitholders per Units"
    assert all(word in m.group(0).lower() for m in rx.finditer(text))
