"""Completion: what may come next, from the text before the cursor.

A pure function (litecli's `suggest_type` habit), tested without a terminal.
The grammar decides: the text before the word being typed is fed to the LALR
parser (lark's interactive parser) and `accepts()` names the terminals that
may follow. Keyword terminals become their words; a NAME becomes entities or
fields depending on the rule the parser would reduce it to (fed a dummy NAME,
does the next state reduce `entity` or `field`?); after a comparison the
values of the field on its left are offered from the index.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from lark import Token, Tree
from lark.exceptions import LarkError
from lark.parsers.lalr_analysis import Reduce

from ..aggregates import AGGREGATES
from ..commands import HELP_TOPICS
from ..schema import BOOLEAN, DATE, ENTITIES, INTEGER, LIST, TEXT, Entity, entity as entity_named
from . import terms
from .text import open_quote

# Kinds, in the order a menu lists them when several fit at one place.
KIND_ORDER = ("value", "comparator", "entity", "field", "aggregate", "keyword", "command",
              "topic", "meta")

# Values offered after `FIELD =`: a field's distinct values when there are at
# most this many of its type: names, dates, and integers that are labels
# (years, as render.py prints them), never amounts such as share counts.
_VALUE_LIMITS = {TEXT: 200, LIST: 200, DATE: 60}
_LABEL_INTEGERS = {"year": 50}
# Tokens that may stand between a field and the value being typed:
# `f = `, `f contains `, `f in (1, `, `f not in (`, `f between `.
# (The comparison words themselves come from the grammar: terms.comparisons().)
_BEFORE_VALUE = {"COMPARATOR", "CONTAINS", "MATCHES", "LPAR", "COMMA", "BETWEEN"}
_IN_VALUE_LIST = {"COMMA", "LPAR", "IN", "NOT", "NUMBER", "STRING", "DATE"}


@dataclass(frozen=True)
class Suggestion:
    text: str               # what to insert
    kind: str               # one of KIND_ORDER
    meta: str = ""          # a short description for the menu
    start: int = 0          # where the replaced word starts, relative to the cursor (<= 0)


def suggest(text: str, index: Any = None, last: str | None = None) -> list[Suggestion]:
    """Suggestions for the word at the end of `text`.

    `index` supplies values (names, years); without it only the grammar and
    the schema are used. `last` is the previous query, whose entity a
    follow-up line (`and year = `) refers to.
    """
    from .commands import meta_suggestions
    stripped = text.lstrip()
    meta = meta_suggestions(stripped)
    if meta is not None:
        return meta
    head = re.match(r"chart\s+", stripped, re.I)
    if head:                                    # `chart QUERY`: complete the query
        return suggest(stripped[head.end():], index, last)
    before, word = split_word(text)
    found = _query_suggestions(before, word, index, last)
    if not before.strip():
        from .commands import meta_names
        found += [Suggestion(n, "meta", m) for n, m in meta_names()]
    return _finish(found, word)


def split_word(text: str) -> tuple[str, str]:
    """The text before the word being typed, and that word (maybe an open quote)."""
    quote = open_quote(text)
    if quote is not None:
        return text[:quote], text[quote:]
    m = re.search(r"(?:[<>=!]+|[\w$.%-]*)$", text)
    return text[:m.start()], m.group()


# --- what the grammar accepts ------------------------------------------------------------

def _feed(text: str):
    """The interactive parser after `text`, and the tokens it read; None if `text` is wrong."""
    parser = terms.parser().parse_interactive(text)
    tokens: list[Token] = []
    try:
        for token in parser.iter_parse():
            tokens.append(token)
    except LarkError:
        return None
    return parser, tokens


def _name_roles(parser) -> set[str]:
    """The rules a NAME typed here would be reduced to: `entity`, `field`, `command`..."""
    probe = parser.copy()
    try:
        probe.feed_token(Token("NAME", "x"))
    except LarkError:
        return set()
    return {str(arg.origin.name) for action, arg in probe.choices().values() if action is Reduce}


def _entity_in(parser, tokens: list[Token]) -> Entity | None:
    """The entity the statement so far is about: a reduced `entity` node, else a NAME naming one."""
    for node in _walk(parser.parser_state.value_stack):
        if isinstance(node, Tree) and node.data == "entity" and node.children:
            found = entity_named(str(node.children[0]))
            if found:
                return found
    for tok in tokens:
        if tok.type == "NAME" and entity_named(str(tok)):
            return entity_named(str(tok))
    return None


def _walk(values: Iterable) -> Iterable:
    for value in values:
        yield value
        if isinstance(value, Tree):
            yield from _walk(value.children)


def _query_suggestions(before: str, word: str, index, last: str | None) -> list[Suggestion]:
    fed = _feed(before)
    if fed is None:
        return []
    parser, tokens = fed
    accepted = parser.accepts()
    context = _entity_in(parser, tokens)
    if context is None and last:
        previous = _feed(last)
        context = _entity_in(*previous) if previous else None
    subject = _subject_field(tokens, context)
    at_start = not tokens
    found: list[Suggestion] = []

    if subject is not None and accepted & {"STRING", "NUMBER", "DATE"}:
        found += _values(index, *subject, contains=bool(tokens) and tokens[-1].type == "CONTAINS")
    roles = _name_roles(parser) if "NAME" in accepted else set()
    if roles:
        if "entity" in roles:
            found += _entities()
        if "field" in roles:
            found += _fields(context, _aggregated(tokens))
        if roles - {"entity", "field"} and tokens:
            found += _command_arguments(tokens[-1], context)
    if "ROW_ID" in accepted and context is not None and index is not None:
        key = context.key
        found += [Suggestion(str(v), "value", context.name)
                  for v in index.tables[context.name].column(key) if v]
    comparing = "COMPARATOR" in accepted
    # Symbols before words (`=` `<` before `contains`), shorter spellings first,
    # grammar order otherwise.
    for name in sorted(accepted, key=lambda n: (n != "COMPARATOR", terms.order(n))):
        kind = terms.kind(name)
        if kind == "command" and not at_start:
            kind = "keyword"                    # `show` as a clause, not the command
        if comparing and name in terms.comparisons():
            kind = "comparator"                 # contains, in, between... beside = and <
        elif kind == "comparator" and not comparing:
            kind = "keyword"                    # `after 2002` with no field before it
        if kind == "field" and "field" not in roles:
            kind = "keyword"                    # `paid` starting a clause
        if kind not in ("keyword", "aggregate", "command", "comparator", "field"):
            continue
        if subject is not None and subject[1].type != BOOLEAN and name in ("TRUE", "FALSE"):
            continue
        found += [Suggestion(w, kind) for w in sorted(terms.words(name), key=len)]
    return found


def _aggregated(tokens: list[Token]):
    """The aggregate whose field is being typed (`sum `, `avg(`), so only fitting fields show."""
    names = [str(t).lower() for t in tokens[-2:] if t.type != "LPAR"]
    if names and names[-1] in AGGREGATES and AGGREGATES[names[-1]].accepts:
        return AGGREGATES[names[-1]]
    return None


def _subject_field(tokens: list[Token], context: Entity | None) -> tuple[Entity, Any] | None:
    """The field a value being typed is compared with: `purchaser` in `purchaser = "`."""
    before_value = _BEFORE_VALUE | terms.comparisons()
    if not tokens or tokens[-1].type not in before_value:
        return None
    i = len(tokens) - 1
    while i >= 0 and tokens[i].type in _IN_VALUE_LIST | before_value and tokens[i].type != "NAME":
        i -= 1
    if i < 0 or tokens[i].type != "NAME":
        return None
    name = str(tokens[i])
    owners = [context] if context is not None else []
    # Without an entity, aggregates run over purchasers when the field is theirs (language.md).
    owners += [ENTITIES["purchasers"], *ENTITIES.values()]
    for owner in owners:
        field = owner.field(name)
        if field is not None:
            return owner, field
    return None


# --- the candidates ---------------------------------------------------------------------------

def _entities() -> list[Suggestion]:
    out = [Suggestion(e.name, "entity", e.row) for e in ENTITIES.values()]
    out += [Suggestion(a, "entity", f"= {e.name}") for e in ENTITIES.values() for a in e.aliases]
    return out


def _fields(context: Entity | None, aggregate=None) -> list[Suggestion]:
    def fits(f) -> bool:
        return aggregate is None or f.type in aggregate.accepts
    if context is not None:
        return [Suggestion(f.name, "field", f"{f.type}: {f.meaning}") for f in context.fields if fits(f)]
    seen: dict[str, list[str]] = {}
    for e in ENTITIES.values():
        for f in e.fields:
            if fits(f):
                seen.setdefault(f.name, []).append(e.name)
    return [Suggestion(name, "field", ", ".join(owners)) for name, owners in seen.items()]


def _command_arguments(previous: Token, context: Entity | None) -> list[Suggestion]:
    """A bare NAME after a command word: what that command takes."""
    word = str(previous).lower()
    if word == "help":
        return [Suggestion(t, "topic", "help topic") for t in HELP_TOPICS]
    if word == "fields":
        return _entities()
    if word == "show":          # `show ENTITY ID`, or columns of the previous query
        return _entities() + (_fields(context) if context is not None else [])
    return []


def _values(index, owner: Entity, field, contains: bool = False) -> list[Suggestion]:
    limit = _LABEL_INTEGERS.get(field.name) if field.type == INTEGER else _VALUE_LIMITS.get(field.type)
    if index is None or limit is None:
        return []
    distinct: dict[Any, None] = {}
    for value in index.tables[owner.name].column(field.name):
        for v in (value if isinstance(value, (list, tuple)) else [value]):
            if v not in (None, ""):
                distinct.setdefault(v)
    if len(distinct) > limit:
        return []
    meta = f"{owner.name}.{field.name}"
    return [Suggestion(_literal(v), "value", meta) for v in sorted(distinct, key=str)]


def _literal(value: Any) -> str:
    """A value as the query language writes it."""
    if isinstance(value, str):
        return f"'{value}'" if '"' in value else f'"{value}"'
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _finish(found: list[Suggestion], word: str) -> list[Suggestion]:
    """Keep the ones that fit the typed word; no duplicates; grammar order within a kind."""
    typed = word.lower().lstrip("\"'")
    out: dict[str, Suggestion] = {}
    for s in found:
        text = s.text.lower()
        if s.kind == "value" and text[:1] in "\"'":
            fits = typed in text.strip("\"'")    # names: any part of the name
        else:
            fits = text.startswith(word.lower())
        if fits and s.text not in out:
            out[s.text] = Suggestion(s.text, s.kind, s.meta, -len(word))
    ranked = sorted(out.values(), key=lambda s: KIND_ORDER.index(s.kind))
    return ranked
