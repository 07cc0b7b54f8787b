"""A Session: one user's conversation with an index, as the REPL holds it.

It keeps what the next line may refer to (the plan of the previous query),
so follow-ups work the same from the REPL, from standard input and from
embedding scripts:

    s = spaq.Session(ix)
    s.run("purchasers where price < 1")
    s.run("and year = 2002")        # purchasers where price < 1 and year = 2002
    s.run("sum proceeds of them")   # over those rows
    s.last                          # the canonical text of the query just run

Commands (help, show, explain, ...) and failed lines leave the context as it
was; each query, follow-up or not, becomes the context for the next line.
"""
from __future__ import annotations

from .engine import execute
from .index import Index
from .plan import Plan
from .result import Result


class Session:
    def __init__(self, index: Index):
        self.index = index
        self.plan: Plan | None = None     # the previous query's plan, which follow-ups refine

    @property
    def last(self) -> str | None:
        """The previous query as one canonical query (follow-ups merged in), or None."""
        return self.plan.to_query() if self.plan is not None else None

    def run(self, text: str) -> Result:
        """Run one line; raises QueryError like Index.query."""
        result, plan = execute(self.index, text, self.plan)
        if plan is not None:
            self.plan = plan
        return result

    def reset(self) -> None:
        """Forget the previous query: the next follow-up has nothing to refine."""
        self.plan = None
