"""The shortcuts of reading a file give what the plain way gives."""
import codecs
import random

import pytest

from spaq import corpus


def _sample(rng: random.Random) -> str:
    """Characters from all over: controls, Latin-1, U+FFFD, lone surrogates, beyond the BMP."""
    pick = (lambda: rng.randint(0, 0x1ff), lambda: 0xfffd, lambda: rng.randint(0xd800, 0xdfff),
            lambda: rng.randint(0x80, 0x9f), lambda: rng.randint(0, 0x10ffff))
    return "".join(chr(rng.choice(pick)()) for _ in range(rng.randint(0, 60)))


def test_control_characters_are_counted_as_the_pattern_finds_them():
    rng = random.Random(6)
    for _ in range(3000):
        sample = _sample(rng)
        assert corpus._not_text(sample) == len(corpus._NOT_TEXT.findall(sample)), ascii(sample)


@pytest.mark.parametrize("data", [b"abc", b"\xef\xbb\xbfabc", b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbfx",
                                  b"caf\xc3\xa9 ok", b"ab\xe9 cp1252", b"\xef\xbb", b"\xef", b"ab"])
def test_a_whole_file_decodes_as_the_incremental_decoder_decodes_it(data):
    try:
        expected = codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=True)
    except UnicodeDecodeError:
        expected = data.decode("cp1252")
    text, _ = corpus.decode(data)
    assert text == expected


def _flow_line_by_line(lines: list[str], first: int):
    """What flow_lines keeps, told one line at a time: (line number, text) of each kept line."""
    from spaq.extract.text import _PAGE_NO, RULE, clean_line
    out = []
    for n, line in enumerate(lines, first):
        cleaned = clean_line(line).rstrip()
        if cleaned and not RULE.match(cleaned) and not _PAGE_NO.match(cleaned):
            out.append((n, cleaned.lstrip()))
    return out


def test_the_flow_keeps_the_lines_a_line_by_line_reading_keeps():
    from spaq.extract.text import flow_lines
    rng = random.Random(7)
    pieces = [" ", "\t", "-", "_", "=", "*", ".", "1", "23", "456", "page", "Page ", "PAGE", "a", "Xy", "\u3000",
              "\x1f", "\xa0", "\u2014", "|", "<PAGE>", "<S>", "\u0663", "\xb2", "5th", "of2", "OnJuly", "$",
              "---", "\r", "- 12 -", "page\t3", "-_-", "=.=", "\n"]
    for _ in range(20000):
        lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 6))]
        f = flow_lines("x", range(5, 5 + len(lines)), lines)
        kept = _flow_line_by_line(lines, 5)
        assert f.line_nos == [n for n, _ in kept] and f.text == "\n".join(t for _, t in kept), lines
        assert f.starts == [sum(len(t) + 1 for _, t in kept[:i]) for i in range(len(kept))]
        # cited from the document's lines as from a dict of them (as `flow` of numbered pairs does)
        g = flow_lines("x", list(range(5, 5 + len(lines))), lines)
        assert f.raw is None and g.raw is not None
        for at in range(0, len(f.text), 3):
            a, b = f.source(at, at + 9), g.source(at, at + 9)
            assert (a.line, a.text) == (b.line, b.text)


def test_html_is_told_as_counting_every_tag_tells_it():
    rng = random.Random(8)
    bits = ["<p>", "<P ", "<br/>", "<td>", "<tdx>", "<", ">", "x", " ", "<html", "<<p>", "\n", "<div a='<'>"]
    for _ in range(20000):
        text = "".join(rng.choice(bits) for _ in range(rng.randint(0, 12)))
        if rng.random() < 0.05:
            text = "x" * rng.randint(19980, 20000) + text
        assert corpus.is_html(text) == (len(corpus._HTML.findall(text[:20000])) >= 3), text


def _submission_line_by_line(text: str):
    """(first line, lines, type) of each <DOCUMENT> of a submission, read one line at a time."""
    out, doc = [], None
    for i, line in enumerate(text.splitlines()):
        if corpus._DOC_START.match(line):
            if doc is not None:
                out.append(doc)
            doc = {"first": i + 2, "lines": [], "type": None, "head": 11, "in_text": False, "done": False}
            continue
        if doc is None:
            continue
        if corpus._DOC_END.match(line):
            out.append(doc)
            doc = None
            continue
        if doc["done"]:
            continue
        if doc["head"] > 0:
            doc["head"] -= 1
            if doc["type"] is None and (m := corpus._TYPE.match(line)):
                doc["type"] = m.group(1).upper()
        if not doc["in_text"] and corpus._TEXT_START.match(line):
            doc.update(in_text=True, first=i + 2, lines=[])
            continue
        if doc["in_text"] and corpus._TEXT_END.match(line):
            doc["done"] = True
            continue
        doc["lines"].append(line)
    return [(d["first"], d["lines"], d["type"]) for d in out + ([doc] if doc is not None else [])]


def test_a_submission_is_split_as_reading_it_line_by_line_splits_it(monkeypatch):
    monkeypatch.setattr(corpus, "_CHUNK", 40)          # lines come in many chunks
    rng = random.Random(9)
    pieces = ["<DOCUMENT>", " <document> ", "</DOCUMENT>", "<TYPE>EX-10.1", "<type> 8-k ", "<TEXT>", "</TEXT>",
              "<PAGE>", "plain words", "", "  ", "a < b", "<SEQUENCE>1", "<FILENAME>x.txt", "x" * 30]
    for _ in range(3000):
        text = rng.choice(["\n", "\r\n"]).join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        if "<DOCUMENT>" not in text.upper():
            continue
        docs = [(d.first_line, d.lines, d.type_hint) for d in corpus.iter_documents("f", text)]
        expected = _submission_line_by_line(text)
        assert docs == expected or not expected, text


@pytest.mark.parametrize("text", ["Purchase Agreement", "Société Générale — “Purchaser”", "İSTANBUL Fıat ſhares",
                                  "naïve café", "ǅ ß ﬁ Σ", ""])
def test_fold_is_lower_case_one_character_for_one(text):
    """text.fold takes a plain lower() when the text holds none of the characters it maps
    itself: the same as mapping them first, and never a change of length."""
    from spaq.extract.text import _FOLD, fold
    low = fold(text)
    assert len(low) == len(text)
    expected = text.translate(_FOLD).lower()
    if len(expected) == len(text):
        assert low == expected
    for c in "İıſ":
        assert fold(c) in ("i", "s")
