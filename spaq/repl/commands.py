"""Commands of the prompt itself (`\\x`, `\\format`, `\\timing`, `chart`, `exit`).

They change how results are shown, not what a query means, so they live
here and not in the grammar. Registered by decorator (litecli's
`@special_command`); `\\?` and completion are generated from the registry.
A handler gets the `Repl` and the rest of the line and returns an `Outcome`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..render import FORMATS

if TYPE_CHECKING:
    from .core import Repl

EXPANDED = ("on", "off", "auto")


@dataclass
class ReplState:
    """How results are shown; one per prompt, never global."""
    fmt: str = "table"
    expanded: str = "auto"      # vertical records: on, off, or when a table is too wide
    timing: bool = False


@dataclass(frozen=True)
class Outcome:
    """What one line produced: text to show (paged if long), a note after it."""
    text: str = ""
    note: str = ""              # shown after the text, never paged (timing)
    error: bool = False
    exit: bool = False


@dataclass(frozen=True)
class MetaCommand:
    names: tuple[str, ...]      # the first is the one help shows
    usage: str
    meaning: str
    arguments: tuple[str, ...]  # what completion offers after the name
    handler: Callable[["Repl", str], Outcome]


META: dict[str, MetaCommand] = {}


def meta_command(*names: str, usage: str, meaning: str, arguments: tuple[str, ...] = ()):
    def register(fn: Callable[["Repl", str], Outcome]) -> Callable[["Repl", str], Outcome]:
        command = MetaCommand(names, usage, meaning, arguments, fn)
        for name in names:
            META[name] = command
        return fn
    return register


def find(line: str) -> tuple[MetaCommand, str] | None:
    """The prompt command a line starts with, and its argument text; None for a query."""
    m = re.match(r"\s*(\\\S+|[A-Za-z]+)(?:\s+(.*?))?\s*$", line, re.S)
    if not m:
        return None
    command = META.get(m.group(1).lower())
    if command is None:
        return None
    return command, (m.group(2) or "")


def meta_names() -> list[tuple[str, str]]:
    """(name, meaning) of every prompt command, for completion at the line start."""
    return [(name, command.meaning) for name, command in META.items()]


def meta_suggestions(text: str):
    """Completions inside a prompt command (`\\format j`), or None when `text` is not one."""
    from .suggest import Suggestion
    m = re.match(r"(\\\S*|[A-Za-z]+)(\s+(\S*))?$", text)
    if not m:
        return None
    name = m.group(1).lower()
    if m.group(2) is None:
        if not name.startswith("\\"):
            return None                 # a plain word: the query completer handles it
        return [Suggestion(n, "meta", meaning, -len(m.group(1)))
                for n, meaning in meta_names() if n.startswith(name)]
    command = META.get(name)
    if command is None or command.names[0] == "chart":
        return None
    typed = (m.group(3) or "").lower()
    return [Suggestion(a, "meta", command.usage, -len(typed))
            for a in command.arguments if a.startswith(typed)]


def _on_off(arg: str, current: bool) -> bool | None:
    arg = arg.lower()
    if arg == "":
        return not current
    return {"on": True, "off": False}.get(arg)


# --- the commands ----------------------------------------------------------------------

@meta_command("\\x", usage="\\x [on|off|auto]", arguments=EXPANDED,
              meaning="show rows as vertical records; auto when a table is wider than the screen")
def _expanded(repl: "Repl", arg: str) -> Outcome:
    arg = arg.lower()
    if arg == "":
        arg = "off" if repl.state.expanded == "on" else "on"
    if arg not in EXPANDED:
        return Outcome(f"\\x takes on, off or auto, not '{arg}'", error=True)
    repl.state.expanded = arg
    return Outcome(f"Expanded display is {arg}.")


@meta_command("\\format", "format", usage="\\format [table|csv|json|jsonl|markdown]",
              arguments=FORMATS, meaning="switch the output format")
def _format(repl: "Repl", arg: str) -> Outcome:
    arg = arg.lower()
    if arg == "":
        return Outcome(f"Output format is {repl.state.fmt} (choose: {', '.join(FORMATS)}).")
    if arg not in FORMATS:
        return Outcome(f"unknown format '{arg}'; choose one of {', '.join(FORMATS)}", error=True)
    repl.state.fmt = arg
    return Outcome(f"Output format is {arg}.")


@meta_command("\\timing", usage="\\timing [on|off]", arguments=("on", "off"),
              meaning="show how long each query took")
def _timing(repl: "Repl", arg: str) -> Outcome:
    value = _on_off(arg, repl.state.timing)
    if value is None:
        return Outcome(f"\\timing takes on or off, not '{arg}'", error=True)
    repl.state.timing = value
    return Outcome(f"Timing is {'on' if value else 'off'}.")


@meta_command("chart", usage="chart AGGREGATE-QUERY",
              meaning="draw an aggregate query as a bar chart: chart sum proceeds by year")
def _chart(repl: "Repl", arg: str) -> Outcome:
    return repl.chart(arg)


@meta_command("exit", "quit", "\\q", usage="exit", meaning="leave (Ctrl-D does too)")
def _exit(repl: "Repl", arg: str) -> Outcome:
    return Outcome(exit=True)


@meta_command("\\?", usage="\\?", meaning="list the prompt's own commands and keys")
def _help(repl: "Repl", arg: str) -> Outcome:
    seen: list[MetaCommand] = []
    for command in META.values():
        if command not in seen:
            seen.append(command)
    width = max(len(c.usage) for c in seen)
    lines = ["Prompt commands (type help for the query language):"]
    lines += [f"  {c.usage:<{width}}  {c.meaning}" for c in seen]
    lines += ["", "Keys:"] + [f"  {k:<{width}}  {v}" for k, v in KEYS]
    return Outcome("\n".join(lines))


KEYS = (
    ("Tab", "complete; again for the next suggestion"),
    ("Right arrow", "accept the grey suggestion from history"),
    ("Ctrl-R", "search history backwards"),
    ("Up / Down", "previous / next query (or line, in a multi-line query)"),
    ("Alt-Enter", "new line inside the query (Enter inside open ( or quotes does too)"),
    ("Ctrl-X Ctrl-E", "edit the query in $EDITOR"),
    ("Ctrl-C", "cancel the line (or the running query)"),
    ("Ctrl-D", "leave, on an empty line"),
)
