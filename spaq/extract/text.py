"""Plain text of an EDGAR document, flowed for matching, with its line numbers.

Recognisers match against `Flow.text`: the document's lines with SGML tags,
`<PAGE>` markers, page numbers and rule lines removed, lines joined by "\n".
Every offset in the flow maps back to the line it came from, so a match can
cite file, line and the line's text.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from dataclasses import dataclass, field
from functools import cached_property

from ..model import Source

# <PAGE>, <TABLE>, <S>, <C>, <CAPTION>, <FN> and their closing tags.
_SGML = re.compile(r"</?(?:PAGE|TABLE|CAPTION|S|C|FN|F\d+)>", re.I)
class _Rule:
    """A line that is only a drawn rule or a blank to fill in: ----, ____, ====.

    A check in linear time: the equivalent regex backtracks in the square of a
    line's length on a long run of dashes that ends in another character."""

    MARKS = " \t-_=*."
    _RUN = re.compile(r"[-_=]{3}")

    def match(self, line: str) -> bool:
        return not line.strip(self.MARKS) and bool(self._RUN.search(line))


RULE = _Rule()
# A page number on its own line: "2", "- 2 -", "Page 2", "2<PAGE>" (tag already gone).
_PAGE_NO = re.compile(r"^\s*(?:-\s*)?(?:page\s+)?\d{1,3}(?:\s*-)?\s*$", re.I)


SOURCE_WIDTH = 240   # characters of a line's text kept as a value's source


@dataclass
class Flow:
    file: str
    text: str
    starts: list[int]        # flow offset where each kept line starts
    line_nos: list[int]      # file line number of each kept line
    # The lines as written, for citing them: file line number -> text; or None, when they are
    # `lines`, the first numbered `first_number` (a document's: made without a dict of them).
    raw: dict[int, str] | None
    lines: list[str] = field(default_factory=list, repr=False, compare=False)
    first_number: int = 0
    _places: dict = field(default_factory=dict, repr=False, compare=False)
    _cited: dict = field(default_factory=dict, repr=False, compare=False)   # (first, last) line -> Source or text

    @cached_property
    def low(self) -> str:
        """The text folded (see `fold`), made once: where recognisers look for a word
        before they try the patterns that need it."""
        return fold(self.text)

    def places(self, words: tuple[str, ...]) -> list[int]:
        """Sorted offsets where one of `words` (lower case) stands in the folded text; made once."""
        found = self._places.get(words)
        if found is None:
            low, found = self.low, []
            for w in words:
                i = low.find(w)
                while i >= 0:
                    found.append(i)
                    i = low.find(w, i + 1)
            if len(words) > 1:          # (one word's places come sorted, each once)
                if _prefix_free(words):
                    found.sort()        # (no two words stand at one place: each place is once)
                else:
                    found = sorted(set(found))
            self._places[words] = found
        return found

    def search(self, rx: re.Pattern, words: tuple[str, ...], start: int = 0, end: int | None = None):
        """rx.search(self.text, start, end) for a pattern whose every match starts with one of
        `words` (in any case): rx is tried only where one of them stands, not at every
        character, and the first place it matches is the place search would find."""
        end = len(self.text) if end is None else end
        places = self.places(words)
        text = self.text
        for i in places[bisect.bisect_left(places, start):bisect.bisect_right(places, end)]:
            m = rx.match(text, i, end)
            if m:
                return m
        return None

    def line_at(self, offset: int) -> int:
        return self.line_nos[max(0, bisect.bisect_right(self.starts, offset) - 1)]

    def source(self, start: int, end: int | None = None) -> Source:
        """The Source of the flow span start..end: its first line and the lines' text."""
        starts = self.starts
        # (tests, not max(): a builtin's call costs more than the comparison, 16,000 times a 1,000 filings)
        i = bisect.bisect_right(starts, start) - 1                  # the kept line of start (as line_at)
        if i < 0:
            i = 0
        stop = (end or start + 1) - 1
        if stop < start:
            stop = start
        j = i if i + 1 >= len(starts) or stop < starts[i + 1] else bisect.bisect_right(starts, stop) - 1
        first, last = self.line_nos[i], self.line_nos[j]
        cited = self._cited.get((first, last))
        if isinstance(cited, Source):
            return cited            # a line is often cited for several values: its Source is made once
        if cited is None:
            if self.raw is None:    # (a document's lines: every number from first to last is one)
                base = self.first_number
                text = self.lines[first - base].strip() if first == last else \
                    " ".join(filter(None, map(str.strip, self.lines[first - base:last - base + 1])))
            elif first == last:     # (most values stand on one line)
                text = self.raw.get(first, "").strip()
            else:
                text = " ".join(self.raw[n].strip() for n in range(first, last + 1)
                                if n in self.raw and self.raw[n].strip())
            if "<" in text:         # (every tag opens with it)
                text = _SGML.sub("", text).strip()
            if len(text) <= SOURCE_WIDTH:
                source = self._cited[first, last] = Source(self.file, first, text)
                return source
            self._cited[first, last] = text      # a long line is cited around each value
        else:
            text = cited
        if len(text) > SOURCE_WIDTH:
            # A rendered HTML paragraph is one long line: cite the part around the value.
            at = max(0, min(len(text), start - starts[i]) - SOURCE_WIDTH // 3)
            text = ("…" if at else "") + text[at:at + SOURCE_WIDTH].strip() + ("…" if at + SOURCE_WIDTH < len(text) else "")
        return Source(self.file, first, text)


@functools.lru_cache(maxsize=256)
def _prefix_free(words: tuple[str, ...]) -> bool:
    """Whether no word of `words` starts another (nor is twice there): then no two of them
    stand at one offset, and their places, each word's sorted, need sorting, not a set."""
    return len(set(words)) == len(words) and \
        not any(a != b and b.startswith(a) for a in words for b in words)


# re.IGNORECASE takes these for i and s, which lower() keeps (and İ it makes two characters).
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_FOLD_CHARS = ("\u0130", "\u0131", "\u017f")


def fold(text: str) -> str:
    """The text in lower case, one character for one, as re.IGNORECASE compares letters:
    wherever a pattern (with IGNORECASE or without) matches a word of ASCII letters, that
    word, in lower case, stands at the same offset of fold(text). So `word not in fold(text)`
    proves a pattern that needs the word cannot match, without running it."""
    if text.isascii():
        return text.lower()         # (_FOLD's characters are none of ASCII's)
    # (str.translate looks each character up in a dict: three scans in C tell, far cheaper,
    # that the text holds none of _FOLD's characters, which is nearly always so)
    low = text.lower() if not any(map(text.__contains__, _FOLD_CHARS)) else text.translate(_FOLD).lower()
    if len(low) != len(text):       # no such character today; kept one for one if one comes
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text.translate(_FOLD))
    return low


# Typographic quotes and dashes become plain ones (one character for one, so
# offsets still map to lines); anchors then need to spell only one form.
_PLAIN = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
                        "\u2013": "-", "\u2014": "-", "\xa0": " ", "\t": " "})


def plain(text: str) -> str:
    """text.translate(_PLAIN), one str.replace a character: each is a scan in C, where
    translate looks every character up in the table (several times slower on a long text).
    (No replacement is itself replaced: none of _PLAIN's characters is a value of it.)"""
    for old, new in _PLAIN_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


_PLAIN_PAIRS = tuple((chr(k), v) for k, v in _PLAIN.items())


# XBRL viewers drop the spaces around inline numbers: "of2,272,728shares at$2.20per share",
# "OnJuly 29". Lower-case letters never touch a figure in prose, so a space goes back between
# them (ordinals like "5th" and plurals like "1990s" stay whole), and before a glued month.
_GLUED = re.compile(r"(?<=[a-z])(?=[$\d])|(?<=\d)(?=[a-z])(?!(?:st|nd|rd|th|s)\b)"
                    r"|(?<=[a-z])(?=(?:January|February|March|April|May|June|July|August|September|October"
                    r"|November|December)\b)")
# The same places found quickly: _GLUED's lookbehinds make re try every character of the
# text, while _TOUCHING opens with the character it takes, so re skips in C from one figure
# to the next, and stops only at a figure with a lower-case letter on either side.
_TOUCHING = re.compile(r"[$\d](?:(?<=[a-z].)|(?<=\d)(?=[a-z]))")
# An ASCII text's characters as their kinds (a lower-case letter "a", a capital "A", a figure's
# character, a digit or "$", "0", anything else " "): a glue is a pair of kinds, which bytes.find
# finds in C several times faster than re tries a class at each character.
_KINDS = bytes(ord("a") if 97 <= c <= 122 else ord("A") if 65 <= c <= 90 else ord("0") if 48 <= c <= 57 or c == 36
               else ord(" ") for c in range(256))
_DIGIT_THEN_LETTER = re.compile(r"\d(?=[a-z])(?!(?:st|nd|rd|th|s)\b)")
_MONTH_WORD = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October"
                         r"|November|December)\b")


def find_all(text, word, start: int = 0, end: int | None = None):
    """Every offset where `word` stands whole in text[start:end] (a str's or bytes' find)."""
    end = len(text) if end is None else end
    i = text.find(word, start, end)
    while i >= 0:
        yield i
        i = text.find(word, i + 1, end)


def _glued_ascii(text: str) -> list[int]:
    """unglue's places in an ASCII text, as _GLUED finds them: after a lower-case letter that
    touches a figure ("of2,272", "at$2.20") or a month ("OnJuly"), and after a digit that
    touches a word other than an ordinal's or a plural's ending ("728shares", not "5th")."""
    kinds = text.encode("ascii").translate(_KINDS)
    at = [i + 1 for i in find_all(kinds, b"a0")]
    at += [i + 1 for i in find_all(kinds, b"0a") if _DIGIT_THEN_LETTER.match(text, i)]     # ("$a" is no glue)
    at += [i + 1 for i in find_all(kinds, b"aA") if _MONTH_WORD.match(text, i + 1)]
    return at


def unglue(text: str) -> str:
    """_GLUED.sub(" ", text): a space at each place a letter touches a figure or a month."""
    if text.isascii():
        at = _glued_ascii(text)
    else:
        at = []
        for m in _TOUCHING.finditer(text):
            i = m.start()
            if i and "a" <= text[i - 1] <= "z":            # "of2,272" / "at$2.20"
                at.append(i)
            if _DIGIT_THEN_LETTER.match(text, i):          # "728shares", not "5th"
                at.append(i + 1)
        at += [m.start() for m in _MONTH_WORD.finditer(text)                 # "OnJuly"
               if m.start() and "a" <= text[m.start() - 1] <= "z"]
    if not at:
        return text
    at.sort()
    return " ".join(text[i:j] for i, j in zip([0] + at, at + [len(text)]))


def clean_line(line: str) -> str:
    """A line without tags; table cells split by '|' become runs of spaces."""
    text = _SGML.sub(" ", line).translate(_PLAIN)
    if "|" in text:
        text = _BAR_IN_LINE.sub("  ", text)
    return _GLUED.sub(" ", text).rstrip()


# A cell bar and the blanks around it: in a line; within one line of the joined text (its newlines stay).
_BAR_IN_LINE = re.compile(r"\s*\|\s*")
_BAR = re.compile(r"[^\S\n]*\|[^\S\n]*")


def _clean_lines(lines: list[str]) -> list[str]:
    """clean_line of every line, done on the lines joined: each substitution is one
    scan of the document instead of one call per line. None of the patterns reaches
    over a newline (a tag holds none, the glue's lookarounds see one as they see a
    line's end, and _BAR keeps to its line), so the result is the same line by line.
    A "line" that holds a line break itself (only a caller's own pairs can) is
    cleaned alone: told by the count of the lines split again, as the cleaning puts no
    "\n" in nor takes one out (not by a count of the joined text's, a scan of its own)."""
    text = "\n".join(lines)
    if "<" in text:                     # (every tag opens with it: found in C, not by re's scan)
        text = _SGML.sub(" ", text)
    # In ASCII text a tab is the only character _PLAIN changes; str.replace finds it in C.
    text = text.replace("\t", " ") if text.isascii() else plain(text)
    if "|" in text:
        text = _BAR.sub("  ", text)
    cleaned = unglue(text).split("\n")
    return cleaned if len(cleaned) == len(lines) else [clean_line(line) for line in lines]


def flow(file: str, numbered) -> Flow:
    """Flow the (line number, text) pairs of a document."""
    pairs = list(numbered)
    return flow_lines(file, [n for n, _ in pairs], [line for _, line in pairs])


def flow_lines(file: str, numbers, lines: list[str]) -> Flow:
    """flow() of lines numbered by `numbers` (a Document's: a range).

    The flow keeps the text of each line without its blanks at either end; a blank line, a
    drawn rule or a page number is no text. (The lines are stripped by one map, those that are
    no text dropped by compress, the offsets of the others summed by accumulate: Python looks
    at each line's last character only, and further at a line that ends as a rule or a page
    number may. The lines as written are kept for citing, without a dict of them.)"""
    cleaned = _clean_lines(lines)
    parts = list(map(str.strip, cleaned))
    # Most lines end in a letter or a stop, or start with a letter: an ASCII character at
    # either end that neither a rule nor a page number has there keeps the line at once (one
    # look in a set of those characters for each). A blank line's part is "": not kept.
    ends, opens = _TEXT_END, _TEXT_START
    kept = [part and (part[-1] in ends or part[0] in opens or _is_text(part, line))
            for part, line in zip(parts, cleaned)]
    parts = list(itertools.compress(parts, kept))
    # (a part starts after the parts before it and a newline each: their lengths, each and its
    # newline added in C, a small int then, summed in C)
    starts = list(itertools.accumulate(map(operator.add, map(len, parts[:-1]), itertools.repeat(1)), initial=0)) \
        if parts else []
    line_nos = list(itertools.compress(numbers, kept))
    if type(numbers) is range and numbers.step == 1:        # (a Document's: cited from its lines as they are)
        return Flow(file, "\n".join(parts), starts, line_nos, None, lines, numbers.start)
    return Flow(file, "\n".join(parts), starts, line_nos, dict(zip(numbers, lines)))


def _is_text(part: str, line: str) -> bool:
    """Whether a line (`part`: stripped) that may be a drawn rule or a page number by its first
    and last characters is text: neither of them. A rule is all marks, told on
    the line stripped at its end only: a blank before its marks that is not a space or tab is
    no rule mark. A page number starts with "-", the "p" of "page" or a digit (after the
    blanks, which lstrip strips as re's \\s matches them), and ends in a digit or "-"."""
    end, start = part[-1], part[0]
    if end in RULE.MARKS and start in RULE.MARKS and RULE.match(line.rstrip()):
        return False
    return not ((end.isdigit() or end == "-") and (start in "-pP" or start.isdigit()) and _PAGE_NO.match(part))


# The last and the first characters of a line that may be a rule or a page number: a rule's
# marks; a digit, or the "p" of "page".
_RULE_OR_PAGE_END = RULE.MARKS + "0123456789"
_RULE_OR_PAGE_START = RULE.MARKS + "0123456789pP"
# The ASCII characters neither has there: a line that ends (starts) with one is text.
_TEXT_END = frozenset(chr(c) for c in range(128) if chr(c) not in _RULE_OR_PAGE_END)
_TEXT_START = frozenset(chr(c) for c in range(128) if chr(c) not in _RULE_OR_PAGE_START)


# A run of white space (compiled once: re's cache costs a lookup a call).
BLANKS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Collapse runs of white space to one space."""
    return BLANKS.sub(" ", text).strip()
