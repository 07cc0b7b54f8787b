"""The facts extraction yields, in a module of their own.

Reading a cached index needs these classes but none of the recognisers, whose
regular expressions take a noticeable time to compile; so they live here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Source


@dataclass
class Bag:
    """Facts found so far: field -> value and field -> Source. First found wins."""
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    def put(self, name: str, value: Any, source: Source | None, replace: bool = False) -> None:
        if name in self.values and not replace:
            return
        self.values[name] = value
        if source is not None:
            self.sources[name] = source

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.values


@dataclass
class DealFacts:
    """A deal as one document states it. `kind` is agreement or report."""
    kind: str
    terms: Bag                                  # date, company, purchaser, shares, price, ...
    rows: list[Bag] = field(default_factory=list)   # schedule rows, one per purchaser
    source: str = "body"                        # where the purchaser rows come from
    names: list[tuple[str, Source]] = field(default_factory=list)  # purchasers named without figures


@dataclass
class DocFacts:
    file: str
    number: int
    form: str
    filing: Bag
    deals: list[DealFacts] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def deal(self) -> DealFacts | None:
        return self.deals[0] if self.deals else None
