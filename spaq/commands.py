"""Commands: statements that are not queries, registered by decorator.

`help` is generated from the registries (schema, aggregates, commands), so a
new field, aggregate or command documents itself.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable

from . import ast
from .aggregates import AGGREGATES
from .errors import QueryError
from .evaluate import text_key
from .render import display
from .index import Index
from .plan import plan, resolve_entity
from .result import Result
from .schema import ENTITIES

Handler = Callable[[Index, ast.Command, str], Result]


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    meaning: str
    handler: Handler


COMMANDS: dict[str, Command] = {}


def command(name: str, usage: str, meaning: str):
    def register(fn: Handler) -> Handler:
        COMMANDS[name] = Command(name, usage, meaning, fn)
        return fn
    return register


def dispatch(index: Index, node: ast.Command, text: str) -> Result:
    return COMMANDS[node.name].handler(index, node, text)


# --- help ------------------------------------------------------------------------------

SHAPE = """\
[aggregates [of]] [entity] [where CONDITION] [by GROUPS]
    [order by FIELD [asc|desc], ...] [limit N] [show FIELD, ...]"""

EXAMPLES = (
    "purchasers where price < 1.00",
    "purchasers where purchaser contains \"omicron\"",
    "agreements where date >= 2002-01-01 order by date",
    "purchasers order by proceeds desc limit 2",
    "count purchasers by year",
    "sum proceeds by year",
    "top 2 purchasers by proceeds",
)

CONDITIONS = """\
Conditions (after `where`):
  price < 1            comparisons: = != < <= > >=  (numbers, dates, text)
  purchaser = "Omicron Partners LP"
                       text = ignores case, spaces and punctuation
  warrant_price > price
                       a field on both sides
  purchaser contains "omicron"     case-insensitive substring
  purchaser matches "^omi.*lp$"    case-insensitive regular expression
  year in (2001, 2002)             one of several values
  warrant_price between 0.25 and 0.5   inclusive
  proceeds is null     also: is not null, is missing, is known
  template             a true/false field alone; `not template`
  items contains "5"   a list field holds a value (also items = "5")
Combine with and, or, not and parentheses; and binds tighter than or.
A test on a missing value is unknown, as in SQL: the row is left out, and
`not` does not bring it back."""

VALUES = """\
Values:
  numbers  1  1.00  .35  1,250,000  $5,000,000  $0.2325  1.5m  $2M  500k  10% (= 0.10)
  dates    2002-06-05  "June 5, 2002"  (quoted text is read as a date against a date field)
  years    date = 2002 means during 2002; date < 2002 means before 2002-01-01
  text     "double quoted" or 'single quoted'
  yes/no   true, false"""


def _entities_text() -> str:
    lines = ["Entities (aliases in brackets):"]
    for e in ENTITIES.values():
        lines.append(f"  {e.name:<11} [{', '.join(e.aliases)}]  one row per {e.row}")
    lines.append("`fields ENTITY` lists an entity's fields.")
    return "\n".join(lines)


def _fields_text() -> str:
    lines = ["Fields (`fields ENTITY` for types and meanings):"]
    for e in ENTITIES.values():
        lines.append(f"  {e.name}: {', '.join(e.field_names)}")
    return "\n".join(lines)


def _entity_fields_text(entity_name: str) -> str:
    e = ENTITIES[entity_name]
    width = max(len(f.name) for f in e.fields)
    lines = [f"{e.name}: one row per {e.row}"]
    lines += [f"  {f.name:<{width}}  {f.type:<7}  {f.meaning}" for f in e.fields]
    return "\n".join(lines)


def _aggregates_text() -> str:
    lines = ["Aggregates (several separated by commas; group with `by F, G`):"]
    for a in AGGREGATES.values():
        usage = a.name if not a.takes_field else f"{a.name} FIELD"
        lines.append(f"  {usage:<13} {a.meaning:<40} e.g. {a.example}")
    lines.append("Columns are named like sum(proceeds); rows lacking the field are skipped")
    lines.append("and a footer says how many. Without an entity an aggregate runs over")
    lines.append("purchasers when the field is theirs. `top N ENTITY by FIELD` lists the N largest.")
    return "\n".join(lines)


def _commands_text() -> str:
    lines = ["Commands:"]
    lines += [f"  {c.usage:<20} {c.meaning}" for c in COMMANDS.values()]
    return "\n".join(lines)


def _overview() -> str:
    return "\n".join([
        "Usage:", *("  " + line for line in SHAPE.splitlines()), "",
        "Examples:", *(f"  {q}" for q in EXAMPLES), "",
        f"Entities: {', '.join(ENTITIES)}",
        f"Commands: {', '.join(COMMANDS)}",
        f"Help topics: help {' | '.join(HELP_TOPICS)}",
    ])


HELP_TOPICS: dict[str, Callable[[], str]] = {
    "fields": _fields_text,
    "entities": _entities_text,
    "aggregates": _aggregates_text,
    "conditions": lambda: CONDITIONS,
    "values": lambda: VALUES,
    "commands": _commands_text,
}


@command("help", "help [TOPIC]", "usage and examples; topics: " + ", ".join(HELP_TOPICS))
def _help(index: Index, node: ast.Command, text: str) -> Result:
    if not node.args:
        return Result(text=_overview())
    topic = node.args[0]
    word = topic.text.lower()
    if word in HELP_TOPICS:
        return Result(text=HELP_TOPICS[word]())
    if word in AGGREGATES:
        return Result(text=_aggregates_text())
    if word in COMMANDS:
        return Result(text=_commands_text())
    entity = {n: e for e in ENTITIES.values() for n in (e.name, *e.aliases)}.get(word)
    if entity is not None:
        return Result(text=_entity_fields_text(entity.name))
    close = difflib.get_close_matches(word, list(HELP_TOPICS), n=1, cutoff=0.6)
    raise QueryError(f"no help on '{topic.text}'", text, topic.start, topic.end,
                     f"'help {close[0]}'" if close else None)


# --- the others ---------------------------------------------------------------------------

@command("fields", "fields [ENTITY]", "fields with their types and meanings")
def _fields(index: Index, node: ast.Command, text: str) -> Result:
    entities = [resolve_entity(node.args[0], text)] if node.args else list(ENTITIES.values())
    rows = [(e.name, f.name, f.type, f.meaning) for e in entities for f in e.fields]
    return Result(["entity", "field", "type", "meaning"], rows, ["text"] * 4)


@command("show", "show ENTITY ID", "every field of one row, with where each value came from")
def _show(index: Index, node: ast.Command, text: str) -> Result:
    entity_name, row_id = node.args
    entity = resolve_entity(entity_name, text)
    table = index.table(entity.name)
    position = table.find(entity.key, row_id.value)
    if position is None and entity.name == "companies":
        want = text_key(row_id.value)
        position = next((i for i, r in enumerate(table.rows)
                         if r.get("company") is not None and text_key(r["company"]) == want), None)
    if position is None:
        ids = [str(r[entity.key]) for r in table.rows if r.get(entity.key) is not None]
        close = difflib.get_close_matches(row_id.value, ids, n=1, cutoff=0.5)
        raise QueryError(f"no {entity.name} row with {entity.key} '{row_id.value}'", text,
                         row_id.start, row_id.end, f"'{close[0]}'" if close else None)
    row, sources = table.rows[position], table.sources[position]
    rows = []
    for f in entity.fields:
        source = sources.get(f.name)
        # Shown as text: one column holds values of every type, each read by its field's type.
        rows.append((f.name, display(row.get(f.name), f.type, f.name), source.describe() if source else ""))
    return Result(["field", "value", "source"], rows, ["text"] * 3,
                  title=f"{entity.name} {row_id.value}")


@command("explain", "explain QUERY", "the query as the engine sees it")
def _explain(index: Index, node: ast.Command, text: str) -> Result:
    return Result(text=plan(node.query, text).to_s())


@command("check", "check", "cross-document consistency findings")
def _check(index: Index, node: ast.Command, text: str) -> Result:
    rows = []
    for finding in index.findings():
        sources = finding.get("sources") or []
        if isinstance(sources, (list, tuple)):
            sources = "; ".join(s.describe() if hasattr(s, "describe") else str(s) for s in sources)
        rows.append((finding.get("severity"), finding.get("agreement"), finding.get("message"),
                     sources or None))
    notes = [] if rows else ["no findings"]
    return Result(["severity", "agreement", "message", "sources"], rows, ["text"] * 4, notes)


@command("reload", "reload", "re-read the corpus")
def _reload(index: Index, node: ast.Command, text: str) -> Result:
    index.reload()
    filings, agreements = len(index.table("filings").rows), len(index.table("agreements").rows)
    return Result(text=f"reloaded: {filings} filing{'s' * (filings != 1)}, "
                       f"{agreements} agreement{'s' * (agreements != 1)}")
