"""One document -> its facts: filing fields, and the deal it states or describes."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..corpus import Document
from ..model import Source
from . import report, schedule
from .terms import Bag, first, find_name, read_date, read_legal, read_proceeds, read_terms, sentence_end
from .text import Flow, flow
from .values import BLANK, DATE, clean_name, parse_date


@dataclass
class DealFacts:
    """A deal as one document states it. `kind` is agreement or report."""
    kind: str
    terms: Bag                                  # date, company, purchaser, shares, price, ...
    rows: list[Bag] = field(default_factory=list)   # schedule rows, one per purchaser
    source: str = "body"                        # where the purchaser rows come from


@dataclass
class DocFacts:
    file: str
    number: int
    form: str
    filing: Bag
    deal: DealFacts | None = None
    warnings: list[str] = field(default_factory=list)


_AGREEMENT_TITLE = re.compile(
    r"^\s*((?:SECURITIES|STOCK|SHARE|COMMON\s+STOCK|UNIT|SUBSCRIPTION)\s+(?:PURCHASE\s+)?AGREEMENT"
    r"|(?:SECURITIES|STOCK)\s+PURCHASE\s+AGREEMENT)\s*$", re.I)
_EXHIBIT = re.compile(r"^\s*EXHIBIT\s+(\d{1,2}(?:\.\d{1,2})?)\s*$", re.I)
_REPORT_FORM = re.compile(r"^\s*FORM\s+(8-K|10-Q|10-K|10-QSB|10-KSB|6-K|20-F|SC\s*13D)\b", re.I)


def extract_document(doc: Document) -> DocFacts:
    f = flow(doc.file, doc.numbered())
    head = f.text[:3000]
    form, title = _classify(doc, f)
    facts = DocFacts(doc.file, doc.number, form, Bag(), warnings=list(doc.warnings))
    facts.filing.put("title", title, None)
    if form in ("8-K", "10-Q", "10-K", "10-QSB", "10-KSB", "6-K", "20-F", "SC 13D"):
        report.read_report(f, facts)
    elif title and "AGREEMENT" in title.upper():
        facts.deal = _read_agreement(f, doc)
        t = facts.deal.terms
        for name in ("date", "company"):
            if t.has(name):
                facts.filing.put(name, t.get(name), t.sources.get(name))
    elif not head.strip():
        facts.warnings.append("no text")
    else:
        facts.warnings.append("not recognised as an agreement or a report")
    return facts


def _classify(doc: Document, f: Flow) -> tuple[str, str | None]:
    """Form type and title from the first lines (or the submission's <TYPE>)."""
    form = doc.type_hint
    title = None
    for n, line in list(doc.numbered())[:80]:
        if form is None and (m := _EXHIBIT.match(line)):
            form = f"EX-{m.group(1)}"
        elif form is None and (m := _REPORT_FORM.match(line)):
            form = re.sub(r"\s+", " ", m.group(1).upper())
        if title is None and (m := _AGREEMENT_TITLE.match(line)):
            title = re.sub(r"\s+", " ", m.group(1)).title()
    if form in ("8-K", "10-Q", "10-K") and title is None:
        title = {"8-K": "Current Report", "10-Q": "Quarterly Report", "10-K": "Annual Report"}[form]
    if form is None and title:
        form = "agreement"
    return form or "unknown", title


# -- agreements --------------------------------------------------------------

_MADE = r"(?:is\s+)?(?:made|dated|entered\s+into)(?:\s+and\s+entered\s+into)?\s+(?:effective\s+)?(?:as\s+)?(?:of\s+)?(?:this\s+)?"
_ROLE = re.compile(r"\(\s*(?:each\s+a\s+|collectively\s+)?(?:the\s+)?[\"“]([A-Z][A-Za-z]+?)s?[\"”]\s*\)")
_PURCHASER_ROLES = {"purchaser", "buyer", "investor", "subscriber", "holder"}
_COMPANY_ROLES = {"company", "issuer", "seller"}
_SALE = (r"(?:agrees?\s+to\s+(?:sell|issue)|shall\s+(?:buy|purchase|subscribe)|agrees?\s+to\s+(?:buy|purchase|subscribe)"
         r"|desires?\s+to\s+(?:purchase|acquire|issue\s+and\s+sell)|hereby\s+(?:subscribes|purchases))")


def _read_agreement(f: Flow, doc: Document) -> DealFacts:
    t = Bag()
    text = f.text
    m = first(_MADE + rf"({DATE}|{BLANK})", text, 0, 4000)
    if m:
        t.put("date", parse_date(m.group(1)), f.source(m.start(1), m.end(1)))
    _read_parties(f, t)
    sale = first(_SALE, text)
    if sale:
        read_terms(f, sale.start(), sentence_end(text, sale.start()), t)
    read_proceeds(f, 0, len(text), t)
    read_legal(f, t, t.get("date"))
    _read_named_purchaser(f, t)
    deal = DealFacts("agreement", t)
    rows = schedule.read_schedule(doc)
    if rows:
        deal.rows, deal.source = rows, "schedule"
    return deal


def _read_parties(f: Flow, t: Bag) -> None:
    """Names before each ("Role") in the 'by and between X (..) and Y (..)' clause."""
    m = first(r"by\s+and\s+(?:between|among)\s+", f.text, 0, 5000)
    if not m:
        return
    pos = m.end()
    end = sentence_end(f.text, pos, 1000)
    for role in _ROLE.finditer(f.text, pos, end):
        party_start, party = pos, f.text[pos:role.start()]
        pos = role.end()
        party = re.sub(r"^\s*(?:,\s*)?(?:and\s+)?", "", party)
        # Drop a descriptor: ", a Bermuda corporation", ", a Delaware limited partnership".
        party = re.sub(r",?\s+an?\s+(?:[A-Z][\w.]*\s+)*(?:corporation|company|limited|partnership|"
                       r"exempted|business|trust|bank|fund|societe|société|Delaware|Nevada).*$",
                       "", party, flags=re.S)
        name = clean_name(party)
        blank = re.fullmatch(r"\s*" + BLANK + r"\s*", party) is not None or name is None
        key = role.group(1).lower()
        # Cite the line where the name (or the blank) itself stands.
        at = f.text.find(name, party_start, role.start()) if name and not blank else -1
        if at < 0:
            b = re.search(BLANK, f.text[party_start:role.start()])
            at = party_start + b.start() if b else role.start()
        src = f.source(at, at + len(name or ""))
        if key in _PURCHASER_ROLES:
            t.put("purchaser", None if blank else name, src)
        elif key in _COMPANY_ROLES:
            t.put("company", None if blank else name, src)
    if not t.get("purchaser") and first(r"(?:each|the)\s+(?:purchasers|investors|buyers)\s+(?:identified|listed|named|set\s+forth)",
                                         f.text, m.start(), end):
        t.put("several_purchasers", True, None)


_NAME_LABEL = re.compile(r"^(?:Purchaser|Investor|Buyer|Subscriber)(?:'s)?\s+Name\s*:[ \t]*(.*)$", re.I | re.M)
_LABEL = re.compile(r"^\s*[A-Z][A-Za-z .']{0,25}:\s*$")


def _read_named_purchaser(f: Flow, t: Bag) -> None:
    """'Purchaser Name: X' (same line or the next) names the purchaser of a form."""
    if t.get("purchaser"):
        return
    for m in _NAME_LABEL.finditer(f.text):
        value = m.group(1).strip()
        pos = m.start(1)
        if not value:
            nxt = f.text[m.end() + 1:].split("\n", 1)[0]
            if _LABEL.match(nxt) or re.match(r"\s*(?:By|Name|Title|Attn|Address)\s*:", nxt):
                continue
            value, pos = nxt, m.end() + 1
        name = find_name(value) or clean_name(value)
        if name and not re.match(r"(?:By|Name|Title|Attn|Address)\s*:", name):
            t.put("purchaser", name, f.source(pos, pos + len(value)), replace=True)
            return
