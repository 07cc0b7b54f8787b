"""Work an agreement's reading now does once, or not at all, gives what the plain form gave.

- sentence_start tests the openings from the last back and stops at the first that passes;
- a sentence about warrants read after the warrant price (and their shares) is found is kept
  unread for its exercise prices, and which warrants it speaks of, until finish asks;
- a security already named is not looked for again;
- a pre-funded warrant is looked for only where "funded" stands, not at each "pre";
- the first match of a pattern led by several words is found a word at a time, each word's
  places tried up to the best match so far, not all of them listed and sorted;
- read_offering's searches, and the warrant's in a sentence, look in their window, not in the
  document's places of their words;
- a document whose flow holds neither "schedule" nor "list" is not looked at for a schedule;
- the sentence loop reads a sentence it knows to hold a term word without read_sentence
  looking for one again.
Each is compared with the plain form on every agreement of the corpora in tests/data (and
the sentence openings on texts drawn from the characters that decide them)."""
from __future__ import annotations

from re import _parser as P

from hypothesis import given
from hypothesis import strategies as st

import pytest

from spaq.extract import document as D
from spaq.extract import narrative as N
from spaq.extract import terms as T
from spaq.extract.text import flow_lines
from test_agreement_shortcuts import AGREEMENTS, FAST, prose
from test_pattern_gates import ok


def plain_sentence_start(text: str, pos: int, limit: int = 1500) -> int:
    """sentence_start as first written: every opening tested, the last that passes kept."""
    lo = max(0, pos - limit)
    best = lo
    for m in T._OPENING.finditer(text[lo:pos]):
        dot = lo + m.start()
        if text[dot] == "\n" and not T._is_heading(text, dot + 1) and T._last_char(text, dot) != ".":
            continue
        if text[dot] == "." and T._ABBREV.search(text[max(0, dot - 12):dot]):
            continue
        best = lo + m.end()
    return best


@FAST
@given(prose, st.integers(0, 4000), st.sampled_from([1500, 40, 5]))
def test_a_sentence_starts_where_the_plain_scan_says(text, pos, limit):
    pos = min(pos, len(text))
    assert T.sentence_start(text, pos, limit) == plain_sentence_start(text, pos, limit)


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_a_sentence_of_an_agreement_starts_where_the_plain_scan_says(i):
    f, _ = AGREEMENTS[i]
    text = f.text
    for pos in list(range(0, len(text), 97)) + [len(text)]:
        assert T.sentence_start(text, pos) == plain_sentence_start(text, pos)


class _ReadAtOnce(list):
    """In place of Terms.unread_prices: each sentence read for its exercise prices as it comes,
    into the deal's own bag, as _read_sentence_terms read them before they were kept unread."""

    def __init__(self, terms: T.Terms):
        super().__init__()
        self.terms = terms

    def append(self, span) -> None:
        f, s, e = span
        if T.warrant_kind(f.text[s:e]) == "ordinary":
            T._read_warrant_price(f, s, e, self.terms.bag, T.WARRANT_PRICE, self.terms.warrant_prices)


def _read_all(f, at, t: T.Terms) -> T.Terms:
    for s, e in T.sentences(f.text, at):
        for clause, rest in ((True, False), (False, True), (False, False)):
            T._read_sentence(f, s, e, t, clause, rest)
    return t


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_exercise_prices_kept_unread_are_those_read_at_once(i):
    f, at = AGREEMENTS[i]
    kept = _read_all(f, at, T.Terms())
    plain = T.Terms()
    plain.unread_prices = _ReadAtOnce(plain)
    _read_all(f, at, plain)
    assert kept.bag == plain.bag and kept.prefunded == plain.prefunded
    assert kept.exercise_prices() == plain.warrant_prices and not kept.unread_prices
    assert T.finish(kept) == T.finish(plain)


def test_two_series_at_two_prices_leave_the_price_unknown_when_read_late():
    text = ("The Company sold 1,000 shares and Series A Warrants to purchase 500 shares at an exercise price "
            "of $1.00 per share. The Series B Warrants have an exercise price of $2.00 per share.")
    f = flow_lines("x.txt", range(1, 2), [text])
    t = T.Terms()
    for s, e in T.sentences(text):
        T.read_sentence(f, s, e, t)
    assert t.unread_prices          # the second sentence came after the price was found
    bag = T.finish(t)
    assert bag.get("warrant_price") is None and t.warrant_prices == {1.0, 2.0}


def _spans(f, at):
    sale = N.deal_start(f, max(0, at - 2000))
    if not sale:
        return []
    end_preamble = T.sentence_end(f.text, at, 1500)
    return list(T.sentences(f.text, min(T.sentence_start(f.text, sale.start()), end_preamble)))


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_the_agreement_reads_as_the_plain_loop_reads_it(i, monkeypatch):
    f, at = AGREEMENTS[i]
    if D._AMENDMENT.match(f.text, at, at + 40):
        return                  # (an amendment's sentences are read in another order)
    # The plain loop: every sentence asked whether it sells, and read by read_sentence.
    plain = T.Terms()
    for s, e in _spans(f, at):
        sale = N.sells(f, s, e)
        T.read_sentence(f, s, e, plain, clause=sale, rest=not sale)
    fast = T.Terms()
    monkeypatch.setattr(D, "Terms", lambda: fast)
    D._read_agreement(f, _NoSchedule(), at)
    assert fast.bag == T.finish(plain) and fast.prefunded == plain.prefunded
    assert fast.exercise_prices() == plain.exercise_prices()


class _NoSchedule:
    """A document with no lines: read_schedule finds no table in it."""
    file, lines, first_line = "x.txt", [], 1


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_a_security_already_named_is_named_as_before(i, monkeypatch):
    f, at = AGREEMENTS[i]
    fast = T.Terms()
    for s, e in T.sentences(f.text, at):
        T._read_sentence_terms(f, s, e, fast)

    class Unnamed(set):
        """A set that says it holds nothing: every security is looked for again."""
        def __contains__(self, item):
            return False
    plain = T.Terms(securities=Unnamed())
    for s, e in T.sentences(f.text, at):
        T._read_sentence_terms(f, s, e, plain)
    assert fast.securities == set(plain.securities) and fast.bag == plain.bag


def test_every_pre_funded_match_holds_funded():
    rx = T._PREFUNDED
    assert ok(list(P.parse(rx.pattern, rx.flags).data), ("funded",))
    for text in ("Pre-Funded Warrants", "prefunded", "PRE FUNDED", "pre- funded", "pre-\nfunded"):
        m = rx.search(text)
        assert m is None or "funded" in m.group(0).lower()


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_warrant_kinds_are_told_as_before(i):
    f, at = AGREEMENTS[i]
    for s, e in T.sentences(f.text):
        text = f.text[s:e]
        low = text.lower()
        pre = "pre" in low and T._PREFUNDED.search(text) is not None       # (the plain gate)
        rest = T._PREFUNDED_WARRANTS.sub(" ", text) if pre else text
        ordinary = T._WARRANT_WORD.search(rest) is not None
        assert T.warrant_kind(text) == ("both" if pre and ordinary else "prefunded" if pre
                                        else "ordinary" if ordinary else None)


def plain_first_match(f, rx, words, start, end, before=None):
    """_matches(..., first=True) as first written: every word's places listed, sorted, tried in order."""
    places = []
    for w in words:
        lim = end if before is None or before - 1 + len(w) > end else before - 1 + len(w)
        places += [i for i in range(start, lim) if f.low.startswith(w, i, lim)]
    for i in sorted(places):
        m = rx.match(f.text, i, end)
        if m:
            return m
    return None


def _led_by_words():
    """Every anchor that starts with one of several words, and the searches led by several."""
    out = [(T.compiled(a), words) for a, words in T._STARTS.items()
           if isinstance(words, tuple) and len(words) > 1]
    out += [(D._MADE_DATE, D._MADE_WORDS), (D._SEVERAL, D._SEVERAL_WORDS), (T.compiled(T.PRICING), T._PRICING_WORDS),
            (T.compiled(T._EXPIRES), ("exercisable", "expir")), (T.compiled(T._CLOSING), ("prior", "closing", "closed", "the closing"))]
    return out


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_the_first_match_led_by_several_words_is_the_earliest(i):
    f, at = AGREEMENTS[i]
    spans = list(T.sentences(f.text)) + [(0, len(f.text)), (at, min(len(f.text), at + 1500))]
    for rx, words in _led_by_words():
        for s, e in spans:
            for before in (None, s, (s + e) // 2, e, e + 50):
                found = T._matches(f, rx, words, s, e, first=True, before=before)
                plain = plain_first_match(f, rx, words, s, e, before)
                assert [m.span() for m in found] == ([plain.span()] if plain else [])


OFFERING = [(T._REGISTERED, T._REGISTERED_WORDS), (T._PRIVATE, T._PRIVATE_WORDS), (T.compiled(T._FEE), T._FEE_WORDS),
            (T._WARRANT_WORD, ("warrant",)), (T.compiled(T._WARRANT_THEN_SHARES), ("warrant",))]


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_the_offering_searches_find_what_the_document_places_find(i):
    f, at = AGREEMENTS[i]
    spans = list(T.sentences(f.text)) + [(0, len(f.text)), (at, len(f.text)), (at, min(len(f.text), at + 700))]
    for rx, words in OFFERING:
        for s, e in spans:
            fast, plain = T.search_at(f, rx, words, s, e), f.search(rx, words, s, e)
            assert (fast and fast.span()) == (plain and plain.span()) == (rx.search(f.text, s, e) and rx.search(f.text, s, e).span())


_HEADING_PIECES = ["SCHEDULE A", "Schedule 1", "<S>SCHEDULE OF PURCHASERS</S>", "LIST OF INVESTORS", "sched<C>ule",
                   "SCHE DULE", "Schedule1", "3list", "----------", "- 2 -", "Page 3", "", "\t", "|List|",
                   "Purchaser    Shares    Purchase Price", "Alder Fund    1,000    $ 2,500", "prose", "\xa0Schedule\xa0B",
                   "\u017fchedule 2", "<PAGE>", "enlisted", "ScheduleMay 2019"]


def _documents():
    from test_schedule_shortcuts import documents, made_up
    yield from documents()
    yield from made_up("heading", _HEADING_PIECES, 600, 10, seed=11)


def test_a_flow_without_the_heading_words_holds_no_schedule_heading():
    from test_schedule_shortcuts import _key

    from spaq.extract import schedule as S
    for doc in _documents():
        f = flow_lines(doc.file, range(doc.first_line, doc.first_line + len(doc.lines)), doc.lines)
        if S._heading_candidates(doc.lines):
            assert "schedule" in f.low or "list" in f.low, doc.lines
        rows, total = S.read_schedule(doc, f.low)
        plain_rows, plain_total = S.read_schedule(doc)
        assert [_key(r) for r in rows] == [_key(r) for r in plain_rows] and _key(total) == _key(plain_total)
