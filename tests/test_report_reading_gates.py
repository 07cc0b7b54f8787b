"""The shortcuts in narrative.py, report.py and values.py give what the plain readings
give: patterns tried only where their words stand find what re.search finds; parse_date reads
white space as the substitution did; is_name remembered answers as is_name."""
from __future__ import annotations

import datetime as dt
import itertools
import random
import re

from spaq.extract import narrative as N
from spaq.extract import report as R
from spaq.extract.terms import search_at
from spaq.extract.text import flow
from spaq.extract.values import parse_date

PIECES = ["On March 8, 2001, ", "on 2020-06-03 ", "as of 3/8/2001, ", "As of June 3, 2020 ", "the Company ",
          "entered into ", "Entered  into\n", "a Securities Purchase Agreement ", "AGREEMENT, dated as of May 1, 2019, ",
          "Agreement (the \"Agreement\") dated July 4, 2020 ", "agreement made on 8 March 2001", "person ", "reason ",
          "at the first closing, ", "the initial Closing ", "tranches ", "a second tranche of ", "the Tranche",
          "closings ", "disclosing ", "İnitial closing ", "conversion ", "\u017fecond closing ", "as ", "on ", ". "]


def texts():
    rng = random.Random(11)
    for _ in range(1500):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 10)))


def test_date_patterns_tried_at_their_words_find_what_search_finds():
    for text in texts():
        f = flow("x", enumerate(text.split("\n"), 1))
        for s, e in ((0, len(f.text)), (len(f.text) // 3, len(f.text))):
            for rx, words in ((N._DATED, N._DATED_WORDS), (N._ON_DATE, N._ON_DATE_WORDS), (N._ENTERED, N._ENTERED_WORDS)):
                plain, fast = rx.search(f.text, s, e), search_at(f, rx, words, s, e)
                assert (plain and (plain.span(), plain.groups())) == (fast and (fast.span(), fast.groups())), (text, rx)
            assert (f.low.find("agreement", s, e) >= 0) == bool(re.search("agreement", f.text[s:e], re.I)), text


def test_tranche_gate_answers_as_the_pattern():
    for text in texts():
        f = flow("x", enumerate(text.split("\n"), 1))
        for s, e in itertools.combinations(range(0, len(f.text) + 1, max(1, len(f.text) // 4)), 2):
            sentence = f.text[s:e]
            assert N._tranche(f, s, e, sentence) == (N._TRANCHE.search(sentence) is not None), sentence


def test_label_tried_at_its_word_finds_the_line_search_finds():
    heads = ["Date of Report (Date of earliest event reported)", "July 20, 2019", "DATE OF REPORT: May 1, 2020",
             "date  of\treport", "Date of\nReport", "Dated: x", "update of reports", "(Exact name of registrant)", ""]
    rng = random.Random(5)
    for _ in range(800):
        lines = [(n, rng.choice(heads), 0) for n in range(rng.randrange(1, 8))]
        head = R._Head(lines)
        fast = head.label_index(r"Date\s+of\s+Report", "date")
        assert fast == head.label_index(r"Date\s+of\s+Report"), [t for _, t, _ in lines]
        # (and the plain way: a search of each line, the first that holds a match)
        rx = re.compile(r"Date\s+of\s+Report", re.I)
        assert fast == next((i for i, text in enumerate(head.lines) if rx.search(text)), None)


def plain_parse_date(text):
    t = re.sub(r"\s+", " ", text.strip())
    return parse_date(t)


def test_parse_date_reads_white_space_as_the_substitution():
    for text in ["March 8, 2001", " March  8,\n2001 ", "8\u00a0March\t2001", "2001-03-08", " 03/08/2001\x1c",
                 "the 8th day of March, 2001", "March\u20038, 2001", "", "  ", "2001-03-08 "]:
        assert parse_date(text) == plain_parse_date(text), text
    assert parse_date(" March  8,\n2001 ") == dt.date(2001, 3, 8)


def test_is_name_remembered_answers_as_is_name():
    names = ["Acme Holdings, Inc.", "the Investors", "Section 6.1", "LLC", "the undersigned 123 Main 456",
             "Pine Field Capital\nPartners, L.P.", None, "", "Ab", "Securities Purchase Agreement", "Each Purchaser"]
    for name in names * 2:
        assert N.is_name(name) == N.is_name.__wrapped__(name), name


def test_cover_and_items_read_the_same_with_the_lines_given():
    from pathlib import Path

    from spaq import corpus
    from spaq.extract.facts import Bag, DocFacts
    from spaq.extract.text import flow_lines
    root = Path(__file__).parent / "data"
    checked = 0
    for p in sorted(root.rglob("*.txt")):
        for d in corpus.read_documents(p, p.name)[0]:
            f = flow_lines(d.file, range(d.first_line, d.first_line + len(d.lines)), d.lines)
            alone, shared = DocFacts(d.file, 1, "x", Bag()), DocFacts(d.file, 1, "x", Bag())
            R.read_cover(f, alone)
            R.read_items(f, alone)
            lines = R._lines(f)
            R.read_cover(f, shared, lines)
            R.read_items(f, shared, lines)
            assert (alone.filing.values, alone.filing.sources) == (shared.filing.values, shared.filing.sources)
            checked += bool(alone.filing.values)
    assert checked > 20


def test_remembered_parsers_answer_as_the_parsers():
    from spaq.extract import values as V
    texts = ["$5,000,000", "$0.35", "$.001", "$2.5 million", "US$1,000", "$____", "1,250,000", "800000", "five",
             "five (5)", "five and one-half", "March 8, 2001", "8 March 2001", "2001-03-08", "03/08/2001", "", " ",
             "  Acme  Corp., ", None, "---", "1.5", "2,000.5"]
    for fn in (V.parse_money, V.parse_shares, V.parse_date, V.parse_small, V.clean_name):
        for text in texts * 2:
            try:
                plain = fn.__wrapped__(text)
            except (TypeError, AttributeError):
                continue        # (None is only clean_name's)
            assert fn(text) == plain and type(fn(text)) is type(plain), (fn, text)
