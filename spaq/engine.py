"""The one entry point: text -> Result (parse, plan, evaluate; or a command).

`execute` also takes the plan of the previous query, which follow-ups
(`and year = 2002`, `sum proceeds of them`) refine; `spaq.session.Session`
keeps it between lines. Parsed statements are cached by their text and
compiled plans by the plan: neither depends on an index's rows, so one
cache serves every index and every session.
"""
from __future__ import annotations

import functools
from typing import Callable

from . import ast
from .commands import dispatch
from .errors import QueryError, SpaqError
from .evaluate import compile_plan
from .index import Index
from .parser import parse
from .plan import Plan, plan
from .result import Result
from .schema import ENTITIES


@functools.lru_cache(maxsize=512)
def parse_cached(text: str) -> ast.Statement:
    return parse(text)


@functools.lru_cache(maxsize=512)
def compile_cached(query_plan: Plan) -> Callable[[Index], Result]:
    return compile_plan(query_plan)


def prepare(text: str, previous: Plan | None = None) -> ast.Command | Plan:
    """A command node, or the plan of the query (merged with `previous` for a follow-up)."""
    statement = parse_cached(text)
    if isinstance(statement, ast.Command):
        return statement
    return plan(statement, text, previous)


def compile_query(text: str) -> ast.Command | Callable[[Index], Result]:
    """A command node, or the query compiled into a function of an index."""
    prepared = prepare(text)
    return prepared if isinstance(prepared, ast.Command) else compile_cached(prepared)


def execute(index: Index, text: str, previous: Plan | None = None) -> tuple[Result, Plan | None]:
    """Run one line; returns the result and, for a query, its plan (what the
    next line may refine). Only QueryError (and deliberate SpaqErrors) escape."""
    if not isinstance(text, str):
        raise QueryError(f"a query is text (str), not {type(text).__name__}")
    if not text.strip():
        raise QueryError("empty query", suggestion=" or ".join(
            [", ".join(f"'{e}'" for e in ENTITIES), "'help'"]))
    try:
        prepared = prepare(text, previous)
        if isinstance(prepared, ast.Command):
            return dispatch(index, prepared, text, previous), None
        return compile_cached(prepared)(index), prepared
    except SpaqError:
        raise
    except Exception as e:
        # A bug, not the user's fault; still a QueryError so no traceback reaches them.
        raise QueryError(f"internal error: {type(e).__name__}: {e}", text) from e


def run(index: Index, text: str) -> Result:
    """Run one query or command on its own (a follow-up here has nothing to refine)."""
    return execute(index, text)[0]
