"""prompt_toolkit adapters around the pure functions: completer, lexer, style."""
from __future__ import annotations

import threading

from prompt_toolkit.completion import Completer, Completion
from prompt_toolkit.formatted_text.utils import split_lines
from prompt_toolkit.lexers import Lexer
from prompt_toolkit.styles import Style


STYLE = Style.from_dict({
    "keyword": "bold ansiblue",
    "command": "bold ansiblue",
    "aggregate": "bold ansimagenta",
    "entity": "bold ansigreen",
    "field": "ansicyan",
    "number": "ansiyellow",
    "money": "ansiyellow",
    "date": "ansiyellow",
    "string": "ansigreen",
    "meta": "ansimagenta",
    "error": "underline ansired",
})


class SpaqCompleter(Completer):
    """Completion from `suggest`; waits for the parser once, while it loads at start-up."""

    def __init__(self, repl, ready: threading.Event):
        self.repl = repl
        self.ready = ready          # set once the parser and the query engine are loaded

    def get_completions(self, document, complete_event):
        if not self.ready.wait(timeout=30):
            return
        from .suggest import suggest
        last = getattr(self.repl.session, "last", None)
        for s in suggest(document.text_before_cursor, self.repl.index, last):
            yield Completion(s.text, start_position=s.start, display_meta=s.meta or s.kind)


class SpaqLexer(Lexer):
    """Colours from `highlight`; plain text until the parser is loaded, rather than a stall."""

    def __init__(self, ready: threading.Event):
        self.ready = ready

    def lex_document(self, document):
        if self.ready.is_set():
            from .highlight import highlight
            fragments = [(_style(kind), text) for kind, text in highlight(document.text)]
        else:
            fragments = [("", document.text)]
        lines = list(split_lines(fragments))
        return lambda n: lines[n] if n < len(lines) else []


def _style(kind: str) -> str:
    return " ".join(f"class:{part}" for part in kind.split("+") if part)
