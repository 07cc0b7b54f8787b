"""A Session: one user's conversation with an index, as the REPL holds it.

It keeps what the next line may refer to (the previous query), so follow-ups
work the same from the REPL, from standard input and from embedding scripts.
"""
from __future__ import annotations

from .index import Index
from .result import Result


class Session:
    def __init__(self, index: Index):
        self.index = index
        self.last: str | None = None      # the previous successful query's text

    def run(self, text: str) -> Result:
        """Run one line; raises QueryError like Index.query."""
        result = self.index.query(text)
        self.last = text
        return result
