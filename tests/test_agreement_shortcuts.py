"""The shortcuts reading an agreement's sentences takes give what the plain readers give.

`sentences` finds every sentence's end in one scan of the text instead of asking
sentence_end once a sentence; read_sentence passes over a sentence after the sale
clause that holds none of the words a term needs. Each is compared with the plain
form: on texts drawn from the characters and words that decide it, and on every
agreement of the corpora in tests/data."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from spaq.corpus import read_documents
from spaq.listing import find_files
from spaq.extract import document as D
from spaq.extract import terms as T
from spaq.extract import text as X
from spaq.extract.text import flow_lines

FAST = settings(max_examples=400, deadline=None, database=None)
DATA = Path(__file__).resolve().parent / "data"


def plain_sentences(text: str, start: int = 0, end: int | None = None):
    """sentences as first written: sentence_end asked for each sentence."""
    end = len(text) if end is None else end
    pos = start
    while pos < end:
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end:
            return
        stop = min(T.sentence_end(text, pos), end)
        nl = text.find("\n", pos, stop)
        at_line_start = pos == 0 or text[pos - 1] == "\n"
        if nl > 0 and at_line_start and T.is_heading_line(text[pos:nl]) and text[nl + 1:stop].strip():
            stop = nl
        yield pos, stop
        pos = max(stop, pos + 1)


# Stops, abbreviations, labels, digits around a stop, heading lines after a stop, a colon or
# a quote, blanks before a line break, and long runs that make sentence_end's window short.
_PROSE = ["The ", "shares", ". ", ".", "\n", "Inc. ", "No. 5", "3.5", "Exhibit A. ", "J. ", "(", '"', "  ", ":",
          "Heading Line\n", ":\nTerms Of Sale\n", '"\nNotices\n', ". \nClosing\n", "x", "A", "7", " \n",
          "Agreement.", "approx. ", "Sept. ", "U.S. ", "Nos. ", "x" * 700, " word" * 120, " " * 300]
prose = st.lists(st.sampled_from(_PROSE), max_size=40).map("".join)


@FAST
@given(prose, st.integers(0, 80), st.integers(0, 4000))
def test_sentences_end_where_sentence_end_says(text, start, length):
    start = min(start, len(text))
    end = min(len(text), start + length)
    assert list(T.sentences(text, start, end)) == list(plain_sentences(text, start, end))
    assert list(T.sentences(text, start)) == list(plain_sentences(text, start))


# Where a shortcut could go wrong: an abbreviation of six letters, a window that ends in the
# blanks after a stop (with and without a later end), a heading break whose line runs past
# the window, a digit after a stop at the window's end.
EDGES = ["I paid approx. The rest.", "xapprox. The rest.", "A" + "x" * 1990 + ". " + " " * 100 + "x",
         "A" + "x" * 1990 + ". " + " " * 100 + "x. Then more.", "A" + "x" * 1995 + ":\nHead Line\nNext",
         "A" + "x" * 1997 + ".5 and", "Total:\nTerms Of Sale\nThe price. Done", "a.\n\nB c\nd"]


@pytest.mark.parametrize("text", EDGES)
def test_sentences_at_the_edges(text):
    for start in range(0, min(len(text), 30)):
        assert list(T.sentences(text, start)) == list(plain_sentences(text, start))
        end = min(len(text), start + 25)
        assert list(T.sentences(text, start, end)) == list(plain_sentences(text, start, end))


# Words the readers of a sentence look for, and none of the words a term needs.
_NO_TERM = ["price", " per share", " of ", "4.25", "1,000,000", " shares", "aggregate", "proceeds", "exercise",
            "exercisable", "outstanding", "previously issued", "existing", "placement agent", " at ", " for ",
            "total", "gross", "purchase", "offering", "closed", "five", "expire", "term", "period", "based on",
            "representing", "convertible", "Common Stock", "Preferred Stock", "(i) ", "(ii) ", ". ", ", ",
            "\n", "US", "million", "pre-funded", "____", "Purchaser", "Company"]
no_term = st.lists(st.sampled_from(_NO_TERM), min_size=1, max_size=30).map("".join)


def _read(text: str, shortcut: bool, rest: bool = True) -> T.Terms:
    f = flow_lines("x.txt", range(1, text.count("\n") + 2), text.split("\n"))
    t = T.Terms()
    (T.read_sentence if shortcut else T._read_sentence)(f, 0, len(f.text), t, False, rest)
    return t


@FAST
@given(no_term)
def test_a_sentence_without_a_term_word_yields_nothing(text):
    assert not any(w in text.lower() for w in T.TERM_WORDS)
    assert _read(text, shortcut=False) == T.Terms()


@FAST
@given(no_term, st.sampled_from(T.TERM_WORDS + ("Warrants", "$5.00", "five-year")), no_term)
def test_a_sentence_with_a_term_word_is_read_whole(before, word, after):
    text = f"{before} {word} {after}"
    assert _read(text, shortcut=True) == _read(text, shortcut=False)


def _agreements():
    for corpus in ("corpus-dev", "corpus-blind", "corpus-blind2", "inputs"):
        files, _ = find_files([DATA / corpus])
        for path, name in files:
            docs, _ = read_documents(path, name)
            for doc in docs:
                f = flow_lines(doc.file, range(doc.first_line, doc.first_line + len(doc.lines)), doc.lines)
                at = D._classify(doc, f)[2]
                if at is not None:
                    yield f, at


AGREEMENTS = list(_agreements())


def test_there_are_agreements():
    assert len(AGREEMENTS) >= 30


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_an_agreement_reads_as_the_plain_readers_read_it(i):
    f, at = AGREEMENTS[i]
    text = f.text
    assert list(T.sentences(text, at)) == list(plain_sentences(text, at))
    assert list(T.sentences(text)) == list(plain_sentences(text))
    fast, plain = T.Terms(), T.Terms()
    for s, e in T.sentences(text):
        T.read_sentence(f, s, e, fast, rest=True)
        T._read_sentence(f, s, e, plain, False, True)
    assert fast == plain


# Patterns searched only where their words stand: every match starts with one of them
# (proved on re's parse tree, as test_pattern_gates does for the anchors).
WORD_LED = [(D._SEVERAL, D._SEVERAL_WORDS), (D._NAME_LABEL, D._NAME_LABEL_WORDS)]


@pytest.mark.parametrize("rx,words", WORD_LED, ids=[rx.pattern[:30] for rx, _ in WORD_LED])
def test_every_match_starts_with_one_of_its_words(rx, words):
    from re import _parser
    from test_pattern_gates import starts_ok
    assert starts_ok(_parser.parse(rx.pattern, rx.flags).data, words)
    assert not starts_ok(_parser.parse(rx.pattern, rx.flags).data, words[1:])


def _span(m):
    return m.span() if m else None


@pytest.mark.parametrize("i", range(len(AGREEMENTS)))
def test_word_led_searches_find_what_re_finds(i):
    f, at = AGREEMENTS[i]
    text = f.text
    for start, end in ((0, len(text)), (at, at + 1500), (max(0, at - 1500), at + 2000)):
        for rx, words in WORD_LED:
            assert _span(T.search_at(f, rx, words, start, end)) == _span(rx.search(text, start, end))
            assert [m.span() for m in T.matches_at(f, rx, words, start, end)] == \
                [m.span() for m in rx.finditer(text, start, end)]


@FAST
@given(st.text(alphabet=st.sampled_from(list("a \t\n\"'-") + [chr(k) for k in X._PLAIN] + ["é", "\u2026"])))
def test_plain_is_the_plain_table(text):
    assert X.plain(text) == text.translate(X._PLAIN)


@FAST
@given(st.lists(st.sampled_from(["", " ", "word", "x.", "---", "___ ", "  - 2 -", "Page 3", "12", "a\tb", "\u2014"]),
                max_size=12))
def test_a_flow_maps_offsets_to_lines(lines):
    f = flow_lines("x.txt", range(7, 7 + len(lines)), lines)
    assert f.starts == [i for i in range(len(f.text)) if i == 0 or f.text[i - 1] == "\n"][:len(f.starts)]
    assert len(f.starts) == len(f.line_nos) == (f.text.count("\n") + 1 if f.text else 0)


made_words = st.lists(st.sampled_from(["is", "made", "dated", "entered", "into", "as", "of", "This", "outdated",
                                       "remade", "IS", "Made", "and", "effective", "the", ",", "\n", "  ",
                                       "May 1, 2019", "June 30, 2020", "______", "2019"]), max_size=14)


@FAST
@given(made_words)
@example(["This", "outdated", "is", "made", "as", "of", "May 1, 2019"])
@example(["is", "\n", "dated", "______", "entered", "into", "June 30, 2020"])
def test_the_agreement_date_is_found_where_its_verb_stands(words):
    # read where the verb stands, the date is the one re.search finds (the match may start at "is")
    text = " ".join(words)
    f = flow_lines("x.txt", range(1, text.count("\n") + 2), text.split("\n"))
    plain = D._MADE_DATE.search(f.text, 0, 1500)
    found = T.search_at(f, D._MADE_DATE, D._MADE_WORDS, 0, 1500)
    assert (plain and plain.span(1)) == (found and found.span(1))
