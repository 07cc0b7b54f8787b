"""The typed syntax tree the parser builds: what was written, nothing resolved.

Every node keeps `start`/`end`, the character offsets of the text it came
from, so the planner can point a caret at an unknown field or a bad value.
Names are kept as typed; the planner resolves them against spaq.schema.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union


@dataclass(frozen=True)
class Node:
    start: int
    end: int


@dataclass(frozen=True)
class Name(Node):
    """A field or entity name as typed (case kept for messages)."""
    text: str


@dataclass(frozen=True)
class Literal(Node):
    """A value written in the query.

    `kind` is number, date, text or boolean; `value` is the parsed value
    (int or float, datetime.date, str, bool); `raw` is the text as typed,
    which tells a year (`2002`) from a plain number and keeps text exact.
    """
    kind: str
    value: Any
    raw: str

    @property
    def is_year(self) -> bool:
        return self.kind == "number" and self.raw.isdigit() and len(self.raw) == 4


Operand = Union[Name, Literal]


@dataclass(frozen=True)
class Compare(Node):
    op: str                     # one of = != < <= > >=
    left: Operand
    right: Operand


@dataclass(frozen=True)
class Contains(Node):
    operand: Operand
    pattern: Operand


@dataclass(frozen=True)
class Matches(Node):
    operand: Operand
    pattern: Operand


@dataclass(frozen=True)
class InList(Node):
    operand: Operand
    values: tuple[Literal, ...]
    negated: bool


@dataclass(frozen=True)
class Between(Node):
    operand: Operand
    low: Operand
    high: Operand
    negated: bool


@dataclass(frozen=True)
class IsNull(Node):
    operand: Operand
    negated: bool               # `is not null` / `is known`


@dataclass(frozen=True)
class Truth(Node):
    """A bare boolean field used as a condition: `where template`."""
    field: Name


@dataclass(frozen=True)
class Not(Node):
    operand: "Condition"


@dataclass(frozen=True)
class And(Node):
    left: "Condition"
    right: "Condition"


@dataclass(frozen=True)
class Or(Node):
    left: "Condition"
    right: "Condition"


Condition = Union[Compare, Contains, Matches, InList, Between, IsNull, Truth, Not, And, Or]


@dataclass(frozen=True)
class Aggregate(Node):
    """`count` (field None) or `sum proceeds`; also an `order by` column."""
    function: str               # lower-case name, e.g. "sum"
    field: Name | None


@dataclass(frozen=True)
class OrderItem(Node):
    key: Name | Aggregate
    descending: bool


@dataclass(frozen=True)
class Pronoun(Node):
    """`them`, `those`, `it`: the rows of the previous query (a follow-up)."""
    text: str


@dataclass(frozen=True)
class Top(Node):
    """`top N [ENTITY] by FIELD`."""
    count: Literal
    entity: "Rows | None"
    field: Name


@dataclass(frozen=True)
class Query(Node):
    """A query. `entity` is what its rows are: an entity name, a pronoun for the
    previous query's rows, or a query in parentheses whose rows are read."""
    aggregates: tuple[Aggregate, ...]
    entity: "Rows | None"
    where: Condition | None
    group_by: tuple[Name, ...]
    order_by: tuple[OrderItem, ...]
    limit: Literal | None
    show: tuple[Name, ...]
    top: Top | None


Rows = Union[Name, Pronoun, Query]


@dataclass(frozen=True)
class FollowUp(Node):
    """A line that refines the previous query: `and year = 2002`, `by year`,
    `order by proceeds desc limit 2`, `show purchaser, shares`.

    `joins` says how `where` meets the previous filter: "and" (also for a
    line starting with `where`, `paid`, `in 2002`...) or "or". `word` is the
    first word as typed, for messages.
    """
    word: Name
    joins: str
    where: Condition | None
    group_by: tuple[Name, ...]
    order_by: tuple[OrderItem, ...]
    limit: Literal | None
    show: tuple[Name, ...]


@dataclass(frozen=True)
class ShowName(Node):
    """`show NAME [clauses]`, which only the schema can read: a query over the
    entity NAME (`show investors in 2002`), or, when NAME is not an entity and
    a query came before, a follow-up showing that column (`show price`).
    The parser builds both readings; the planner picks one.
    """
    query: Query
    followup: FollowUp


@dataclass(frozen=True)
class Command(Node):
    """A command statement: `help`, `fields`, `show`, `explain`, `check`, `reload`.

    `args` are the words after the command (Name for names, Literal for a
    row id); `query` is set for `explain`: what it explains.
    """
    name: str
    args: tuple[Name | Literal, ...]
    query: "Query | FollowUp | ShowName | None" = None


Statement = Union[Query, FollowUp, ShowName, Command]
