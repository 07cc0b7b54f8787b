"""Commands: statements that are not queries, registered by decorator.

`help` is generated from the registries (schema, aggregates, commands), so a
new field, aggregate or command documents itself.
"""
from __future__ import annotations

from typing import Callable

from . import ast
from .aggregates import AGGREGATES
from .errors import QueryError, closest
from .evaluate import text_key
from .render import display
from .index import Index
from .plan import Plan, plan, resolve_entity
from .record import Record
from .result import Result
from .schema import (AGGREGATE_WORDS, COMPARATOR_WORDS, ENTITIES, FIELD_SYNONYMS, FILLER_WORDS,
                     FOLLOW_UPS, LEAD_WORDS, PRONOUNS, WHERE_WORDS, lookup_field, words)

# (index, the command, its text, the previous query's plan for `explain` of a follow-up)
Handler = Callable[[Index, ast.Command, str, "Plan | None"], Result]


class Command(Record):
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


def dispatch(index: Index, node: ast.Command, text: str, previous: Plan | None = None) -> Result:
    return COMMANDS[node.name].handler(index, node, text, previous)


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


class HelpTopic(Record):
    """A `help TOPIC` page: its text, generated from the registries, and the
    worked examples it ends with. A test runs every example (a list of lines
    is one conversation, run in one Session), so the help cannot drift."""
    name: str
    summary: str
    body: Callable[[], str]
    examples: tuple[str | tuple[str, ...], ...]

    def text(self) -> str:
        return self.body() + "\n" + _worked(self.examples)


def _canonical(lines: tuple[str, ...]) -> list[str]:
    """Each line of a conversation as the one query it comes down to (via the planner)."""
    out, previous = [], None
    for line in lines:
        from .parser import parse
        statement = parse(line)
        if isinstance(statement, ast.Command):
            out.append("")
            continue
        previous = plan(statement, line, previous)
        out.append(previous.to_query())
    return out


def _worked(examples: tuple[str | tuple[str, ...], ...]) -> str:
    """Examples as a prompt shows them; a plain-words line also shows the query it means."""
    lines = ["Examples:"]
    for example in examples:
        conversation = (example,) if isinstance(example, str) else example
        for line, query in zip(conversation, _canonical(conversation)):
            lines.append(f"  spaq> {line}")
            if query and " ".join(query.split()) != " ".join(line.split()):
                lines.append(f"        = {query}")
    return "\n".join(lines)


def _phrasing_text() -> str:
    by_word: dict[str, list[str]] = {}
    for word, symbol in COMPARATOR_WORDS.items():
        by_word.setdefault(symbol, []).append(word)
    lines = [
        "Asking in plain words: these read as the query they mean (`explain` shows it).",
        f"  ignored          a leading {', '.join(LEAD_WORDS)} (+ {', '.join(FILLER_WORDS)}); a final ?",
        f"  where            {', '.join(WHERE_WORDS)}",
        *(f"  {symbol:<16} {', '.join(ws)}" for symbol, ws in by_word.items()),
        "  aggregates       " + ", ".join(f"{w} = {f}" for w, f in AGGREGATE_WORDS.items()),
        "  no `where`       paid under $1 (price); in 2002 (year = 2002);",
        "                   before/after DATE right after the entity (date)",
        "  dates            2002-06-05, June 5, 2002 and 5 June 2002 need no quotes",
        "Field synonyms:",
    ]
    for syn in FIELD_SYNONYMS:
        where = f" (on {', '.join(syn.entities)})" if syn.entities else ""
        lines.append(f"  {syn.words:<24} = {syn.field}{where}")
    return "\n".join(lines)


def _followups_text() -> str:
    lines = ["Follow-ups: a line that starts like one of these refines the previous query",
             "(at the prompt, from a file or standard input, and in spaq.Session):"]
    lines += [f"  {start:<36} {does}" for start, does in FOLLOW_UPS]
    lines += [f"`{'`, `'.join(PRONOUNS)}` name the previous query's rows: `sum proceeds of them`,",
              "`count them by year`, `top 2 of them by proceeds`. `explain` shows the combined query."]
    return "\n".join(lines)


def _field_text(word: str) -> str | None:
    """`help price`, `help strike`: a field, or a synonym, wherever it is one."""
    lines = []
    for e in ENTITIES.values():
        f = lookup_field(e, word)
        if f is not None:
            alias = "" if f.name == word else f" ('{word}' means {f.name})"
            lines.append(f"  {e.name}.{f.name}  {f.type}  {f.meaning}{alias}")
    if not lines:
        return None
    return "\n".join([f"{word}:"] + lines)


def _overview() -> str:
    return "\n".join([
        "Usage:", *("  " + line for line in SHAPE.splitlines()), "",
        "Examples:", *(f"  {q}" for q in EXAMPLES), "",
        "Ask in plain words:  which purchasers paid under $1?   total proceeds by year",
        "Follow up a query:   and year = 2002   order by proceeds desc   sum proceeds of them",
        f"Entities: {', '.join(ENTITIES)}",
        f"Commands: {', '.join(COMMANDS)}",
        f"Help topics: help {' | '.join(HELP_TOPICS)}",
    ])


HELP_TOPICS: dict[str, HelpTopic] = {t.name: t for t in (
    HelpTopic("fields", "fields of each entity", _fields_text,
              ("fields purchasers", "purchasers show purchaser, price, proceeds")),
    HelpTopic("entities", "what can be listed", _entities_text, ("deals", "count purchasers")),
    HelpTopic("aggregates", "count, sum, avg, ...", _aggregates_text,
              ("sum proceeds by year", "count purchasers by year", "top 2 purchasers by proceeds")),
    HelpTopic("conditions", "what goes after where", lambda: CONDITIONS,
              ("purchasers where price < 1 and year = 2002", 'purchasers where purchaser contains "omicron"')),
    HelpTopic("values", "numbers, dates, text", lambda: VALUES,
              ("purchasers where proceeds > 500k", "agreements where date >= June 1, 2002")),
    HelpTopic("phrasing", "asking in plain words", _phrasing_text,
              ("which purchasers paid under $1?", "show investors with price below 0.5 in 2002",
               "deals after June 1, 2002", "total proceeds by year", "how many deals by year",
               "average price per share by year")),
    HelpTopic("followups", "refining the previous query", _followups_text,
              (("purchasers where price < 1", "and year = 2002", "order by proceeds desc",
                "sum proceeds of them"),)),
    HelpTopic("commands", "help, fields, show, explain, check, reload", lambda: _commands_text(),
              ("explain total proceeds by year", "fields companies")),
)}

# Other words people try for a topic.
HELP_ALIASES = {"words": "phrasing", "synonyms": "phrasing", "plain": "phrasing",
                "questions": "phrasing", "followup": "followups", "session": "followups",
                "them": "followups", "field": "fields", "entity": "entities", "condition": "conditions",
                "where": "conditions", "value": "values", "dates": "values", "command": "commands"}


@command("help", "help [TOPIC]", "usage and examples; topics: " + ", ".join(HELP_TOPICS))
def _help(index: Index, node: ast.Command, text: str, previous: Plan | None) -> Result:
    if not node.args:
        return Result(text=_overview())
    topic = node.args[0]
    word = words(topic.text)
    word = HELP_ALIASES.get(word, word)
    if word in HELP_TOPICS:
        return Result(text=HELP_TOPICS[word].text())
    if word in AGGREGATES:
        return Result(text=_aggregates_text())
    if word in COMMANDS:
        return Result(text=_commands_text())
    entity = {n: e for e in ENTITIES.values() for n in (e.name, *e.aliases)}.get(word)
    if entity is not None:
        return Result(text=_entity_fields_text(entity.name))
    field_text = _field_text(word)
    if field_text is not None:
        return Result(text=field_text)
    close = closest(word, HELP_TOPICS)
    raise QueryError(f"no help on '{topic.text}'", text, topic.start, topic.end,
                     f"'help {close[0]}'" if close else None)


# --- the others ---------------------------------------------------------------------------

@command("fields", "fields [ENTITY]", "fields with their types and meanings")
def _fields(index: Index, node: ast.Command, text: str, previous: Plan | None) -> Result:
    entities = [resolve_entity(node.args[0], text)] if node.args else list(ENTITIES.values())
    rows = [(e.name, f.name, f.type, f.meaning) for e in entities for f in e.fields]
    return Result(["entity", "field", "type", "meaning"], rows, ["text"] * 4)


@command("show", "show ENTITY ID", "every field of one row, with where each value came from")
def _show(index: Index, node: ast.Command, text: str, previous: Plan | None) -> Result:
    entity_name, row_id = node.args
    entity = resolve_entity(entity_name, text)
    table = index.table(entity.name)
    position = table.find(entity.key, row_id.value)
    if position is None and entity.name == "companies":
        want = text_key(row_id.value)
        position = next((i for i, c in enumerate(table.column("company"))
                         if c is not None and text_key(c) == want), None)
    if position is None:
        ids = [str(v) for v in table.column(entity.key) if v is not None]
        close = closest(row_id.value, ids, 0.5)
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
def _explain(index: Index, node: ast.Command, text: str, previous: Plan | None) -> Result:
    return Result(text=plan(node.query, text, previous).to_s())


@command("check", "check", "cross-document consistency findings")
def _check(index: Index, node: ast.Command, text: str, previous: Plan | None) -> Result:
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
def _reload(index: Index, node: ast.Command, text: str, previous: Plan | None) -> Result:
    index.reload()
    filings, agreements = len(index.table("filings").rows), len(index.table("agreements").rows)
    return Result(text=f"reloaded: {filings} filing{'s' * (filings != 1)}, "
                       f"{agreements} agreement{'s' * (agreements != 1)}")
