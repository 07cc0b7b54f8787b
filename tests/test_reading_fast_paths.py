"""Reading and flowing a file's fast paths give what the plain forms they stand for give.

Each shortcut of spaq.corpus and spaq.extract.text (a "<" found in C before a pattern is tried,
a check skipped when a length proves its answer, a text cleaned whole instead of line by line,
places sorted without a set) is compared with the plain form on texts drawn from the
characters that decide it."""
from __future__ import annotations

import codecs
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from spaq import corpus
from spaq.extract import text as X

FAST = settings(max_examples=300, deadline=None, database=None)

# Tags, line breaks, blanks, letters, digits and the characters the cleaning changes.
_PIECES = ["<", ">", "<PAGE>", "</TABLE>", "<p>", "<td>", "<br>", "<DOCUMENT>", "<document>", "<Document>",
           "\n", "\r", "\x0c", "\t", " ", "|", "a", "Z", "of", "2", "$", "July", "é", "\u2019", "\xa0", "-", "."]
texts = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)
lines = st.lists(texts, max_size=8)


@FAST
@given(lines)
def test_lines_cleaned_whole_are_the_lines_cleaned_one_by_one(lines):
    fast = X._clean_lines(lines)
    if any("\n" in line for line in lines):
        assert fast == [X.clean_line(line) for line in lines]
    else:      # (clean_line strips each line's end as well: flow strips both)
        assert [line.rstrip() for line in fast] == [X.clean_line(line) for line in lines]


def _plain_decode(data: bytes, truncated: bool = False):
    """decode as it was: the utf-8-sig codec for every file."""
    if not data.strip() or data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        return corpus.decode(data, truncated)        # (not the paths changed)
    try:
        text = data.decode("utf-8-sig") if not truncated and len(data) >= 3 else \
            codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=not truncated)
    except UnicodeDecodeError:
        return corpus.decode(data, truncated)
    return text, corpus.decode(data, truncated)[1]


@FAST
@given(st.lists(st.sampled_from([b"\xef\xbb\xbf", b"\xef", b"\xbb", b"a", b"\n", b"\xc3\xa9", b"\xe9", b" "]),
                max_size=12).map(b"".join), st.booleans())
def test_utf8_without_a_byte_order_mark_decodes_as_utf8_sig(data, truncated):
    assert corpus.decode(data, truncated) == _plain_decode(data, truncated)


def _plain_is_html(text: str) -> bool:
    first = text.find("<", 0, 20000)
    return first >= 0 and next(itertools.islice(corpus._HTML.finditer(text, first, 20000), 2, None), None) is not None


@FAST
@given(texts)
def test_is_html_with_too_few_tag_openings_is_the_pattern(text):
    assert corpus.is_html(text) == _plain_is_html(text)


def test_is_html_counts_only_the_first_20000_characters():
    tags = "<p>a<p>b<br>"
    assert corpus.is_html(tags) and not corpus.is_html(" " * 19995 + tags)
    assert corpus.is_html("<p>" + " " * 19990 + "<p><p>") and not corpus.is_html("<p>" + " " * 19994 + "<p><p>")


@FAST
@given(texts)
def test_a_submission_is_told_from_its_first_tag_on(text):
    first = text.find("<")
    assert (first >= 0 and corpus._DOCUMENT.search(text, first) is not None) == \
        (corpus._DOCUMENT.search(text) is not None)


@FAST
@given(st.lists(st.text(alphabet="ab \t", max_size=30), min_size=1, max_size=6), st.integers(1, 25))
def test_a_short_document_is_not_measured_line_by_line(lines, limit):
    import pytest
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(corpus, "MAX_LINE_CHARS", limit)
        doc = corpus._finish(corpus.Document("x", list(lines)), False, [])
    assert doc.lines == [line[:limit] for line in lines]
    assert any("longer than" in w for w in doc.warnings) == any(len(line) > limit for line in lines)


@FAST
@given(st.lists(st.text(alphabet="ab ", min_size=1, max_size=8), min_size=1, max_size=8), st.integers(3, 60))
def test_rendered_html_is_cut_where_its_lines_pass_the_limit(words, limit):
    import pytest
    markup = "<html><body>" + "".join(f"<p>{w}</p>" for w in words) + "</body></html>"
    rendered, _ = corpus.html_lines(markup)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(corpus, "MAX_DOCUMENT_CHARS", limit)
        doc = corpus._finish(corpus.Document("x", [markup]), False, [])
    total = list(itertools.accumulate(len(line) + 1 for line in rendered))
    kept = next((k for k, chars in enumerate(total) if chars > limit), len(rendered))
    assert doc.lines == rendered[:kept]
    assert any(w.startswith("cut: only the first") for w in doc.warnings) == (kept < len(rendered))


_WORDS = ["a", "ab", "b", "ba", "aa", "abc", "c", "$", "%"]


@FAST
@given(st.text(alphabet="abc$% ", max_size=40), st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4))
def test_places_are_every_offset_of_every_word_once_in_order(text, words):
    f = X.Flow("x", text, [0], [1], None, [text], 1)
    words = tuple(words)
    every = {i for w in words for i in range(len(text)) if text.startswith(w, i)}
    assert f.places(words) == sorted(every)


def _plain_flow(lines: list[str]):
    """flow_lines as it reads: each line cleaned alone and stripped; blank lines, drawn rules
    (told on the line stripped at its end) and page numbers dropped; the rest joined."""
    kept = []
    for n, line in enumerate(lines, 1):
        cleaned = X.clean_line(line)
        part = cleaned.strip()
        if part and not X.RULE.match(cleaned.rstrip()) and not X._PAGE_NO.match(part):
            kept.append((n, part))
    text = "\n".join(part for _, part in kept)
    starts = list(itertools.accumulate((len(part) + 1 for _, part in kept[:-1]), initial=0)) if kept else []
    return text, starts, [n for n, _ in kept]


_LINE_PIECES = ["-", "_", "=", "*", ".", " ", "\t", "\u2003", "p", "P", "page ", "2", "12", "٣", "a", "é", "<PAGE>",
                "|", "x", "-- 3 --", "----"]


@FAST
@given(st.lists(st.lists(st.sampled_from(_LINE_PIECES), max_size=8).map("".join), max_size=10))
def test_flow_keeps_the_lines_the_plain_reading_keeps(lines):
    f = X.flow_lines("x", range(1, len(lines) + 1), lines)
    assert (f.text, f.starts, f.line_nos) == _plain_flow(lines)
