"""A report's headings are searched only where their words stand: _heading_search and
_headings give what re's own search and finditer give, on real reports and made-up ones."""
from __future__ import annotations

import itertools
import random
from pathlib import Path
from re import _parser as P

import pytest

from spaq import corpus
from spaq.extract import report as R
from spaq.extract.text import Flow, flow_lines
from test_pattern_gates import starts_ok

HEADINGS = [R._ITEM, R._EXHIBITS, R._SIGNATURES, R._NARRATIVE_END]
DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("rx", HEADINGS, ids=lambda rx: rx.pattern[:30])
def test_every_heading_opens_a_line_with_one_of_its_words(rx):
    assert rx.pattern.startswith(r"^\s*")
    assert starts_ok(P.parse(rx.pattern[len(r"^\s*"):], rx.flags).data, R._HEADING_WORDS)


PIECES = ["ITEM 1.01", "Item 9.01 Financial Statements and Exhibits", "SIGNATURES", "Signature", "EXHIBIT INDEX",
          "Exhibits:", "items", "Item 7 Exhibits", "İTEM 2.03", "the item", "\n", "\n", " ", "  ", "\t", "\x0c",
          "\u2003", "text", "x", ".", "\r", "\n  \n"]


def made_up():
    rng = random.Random(11)
    for _ in range(3000):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 14)))


def real():
    for path in sorted((DATA / "corpus-dev").iterdir()):
        docs, _ = corpus.read_documents(path, path.name)
        for doc in docs:
            yield flow_lines(doc.file, range(doc.first_line, doc.first_line + len(doc.lines)), doc.lines)


def _check(f: Flow, starts) -> None:
    for rx in HEADINGS:
        assert [m.span() for m in R._headings(f, rx)] == [m.span() for m in rx.finditer(f.text)], f.text
        for start in starts:
            m, expected = R._heading_search(f, rx, start), rx.search(f.text, start)
            assert (m and m.span()) == (expected and expected.span()), (f.text, start)


def test_made_up_headings_are_found_as_re_finds_them():
    for text in made_up():
        _check(Flow("x", text, [0], [1], {}), range(len(text) + 1))


def test_the_headings_of_real_reports_are_found_as_re_finds_them():
    for f in itertools.islice(real(), 100):
        _check(f, range(0, len(f.text) + 1, 97))


def test_lines_are_the_flows_lines_split_or_not():
    f = Flow("x", "a\nbc\nd", [0, 2, 5], [3, 4, 9], {})
    assert R._lines(f) == [(3, "a", 0), (4, "bc", 2), (9, "d", 5)]
    held = Flow("x", "a\nb\nc", [0, 4], [1, 2], {})       # a kept line that holds a break
    assert R._lines(held) == [(1, "a\nb", 0), (2, "c", 4)]
    assert R._lines(Flow("x", "", [], [], {})) == []
