"""find_deals asks whether a sentence is no sale once, not up to three times, and reads it in
place instead of slicing and folding it: the deals it finds are the plain reading's, on every
document of tests/data."""
from __future__ import annotations

from pathlib import Path

from spaq import corpus
from spaq.extract import narrative as N
from spaq.extract.terms import read_offering, read_sentence, sentences
from spaq.extract.text import flow_lines

DATA = Path(__file__).parent / "data"


def flows():
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".txt", ".htm"):
                continue
            docs, _ = corpus.read_documents(path, path.name)
            for doc in docs:
                yield flow_lines(doc.file, range(doc.first_line, doc.first_line + len(doc.lines)), doc.lines)


def plain_find_deals(f, start=0, end=None):
    """find_deals as first written: _not_a_sale of the sliced sentence at each question."""
    text = f.text
    end = len(text) if end is None else end
    deals, current = [], None
    for s, e in sentences(text, start, end):
        sentence = text[s:e]
        starts = N.sells(f, s, e) and not N._EARLIER.search(sentence)
        if current is not None and (N._ITEM_LINE.match(sentence) or N._EARLIER.search(sentence)
                                    or N._not_a_sale(sentence, 0, len(sentence)) and N._ENTERED.search(sentence)
                                    or "\n" not in sentence.strip() and N.is_heading_line(sentence)):
            current = None
        if starts and current is not None and current.bag.has("shares") and N._tranche(f, s, e, sentence):
            starts = False
        if starts:
            if current is None or N._new_deal(f, current, s, e):
                current = N.Draft(s)
                deals.append(current)
        elif current is None and deals and N._BACK_REFERENCE.search(sentence):
            current = deals[-1]
        if current is None:
            continue
        if current.bag.has("shares") and N._tranche(f, s, e, sentence) or N._not_a_sale(sentence, 0, len(sentence)):
            continue
        if N._read_allocations(f, s, e, current):
            N._read_dates(f, s, e, current, starts)
            continue
        read_sentence(f, s, e, current.terms)
        N._read_dates(f, s, e, current, starts)
        if starts or not current.names:
            N.read_names(f, s, e, current)
        read_offering(f, s, e, current.bag)
    return deals


def _same(a, b):
    assert [(d.start, d.terms.bag.values, d.terms.bag.sources, d.names, d.several,
             [(r.values, r.sources) for r in d.rows]) for d in a] == \
           [(d.start, d.terms.bag.values, d.terms.bag.sources, d.names, d.several,
             [(r.values, r.sources) for r in d.rows]) for d in b]


def test_the_deals_of_every_document_are_the_plain_readings():
    count = 0
    for f in flows():
        for start in (0, len(f.text) // 3, 1):      # (a start mid-word too)
            _same(N.find_deals(f, start), plain_find_deals(f, start))
        count += 1
    assert count > 90


def test_a_sentence_read_in_place_is_no_sale_as_its_slice_is():
    made_up = ["the Company issued 500 shares upon the exercise of warrants.",
               "xupon conversion of notes. Reissued 10 shares upon exercise of options."]
    texts = [f.text for f in flows()] + made_up
    for text in texts:
        low = N.fold(text)
        spans = list(sentences(text))
        spans += [(s + 1, e) for s, e in spans if s + 1 < e] + [(s, e) for s in range(0, min(len(text), 200), 7)
                                                               for e in (len(text),)]
        for s, e in spans:
            sliced = text[s:e]
            assert N._slice_not_a_sale(text, s, e, low) == N._not_a_sale(sliced, 0, len(sliced)), (text[s:e][:80])


def test_a_purchaser_buying_figures_is_looked_for_where_its_verbs_stand():
    from re import _parser as P

    from spaq.extract.terms import search_at
    from test_pattern_gates import starts_ok
    assert starts_ok(P.parse(N._BOUGHT_FIGURES.pattern, N._BOUGHT_FIGURES.flags).data, N._BOUGHT_WORDS)
    text = ("Pelham Ridge purchased 1,000 shares; Cardew Purchased 5 shares and WILL purchase 7 units; X agreed to "
            "purchase 9 shares, Y subscribed for 10 units, Z bought 3 shares and acquired 4 units.")
    from spaq.extract.text import Flow
    fs = list(flows()) + [Flow("x", text, [0], [1], {})]
    for f in fs:
        for s, e in list(sentences(f.text)) + [(0, len(f.text))]:
            m, expected = search_at(f, N._BOUGHT_FIGURES, N._BOUGHT_WORDS, s, e), N._BOUGHT_FIGURES.search(f.text, s, e)
            assert (m and m.span()) == (expected and expected.span())
