"""What the prompt shows: vertical records, charts, paging decisions, history, commands."""
from __future__ import annotations

import os
import stat

import pytest

from spaq.repl.chart import ChartError, bar_chart
from spaq.repl.commands import ReplState, find
from spaq.repl.core import Repl
from spaq.repl.history import history_path, prepare
from spaq.repl.keys import should_accept
from spaq.repl.output import present, widest
from spaq.repl.pager import DEFAULT_PAGER, needs_pager, pager_command
from spaq.repl.vertical import vertical
from spaq.result import Result


@pytest.fixture
def repl(mini_index):
    return Repl(mini_index, size=lambda: (80, 24))


# --- vertical records ---------------------------------------------------------------------

def test_vertical_records(mini_index):
    text = vertical(mini_index.query("purchasers where price < 1 show purchaser, shares, price limit 2"))
    rule = "-[ RECORD 1 ]" + "-" * (len("purchaser | Stonestreet Limited Partnership") - 13)
    assert text.splitlines() == [
        rule,
        "purchaser | Omicron Partners, L.P.",
        "shares    | 2,000,000",
        "price     | $0.35",
        rule.replace("1", "2"),
        "purchaser | Stonestreet Limited Partnership",
        "shares    | 2,064,516",
        "price     | $0.2325",
    ]
    assert vertical(Result(columns=["a"], rows=[])) == "(no rows)"


def test_auto_goes_vertical_only_when_the_table_is_too_wide(mini_index):
    result = mini_index.query("purchasers")
    table = present(result, "table", "off", 80)
    assert widest(table) > 80
    assert present(result, "table", "auto", 80).startswith("-[ RECORD 1 ]")
    assert present(result, "table", "auto", widest(table)) == table
    assert present(result, "table", "on", 500).startswith("-[ RECORD 1 ]")
    assert present(result, "csv", "on", 10).startswith("id,purchaser")     # only tables turn


def test_numbers_right_aligned_with_separators_and_dollars(mini_index):
    text = present(mini_index.query("sum proceeds by year"), "table", "auto", 80)
    assert text.splitlines()[2:4] == ["  2001       $5,000,000", "  2002       $1,660,000"]


# --- charts ----------------------------------------------------------------------------------

def test_bar_chart_of_an_aggregate(mini_index):
    text = bar_chart(mini_index.query("sum proceeds by year"), width=60)
    lines = text.splitlines()
    assert lines[0] == "sum(proceeds)"
    assert lines[1].startswith("2001  ████") and lines[1].endswith("$5,000,000")
    assert lines[2].startswith("2002  ████") and lines[2].endswith("$1,660,000")
    full, part = lines[1].count("█"), lines[2].count("█")
    assert full == 60 - len("2001  ") - len("  $5,000,000")          # the bars fill the width
    assert part == round(full * 8 * 1_660_000 / 5_000_000) // 8      # proportional, in eighths
    assert all(len(line) <= 60 for line in lines)
    assert lines[-1] == "1 row lacked proceeds"


def test_bar_chart_ascii_and_single_values(mini_index):
    text = bar_chart(mini_index.query("count purchasers by year"), width=40, unicode=False)
    assert text.splitlines()[1].startswith("2001  ###") and text.splitlines()[1].endswith("1")
    assert bar_chart(mini_index.query("count agreements")).splitlines()[1].startswith("count  ███")


def test_bar_chart_of_several_aggregates_draws_one_chart_each(mini_index):
    text = bar_chart(mini_index.query("sum proceeds, count by year"))
    assert [line for line in text.splitlines() if line and not line[0].isdigit()][:2] == \
        ["sum(proceeds)", "count"]


def test_bar_chart_refuses_a_listing(mini_index):
    with pytest.raises(ChartError, match="aggregate"):
        bar_chart(mini_index.query("purchasers"))


# --- paging --------------------------------------------------------------------------------

def test_pager_command():
    assert pager_command({}) == DEFAULT_PAGER.split() == ["less", "-SRXF"]
    assert pager_command({"PAGER": "more -d"}) == ["more", "-d"]
    assert pager_command({"PAGER": ""}) is None


def test_page_only_what_exceeds_the_screen():
    assert not needs_pager("a\nb", 80, 24)
    assert needs_pager("\n".join(["x"] * 24), 80, 24)
    assert not needs_pager("\n".join(["x"] * 23), 80, 24)
    assert needs_pager("x" * 81, 80, 24)


# --- history -------------------------------------------------------------------------------

def test_history_path_option_then_env_then_data_dir(tmp_path):
    assert history_path(tmp_path / "h", {"SPAQ_HISTORY": "/elsewhere"}) == tmp_path / "h"
    assert str(history_path(None, {"SPAQ_HISTORY": "/elsewhere/h"})) == "/elsewhere/h"
    default = history_path(None, {})
    assert default.name == "history" and default.parent.name == "spaq"


def test_history_file_is_private(tmp_path):
    path = prepare(tmp_path / "new" / "dir" / "history")
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


# --- prompt commands and the Repl ------------------------------------------------------

def test_find_prompt_commands():
    assert find("\\x auto")[1] == "auto"
    assert find("format json")[1] == "json"
    assert find("EXIT")[0].names[0] == "exit"
    assert find("purchasers where price < 1") is None
    assert find("chart sum proceeds by year")[1] == "sum proceeds by year"


def test_format_expanded_and_timing_toggles(repl):
    assert repl.handle("\\format csv").text == "Output format is csv."
    assert repl.handle("count agreements by year").text == "year,count\n2001,1\n2002,3"
    assert repl.handle("format nonsense").error
    assert repl.state.fmt == "csv"
    assert repl.handle("\\x").text == "Expanded display is on." and repl.state.expanded == "on"
    assert repl.handle("\\x").text == "Expanded display is off."
    assert repl.handle("\\x auto").text == "Expanded display is auto."
    assert repl.handle("\\x sideways").error
    assert repl.handle("\\timing").text == "Timing is on."
    assert repl.handle("count agreements").note.startswith("Time: ")
    assert repl.handle("\\timing off").text == "Timing is off."
    assert repl.handle("count agreements").note == ""


def test_queries_errors_exit_and_comments(repl):
    assert repl.handle("count agreements").text == "4"
    error = repl.handle("purchasers where prcie < 1")
    assert error.error and error.text.splitlines()[1] == "                 ^^^^^"
    assert "did you mean 'price'" in error.text
    assert repl.handle("quit").exit and repl.handle("\\q").exit and repl.handle("exit").exit
    assert repl.handle("   ") == repl.handle("-- a comment")
    assert "\\timing" in repl.handle("\\?").text and "Ctrl-R" in repl.handle("\\?").text


def test_chart_command(repl):
    shown = repl.handle("chart sum proceeds by year")
    assert shown.text.splitlines()[0] == "sum(proceeds)" and "█" in shown.text
    assert repl.handle("chart purchasers").error
    assert repl.handle("chart").error
    assert repl.handle("chart purchasers where prcie < 1").text.endswith("did you mean 'price'?")


def test_toolbar_shows_corpus_and_format(repl):
    repl.handle("\\format json")
    assert repl.toolbar().strip().startswith("corpus: 5 files, 4 agreements  |  format: json")


def test_repl_state_defaults():
    assert ReplState() == ReplState(fmt="table", expanded="auto", timing=False)


# --- Enter ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, runs", [
    ("purchasers", True), ("agreements where year in (2001,", False),
    ('purchasers where purchaser = "Omicron', False), ("x in (1, 2)", True),
    ('purchaser = "a (b"', True), ("", True),
])
def test_enter_runs_unless_the_query_is_visibly_unfinished(text, runs):
    assert should_accept(text) is runs


def test_follow_ups_go_through_the_session_and_complete_from_it(repl):
    from spaq.repl.suggest import suggest
    assert not repl.handle("agreements where price < 3").error
    refined = repl.handle("and year = 2002")
    assert not refined.error
    last = repl.session.last
    assert "purchaser_count" in [s.text for s in suggest("and ", repl.index, last)]
    assert [s.text for s in suggest("and year = ", repl.index, last) if s.kind == "value"] == \
        ["2001", "2002"]
