"""Deal terms: anchors composed with value recognisers.

An agreement's sale clause and a report's narrative state the same terms in
different words. Both are read here: the clause is cut where the warrant is
introduced, the shares and price are read before the cut, the warrant's
shares, price and term after it, and each anchor is a phrase of the field
("a price per share of", "an exercise price of") followed by a value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Source
from .text import Flow
from .values import (BLANK, DATE, MONEY, NAME, NUM, SMALL, clean_name, parse_date,
                     parse_money, parse_shares, parse_small)

I = re.I | re.S


@dataclass
class Bag:
    """Facts found so far: field -> value and field -> Source. First found wins."""
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    def put(self, name: str, value: Any, source: Source | None, replace: bool = False) -> None:
        if name in self.values and not replace:
            return
        self.values[name] = value
        if source is not None:
            self.sources[name] = source

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.values


def first(pattern: str, text: str, start: int = 0, end: int | None = None, flags=I):
    return re.compile(pattern, flags).search(text, start, len(text) if end is None else end)


# -- sentences --------------------------------------------------------------

_ABBREV = re.compile(r"(?:\b(?:No|Nos|Inc|Ltd|Co|Corp|Jr|Sr|Mr|Ms|Mrs|Dr|St|U\.S|N\.A|L\.P|L\.L\.C|S\.A|N\.V|Esq)|\b[A-Z])$")


def sentence_end(text: str, start: int, limit: int = 1500) -> int:
    """Offset just past the sentence that contains `start` (or `start + limit`)."""
    stop = min(len(text), start + limit)
    for m in re.finditer(r"\.(?=\s+[A-Z(\"“]|\s*$)", text[start:stop]):
        dot = start + m.start()
        if text[dot - 1:dot].isdigit() and text[dot + 1:dot + 2].isdigit():
            continue
        if _ABBREV.search(text[max(0, dot - 12):dot]):
            continue
        return dot + 1
    return stop


def sentence_start(text: str, pos: int, limit: int = 1500) -> int:
    lo = max(0, pos - limit)
    best = lo
    for m in re.finditer(r"\.\s+(?=[A-Z(\"“])", text[lo:pos]):
        dot = lo + m.start()
        if not _ABBREV.search(text[max(0, dot - 12):dot]):
            best = lo + m.end()
    return best


# -- the terms ---------------------------------------------------------------

_SHARES = rf"({NUM}|{BLANK})\s+(?:shares|Shares)\b"
_PRICE_ANCHORS = (
    rf"price\s+per\s+(?:share|Share|Unit|unit)\s+(?:of|equal\s+to|is)\s+({MONEY}|{BLANK})",
    rf"(?:purchase\s+|offering\s+|sale\s+)?price\s+of\s+({MONEY}|{BLANK})\s+per\s+(?:share|Share|Unit|unit)",
    rf"(?<!par\svalue\s)(?<!par\svalue\sof\s)({MONEY})\s+per\s+(?:share|Share)",
)
_PROCEEDS_ANCHORS = (
    rf"aggregate\s+(?:purchase\s+)?(?:price|amount|consideration|purchase\s+amount|subscription\s+amount)\s+(?:of\s+|equal\s+to\s+)?({MONEY}|{BLANK})",
    rf"for\s+(?:an\s+)?aggregate\s+(?:consideration|purchase\s+price|amount)\s+of\s+({MONEY}|{BLANK})",
    rf"for\s+a\s+total\s+(?:purchase\s+price|consideration)\s+of\s+({MONEY})",
)
_WARRANT_SHARES = rf"(?:purchase|acquire)\s+(?:up\s+to\s+)?(?:an\s+aggregate\s+of\s+)?({NUM}|{BLANK})\s+(?:additional\s+)?(?:shares|Shares)"
_WARRANT_PRICE_ANCHORS = (
    rf"exercise\s+price\s+(?:per\s+share\s+)?(?:of|equal\s+to|is)\s+({MONEY}|{BLANK})",
    rf"(?:purchase\s+)?price\s+per\s+share\s+of\s+({MONEY}|{BLANK})",
    rf"\bat\s+({MONEY})\s+per\s+share",
)
_WARRANT_YEARS = (
    rf"({SMALL})(?:\s*\(\d+\))?[\s-]+year\s+(?:warrant|term)",
    rf"(?:term|period)\s+of\s+({SMALL})(?:\s*\(\d+\))?\s+years",
    rf"exercisable\s+(?:at\s+any\s+time\s+)?(?:for|during)\s+(?:a\s+period\s+of\s+)?({SMALL})(?:\s*\(\d+\))?\s+years",
)
_PRICING = r"(?:representing|based\s+on|equal\s+to)\s+((?:\d+(?:\.\d+)?%|\d+\s+percent)\s+of\s+the\s+.{10,200}?)(?=,|;|\.\s|\s+and\s+\(ii\))"
_WARRANT_START = r"\b(?:warrants?|Warrants?)\b(?!\s+Shares)"


def _money_at(f: Flow, m: re.Match, group: int = 1):
    return parse_money(m.group(group)), f.source(m.start(group), m.end(group))


def _first_anchor(f: Flow, anchors, start: int, end: int):
    """The earliest match of any anchor in start..end."""
    best = None
    for a in anchors:
        m = first(a, f.text, start, end)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


def read_terms(f: Flow, start: int, end: int, bag: Bag) -> None:
    """Shares, price and warrant terms from the clause f.text[start:end]."""
    cut = first(_WARRANT_START, f.text, start, end)
    mid = cut.start() if cut else end

    m = first(_SHARES, f.text, start, mid)
    if m and not re.search(r"par\s+value\s*$", f.text[max(0, m.start() - 15):m.start()], re.I):
        bag.put("shares", parse_shares(m.group(1)), f.source(m.start(1), m.end(1)))
    m = _first_anchor(f, _PRICE_ANCHORS, start, mid)
    if m:
        bag.put("price", *_money_at(f, m))
    m = first(_PRICING, f.text, start, end)
    if m:
        bag.put("pricing", re.sub(r"\s+", " ", m.group(1)), f.source(m.start(1), m.end(1)))

    if cut is None:
        return
    bag.put("has_warrant", True, None)
    m = first(_WARRANT_SHARES, f.text, mid, end)
    if m:
        bag.put("warrant_shares", parse_shares(m.group(1)), f.source(m.start(1), m.end(1)))
    m = _first_anchor(f, _WARRANT_PRICE_ANCHORS, mid, end)
    if m:
        bag.put("warrant_price", *_money_at(f, m))
    # The term is often written before the cut ("a five-year warrant").
    m = _first_anchor(f, _WARRANT_YEARS, max(start, mid - 40), end)
    if m:
        bag.put("warrant_years", parse_small(m.group(1)), f.source(m.start(1), m.end(1)))


def read_proceeds(f: Flow, start: int, end: int, bag: Bag) -> None:
    m = _first_anchor(f, _PROCEEDS_ANCHORS, start, end)
    if m:
        bag.put("proceeds", *_money_at(f, m))


_REGISTRATION = (r"registration\s+statement\s+on\s+Form\s+([A-Z]{1,2}-\d+[A-Z]?)"
                 r"(?:[\s,(]*(?:File|Registration)\s+No\.?\s*(\d{3}-\d+))?")
_LAW = (r"govern\w*(?:\s*,)?(?:\s+(?:and|or)\s+(?:construed|interpreted|enforced)\w*)*\s+"
        r"(?:by|in\s+accordance\s+with|under|pursuant\s+to)\s+(?:and\s+construed\s+(?:in\s+accordance\s+with\s+)?)?"
        r"(?:the\s+)?(?:internal\s+)?laws?\s+of\s+(?:the\s+)?(?:State|Commonwealth)?\s*(?:of\s+)?"
        r"((?:New|North|South|West|Rhode)\s+[A-Z][a-z]+|[A-Z][a-z]+)")
_CLOSING = (rf"(?:prior\s+to\s+the\s+close\s+of\s+business\s+on|(?:the\s+)?closing\s+(?:date\s+)?(?:shall|will)\s+"
            rf"(?:occur|take\s+place|be)\s+(?:on\s+or\s+(?:before|about)|on|no\s+later\s+than))\s+({DATE}|the\s+date\s+hereof)")


def read_legal(f: Flow, bag: Bag, agreement_date=None) -> None:
    m = first(_REGISTRATION, f.text)
    if m:
        reg = m.group(1) + (f" {m.group(2)}" if m.group(2) else "")
        bag.put("registration", reg, f.source(m.start(), m.end()))
    m = first(_LAW, f.text)
    if m:
        bag.put("law", m.group(1), f.source(m.start(1), m.end(1)))
    m = first(_CLOSING, f.text)
    if m:
        when = m.group(1)
        src = f.source(m.start(1), m.end(1))
        if when.lower().startswith("the date hereof"):
            if agreement_date is not None:
                bag.put("closing", agreement_date, src)
        else:
            bag.put("closing", parse_date(when), src)


def find_name(text: str) -> str | None:
    m = re.match(rf"\s*({NAME})", text)
    return clean_name(m.group(1)) if m else None


def read_date(f: Flow, anchor: str, start: int = 0, end: int | None = None):
    m = first(anchor + rf"\s*({DATE})", f.text, start, end)
    if m:
        return parse_date(m.group(1)), f.source(m.start(1), m.end(1))
    return None, None
