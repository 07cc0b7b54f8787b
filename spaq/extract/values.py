"""Value recognisers: money, share counts, dates, percentages, terms, names.

Each recogniser is a regex fragment (to compose with anchors) plus a parser
that turns the matched text into a Python value. Anchored patterns elsewhere
say *which* money is the price; these say only *what* a money amount is.
"""
from __future__ import annotations

import datetime as dt
import functools
import re


# A blank drawn to be filled in: "____", "$_________", "---------".
BLANK = r"\$?\s?(?:_{2,}|-{4,})"

# 1,250,000 | 800000 | 0.2325 | .35 — thousands groups must be exact.
NUM = r"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)"
# $5,000,000 | $0.35 | $.001 | $2.5 million | US$1,000
MONEY = rf"(?:US)?\$\s?(?:{NUM})(?:\s+(?:million|billion|thousand)\b)?"

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


# Patterns used on every value are compiled once here (re's cache costs a lookup a call).
_NUM = re.compile(NUM)
_SCALE_WORD = re.compile(r"\b(thousand|million|billion)\b", re.I)
_ONLY_BLANK = re.compile(r"\s*" + BLANK + r"\s*")
_NO_NAME = re.compile(r"[\s_\-$.]*")


def parse_number(text: str) -> float | None:
    m = _NUM.search(text)
    if not m:
        return None
    value = float(m.group(0).replace(",", ""))
    scale = _SCALE_WORD.search(text)
    return value * _SCALE[scale.group(1).lower()] if scale else value


# The parsers below are remembered (lru_cache): a filing states a figure, a date or a name again
# and again (the cover's date, the narrative's; a price restated), each value immutable; a lookup
# costs less than the patterns.
@functools.lru_cache(maxsize=1024)
def parse_money(text: str) -> float | None:
    """$5,000,000 -> 5000000.0; a blank -> None."""
    if _ONLY_BLANK.fullmatch(text):
        return None
    value = parse_number(text)
    return None if value is None else round(value, 6)


@functools.lru_cache(maxsize=1024)
def parse_shares(text: str) -> int | None:
    value = parse_number(text)
    return None if value is None or value != int(value) else int(value)


MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], 1)}
_MONTH_ABBR = {m[:3]: i for m, i in MONTHS.items()}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_ORD = r"(?:\d{1,2})(?:st|nd|rd|th)?"
# March 8, 2001 | March 8 2001 | 8 March 2001 | the 8th day of March, 2001 | 2001-03-08 | 03/08/2001
DATE = (rf"(?:{_MONTH}\s+{_ORD},?\s+\d{{4}}"
        rf"|{_ORD}\s+(?:day\s+of\s+)?{_MONTH},?\s+\d{{4}}"
        r"|\d{4}-\d{2}-\d{2}"
        r"|\d{1,2}/\d{1,2}/\d{4})")


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTH_NAME = re.compile(_MONTH, re.I)
_DAY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)")
_YEAR = re.compile(r"\b(\d{4})\b")


@functools.lru_cache(maxsize=1024)
def parse_date(text: str) -> dt.date | None:
    # (runs of white space as one space, the ends stripped: split() and re's \s agree on what
    # white space is, and a join costs less than a substitution)
    t = " ".join(text.split())
    try:
        if _ISO_DATE.fullmatch(t):
            return dt.date.fromisoformat(t)
        m = _SLASH_DATE.fullmatch(t)
        if m:
            return dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
        month = _MONTH_NAME.search(t)
        day = _DAY.search(t)
        year = _YEAR.search(t)
        if month and day and year:
            return dt.date(int(year.group(1)), _MONTH_ABBR[month.group(0)[:3].lower()],
                           int(day.group(1)))
    except ValueError:
        return None
    return None


WORD_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
WORD_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90})
SMALL = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + ")"


_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_NUMBER_WORD = re.compile("|".join(WORD_NUMBERS))
_HALF = re.compile(r"and\s+(?:a\s+|one[\s-])half|\.5\b")


@functools.lru_cache(maxsize=1024)
def parse_small(text: str) -> float | None:
    """'five' -> 5, '5' -> 5, 'five (5)' -> 5, 'five and one-half' -> 5.5."""
    t = text.lower()
    m = _DECIMAL.search(t)
    if m:
        value = float(m.group(0))
    else:
        words = _NUMBER_WORD.findall(t)
        if not words:
            return None
        value = float(WORD_NUMBERS[words[0]])
    if _HALF.search(t) and value == int(value):
        value += 0.5
    return int(value) if value == int(value) else value


# A party's name: words up to an entity suffix ("Ltd.", "L.P.", "Inc.", ...).
SUFFIX = (r"(?:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.|Company|Ltd\.?|Limited(?:\s+Partnership)?"
          r"|L\.?\s?L\.?\s?C\.?|L\.?\s?P\.?|LLP|PLC|plc|N\.V\.|S\.A\.|AG|GmbH|B\.V\.|Partners|Fund|Trust"
          r"|Partnership)")
_NAME_WORD = r"(?:[A-Z0-9][\w&'.\-]*|of|and|the|de|du|&)"
NAME = rf"(?:{_NAME_WORD}[ ,]+){{0,8}}?{SUFFIX}(?![\w])"


@functools.lru_cache(maxsize=1024)
def clean_name(text: str | None) -> str | None:
    """A party name as written, trimmed of white space and trailing punctuation."""
    if text is None:
        return None
    # Runs of white space as one space (split() and re's \s agree on what white space is;
    # an end's space goes with the strip).
    t = " ".join(text.split()).strip(" ,;:\"'()")
    if not t or _NO_NAME.fullmatch(t):
        return None
    return t


def name_key(text: str | None) -> str:
    """A key under which spellings of one name agree: case, punctuation, suffix form."""
    if not text:
        return ""
    t = text.lower().replace("&", " and ")
    t = re.sub(r"[^\w\s]", "", t)
    words = t.split()
    drop = {"inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited",
            "llc", "lp", "llp", "plc", "the"}
    while words and words[-1] in drop:
        words.pop()
    return " ".join(words)
