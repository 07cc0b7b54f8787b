"""Key bindings through prompt_toolkit itself: a pipe for input, DummyOutput for the screen."""
from __future__ import annotations

import io
import threading
import time

import pytest

prompt_toolkit = pytest.importorskip("prompt_toolkit")

from prompt_toolkit.history import InMemoryHistory  # noqa: E402
from prompt_toolkit.input import create_pipe_input  # noqa: E402
from prompt_toolkit.output import DummyOutput  # noqa: E402

from spaq.repl import terms  # noqa: E402
from spaq.repl.app import build_prompt, loop  # noqa: E402
from spaq.repl.core import Repl  # noqa: E402

PAUSE = 0.25        # lets completion and search (run asynchronously) catch up, as a typist would
TAB, ENTER, ESC, CTRL_C, CTRL_D, CTRL_R, RIGHT = "\t", "\r", "\x1b", "\x03", "\x04", "\x12", "\x1b[C"


@pytest.fixture(autouse=True, scope="module")
def parser_built():
    terms.parser()


@pytest.fixture
def repl(mini_index):
    return Repl(mini_index, size=lambda: (200, 200))


def typed(repl, *pieces, history=()):
    """Send the pieces with a pause before each; return what one prompt() gave back."""
    results = _run(repl, pieces, history, lambda prompt: prompt.prompt())
    return results


def _run(repl, pieces, history, call):
    hist = InMemoryHistory()
    for line in history:
        hist.append_string(line)
    with create_pipe_input() as pipe:
        prompt = build_prompt(repl, hist, input=pipe, output=DummyOutput())

        def feed():
            for piece in pieces:
                time.sleep(PAUSE)
                pipe.send_text(piece)
        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        try:
            return call(prompt)
        finally:
            feeder.join(timeout=30)


def test_tab_completes_the_keyword(repl):
    assert typed(repl, "purchasers whe", TAB, " price < 1", ENTER) == "purchasers where price < 1"


def test_enter_on_a_selected_completion_takes_it_without_running(repl):
    assert typed(repl, "purchasers where purchaser contains \"omi", TAB, ENTER, ENTER) == \
        'purchasers where purchaser contains "Omicron Partners, L.P."'


def test_enter_inside_open_parentheses_starts_a_new_line(repl):
    text = typed(repl, "agreements where year in (2001,", ENTER, "2002)", ENTER)
    assert text == "agreements where year in (2001,\n2002)"
    assert not repl.handle(text).error                      # a query over two lines runs


def test_alt_enter_always_starts_a_new_line(repl):
    assert typed(repl, "count", ESC + ENTER, "agreements", ENTER) == "count\nagreements"


def test_ctrl_c_cancels_the_line(repl):
    with pytest.raises(KeyboardInterrupt):
        typed(repl, "purchasers where", CTRL_C)


def test_ctrl_d_on_an_empty_line_leaves(repl):
    with pytest.raises(EOFError):
        typed(repl, CTRL_D)


def test_ctrl_r_searches_history(repl):
    history = ["purchasers where purchaser contains \"omicron\"", "count agreements"]
    assert typed(repl, CTRL_R, "omi", ENTER, ENTER, history=history) == history[0]


def test_history_suggestion_is_taken_with_the_right_arrow(repl):
    assert typed(repl, "sum p", RIGHT, ENTER, history=["sum proceeds by year"]) == "sum proceeds by year"


def test_a_whole_session(repl):
    out, err = io.StringIO(), io.StringIO()
    status = _run(repl, ["count agreements", ENTER, "abc", CTRL_C, "\\format csv", ENTER,
                         "count agreements by year", ENTER, "purchasers where prcie < 1", ENTER,
                         "\\timing on", ENTER, "count agreements", ENTER, CTRL_D], (),
                  lambda prompt: loop(prompt, repl, env={"PAGER": ""}, out=out, err=err))
    assert status == 0
    lines = out.getvalue().splitlines()
    assert lines[:4] == ["4", "Output format is csv.", "year,count", "2001,1"]
    assert lines[-2] == "4" and lines[-1].startswith("Time: ")
    assert "did you mean 'price'?" in err.getvalue()


def test_exit_leaves_with_status_0(repl):
    assert _run(repl, ["exit", ENTER], (), lambda prompt: loop(prompt, repl, env={})) == 0
