"""The one entry point: text -> Result (parse, plan, evaluate; or a command).

Compiled queries are cached by their text; a compiled query depends only on
the schema, never on an index's rows, so one cache serves every index.
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
from .plan import plan
from .result import Result
from .schema import ENTITIES


@functools.lru_cache(maxsize=512)
def compile_query(text: str) -> ast.Command | Callable[[Index], Result]:
    """A command node, or the query compiled into a function of an index."""
    statement = parse(text)
    if isinstance(statement, ast.Command):
        return statement
    return compile_plan(plan(statement, text))


def run(index: Index, text: str) -> Result:
    """Run one query or command. Only QueryError (and deliberate SpaqErrors) escape."""
    if not isinstance(text, str) or not text.strip():
        raise QueryError("empty query", suggestion=" or ".join(
            [", ".join(f"'{e}'" for e in ENTITIES), "'help'"]))
    try:
        compiled = compile_query(text)
        if isinstance(compiled, ast.Command):
            return dispatch(index, compiled, text)
        return compiled(index)
    except SpaqError:
        raise
    except Exception as e:
        # A bug, not the user's fault; still a QueryError so no traceback reaches them.
        raise QueryError(f"internal error: {type(e).__name__}: {e}", text) from e
