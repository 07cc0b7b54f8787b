"""Deal terms: anchors composed with value recognisers.

An agreement's sale clause and a report's narrative state the same terms in
different words. Both are read here, a sentence at a time:

- a sentence that enumerates what is sold — "(i) 150,000 shares ..., (ii)
  pre-funded warrants ..., (iii) warrants to purchase up to ..." — is cut into
  its items, and each item is read as shares, warrants or pre-funded warrants;
- a sentence that does not is cut where the warrant is introduced: shares and
  the price before the cut, the warrant's shares and price after it;
- an anchor is a phrase of the field ("a price per share of", "an exercise
  price of", "warrants to purchase up to") followed by a value recogniser.

Where the text is not sure, nothing is recorded: an amount qualified by
"approximately" or rounded to millions is not an exact aggregate, a price in a
sentence about conversion is a conversion price, a figure cut off by the end
of an excerpt is not a value, and pre-funded warrants count as the deal's
warrants only when there are no others.
"""
from __future__ import annotations

import operator
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any, Iterator

from .facts import Bag
from .text import BLANKS, Flow, fold
from .values import (BLANK, DATE, MONEY, NUM, SMALL, clean_name, parse_date, parse_money,
                     parse_shares, parse_small)

I = re.I | re.S


_COMPILED: dict[tuple[str, int], re.Pattern] = {}


def compiled(pattern: str | re.Pattern, flags=I) -> re.Pattern:
    """A pattern compiled once per process (re's own cache is small and slower to ask)."""
    if isinstance(pattern, re.Pattern):
        return pattern
    key = (pattern, flags)
    rx = _COMPILED.get(key)
    if rx is None:
        rx = _COMPILED[key] = re.compile(pattern, flags)
    return rx


def first(pattern: str | re.Pattern, text: str, start: int = 0, end: int | None = None, flags=I):
    return compiled(pattern, flags).search(text, start, len(text) if end is None else end)


# -- sentences ----------------------------------------------------------------

# (Each pattern opens with a lookahead of the letters its matches start with: re then tries
# the alternatives only there, not at each character of the text before a stop.)
_ABBREV = re.compile(r"(?=[A-Za])(?:\b(?:No|Nos|Inc|Ltd|Co|Corp|Jr|Sr|Mr|Ms|Mrs|Dr|St|U\.S|N\.A|L\.P|L\.L\.C|S\.A|N\.V|"
                     r"Esq|approx|Sec|Reg|Mar|Sept?|Oct|Nov|Dec|Jan|Feb|Apr|Aug|Jun|Jul)|\b[A-Z])$")


# A stop before a capital (or the end), or a line break before a short capitalised line.
# Each pattern opens with its one literal character, so re skips from one candidate to the
# next as fast as str.find (a pattern led by a class tests it at every character, ten times
# slower). (A semicolon or colon ends an enumerated item, not the sentence: no candidate.)
_STOP = re.compile(r"\.(?=\s+[A-Z(\"]|\s*$)")
_BREAK = re.compile(r"\n(?=[A-Z][^\n]{0,70}\n)")


def sentence_end(text: str, start: int, limit: int = 2000) -> int:
    """Offset just past the sentence that contains `start` (or `start + limit`)."""
    stop = min(len(text), start + limit)
    # (as in text[start:stop]: $ and lookaheads end at stop; the candidates taken in order)
    dot, brk = _STOP.search(text, start, stop), _BREAK.search(text, start, stop)
    while brk or dot:
        if brk and not (dot and dot.start() < brk.start()):
            at = brk.start()
            if _is_heading(text, at + 1):
                return at
            brk = _BREAK.search(text, at + 1, stop)
            continue
        at = dot.start()
        if not (text[at - 1:at].isdigit() and text[at + 1:at + 2].isdigit()
                or _ABBREV.search(text[max(0, at - 12):at]) and not _LABELLED.search(text[max(0, at - 20):at])):
            return at + 1
        dot = _STOP.search(text, at + 1, stop)
    return stop


# "Exhibit A." ends a sentence; "J. P. Morgan" does not.
_LABELLED = re.compile(r"(?=[EASC])\b(?:Exhibit|Schedule|Annex|Appendix|Series|Class|Article|Section)\s+[A-Z]$")


_OPENING = re.compile(r"[.]\s+(?=[A-Z(\"])|\n(?=[A-Z])")


def sentence_start(text: str, pos: int, limit: int = 1500) -> int:
    """Offset where the sentence containing `pos` starts."""
    lo = max(0, pos - limit)
    # The last opening that passes the tests is the answer: the candidates are tested from the
    # last back, and the rest (mostly line breaks within the sentences before) are not tested.
    for m in reversed(list(_OPENING.finditer(text, lo, pos))):
        dot = m.start()
        if text[dot] == "\n" and not _is_heading(text, dot + 1) and _last_char(text, dot) != ".":
            continue
        if text[dot] == "." and _ABBREV.search(text[max(0, dot - 12):dot]):
            continue
        return m.end()
    return lo


def _is_heading(text: str, pos: int) -> bool:
    """A short line with no closing punctuation, between sentences: a heading."""
    end = text.find("\n", pos)
    if end < 0 or not text[pos:pos + 1].isupper() or _last_char(text, pos) not in (".", ":", '"'):
        return False        # (the cheap tests first: most line breaks are within a sentence)
    line = text[pos:end]
    return 0 < len(line.split()) <= 9 and not line.rstrip().endswith((".", ",", ";", ":", ")"))


def _last_char(text: str, pos: int, near: int = 64) -> str:
    """The last character before `pos` that is not white space ("" if none): what
    text[:pos].rstrip() ends with, without copying all the text before pos for each line
    break (which made reading a long document quadratic)."""
    before = text[pos - near if pos > near else 0:pos].rstrip()        # (a test, not max(): see sentences)
    if before or pos <= near:
        return before[-1:]
    return text[:pos].rstrip()[-1:]


_SMALL_WORDS = {"of", "and", "the", "to", "in", "for", "a", "an", "on", "with", "by", "from", "or", "through", "under"}


_WORD = re.compile(r"[A-Za-z][\w'\-]*")


def is_heading_line(line: str) -> bool:
    """A line that titles what follows ("Warrant Amendment", "OTHER EVENTS"): short, every
    word but the small ones capitalised, no closing punctuation. A wrapped line of prose has
    lower-case words, so it is not taken for one."""
    line = line.strip()
    if not line[:1].isupper() or line.endswith((".", ",", ";", ":", ")")) or len(line.split()) > 9:
        return False        # (the cheap tests first: most lines are prose; a capital makes one word)
    words = _WORD.findall(line)
    for w in words:         # (a loop, not all() over a generator: this runs for most lines)
        if not w[0].isupper() and w.lower() not in _SMALL_WORDS:
            return False
    return bool(words)


def sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Sentence spans; a heading line standing before a sentence is a span of its own."""
    end = len(text) if end is None else end
    # Each sentence ends where sentence_end says; its candidates are found in one scan of the
    # text for all the sentences (see _Ends) instead of several searches per sentence.
    bound = min(len(text), end + 2000)
    ends = _Ends(text, start, bound)
    pos, size = start, len(text)
    while pos < end:
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end:
            return
        # (tests, not min and max, which cost a call each: this runs for every sentence)
        window = pos + 2000 if pos + 2000 < size else size          # (sentence_end's)
        found = ends.after(pos)
        if found is not None:
            stop = found[1] if found[2] <= window else sentence_end(text, pos)
        else:
            stop = window if window == bound else sentence_end(text, pos)
        if stop > end:
            stop = end
        # (a heading line starts with a capital: is_heading_line's first test, made before the copy)
        if (pos == 0 or text[pos - 1] == "\n") and text[pos].isupper() and 0 < (nl := text.find("\n", pos, stop)) \
                and is_heading_line(text[pos:nl]) and text[nl + 1:stop].strip():
            stop = nl
        yield pos, stop
        pos = stop if stop > pos else pos + 1


# A break before a heading follows a stop, a colon or a quote, perhaps then blanks (_is_heading
# asks _last_char): _BREAK's candidates but those after a letter or a comma, which are most.
# (The newline its lookahead stops at is captured: sentence_end sees the candidate only when
# its window holds that newline.)
_HEADING_BREAK = re.compile(r"\n(?<=[.:\"\s]\n)(?=[A-Z][^\n]{0,70}(\n))")


def _heading_after_break(text: str, at: int, end: int) -> bool:
    """_is_heading(text, at + 1) for a _HEADING_BREAK candidate at `at` whose line ends at `end`
    (its captured newline). The pattern has made _is_heading's first tests (a newline ends the
    line, which starts with a capital), and its lookbehind put a stop, a colon, a quote or a
    blank before the break: only after a blank must the last character be looked for."""
    if text[at - 1].isspace() and _last_char(text, at) not in (".", ":", '"'):
        return False
    line = text[at + 1:end]
    return not line.rstrip().endswith((".", ",", ";", ":", ")")) and len(line.split()) <= 9


class _Ends:
    """The places in text[start:bound] where sentence_end ends a sentence, found in order in one
    scan of the text for all its sentences, each as (where, the end it gives, how far
    sentence_end's window must reach to see it).

    A candidate, and whether it ends a sentence, is the same for any window that holds its
    lookahead (the tests of an ending look at the text around it, not at the window). A window
    cut short makes one candidate more: a stop followed by nothing but blanks to the window's
    end, which stands after every candidate the window holds whole. So the first end found at
    or after a sentence's start is sentence_end's answer when its window reaches it, and a
    window that reaches `bound` with none found holds none. (A window never ends short of
    `bound` at a place the scan's own end made a candidate: bound is the last sentence's
    window's end, or the text's.)"""

    def __init__(self, text: str, start: int, bound: int):
        self.text = text
        self._dots = _STOP.finditer(text, start, bound)
        self._breaks = _HEADING_BREAK.finditer(text, start, bound)
        self._dot, self._brk = next(self._dots, None), next(self._breaks, None)
        self._found: tuple[int, int, int] | None = None

    def after(self, pos: int) -> tuple[int, int, int] | None:
        """The first end at or after `pos` (None: none before bound). Candidates before pos
        are passed over untested: pos only grows."""
        found = self._found
        if found is not None and found[0] >= pos:
            return found
        text, dot, brk = self.text, self._dot, self._brk
        found = None
        while found is None and (dot or brk):
            if brk and not (dot and dot.start() < brk.start()):
                at = brk.start()
                if at >= pos and _heading_after_break(text, at, brk.start(1)):
                    found = at, at, brk.end(1)
                brk = next(self._breaks, None)
                continue
            at = dot.start()
            # (a stop is followed by a blank or the end, so never by a digit; seven letters or
            # digits before it leave no room for an abbreviation, which is at most six and
            # starts a word)
            if at >= pos and (at >= 7 and text[at - 7:at].isalnum() or not (
                    _ABBREV.search(text[at - 12 if at > 12 else 0:at])
                    and not _LABELLED.search(text[at - 20 if at > 20 else 0:at]))):
                found = at, at + 1, at + 1
            dot = next(self._dots, None)
        self._dot, self._brk, self._found = dot, brk, found
        return found


# -- qualifiers ------------------------------------------------------------------

# (The lookahead names the letters the alternatives start with: re, ignoring case, would try
# each of them at every character, though a match always stands at the end.)
_APPROX = re.compile(r"(?=[aornmiuelb])"
                     r"(?:approximately|about|approx\.?|roughly|nearly|almost|over|more\s+than|in\s+excess\s+of"
                     r"|at\s+least|up\s+to|estimated|an\s+estimated(?:\s+total\s+of)?|less\s+than|below)\s*$", re.I)
_PREFUNDED = re.compile(r"pre-?\s?funded", re.I)
# A price in these words is what a note or preferred share converts at, not what was paid.
_CONVERSION = re.compile(r"conversion\s+(?:price|rate)|convertible\b[^.;]{0,80}?\binto|convert(?:ed)?\s+into"
                         r"|upon\s+conversion", re.I)


def _converts(text: str) -> bool:
    """_CONVERSION.search(text): every match holds "conver", so without it re is not run."""
    return "conver" in fold(text) and _CONVERSION.search(text) is not None


_UP_TO = re.compile(r"up\s+to\s*(?:an\s+aggregate\s+of\s*)?$", re.I)
# The last word of each _APPROX alternative: a text that ends (before its blanks) in none of
# them is not qualified, and re need not try the alternatives at each of its characters.
_APPROX_LAST = ("approximately", "about", "approx", "approx.", "roughly", "nearly", "almost", "over", "than", "of",
                "least", "to", "estimated", "below")


def approximate(text: str, start: int, up_to: bool = True) -> bool:
    """Whether the figure at `start` is qualified ("approximately $3 million").
    A cap ("up to 125,000 shares") is exact for counts, so `up_to=False` lets it pass."""
    before = text[max(0, start - 30):start]
    if not up_to and "up" in fold(before):        # (every _UP_TO match holds "up": see fold)
        before = _UP_TO.sub("", before)
    # (rstrip strips what \s matches; fold, what IGNORECASE compares, as fold says)
    return fold(before.rstrip()).endswith(_APPROX_LAST) and bool(_APPROX.search(before))


def cut_off(text: str, end: int) -> bool:
    """A figure that runs into the end of an excerpt may have lost its digits
    ("an exercise price of $1" where the text stops); one with cents has not."""
    rest = _rest(text, end)
    if rest in (".", ","):
        # "an exercise price of $4." where the text stops: the cents were cut; "$5,000,000." is whole.
        return bool(re.search(r"(?<![\d,.])\$?\d{1,2}$", text[:end]))
    return not rest and not re.search(r"\.\d{2,}$", text[:end])


def _rest(text: str, end: int, near: int = 64) -> str:
    """text[end:].strip() as cut_off needs it: exact when it is at most one character, else
    some two characters or more. The text near `end` tells almost always, so the rest of a
    long document is not copied for each figure (which made reading one quadratic)."""
    head = text[end:end + near].strip()
    if len(head) > 1 or end + near >= len(text):
        return head
    return text[end:].strip()


# -- anchors -----------------------------------------------------------------------

# An amount, possibly written out first: "Two Million Five Hundred Thousand Dollars ($2,500,000)".
_V = rf"(?:(?:[A-Z][a-z]+[\s-]+(?:and\s+)?){{1,12}}(?:Dollars|Cents)\s*\(\s*)?({MONEY}|{BLANK})\)?"
# "per share", "per Unit", "per share and accompanying warrant"
_SHARE_UNIT = r"(?:(?:Preferred|Common|Series\s+[A-Z0-9\-]+(?:\s+Preferred)?)\s+)?(?:share|Share|unit|Unit)(?:\s+and\s+(?:the\s+)?accompanying\s+(?:common\s+)?[Ww]arrants?)?"
# Prices of what is sold; safe in any part of a sentence.
# (An anchor that opens with lookbehinds or an optional word has a lookahead of the letters
# it can start with first: re then tests those lookbehinds at a few places, not everywhere.)
PRICE_STRONG = (
    rf"(?=[posi])(?<!aggregate\s)(?<!total\s)(?<!gross\s)(?<!maximum\s)(?:public\s+)?(?:purchase|offering|sale|subscription|issue)\s+price\s+per\s+{_SHARE_UNIT}\s+(?:of|equal\s+to|was|is|will\s+be)\s+{_V}",
    rf"combined\s+(?:public\s+)?(?:purchase|offering)\s+price\s+(?:per\s+{_SHARE_UNIT}\s+)?(?:of|equal\s+to|was|is|will\s+be)\s+{_V}",
    rf"(?=[at])(?<!aggregate\s)(?<!total\s)(?:an?\s+|the\s+)(?:public\s+)?offering\s+price\s+of\s+{_V}(?!\s+(?:million|billion))",
    rf"price\s+per\s+{_SHARE_UNIT}\s+(?:of|equal\s+to|was|is|shall\s+be|will\s+be)\s+{_V}",
    rf"per\s+{_SHARE_UNIT}\s+(?:purchase\s+|offering\s+)?price\W{{0,3}}\s+(?:of|equals?|means|shall\s+be|is|was)\s+{_V}",
    rf"purchase\s+price\s+(?:for|per)\s+each\s+(?:Common\s+)?{_SHARE_UNIT}[^$.;]{{0,100}}?(?:was|is|of|equal\s+to|shall\s+be|will\s+be)\s+{_V}",
    rf"at\s+a\s+(?:purchase\s+)?price\s+of\s+{_V}\s+per\s+{_SHARE_UNIT}",
    rf"(?:purchase|offering)\s+price\s+of\s+{_V}\s+per\s+(?:share|Share)",
)
# "at $1.20 per share": the shares' price only before a warrant is mentioned.
PRICE_WEAK = (rf"(?=[af])(?<![\w$])(?:at|for)\s+({MONEY})\s+per\s+{_SHARE_UNIT}",)
UNIT_PRICE = (rf"(?:purchase|offering)\s+price\s+of\s+({MONEY})\s+per\s+(?:unit|Unit)",
              rf"per\s+unit\s+price\s+of\s+({MONEY})")
WARRANT_PRICE = (
    rf"exercise\s+price\s+(?:per\s+(?:share|warrant\s+share|Warrant\s+Share)\s+)?(?:of|equal\s+to|is|was|will\s+be)\s+{_V}",
    rf"exercisable\s+(?:at\s+any\s+time\s+)?at\s+(?:a\s+price\s+of\s+)?({MONEY})\s+per\s+share",
)
# In a warrant item, a bare price per share is the exercise price.
WARRANT_PRICE_ITEM = (rf"price\s+per\s+share\s+of\s+{_V}", rf"\bat\s+(?:a\s+price\s+of\s+)?({MONEY})\s+per\s+share")
_WORDS_THEN_DIGITS = r"(?:[A-Za-z\-]+\s+){1,8}\("
WARRANT_SHARES = (
    rf"(?:purchase|acquire)\s+(?:up\s+to\s+)?(?:an\s+aggregate\s+of\s+)?(?:up\s+to\s+)?(?:{_WORDS_THEN_DIGITS})?({NUM}|{BLANK})\)?\s+(?:additional\s+)?(?:Warrant\s+)?(?:shares|Shares)",
)
# An optional qualifier between anchor and amount, so "of approximately $932,525" is seen as approximate.
_Q = r"(?:(?:approximately|about|approx\.?|roughly|nearly|an\s+estimated|estimated|over|more\s+than|in\s+excess\s+of|up\s+to)\s+)?"
PROCEEDS = (
    rf"aggregate\s+(?:gross\s+)?(?:purchase\s+price|purchase\s+amount|consideration|subscription\s+amount|offering\s+price|gross\s+proceeds|proceeds|amount)(?:\s+to\s+the\s+Company)?\s+(?:of\s+|equal\s+to\s+|was\s+|is\s+)?{_Q}{_V}",
    rf"(?:gross|total)\s+(?:cash\s+)?proceeds\s+(?:to\s+the\s+Company\s+)?(?:of|were|was|totaling|totalling|equal\s+to)\s+{_Q}{_V}",
    rf"total\s+(?:purchase\s+price|consideration|investment)\s+of\s+{_Q}{_V}",
    rf"\bfor\s+a\s+(?:total\s+|an\s+aggregate\s+)?purchase\s+price\s+of\s+{_Q}{_V}(?![\d.,]*\s+per\b)(?!\d)(?![.,]\d)",
    rf"aggregate\s+subscription\s+price\s+of\s+{_Q}{_V}",
    rf"(?=[arneomiu$])(?:{_Q}({MONEY})\s+in\s+(?:gross\s+)?proceeds)",
    rf"closed\s+(?:an?|its)\s+{_Q}({MONEY})\s+(?:private\s+placement|registered\s+direct|offering|financing|sale)",
)
WARRANT_YEARS = (
    # A number starts with a digit or one of these letters: re tries the rest only there.
    rf"(?=[\dzotfsen])({SMALL})(?:\s*\(\d+\))?[\s-]+year\s+(?:warrant|term|Warrant)",
    rf"(?:term|period)\s+of\s+({SMALL})(?:\s*\(\d+\))?\s+years",
    rf"exercisable\s+(?:at\s+any\s+time\s+)?(?:for|during)\s+(?:a\s+period\s+of\s+)?({SMALL})(?:\s*\(\d+\))?\s+years",
    rf"expire\w*\s+({SMALL})(?:\s*\(\d+\))?\s+years",
)
# "1,250,000 shares", "Five Million (5,000,000) shares"
# A figure or a blank starts with one of the lookahead's characters: re tries the rest only there.
_SHARES = re.compile(rf"(?=[\d.$\s_-])({NUM}|{BLANK})\)?\s+(?:newly\s+issued\s+|restricted\s+)?(?:shares|Shares)\b")
_SECURITY_AFTER = re.compile(
    r"\s*(?:\([^)]{0,60}\)\s*)?(?:of\s+)?(?:the\s+Company's\s+|its\s+|our\s+|Company\s+|the\s+Registrant's\s+)?"
    r"((?:Series\s+[A-Z0-9\-]+\s+)?(?:Convertible\s+)?(?:Redeemable\s+)?Preferred\s+Stock|common\s+stock|Common\s+Stock|ordinary\s+shares)")
# The basis of a price: a percentage of an average, closing, bid or market price (not of the proceeds).
PRICING = (r"(?:representing|based\s+on|equal\s+to)\s+((?:\d+(?:\.\d+)?%|\d+\s+percent)\s+of\s+(?:\(i\)\s+)?the\s+"
           r"(?=[^,;]{0,60}?\b(?:average|closing|bid|market|volume[\s-]+weighted|VWAP|last\s+(?:reported|sale))\b)"
           r".{10,200}?)(?=,(?!\s*\d{4})|;|\.\s|\s+and\s+\(ii\)|$)")
# Words (lower case) that every match of an anchor holds, all of them: an anchor is not
# tried in a span of text without them (see text.fold; `money` is "$"). Most sentences of
# a long agreement lack most anchors' words, and trying the anchors is the slow part.
_P, _PER, _MONEY = "price", "per", "$"
_NEEDS: dict[str, tuple[str, ...]] = {
    **dict(zip(PRICE_STRONG, [(_P, _PER), ("combined", _P), ("offering", _P), (_P, _PER), (_PER, _P),
                              ("purchase", _P, "each"), (_P, _PER), (_P, _PER)])),
    PRICE_WEAK[0]: (_MONEY, _PER),
    UNIT_PRICE[0]: (_P, _PER, "unit"), UNIT_PRICE[1]: (_PER, "unit", _P),
    WARRANT_PRICE[0]: ("exercise", _P), WARRANT_PRICE[1]: ("exercisable", _MONEY, _PER, "share"),
    WARRANT_PRICE_ITEM[0]: (_P, _PER, "share"), WARRANT_PRICE_ITEM[1]: (_MONEY, _PER, "share"),
    WARRANT_SHARES[0]: ("shares",),
    **dict(zip(PROCEEDS, [("aggregate",), ("proceeds",), ("total",), ("purchase", _P), ("aggregate", "subscription", _P),
                          (_MONEY, "proceeds"), ("closed", _MONEY)])),
    **dict(zip(WARRANT_YEARS, [("year",), ("years",), ("exercisable", "years"), ("expir", "years")])),
}


def _ending_at(word: str, tail: re.Pattern, outside: re.Pattern):
    """A finder (see _matches) for a pattern that starts at a figure (no word to look for)
    and ends with `tail`, which starts with `word` (lower case), holding before it only
    characters that `outside` does not match, and never `word`. The pattern is tried only
    over the run of such characters that ends at each `tail` in the span, and up to that
    tail's end: the windows, taken in order, find the matches finditer finds, in its order,
    since a match that uses one tail holds no earlier one."""
    def find(f: Flow, rx: re.Pattern, start: int, end: int, first: bool = False) -> list[re.Match]:
        text, low, found, pos = f.text, f.low, [], start
        at = low.find(word, start, end)
        while at >= 0:
            t = tail.match(text, at, end)
            if t:
                # The run starts after the last character before the tail that no match holds;
                # when the 64 characters before it hold none, the window starts where the search may.
                stop = outside.search(text[at - 64 if at - 64 > pos else pos:at][::-1])
                m = rx.search(text, max(pos, at - stop.start()) if stop else pos, t.end())
                if m:
                    if first:
                        return [m]
                    found.append(m)
                    pos = m.end()
            at = low.find(word, at + 1, end)
        return found
    return find


# WARRANT_YEARS[0] ("a five-year warrant"): a number, a "(5)", blanks and hyphens, then its tail.
_BY_YEARS = _ending_at("year", re.compile(r"year\s+(?:warrant|term)", re.I), re.compile(r"[^\w.\s()\-]"))
# _SHARES: a figure or a blank, a ")", blanks, "newly issued" or "restricted", then its tail.
_BY_SHARES = _ending_at("shares", re.compile(r"(?:shares|Shares)\b"), re.compile(r"[^\d,.$_\-\s)newlyisudrtc]"))


# The words (lower case) every match of an anchor starts with (checked on the patterns'
# parse trees). Such an anchor is tried only where one of them stands in the span, found
# with str.find, instead of at every character of it: re cannot skip ahead to a letter of
# a pattern that ignores case, and tries it at each one. (An anchor that starts with "a",
# "the" or an optional qualifier is not listed: its first words stand nearly everywhere.)
_STARTS: dict[str, Any] = {
    PRICE_STRONG[0]: ("public", "purchase", "offering", "sale", "subscription", "issue"),
    PRICE_STRONG[1]: ("combined",), PRICE_STRONG[3]: ("price",), PRICE_STRONG[4]: ("per",),
    PRICE_STRONG[5]: ("purchase",), PRICE_STRONG[6]: ("at",), PRICE_STRONG[7]: ("purchase", "offering"),
    PRICE_WEAK[0]: ("at", "for"),
    UNIT_PRICE[0]: ("purchase", "offering"), UNIT_PRICE[1]: ("per",),
    WARRANT_PRICE[0]: ("exercise",), WARRANT_PRICE[1]: ("exercisable",),
    WARRANT_PRICE_ITEM[0]: ("price",), WARRANT_PRICE_ITEM[1]: ("at",),
    WARRANT_SHARES[0]: ("purchase", "acquire"),
    PROCEEDS[0]: ("aggregate",), PROCEEDS[1]: ("gross", "total"), PROCEEDS[2]: ("total",), PROCEEDS[3]: ("for",),
    PROCEEDS[4]: ("aggregate",), PROCEEDS[6]: ("closed",),
    WARRANT_YEARS[0]: _BY_YEARS, WARRANT_YEARS[1]: ("term", "period"), WARRANT_YEARS[2]: ("exercisable",), WARRANT_YEARS[3]: ("expire",),
}


def _matches(f: Flow, rx: re.Pattern, words: Any, start: int, end: int,
             first: bool = False, before: int | None = None) -> list[re.Match]:
    """list(rx.finditer(f.text, start, end)) (only the first match when `first`), for a pattern
    whose every match starts with one of `words` (or as `words`, a function, finds them): rx is tried only where they stand. finditer's
    next match is the first place at or after the last match's end where rx matches (a match
    holds its word, so the word stands whole in start..end; no anchor matches the empty string).
    With `before`, the caller wants no match that starts there or later: `words`' places from
    there on are neither looked for nor tried (a match found otherwise may still start later)."""
    if callable(words):
        return words(f, rx, start, end, first)
    if words is None:
        if first:
            m = rx.search(f.text, start, end)
            return [m] if m else []
        return list(rx.finditer(f.text, start, end))
    low, text, found, pos = f.low, f.text, [], start
    if len(words) == 1:
        # One word's places come in order: each is tried as it is found, and none is looked
        # for past the first match when that is all that is asked for. (This loop and the
        # one below stay two: one loop over a generator of places cost 30 M more instructions
        # per 1,000 filings, callgrind, 5.65 G -> 5.68 G.)
        w = words[0]
        # (a word that starts before `before` ends before it plus the word's length less one)
        lim = end if before is None or before - 1 + len(w) > end else before - 1 + len(w)
        i = low.find(w, start, lim)
        while i >= 0:
            if i >= pos:
                m = rx.match(text, i, end)
                if m:
                    if first:
                        return [m]
                    found.append(m)
                    pos = m.end()
            i = low.find(w, i + 1, lim)
        return found
    if first:
        # The earliest place where rx matches is the earliest of each word's first: each word's
        # places are tried in order up to its first match, and none at or after the best match
        # so far (no list of every word's places to make and sort).
        best = None
        for w in words:
            if before is not None and before - 1 + len(w) < end:
                lim = before - 1 + len(w)
            else:
                lim = end
            i = low.find(w, start, lim)
            while i >= 0:
                m = rx.match(text, i, end)
                if m:
                    best, before = m, i
                    break
                i = low.find(w, i + 1, lim)
        return [best] if best is not None else []
    places = []
    for w in words:         # (inline, not find_all: this runs for every anchor of every sentence)
        lim = end if before is None or before - 1 + len(w) > end else before - 1 + len(w)
        i = low.find(w, start, lim)
        while i >= 0:
            places.append(i)
            i = low.find(w, i + 1, lim)
    places.sort()
    for i in places:
        if i >= pos:
            m = rx.match(text, i, end)
            if m:
                if first:
                    return [m]
                found.append(m)
                pos = m.end()
    return found


def matches_at(f: Flow, rx: re.Pattern, words: tuple[str, ...], start: int = 0, end: int | None = None):
    """rx.finditer(f.text, start, end), for a pattern whose every match starts with one of
    `words` (lower case): rx is tried only where they stand in start..end (str.find), not at
    each character, which re does for a pattern that ignores case or opens with an optional
    word. (For a window of a document, where Flow.search would scan the whole document.)"""
    return iter(_matches(f, rx, words, start, len(f.text) if end is None else end))


def search_at(f: Flow, rx: re.Pattern, words: tuple[str, ...], start: int, end: int):
    """rx.search(f.text, start, end), found as matches_at finds matches."""
    found = _matches(f, rx, words, start, end, first=True)
    return found[0] if found else None


def _holds(f: Flow, words: tuple[str, ...], start: int, end: int) -> bool:
    low = f.low
    return all(low.find(w, start, end) >= 0 for w in words)


def holds_one(span: str, words: tuple[str, ...]) -> bool:
    """Whether one of `words` stands in `span` (a copy of the text looked in: 'in' costs far
    less than str.find with bounds, whose arguments cost more to parse than a short span to
    copy). A loop, not any() over a generator, which costs a function made and called."""
    for w in words:
        if w in span:
            return True
    return False


def _anchors_held(f: Flow, anchors, start: int, end: int):
    """The anchors whose words all stand in start..end: (compiled, the words they start with or None)."""
    family = _FAMILIES.get(anchors) or _family(anchors)
    low = f.low[start:end]
    # (loops, not a set and a list comprehension, each a function made and called: this runs
    # for every family of anchors a sentence is read for)
    present = set()
    for w in family.words:
        if w in low:
            present.add(w)
    rxs, held = family.compiled, []
    for i, starts, needs in family.anchors:
        if needs <= present:
            held.append((rxs[i] or family.compile(i), starts))
    return held


@dataclass(frozen=True)
class _Family:
    """A tuple of anchors made ready for _anchors_held: each anchor's place in it, with its
    start words and the set of its needed words; those words, each once, to look for once;
    and each anchor compiled when it is first held. (Many anchors are held by no sentence
    of most documents, nor of a worker's share of a corpus: compiling every anchor of a
    family up front was a seventh of the cost of compiling patterns, itself a tenth of the
    instructions of reading 1,000 filings in one process.)"""
    patterns: tuple[str, ...]
    anchors: tuple[tuple[int, Any, frozenset[str]], ...]
    words: tuple[str, ...]
    compiled: list[re.Pattern | None]

    def compile(self, i: int) -> re.Pattern:
        rx = self.compiled[i] = compiled(self.patterns[i])
        return rx


_FAMILIES: dict[tuple[str, ...], _Family] = {}


def _family(anchors: tuple[str, ...]) -> _Family:
    needs = [frozenset(_NEEDS.get(a, ())) for a in anchors]
    family = _FAMILIES[anchors] = _Family(
        patterns=anchors,
        anchors=tuple((i, _STARTS.get(a), n) for i, (a, n) in enumerate(zip(anchors, needs))),
        words=tuple(dict.fromkeys(w for n in needs for w in sorted(n))),
        compiled=[None] * len(anchors))
    return family


DEAL_VERBS = re.compile(r"\b(?:sold|sell|issued|issue|purchase[sd]?|subscri\w+|offering|placement)\b", re.I)
_SERIES = re.compile(r"\bSeries\s+([A-Z0-9]{1,2})\s+(?:Common\s+)?Warrants?\b")
_WARRANT_WORD = re.compile(r"\bwarrants?\b(?!\s+shares)", re.I)
_SHARES_OF_COMMON = re.compile(rf"{NUM}\s+shares\s+of\s+(?:common|Common)")
_ITEM = re.compile(r"\((?:i{1,3}|iv|v|vi{0,3}|[a-f]|[1-6])\)\s", re.I)


def _search(f: Flow, anchors, start: int, end: int):
    """The earliest match of any anchor in start..end."""
    best = None
    for rx, words in _anchors_held(f, anchors, start, end):
        # (an anchor's match from where the best one starts on would not be taken)
        found = _matches(f, rx, words, start, end, first=True, before=best.start() if best else None)
        m = found[0] if found else None
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


def _money(f: Flow, m: re.Match, group: int = 1):
    return parse_money(m.group(group)), f.source(m.start(group), m.end(group))


def _usable(f: Flow, m: re.Match, group: int = 1) -> bool:
    return not cut_off(f.text, m.end(group))


@dataclass
class Terms:
    """What a deal's sentences state: its own terms and its pre-funded warrants apart."""
    bag: Bag = field(default_factory=Bag)
    prefunded: Bag = field(default_factory=Bag)
    securities: set[str] = field(default_factory=set)
    share_counts: list[tuple[int, str]] = field(default_factory=list)
    warrant_series: set[str] = field(default_factory=set)
    # Every exercise price of the deal's warrants, wanted only when two series are sold (finish):
    # a sentence about warrants read after the warrant price was found is kept in
    # `unread_prices`, and read for them by exercise_prices(), if it is ever asked (its puts
    # would change nothing).
    warrant_prices: set[float] = field(default_factory=set)
    unread_prices: list[tuple[Flow, int, int]] = field(default_factory=list)

    def exercise_prices(self) -> set[float]:
        """warrant_prices, with those of the sentences kept unread that speak of ordinary warrants."""
        for f, s, e in self.unread_prices:
            if warrant_kind(f.text[s:e]) == "ordinary":
                _read_warrant_price(f, s, e, Bag(), WARRANT_PRICE, self.warrant_prices)
        self.unread_prices.clear()
        return self.warrant_prices


def items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The enumerated items of a sentence — "(i) ... (ii) ..." — or the sentence whole."""
    marks = list(map(_START, _ITEM.finditer(text, start, end)))     # (in C: most sentences hold none)
    if len(marks) < 2:
        return [(start, end)]
    bounds = marks + [end]
    head = [(start, marks[0])] if text[start:marks[0]].strip() else []
    return head + [(bounds[i], bounds[i + 1]) for i in range(len(marks))]


# Warrants paid to an intermediary are its fee, not the investors' warrants.
AGENT_WARRANTS = re.compile(r"(?:placement\s+agent|finder|underwriter|representative|advis[oe]r|designees?)"
                            r"(?:'s|s')?\b[^.;]{0,120}?\bwarrants?\b|\b(?:Placement\s+Agent|Finder|Underwriter|Representative)(?:'s)?\s+Warrants?",
                            re.I)


_OUTSTANDING_WARRANTS = re.compile(r"\b(?:outstanding|existing|previously\s+issued)\b[^.;]{0,60}?\bwarrants?\b", re.I)
# Every match of AGENT_WARRANTS holds one of these; of _OUTSTANDING_WARRANTS, one of those.
_AGENT_WORDS = ("placement", "finder", "underwriter", "representative", "advis", "designee")
_OUTSTANDING_WORDS = ("outstanding", "existing", "previously")


# A sentence-wide term needs one of these words (lower case, see text.fold) in its sentence:
# _read_sentence_terms reads nothing without them (each of its readers is guarded by one),
# the agent's and outstanding warrants need "warrant", a price needs "$". (document.py passes
# over an agreement's sentence that holds none of these and no word a deal starts with.)
TERM_WORDS = ("warrant", "note", "debenture", "unit", "series", "$", "year", "%", "percent")
# Read as a sale clause, a sentence with none of TERM_WORDS can still state a share count
# (_read_shares needs "shares") or pre-funded warrants (_PREFUNDED needs "funded"); with none
# of these either, it reads nothing as a clause or otherwise, and whether it sells is not asked.
CLAUSE_WORDS = ("shares", "funded")


def read_sentence(f: Flow, start: int, end: int, t: Terms, clause: bool = False, rest: bool = False) -> None:
    """Every term a sentence states. `clause` marks an agreement's sale clause,
    where an enumerated warrant item's bare price is its exercise price; `rest`
    marks the agreement's text after it, where share counts and prices are
    definitions and mechanics, not the deal, and only sentence-wide terms count."""
    if rest:
        # Most sentences after an agreement's sale clause (representations, covenants, notices)
        # hold none of the words a term needs: one look in the document's sorted places of those
        # words spares them every reader below. (A sale clause, or a report's sentence, is not
        # looked at first: most hold one of them, and their places cost a scan of the document.)
        places = f.places(TERM_WORDS)
        i = bisect_left(places, start)
        if i == len(places) or places[i] >= end:
            return
    _read_sentence(f, start, end, t, clause, rest)


def _read_sentence(f: Flow, start: int, end: int, t: Terms, clause: bool, rest: bool) -> None:
    """read_sentence without its shortcut: the tests check that the two agree."""
    text = f.text
    # Both patterns need the word "warrant" and one of their own words: most sentences are spared them.
    low = f.low
    sentence = low[start:end]
    if "warrant" in sentence and (
            holds_one(sentence, _AGENT_WORDS) and AGENT_WARRANTS.search(text, start, end)
            or holds_one(sentence, _OUTSTANDING_WORDS) and _OUTSTANDING_WARRANTS.search(text, start, end)):
        # A sentence about the agent's fee and warrants, or about warrants already outstanding:
        # its aggregate may be the deal's, its warrants are not.
        _read_sentence_terms(f, start, end, t, warrants=False)
        return
    if rest:
        _read_sentence_terms(f, start, end, t)
        # (_read_price reads nothing once the price is found; nor without a "$": no slice is copied to tell)
        if "price" not in t.bag.values and text.find("$", start, end) >= 0:
            _read_price(f, start, end, t, PRICE_STRONG)
        return
    parts = items(text, start, end)
    enumerated = len(parts) > 1
    for s, e in parts:
        # (both patterns start with their word: they are tried only where it stands)
        # (every match also holds "funded", which most parts lack: its "pre"s are then not tried)
        if low.find("funded", s, e) >= 0 and search_at(f, _PREFUNDED, ("pre",), s, e):
            _read_warrant(f, s, e, t.prefunded, clause=enumerated)
            continue
        w = search_at(f, _WARRANT_WORD, ("warrant",), s, e)
        if enumerated and w and not _SHARES_OF_COMMON.search(text[s:w.start()]):
            _read_warrant(f, s, e, t.bag, clause=clause)
            _read_price(f, s, e, t, UNIT_PRICE)
            continue
        cut = w.start() if w else e
        _read_shares(f, s, cut, t)
        if "price" not in t.bag.values and text.find("$", s, e) >= 0:
            _read_price(f, s, cut, t, PRICE_STRONG + PRICE_WEAK)
            _read_price(f, s, e, t, UNIT_PRICE)
        if w:
            _read_warrant(f, cut, e, t.bag, clause=False)
    if not clause and "price" not in t.bag.values and text.find("$", start, end) >= 0:
        # Outside the sale clause a strong anchor names the shares' price wherever it stands.
        _read_price(f, start, end, t, PRICE_STRONG)
    _read_sentence_terms(f, start, end, t)


def _read_shares(f: Flow, s: int, e: int, t: Terms) -> None:
    if f.low.find("shares", s, e) < 0:
        return                      # every match holds "shares"
    # (no lookbehind in _SHARES, so searching s..e finds what a search of the slice finds)
    for m in _matches(f, _SHARES, _BY_SHARES, s, e):
        a, b = m.start(1), m.end(1)
        before = f.text[max(0, a - 15):a]
        if _PAR_OR_DOLLAR_BEFORE.search(before) or approximate(f.text, a, up_to=False):
            continue
        sec = _SECURITY_AFTER.match(f.text, m.end(), e)        # (it looks neither behind nor past e)
        security = _security_name(sec.group(1)) if sec else None
        value = parse_shares(m.group(1))
        if security and value is not None:
            t.share_counts.append((value, security))
            t.securities.add(security)
        if not t.bag.has("shares") and (value is None or not cut_off(f.text, b)):
            t.bag.put("shares", value, f.source(a, b))


# Compiled once, as every pattern used per figure is (re's cache costs a lookup a call).
_PAR_OR_DOLLAR_BEFORE = re.compile(r"par\s+value\s*$|\$\s*$", re.I)
_PAR_VALUE_BEFORE = re.compile(r"par\s+value\s*$")
_SCALED = re.compile(r"million|billion|thousand", re.I)
_NET_PROCEEDS = re.compile(r"net\s+(?:cash\s+)?proceeds", re.I)
_WARRANT = re.compile(r"warrant", re.I)


def _security_name(text: str) -> str:
    t = BLANKS.sub(" ", text)
    return "common stock" if t.lower() in ("common stock", "ordinary shares") else t


def _read_price(f: Flow, s: int, e: int, t: Terms, anchors) -> None:
    if t.bag.has("price"):
        return
    for m in _in_order(f, anchors, s, e):
        ctx = f.text[max(s, m.start() - 100):m.start()]
        if _converts(ctx) or _PAR_VALUE_BEFORE.search(f.text[max(0, m.start(1) - 12):m.start(1)]):
            continue
        if not _usable(f, m) or _SCALED.search(m.group(1)):
            continue
        t.bag.put("price", *_money(f, m))
        return


def _all(f: Flow, anchors, s: int, e: int):
    found = []
    for rx, words in _anchors_held(f, anchors, s, e):
        found.extend(_matches(f, rx, words, s, e))
    return sorted(found, key=_START)


_START = operator.methodcaller("start")


def _in_order(f: Flow, anchors, s: int, e: int) -> Iterator[re.Match]:
    """_all's matches, in its order, found as they are asked for: the first is _search's
    (the earliest, the first anchor's at a tie, as _all's stable sort puts it), and the rest
    only when a reader refuses it, which is rare: most take the first."""
    m = _search(f, anchors, s, e)
    if m is not None:
        yield m
        yield from _all(f, anchors, s, e)[1:]


def _read_warrant(f: Flow, s: int, e: int, bag: Bag, clause: bool) -> None:
    bag.put("has_warrant", True, None)
    m = _search(f, WARRANT_SHARES, s, e) if not bag.has("warrant_shares") else None      # (first wins)
    if m and _usable(f, m) and not approximate(f.text, m.start(1), up_to=False):
        bag.put("warrant_shares", parse_shares(m.group(1)), f.source(m.start(1), m.end(1)))
    _read_warrant_price(f, s, e, bag, WARRANT_PRICE + (WARRANT_PRICE_ITEM if clause else ()))


def _read_warrant_price(f: Flow, s: int, e: int, bag: Bag, anchors, seen: set | None = None) -> None:
    """The first exercise price in s..e; every one found is added to `seen`."""
    if seen is None and bag.has("warrant_price"):
        return
    for m in (_all(f, anchors, s, e) if seen is not None else _in_order(f, anchors, s, e)):
        if _converts(f.text[max(s, m.start() - 60):m.start()]) or not _usable(f, m):
            continue
        bag.put("warrant_price", *_money(f, m))      # first wins
        if seen is None:
            return
        seen.add(parse_money(m.group(1)))


_PREFUNDED_WARRANTS = re.compile(r"pre-?\s?funded\s+(?:common\s+stock\s+purchase\s+)?warrants?", re.I)


def _at_word(rx: re.Pattern, text: str, low: str, word: str) -> bool:
    """rx.search(text) for a pattern whose every match starts with `word`: tried where it stands in low."""
    i = low.find(word)
    while i >= 0:
        if rx.match(text, i):
            return True
        i = low.find(word, i + 1)
    return False


def warrant_kind(text: str) -> str | None:
    """Which warrants a passage speaks of: ordinary, prefunded, both, or none."""
    # Each pattern is run only where its word stands (fold): a pre-funded warrant holds "funded"
    # (rarer than its "pre"), and _WARRANT_WORD starts with "warrant". Without a pre-funded
    # word there is none to cut.
    low = fold(text)
    pre = "funded" in low and _PREFUNDED.search(text) is not None
    rest = _PREFUNDED_WARRANTS.sub(" ", text) if pre else text
    ordinary = _at_word(_WARRANT_WORD, rest, fold(rest) if pre else low, "warrant")
    return "both" if pre and ordinary else "prefunded" if pre else "ordinary" if ordinary else None


# Securities sold that are not counted in shares.
# Each with a word (lower case) all its matches hold: without it, it is not run.
_OTHER_SECURITIES = ((re.compile(r"convertible\s+(?:promissory\s+|senior\s+|secured\s+|subordinated\s+)*notes?\b", re.I),
                      "convertible notes", "conver"),
                     (re.compile(r"convertible\s+debentures?\b|\bdebentures?\b", re.I), "convertible debentures", "debenture"),
                     # (a figure or "per" starts each match: the lookahead spares re the other characters)
                     (re.compile(rf"(?=[\d.p])(?:\b{NUM}\s+(?:units|Units)\b|\bper\s+[Uu]nit\b)"), "units", "unit"))


# Sentence-wide anchors, each tried only where its first word (after the names) stands.
_WARRANT_THEN_SHARES = r"\bwarrants?\b[^.;]{0,150}?" + WARRANT_SHARES[0]                       # warrant
_PRICING_WORDS = ("representing", "based", "equal")                                              # PRICING
_EXPIRES = (rf"exercisable\s+(?:at\s+any\s+time\s+)?(?:until|through|prior\s+to|on\s+or\s+before)\s+({DATE})"
            rf"|expir\w*\s+(?:on\s+)?({DATE})")                                                   # exercisable, expir
_EXERCISABLE = (r"(?:initially\s+)?exercisable\s+((?:beginning\s+)?(?:on\s+)?(?:the\s+)?(?:date\s+of\s+issuance|"
                r"upon\s+issuance|immediately|six[- ]month\s+anniversary[^,.;]{0,60}|\w+\s+months\s+after[^,.;]{0,60}))")
                                                                                                 # initially, exercisable


def _read_sentence_terms(f: Flow, start: int, end: int, t: Terms, warrants: bool = True) -> None:
    """Terms that may stand anywhere in a sentence: aggregate, warrant terms, pricing.

    Each family of anchors is tried only when the sentence holds a word it needs
    ('$' for an amount, 'year' for a term): most sentences of a long agreement
    hold none, and the anchors are the slow part of reading one."""
    text = f.text
    low = text[start:end].lower()
    money = "$" in low
    if "note" in low or "debenture" in low or "unit" in low:
        for rx, name, word in _OTHER_SECURITIES:
            # (a security already named is not looked for again: it is added once)
            if word in low and name not in t.securities and rx.search(text, start, end) \
                    and DEAL_VERBS.search(text, start, end):
                t.securities.add(name)
    if "outstanding" in low or "previously issued" in low or "existing warrants" in low:
        warrants = False        # warrants the company already has out are not the deal's
    for series in (_SERIES.findall(text, start, end) if "series" in low else ()):   # a case-sensitive "Series"
        t.warrant_series.add(series)
    # (A reader whose only effect is a put is not run for a field already found: first wins.)
    has = t.bag.values.__contains__
    kind = None
    if not (warrants and "warrant" in low):
        pass
    elif has("warrant_price") and has("warrant_shares") and ("funded" not in low or t.prefunded.has("warrant_price")):
        # Which warrants the sentence speaks of would tell only whether its exercise prices are
        # the deal's (a pre-funded warrant holds "funded"; or its price is found): both are told
        # if finish asks (Terms.exercise_prices).
        t.unread_prices.append((f, start, end))
    else:
        kind = warrant_kind(text[start:end])
        if kind == "ordinary" and has("warrant_price"):
            t.unread_prices.append((f, start, end))
        elif kind in ("ordinary", "prefunded"):
            _read_warrant_price(f, start, end, t.bag if kind == "ordinary" else t.prefunded, WARRANT_PRICE,
                                t.warrant_prices if kind == "ordinary" else None)
    if kind == "ordinary" and not has("warrant_shares"):
        m = search_at(f, compiled(_WARRANT_THEN_SHARES), ("warrant",), start, end) \
            if _holds(f, ("shares",), start, end) else None
        if m and _usable(f, m) and not approximate(text, m.start(1), up_to=False):
            t.bag.put("warrant_shares", parse_shares(m.group(1)), f.source(m.start(1), m.end(1)))
    # (all of them, not _in_order: a report's first aggregate is often net or approximate, refused)
    for m in (_all(f, PROCEEDS, start, end) if money else ()):
        if _NET_PROCEEDS.search(text[max(start, m.start() - 5):m.end()]):
            continue
        value, src = _money(f, m)
        if not _usable(f, m):
            continue
        if approximate(text, m.start(1)) or _SCALED.search(m.group(1)):
            if value is not None:
                t.bag.put("proceeds_approx", value, src)
            continue
        t.bag.put("proceeds", value, src)
        break
    m = _search(f, WARRANT_YEARS, start, end) if warrants and "year" in low and not has("warrant_years") else None
    if m and _WARRANT.search(text[max(start, m.start() - 200):min(end, m.end() + 80)]):
        t.bag.put("warrant_years", parse_small(m.group(1)), f.source(m.start(1), m.end(1)))
    m = search_at(f, compiled(PRICING), _PRICING_WORDS, start, end) \
        if ("%" in low or "percent" in low) and not has("pricing") else None
    if m:
        t.bag.put("pricing", BLANKS.sub(" ", m.group(1)), f.source(m.start(1), m.end(1)))
    if "warrant" not in low or not ("exercisable" in low or "expir" in low):
        return
    m = search_at(f, compiled(_EXPIRES), ("exercisable", "expir"), start, end) if not has("warrant_expires") else None
    if m and _WARRANT.search(text[start:end]):
        g = 1 if m.group(1) else 2
        t.bag.put("warrant_expires", parse_date(m.group(g)), f.source(m.start(g), m.end(g)))
    m = search_at(f, compiled(_EXERCISABLE), ("initially", "exercisable"), start, end) \
        if not has("warrant_exercisable") else None
    if m and _WARRANT.search(text[start:end]):
        t.bag.put("warrant_exercisable", BLANKS.sub(" ", m.group(1)), f.source(m.start(1), m.end(1)))


# -- legal terms and the offering ---------------------------------------------------

_REGISTRATION = (r"registration\s+statement\s+on\s+Form\s+([A-Z]{1,2}-\d+[A-Z]?)"
                 r"(?:[\s,(]*(?:File|Registration)\s+No\.?\s*(\d{3}-\d+))?")
_LAW = (r"govern\w*(?:\s*,)?(?:\s+(?:and|or)\s+(?:construed|interpreted|enforced)\w*)*\s+"
        r"(?:by|in\s+accordance\s+with|under|pursuant\s+to)\s+(?:and\s+construed\s+(?:in\s+accordance\s+with\s+)?)?"
        r"(?:the\s+)?(?:internal\s+)?laws?\s+of\s+(?:the\s+)?(?:State|Commonwealth)?\s*(?:of\s+)?"
        r"((?:New|North|South|West|Rhode)\s+[A-Z][a-z]+|District\s+of\s+Columbia|[A-Z][a-z]+)")
_CLOSING = (rf"(?:prior\s+to\s+the\s+close\s+of\s+business\s+on|(?:the\s+)?closing\s+(?:date\s+)?(?:shall|will)\s+"
            rf"(?:occur|take\s+place|be)\s+(?:on\s+or\s+(?:before|about)|on|no\s+later\s+than)"
            rf"|closing\s+(?:of\s+[^.]{{0,80}}?)?occurred\s+on|closed\s+on)\s+({DATE}|the\s+date\s+hereof)")
_PRIVATE = re.compile(r"private\s+placement|Section\s+4\s*\(\s*(?:a\s*\)\s*\(\s*)?2\s*\)|Regulation\s+D\b|Rule\s+506"
                      r"|accredited\s+investors|exempt\w*\s+from\s+(?:the\s+)?registration", re.I)
_REGISTERED = re.compile(r"registered\s+direct|shelf\s+registration|prospectus\s+supplement|effective\s+"
                         r"(?:shelf\s+)?registration\s+statement|registration\s+statement\s+on\s+Form\s+S-3"
                         r"|registered\s+public\s+offering", re.I)
_AGENT = (r"([A-Z][\w&.,'\- ]{2,80}?)\s*(?:\([^)]{0,40}\)\s*)?,?\s*(?:acted|served|is\s+acting|will\s+act|agreed\s+to\s+act)"
          r"\s+as\s+(?:the\s+)?(?:exclusive\s+|sole\s+|lead\s+)?placement\s+agent")
_AGENT_AFTER = r"placement\s+agent,?\s+(?:is\s+|was\s+)?([A-Z][\w&.'\-]+(?:\s+(?:[A-Z][\w&.'\-]+|&|and|of))*,?\s*(?:Inc\.|LLC|L\.L\.C\.|Corp\.|Co\.|Ltd\.|L\.P\.)?)"
_FEE = rf"(?:cash\s+)?(?:fee|commission)\s+(?:equal\s+to|of)\s+({NUM})\s?%"
# Every match of these starts with one of the words: each is tried only where they stand (Flow.search).
_PRIVATE_WORDS = ("private", "section", "regulation", "rule", "accredited", "exempt")
_REGISTERED_WORDS = ("regist", "shelf", "prospectus", "effective")
_FEE_WORDS = ("cash", "fee", "commission")


def _at_words(pattern: str, f: Flow, words: tuple[str, ...]):
    """The first match of `pattern` starting where one of `words` starts (found in the folded
    text, made once per document, not lowered again per pattern): an anchored match at a
    handful of places instead of a scan of the whole text."""
    # (one word's places are found as they are tried, and none past the first match)
    return search_at(f, compiled(pattern), words, 0, len(f.text))


def read_legal(f: Flow, bag: Bag, agreement_date=None) -> None:
    # Each anchor is tried where its first word stands: the rest of the phrase may wrap a line
    # or hold two spaces ("registration\nstatement"), which the pattern itself allows for.
    m = _at_words(_REGISTRATION, f, ("registration",))
    if m:
        reg = m.group(1) + (f" {m.group(2)}" if m.group(2) else "")
        bag.put("registration", reg, f.source(m.start(), m.end()))
    m = _at_words(_LAW, f, ("govern",))
    if m:
        bag.put("law", m.group(1), f.source(m.start(1), m.end(1)))
    m = _at_words(_CLOSING, f, ("prior", "closing", "closed", "the closing"))
    if m:
        when = m.group(1)
        src = f.source(m.start(1), m.end(1))
        if when.lower().startswith("the date hereof"):
            if agreement_date is not None:
                bag.put("closing", agreement_date, src)
        else:
            bag.put("closing", parse_date(when), src)


# A window without any of these holds nothing read_offering reads.
_OFFERING_WORDS = ("regist", "private", "prospectus", "regulation", "rule 506", "section 4", "accredited", "exempt",
                   "placement", "agent", "fee", "commission")
_ENGAGED = re.compile(r"^(?:the\s+Company\s+engaged\s+|engaged\s+)")
_NOT_AN_AGENT = re.compile(r"(?:The|We|Our|Each|Such)\b")
_PLACEMENT_AGENT = re.compile(r"placement\s+agent", re.I)


def read_offering(f: Flow, start: int, end: int, bag: Bag) -> None:
    """How the deal is sold (registered direct, private placement) and through whom."""
    text = f.text
    low = f.low[start:end]      # (folded once per document: see text.fold)
    if not holds_one(low, _OFFERING_WORDS):
        return
    # (Tried where their words stand in the window, each word up to the first match: not the
    # document's places of all of them, which nothing else asks for.)
    reg = search_at(f, _REGISTERED, _REGISTERED_WORDS, start, end)
    priv = search_at(f, _PRIVATE, _PRIVATE_WORDS, start, end)
    if reg or priv:
        # (the earlier match is cited, the registered one at a tie)
        kinds = "registered direct + private placement" if reg and priv else \
            "registered direct" if reg else "private placement"
        m = priv if not reg or priv and priv.start() < reg.start() else reg
        bag.put("offering", kinds, f.source(m.start(), m.end()))
    m = (first(_AGENT, text, start, end, flags=re.S) or first(_AGENT_AFTER, text, start, end, flags=re.S)) \
        if "placement agent" in low else None
    if m:
        name = clean_name(_ENGAGED.sub("", m.group(1)))
        if name and name[0].isupper() and not _NOT_AN_AGENT.match(name):
            bag.put("placement_agent", name, f.source(m.start(1), m.end(1)))
    m = search_at(f, compiled(_FEE), _FEE_WORDS, start, end) if "fee" in low or "commission" in low else None
    if m and _PLACEMENT_AGENT.search(text[max(start, m.start() - 300):m.end() + 100]):
        bag.put("agent_fee", float(m.group(1).replace(",", "")) / 100, f.source(m.start(1), m.end(1)))


def finish(t: Terms) -> Bag:
    """The deal's terms: pre-funded warrants stand in only when there are no others;
    a sentence selling two classes of stock leaves the share count unknown."""
    bag = t.bag
    if len(t.warrant_series) > 1 and len(t.exercise_prices()) > 1:
        # Series A and Series B warrants at different prices: no one exercise price or count is the deal's.
        for name in ("warrant_price", "warrant_shares"):
            bag.values[name] = None
            bag.sources.pop(name, None)
    classes = {sec for _, sec in t.share_counts}
    if len(classes) > 1 and bag.has("shares"):
        bag.values["shares"] = None
        bag.sources.pop("shares", None)
    if not (bag.has("warrant_shares") or bag.has("warrant_price")) and t.prefunded.values:
        for name in ("warrant_shares", "warrant_price"):
            if t.prefunded.has(name):
                bag.put(name, t.prefunded.get(name), t.prefunded.sources.get(name))
        t.securities.add("pre-funded warrants")
    if t.securities:
        bag.put("security", ", ".join(sorted(t.securities)), None)
    return bag
