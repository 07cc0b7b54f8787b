"""The in-memory index: one Table per entity, built from a corpus.

`Index` is what `spaq.load()` returns and what the query engine reads.
Building it (reading files, extracting facts, reconciling deals and names)
lives in `spaq.build` and `spaq.reconcile`; this module only holds the
result and the doors onto it, so an Index can also be made from ready
tables (tests, caches).
"""
from __future__ import annotations

from pathlib import Path

from .model import Table
from .schema import ENTITIES

TYPE_CHECKING = False
if TYPE_CHECKING:                      # `typing` costs a warm start 0.6 MB: for the checkers only
    from typing import Any, Iterable


class Index:
    def __init__(self, tables: dict[str, Table], paths: Iterable[Path] = (),
                 findings: list[dict[str, Any]] | None = None,
                 skipped: list[tuple[str, str]] | None = None):
        self.tables = {name: tables.get(name) or Table(name) for name in ENTITIES}
        self.paths = tuple(paths)           # what load() was given, for reload
        self._findings = findings or []
        self.skipped = skipped or []        # (file, reason) for files not read at all

    def table(self, entity: str) -> Table:
        return self.tables[entity]

    def findings(self) -> list[dict[str, Any]]:
        """Cross-document consistency findings (the `check` command)."""
        return list(self._findings)

    def reload(self) -> "Index":
        """Re-read the corpus in place and return self."""
        from .build import build_index
        fresh = build_index(self.paths)
        self.tables, self._findings, self.skipped = fresh.tables, fresh._findings, fresh.skipped
        return self

    def query(self, text: str):
        """Run one query or command; returns a `Result`, raises `QueryError`."""
        from .engine import run
        return run(self, text)

    def __repr__(self) -> str:
        counts = ", ".join(f"{n}={len(t.rows)}" for n, t in self.tables.items())
        return f"<spaq.Index {counts}>"
