"""The shortcuts extraction takes are safe: a pattern guarded by a lookahead of the
characters it may start with admits every character a match can start with; an anchor
tried only where its words stand holds those words in every match. Proved from re's own
parse tree of each pattern (not by sampling), so an anchor edited without its guard or
word list fails here instead of silently losing matches."""
from __future__ import annotations

import importlib
import re
from re import _constants as C
from re import _parser as P

import pytest

from spaq.extract import narrative as N
from spaq.extract import terms as T

# Every code point, once: a character class is checked against all of them.
ALL = "".join(map(chr, range(0x110000)))
CAT = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s", C.CATEGORY_NOT_SPACE: r"\S",
       C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W"}


def esc(c: int) -> str:
    return re.escape(chr(c))


def cls(items) -> str:
    """A character class of re's parse tree as pattern text."""
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(esc(av))
        elif op is C.RANGE:
            out.append(esc(av[0]) + "-" + esc(av[1]))
        elif op is C.CATEGORY:
            out.append(CAT[av])
        elif op is C.NEGATE:
            out.insert(0, "^")
        else:
            raise ValueError(op)
    return "[" + "".join(out) + "]"


class Any_(Exception):
    """A match may start with any character: no guard can be proved."""


def firsts(seq) -> tuple[list[str], bool]:
    """The classes (as pattern text) a match of `seq` may start with, and whether it may be empty."""
    out: list[str] = []
    for op, av in seq:
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        if op is C.LITERAL:
            return out + [esc(av)], False
        if op is C.NOT_LITERAL:
            return out + ["[^" + esc(av) + "]"], False
        if op is C.IN:
            return out + [cls(av)], False
        if op is C.ANY:
            raise Any_()
        if op in (C.SUBPATTERN, C.ATOMIC_GROUP):
            f, empty = firsts(av[3] if op is C.SUBPATTERN else av)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, _, body = av
            f, empty = firsts(body)
            empty = empty or lo == 0
        elif op is C.BRANCH:
            branches = [firsts(b) for b in av[1]]
            f, empty = [x for fs, _ in branches for x in fs], any(e for _, e in branches)
        else:
            raise Any_(op)
        out += f
        if not empty:
            return out, False
    return out, True


def check(rx: re.Pattern, name: str) -> None:
    """rx opens with a lookahead class; every character its rest may start with is in it."""
    data = list(P.parse(rx.pattern, rx.flags).data)
    op, av = data[0]
    assert op is C.ASSERT and av[0] == 1, name
    guard_items = list(av[1].data)
    assert len(guard_items) == 1 and guard_items[0][0] is C.IN, name
    guard = re.compile(cls(guard_items[0][1]), rx.flags)
    f, empty = firsts(data[1:])
    assert not empty, f"{name}: the rest may match empty"
    allowed = {m.start() for m in guard.finditer(ALL)}
    for src in set(f):
        bad = {m.start() for m in re.compile(src, rx.flags).finditer(ALL)} - allowed
        assert not bad, f"{name}: {src} may start with {[chr(c) for c in sorted(bad)[:10]]}"


def ok(seq, words) -> bool:
    """Whether every match of `seq` holds one of `words` inside one literal run it must pass."""
    run: list[str] = []

    def run_ok() -> bool:
        text = "".join(run).lower()
        return any(w in text for w in words)
    for op, av in seq:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run_ok():
            return True
        run = []
        if op is C.SUBPATTERN and ok(av[3], words):
            return True
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1 and ok(av[2], words):
            return True
        if op is C.BRANCH and all(ok(b, words) for b in av[1]):
            return True
        # Lookarounds, classes, ANY: nothing a match must hold.
    return run_ok()


def starts_ok(seq, words, prefix=""):
    """True when every match of seq (after `prefix`) starts with one of words (lower case)."""
    seq = list(seq)
    i = 0
    while i < len(seq):
        op, av = seq[i]
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            i += 1
        elif op is C.LITERAL:
            prefix += chr(av)
            i += 1
            if any(prefix.lower().startswith(w) for w in words):
                return True
        elif op is C.SUBPATTERN:
            return starts_ok(list(av[3]) + seq[i + 1:], words, prefix)
        elif op is C.BRANCH:
            return all(starts_ok(list(b) + seq[i + 1:], words, prefix) for b in av[1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, body = av
            rest = seq[i + 1:]
            once = starts_ok(list(body) + rest, words, prefix) if hi == 1 else starts_ok(list(body), words, prefix)
            return once and (lo >= 1 or starts_ok(rest, words, prefix))
        else:
            break
    return any(prefix.lower().startswith(w) for w in words)


def _guarded():
    for modname in ("document", "narrative", "terms", "text", "values", "report", "schedule"):
        mod = importlib.import_module(f"spaq.extract.{modname}")
        found = [(k, v) for k, v in vars(mod).items() if isinstance(v, re.Pattern)]
        found += [(f"{k}[{i}]", x) for k, v in vars(mod).items() if isinstance(v, (tuple, list))
                  for i, x in enumerate(v) if isinstance(x, re.Pattern)]
        found += [(f"{k}[{i}]", re.compile(x, re.I | re.S)) for k, v in vars(mod).items() if isinstance(v, tuple)
                  for i, x in enumerate(v) if isinstance(x, str) and x.startswith("(?=[")]
        for k, v in found:
            if v.pattern.startswith("(?=["):
                yield f"{modname}.{k}", v


GUARDED = list(_guarded())


def test_there_are_guarded_patterns():
    assert len(GUARDED) >= 5


@pytest.mark.parametrize("name,rx", GUARDED, ids=[n for n, _ in GUARDED])
def test_a_lookahead_guard_admits_every_first_character(name, rx):
    check(rx, name)


NEEDS = [(a, word) for a, words in T._NEEDS.items() for word in words]


@pytest.mark.parametrize("anchor,word", NEEDS, ids=[f"{w}:{a[:30]}" for a, w in NEEDS])
def test_every_match_of_an_anchor_holds_each_of_its_needed_words(anchor, word):
    assert ok(list(P.parse(anchor, T.I).data), (word,))


STARTS = [(a, ws) for a, ws in T._STARTS.items() if isinstance(ws, tuple)]


@pytest.mark.parametrize("anchor,words", STARTS, ids=[a[:40] for a, _ in STARTS])
def test_every_match_of_an_anchor_starts_with_one_of_its_words(anchor, words):
    assert starts_ok(P.parse(anchor, T.I).data, words)


def test_the_named_word_gates():
    held = [(N.NOT_A_SALE, N._NOT_A_SALE_WORDS), (T.AGENT_WARRANTS, ("warrant",)),
            (T._OUTSTANDING_WARRANTS, ("warrant",)), (T._SERIES, ("series",))]
    for rx, words in held:
        assert ok(list(P.parse(rx.pattern, rx.flags).data), tuple(words)), rx.pattern[:60]
    assert starts_ok(P.parse(N.DEAL_START.pattern, N.DEAL_START.flags).data, N.DEAL_START_WORDS)


def test_the_analysers_refuse_a_wrong_list():
    fewer = tuple(w for w in N._NOT_A_SALE_WORDS if w != "lieu")
    assert not ok(list(P.parse(N.NOT_A_SALE.pattern, N.NOT_A_SALE.flags).data), fewer)
    fewer = tuple(w for w in N.DEAL_START_WORDS if w != "wishes")
    assert not starts_ok(P.parse(N.DEAL_START.pattern, N.DEAL_START.flags).data, fewer)


def test_a_guard_that_leaves_out_a_first_character_is_refused():
    with pytest.raises(AssertionError, match="may start with"):
        check(re.compile(r"(?=[ac])(?:b|a)x"), "wrong")
    check(re.compile(r"(?=[ab])(?:b|a)x"), "right")
