"""The grammar's vocabulary, read from the LALR parser's own terminals.

Completion and highlighting both ask here what a terminal is and which words
spell it, so a keyword added to grammar/spaq.lark is completed and coloured
without touching the REPL.
"""
from __future__ import annotations

import functools
import re
import threading

from ..aggregates import AGGREGATES
from ..commands import COMMANDS
from ..parser import lark_parser

# Terminals whose pattern is not a word list; named as in grammar/spaq.lark.
_PATTERN_KINDS = {"NAME": "name", "NUMBER": "number", "DATE": "date", "STRING": "string",
                  "ROW_ID": "name"}
_building = threading.Lock()


def parser():
    """The spaq LALR parser, built once even when the prompt and a thread ask together."""
    with _building:
        return lark_parser()


def ready() -> bool:
    """Whether the parser is built (building it takes a noticeable fraction of a second)."""
    return lark_parser.cache_info().currsize > 0


_LITERAL = re.compile(r"[\w<>=!]+( [\w]+)*|[(),?]")


def _alternatives(regex: str) -> tuple[str, ...] | None:
    """`(?:(?i:null)|(?i:missing))` -> ('null', 'missing'); None unless a plain word list."""
    outer = re.fullmatch(r"\(\?:(.*)\)", regex)
    body = outer.group(1) if outer else regex
    words = []
    for piece in body.split("|"):
        inner = re.fullmatch(r"\(\?i?:(.*)\)", piece)
        piece = (inner.group(1) if inner else piece).replace("\\ ", " ")
        if not _LITERAL.fullmatch(piece):
            return None
        words.append(piece)
    return tuple(words)


@functools.lru_cache(maxsize=1)
def _terminals() -> dict[str, tuple[str, tuple[str, ...]]]:
    """terminal name -> (kind, the words that spell it)."""
    table: dict[str, tuple[str, tuple[str, ...]]] = {}
    for term in parser().terminals:
        pattern = term.pattern
        if term.name in _PATTERN_KINDS:
            table[term.name] = (_PATTERN_KINDS[term.name], ())
            continue
        if pattern.type == "str":
            words: tuple[str, ...] | None = (pattern.value,)
        else:
            words = _alternatives(pattern.value)
        if not words:
            table[term.name] = ("other", ())
        elif all(re.fullmatch(r"[A-Za-z_]\w*( \w+)*", w) for w in words):
            table[term.name] = (_word_kind(term.name, words[0].lower()), tuple(w.lower() for w in words))
        elif all(re.fullmatch(r"[<>=!]+", w) for w in words):
            table[term.name] = ("comparator", words)
        else:
            table[term.name] = ("punct", words)
    return table


def _word_kind(terminal: str, word: str) -> str:
    """What a keyword does, read from the rules it starts: an aggregate (`sum`,
    `total`), a comparator (`under`), a field's other name (`price per share`)."""
    if terminal in first_terminals("aggregate") or word in AGGREGATES:
        return "aggregate"
    if terminal in first_terminals("comparator"):
        return "comparator"
    if terminal in first_terminals("field") - {"NAME"}:
        return "field"
    if word in COMMANDS:
        return "command"
    return "keyword"


def first_terminals(rule: str, _seen: frozenset = frozenset()) -> frozenset[str]:
    """The terminals a rule's expansions may start with (empty for an unknown rule)."""
    found: set[str] = set()
    for r in parser().rules:
        if r.origin.name != rule or not r.expansion:
            continue
        first = r.expansion[0]
        if first.is_term:
            found.add(first.name)
        elif first.name not in _seen:
            found |= first_terminals(first.name, _seen | {rule})
    return frozenset(found)


def kind(terminal: str) -> str:
    """keyword, aggregate, command, comparator, punct, name, number, date, string or other."""
    return _terminals().get(terminal, ("other", ()))[0]


def words(terminal: str) -> tuple[str, ...]:
    """The literal spellings of a keyword/comparator/punctuation terminal; () for patterns."""
    return _terminals().get(terminal, ("other", ()))[1]


def order(terminal: str) -> int:
    """Position of the terminal in the grammar file, for a stable suggestion order."""
    names = list(_terminals())
    return names.index(terminal) if terminal in names else len(names)


@functools.lru_cache(maxsize=1)
def comparisons() -> frozenset[str]:
    """Terminals that compare: what may follow the first operand in the `predicate` rules."""
    found: set[str] = set()
    for rule in parser().rules:
        if rule.origin.name == "predicate" and len(rule.expansion) > 1:
            symbol = rule.expansion[1]
            found |= {symbol.name} if symbol.is_term else first_terminals(symbol.name)
    return frozenset(found)
