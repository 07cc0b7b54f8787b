"""spaq.lalr: lark's tables run without lark build the tree lark builds, and the
tables in the cache are remade whenever they cannot be trusted."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from spaq import lalr
from spaq.parser import fast_parser, grammar_text, lark_parser, parse
from test_fuzz_queries import STRATEGIES

CASES = Path(__file__).resolve().parent / "cases"
SIMPLE = ["count agreements", "purchasers where price < 1.00", "sum proceeds by year",
          "agreements where date >= 2002-01-01 order by date desc limit 2",
          "top 2 purchasers by proceeds", "explain purchasers where company contains 'neo'"]


def _case_queries() -> list[str]:
    found: set[str] = set(SIMPLE)

    def walk(v):
        if isinstance(v, str):
            found.add(v)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for k, x in v.items():
                if k in ("query", "phrasing", "canonical", "queries", "lines"):
                    walk(x)
    for name in ("engine.json", "phrasings.json", "spec_examples.json"):
        walk(json.loads((CASES / name).read_text(encoding="utf-8")))
    return sorted(found)


def _lark_parse(text: str):
    from lark.exceptions import UnexpectedInput
    try:
        return lark_parser().parse(text)
    except UnexpectedInput:
        return None


def _fast_parse(text: str):
    try:
        return fast_parser().parse(text)
    except lalr.Unparsed:
        return None


def _shape(node):
    """A tree with each token's type, text and offsets: what the transformer reads."""
    if node is None or isinstance(node, str):
        return node and (node.type, str(node), node.start_pos, node.end_pos)
    return (node.data, [_shape(c) for c in node.children])


def assert_same(text: str) -> None:
    assert _shape(_fast_parse(text)) == _shape(_lark_parse(text)), text


def test_the_warm_parser_is_spaqs_own():
    assert isinstance(fast_parser(), lalr.Parser)


@pytest.mark.parametrize("text", _case_queries())
def test_every_case_parses_to_larks_tree(text):
    assert_same(text)


@pytest.mark.parametrize("text", ["COUNT Agreements", "Purchasers WHERE Price < 1 AND NOT template",
                                  "\u017fum proceeds by year",             # long s: IGNORECASE reads `sum`
                                  "purchasers where \u212aind = 'x'",       # Kelvin sign: a `k`
                                  "purchasers where ı = 1", "İn 2002"])
def test_keywords_in_any_case_and_letters_that_fold_to_ascii(text):
    assert_same(text)


def test_what_does_not_parse_is_left_to_lark():
    for text in ("purchasers price < 1", "count agreemnts (", "purchasers where", "@@", "'open"):
        assert _fast_parse(text) is None and _lark_parse(text) is None


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(STRATEGIES["grammar"])
def test_generated_statements_parse_to_larks_tree(text):
    assert_same(text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(STRATEGIES["token soup"])
def test_token_soup_parses_or_fails_as_lark_does(text):
    assert_same(text)


# --- the cache -----------------------------------------------------------------------------

def _built(directory: Path, grammar: str | None = None):
    calls = []

    def make():
        calls.append(1)
        return lark_parser()
    parser = lalr.cached_parser(grammar if grammar is not None else grammar_text(), make, directory)
    return parser, len(calls)


def test_tables_are_made_once_then_read_from_the_cache(tmp_path):
    first, made = _built(tmp_path)
    assert made == 1 and len(list(tmp_path.glob("lalr-*.json"))) == 1
    again, made = _built(tmp_path)
    assert made == 0
    for text in SIMPLE:
        assert _shape(again.parse(text)) == _shape(first.parse(text)) == _shape(_lark_parse(text))


def test_another_grammar_has_tables_of_its_own(tmp_path):
    _built(tmp_path)
    _, made = _built(tmp_path, grammar_text() + "\n// changed\n")
    assert made == 1 and len(list(tmp_path.glob("lalr-*.json"))) == 2


@pytest.mark.parametrize("damage", [
    lambda data: data[:1000],                                       # cut short
    lambda data: data[:20] + b"X" + data[21:],                      # a byte changed
    lambda data: b"%08x " % zlib.crc32(b"{}") + b"{}",  # valid, but not ours
    lambda data: b"",
])
def test_damaged_tables_are_made_again(tmp_path, damage):
    _built(tmp_path)
    (path,) = tmp_path.glob("lalr-*.json")
    path.write_bytes(damage(path.read_bytes()))
    parser, made = _built(tmp_path)
    assert made == 1
    assert _shape(parser.parse(SIMPLE[1])) == _shape(_lark_parse(SIMPLE[1]))
    assert _built(tmp_path)[1] == 0                                 # and written back


def test_tables_that_lie_only_cost_time(tmp_path):
    """Tables that pass the checksum but are wrong: the parse fails over to lark."""
    _built(tmp_path)
    (path,) = tmp_path.glob("lalr-*.json")
    tables = json.loads(path.read_bytes().partition(b" ")[2])
    tables["states"] = [{} for _ in tables["states"]]
    parser = lalr.Parser(tables)
    with pytest.raises(lalr.Unparsed):
        parser.parse("count agreements")


def test_an_unwritable_cache_still_parses(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    parser, made = _built(blocked / "cache")
    assert made == 1 and _shape(parser.parse(SIMPLE[0])) == _shape(_lark_parse(SIMPLE[0]))


def _spaq(cache: Path, *args: str) -> subprocess.CompletedProcess:
    code = ("import sys; from spaq.cli import main; code = main(sys.argv[1:]); "
            "print(' '.join(m for m in sorted(sys.modules) if m.split('.')[0] in "
            "('lark', 'dataclasses', 'logging', 'prompt_toolkit', 'interegular')), file=sys.stderr); sys.exit(code)")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=dict(os.environ, SPAQ_CACHE_DIR=str(cache)))


def test_a_warm_spaq_e_imports_no_lark_and_errors_read_as_before(tmp_path):
    cache = tmp_path / "cache"
    cold = _spaq(cache, "-e", "count agreements")
    warm = _spaq(cache, "-e", "count agreements")
    assert cold.stdout == warm.stdout and warm.returncode == 0
    assert warm.stderr.strip() == "", warm.stderr            # none of those modules loaded
    bad = _spaq(cache, "-e", "purchasers price < 1")
    assert bad.returncode == 2 and "lark" in bad.stderr.splitlines()[-1]   # lark said why
    assert "expected" in bad.stderr and "where price < 1" in bad.stderr


def test_a_syntax_error_is_the_same_with_and_without_the_tables(monkeypatch):
    from spaq.errors import QuerySyntaxError
    texts = ["purchasers price < 1", "count agreements (", "purchasers where", "agreements where price <",
             "sum proceeds by", "purchasers where name = 'x", "purchasers wehre price < 1", "@@"]
    with_tables = []
    for text in texts:
        with pytest.raises(QuerySyntaxError) as e:
            parse(text)
        with_tables.append(str(e.value))
    monkeypatch.setattr("spaq.parser.fast_parser", lambda: None)
    for text, said in zip(texts, with_tables):
        with pytest.raises(QuerySyntaxError) as e:
            parse(text)
        assert str(e.value) == said


def test_a_lark_whose_internals_differ_parses_by_itself(tmp_path, monkeypatch):
    """tables_of reads lark's internals; a lark that keeps them otherwise is not a crash."""
    def unreadable(lark_parser):
        raise AttributeError("'LALR_Parser' object has no attribute '_parse_table'")
    expected = parse(SIMPLE[1])
    monkeypatch.setattr(lalr, "tables_of", unreadable)
    parser, made = _built(tmp_path)
    assert parser is None and made == 1 and not list(tmp_path.glob("lalr-*.json"))
    monkeypatch.setattr("spaq.parser.fast_parser", lambda: None)
    assert parse(SIMPLE[1]) == expected
