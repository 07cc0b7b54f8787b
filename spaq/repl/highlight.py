"""Syntax highlighting: the line split into (kind, text) fragments, as the grammar lexes it.

Tokens come from the same LALR parser the queries go through, so a keyword
is coloured exactly when the grammar reads it as one. Where the parser
stops (a token it cannot take, a character no terminal matches) that part
gets the kind `error` added, so the prompt can underline it as you type;
an unfinished query (`purchasers where`) is not an error.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple

from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedToken

from ..schema import ENTITY_NAMES, all_field_names
from . import commands, terms

_FIELDS = frozenset(all_field_names())


class Fragment(NamedTuple):
    kind: str           # keyword, aggregate, command, entity, field, name, number, money, date,
    text: str           # string, comparator, punct, meta, or "" (spaces); "+error" appended


class _Span(NamedTuple):
    type: str           # terminal name, or "ERROR"/"OPEN_STRING"
    start: int
    end: int
    error: bool = False


def highlight(text: str) -> list[Fragment]:
    """Fragments covering `text` exactly, in order."""
    found = commands.find(text)
    if found is not None:
        command, arg = found
        head = len(text) - len(text.lstrip())
        name_end = head + len(text.lstrip().split(None, 1)[0])
        if command.names[0] != "chart":
            return _fill(text, [_Span("META", head, len(text.rstrip()))])
        lead = [Fragment("", text[:head])] if head else []
        return lead + [Fragment("meta", text[head:name_end])] + highlight(text[name_end:])
    return _fill(text, list(_spans(text)))


def _spans(text: str) -> Iterator[_Span]:
    """The parser's tokens while it accepts them; the rest lexed alone, the first misfit marked."""
    tokens: list = []
    try:
        for token in terms.parser().parse_interactive(text).iter_parse():
            tokens.append(token)
    except UnexpectedToken as e:
        # iter_parse hands out a token before feeding it, so the misfit may be the
        # last one handed out; or the lexer found it with a terminal the parser
        # does not expect here, and it was never handed out.
        if tokens and tokens[-1] is e.token:
            tokens.pop()
        bad = e.token
        yield from (_Span(t.type, t.start_pos, t.end_pos) for t in tokens)
        if bad.start_pos is None:
            return
        yield _Span(bad.type, bad.start_pos, bad.end_pos, error=True)
        yield from _lex(text, bad.end_pos)
        return
    except UnexpectedCharacters as e:
        yield from (_Span(t.type, t.start_pos, t.end_pos) for t in tokens)
        yield from _bad_character(text, e.pos_in_stream)
        return
    except LarkError:
        pass
    yield from (_Span(t.type, t.start_pos, t.end_pos) for t in tokens)


def _lex(text: str, start: int) -> Iterator[_Span]:
    """Tokens after an error, without the parser: context-free, good enough for colour."""
    try:
        for t in terms.parser().lex(text[start:]):
            yield _Span(t.type, start + t.start_pos, start + t.end_pos)
    except UnexpectedCharacters as e:
        yield from _bad_character(text, start + e.pos_in_stream)


def _bad_character(text: str, pos: int) -> Iterator[_Span]:
    if text[pos] in "\"'":
        # Quoted text still being typed: a string, not yet an error.
        yield _Span("STRING", pos, len(text))
        return
    yield _Span("ERROR", pos, pos + 1, error=True)
    yield from _lex(text, pos + 1)


def _kind(span: _Span, word: str) -> str:
    if span.type == "META":
        return "meta"
    kind = terms.kind(span.type)
    if kind == "name":
        lowered = word.lower()
        kind = "entity" if lowered in ENTITY_NAMES else "field" if lowered in _FIELDS else "name"
    elif kind == "number" and "$" in word:
        kind = "money"
    elif kind == "other":
        kind = ""
    return kind


def _fill(text: str, spans: list[_Span]) -> list[Fragment]:
    out: list[Fragment] = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < pos:
            continue
        if span.start > pos:
            out.append(Fragment("", text[pos:span.start]))
        word = text[span.start:span.end]
        kind = _kind(span, word)
        if span.error:
            kind = f"{kind}+error" if kind else "error"
        out.append(Fragment(kind, word))
        pos = span.end
    if pos < len(text):
        out.append(Fragment("", text[pos:]))
    return out
