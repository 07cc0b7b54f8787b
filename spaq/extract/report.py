"""Reports (8-K, 10-Q, ...): the cover page, the items, and the deal they describe.

The cover page is a stack of values each above (or beside) its printed label:
"(Exact name of registrant ...)", "(State or other jurisdiction ...)",
"(Commission File Number)", "(IRS Employer Identification No.)". A value is
read from the nearest non-rule line before its label. The narrative is read
with the same deal-term anchors as an agreement's sale clause.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .narrative import aliases, drafts_to_bags, find_deals, is_name, party_before
from .terms import compiled, first
from .text import Flow, squash
from .values import DATE, clean_name, parse_date

if TYPE_CHECKING:
    from .document import DocFacts

_IRS = re.compile(r"\b\d{2}-\d{7}\b")
_COMMISSION = re.compile(r"\b(?:\d{1,3}-\d{4,6}(?:-\d{2})?)\b")
_PHONE = re.compile(r"\(?\d{3}\)?[\s.-]*\d{3}[\s.-]\d{4}")


def _lines(f: Flow) -> list[tuple[int, str, int]]:
    """Kept lines of the flow: (line number, text, flow offset)."""
    out = []
    for i, start in enumerate(f.starts):
        end = f.starts[i + 1] - 1 if i + 1 < len(f.starts) else len(f.text)
        out.append((f.line_nos[i], f.text[start:end], start))
    return out


def _label_index(lines, pattern: str) -> int | None:
    """The first of the first 120 lines in which `pattern` is found."""
    rx = compiled(pattern, re.I)
    head = [text for _, text, _ in lines[:120]]
    # One search of the lines joined instead of one a line. A label pattern holds no anchor,
    # lookaround or "." that sees a line break: a match within a line is a match of the joined
    # text, so the first match there, if it holds no line break, stands in the first line that
    # has one. A match across lines (or a line holding a break) sends us line by line.
    joined = "\n".join(head)
    m = rx.search(joined)
    if m is None and joined.count("\n") == len(head) - 1:
        return None
    if m is not None and "\n" not in m.group(0) and joined.count("\n") == len(head) - 1:
        return joined.count("\n", 0, m.start())
    for i, text in enumerate(head):
        if rx.search(text):
            return i
    return None


def _value_before(lines, i: int):
    """The nearest line before lines[i] that is not itself a parenthesised label."""
    j = i - 1
    while j >= 0 and re.match(r"\s*\(\s*[A-Za-z]", lines[j][1]):
        j -= 1
    return lines[j] if j >= 0 else None


def read_cover(f: Flow, facts: "DocFacts") -> None:
    bag = facts.filing
    lines = _lines(f)

    i = _label_index(lines, r"\(\s*Exact\s+name\s+of\s+registrant|\(\s*Name\s+of\s+Issuer\s*\)")
    if i is not None and (v := _value_before(lines, i)):
        bag.put("company", clean_name(v[1]), f.source(v[2]))

    i = _label_index(lines, r"Date\s+of\s+Report")
    if i is not None:
        for n, text, off in (lines[i], _value_before(lines, i) or lines[i]):
            m = re.search(DATE, text, re.I)
            if m:
                bag.put("date", parse_date(m.group(0)), f.source(off + m.start(), off + m.end()))
                break

    i = _label_index(lines, r"\(\s*State\s+or\s+other\s+jurisdiction|\(\s*State\s+of\s+incorporation")
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

    i = _label_index(lines, r"\(\s*Address\s+of\s+principal\s+executive\s+offices")
    if i is not None:
        j, parts = i - 1, []
        # The address runs up from its label to the previous label or the IRS line.
        while j >= 0 and not re.search(r"[()]", lines[j][1]) and len(parts) < 4 \
                and not _IRS.search(lines[j][1]):
            parts.insert(0, lines[j])
            j -= 1
        if parts:
            text = ", ".join(squash(p[1]) for p in parts)
            text = re.sub(r",?\s+(\d{5}(?:-\d{4})?)$", r" \1", text)
            bag.put("address", text, f.source(parts[0][2], parts[-1][2] + len(parts[-1][1])))

    i = _label_index(lines, r"\(\s*Registrant.s\s+telephone\s+number")
    if i is not None and (v := _value_before(lines, i)):
        m = _PHONE.search(v[1])
        if m:
            bag.put("phone", m.group(0), f.source(v[2]))


_ITEM = re.compile(r"^\s*ITEM\s+(\d{1,2}(?:\.\d{2})?)\.?(?=\s|$)", re.I | re.M)
_EXHIBIT_LINE = re.compile(r"^\s*(?:Exhibit\s+)?(\d{1,2}\.\d{1,2}|99|10|4)\s{2,}\S", re.I)


def read_items(f: Flow, facts: "DocFacts") -> None:
    bag = facts.filing
    items: list[str] = []
    for m in _ITEM.finditer(f.text):
        if m.group(1) not in items:
            items.append(m.group(1))
    if items:
        m = _ITEM.search(f.text)
        bag.put("items", items, f.source(m.start(), m.end()))
    exhibits: list[str] = []
    ex = first(r"^\s*(?:ITEM\s+(?:7|9\.01)\b|EXHIBIT\s+INDEX|Exhibits\s*:)", f.text, flags=re.I | re.M)
    src = None
    if ex:
        for n, text, off in _lines(f):
            if off < ex.start():
                continue
            m = _EXHIBIT_LINE.match(text)
            if m and m.group(1) not in exhibits:
                exhibits.append(m.group(1))
                src = src or f.source(off)
    if exhibits:
        bag.put("exhibits", exhibits, src)
    sig = first(r"^\s*SIGNATURES?\s*$", f.text, flags=re.I | re.M)
    if sig:
        m = first(rf"\bDated?\s*:?\s*({DATE})", f.text, sig.end(), sig.end() + 1500)
        if m:
            bag.put("signed", parse_date(m.group(1)), f.source(m.start(1), m.end(1)))


def read_narrative(f: Flow, facts: "DocFacts", doc=None) -> None:
    """The deals a report describes, each with its terms, purchasers and dates."""
    from .document import DealFacts
    body = _ITEM.search(f.text)
    start = body.start() if body else 0
    # The narrative ends at the signatures or the list of exhibits, whose titles are not events.
    stop = first(r"^\s*(?:SIGNATURES?\s*$|ITEM\s+(?:7|9\.01)\b.{0,40}Exhibits|EXHIBIT\s+INDEX\s*$)", f.text, start,
                 flags=re.I | re.M)
    end = stop.start() if stop else len(f.text)
    if not facts.filing.get("company"):
        _company_by_role(f, facts)
    company = facts.filing.get("company")
    drafts = find_deals(f, start, end)
    if doc is not None and drafts:
        # A note may give the figures of the deal its prose names in a summary table.
        from .schedule import read_flat_table_pairs
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


def _company_by_role(f: Flow, facts: "DocFacts") -> None:
    """The issuer as the prose defines it: 'Acme, Inc., a Delaware corporation (the "Company")'."""
    for role in re.finditer(r"\(\s*(?:the\s+)?\"(Company|Issuer|Registrant)\"\s*\)", f.text):
        name, at = party_before(f.text, max(0, role.start() - 200), role.start())
        if is_name(name) and not re.match(r"(?:We|Our|It)\b", name):
            facts.filing.put("company", name, f.source(at, at + len(name)))
            return


def read_report(f: Flow, facts: "DocFacts", doc=None) -> None:
    read_cover(f, facts)
    read_items(f, facts)
    read_narrative(f, facts, doc)
    if not facts.deals and doc is not None:
        # A note may state a deal only as a table of installments with a Total row.
        from .document import DealFacts
        from .schedule import read_flat_table_total
        total = read_flat_table_total(doc)
        if total is not None:
            facts.deals.append(DealFacts("report", total, source="report"))
