"""A report is matched to the agreement it describes: of its company (or one that names
none), dated within MATCH_DAYS, agreeing on a purchaser, the shares or the proceeds. The
agreements are looked up by day and company; these cases pin what that lookup must keep."""
import datetime as dt

from spaq.extract.facts import Bag, DealFacts, DocFacts
from spaq.reconcile import Builder

DAY = dt.date(2021, 3, 1)


def _doc(file, kind, **terms):
    return DocFacts(file, 1, "EX-10.1" if kind == "agreement" else "8-K", Bag(),
                    [DealFacts(kind, Bag(dict(terms)))])


def _deal_of_report(*docs):
    """The id of the agreement each report was matched with (its own deal's id when none)."""
    index = Builder(list(docs), []).index((), [])
    agreements = index.tables["agreements"]
    return dict(zip(agreements.columns["id"], agreements.columns["filings"]))


def test_a_report_is_matched_only_with_its_own_company():
    deals = _deal_of_report(
        _doc("other.txt", "agreement", date=DAY, company="Other Corp", shares=1000),
        _doc("acme.txt", "agreement", date=DAY, company="ACME Inc.", shares=1000),
        _doc("report.txt", "report", date=DAY, company="Acme, Inc.", shares=1000))
    filings = [f for fs in deals.values() for f in fs]
    assert sorted(map(len, deals.values())) == [1, 2]
    assert any(len(fs) == 2 and any("acme" in f for f in fs) and any("report" in f for f in fs)
               for fs in deals.values()), deals
    assert len(filings) == 3


def test_an_agreement_naming_no_company_is_still_a_match():
    deals = _deal_of_report(
        _doc("blank.txt", "agreement", date=DAY + dt.timedelta(days=3), shares=500),
        _doc("report.txt", "report", date=DAY, company="ACME Inc.", shares=500))
    assert sorted(map(len, deals.values())) == [2]


def test_a_report_naming_no_company_is_matched_with_any():
    deals = _deal_of_report(
        _doc("acme.txt", "agreement", date=DAY, company="ACME Inc.", proceeds=250000.0),
        _doc("report.txt", "report", date=DAY - dt.timedelta(days=7), proceeds=250000.0))
    assert sorted(map(len, deals.values())) == [2]


def test_too_far_apart_or_another_company_is_no_match():
    deals = _deal_of_report(
        _doc("acme.txt", "agreement", date=DAY, company="ACME Inc.", shares=1000),
        _doc("late.txt", "report", date=DAY + dt.timedelta(days=8), company="ACME Inc.", shares=1000),
        _doc("other.txt", "report", date=DAY, company="Other Corp", shares=1000))
    assert sorted(map(len, deals.values())) == [1, 1, 1]
