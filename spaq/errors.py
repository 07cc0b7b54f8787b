"""One error root, one class per stage.

Every error spaq raises on purpose is a `SpaqError`, which is a `ValueError`,
so an embedding script can catch bad input with one `except ValueError`.
A query error carries the query text and the span it points at, and its
`str()` is exactly what the CLI prints: the query, a caret line, the message.
"""
from __future__ import annotations


class SpaqError(ValueError):
    """Root of every error spaq raises on purpose."""


class QueryError(SpaqError):
    """A query that cannot be run: unknown names, wrong types, bad regex."""

    def __init__(self, message: str, query: str = "", start: int | None = None,
                 end: int | None = None, suggestion: str | None = None):
        self.message = message
        self.query = query
        self.start = start
        self.end = end if end is not None else (None if start is None else start + 1)
        self.suggestion = suggestion
        super().__init__(str(self))

    @property
    def position(self) -> int | None:
        return self.start

    def caret(self) -> str:
        """The caret line under the offending span (empty when no position)."""
        if self.start is None or not self.query:
            return ""
        width = max(1, (self.end or self.start + 1) - self.start)
        return " " * self.start + "^" * width

    def __str__(self) -> str:
        text = self.message
        if self.suggestion:
            text += f" — did you mean {self.suggestion}?"
        if self.start is None or not self.query:
            return text
        return f"{self.query}\n{self.caret()}\n{text}"


class QuerySyntaxError(QueryError):
    """The query does not parse."""


class CorpusError(SpaqError):
    """The corpus cannot be read at all (no such path, nothing readable)."""
