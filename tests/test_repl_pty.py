"""`spaq` in a real pseudo-terminal, driven as a person would: type, Tab, Ctrl-C, Ctrl-D.

The screen is read from what the program writes to the terminal, with the
escape sequences taken out. Timeouts are generous: CI machines are slow and
have no terminal of their own (pexpect makes one).
"""
from __future__ import annotations

import os
import re
import stat
import sys
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

import spaq  # noqa: E402

ROOT = Path(spaq.__file__).resolve().parent.parent     # so the child runs this same spaq
TIMEOUT = 30
PROMPT_STARTS, LINE_ACCEPTED = "\x1b[?2004h", "\x1b[?2004l"       # bracketed paste on, off
CURSOR_REQUEST = "\x1b[6n"
ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-Za-z]|[=>78])")
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-7]|9[0-7]|38;[25])[0-9;]*m")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


class Terminal:
    """A spawned spaq and everything it has written, raw and as plain text."""

    def __init__(self, tmp_path: Path, *args: str, **env: str):
        self.history = tmp_path / "history"
        environment = dict(os.environ, TERM="xterm", COLUMNS="100", LINES="30", NO_COLOR="1",
                           PYTHONPATH=str(ROOT), PAGER="",
                           SPAQ_HISTORY=str(self.history))
        environment.update(env)
        self.raw = ""
        self.child = pexpect.spawn(sys.executable, ["-m", "spaq", *args], env=environment,
                                   cwd=str(tmp_path), encoding="utf-8", timeout=TIMEOUT,
                                   dimensions=(int(environment["LINES"]), int(environment["COLUMNS"])))
        self.prompt()

    def prompt(self) -> str:
        """Wait for a fresh prompt; the plain text written before it.

        The line being edited is redrawn with its prompt at every key, so
        "spaq>" alone says nothing; prompt_toolkit switches bracketed paste
        on when a prompt starts and off when a line is accepted.
        """
        shown = self.expect(re.escape(PROMPT_STARTS))
        self.expect("spaq>")
        return shown

    def expect(self, pattern: str) -> str:
        """Wait for `pattern`, answering the cursor position requests met on the way."""
        shown = ""
        while True:
            found = self.child.expect([pattern, re.escape(CURSOR_REQUEST)])
            chunk = self.child.before + self.child.after
            self.raw += chunk
            shown += plain(chunk)
            if found == 0:
                return shown
            # As a terminal does; prompt_toolkit then knows the room below the
            # line and draws the bottom toolbar.
            self.child.send("\x1b[1;1R")

    def type(self, text: str) -> None:
        self.child.send(text)
        time.sleep(0.3)         # completion runs as you type; let it catch up, as a person would

    def run(self, line: str) -> str:
        """Type a line and Enter; the plain text up to the next prompt."""
        self.type(line)
        self.child.send("\r")
        self.expect(re.escape(LINE_ACCEPTED))
        return self.prompt()

    def leave(self, keys: str = "\x04") -> int:
        self.child.send(keys)
        self.child.expect(pexpect.EOF)
        self.raw += self.child.before
        self.child.close()
        return self.child.exitstatus


def plain(text: str) -> str:
    return ANSI.sub("", text).replace("\r", "")


@pytest.fixture
def term(tmp_path):
    t = Terminal(tmp_path)
    yield t
    if t.child.isalive():
        t.child.terminate(force=True)


def test_query_then_ctrl_d_leaves_with_status_0(term):
    shown = term.run("sum proceeds by year")
    assert "corpus: " in plain(term.raw) and "format: table" in plain(term.raw)    # toolbar
    assert "sum(proceeds)" in shown and "2001" in shown and "$" in shown
    assert term.leave("\x04") == 0


def test_tab_completes(term):
    term.type("purchasers whe")         # one completion: Tab takes it whatever the menu shows
    term.type("\t")
    shown = term.run(" price < 1 show purchaser")
    assert "Omicron" in shown and "unexpected" not in shown


def test_completion_menu_lists_the_entitys_fields(term):
    term.type("purchasers where ")
    term.child.send("\t")
    screen = term.expect("company")             # in the menu drawn under the line
    assert "agreement" in screen and "purchaser" in screen
    term.child.send("\x03")
    term.prompt()
    assert term.leave() == 0


def test_ctrl_c_cancels_the_line_and_keeps_the_session(term):
    term.type("purchasers where pri")
    term.child.send("\x03")
    term.prompt()
    shown = term.run("count agreements")
    assert re.search(r"^\d+$", shown, re.M)
    assert "where pri" not in term.history.read_text()
    assert term.leave() == 0


def test_a_query_error_shows_the_caret_and_the_prompt_returns(term):
    shown = term.run("purchasers where prcie < 1")
    assert "                 ^^^^^" in shown
    assert "did you mean 'price'?" in shown
    assert "Omicron" in term.run("purchasers where purchaser contains \"omicron\" show purchaser")


def test_exit_leaves_with_status_0_and_history_is_private(term):
    term.run("count agreements")
    term.run("\\format csv")
    assert "year,count" in term.run("count agreements by year")
    assert term.leave("exit\r") == 0
    assert stat.S_IMODE(term.history.stat().st_mode) == 0o600
    assert "+count agreements by year" in term.history.read_text()


def test_chart_draws_bars(term):
    shown = term.run("chart sum proceeds by year")
    assert "sum(proceeds)" in shown and "█" in shown and "$" in shown


def test_no_colour_when_no_color_is_set(term):
    term.run("purchasers where price < 1")
    term.leave()
    assert not COLOUR.search(term.raw)


def test_long_output_goes_through_the_pager(tmp_path):
    t = Terminal(tmp_path, LINES="12", PAGER="sed s/^/PAGED:/")
    assert "PAGED:" not in t.run("count agreements")
    shown = t.run("\\x on")
    shown = t.run("purchasers")
    assert "PAGED:-[ RECORD 1 ]" in shown
    assert t.leave() == 0


def test_history_option_and_reload(tmp_path):
    path = tmp_path / "elsewhere" / "h"
    t = Terminal(tmp_path, "--history", str(path))
    assert "reloaded" in t.run("reload")
    assert t.leave() == 0
    assert "+reload" in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
