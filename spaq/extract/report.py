"""Reports (8-K, 10-Q, ...): the cover page, the items, and the deal they describe.

The cover page is a stack of values each above (or beside) its printed label:
"(Exact name of registrant ...)", "(State or other jurisdiction ...)",
"(Commission File Number)", "(IRS Employer Identification No.)". A value is
read from the nearest non-rule line before its label. The narrative is read
with the same deal-term anchors as an agreement's sale clause.
"""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

# (imported here, not in the functions that use them: an import statement in a function
# runs importlib's Python code (_handle_fromlist) at every call: 7.6 M instructions a 1k build)
from .facts import DealFacts
from .narrative import aliases, drafts_to_bags, find_deals, is_name, party_before
from .schedule import read_flat_table_pairs, read_flat_table_total
from .terms import compiled
from .text import Flow, fold, squash
from .values import DATE, clean_name, parse_date

if TYPE_CHECKING:
    from .document import DocFacts

_IRS = re.compile(r"\b\d{2}-\d{7}\b")
_COMMISSION = re.compile(r"\b(?:\d{1,3}-\d{4,6}(?:-\d{2})?)\b")
_PHONE = re.compile(r"\(?\d{3}\)?[\s.-]*\d{3}[\s.-]\d{4}")
_DATE = re.compile(DATE, re.I)
_LABEL = re.compile(r"\s*\(\s*[A-Za-z]")
_ZIP = re.compile(r",?\s+(\d{5}(?:-\d{4})?)$")
_DIGIT = re.compile(r"\d")


def _lines(f: Flow) -> list[tuple[int, str, int]]:
    """Kept lines of the flow: (line number, text, flow offset)."""
    texts = f.text.split("\n")
    if len(texts) == len(f.starts):    # no kept line holds a line break: the split is the lines
        return list(zip(f.line_nos, texts, f.starts))
    out = []
    for i, start in enumerate(f.starts):
        end = f.starts[i + 1] - 1 if i + 1 < len(f.starts) else len(f.text)
        out.append((f.line_nos[i], f.text[start:end], start))
    return out


class _Head:
    """The first 120 lines of a report, where its cover's labels are looked for."""

    def __init__(self, lines):
        self.lines = [text for _, text, _ in lines[:120]]
        self.joined = "\n".join(self.lines)
        self.single = self.joined.count("\n") == len(self.lines) - 1    # no line holds a break

    def label_index(self, pattern: str, word: str | None = None) -> int | None:
        """The first of the lines in which `pattern` is found. `word` (lower case), when given,
        is what every match starts with: the pattern is tried only where it stands."""
        rx = compiled(pattern, re.I)
        if word is not None and self.single:
            # (re, ignoring case, tries a pattern that opens with a letter at every character;
            # fold keeps each letter at its offset, and the first place that matches is the
            # first match. A match's line is the lines before it, counted.)
            low = fold(self.joined)
            i = low.find(word)
            while i >= 0:
                m = rx.match(self.joined, i)
                if m is not None and "\n" not in m.group(0):
                    return self.joined.count("\n", 0, i)
                if m is not None:
                    break           # (a match across lines: line by line, below)
                i = low.find(word, i + 1)
            else:
                return None
        # One search of the lines joined instead of one a line. A label pattern holds no anchor,
        # lookaround or "." that sees a line break: a match within a line is a match of the joined
        # text, so the first match there, if it holds no line break, stands in the first line that
        # has one. A match across lines (or a line holding a break) sends us line by line.
        m = rx.search(self.joined)
        if m is None and self.single:
            return None
        if m is not None and "\n" not in m.group(0) and self.single:
            return self.joined.count("\n", 0, m.start())
        for i, text in enumerate(self.lines):
            if rx.search(text):
                return i
        return None


def _value_before(lines, i: int):
    """The nearest line before lines[i] that is not itself a parenthesised label."""
    j = i - 1
    while j >= 0 and _LABEL.match(lines[j][1]):
        j -= 1
    return lines[j] if j >= 0 else None


def read_cover(f: Flow, facts: "DocFacts", lines: list[tuple[int, str, int]] | None = None) -> None:
    """The cover page's values. `lines`: _lines(f), if made."""
    bag = facts.filing
    lines = _lines(f) if lines is None else lines
    head = _Head(lines)

    i = head.label_index(r"\(\s*Exact\s+name\s+of\s+registrant|\(\s*Name\s+of\s+Issuer\s*\)")
    if i is not None and (v := _value_before(lines, i)):
        bag.put("company", clean_name(v[1]), f.source(v[2]))

    i = head.label_index(r"Date\s+of\s+Report", "date")
    if i is not None:
        for n, text, off in (lines[i], _value_before(lines, i) or lines[i]):
            # (every date holds a digit: the label's own line mostly holds none, and _DATE,
            # which ignores case, would be tried at each of its characters)
            m = _DIGIT.search(text) and _DATE.search(text)
            if m:
                bag.put("date", parse_date(m.group(0)), f.source(off + m.start(), off + m.end()))
                break

    i = head.label_index(r"\(\s*State\s+or\s+other\s+jurisdiction|\(\s*State\s+of\s+incorporation")
    if i is not None and (v := _value_before(lines, i)):
        n, text, off = v
        src = f.source(off)
        irs = _IRS.search(text)
        if irs:
            bag.put("irs_number", irs.group(0), src)
            text = text[:irs.start()] + " " * len(irs.group(0)) + text[irs.end():]
        com = _COMMISSION.search(text)
        if com:
            bag.put("commission_file", com.group(0), src)
            text = text[:com.start()] + text[com.end():]
        state = squash(text)
        if state:
            bag.put("state", state.title() if state.isupper() else state, src)

    i = head.label_index(r"\(\s*Address\s+of\s+principal\s+executive\s+offices")
    if i is not None:
        j, parts = i - 1, []
        # The address runs up from its label to the previous label or the IRS line.
        while j >= 0 and "(" not in lines[j][1] and ")" not in lines[j][1] and len(parts) < 4 \
                and not ("-" in lines[j][1] and _IRS.search(lines[j][1])):
            parts.insert(0, lines[j])
            j -= 1
        if parts:
            text = ", ".join(squash(p[1]) for p in parts)
            # (a zip code ends the text with a digit; _ZIP matches once, at the end: spliced in, not
            # substituted by a template, which re parses in Python at every call)
            if text[-1:].isdigit() and (zip_code := _ZIP.search(text)):
                text = f"{text[:zip_code.start()]} {zip_code.group(1)}{text[zip_code.end():]}"
            bag.put("address", text, f.source(parts[0][2], parts[-1][2] + len(parts[-1][1])))

    i = head.label_index(r"\(\s*Registrant.s\s+telephone\s+number")
    if i is not None and (v := _value_before(lines, i)):
        m = _PHONE.search(v[1])
        if m:
            bag.put("phone", m.group(0), f.source(v[2]))


# Headings of a report: each match is a line that opens with one of _HEADING_WORDS (in any case).
_ITEM = re.compile(r"^\s*ITEM\s+(\d{1,2}(?:\.\d{2})?)\.?(?=\s|$)", re.I | re.M)
_EXHIBITS = re.compile(r"^\s*(?:ITEM\s+(?:7|9\.01)\b|EXHIBIT\s+INDEX|Exhibits\s*:)", re.I | re.M)
_SIGNATURES = re.compile(r"^\s*SIGNATURES?\s*$", re.I | re.M)
# The narrative ends at the signatures or the list of exhibits, whose titles are not events.
_NARRATIVE_END = re.compile(r"^\s*(?:SIGNATURES?\s*$|ITEM\s+(?:7|9\.01)\b.{0,40}Exhibits|EXHIBIT\s+INDEX\s*$)",
                            re.I | re.M)
_HEADING_WORDS = ("item", "exhibit", "signature")
# The signature block's date (compiled once, not formatted and looked up each report).
_SIGNED = re.compile(rf"\bDated?\s*:?\s*({DATE})", re.I | re.S)
_EXHIBIT_LINE = re.compile(r"^\s*(?:Exhibit\s+)?(\d{1,2}\.\d{1,2}|99|10|4)\s{2,}\S", re.I)


def _heading_search(f: Flow, rx: re.Pattern, start: int = 0):
    """rx.search(f.text, start) for a heading pattern: tried only at the start of the
    lines where one of _HEADING_WORDS stands, not at every character of the text.

    A match holds its word where one stands, with only blanks before it back to where the
    match starts: so it starts at the first line break among the blanks before that word
    (or where the blanks start, at the start of the text), and the first word that gives a
    match gives the first match."""
    text = f.text
    places = f.places(_HEADING_WORDS)
    for at in places[bisect.bisect_left(places, start):]:
        line = at
        while line > start and text[line - 1].isspace():        # (what \s matches)
            line -= 1
        if line and text[line - 1] != "\n":
            line = text.find("\n", line, at) + 1
            if not line:
                continue            # no line starts in the blanks before the word
        m = rx.match(text, line)
        if m:
            return m
    return None


def _headings(f: Flow, rx: re.Pattern):
    """rx.finditer(f.text) for a heading pattern, whose matches are never empty."""
    m = _heading_search(f, rx)
    while m:
        yield m
        m = _heading_search(f, rx, m.end())


def read_items(f: Flow, facts: "DocFacts", lines: list[tuple[int, str, int]] | None = None) -> None:
    """The items, exhibits and signature date of a report. `lines`: _lines(f), if made."""
    bag = facts.filing
    items: list[str] = []
    first_item = None
    for m in _headings(f, _ITEM):
        first_item = first_item or m
        if m.group(1) not in items:
            items.append(m.group(1))
    if items:
        bag.put("items", items, f.source(first_item.start(), first_item.end()))
    exhibits: list[str] = []
    ex = _heading_search(f, _EXHIBITS)
    src = None
    if ex:
        lines = _lines(f) if lines is None else lines
        for n, text, off in lines[bisect.bisect_left(f.starts, ex.start()):]:
            m = _EXHIBIT_LINE.match(text)
            if m and m.group(1) not in exhibits:
                exhibits.append(m.group(1))
                src = src or f.source(off)
    if exhibits:
        bag.put("exhibits", exhibits, src)
    sig = _heading_search(f, _SIGNATURES)
    if sig:
        m = _SIGNED.search(f.text, sig.end(), min(len(f.text), sig.end() + 1500))
        if m:
            bag.put("signed", parse_date(m.group(1)), f.source(m.start(1), m.end(1)))


def read_narrative(f: Flow, facts: "DocFacts", doc=None) -> None:
    """The deals a report describes, each with its terms, purchasers and dates."""
    body = _heading_search(f, _ITEM)
    start = body.start() if body else 0
    stop = _heading_search(f, _NARRATIVE_END, start)
    end = stop.start() if stop else len(f.text)
    if not facts.filing.get("company"):
        _company_by_role(f, facts)
    company = facts.filing.get("company")
    drafts = find_deals(f, start, end)
    if doc is not None and drafts:
        # A note may give the figures of the deal its prose names in a summary table.
        pairs = read_flat_table_pairs(doc)
        if pairs is not None and not any(d.bag.get(k) is not None for d in drafts
                                         for k in ("shares", "price", "proceeds")):
            for name, value in pairs.values.items():
                drafts[0].bag.put(name, value, pairs.sources.get(name))
    for bag, names, several, rows in drafts_to_bags(drafts, aliases(f.text)):
        if company:
            bag.put("company", company, facts.filing.sources.get("company"))
        deal = DealFacts("report", bag, rows=rows, source="report")
        if several and not rows:
            deal.names = names
        facts.deals.append(deal)


_ISSUER_ROLE = re.compile(r"\(\s*(?:the\s+)?\"(Company|Issuer|Registrant)\"\s*\)")
_PRONOUN = re.compile(r"(?:We|Our|It)\b")


def _company_by_role(f: Flow, facts: "DocFacts") -> None:
    """The issuer as the prose defines it: 'Acme, Inc., a Delaware corporation (the "Company")'."""
    for role in _ISSUER_ROLE.finditer(f.text):
        name, at = party_before(f.text, max(0, role.start() - 200), role.start())
        if is_name(name) and not _PRONOUN.match(name):
            facts.filing.put("company", name, f.source(at, at + len(name)))
            return


def read_report(f: Flow, facts: "DocFacts", doc=None) -> None:
    lines = _lines(f)       # (made once for the cover and the list of exhibits)
    read_cover(f, facts, lines)
    read_items(f, facts, lines)
    read_narrative(f, facts, doc)
    if not facts.deals and doc is not None:
        # A note may state a deal only as a table of installments with a Total row.
        total = read_flat_table_total(doc)
        if total is not None:
            facts.deals.append(DealFacts("report", total, source="report"))
