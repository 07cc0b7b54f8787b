"""spaq: query securities purchase agreements and the filings that describe them.

    import spaq
    ix = spaq.load("path/to/filings")      # or spaq.load() for the bundled corpus
    r = ix.query("sum proceeds by year")   # -> Result
    r.columns, r.rows, r.to_dicts()
"""
from __future__ import annotations

from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:                      # `typing` costs a warm start 0.6 MB: for the checkers only
    from typing import Iterable

from .errors import CorpusError, QueryError, QuerySyntaxError, SpaqError
from .index import Index

__version__ = "0.1.0"
__all__ = ["load", "Index", "Session", "Result", "QueryError", "QuerySyntaxError", "CorpusError",
           "SpaqError", "__version__"]


def load(*paths: str | Path | Iterable[str | Path], cache: bool = True) -> Index:
    """Index the filings at `paths` (files or directories); none: the bundled corpus.

    Raises CorpusError when nothing can be read at all. Files that cannot be
    read are listed on the index as filings of form `unknown` with a warning.
    What was extracted from each file is cached (see `spaq.cache`) and read
    back while the file is unchanged; `cache=False` reads everything afresh
    and writes no cache.
    """
    from .build import build_index
    flat: list[str | Path] = []
    for p in paths:
        if isinstance(p, (str, Path)):
            flat.append(p)
        else:
            flat.extend(p)
    return build_index(flat, cache=cache)


def __getattr__(name: str):
    # Result is imported lazily so `import spaq` stays cheap for the CLI's start.
    if name == "Result":
        from .result import Result
        return Result
    if name == "Session":
        from .session import Session
        return Session
    raise AttributeError(f"module 'spaq' has no attribute {name!r}")
