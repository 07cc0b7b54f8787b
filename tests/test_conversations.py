"""Follow-up conversations (tests/cases/conversations.txt), each run twice:
through spaq.Session, and through `spaq` with its lines piped to standard
input, where one Session carries them too (language.md §7, §11)."""
from __future__ import annotations

from pathlib import Path

import pytest

import spaq
from spaq.errors import QueryError
from spaq.render import render
from test_cli import spaq as spaq_command

TRANSCRIPTS = Path(__file__).parent / "cases" / "conversations.txt"


def _conversations() -> list[tuple[str, list[tuple[str, list[str], bool]]]]:
    """[(title, [(line typed, lines printed, whether it failed)])]."""
    conversations: list = []
    for raw in TRANSCRIPTS.read_text(encoding="utf-8").splitlines():
        if raw.startswith("=== "):
            conversations.append((raw[4:], []))
        elif raw.startswith("spaq> "):
            conversations[-1][1].append((raw[6:], [], False))
        elif conversations and conversations[-1][1]:
            line, printed, failed = conversations[-1][1][-1]
            failed = failed or not printed and raw.startswith("! ")
            printed.append(raw[2:] if failed and raw.startswith("! ") else raw)
            conversations[-1][1][-1] = (line, printed, failed)
    # A blank line ends a conversation's last output; it is not part of it.
    for _, steps in conversations:
        line, printed, failed = steps[-1]
        while printed and printed[-1] == "":
            printed.pop()
        steps[-1] = (line, printed, failed)
    return conversations


CONVERSATIONS = _conversations()


@pytest.fixture(scope="module")
def seed():
    return spaq.load()


def test_transcripts_were_read():
    assert len(CONVERSATIONS) >= 6
    assert all(steps for _, steps in CONVERSATIONS)


@pytest.mark.parametrize("title, steps", CONVERSATIONS, ids=[t for t, _ in CONVERSATIONS])
def test_through_the_session_api(seed, title, steps):
    session = spaq.Session(seed)
    for line, printed, failed in steps:
        if failed:
            with pytest.raises(QueryError) as caught:
                session.run(line)
            assert str(caught.value).splitlines() == printed, line
        else:
            assert render(session.run(line), "table").splitlines() == printed, line


@pytest.mark.parametrize("title, steps", CONVERSATIONS, ids=[t for t, _ in CONVERSATIONS])
def test_through_piped_standard_input(title, steps):
    r = spaq_command(stdin="".join(line + "\n" for line, _, _ in steps))
    out = [text for _, printed, failed in steps if not failed for text in printed]
    err = [text for _, printed, failed in steps if failed for text in printed]
    assert r.stdout.splitlines() == out
    assert r.stderr.splitlines() == err
    assert r.returncode == (2 if err else 0)


def test_the_same_lines_from_a_file(tmp_path):
    q = tmp_path / "q.spaq"
    q.write_text("-- a conversation in a file\npurchasers where price < 1\nand year = 2002\ncount them\n")
    r = spaq_command("-f", str(q), "--format", "csv")
    assert (r.returncode, r.stdout.splitlines()[-1], r.stderr) == (0, "3", "")


def test_format_applies_to_every_line():
    r = spaq_command("--format", "json", stdin="purchasers where price > 3 show purchaser\nshow price\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n]\n") == ['[\n  {\n    "purchaser": "IAT ReInsurance Syndicate, Ltd."\n  }',
                                       '[\n  {\n    "price": 4.0\n  }', ""]


# --- the Session API -----------------------------------------------------------------

def test_session_keeps_the_canonical_query(seed):
    session = spaq.Session(seed)
    assert session.last is None
    session.run("which investors paid under $1?")
    session.run("in 2002")
    assert session.last == "purchasers where price < 1 and year = 2002"
    assert spaq.Session is type(session)


def test_commands_and_failures_leave_the_context(seed):
    session = spaq.Session(seed)
    session.run("purchasers where price < 1")
    for line in ("help", "fields purchasers", "explain and year = 2002", "check"):
        session.run(line)
    with pytest.raises(QueryError):
        session.run("and prcie > 2")
    assert session.last == "purchasers where price < 1"
    assert session.run("explain or year = 2001").text.splitlines()[0] == \
        "query: purchasers where price < 1 or year = 2001"


def test_a_new_query_replaces_the_context(seed):
    session = spaq.Session(seed)
    session.run("purchasers where price < 1")
    session.run("count agreements")
    assert session.run("by year").columns == ["year", "count"]
    assert session.last == "count agreements by year"


def test_reset_forgets(seed):
    session = spaq.Session(seed)
    session.run("purchasers")
    session.reset()
    with pytest.raises(QueryError) as caught:
        session.run("and year = 2002")
    assert caught.value.message == "no previous query to refine"


def test_sessions_do_not_share_context(seed):
    one, two = spaq.Session(seed), spaq.Session(seed)
    one.run("purchasers where price < 1")
    two.run("purchasers where price > 1")
    assert one.run("count them").value == 3 and two.run("count them").value == 2


def test_index_query_has_no_context(seed):
    with pytest.raises(QueryError):
        seed.query("and year = 2002")
