"""Parse a query with the tables lark built, without importing lark.

`import lark` loads its grammar compiler (lark.load_grammar, interegular,
logging, hashlib, pickle): with reading lark's own serialized parser back,
that was more than half of the instructions of a warm `spaq -e "count
agreements"`. Parsing a valid query needs only the LALR tables, the lexer's
patterns and the rules' tree shapes, which lark computes once (`tables_of`);
they are kept as JSON in spaq's cache directory (`cached_parser`) and this
module runs them: the same contextual lexer and the same shift/reduce loop
as lark's, building the tree lark would build.

Only the success path runs here. Whatever does not parse (a character no
terminal matches, a token the state has no action for) raises `Unparsed`,
and spaq.parser asks lark itself, whose exception carries what the error
message needs (the expected terminals, the interactive parser). So messages
come from lark as before, and a table that is wrong costs time, not a wrong
answer: lark parses again.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

# Bumped when the table layout or what this module does with it changes.
FORMAT = 2
MAGIC = "spaq-lalr"


class Unparsed(Exception):
    """The fast path cannot parse this text; lark must say why (or parse it)."""


class Token(str):
    """A piece of the query: the text, its terminal's name and its offsets
    (the attributes of lark's Token that spaq reads)."""

    def __new__(cls, type: str, value: str, start_pos: int, end_pos: int):
        token = super().__new__(cls, value)
        token.type = type
        token.value = value
        token.start_pos = start_pos
        token.end_pos = end_pos
        return token

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"

    # As lark's Token: equal to a string, but not to a token of another type.
    def __eq__(self, other):
        if isinstance(other, Token) and self.type != other.type:
            return False
        return str.__eq__(self, other)

    __hash__ = str.__hash__


class Tree:
    """A rule's node: its name (the rule or its `-> alias`) and its children."""

    __slots__ = ("data", "children")

    def __init__(self, data: str, children: list):
        self.data = data
        self.children = children

    def __eq__(self, other):
        # Duck-typed, as lark's Tree: equal to a lark Tree of the same shape.
        try:
            return self.data == other.data and self.children == other.children
        except AttributeError:
            return False

    def __hash__(self):
        return hash((self.data, tuple(self.children)))

    def __repr__(self) -> str:
        return f"Tree({self.data!r}, {self.children!r})"


class _Lexer:
    """The terminals one parser state accepts, as lark's BasicLexer matches them:
    one alternation (or several, past re's group limit), first alternative wins;
    a match of a regex terminal that is exactly a keyword becomes that keyword."""

    __slots__ = ("patterns", "flags", "keywords", "folded", "ignore", "_scanner", "_keyword_scanners")

    def __init__(self, spec: dict):
        self.patterns = spec["patterns"]
        self.flags = spec["flags"]
        self.keywords = spec["keywords"]          # terminal -> patterns of the keywords it may be
        # terminal -> {keyword in lower case: its terminal}, where every keyword is ASCII and
        # case-insensitive: then an ASCII match is looked up, not matched against the patterns.
        self.folded = spec["folded"]
        self.ignore = frozenset(spec["ignore"])
        self._scanner = None                      # compiled when first used: few states are
        self._keyword_scanners = {}

    def scanner(self) -> list:
        if self._scanner is None:
            self._scanner = [re.compile(p, self.flags) for p in self.patterns]
        return self._scanner

    def retype(self, type_: str, value: str) -> str:
        patterns = self.keywords.get(type_)
        if patterns is None:
            return type_
        folded = self.folded.get(type_)
        if folded is not None and value.isascii():
            # An ASCII text matches an ASCII (?i:keyword) exactly when their lower cases are equal.
            return folded.get(value.lower(), type_)
        scanner = self._keyword_scanners.get(type_)
        if scanner is None:
            scanner = self._keyword_scanners[type_] = [re.compile(p, self.flags) for p in patterns]
        for pattern in scanner:
            m = pattern.fullmatch(value)
            if m:
                return m.lastgroup
        return type_


class Parser:
    """An LALR(1) parser from `tables_of`'s tables."""

    def __init__(self, tables: dict):
        if tables.get("magic") != MAGIC or tables.get("format") != FORMAT:
            raise ValueError("not spaq's parser tables")
        # Used as JSON gave them (lists unpack as tuples do): nothing is converted up front.
        lexers = [_Lexer(spec) for spec in tables["lexers"]]
        self.lexer_of = [lexers[i] for i in tables["lexer_of"]]
        # state -> {symbol: the state to shift to (>= 0), or -1 - the rule to reduce by}
        self.actions = tables["states"]
        self.rules = tables["rules"]        # [origin, length, tree name, expand1, include, append_none]
        self.start = tables["start"]
        self.end = tables["end"]
        if len(self.lexer_of) != len(self.actions):
            raise ValueError("parser tables do not match")

    def parse(self, text: str) -> Tree:
        """The tree lark would build; Unparsed when the text does not parse
        (or anything in the tables is amiss)."""
        try:
            return self._parse(text)
        except Unparsed:
            raise
        except Exception as e:      # tables that do not fit: lark decides
            raise Unparsed(f"{type(e).__name__}: {e}") from None

    def _parse(self, text: str) -> Tree:
        states, values = [self.start], []
        pos, size = 0, len(text)
        while True:
            # The lexer of the state the parser is in (lark's contextual lexer).
            lexer = self.lexer_of[states[-1]]
            token = None
            while pos < size:
                for pattern in lexer.scanner():
                    m = pattern.match(text, pos)
                    if m:
                        break
                else:
                    raise Unparsed(f"no terminal matches at {pos}")
                if m.end() == pos:          # lark allows no empty terminal: these tables are not its
                    raise Unparsed("an empty match")
                value, type_ = m.group(), m.lastgroup
                start, pos = pos, m.end()
                if type_ not in lexer.ignore:
                    token = Token(lexer.retype(type_, value), value, start, pos)
                    break
            if token is None:
                return self._feed(states, values, "$END", None)
            self._feed(states, values, token.type, token)

    def _feed(self, states: list, values: list, type_: str, token):
        """lark's ParserState.feed_token: reduce while the state says so, then shift
        the token (or, at the end, return the finished tree)."""
        actions, rules = self.actions, self.rules
        while True:
            try:
                action = actions[states[-1]][type_]
            except KeyError:
                raise Unparsed(f"unexpected {type_}") from None
            if action >= 0:
                if token is None:
                    raise Unparsed("shift at the end")
                states.append(action)
                values.append(token)
                return None
            origin, length, name, expand1, include, append_none = rules[-1 - action]
            if length:
                children = values[-length:]
                del states[-length:]
                del values[-length:]
            else:
                children = []
            state = actions[states[-1]][origin]
            if state < 0:
                raise Unparsed("reduce after a reduction")
            states.append(state)
            values.append(_node(children, name, expand1, include, append_none))
            if token is None and state == self.end:
                return values[-1]


def _node(children: list, name: str, expand1: bool, include, append_none: int):
    """lark's ChildFilterLALR, then ExpandSingleChild, then the Tree: tokens the
    grammar filters out dropped, `_rule` children spliced in, `[x]` placeholders None."""
    if include is not None:
        filtered: list = []
        for i, expand, add_none in include:
            if add_none:
                filtered += [None] * add_none
            if expand:
                if filtered:
                    filtered += children[i].children
                else:
                    filtered = children[i].children
            else:
                filtered.append(children[i])
        if append_none:
            filtered += [None] * append_none
        children = filtered
    if expand1 and len(children) == 1:
        return children[0]
    return Tree(name, children)


# --- the tables, from lark ---------------------------------------------------------------

def tables_of(lark_parser) -> dict | None:
    """What `Parser` needs, read from a lark LALR parser with a contextual lexer;
    None when it uses a feature this module does not run (then lark parses)."""
    import lark
    from lark.lexer import PatternStr, UnlessCallback
    from lark.parse_tree_builder import maybe_create_child_filter
    options = lark_parser.options
    if (options.parser != "lalr" or options.lexer != "contextual" or options.postlex or options.transformer
            or options.lexer_callbacks or options.propagate_positions or options.regex or options.use_bytes
            or options.tree_class not in (None, lark.Tree) or options.ambiguity not in ("auto", "resolve")):
        return None
    frontend = lark_parser.parser
    table = frontend.parser._parse_table
    (start,) = frontend.parser_conf.start
    if sorted(table.states) != list(range(len(table.states))):     # states numbered 0..n-1
        return None

    lexers, lexer_index, lexer_of = [], {}, []
    for state in range(len(table.states)):
        lexer = frontend.lexer.lexers[state]
        if id(lexer) not in lexer_index:
            lexer_index[id(lexer)] = len(lexers)
            scanner = lexer.scanner                              # builds lark's patterns
            keywords, folded = {}, {}
            for type_, callback in lexer.callback.items():
                if not isinstance(callback, UnlessCallback):
                    return None
                keywords[type_] = [m.pattern for m in callback.scanner._mres]
                words = callback.scanner.terminals
                if all(isinstance(t.pattern, PatternStr) and set(t.pattern.flags) == {"i"} and t.pattern.value.isascii()
                       for t in words):
                    folded[type_] = {}
                    for t in words:                 # the first of two equal keywords wins, as in the pattern
                        folded[type_].setdefault(t.pattern.value.lower(), t.name)
            if lexer.re is not re:
                return None
            lexers.append({"patterns": [m.pattern for m in scanner._mres], "flags": lexer.g_regex_flags,
                           "keywords": keywords, "folded": folded, "ignore": sorted(lexer.ignore_types)})
        lexer_of.append(lexer_index[id(lexer)])

    rules, rule_index, states = [], {}, []
    for state in range(len(table.states)):
        actions = {}
        for symbol, (action, arg) in table.states[state].items():
            if action.name == "Shift":
                actions[symbol] = arg
                continue
            if id(arg) not in rule_index:
                rule_index[id(arg)] = len(rules)
                rules.append(_rule_shape(arg, options.maybe_placeholders, maybe_create_child_filter))
            actions[symbol] = -1 - rule_index[id(arg)]     # one int, not a pair: a smaller file, read faster
        states.append(actions)
    return {"magic": MAGIC, "format": FORMAT, "lexers": lexers, "lexer_of": lexer_of, "states": states,
            "rules": rules, "start": table.start_states[start], "end": table.end_states[start]}


def _rule_shape(rule, maybe_placeholders: bool, maybe_create_child_filter) -> list:
    """[origin, length, tree name, expand single child, children to keep, Nones to append],
    as lark's ParseTreeBuilder wraps the rule's callback."""
    o = rule.options
    name = rule.alias or o.template_source or rule.origin.name
    child_filter = maybe_create_child_filter(rule.expansion, o.keep_all_tokens, False,
                                             o.empty_indices if maybe_placeholders else None)
    include, append_none = None, 0
    if child_filter is not None:
        include = child_filter.args[0]
        if len(child_filter.args) > 1:
            append_none = child_filter.args[1]
        include = [[i, bool(x[0]), x[1] if len(x) > 1 else 0] for i, *x in include]
    return [rule.origin.name, len(rule.expansion), name, bool(o.expand1 and not rule.alias), include, append_none]


# --- kept in the cache -------------------------------------------------------------------

def _lark_stamp() -> str:
    """Which lark made the tables, found without importing it (an upgrade rewrites the file)."""
    from importlib.machinery import PathFinder
    try:
        origin = PathFinder.find_spec("lark").origin
        st = os.stat(origin)
        return f"{origin}:{st.st_size}:{st.st_mtime_ns}"
    except Exception:
        return "?"


def cached_parser(grammar: str, make_lark, directory: Path | None = None) -> Parser | None:
    """The Parser of `grammar`, its tables read from spaq's cache directory; when they
    are missing, damaged or from another grammar, spaq or lark, made from
    `make_lark()` (a lark LALR parser) and written back. None when lark's parser
    cannot be run here (spaq.parser then uses lark itself)."""
    from . import __version__
    from .cache import cache_file, digest, read_sealed, write_sealed
    key = digest(json.dumps([FORMAT, grammar, __version__, _lark_stamp()]).encode(), 12)
    path = cache_file(directory, f"lalr-{key}.json")
    payload = read_sealed(path)
    if payload is not None:
        try:
            tables = json.loads(payload)
            if tables.get("key") == key:
                return Parser(tables)
        except Exception:
            pass                       # damaged or foreign: made again
    try:
        tables = tables_of(make_lark())
    except Exception:
        # tables_of reads lark's internals: a lark that keeps them otherwise parses by itself.
        return None
    if tables is None:
        return None
    tables["key"] = key
    write_sealed(path, json.dumps(tables, separators=(",", ":")).encode())
    return Parser(tables)
