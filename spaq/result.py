"""The one result shape every query and command returns (litecli style).

A table (`columns`, `rows` as tuples in column order, `types` from the
schema for rendering), footers (`notes`), or prose (`text`) for help and
explain. Values are plain Python: datetime.date, float for money and
numbers, int for counts and shares, str, bool, list for list fields.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator


@dataclass
class Result:
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    text: str | None = None
    title: str | None = None

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
