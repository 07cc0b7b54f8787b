"""The one result shape every query and command returns (litecli style).

A table (`columns`, `rows` as tuples in column order, `types` from the
schema for rendering), footers (`notes`), or prose (`text`) for help and
explain. Values are plain Python: datetime.date, float for money and
numbers, int for counts and shares, str, bool, list for list fields.
"""
from __future__ import annotations

from typing import Any, Iterator


class Result:
    """Written out rather than a dataclass: `spaq -e` builds one Result, and
    `dataclasses` would cost every start its import and code generation."""

    __hash__ = None                         # mutable, compared by value

    def __init__(self, columns: list[str] | None = None, rows: list[tuple] | None = None,
                 types: list[str] | None = None, notes: list[str] | None = None,
                 text: str | None = None, title: str | None = None):
        self.columns = [] if columns is None else columns
        self.rows = [] if rows is None else rows
        self.types = [] if types is None else types
        self.notes = [] if notes is None else notes
        self.text = text
        self.title = title

    def _fields(self) -> tuple:
        return self.columns, self.rows, self.types, self.notes, self.text, self.title

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._fields() == other._fields()
        return NotImplemented

    def to_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    @property
    def value(self) -> Any:
        """The single value of a one-row, one-column result."""
        if len(self.rows) != 1 or len(self.columns) != 1:
            raise ValueError(f"not a single value: {len(self.rows)} rows x {len(self.columns)} columns")
        return self.rows[0][0]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.rows)

    def __repr__(self) -> str:
        if self.text is not None:
            first = self.text.splitlines()[0] if self.text else ""
            return f"<Result text {first!r}>"
        return f"<Result {len(self.rows)} rows x {len(self.columns)} columns: {', '.join(self.columns)}>"
