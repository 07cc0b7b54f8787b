"""Deals told in prose: 8-K items, 10-Q/10-K notes, 13D items, agreements' recitals.

A deal starts at a sentence that says one was made ("entered into a
securities purchase agreement", "issued and sold 1,230,770 shares", "closed an
$11,443,000.40 private placement", "agreed to issue and sell") and runs over
the sentences after it until a heading, a sentence about something reported
earlier, or the start of another deal. A deal-start sentence continues the
current deal when it adds what the deal lacks and names no other agreement;
otherwise it starts a new deal. Exchanges and conversions are not sales.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from ..model import Source
from .terms import Bag, Terms, cut_off, finish, is_heading_line, read_offering, read_sentence, search_at, sentences
from .text import Flow, fold
from .values import DATE, NUM, clean_name, name_key, parse_date

_AGREEMENT = r"(?:[\w\-]+\s+){0,3}?(?:securities|stock|share|unit|common\s+stock|note|preferred\s+stock)?\s*(?:purchase|subscription)\s+agreements?"
# The ways a deal starts, each with the words (lower case) it can open with.
# (The sale way's "one million (" group is tried only where a "(" follows a run of letters,
# hyphens and blanks, as its match needs: else re tries each count of its words, one to
# nine, each word shortened a letter at a time, at every place "issued" or "sold" stands.
# Likewise "entered into" goes on only where "purchase" or "subscription" follows it across
# word characters, hyphens and blanks, all that its match holds before that word: else re tries
# each article, each count of words and each kind of security, as at "entered into as of".)
_DEAL_STARTS = (
    (("entered",), r"entered\s+into\s+(?=[\w\-\s]*?(?:purchase|subscription))(?:a|an|the|certain|two|separate|definitive|several)?\s*" + _AGREEMENT),
    (("purchase",), r"purchase\s+agreement,?\s+(?:\([^)]{0,60}\)\s+)?(?:entered\s+into|dated|made)\b"),
    (("issued", "sold", "purchase", "acquired"),
     rf"(?:issued\s+and\s+sold|sold\s+and\s+issued|(?<!be\s)sold|issued|purchased|acquired)(?:\s+and\s+issued)?\s+(?:(?:to|from)\s+(?:(?!warrant)[^.;]){{0,100}}?\s+)?(?:an\s+aggregate\s+(?:of\s+)?)?(?:(?=[a-z\-\s]*\()(?:[a-z\-]+\s+){{1,9}}\()?{NUM}\)?\s+(?:shares|units|Units)"),
    (("closed", "completed", "consummated"),
     r"(?:closed|completed|consummated)\s+(?:an?|its|the)\s+(?:\$[\d,.]+\s+(?:million\s+)?)?(?:private\s+placement|registered\s+direct|offering|financing)"),
    (("commenced",), r"commenced\s+a\s+(?:private\s+)?(?:offering|placement)"),
    (("agree",), r"(?:agrees?|agreed)\s+to\s+(?:offer,\s+)?(?:issue\s+and\s+sell|sell|issue|purchase|buy|subscribe)"),
    (("shall", "will"), r"(?:shall|will)\s+(?:issue\s+and\s+sell|sell|buy|purchase|subscribe)\b"),
    (("desire",), r"desires?\s+to\s+(?:issue\s+and\s+sell|sell|purchase|acquire)(?!\s+from\s+time)"),
    (("wishes",), r"wishes\s+to\s+(?:sell|buy)"),
    (("authorized",), r"authorized\s+the\s+(?:sale\s+and\s+issuance|issuance\s+and\s+sale)"),
    (("hereby",), r"hereby\s+(?:\w+ly\s+)?(?:subscribes?|agrees\s+to\s+purchase)"),
)
# DEAL_START, the ways as one pattern, is what deal_start finds: compiled on first use (__getattr__).
# Every DEAL_START match starts with one of these: it is tried only where they stand (Flow.search).
DEAL_START_WORDS = ("entered", "purchase", "issued", "sold", "acquired", "closed", "completed", "consummated",
                    "commenced", "agree", "shall", "will", "desire", "wishes", "authorized", "hereby")
# Where one of DEAL_START_WORDS stands, only the ways that open with it can match, and in
# DEAL_START's order: so the match there is theirs, and the match there of the ways that open with
# any word of its first letter (no word is a beginning of another: one word stands at a place, and
# the others' ways cannot match there). Their patterns, by that letter: a place's letter is looked
# up without a copy of the word. Most places of "agree" and "purchase" are in "agreement" and
# "purchaser", where no way can match (each wants a blank, an "s" or a "d" after the word): those
# are passed over untried.
_NO_DEAL_START = {"a": ("agreement",), "p": ("purchaser",)}
_DEAL_START_AT = {letter: (re.compile("|".join(p for words, p in _DEAL_STARTS
                                               if any(w[0] == letter for w in words)), re.I),
                           _NO_DEAL_START.get(letter, ()))
                  for letter in dict.fromkeys(w[0] for w in DEAL_START_WORDS)}


def deal_start(f: Flow, start: int = 0, end: int | None = None):
    """DEAL_START.search(f.text, start, end): the same span, found at the first place of one of
    DEAL_START_WORDS where the ways that open with that word match (see _DEAL_START_AT)."""
    end = len(f.text) if end is None else end
    places = f.places(DEAL_START_WORDS)
    text, low = f.text, f.low
    for i in places[bisect.bisect_left(places, start):bisect.bisect_right(places, end)]:
        rx, never = _DEAL_START_AT[low[i]]
        if never and low.startswith(never, i):
            continue
        m = rx.match(text, i, end)
        if m:
            return m
    return None


def sells(f: Flow, start: int, end: int) -> bool:
    """Whether the sentence f.text[start:end] says a deal is made (and is not an exchange or the like)."""
    return deal_start(f, start, end) is not None and not _not_a_sale(f.text, start, end, f.low)


# Sales that are not a securities purchase deal: exchanges, conversions, at-the-market programmes,
# grants. Each way with a word (lower case) that all its matches hold: without it, it cannot match.
_NOT_A_SALES = (
    ("exchange", r"exchange\s+agreement|in\s+exchange\s+for|were\s+exchanged"),
    ("section", r"Section\s+3\s*\(a\)\s*\(9\)"),
    ("upon", r"\b(?:issued|delivered)\s+[^.;]{0,80}?\bupon\s+(?:the\s+)?(?:exercise|conversion)\s+of"),
    ("registration", r"Registration\s+Rights\s+Agreement"),
    ("market", r"at[-\s]the[-\s]market\s+(?:offering|sales?\s+agreement|program|facility|issuance)"),
    ("distribution", r"equity\s+distribution\s+agreement"),
    ("sales", r"sales\s+agreement"),
    ("market", r"open\s+market\s+(?:transactions|purchases)"),
    ("option", r"granted\s+(?:stock\s+)?options|option\s+grants?"),
    ("consultant", r"consultants?\b"),
    ("services", r"for\s+services"),
    ("compensation", r"as\s+compensation"),
    ("lieu", r"in\s+lieu\s+of\s+cash"),
    ("inducement", r"inducement"),
    ("repric", r"repric"),
    ("conver", rf"\bconver(?:ted|sion\s+of)\b[^.;]{{0,80}}?\binto\s+(?:an\s+aggregate\s+of\s+)?{NUM}\s+shares"),
)
# Every NOT_A_SALE alternative holds one of these (in lower case): without them it cannot match.
_NOT_A_SALE_WORDS = tuple(dict.fromkeys(word for word, _ in _NOT_A_SALES))
# NOT_A_SALE matches where one of its ways does: each is tried only where its word stands.
_NOT_A_SALE_GATED = tuple((word, re.compile(pattern, re.I)) for word, pattern in _NOT_A_SALES)


def __getattr__(name: str):
    # NOT_A_SALE and DEAL_START, each the ways as one pattern, are what _not_a_sale and deal_start
    # answer; only readers and tests ask for them, so they are compiled on first use (a pattern
    # this size costs milliseconds a process: DEAL_START 32 M instructions).
    if name in ("NOT_A_SALE", "DEAL_START"):
        ways = _NOT_A_SALES if name == "NOT_A_SALE" else _DEAL_STARTS
        globals()[name] = rx = re.compile("|".join(pattern for _, pattern in ways), re.I)
        return rx
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _not_a_sale(text: str, start: int, end: int, low: str | None = None) -> bool:
    """NOT_A_SALE.search(text, start, end) is not None, each of its ways run only where the word
    its matches need stands. `low` is fold(text), if made: its slice holds the same words as fold
    of the slice."""
    words = low[start:end] if low is not None else fold(text[start:end])
    return any(word in words and rx.search(text, start, end) is not None for word, rx in _NOT_A_SALE_GATED)


# A closing or tranche of a deal restates part of it: its figures are not the deal's.
_TRANCHE = re.compile(r"\b(?:first|second|third|initial|subsequent|final|additional)\s+(?:closing|tranche)s?\b"
                      r"|\bat\s+(?:the|each)\s+closing\b|\btranche\b", re.I)


def _tranche(f: Flow, s: int, e: int, sentence: str) -> bool:
    """_TRANCHE.search(sentence) for the sentence f.text[s:e]. Every match holds "closing" or
    "tranche": a sentence without them (nearly every one) is not tried at each character, as
    re, ignoring case, would."""
    low = f.low
    return (low.find("closing", s, e) >= 0 or low.find("tranche", s, e) >= 0) and _TRANCHE.search(sentence) is not None


_EARLIER = re.compile(r"^(?:As\s+previously\s+(?:reported|disclosed)|Previously|In\s+(?:19|20)\d\d,?\s+the\s+Company\s+(?:had\s+)?issued)", re.I)
_ON_DATE = re.compile(rf"\b(?:On|on|As\s+of|as\s+of)\s+({DATE})", re.I)
_DATED = re.compile(rf"Agreement,?\s+(?:\([^)]{{0,60}}\)\s+)?(?:dated|made|entered\s+into)\s+(?:as\s+of\s+)?"
                    rf"(?:(?:with|by\s+and\s+between)\s+[^.;]{{0,80}}?\s+on\s+)?({DATE})", re.I)
_ENTERED = re.compile(r"entered\s+into", re.I)
# Every match of _DATED starts with "agreement", of _ON_DATE with "on" or "as", of _ENTERED with
# "entered" (in any case): each is tried only where its words stand (terms.search_at), not at
# every character of the sentence, where re, ignoring case, would try it.
_DATED_WORDS, _ON_DATE_WORDS, _ENTERED_WORDS = ("agreement",), ("on", "as"), ("entered",)

# Words that name a party's role, not a party.
_GENERIC = {"company", "purchaser", "purchasers", "investor", "investors", "registrant", "holder", "holders",
            "buyer", "buyers", "subscriber", "subscribers", "issuer", "agent", "placement agent", "underwriter",
            "underwriters", "board", "trust"}
PURCHASER_ROLES = ("purchaser", "buyer", "investor", "subscriber", "lender", "holder", "reporting person", "fund")
COMPANY_ROLES = ("company", "issuer", "seller", "corporation")
_SUFFIX_ONLY = re.compile(r"^(?:L\.?\s?P\.?|LP|LLC|L\.L\.C\.|Ltd\.?|Limited|Inc\.?|Corp\.?|N\.A\.|S\.A\.|N\.V\.|plc|PLC|LLP)\b")


@dataclass
class Draft:
    """A deal as the prose tells it, before it becomes a DealFacts."""
    start: int
    terms: Terms = field(default_factory=Terms)
    names: list[tuple[str, Source]] = field(default_factory=list)
    several: bool = False
    rows: list[Bag] = field(default_factory=list)   # purchasers with figures of their own

    @property
    def bag(self) -> Bag:
        return self.terms.bag


def split_names(text: str) -> list[str]:
    """'A, L.P., B, L.P. and C Ltd.' -> ['A, L.P.', 'B, L.P.', 'C Ltd.']."""
    text = re.sub(r"\s*\([^)]*\)", "", text)
    parts = re.split(r"\s*;\s*|\s+and\s+(?=[A-Z])|,\s+(?:and\s+)?(?=[A-Z])", text)
    names: list[str] = []
    for p in parts:
        p = p.strip(" ,")
        if names and _SUFFIX_ONLY.match(p):
            names[-1] = f"{names[-1]}, {p}"
        elif p:
            names.append(p)
    return [n for n in (clean_name(n) for n in names) if n]


_NOT_A_PARTY = re.compile(r"(?:Section|Article|Exhibit|Schedule|Annex|Appendix|Item|Rule|Form|Regulation|Note|"
                          r"Common|Preferred|Series|Warrants?|Shares?|Units?|Nasdaq|NYSE)\b")


# Words that name a document or a security, never a party.
_DOCUMENT_WORDS = re.compile(r"\b(?:Agreements?|Statement|Act|Prospectus|Supplement|Warrants?|Notes?|Debentures?|"
                             r"Certificate|Designations?|Offering|Placement|Amendment)\b")


@functools.lru_cache(maxsize=1024)
def is_name(text: str | None) -> bool:
    """A party's name: starts with a capital letter, and is not a role word ("the Investors")
    or a reference ("Section 6.1")."""
    # (Remembered: the readers ask again of the name party_before found with it, and a party's
    # name recurs in a filing's documents; each of the patterns below costs more than a lookup.)
    # (The length is told before any pattern runs: most text too long to be a name is a
    # sentence that the patterns would scan whole.)
    if not text or not 3 <= len(text) <= 90 or not text[0].isupper() or _NOT_A_PARTY.match(text) \
            or _DOCUMENT_WORDS.search(text) or _SUFFIX_ONLY.match(text) and len(text.strip(" ,.")) <= 6 \
            or ("undersigned" in text or _DIGIT.search(text)) and _NOT_A_NAME.search(text):
        return False        # too long, an address, or the signer's stand-in: not a name
    words = _DETERMINER.sub("", text).lower().strip(" .")
    return words not in _GENERIC and not _QUANTIFIER.match(text)


_NOT_A_NAME = re.compile(r"\bundersigned\b|\d{3,}\D+\d{3,}")
# Every _NOT_A_NAME match holds "undersigned" or a digit: most names hold neither, and are not
# tried at each character (the pattern opens with \b, which re tests everywhere).
_DIGIT = re.compile(r"\d")
_DETERMINER = re.compile(r"^(?:the|such|each|certain|an?)\s+", re.I)
_QUANTIFIER = re.compile(r"(?:the|such|each|certain|several|one|two|an?)\b", re.I)


_NAME_RUN = r"(?:[A-Z0-9][\w&.'\-]*|of|and|the|de|du|&|\([^)]{1,40}\))(?:(?:[ ,]|\n(?=[A-Z]))+(?:[A-Z0-9][\w&.'\-]*|of|and|the|de|du|&|L\.P\.|\([^)]{1,40}\)))*"


# Where prose names a purchaser: "with X,", "to X pursuant to", "between the Company and X",
# and as the subject of "X acquired" / "X purchased".
_NAMED = re.compile(
    rf"\b(?:with|to|between\s+the\s+(?:Company|Issuer|Registrant)\s+and)\s+(?:the\s+)?({_NAME_RUN})"
    rf"(?=\s*,?\s+(?:pursuant|for|at|in|on|under|who|which|as|whereby|dated)\b|\s*,\s+an?\s|\s*\(|\s*[.;]|\s*$)"
    rf"|(?:^|[,.;]\s+|\n)(?:the\s+)?({_NAME_RUN})\s+(?:acquired|purchased)\b", re.S)


def read_names(f: Flow, start: int, end: int, d: Draft) -> None:
    """The purchasers a deal sentence names: "(the "Purchaser")", "with X", "to X pursuant to"."""
    text = f.text
    for role in re.finditer(r"\(\s*(?:each\s+(?:a|an)\s+|collectively,?\s+)?(?:the\s+)?\"([A-Z][\w\- ]{1,40}?)\"\s*\)",
                            text[start:end]):
        key = role.group(1).lower()
        base = key.rstrip("s")
        if base not in PURCHASER_ROLES:
            continue
        if key.endswith("s"):
            d.several = True
            continue
        name, at = party_before(text, start, start + role.start())
        if is_name(name):
            d.names.append((name, f.source(at, at + len(name))))
            return
    for m in _NAMED.finditer(text, start, end):
        g = m.lastindex or 1
        if not re.match(r"(?:Purchase|Acquire|Sell|Issue)\b", m.group(g)) and \
                any(is_name(n) for n in split_names(m.group(g))):
            break
    else:
        m = None
    if m:
        # A name the excerpt cuts off ("assigned their warrants to Hu") is no name.
        names = [n for n in split_names(m.group(g)) if is_name(n)] if not cut_off(text, m.end(g)) else []
        known = {name_key(n) for n, _ in d.names}
        names = [n for i, n in enumerate(names) if name_key(n) not in known
                 and name_key(n) not in {name_key(x) for x in names[:i]}]
        if len(names) + len(known) > 1:
            d.several = True
        for n in names:
            at = text.find(n.split(",")[0], m.start(g), m.end(g))
            d.names.append((n, f.source(max(at, m.start(g)), max(at, m.start(g)) + len(n))))


# A descriptor: ",?\s+an?\s+" then a kind of entity or a place, to the window's end. It starts at
# a comma or a blank, taken by a class that opens the pattern: re then skips in C from one of
# them to the next (a lookahead there would make it try the pattern at every character); the
# lookbehinds after it ask for what ",?\s+" asks after that character. (The two ways share
# that start and the ".*$" end: only whether one of them matches tells a descriptor.)
_DESCRIPTOR = re.compile(r"[,\s](?:(?<=,)\s+|(?<=\s)\s*)an?\s+(?:(?:[A-Z][\w.]*\s+)*(?:corporation|company|limited|partnership"
                         r"|exempted|business|trust|bank|fund|societe|société|banking)\b|(?:Delaware|Nevada|Florida"
                         r"|New\s+York|California|Cayman|British|Bermuda)\b).*$", re.S)


# The lookahead names every character a boundary can start with (the alternatives' first
# letters, a date's month or digit, ". ) :"): re tries the alternatives only there, not at
# every character of the window. The stop's lookbehinds stand after its "." for the same reason.
# No two alternatives can match at one place (each starts with its own character or word), so
# their order is chosen for speed: the one-character ones first; the words, which all open
# with \b, behind one lookbehind that refuses them all inside a word; a date last, behind the
# characters it can start with, so that its many branches are not tried at a lower-case letter.
_BOUNDARY = re.compile(rf"(?=[bawfuOoAJFMSND\d.):])(?:"
                       r"\.(?<!Inc\.)(?<!Ltd\.)(?<!Co\.)(?<!Corp\.)(?<!L\.P\.)(?<!\b[A-Z]\.)\s+(?=[A-Z])"
                       r"|\)\s*,?\s*(?:and\s+)?|:\s+"
                       rf"|(?<!\w)(?:\b(?:between|among|with|by|from)\s+|\band\s+(?=[A-Z_])|\bundersigned,?\s+"
                       rf"|\b(?:On|on|As\s+of)\s+{DATE},?\s+)"
                       rf"|(?=[JFMASOND\d]){DATE},\s+)")


# (Matched at a cut with .match(window, cut): an anchor would hold only at the window's start.)
_LEADING_WORD = re.compile(r"(?:of|from|to|with)\s+")


# Characters no _BOUNDARY match holds (it takes no capital but a month's or "On"/"As"): no match
# runs across one, so a scan from just after one finds there what a scan of the whole window finds.
_NO_BOUNDARY = frozenset('("BCEGHIKLPQRTUVWXYZ')


def _cuts(window: str):
    """The ends of _BOUNDARY's matches in the window (they never overlap and never end at 0),
    latest first, then 0. They are found from the end a stretch at a time, each stretch starting
    after one of _NO_BOUNDARY: the name mostly stands after the latest cut, and the scan, which
    tries every character, costs more than the rest of party_before.

    A stretch is scanned up to its own end, not to the window's (which the stretch after has
    been scanned for already): a match that starts in it ends before the _NO_BOUNDARY character
    the stretch after starts after, and looks at most one character past its end, so it is
    found as in the whole window."""
    stop = len(window)
    while stop > 0:
        start = max(0, stop - 64)
        while start > 0 and window[start - 1] not in _NO_BOUNDARY:
            start -= 1
        ends = [m.end() for m in _BOUNDARY.finditer(window, start, stop)]
        yield from reversed(ends)
        stop = start
    yield 0


def party_before(text: str, lo: int, role_start: int) -> tuple[str | None, int]:
    """The name standing before a role parenthetical, without its descriptor; and its offset.

    The name starts after a boundary ("between", "with", a date, "), and") —
    the latest one that leaves a name, since a descriptor may hold boundary
    words of its own (", a Nevada corporation, with headquarters at ...")."""
    window = text[max(lo, role_start - 250):role_start]
    base = role_start - len(window)
    fallback = None
    for cut in _cuts(window):
        # The window is read from the cut on, not sliced there: neither pattern looks behind
        # where it starts, and a descriptor runs to the window's end, which is cut off.
        lead = _LEADING_WORD.match(window, cut)
        start = lead.end() if lead else cut
        descriptor = _DESCRIPTOR.search(window, start)
        name = clean_name(window[start:descriptor.start()] if descriptor else window[start:])
        at = base + (max(window.find(name, cut), cut) if name else cut)
        if fallback is None:
            fallback = (name, at)
        if is_name(name):
            return name, at
    return fallback


# A new Item of a report, or a heading line, ends the subject.
_ITEM_LINE = re.compile(r"(?:^|\n)\s*Item\s+\d+(?:\.\d+)?\b", re.I)
# "Pursuant to the Purchase Agreement, the Purchasers also received warrants ...": back to the deal.
_BACK_REFERENCE = re.compile(r"(?i:(?:pursuant\s+to|under|in\s+connection\s+with)\s+the\s+(?:Securities\s+|Stock\s+)?"
                             r"(?:Purchase|Subscription)\s+Agreements?\b)"
                             # A defined term of the deal, capitalised as the deal defined it: "The Warrant is ..."
                             r"|^\s*The\s+(?:Warrants?|Shares|Units|Notes|Debentures)\s+(?:is|are|has|have|will|were|was|may)\b")
# A party's short name: Mistral Harbor Fund, L.P. ("Mistral").
_ALIAS = re.compile(r"\(\s*(?:the\s+)?\"([A-Z][\w&.\- ]{1,30})\"")


def aliases(text: str) -> dict[str, str]:
    """Short names defined in the text: Mistral Harbor Fund, L.P. ("Mistral") -> {"Mistral": ...}."""
    out = {}
    for m in _ALIAS.finditer(text):
        short = m.group(1)
        if short.lower().rstrip("s") in PURCHASER_ROLES + COMPANY_ROLES:
            continue        # ("Purchaser"), ("Company"): a role, not a short name
        before = text[max(0, m.start() - 200):m.start()]
        if short.split()[0] not in before:
            continue        # the full name starts with the short one's first word, as written before it
        full, _ = party_before(text, max(0, m.start() - 200), m.start())
        if full and is_name(full) and len(full) > len(short) and full.split()[0] == short.split()[0]:
            out[short] = full
    return out


def find_deals(f: Flow, start: int = 0, end: int | None = None) -> list[Draft]:
    text, low = f.text, f.low
    end = len(text) if end is None else end
    deals: list[Draft] = []
    current: Draft | None = None
    for s, e in sentences(text, start, end):
        sentence = text[s:e]
        # Whether the sentence is no sale (an exchange, a grant): sells asks it of a sentence that
        # starts a deal, _ends_deal and the reading below ask it again; it is worked out once
        # (None: not yet). The sentence read in place is the sentence sliced when no word
        # character stands just before it (see _slice_not_a_sale), as nearly always.
        sale = deal_start(f, s, e) is not None
        no_sale = _not_a_sale(text, s, e, low) if sale else None
        earlier = _EARLIER.search(sentence) is not None
        starts = sale and not no_sale and not earlier      # (sells, and not about something reported earlier)
        if no_sale is not None and s and _is_word_char(text[s - 1]):
            no_sale = None
        if current is not None:
            if _ITEM_LINE.match(sentence):
                current = None
            else:
                if no_sale is None and not earlier:
                    no_sale = _slice_not_a_sale(text, s, e, low)
                if _ends_deal(sentence, earlier, no_sale):
                    current = None
        if starts and current is not None and current.bag.has("shares") and _tranche(f, s, e, sentence):
            starts = False      # "At the first closing, the Company sold 2,000,000 Shares ...": the same deal
        if starts:
            if current is None or _new_deal(f, current, s, e):
                current = Draft(s)
                deals.append(current)
        elif current is None and deals and _BACK_REFERENCE.search(sentence):
            current = deals[-1]
        if current is None:
            continue
        if current.bag.has("shares") and _tranche(f, s, e, sentence):
            continue
        if no_sale is None:
            no_sale = _slice_not_a_sale(text, s, e, low)
        if no_sale:
            # A closing restates part of the deal; an exchange or a grant beside it is not its terms.
            continue
        if _read_allocations(f, s, e, current):
            _read_dates(f, s, e, current, starts)
            continue
        read_sentence(f, s, e, current.terms)
        _read_dates(f, s, e, current, starts)
        if starts or not current.names:
            read_names(f, s, e, current)
        read_offering(f, s, e, current.bag)
    return deals


def _is_word_char(c: str) -> bool:
    """Whether re's \\w matches the character (a str pattern's: a letter, a digit or "_")."""
    return c.isalnum() or c == "_"


def _slice_not_a_sale(text: str, s: int, e: int, low: str) -> bool:
    """_not_a_sale(text[s:e], 0, e - s), without the copy and its fold when no word character
    stands before s: no way looks behind where it starts but by \\b, which then sees at s what
    it sees at the start of the slice (and every way ends within the span, as in the slice)."""
    if s == 0 or not _is_word_char(text[s - 1]):
        return _not_a_sale(text, s, e, low)
    sentence = text[s:e]
    return _not_a_sale(sentence, 0, len(sentence))


# "Pelham Ridge purchased 1,000,000 shares and warrants to purchase 500,000 shares for an
# aggregate purchase price of $1,150,000; and Cardew purchased ...": each clause one purchaser's.
_BOUGHT = (rf"(?:purchased|acquired|subscribed\s+for|bought|will\s+purchase|agreed\s+to\s+purchase)\s+"
           rf"(?:an\s+aggregate\s+of\s+)?{NUM}\s+(?:shares|units)")
_ALLOCATION = re.compile(rf"(?:^|[;,]\s*(?:and\s+)?|:\s*)((?:[A-Z][\w&.'\-]*)(?:[ ,]+(?:[A-Z][\w&.'\-]*|of|and|&|L\.P\.))*)\s+"
                         + _BOUGHT, re.M)
# Every _ALLOCATION match ends in one of _BOUGHT's: a sentence without one (nearly every one) is
# not tried at each comma and line start for a name that buys. Every _BOUGHT match starts with
# one of _BOUGHT_WORDS (in lower case, where the pattern asks for it; fold keeps each letter at
# its offset): it is tried only where they stand, not at each of the many characters its verbs
# start with.
_BOUGHT_FIGURES = re.compile(_BOUGHT)
_BOUGHT_WORDS = ("purchased", "acquired", "subscribed", "bought", "will", "agreed")


def _read_allocations(f: Flow, s: int, e: int, d: Draft) -> bool:
    """Clauses in which a named purchaser buys its own figures; True when the sentence is one."""
    text = f.text
    if search_at(f, _BOUGHT_FIGURES, _BOUGHT_WORDS, s, e) is None:
        return False
    found = [m for m in _ALLOCATION.finditer(text, s, e) if is_name(m.group(1))]
    if not found:
        return False
    # What comes before the first clause speaks for all of them: the price, the warrants' terms.
    read_sentence(f, s, found[0].start(), d.terms)
    for i, m in enumerate(found):
        stop = found[i + 1].start() if i + 1 < len(found) else e
        t = Terms()
        read_sentence(f, m.start(1), stop, t)
        row = finish(t)
        row.put("purchaser", clean_name(m.group(1)), f.source(m.start(1), m.end(1)), replace=True)
        d.rows.append(row)
    return True


def _new_deal(f: Flow, d: Draft, s: int, e: int) -> bool:
    """Whether a deal-start sentence begins another deal than `d`."""
    m = search_at(f, _DATED, _DATED_WORDS, s, e)
    if m and d.bag.get("date") and parse_date(m.group(1)) != d.bag.get("date"):
        return True
    probe = Terms()
    read_sentence(f, s, e, probe)
    for name in ("shares", "price"):
        if d.bag.get(name) is not None and probe.bag.get(name) is not None \
                and probe.bag.get(name) != d.bag.get(name) and name == "shares":
            return True
    return False


def _ends_deal(sentence: str, earlier: bool, no_sale: bool | None) -> bool:
    """Whether the sentence ends the deal before it. `earlier`: it is about something reported
    earlier (_EARLIER); `no_sale`: _not_a_sale of it (asked only when not earlier)."""
    if earlier or no_sale and _ENTERED.search(sentence):
        return True
    # A heading starts another subject.
    return "\n" not in sentence.strip() and is_heading_line(sentence)


def _read_dates(f: Flow, s: int, e: int, d: Draft, starts: bool) -> None:
    m = search_at(f, _DATED, _DATED_WORDS, s, e)
    if m:
        d.bag.put("date", parse_date(m.group(1)), f.source(m.start(1), m.end(1)))
    if starts:
        on = search_at(f, _ON_DATE, _ON_DATE_WORDS, s, e)
        if on:
            when, src = parse_date(on.group(1)), f.source(on.start(1), on.end(1))
            d.bag.put("event_date", when, src)
            # ("agreement" in any case, as re.I finds it: fold keeps each letter at its offset)
            if search_at(f, _ENTERED, _ENTERED_WORDS, on.end(), e) and f.low.find("agreement", on.end(), e) >= 0:
                d.bag.put("date", when, src)


def drafts_to_bags(drafts: list[Draft], short_names: dict[str, str] | None = None
                   ) -> list[tuple[Bag, list[tuple[str, Source]], bool, list[Bag]]]:
    out = []
    short_names = short_names or {}
    for d in drafts:
        d.names = [(short_names.get(n, n), src) for n, src in d.names]
        for row in d.rows:
            row.values["purchaser"] = short_names.get(row.get("purchaser"), row.get("purchaser"))
        bag = finish(d.terms)
        if len(d.rows) == 1 and not d.names:
            # One purchaser with its own figures is the deal's purchaser.
            for name, value in d.rows[0].values.items():
                bag.put(name, value, d.rows[0].sources.get(name))
            d.rows = []
        if not d.rows and not any(bag.get(k) is not None for k in ("shares", "price", "proceeds", "warrant_shares",
                                                                   "warrant_price", "proceeds_approx")):
            continue
        if len(d.names) == 1 and not d.several and not d.rows:
            bag.put("purchaser", d.names[0][0], d.names[0][1])
        elif d.names or d.several or d.rows:
            bag.put("several_purchasers", True, None)
        out.append((bag, d.names, d.several, d.rows))
    return out
