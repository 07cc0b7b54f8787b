"""Aggregate functions, registered by decorator so `help` can list them.

Each function receives the non-null values of its field (or, for `count`,
every row) and returns one value. Money is summed as Decimal so a column of
prices adds up to the cent, then handed back as float like every other
money value.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from .record import Record
from .schema import DATE, INTEGER, MONEY, NUMBER, NUMERIC, TEXT


class AggregateFunction(Record):
    name: str
    meaning: str
    example: str
    takes_field: bool
    accepts: tuple[str, ...]            # field types it may be applied to
    result_type: Callable[[str | None], str]
    compute: Callable[[list[Any]], Any]

    def column(self, field: str | None) -> str:
        """The output column's name: `count`, `sum(proceeds)`."""
        return f"{self.name}({field})" if field else self.name


AGGREGATES: dict[str, AggregateFunction] = {}


def aggregate(name: str, meaning: str, example: str, accepts: tuple[str, ...] = NUMERIC,
              result_type: Callable[[str | None], str] = lambda t: t or INTEGER,
              takes_field: bool = True):
    def register(fn: Callable[[list[Any]], Any]) -> Callable[[list[Any]], Any]:
        AGGREGATES[name] = AggregateFunction(name, meaning, example, takes_field, accepts,
                                             result_type, fn)
        return fn
    return register


def _decimal(v: Any) -> Decimal:
    # str() first: Decimal(0.35) would keep the float's binary error.
    return v if isinstance(v, Decimal) else Decimal(str(v))


def _number(total: Decimal, field_type: str | None) -> int | float:
    return int(total) if field_type == INTEGER else float(total)


def _averaged(field_type: str | None) -> str:
    return MONEY if field_type == MONEY else NUMBER


@aggregate("count", "number of rows", "count purchasers by year", accepts=(),
           result_type=lambda t: INTEGER, takes_field=False)
def _count(rows: list[Any]) -> int:
    return len(rows)


@aggregate("sum", "total of a number field", "sum proceeds by year")
def _sum(values: list[Any]) -> Any:
    return sum((_decimal(v) for v in values), Decimal(0)) if values else None


@aggregate("avg", "mean of a number field", "avg price by year", result_type=_averaged)
def _avg(values: list[Any]) -> Any:
    return sum(map(_decimal, values), Decimal(0)) / len(values) if values else None


@aggregate("min", "smallest value (numbers, dates, text)", "min warrant_price where year = 2002",
           accepts=NUMERIC + (DATE, TEXT))
def _min(values: list[Any]) -> Any:
    return min(values, key=_order_key) if values else None


@aggregate("max", "largest value (numbers, dates, text)", "max price", accepts=NUMERIC + (DATE, TEXT))
def _max(values: list[Any]) -> Any:
    return max(values, key=_order_key) if values else None


@aggregate("median", "middle value of a number field", "median price", result_type=_averaged)
def _median(values: list[Any]) -> Any:
    import statistics                  # (random, fractions...: imported when a median is asked for)
    return statistics.median(map(_decimal, values)) if values else None


def _order_key(v: Any) -> Any:
    return v.casefold() if isinstance(v, str) else v


def finish(value: Any, result_type: str) -> Any:
    """An aggregate's raw value as the Result carries it: int, float, date, str."""
    if value is None:
        return None
    if result_type == INTEGER:
        return int(value)
    if result_type in (MONEY, NUMBER):
        return float(value)
    return value
