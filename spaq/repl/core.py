"""One line in, one Outcome out: the prompt's behaviour without a terminal.

`Repl.handle` runs a prompt command or sends the line to the Session (so
follow-ups work as in scripts) and turns the Result into screen text. The
prompt loop in `app` only reads lines and shows outcomes.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from ..errors import SpaqError
from . import commands
from .chart import ChartError, bar_chart
from .commands import Outcome, ReplState
from .output import present


class Repl:
    def __init__(self, index, state: ReplState | None = None,
                 size: Callable[[], tuple[int, int]] = lambda: (80, 24),
                 unicode: bool = True, session=None):
        self.index = index
        self.state = state or ReplState()
        self.size = size            # (columns, lines) of the screen, asked at each result
        self.unicode = unicode      # bar characters; ASCII when the terminal cannot show them
        self._session = session
        self._starting = threading.Lock()

    @property
    def session(self):
        """The Session every line goes through; made on first use, because importing
        the query engine is a good part of the startup time and the prompt can show
        without it."""
        with self._starting:
            if self._session is None:
                from ..session import Session
                self._session = Session(self.index)
            return self._session

    def handle(self, line: str) -> Outcome:
        line = line.strip()
        if not line or line.startswith(("--", "#")):
            return Outcome()
        found = commands.find(line)
        if found is not None:
            command, arg = found
            return command.handler(self, arg)
        return self._run(line, lambda result: present(result, self.state.fmt,
                                                      self.state.expanded, self.size()[0]))

    def chart(self, query: str) -> Outcome:
        if not query.strip():
            return Outcome("chart needs an aggregate query, e.g. chart sum proceeds by year", error=True)
        return self._run(query, lambda result: bar_chart(result, self.size()[0], self.unicode))

    def _run(self, query: str, show: Callable) -> Outcome:
        started = time.perf_counter()
        try:
            result = self.session.run(query)
            text = show(result)
        except (SpaqError, ChartError) as e:
            # QueryError's text is the query, the caret line and the message.
            return Outcome(str(e), error=True)
        elapsed = time.perf_counter() - started
        return Outcome(text, note=f"Time: {elapsed:.3f}s" if self.state.timing else "")

    def toolbar(self) -> str:
        """The bottom line: what is loaded and how results are shown."""
        filings = len(self.index.tables["filings"].rows)
        agreements = len(self.index.tables["agreements"].rows)
        return (f" corpus: {filings} file{'s' * (filings != 1)}, {agreements} agreement"
                f"{'s' * (agreements != 1)}  |  format: {self.state.fmt}  |  \\x {self.state.expanded}"
                f"  |  timing {'on' if self.state.timing else 'off'}  |  \\? help  Ctrl-D exit")
