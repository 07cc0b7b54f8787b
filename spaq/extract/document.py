"""One document -> its facts: filing fields, and the deal it states or describes."""
from __future__ import annotations

import re
from bisect import bisect_left

from ..corpus import Document
from . import report, schedule
from .narrative import COMPANY_ROLES, DEAL_START_WORDS, PURCHASER_ROLES, deal_start, is_name, party_before, sells
from .facts import Bag, DealFacts, DocFacts
from .terms import CLAUSE_WORDS, TERM_WORDS, Terms, holds_one, finish, matches_at, read_legal, read_offering, search_at
from .terms import _read_sentence as read_sentence_whole
from .terms import sentence_end, sentence_start, sentences
from .text import BLANKS, Flow, flow_lines
from .values import BLANK, DATE, clean_name, parse_date


# A title line: "SECURITIES PURCHASE AGREEMENT", "PURCHASE AGREEMENT", "SUBSCRIPTION AGREEMENT".
_AGREEMENT_TITLE = re.compile(r"^\s*(?!SCHEDULE\b|AMENDMENT\b|OMNIBUS\b|TERMINATION\b|SUMMARY\b)"
                              r"((?:[A-Z][A-Z.\-]*\s+){0,4}(?:PURCHASE|SUBSCRIPTION|INVESTMENT)\s+AGREEMENT)\s*$")
# "This Securities Purchase Agreement (the "Agreement") is made as of ...": an agreement's own words.
_PREAMBLE = re.compile(r"\bThis\s+(?:Amendment(?:\s+No\.?\s*\d+)?\s+to\s+(?:the\s+)?)?(?:[A-Z][\w\-]*\s+){0,4}"
                       r"(?:Purchaser?|Subscription|Investment)\s+Agreement\b", re.I)   # "Purchaser Agreement" (sic) too
# An amendment's recitals tell the deal as it was; the rest says what it becomes.
_RECITAL = re.compile(r"\s*(?:WHEREAS\b|[A-Z]\.\s+(?:WHEREAS|The\s+Company\s+and)|.{0,80}\bthat\s+certain\b)", re.I | re.S)
_AMENDED_DATE = re.compile(rf"(?:Purchase|Subscription)\s+Agreement,?\s+dated\s+(?:as\s+of\s+)?({DATE})", re.I)
_EXHIBIT = re.compile(r"^\s*EXHIBIT\s*(\d{1,2}(?:\.\d{1,3})?)\s*$", re.I)
_FORMS = (
    (re.compile(r"^\s*FORM\s+(8-K|10-Q|10-K|10-QSB|10-KSB|6-K|20-F)\b", re.I | re.M), None),
    (re.compile(r"Quarterly\s+report\s+pursuant\s+to\s+Section\s+13", re.I), "10-Q"),
    (re.compile(r"Annual\s+report\s+pursuant\s+to\s+section\s+13", re.I), "10-K"),
    (re.compile(r"\b(?:SCHEDULE|Schedule)\s+13D\b|CUSIP\s+No\.?.{0,40}\b13D\b"), "SC 13D"),
    (re.compile(r"^\s*Item\s+(?:1\.01|3\.02|8\.01|2\.03)\b", re.I | re.M), "8-K"),
)
_MADE_WORD = re.compile(r"(?:made|dated|entered\s+into)")
_THIS = re.compile(r"^This\s+", re.I)
_TITLES = {"8-K": "Current Report", "10-Q": "Quarterly Report", "10-K": "Annual Report", "SC 13D": "Schedule 13D"}


def extract_document(doc: Document) -> DocFacts:
    f = flow_lines(doc.file, range(doc.first_line, doc.first_line + len(doc.lines)), doc.lines)
    form, title, agreement_at = _classify(doc, f)
    facts = DocFacts(doc.file, doc.number, form, Bag(), warnings=list(doc.warnings))
    facts.filing.put("title", title, None)
    deal = _read_agreement(f, doc, agreement_at) if agreement_at is not None else None
    if deal is not None and (deal.rows or not deal.terms.values.keys().isdisjoint(_AGREEMENT_EVIDENCE)):
        facts.deals = [deal]
        for name in ("date", "company"):
            if deal.terms.has(name):
                facts.filing.put(name, deal.terms.get(name), deal.terms.sources.get(name))
    else:
        report.read_report(f, facts, doc)
        if not facts.deals and form == "unknown":
            facts.warnings.append("not recognised as an agreement or a report" if f.text.strip() else "no text")
    return facts


# What an agreement's own text must yield to be read as one (else it is read as prose).
_AGREEMENT_EVIDENCE = ("date", "company", "purchaser", "several_purchasers", "shares", "price", "proceeds",
                       "warrant_shares", "warrant_price")


def _classify(doc: Document, f: Flow) -> tuple[str, str | None, int | None]:
    """Form type, title, and where an agreement's own text starts (None: not an agreement)."""
    form = doc.type_hint
    title = None
    for line in doc.lines[:60]:
        if form is not None and title is not None:
            break               # (nothing more to find in the head)
        # (an exhibit line's first character after the blanks, which lstrip strips as \s does, is an E)
        if form is None and line.lstrip()[:1] in ("E", "e") and (m := _EXHIBIT.match(line)):
            form = f"EX-{m.group(1)}"
        if title is None and "AGREEMENT" in line and (m := _AGREEMENT_TITLE.match(line.replace("\xa0", " "))):
            title = BLANKS.sub(" ", m.group(1)).title()
    head = f.text[:4000]
    for rx, name in _FORMS:
        if form is None and (m := rx.search(head) if name else rx.search(head[:1500])):
            form = name or BLANKS.sub(" ", m.group(1).upper())
    # (every match starts with "This": tried where it stands in the head, found as it goes, and
    # mostly the first one; the document's places of the word would serve nothing else)
    preamble = search_at(f, _PREAMBLE, ("this",), 0, 6000)
    agreement_at = None
    if preamble and (title or (form or "").startswith("EX-") or form is None
                     or _MADE_WORD.search(f.text, preamble.end(), preamble.end() + 300)):
        agreement_at = preamble.start()
    elif title and form not in _TITLES:
        agreement_at = f.text.find(title.upper()) if title.upper() in f.text else 0
    if agreement_at is not None and title is None:
        title = BLANKS.sub(" ", _THIS.sub("", preamble.group(0))).title()
    if form is None and agreement_at is not None:
        form = "agreement"
    return form or "unknown", title or _TITLES.get(form or ""), agreement_at


# -- agreements --------------------------------------------------------------

_MADE = r"(?:is\s+)?(?:made|dated|entered\s+into)(?:\s+and\s+entered\s+into)?,?\s+(?:effective\s+)?(?:as\s+)?(?:of\s+)?(?:this\s+|the\s+)?"
_MADE_DATE = re.compile(_MADE + rf"({DATE}|{BLANK})", re.I | re.S)
# _MADE_DATE is tried only where its verb stands, not at each character up to it (re, ignoring
# case, tries the optional "is" and the verbs at every one). Only the date (group 1) is read: a
# match from an "is" has the date of the match from the verb after it, which is found first.
_MADE_WORDS = ("made", "dated", "entered")
_ROLE = re.compile(r"\(\s*(?:each(?:,)?\s+(?:a|an)\s+|collectively,?\s+|together,?\s+)?(?:the\s+)?\"([A-Z][A-Za-z]+?)\"")
_SEVERAL = re.compile(r"each\s+(?:of\s+)?(?:the|those)\s+(?:persons|entities|purchasers|investors|buyers)"
                      r"|the\s+(?:several\s+)?(?:purchasers|investors|buyers|subscribers)\s+(?:identified|listed|named|set\s+forth|signatory|party)"
                      r"|\"(?:Purchasers|Investors|Buyers|Subscribers)\"", re.I)
# Every match of _SEVERAL starts with one of these: re, ignoring case, would try each character
# of the window (which mostly holds none).
_SEVERAL_WORDS = ("each", "the", '"')


_AMENDMENT = re.compile(r"This\s+Amendment", re.I)


def _read_agreement(f: Flow, doc: Document, at: int) -> DealFacts:
    text = f.text
    t = Bag()
    amendment = _AMENDMENT.match(text, at, at + 40) is not None
    # An amendment's deal is the agreement it amends, dated as that agreement is.
    m = (_AMENDED_DATE.search(text, at, at + 3000) if amendment else None) or \
        search_at(f, _MADE_DATE, _MADE_WORDS, at, at + 1500)
    if m:
        t.put("date", parse_date(m.group(1)), f.source(m.start(1), m.end(1)))
    end_preamble = sentence_end(text, at, 1500)
    # A letter agreement names the parties before its "This Agreement" sentence.
    _read_parties(f, t, max(0, at - 1500), max(end_preamble, at + 600))
    terms = Terms()
    # A letter agreement states the sale before it names itself ("This Subscription Agreement ...").
    sale = deal_start(f, max(0, at - 2000))
    if sale:
        # Every sentence that sells is a sale clause (a recital, then section 2.1 with the
        # figures); the rest is definitions and mechanics, read only for sentence-wide terms.
        # From the end of the opening sentence: a recital before the first sale sentence may
        # state the warrants' terms ("... warrants ... at an exercise price of $4.25 per share").
        spans = list(sentences(text, min(sentence_start(text, sale.start()), end_preamble)))
        if amendment:
            # First wins: what the amendment says is read before the recitals that tell the deal as it was.
            spans.sort(key=lambda span: bool(_RECITAL.match(text, *span)))
        # A sentence that holds no word a deal starts with (sells says no) and none a term needs
        # (read_sentence then reads nothing) is passed over: most of an agreement's sentences,
        # told by a look in the document's sorted places of those words instead of two calls.
        # The same look tells when either call would answer no by itself: sells without a deal
        # word, read_sentence of a sentence that is no sale clause (rest) without a term word,
        # and read_sentence of one without a term word nor CLAUSE_WORDS, whatever sells says.
        deal_words, term_words = f.places(DEAL_START_WORDS), f.places(TERM_WORDS)
        deals, terms_at, low = len(deal_words), len(term_words), f.low
        for s, e in spans:
            i, j = bisect_left(deal_words, s), bisect_left(term_words, s)
            deal, term = i < deals and deal_words[i] < e, j < terms_at and term_words[j] < e
            # (without a term word, only a sentence that could be read as a clause asks sells)
            sale_clause = deal and (term or holds_one(low[s:e], CLAUSE_WORDS)) and sells(f, s, e)
            if sale_clause or term:
                # (read_sentence's own look for a term word is made: the sentence is read whole)
                read_sentence_whole(f, s, e, terms, sale_clause, not sale_clause)
    read_offering(f, at, len(text), t)
    bag = finish(terms)
    for name, value in bag.values.items():
        t.put(name, value, bag.sources.get(name))
    read_legal(f, t, t.get("date"))
    _read_named_purchaser(f, t)
    deal = DealFacts("agreement", t)
    rows, total = schedule.read_schedule(doc, f.low)
    if rows:
        deal.rows, deal.source = rows, "schedule"
    for name, value in (total.values.items() if total else ()):
        # The body's own figures come first; a blank there is filled by the stated total.
        if t.get(name) is None:
            t.put(name, value, total.sources.get(name), replace=True)
    return deal


_PLURAL_ROLE = re.compile(r"[^)]{0,40}\"(?:Purchasers|Investors|Buyers|Subscribers)\"")
_BLANK_PARTY = re.compile(BLANK + r"\s*,?\s*$")


def _read_parties(f: Flow, t: Bag, start: int, end: int) -> None:
    """The names before each ("Role") in the agreement's opening sentence."""
    for role in _ROLE.finditer(f.text, start, end):
        key = role.group(1).lower()
        if _PLURAL_ROLE.match(f.text[role.end():role.end() + 60]):
            key += "s"     # (each a "Purchaser" and together the "Purchasers")
        if key.rstrip("s") not in PURCHASER_ROLES and key not in COMPANY_ROLES:
            continue        # ("Agreement"), ("Shares"), ...: no party stands before it
        name, at = party_before(f.text, start, role.start())
        party = f.text[max(start, role.start() - 40):role.start()]
        blank = ("__" in party or "----" in party) and _BLANK_PARTY.search(party) is not None   # (a blank holds one)
        src = f.source(at, at + len(name or "_"))
        if key.rstrip("s") in PURCHASER_ROLES:
            if key.endswith("s") or not (blank or is_name(name)):
                t.put("several_purchasers", True, None)
            else:
                t.put("purchaser", None if blank else name, src)
                if blank:
                    t.put("blank_purchaser", True, None)
        elif key in COMPANY_ROLES and (blank or is_name(name)):
            t.put("company", None if blank else name, src)
    if not t.get("purchaser") and search_at(f, _SEVERAL, _SEVERAL_WORDS, start, end):
        t.put("several_purchasers", True, None)


_NAME_LABEL = re.compile(r"^(?:Purchaser|Investor|Buyer|Subscriber)(?:'s)?\s+Name\s*:[ \t]*(.*)$", re.I | re.M)
# Every match of _NAME_LABEL starts with one of these: it is tried only where they stand, not at
# every character of the document.
_NAME_LABEL_WORDS = ("purchaser", "investor", "buyer", "subscriber")
_LABEL = re.compile(r"^\s*[A-Z][A-Za-z .']{0,25}:\s*$")
# (a name never starts with white space, so one pattern serves the next line and the name)
_FORM_LABEL = re.compile(r"\s*(?:By|Name|Title|Attn|Address)\s*:")


def _read_named_purchaser(f: Flow, t: Bag) -> None:
    """'Purchaser Name: X' (same line or the next) names the purchaser of a form."""
    if t.get("purchaser"):
        return
    for m in matches_at(f, _NAME_LABEL, _NAME_LABEL_WORDS):
        value = m.group(1).strip()
        pos = m.start(1)
        if not value:
            eol = f.text.find("\n", m.end() + 1)
            nxt = f.text[m.end() + 1:eol if eol >= 0 else len(f.text)]      # the next line
            if _LABEL.match(nxt) or _FORM_LABEL.match(nxt):
                continue
            value, pos = nxt, m.end() + 1
        name = clean_name(value)
        if name and is_name(name) and not _FORM_LABEL.match(name):
            t.put("purchaser", name, f.source(pos, pos + len(value)), replace=True)
            t.values.pop("blank_purchaser", None)
            return
