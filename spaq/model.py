"""The data the index holds: rows of plain values, each value with its source.

Rows are plain dicts (field name -> value) so the query engine can read them
with closures and no attribute lookups; provenance is kept beside them,
not inside, so results never carry it by accident.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import Any, Callable

_ROWS, _COUNT = object(), object()


@dataclass(frozen=True, slots=True)
class Source:
    """Where one value came from.

    `line` is 1-based in `file`; `text` is that line as written (stripped).
    A derived value has `derived=True` and `note` saying how it was made
    (e.g. "shares × price"); its `inputs` cite the values it was made from.
    """
    file: str
    line: int | None
    text: str
    derived: bool = False
    note: str = ""
    inputs: tuple["Source", ...] = ()

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def cited(self) -> list["Source"]:
        """The stated values a (possibly derived) value rests on, nested derivations flattened."""
        if not self.derived:
            return [self]
        out: list[Source] = []
        for s in self.inputs:
            out.extend(c for c in s.cited() if c not in out)
        return out

    def describe(self) -> str:
        if self.derived:
            cited = ", ".join(s.where() for s in self.cited())
            return f"derived: {self.note}" + (f" (from {cited})" if cited else "")
        return f"{self.where()}: {self.text}"


@dataclass
class Table:
    """One entity's rows and, parallel to them, each row's sources by field."""
    entity: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Source]] = field(default_factory=list)
    # Columns and orders derived from the rows (spaq.evaluate's), made on first use.
    _derived: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def add(self, row: dict[str, Any], sources: dict[str, Source] | None = None) -> None:
        self.rows.append(row)
        self.sources.append(sources or {})

    def has_derived(self, key: Any) -> bool:
        kept = self._derived
        return key in kept and kept.get(_ROWS) is self.rows and kept.get(_COUNT) == len(self.rows)

    def derived(self, key: Any, make: Callable[[list[dict[str, Any]]], Any]) -> Any:
        """`make(rows)`, made once and kept while the rows stay the same list of
        the same length (a reload makes new tables; `add` forgets them). Rows
        are not to be changed in place once queried."""
        kept = self._derived
        rows = self.rows
        if kept.get(_ROWS) is not rows or kept.get(_COUNT) != len(rows):
            kept.clear()
            kept[_ROWS], kept[_COUNT] = rows, len(rows)
        try:
            return kept[key]
        except KeyError:
            pass
        # Large new lists, none of them garbage: the cyclic collector would only walk them.
        collecting = gc.isenabled()
        gc.disable()
        try:
            made = kept[key] = make(rows)
        finally:
            if collecting:
                gc.enable()
        return made

    def find(self, key: str, value: str) -> int | None:
        """Position of the row whose `key` equals `value` (case-insensitive)."""
        want = value.lower()
        for i, row in enumerate(self.rows):
            v = row.get(key)
            if v is not None and str(v).lower() == want:
                return i
        return None
