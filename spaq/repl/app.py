"""The prompt loop: read a line with prompt_toolkit, hand it to `Repl`, show the outcome.

Everything that decides anything is elsewhere (suggest, highlight, keys,
commands, output, pager); this module only wires it to a terminal.
"""
from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path
from typing import Mapping, TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.history import FileHistory, History, InMemoryHistory

from .. import __version__
from . import pager
from .commands import Outcome, ReplState
from .core import Repl
from .history import history_path, prepare
from .keys import key_bindings
from .widgets import STYLE, SpaqCompleter, SpaqLexer

PROMPT = "spaq> "


def run(index, fmt: str = "table", history_option: str | Path | None = None) -> int:
    repl = Repl(index, ReplState(fmt=fmt), size=screen_size,
                unicode=(sys.stdout.encoding or "").lower().replace("-", "").startswith("utf"))
    ready = threading.Event()
    prompt = build_prompt(repl, open_history(history_option, os.environ), ready)
    print(banner(repl))
    # Loading the query engine and the parser takes a good part of the startup
    # time: do it while the user reads the banner, not before the prompt shows.
    # Until then the line is not coloured; completion (in a thread) waits.
    threading.Thread(target=_warm, args=(repl, ready, prompt), daemon=True).start()
    return loop(prompt, repl)


def banner(repl: Repl) -> str:
    filings = len(repl.index.tables["filings"].rows)
    agreements = len(repl.index.tables["agreements"].rows)
    return (f"spaq {__version__} — {filings} filings, {agreements} agreements. "
            "Type help for the query language, \\? for prompt commands, exit or Ctrl-D to leave.")


def screen_size() -> tuple[int, int]:
    size = shutil.get_terminal_size()
    return size.columns, size.lines


def open_history(option, env: Mapping[str, str]) -> History:
    path = history_path(option, env)
    try:
        return FileHistory(str(prepare(path)))
    except OSError as e:
        print(f"spaq: history not kept: cannot write {path}: {e.strerror}", file=sys.stderr)
        return InMemoryHistory()


def build_prompt(repl: Repl, history: History, ready: threading.Event | None = None,
                 **io) -> PromptSession:
    """The PromptSession; `io` may pass input=/output= (tests use a pipe and DummyOutput).

    Without `ready`, the engine is loaded here, before the prompt shows.
    """
    if ready is None:
        ready = threading.Event()
        _warm(repl, ready)
    return PromptSession(
        PROMPT,
        history=history,
        auto_suggest=AutoSuggestFromHistory(),
        completer=SpaqCompleter(repl, ready),
        # In the event loop, not a thread: suggest() takes milliseconds, and a Tab pressed just
        # after start-up (the parser still loading) then completes before the next key is read,
        # instead of arriving after it and being dropped.
        complete_in_thread=False,
        complete_while_typing=True,
        lexer=SpaqLexer(ready),
        style=STYLE,
        include_default_pygments_style=False,
        bottom_toolbar=repl.toolbar,
        multiline=True,
        prompt_continuation=lambda width, line, soft: "." * (width - 1) + " ",
        key_bindings=key_bindings(),
        enable_open_in_editor=True,
        search_ignore_case=True,
        **io,
    )


def _warm(repl: Repl, ready: threading.Event, prompt: PromptSession | None = None) -> None:
    """Load what completion and colouring need, then say so."""
    from . import highlight, suggest, terms  # noqa: F401  (imported here to be ready)
    repl.session                        # made now rather than at the first query
    terms.parser()
    terms.kind("NAME")
    terms.comparisons()
    ready.set()
    if prompt is not None and prompt.app.is_running:
        prompt.app.invalidate()         # colour what was typed meanwhile


def loop(prompt: PromptSession, repl: Repl, env: Mapping[str, str] = os.environ,
         out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Read, run, show, until exit or Ctrl-D; the exit status is 0."""
    while True:
        try:
            line = prompt.prompt()
        except KeyboardInterrupt:       # Ctrl-C: drop the line, keep the session
            continue
        except EOFError:                # Ctrl-D on an empty line
            return 0
        try:
            outcome = repl.handle(line)
        except KeyboardInterrupt:       # Ctrl-C while a query runs
            print("cancelled", file=err or sys.stderr)
            continue
        if outcome.exit:
            return 0
        show(outcome, repl, env, out or sys.stdout, err or sys.stderr)


def show(outcome: Outcome, repl: Repl, env: Mapping[str, str], out: TextIO, err: TextIO) -> None:
    if outcome.error:
        print(outcome.text, file=err)
    elif outcome.text:
        pager.show(outcome.text, env, repl.size(), out)
    if outcome.note:
        print(outcome.note, file=out)
