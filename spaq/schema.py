"""The schema: entities, their aliases, and their fields with types and meanings.

This is the one registry that the parser, the planner, `fields`, `help` and
the renderers read. Add a field here and it is queryable, listed and rendered.
"""
from __future__ import annotations

from collections import namedtuple

# Field types. `money` is a number rendered with `$`; `list` holds strings.
TEXT, NUMBER, INTEGER, MONEY, DATE, BOOLEAN, LIST = (
    "text", "number", "integer", "money", "date", "boolean", "list")
TYPES = (TEXT, NUMBER, INTEGER, MONEY, DATE, BOOLEAN, LIST)
NUMERIC = (NUMBER, INTEGER, MONEY)


# Named tuples, not frozen dataclasses: a warm start reads the schema, and
# `dataclasses` would cost it 2.7 MB and a tenth of its time. From
# `collections`, not `typing.NamedTuple`: `typing` would cost it 0.6 MB.
class Field(namedtuple("Field", "name type meaning")):
    """`name`, `type` (one of TYPES), `meaning` (for `fields` and help)."""
    __slots__ = ()


class Entity(namedtuple("Entity", "name aliases row fields key", defaults=("id",))):
    """`name`: the plural canonical name; `aliases`: other names for it; `row`: what one
    row is, for help; `fields`: its Fields; `key`: the field `show ENTITY ID` looks up."""
    __slots__ = ()

    def field(self, name: str) -> Field | None:
        name = name.lower()
        for f in self.fields:
            if f.name == name:
                return f
        return None

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def _fields(*specs: tuple[str, str, str]) -> tuple[Field, ...]:
    return tuple(Field(*s) for s in specs)


AGREEMENTS = Entity(
    "agreements", ("deals", "spas"),
    "securities purchase agreement (a deal)",
    _fields(
        ("id", TEXT, "stable short id of the deal"),
        ("file", TEXT, "file the agreement was read from"),
        ("date", DATE, "date the agreement is made as of"),
        ("year", INTEGER, "calendar year of date"),
        ("company", TEXT, "issuing company"),
        ("purchaser", TEXT, "the single purchaser's name; null when several or blank"),
        ("purchaser_count", INTEGER, "number of purchasers identified"),
        ("shares", INTEGER, "total shares sold"),
        ("price", MONEY, "price per share"),
        ("proceeds", MONEY, "total aggregate purchase price"),
        ("warrant_shares", INTEGER, "total shares the warrants may buy"),
        ("warrant_price", MONEY, "warrant exercise price per share"),
        ("warrant_years", NUMBER, "warrant term in years"),
        ("coverage", NUMBER, "warrant_shares / shares"),
        ("warrant_exercisable", TEXT, "when the warrants become exercisable, as stated"),
        ("warrant_expires", DATE, "date the warrants expire, when stated"),
        ("proceeds_approx", MONEY, "an aggregate the text states only approximately or in millions"),
        ("security", TEXT, "what is sold: common stock, units, Series B Convertible Preferred Stock, ..."),
        ("offering", TEXT, "registered direct (off a shelf registration) or private placement (Reg D, 4(a)(2))"),
        ("placement_agent", TEXT, "the placement agent, when named"),
        ("agent_fee", NUMBER, "the placement agent's cash fee as a fraction of proceeds (0.07 = 7%)"),
        ("pricing", TEXT, "the stated basis of the price, e.g. a premium to an average"),
        ("registration", TEXT, "registration statement the shares are sold under, e.g. S-3 333-53108"),
        ("law", TEXT, "governing law, e.g. California"),
        ("template", BOOLEAN, "true for a blank form with no purchaser identified"),
        ("closing", DATE, "date by which the deal closes, when stated"),
        ("filings", LIST, "ids of every document that describes this deal"),
    ))

PURCHASERS = Entity(
    "purchasers", ("investors", "buyers"),
    "purchaser in a deal (body or schedule row)",
    _fields(
        ("id", TEXT, "agreement id and row number"),
        ("purchaser", TEXT, "purchaser's name; null on a blank form"),
        ("agreement", TEXT, "id of the deal"),
        ("company", TEXT, "issuing company"),
        ("date", DATE, "date of the agreement"),
        ("year", INTEGER, "calendar year of date"),
        ("shares", INTEGER, "shares bought"),
        ("price", MONEY, "price per share"),
        ("proceeds", MONEY, "aggregate purchase price paid"),
        ("warrant_shares", INTEGER, "shares the purchaser's warrant may buy"),
        ("warrant_price", MONEY, "warrant exercise price per share"),
        ("coverage", NUMBER, "warrant_shares / shares"),
        ("source", TEXT, "where the row comes from: body, schedule or report"),
        ("file", TEXT, "file the row was read from"),
    ))

FILINGS = Entity(
    "filings", ("documents", "docs"),
    "source document in the corpus",
    _fields(
        ("id", TEXT, "stable short id of the document"),
        ("file", TEXT, "path of the file, relative to the corpus"),
        ("form", TEXT, "form type: EX-10.1, 8-K, 10-Q, ... or unknown"),
        ("title", TEXT, "the document's title"),
        ("date", DATE, "report: date of the earliest event; agreement: its date"),
        ("year", INTEGER, "calendar year of date"),
        ("signed", DATE, "date of signature"),
        ("company", TEXT, "issuing company or registrant"),
        ("state", TEXT, "state of incorporation"),
        ("commission_file", TEXT, "SEC commission file number"),
        ("irs_number", TEXT, "IRS employer identification number"),
        ("address", TEXT, "address of principal executive offices"),
        ("phone", TEXT, "registrant's telephone number"),
        ("items", LIST, "items reported, e.g. 5, 7"),
        ("exhibits", LIST, "exhibit numbers filed with the report"),
        ("agreement", TEXT, "id of the deal the document describes"),
        ("warnings", LIST, "problems met while reading the file"),
    ))

COMPANIES = Entity(
    "companies", ("issuers",),
    "issuing company, names reconciled",
    _fields(
        ("id", TEXT, "short id of the company"),
        ("company", TEXT, "display name (the best-cased form seen)"),
        ("state", TEXT, "state of incorporation"),
        ("commission_file", TEXT, "SEC commission file number"),
        ("irs_number", TEXT, "IRS employer identification number"),
        ("address", TEXT, "address of principal executive offices"),
        ("agreements", INTEGER, "number of deals"),
        ("proceeds", MONEY, "sum of the deals' proceeds"),
        ("first", DATE, "date of the first deal"),
        ("last", DATE, "date of the last deal"),
    ))

ENTITIES: dict[str, Entity] = {e.name: e for e in (AGREEMENTS, PURCHASERS, FILINGS, COMPANIES)}

# Every name a user may type for an entity, mapped to the canonical entity.
ENTITY_NAMES: dict[str, Entity] = {}
for _e in ENTITIES.values():
    ENTITY_NAMES[_e.name] = _e
    for _a in _e.aliases:
        ENTITY_NAMES[_a] = _e


def entity(name: str) -> Entity | None:
    """The entity a user's word names, or None."""
    return ENTITY_NAMES.get(name.lower())


def all_field_names() -> list[str]:
    seen: dict[str, None] = {}
    for e in ENTITIES.values():
        for f in e.fields:
            seen.setdefault(f.name)
    return list(seen)


# --- the words people use (language.md §8) ----------------------------------------
#
# The grammar accepts these words; these tables say what they mean. The
# parser's transformer reads the comparator and aggregate words here, the
# planner resolves field synonyms here, and `help` lists all of them, so a
# word means the same thing wherever it is read.

def words(text: str) -> str:
    """A phrase as the tables key it: lower case, single spaces."""
    return " ".join(text.lower().split())


class Synonym(namedtuple("Synonym", "words field entities", defaults=((),))):
    """`words`: as the tables key it, lower case, single spaces; `field`: the canonical
    field it names; `entities`: where it applies, () for every entity with the field."""
    __slots__ = ()


FIELD_SYNONYMS: tuple[Synonym, ...] = (
    Synonym("name", "purchaser", ("purchasers",)),
    Synonym("name", "company", ("companies",)),
    Synonym("paid", "price"),
    Synonym("price per share", "price"),
    Synonym("exercise price", "warrant_price"),
    Synonym("strike", "warrant_price"),
    Synonym("amount", "proceeds"),
    Synonym("gross proceeds", "proceeds"),
    Synonym("aggregate purchase price", "proceeds"),
    Synonym("issuer", "company"),
    Synonym("warrants", "warrant_shares"),
)

# Plain words for aggregate functions: `total proceeds by year`.
AGGREGATE_WORDS: dict[str, str] = {"total": "sum", "average": "avg", "how many": "count"}

# Comparator words and the symbol each means; `is` before a word is a filler (`is under`).
COMPARATOR_WORDS: dict[str, str] = {
    "less than": "<", "fewer than": "<", "under": "<", "below": "<", "before": "<",
    "more than": ">", "greater than": ">", "over": ">", "above": ">", "after": ">",
    "at least": ">=", "at most": "<=",
    "equals": "=", "equal to": "=", "is": "=", "is not": "!=",
}

# Words a question may start with, and the fillers after them; all ignored.
LEAD_WORDS: tuple[str, ...] = ("show", "list", "find", "get", "which", "what")
FILLER_WORDS: tuple[str, ...] = ("me", "are", "is", "the")

# Words that read as `where`.
WHERE_WORDS: tuple[str, ...] = ("where", "with", "whose")

# Pronouns for the previous query's rows.
PRONOUNS: tuple[str, ...] = ("them", "those", "it")

# How a follow-up line starts (language.md §7), with what it does; `help followups` lists them.
FOLLOW_UPS: tuple[tuple[str, str], ...] = (
    ("and CONDITION", "adds a condition: the previous filter and this one"),
    ("or CONDITION", "widens: the previous filter or this one"),
    ("where/with CONDITION", "the same as and"),
    ("in 2002, paid under $1, after DATE", "the same as and, in plain words"),
    ("by FIELD, ...", "groups the rows (counting them when there is no aggregate)"),
    ("order by FIELD [desc]", "replaces the order"),
    ("limit N", "replaces the limit"),
    ("show FIELD, ...", "replaces the columns shown"),
)


def lookup_field(entity: Entity, text: str) -> Field | None:
    """The field a typed name or synonym means on `entity`, or None."""
    key = words(text)
    found = entity.field(key)
    if found is not None:
        return found
    for s in FIELD_SYNONYMS:
        if s.words == key and (not s.entities or entity.name in s.entities):
            found = entity.field(s.field)
            if found is not None:
                return found
    return None


def synonyms_on(entity: Entity) -> list[Synonym]:
    """The synonyms that name a field of `entity`."""
    return [s for s in FIELD_SYNONYMS
            if (not s.entities or entity.name in s.entities) and entity.field(s.field) is not None]
