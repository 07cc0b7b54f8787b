"""Immutable value classes declared like frozen dataclasses, without their start-up cost.

    class Compare(Record):
        op: str
        left: Operand
        right: Operand = None       # a default, as in a dataclass

A subclass's annotations are its fields, after those of its bases; each
instance is built by keyword or position, compares equal to an instance of
the same class with equal fields, hashes by its fields, prints as
`Compare(op='<', left=..., right=...)`, takes part in `match` by position,
and refuses assignment.

Why not `@dataclass(frozen=True)`: a dataclass generates and `exec`s the
source of its methods, per class. For spaq's fifty-odd node, plan and registry
classes that, with `import dataclasses` itself (which loads `inspect`), was a
third of the instructions `spaq -e "count agreements"` ran. Here every class
shares the same few methods and a class costs only reading its annotations.
"""
from __future__ import annotations

from typing import Any


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a Record (the message dataclasses gives)."""


class Record:
    _fields: tuple[str, ...] = ()            # every field, in order: the bases' first
    _defaults: dict[str, Any] = {}           # field -> its default

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        fields = list(cls._fields)
        defaults = dict(cls._defaults)
        # `cls.__annotations__` holds the class's own annotations only (strings,
        # under `from __future__ import annotations`); the bases' come from `_fields`.
        for name in cls.__annotations__:
            if name in cls.__dict__:
                defaults[name] = cls.__dict__[name]
            elif defaults:
                raise TypeError(f"{cls.__name__}: non-default field {name!r} follows a field with a default")
            if name not in fields:
                fields.append(name)
        cls._fields = tuple(fields)
        cls._defaults = defaults
        cls.__match_args__ = cls._fields

    def __init__(self, *args, **kwargs):
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}() takes {len(fields)} arguments but {len(args)} were given")
        values = dict(zip(fields, args))
        for name, value in kwargs.items():
            if name in values:
                raise TypeError(f"{type(self).__name__}() got multiple values for argument {name!r}")
            if name not in fields:
                raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {name!r}")
            values[name] = value
        if len(values) < len(fields):
            for name in fields:
                if name not in values:
                    if name not in self._defaults:
                        raise TypeError(f"{type(self).__name__}() missing required argument {name!r}")
                    values[name] = self._defaults[name]
        # The instance dictionary directly: __setattr__ refuses every assignment.
        self.__dict__.update(values)

    def _values(self) -> tuple:
        return tuple([self.__dict__[name] for name in self._fields])

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self):
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={self.__dict__[name]!r}" for name in self._fields)
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name, value):
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self):
        # copy and pickle rebuild through __init__, never through the refused __setattr__.
        return type(self), self._values()


def fields(record: Record | type[Record]) -> tuple[str, ...]:
    """The names of a record's fields, in order."""
    return record._fields


def replace(record: Record, **changes) -> Record:
    """A copy of `record` with some fields changed (as dataclasses.replace)."""
    return type(record)(**{**record.__dict__, **changes})
