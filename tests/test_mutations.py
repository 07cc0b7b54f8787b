"""Hard inputs for extraction: the five seed filings, perturbed as real copies of them are.

Each mutation rewrites every seed (paragraphs reflowed to other widths, other
spacing, page breaks moved, numbers also written in words, currency without
cents, schedule rows in another order, other line endings) and the facts
that matter must come out as they do from the originals: each agreement's
date, parties, shares, price, proceeds and warrant terms, the two purchasers
of the schedule and what each bought, and the 8-K linked to its agreement.

A changed figure must be reported as changed, never as the original: a
perturbation that moves 1,250,000 to 1,350,000 is reported as 1,350,000 (and
the 8-K that still says 1,250,000 disagrees with it).

A mutation that breaks extraction is kept here as `xfail(strict=True)` with
the reason, so it turns into a failure the day it is fixed and must be moved
to the passing cases.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import textwrap
from pathlib import Path
from typing import Callable

import pytest

import spaq

SEEDS = Path(__file__).resolve().parent.parent / "corpus"
A2001, FORM, OMICRON, SCHEDULE, REPORT = (
    "000_c056bd73f6cecd80.txt", "001_6155a6d6dc493ded.txt", "003_511c09f0644b0772.txt",
    "004_31b2b88e7dfb75cd.txt", "002_c925b9460a6f9d51.txt")
D = dt.date
NEO = "NeoTherapeutics, Inc."

FIELDS = ("date", "company", "purchaser", "purchaser_count", "shares", "price", "proceeds", "warrant_shares",
          "warrant_price", "warrant_years", "registration", "law", "closing", "template")
# What the seeds say; the same facts must come out of every mutation of them.
AGREEMENTS = {
    A2001: dict(date=D(2001, 3, 8), company=NEO, purchaser="IAT ReInsurance Syndicate, Ltd.", purchaser_count=1,
                shares=1_250_000, price=4.0, proceeds=5_000_000.0, warrant_shares=125_000, warrant_price=5.0,
                warrant_years=5, registration="S-3 333-53108", law="California", closing=None,
                template=False),
    FORM: dict(date=D(2002, 3, 12), company=NEO, purchaser=None, purchaser_count=0, shares=None, price=2.0,
               proceeds=None, warrant_shares=None, warrant_price=2.75, warrant_years=5,
               registration="S-3 333-53108", law="California", closing=D(2002, 3, 12),
               template=True),
    OMICRON: dict(date=D(2002, 6, 5), company=NEO, purchaser="Omicron Partners, L.P.", purchaser_count=1,
                  shares=800_000, price=0.35, proceeds=280_000.0, warrant_shares=200_000, warrant_price=0.45,
                  warrant_years=5, registration="S-3 333-53108", law="California", closing=D(2002, 6, 6),
                  template=False),
    SCHEDULE: dict(date=D(2002, 6, 7), company=NEO, purchaser=None, purchaser_count=2, shares=5_935_483,
                   price=0.2325, proceeds=1_380_000.0, warrant_shares=593_548, warrant_price=0.275,
                   warrant_years=5, registration="S-3 333-53108", law="California", closing=D(2002, 6, 7),
                   template=False),
}
PURCHASERS = {
    A2001: [("IAT ReInsurance Syndicate, Ltd.", 1_250_000, 5_000_000.0, 125_000)],
    OMICRON: [("Omicron Partners, L.P.", 800_000, 280_000.0, 200_000)],
    SCHEDULE: [("BNC Bach International, Ltd.", 4_000_000, 930_000.0, 400_000),
               ("Stonestreet Limited Partnership", 1_935_483, 450_000.0, 193_548)],
}
REPORT_FACTS = dict(form="8-K", date=D(2001, 3, 9), signed=D(2001, 3, 13), state="Delaware",
                    commission_file="000-28782", irs_number="93-0979187", items=["5", "7"])


def facts(ix) -> dict:
    """What the index says of each seed file, in a form that compares as a whole."""
    out = {}
    for row in ix.tables["agreements"].rows:
        out[row["file"]] = {k: row[k] for k in FIELDS}
    for file in PURCHASERS:
        out[file, "purchasers"] = sorted((r["purchaser"], r["shares"], r["proceeds"], r["warrant_shares"])
                                         for r in ix.tables["purchasers"].rows if r["file"] == file)
    (report,) = [r for r in ix.tables["filings"].rows if r["file"] == REPORT]
    out[REPORT] = {k: report[k] for k in REPORT_FACTS}
    agreement = {r["id"]: r["file"] for r in ix.tables["agreements"].rows}
    out[REPORT, "describes"] = agreement.get(report["agreement"])
    return out


EXPECTED = {**AGREEMENTS, **{(f, "purchasers"): sorted(p) for f, p in PURCHASERS.items()},
            REPORT: REPORT_FACTS, (REPORT, "describes"): A2001}


def load(tmp_path: Path, mutate: Callable[[str, str], str]) -> spaq.Index:
    d = tmp_path / "corpus"
    d.mkdir()
    for seed in sorted(SEEDS.iterdir()):
        text = seed.read_text()
        (d / seed.name).write_text(mutate(seed.name, text), newline="")
    return spaq.load(d, cache=False)


def test_the_seeds_say_what_the_mutations_are_compared_with(tmp_path):
    assert facts(load(tmp_path, lambda name, text: text)) == EXPECTED


# --- the mutations ---------------------------------------------------------------------------

def _blocks(text: str) -> list[str]:
    return re.split(r"(\n[ \t]*\n)", text)


def _is_prose(block: str) -> bool:
    """A filled paragraph: at least two lines, every line but the last long, none a table row."""
    lines = block.strip("\n").split("\n")
    return (len(lines) >= 2 and all(len(line) > 60 for line in lines[:-1])
            and not any(re.search(r"\S {3,}\S", line.strip()) or "<" in line for line in lines))


def reflow(width: int | None) -> Callable[[str, str], str]:
    """Every prose paragraph joined and wrapped again at `width` (None: one line each)."""
    def mutate(name: str, text: str) -> str:
        out = []
        for block in _blocks(text):
            if _is_prose(block):
                indent = re.match(r"\s*", block).group()
                words = " ".join(block.split())
                block = indent + words if width is None else textwrap.fill(
                    words, width, initial_indent=indent.lstrip("\n"), break_on_hyphens=False, break_long_words=False)
            out.append(block)
        return "".join(out)
    return mutate


def _prose_lines(text: str, change: Callable[[str], str]) -> str:
    """`change` applied to the lines of prose paragraphs only (tables keep their columns)."""
    out = []
    for block in _blocks(text):
        out.append("\n".join(map(change, block.split("\n"))) if _is_prose(block) else block)
    return "".join(out)


def double_spaces(name: str, text: str) -> str:
    return _prose_lines(text, lambda line: re.sub(r"(?<=\S) (?=\S)", "  ", line))


def tabs(name: str, text: str) -> str:
    """Indentation and some spaces between words become tabs, as a word processor writes them."""
    rnd = random.Random(name)
    return _prose_lines(text, lambda line: re.sub(r"^ {4,}", "\t", re.sub(
        r"(?<=\S) (?=\S)", lambda m: "\t" if rnd.random() < 0.2 else " ", line)))


def trailing_blanks_and_crlf(name: str, text: str) -> str:
    return "\r\n".join(line + "   " for line in text.split("\n"))


def no_page_breaks(name: str, text: str) -> str:
    """<PAGE> markers and lone page numbers gone."""
    return "\n".join(line for line in text.split("\n")
                     if not re.fullmatch(r"\s*(?:<PAGE>|\d{1,3})\s*", line))


def page_breaks_everywhere(name: str, text: str) -> str:
    """A page break (page number, <PAGE>, a running head) every 7 lines, mid-sentence, mid-clause."""
    out = []
    for i, line in enumerate(text.split("\n"), 1):
        out.append(line)
        if i % 7 == 0:
            out += ["", f"                                     - {i // 7} -", "<PAGE>", f"Page {i // 7 + 1}", ""]
    return "\n".join(out)


# The figures of the sale clauses, also in words, as many agreements write them.
IN_WORDS = {
    "1,250,000 shares": "one million two hundred fifty thousand (1,250,000) shares",
    "125,000 shares": "one hundred twenty-five thousand (125,000) shares",
    "800,000 shares": "eight hundred thousand (800,000) shares",
    "200,000 shares": "two hundred thousand (200,000) shares",
    "$280,000": "two hundred eighty thousand dollars ($280,000)",
    "$5,000,000": "five million dollars ($5,000,000)",
}


def numbers_in_words(name: str, text: str) -> str:
    # Reflowed to one line a paragraph first, so the longer phrases do not break the layout.
    text = reflow(None)(name, text)
    for figure, words in IN_WORDS.items():
        text = text.replace(figure, words)
    return text


def numbers_in_words_in_agreements(name: str, text: str) -> str:
    return text if name == REPORT else numbers_in_words(name, text)


def currency_without_cents(name: str, text: str) -> str:
    return re.sub(r"(\$\d[\d,]*)\.00\b", r"\1", text)


def currency_with_cents(name: str, text: str) -> str:
    return re.sub(r"(\$\d{1,3}(?:,\d{3})+)(?![\d.])", r"\1.00", text)


def smart_quotes(name: str, text: str) -> str:
    """Typographic quotes and apostrophes, as a word processor writes them."""
    return re.sub(r'"([^"\n]{1,60})"', "\u201c\\1\u201d", text).replace("'s ", "\u2019s ")


def no_break_spaces(name: str, text: str) -> str:
    """A no-break space between a figure and its unit, as HTML-born text keeps them."""
    return re.sub(r"(?<=\d) (?=shares|per)", "\xa0", text)


def space_after_dollar(name: str, text: str) -> str:
    return re.sub(r"\$(?=\d)", "$ ", text)


def tabs_in_tables(name: str, text: str) -> str:
    """Every run of blanks a tab, in tables too: columns no longer line up."""
    return re.sub(r" {2,}", "\t", text)


def double_spaces_everywhere(name: str, text: str) -> str:
    return re.sub(r"(?<=\S) (?=\S)", "  ", text)


def page_break_in_schedule(name: str, text: str) -> str:
    return text.replace("Stonestreet Limited", "<PAGE>\n\n   7\n\nStonestreet Limited") if name == SCHEDULE else text


def title_in_mixed_case(name: str, text: str) -> str:
    return text.replace("SECURITIES PURCHASE AGREEMENT", "Securities Purchase Agreement")


def shuffled_schedule(name: str, text: str) -> str:
    """The schedule's rows in the other order (each row keeps its figures)."""
    stone = re.search(r"^Stonestreet.*$", text, re.M)
    bnc = re.search(r"^BNC Bach.*$", text, re.M)
    if not (stone and bnc):
        return text
    return text.replace(stone.group(), "\0").replace(bnc.group(), stone.group()).replace("\0", bnc.group())


def everything(name: str, text: str) -> str:
    for mutate in (shuffled_schedule, currency_without_cents, double_spaces, reflow(72), page_breaks_everywhere):
        text = mutate(name, text)
    return text


MUTATIONS = {
    "reflowed to 40 columns": reflow(40),
    "reflowed to 50 columns": reflow(50),
    "reflowed to 72 columns": reflow(72),
    "reflowed to 100 columns": reflow(100),
    "reflowed to 160 columns": reflow(160),
    "a paragraph a line": reflow(None),
    "double spaces": double_spaces,
    "tabs": tabs,
    "tabs in tables too": tabs_in_tables,
    "double spaces everywhere": double_spaces_everywhere,
    "no-break spaces": no_break_spaces,
    "smart quotes": smart_quotes,
    "a space after $": space_after_dollar,
    "trailing blanks and CRLF": trailing_blanks_and_crlf,
    "no page breaks": no_page_breaks,
    "page breaks everywhere": page_breaks_everywhere,
    "numbers in words, agreements": numbers_in_words_in_agreements,
    "numbers in words, the 8-K too": numbers_in_words,
    "currency without cents": currency_without_cents,
    "currency with cents": currency_with_cents,
    "shuffled schedule": shuffled_schedule,
    "a page break in the schedule": page_break_in_schedule,
    "title in mixed case": title_in_mixed_case,
    "all at once": everything,
}
# Mutations extraction does not survive yet: name -> why (each also reported to the extractor's owner).
BREAKS = {
    "double spaces everywhere": "registration and closing ('prior to the close' is found with str.find too) are "
                                "missed; schedule names cut at the double space ('BNC Bach', 'Stonestreet') and "
                                "the stated $450,000 not read (derived 449,999.80 instead)",
}


@pytest.mark.parametrize("mutation", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=BREAKS[name])) if name in BREAKS else name
    for name in MUTATIONS])
def test_the_facts_survive(tmp_path, mutation):
    got = facts(load(tmp_path, MUTATIONS[mutation]))
    assert got == EXPECTED


def test_the_mutations_change_the_text():
    """Each mutation does change each file it is meant for (a no-op would prove nothing)."""
    for name, mutate in MUTATIONS.items():
        changed = [seed.name for seed in SEEDS.iterdir() if mutate(seed.name, seed.read_text()) != seed.read_text()]
        assert changed, name
    assert shuffled_schedule(SCHEDULE, (SEEDS / SCHEDULE).read_text()).index("BNC") < \
        shuffled_schedule(SCHEDULE, (SEEDS / SCHEDULE).read_text()).index("Stonestreet")
    assert "one million two hundred fifty thousand (1,250,000) shares" in \
        numbers_in_words(A2001, (SEEDS / A2001).read_text())


# --- a changed figure is reported as changed -----------------------------------------------------

def only(file: str, old: str, new: str) -> Callable[[str, str], str]:
    def mutate(name: str, text: str) -> str:
        if name != file:
            return text
        assert old in text
        return text.replace(old, new)
    return mutate


def then(*mutations):
    def mutate(name: str, text: str) -> str:
        for m in mutations:
            text = m(name, text)
        return text
    return mutate


CHANGES = {
    # name: (mutation, {(file or (file, "purchasers")): what changes in EXPECTED})
    "shares 1,250,000 -> 1,350,000": (
        only(A2001, "1,250,000", "1,350,000"),
        {A2001: dict(shares=1_350_000), (A2001, "purchasers"): [("IAT ReInsurance Syndicate, Ltd.", 1_350_000,
                                                                  5_000_000.0, 125_000)]}),
    "price $4.00 -> $4.10": (
        only(A2001, "$4.00", "$4.10"), {A2001: dict(price=4.1)}),
    "warrants 125,000 -> 135,000 at $5.00 -> $5.50": (
        then(only(A2001, "125,000 shares", "135,000 shares"), only(A2001, "$5.00", "$5.50")),
        {A2001: dict(warrant_shares=135_000, warrant_price=5.5),
         (A2001, "purchasers"): [("IAT ReInsurance Syndicate, Ltd.", 1_250_000, 5_000_000.0, 135_000)]}),
    "date March 8 -> March 6": (
        only(A2001, "March\n8, 2001", "March\n6, 2001"), {A2001: dict(date=D(2001, 3, 6))}),
    "Omicron 800,000 -> 900,000 for $315,000": (
        then(only(OMICRON, "800,000", "900,000"), only(OMICRON, "$280,000", "$315,000")),
        {OMICRON: dict(shares=900_000, proceeds=315_000.0),
         (OMICRON, "purchasers"): [("Omicron Partners, L.P.", 900_000, 315_000.0, 200_000)]}),
    "Omicron price $0.35 -> $0.53": (
        only(OMICRON, "$0.35", "$0.53"), {OMICRON: dict(price=0.53)}),
    "Omicron renamed Omikron": (
        then(only(OMICRON, "Omicron Partners, L.P. (\"Purchaser\")", "Omikron Partners, L.P. (\"Purchaser\")"),
             only(OMICRON, "Omicron Partners, L.P.\n", "Omikron Partners, L.P.\n")),
        {OMICRON: dict(purchaser="Omikron Partners, L.P."),
         (OMICRON, "purchasers"): [("Omikron Partners, L.P.", 800_000, 280_000.0, 200_000)]}),
    "schedule: BNC 4,000,000 -> 4,100,000": (
        only(SCHEDULE, "4,000,000    $930,000", "4,100,000    $930,000"),
        {SCHEDULE: dict(shares=6_035_483),
         (SCHEDULE, "purchasers"): [("BNC Bach International, Ltd.", 4_100_000, 930_000.0, 400_000),
                                    ("Stonestreet Limited Partnership", 1_935_483, 450_000.0, 193_548)]}),
    "schedule: Stonestreet $450,000 -> $460,000": (
        only(SCHEDULE, "$450,000", "$460,000"),
        {SCHEDULE: dict(proceeds=1_390_000.0),
         (SCHEDULE, "purchasers"): [("BNC Bach International, Ltd.", 4_000_000, 930_000.0, 400_000),
                                    ("Stonestreet Limited Partnership", 1_935_483, 460_000.0, 193_548)]}),
    "schedule price $0.2325 -> $0.2425": (
        only(SCHEDULE, "$0.2325", "$0.2425"), {SCHEDULE: dict(price=0.2425)}),
    "the 8-K alone says 1,350,000": (
        only(REPORT, "1,250,000", "1,350,000"), {}),
    "reflowed, then shares 1,250,000 -> 1,350,000": (
        then(reflow(100), only(A2001, "1,250,000", "1,350,000")),
        {A2001: dict(shares=1_350_000), (A2001, "purchasers"): [("IAT ReInsurance Syndicate, Ltd.", 1_350_000,
                                                                  5_000_000.0, 125_000)]}),
    "in words, then the words and figure changed": (
        then(numbers_in_words_in_agreements, only(A2001, "one million two hundred fifty thousand (1,250,000)",
                                    "one million three hundred fifty thousand (1,350,000)")),
        {A2001: dict(shares=1_350_000), (A2001, "purchasers"): [("IAT ReInsurance Syndicate, Ltd.", 1_350_000,
                                                                  5_000_000.0, 125_000)]}),
}
CHANGE_BREAKS: dict[str, str] = {}


@pytest.mark.parametrize("change", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=CHANGE_BREAKS[name]))
    if name in CHANGE_BREAKS else name for name in CHANGES])
def test_a_changed_figure_is_reported_as_changed(tmp_path, change):
    mutate, changed = CHANGES[change]
    expected = {key: (dict(value, **changed[key]) if isinstance(value, dict) and key in changed
                      else sorted(changed[key]) if key in changed else value)
                for key, value in EXPECTED.items()}
    ix = load(tmp_path, mutate)
    assert facts(ix) == expected


@pytest.mark.parametrize("changed", [A2001, REPORT])
def test_an_agreement_and_its_8k_that_disagree_are_a_finding(tmp_path, changed):
    ix = load(tmp_path, only(changed, "1,250,000", "1,350,000"))
    (deal,) = [r for r in ix.tables["agreements"].rows if r["file"] == A2001]
    assert deal["shares"] == (1_350_000 if changed == A2001 else 1_250_000)
    messages = [f["message"] for f in ix.findings() if f["agreement"] == deal["id"]]
    assert any("1,350,000" in m and "1,250,000" in m for m in messages), messages
    # The agreement's figure cites the agreement's own words, not the other document's.
    t = ix.tables["agreements"]
    source = t.sources[t.find("id", deal["id"])]["shares"]
    assert source.file == A2001 and f"{deal['shares']:,}" in source.text
