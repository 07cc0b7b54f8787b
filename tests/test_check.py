"""`check` on copies of the seeds made inconsistent on purpose, one disagreement each."""
import shutil
from pathlib import Path

import pytest

import spaq

SEED = Path(__file__).resolve().parent.parent / "corpus"
IAT, FORM, REPORT, OMICRON, SCHEDULE = sorted(p.name for p in SEED.iterdir())


def findings(tmp_path, edits):
    corpus = tmp_path / "c"
    shutil.copytree(SEED, corpus)
    for name, old, new in edits:
        p = corpus / name
        text = p.read_text()
        assert old in text, old
        p.write_text(text.replace(old, new, 1))
    return [(f["severity"], f["agreement"], f["message"]) for f in spaq.load(corpus).findings()]


SPELLING = ("info", "neotherapeutics-20010308",
            f"purchaser spelled 'IAT ReInsurance Syndicate, Ltd.' in the agreement and "
            f"'IAT ReInsurance Syndicate Ltd.' in {REPORT}")


def test_seeds_have_only_a_spelling_note(tmp_path):
    assert findings(tmp_path, []) == [SPELLING]


def test_aggregate_not_shares_times_price(tmp_path):
    assert ("error", "neotherapeutics-20020605",
            "aggregate price $290,000.00 ≠ 800,000 shares × $0.35 = $280,000.00") in \
        findings(tmp_path, [(OMICRON, "aggregate purchase price of $280,000", "aggregate purchase price of $290,000")])


def test_rounding_within_one_share_is_not_a_finding(tmp_path):
    # Stonestreet: 1,935,483 × $0.2325 = $449,999.80, stated $450,000.
    assert findings(tmp_path, []) == [SPELLING]


def test_report_and_agreement_disagree_on_figures(tmp_path):
    got = findings(tmp_path, [(REPORT, "at an exercise price of $5.00", "at an exercise price of $5.50"),
                              (REPORT, "issued 1,250,000", "issued 1,300,000")])
    assert ("error", "neotherapeutics-20010308",
            f"shares: the agreement says 1,250,000, {REPORT} says 1,300,000") in got
    assert ("error", "neotherapeutics-20010308",
            f"warrant_price: the agreement says $5.00, {REPORT} says $5.50") in got


def test_report_and_agreement_disagree_on_date(tmp_path):
    got = findings(tmp_path, [(REPORT, "Agreement, dated as of March 8, 2001", "Agreement, dated as of March 13, 2001")])
    assert ("warning", "neotherapeutics-20010308",
            f"date: the agreement is dated 2001-03-08, {REPORT} says 2001-03-13") in got


def test_purchaser_named_differently(tmp_path):
    got = findings(tmp_path, [(REPORT, "per share to IAT ReInsurance Syndicate Ltd.", "per share to IAT Capital Holdings Ltd."),
                              (REPORT, "between the Registrant and IAT\nReInsurance Syndicate Ltd.", "between the Registrant and IAT\nCapital Holdings Ltd.")])
    assert ("warning", "neotherapeutics-20010308",
            f"purchaser: the agreement names IAT ReInsurance Syndicate, Ltd., {REPORT} names IAT Capital Holdings Ltd.") in got


def test_schedule_rows_do_not_add_up(tmp_path):
    got = findings(tmp_path, [(SCHEDULE, "aggregate purchase price of $____", "aggregate purchase price of $1,400,000")])
    assert ("error", "neotherapeutics-20020607",
            "schedule rows add up to $1,380,000.00 proceeds, the agreement states $1,400,000.00") in got


def test_findings_cite_their_sources(tmp_path):
    ix_findings = spaq.load(SEED).findings()
    assert ix_findings[0]["sources"] == f"{IAT}:8; {REPORT}:50"
