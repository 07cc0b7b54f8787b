"""The data the index holds: rows of plain values, each value with its source.

A table keeps its rows as columns (a list per field) that the query engine
scans in C; a row is a plain dict (field name -> value) when one is asked
for. Provenance is kept beside the rows, not inside, so results never carry
it by accident.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from collections.abc import Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:                      # `typing` costs a warm start 0.6 MB: for the checkers only
    from typing import Any, Callable, Iterator

_COUNT = object()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a block with the cyclic garbage collector off: for making large structures
    that are not garbage, which the collector would only walk again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            # What the block made is all in the youngest generation, which the collector
            # would walk whole at the next allocation, and then again as the middle one
            # (0.3-0.8 s after a cold build of 10,000 files). Moved to the oldest generation
            # (freeze, then unfreeze: neither walks an object), it is still collected, but
            # only at the next full collection.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


class Source:
    """Where one value came from.

    `line` is 1-based in `file`; `text` is that line as written (stripped).
    A derived value has `derived=True` and `note` saying how it was made
    (e.g. "shares × price"); its `inputs` cite the values it was made from.

    Not to be changed once made: it is compared and hashed by its fields, and
    shared by every row and derived value that cites it. Written out rather
    than made a frozen dataclass: `dataclasses` (with `inspect`, `ast`,
    `dis`...) is 2.7 MB and a tenth of the time of a warm start that needs
    nothing else of it, and a frozen one's `__init__` (an `object.__setattr__`
    per field) is 3.5 times as dear as plain assignments, for the tens of
    thousands made per thousand filings.
    """
    __slots__ = ("file", "line", "text", "derived", "note", "inputs")
    file: str
    line: int | None
    text: str
    derived: bool
    note: str
    inputs: tuple["Source", ...]

    def __init__(self, file: str, line: int | None, text: str, derived: bool = False, note: str = "",
                 inputs: tuple["Source", ...] = ()):
        self.file = file
        self.line = line
        self.text = text
        self.derived = derived
        self.note = note
        self.inputs = inputs

    def _fields(self) -> tuple:
        return (self.file, self.line, self.text, self.derived, self.note, self.inputs)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Source:
            return NotImplemented
        return self is other or self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __reduce__(self):
        # A stated line (nearly every Source) as its three fields, the others left to their
        # defaults: a smaller pickle, made and read again with fewer objects.
        if self.derived is False and self.note == "" and self.inputs == ():
            return Source, (self.file, self.line, self.text)
        return Source, self._fields()

    def __repr__(self) -> str:
        return ("Source(file={!r}, line={!r}, text={!r}, derived={!r}, note={!r}, inputs={!r})"
                .format(*self._fields()))

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


# A field a row does not have (not the same as a field that is None).
ABSENT = type("Absent", (), {"__repr__": lambda self: "ABSENT", "__slots__": ()})()


class Table:
    """One entity's rows and, parallel to them, each row's sources by field.

    The rows are kept as columns, one list per field: 100,000 purchaser rows
    as 100,000 dicts cost ~3 KB each; as columns, the values and one pointer
    per field. `rows` is a read-only sequence that makes a row's dict when it
    is asked for; the query engine reads the columns themselves (`column`).
    `sources` is a list of dicts, or, for a table read back from the cache,
    a sequence that decodes them on demand.
    """

    def __init__(self, entity: str, rows: list[dict[str, Any]] | None = None,
                 sources: Any = None, columns: dict[str, list] | None = None, count: int = 0):
        self.entity = entity
        self.columns: dict[str, list] = columns if columns is not None else {}
        self.count = count if columns is not None else 0
        self._gappy: set[str] = set()       # columns holding ABSENT
        self.sources = sources if sources is not None else []
        # Columns and orders derived from the rows (spaq.evaluate's), made on first use.
        self._derived: dict[Any, Any] = {}
        self._rows = Rows(self)
        for row in rows or ():
            self._append(row)
        if rows is not None and sources is None:
            self.sources = [{} for _ in range(self.count)]

    @property
    def rows(self) -> "Rows":
        return self._rows

    def _append(self, row: dict[str, Any]) -> None:
        columns = self.columns
        if row.keys() == columns.keys():
            # The common case, a row with every field the table has: appended by C loops.
            # (list.append returns None, so `any` goes through them all.)
            any(map(list.append, columns.values(), map(row.__getitem__, columns)))
        else:
            n = self.count
            for name in row:
                if name not in columns:        # new columns in the row's order, as they come
                    columns[name] = [ABSENT] * n
                    if n:
                        self._gappy.add(name)
            if len(row) < len(columns):
                self._gappy.update(columns.keys() - row.keys())
            for name, column in columns.items():
                column.append(row.get(name, ABSENT))
        self.count += 1

    def add(self, row: dict[str, Any], sources: dict[str, Source] | None = None) -> None:
        self._growing()
        self._append(row)
        self.sources.append(sources or {})

    def extend(self, rows: list[dict[str, Any]], sources: list[dict[str, Source]]) -> None:
        """`add` each of `rows` with its sources (a dict each). The rows that have the table's
        fields in its order (nearly always all: a builder makes its rows alike) are appended
        column by column, the values of all of them by C loops (`zip(*rows)`), not a row at a time."""
        self._growing()
        columns = self.columns
        if not columns and self.count == 0 and rows:
            columns.update((name, []) for name in rows[0])     # the first row gives the fields
        names = tuple(columns)
        if columns and all(map(names.__eq__, map(tuple, rows))):
            # (list.extend returns None, so `any` goes through them all.)
            any(map(list.extend, columns.values(), zip(*map(dict.values, rows))))
            self.count += len(rows)
            self.sources += sources
        else:
            for row, row_sources in zip(rows, sources):
                self.add(row, row_sources)

    def _growing(self) -> None:
        if not isinstance(self.sources, list):
            # Read back from the cache: the sources are decoded to grow, and each column is
            # given a list of its own (the columns that are None throughout share one).
            self.sources = list(self.sources)
            self.columns = {name: list(column) for name, column in self.columns.items()}

    def mark_gaps(self, names=None) -> None:
        """Note which of the columns given whole to the constructor (or of `names`) hold ABSENT."""
        self._gappy = {name for name in (self.columns if names is None else names)
                       if any(v is ABSENT for v in self.columns[name])}

    def column(self, name: str) -> list:
        """Every row's value of `name` (None where a row has no such field). Not to be changed."""
        column = self.columns.get(name)
        if column is not None and name not in self._gappy:
            return column
        return self.derived(("column", name), lambda rows: [None if v is ABSENT else v
                                                            for v in column or [None] * self.count])

    def row(self, i: int) -> dict[str, Any]:
        return {name: v for name, column in self.columns.items() if (v := column[i]) is not ABSENT}

    def has_derived(self, key: Any) -> bool:
        kept = self._derived
        return key in kept and kept.get(_COUNT) == self.count

    def derived(self, key: Any, make: Callable[["Rows"], Any]) -> Any:
        """`make(rows)`, made once and kept while the table has the same rows
        (`add` forgets them)."""
        kept = self._derived
        if kept.get(_COUNT) != self.count:
            kept.clear()
            kept[_COUNT] = self.count
        try:
            return kept[key]
        except KeyError:
            pass
        with collector_paused():
            made = kept[key] = make(self._rows)
        return made

    def find(self, key: str, value: str) -> int | None:
        """Position of the row whose `key` equals `value` (case-insensitive)."""
        want = value.lower()
        for i, v in enumerate(self.column(key)):
            if v is not None and str(v).lower() == want:
                return i
        return None


class Rows(Sequence):
    """A table's rows as dicts, made when asked for (see `Table`)."""
    __slots__ = ("_table",)

    def __init__(self, table: Table):
        self._table = table

    def __len__(self) -> int:
        return self._table.count

    def __getitem__(self, i):
        table = self._table
        if isinstance(i, slice):
            return [table.row(j) for j in range(*i.indices(table.count))]
        if i < 0:
            i += table.count
        if not 0 <= i < table.count:
            raise IndexError("row index out of range")
        return table.row(i)

    def __iter__(self):
        table = self._table
        names = list(table.columns)
        for values in zip(*table.columns.values()):
            yield {n: v for n, v in zip(names, values) if v is not ABSENT}
        if not names:
            yield from ({} for _ in range(table.count))

    def __eq__(self, other) -> bool:
        if isinstance(other, (Rows, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"<{len(self)} rows of {self._table.entity}>"
