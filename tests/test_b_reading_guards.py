"""Helper B's shortcuts on the report and reading side give what the plain code gives.

The sale way of narrative._DEAL_STARTS guards its optional "(... words ... (" group with a
lookahead that a match of the group needs (a "(" after a run of letters, hyphens and blanks):
every place where the way is tried must match as the way without the guard does. _DESCRIPTOR,
opened by a class that takes its first character, starts and ends where it did when a lookahead
opened it."""
from __future__ import annotations

import itertools
import random
import re

from spaq.extract import narrative as N
from spaq.extract.values import NUM

# The sale way as first written, without the guard.
PLAIN_SALE = re.compile(
    rf"(?:issued\s+and\s+sold|sold\s+and\s+issued|(?<!be\s)sold|issued|purchased|acquired)(?:\s+and\s+issued)?\s+"
    rf"(?:(?:to|from)\s+(?:(?!warrant)[^.;]){{0,100}}?\s+)?(?:an\s+aggregate\s+(?:of\s+)?)?"
    rf"(?:(?:[a-z\-]+\s+){{1,9}}\()?{NUM}\)?\s+(?:shares|units|Units)", re.I)
SALE = re.compile(next(p for words, p in N._DEAL_STARTS if "sold" in words), re.I)

VERBS = ["issued and sold ", "sold and issued ", "sold ", "be sold ", "issued ", "purchased ", "acquired ",
         "Issued And Issued ", "SOLD "]
TO = ["", "to Alpha Fund, L.P. ", "from the Investors ", "to the warrant holders ", "to X; ", "to Ann. ",
      "to one of its 3 investors, "]
AGGREGATE = ["", "an aggregate of ", "an aggregate ", "AN AGGREGATE OF "]
WORDS = ["", "one million two hundred (", "ten (", "two-hundred thousand (", "pursuant to Form S-3 (",
         "a b c d e f g h i j (", "one\ntwo (", "seven ((", "Shares (", "ſeven (", "\u212aelvin ("]
FIGURES = ["1,230,770", "800000", ".35", "1.5", "12,34", "", "one"]
AFTER = [" shares", ") shares", " Units", " units of", " warrants", "  shares.", ")shares"]


def sentences():
    for n, parts in enumerate(itertools.product(VERBS, TO, AGGREGATE, WORDS, FIGURES, AFTER)):
        if n % 3:
            continue            # (a third of them: each piece still meets every other)
        yield "On June 3, 2020, the Company " + "".join(parts)
    rng = random.Random(11)
    pieces = VERBS + TO + AGGREGATE + WORDS + FIGURES + AFTER + ["(", " ", "-", "a", "\n", ";", "."]
    for _ in range(3000):
        yield "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14)))


def test_the_guarded_sale_way_matches_as_the_plain_one():
    assert SALE.pattern != PLAIN_SALE.pattern
    tried = 0
    for text in sentences():
        # (the way opens with one of its words: elsewhere both fail at once)
        low = text.lower()
        for i in sorted({0} | {m.start() for m in re.finditer("issued|sold|purchased|acquired", low)}):
            for end in (len(text), max(i, len(text) - 7)):
                plain, fast = PLAIN_SALE.match(text, i, end), SALE.match(text, i, end)
                assert (plain and plain.span()) == (fast and fast.span()), (text, i, end)
                tried += plain is not None
    assert tried > 1000


# narrative._DESCRIPTOR as first written: opened by a lookahead, its two ways whole.
PLAIN_DESCRIPTOR = re.compile(r"(?=[,\s])(?:,?\s+an?\s+(?:[A-Z][\w.]*\s+)*(?:corporation|company|limited|partnership"
                              r"|exempted|business|trust|bank|fund|societe|société|banking)\b.*$|,?\s+an?\s+"
                              r"(?:Delaware|Nevada|Florida|New\s+York|California|Cayman|British|Bermuda)\b.*$)", re.S)


def test_the_descriptor_is_found_where_the_plain_pattern_finds_it():
    rng = random.Random(5)
    pieces = ["Acme Holdings, Inc.", ", a Delaware corporation", ", an exempted company", " a Cayman Islands fund",
              ",a Nevada corporation", " ,  a New\nYork bank", ", A Delaware limited", ",\ta Bermuda", " an ",
              "a ", ", ", " ", "\n", "Mistral Harbor Fund, L.P.", " a British Virgin Islands company", "x",
              " a Fund", ",an Ltd. company", " a société anonyme", "\u2003a Florida trust", ",, a trust"]
    found = 0
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 9)))
        for start in range(len(text) + 1):
            plain, fast = PLAIN_DESCRIPTOR.search(text, start), N._DESCRIPTOR.search(text, start)
            assert (plain and plain.span()) == (fast and fast.span()), (text, start)
            found += plain is not None
    assert found > 10000


def test_a_file_read_whole_at_once_is_not_read_again(tmp_path, monkeypatch):
    import os

    from spaq import corpus
    real_read, asked = os.read, []

    def counted(fd, n):
        asked.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(corpus.os, "read", counted)
    for size in (0, 1, 4600, 70000):
        asked.clear()
        (tmp_path / "a.txt").write_bytes(b"x" * size)
        read = corpus.read_file(tmp_path / "a.txt")
        assert read.data == b"x" * size and not read.truncated
        assert asked == [size + 1], asked          # (an empty file: one read, that says its end)


def test_a_short_read_before_the_size_is_read_on(tmp_path, monkeypatch):
    """A file system that gives less than was asked before the file's end (some network or
    user-space ones do) is read to the end, as before."""
    import os

    from spaq import corpus
    real_read = os.read
    monkeypatch.setattr(corpus.os, "read", lambda fd, n: real_read(fd, min(n, 1000)))
    (tmp_path / "a.txt").write_bytes(bytes(range(256)) * 20)
    assert corpus.read_file(tmp_path / "a.txt").data == bytes(range(256)) * 20


def test_an_empty_or_blank_file_is_told_as_before():
    from spaq import corpus
    for data in (b"", b" ", b"\n\r\t\x0b\x0c ", b" x ", b"\x1c", b"\xa0", b"\x00"):
        plain = not data.strip()
        assert (corpus.decode(data) == (None, ["empty file"])) is plain, data


def test_a_zip_code_is_spliced_as_the_substitution_did():
    from spaq.extract import report as R
    for text in ("Austin, Texas 78701", "Austin, Texas, 78701-1234", "Austin 78701\n", "1 Main St 123456",
                 "Austin, Texas  78701", "78701", "Suite 400, 10001, NY 10001", "a ,\t 12345"):
        zip_code = R._ZIP.search(text)
        spliced = f"{text[:zip_code.start()]} {zip_code.group(1)}{text[zip_code.end():]}" if zip_code else text
        assert spliced == R._ZIP.sub(r" \1", text), text


# The "entered into" way as first written, without its lookahead.
PLAIN_ENTERED = re.compile(r"entered\s+into\s+(?:a|an|the|certain|two|separate|definitive|several)?\s*"
                           + N._AGREEMENT, re.I)
ENTERED = re.compile(next(p for words, p in N._DEAL_STARTS if words == ("entered",)), re.I)


def test_the_guarded_entered_way_matches_as_the_plain_one():
    assert ENTERED.pattern != PLAIN_ENTERED.pattern
    rng = random.Random(17)
    pieces = ["entered into ", "ENTERED  INTO\n", "a ", "an ", "the ", "certain ", "two separate ", "definitive ",
              "securities ", "common stock ", "Preferred Stock ", "note ", "unit-", "purchase ", "subscription ",
              "agreement", "Agreements", " as of March 9, 1996,", "this ", "(the \"Agreement\") ", "purchaser ",
              "SUBSCRIPTION", " ", "\n", "-", ", ", "ſecurities ", "five ", "x"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))) for _ in range(6000)]
    texts += ["entered into " + "".join(parts) for parts in itertools.product(
        ["", "a ", "an ", "the ", "two "], ["", "certain ", "unit-linked new ", "x y z w "],
        ["", "securities ", "common stock ", "preferred  stock "], ["purchase ", "subscription ", "sale "],
        ["agreement", "Agreements.", "agreement-"])]
    found = 0
    for text in texts:
        for m in re.finditer("entered", text, re.I):
            for end in (len(text), max(m.start(), len(text) - 5)):
                plain, fast = PLAIN_ENTERED.match(text, m.start(), end), ENTERED.match(text, m.start(), end)
                assert (plain and plain.span()) == (fast and fast.span()), (text, m.start(), end)
                found += plain is not None
    assert found > 300
