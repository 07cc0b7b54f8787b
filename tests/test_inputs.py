"""Inputs beyond the seeds' plain text: HTML exhibits, full submissions, excerpts, encodings."""
import datetime as dt
from pathlib import Path

import pytest

import spaq

INPUTS = Path(__file__).parent / "data" / "inputs"


def rows(ix, entity, **where):
    return [r for r in ix.tables[entity].rows if all(r.get(k) == v for k, v in where.items())]


@pytest.fixture(scope="module")
def ix():
    return spaq.load(INPUTS)


def test_html_exhibit_with_schedule_table(ix):
    (deal,) = rows(ix, "agreements", file="acme_spa_2021.htm")
    assert (deal["date"], deal["company"], deal["price"]) == (dt.date(2021, 3, 3), "Acme Widgets, Inc.", 1.25)
    people = rows(ix, "purchasers", agreement=deal["id"])
    assert [(p["purchaser"], p["shares"], p["proceeds"], p["warrant_shares"], p["source"]) for p in people] == [
        ("Alpha Capital Anstalt", 1_200_000, 1_500_000.0, 600_000, "schedule"),
        ("Beta Fund, L.P.", 800_000, 1_000_000.0, 400_000, "schedule")]
    (filing,) = rows(ix, "filings", file="acme_spa_2021.htm")
    assert any(w.startswith("HTML") for w in filing["warnings"])


def test_submission_documents_are_filings_typed_by_type(ix):
    docs = rows(ix, "filings", file="zeta_submission_2019.txt")
    assert sorted(d["form"] for d in docs) == ["8-K", "EX-10.1"]
    report = next(d for d in docs if d["form"] == "8-K")
    assert (report["state"], report["commission_file"], report["irs_number"]) == ("Nevada", "001-35555", "88-1234567")
    assert report["items"] == ["1.01", "9.01"] and report["signed"] == dt.date(2019, 4, 12)


def test_report_links_to_its_agreement_instead_of_a_second_deal(ix):
    deals = rows(ix, "agreements", company="Zeta Therapeutics, Inc.")
    assert len(deals) == 1
    (deal,) = deals
    assert sorted(deal["filings"]) == ["zeta_submission_2019", "zeta_submission_2019-d2"]
    assert (deal["shares"], deal["price"], deal["warrant_price"], deal["law"]) == (2_500_000, 0.8, 1.1, "New York")


def test_amount_in_words_and_figures(ix):
    t = ix.tables["agreements"]
    i = t.find("id", "zeta-20190409")
    assert t.rows[i]["proceeds"] == 2_000_000.0 and not t.sources[i]["proceeds"].derived


def test_excerpt_without_header_makes_a_report_deal(ix):
    (deal,) = rows(ix, "agreements", file="excerpt_no_header_2012.txt")
    assert (deal["purchaser"], deal["shares"], deal["price"], deal["proceeds"]) == ("Delta Partners LLC", 400_000, 0.5, 200_000.0)
    assert deal["offering"] == "private placement" and deal["date"] is None and deal["year"] == 2012
    assert [p["source"] for p in rows(ix, "purchasers", agreement=deal["id"])] == ["report"]


def test_latin1_text_is_read(ix):
    (deal,) = rows(ix, "agreements", file="latin1_excerpt_2010.txt")
    assert deal["purchaser"] == "Société Générale Ltd."


def test_schedule_total_row_is_a_total_not_a_purchaser(ix):
    (deal,) = rows(ix, "agreements", company="Kappa Devices, Inc.")
    people = rows(ix, "purchasers", agreement=deal["id"])
    assert [p["purchaser"] for p in people] == ["Lambda Partners, L.P.", "Mu Offshore Fund Ltd."]
    t = ix.tables["agreements"]
    i = t.find("id", deal["id"])
    # The body leaves the count blank; the schedule's Total row states it.
    assert (deal["shares"], deal["proceeds"], deal["purchaser"], deal["template"]) == (1_000_000, 1_500_000.0, None, False)
    assert t.sources[i]["shares"].line == 24 and not t.sources[i]["shares"].derived


def test_html_report_cover_page_and_agent(ix):
    (filing,) = rows(ix, "filings", file="omega_8k_2024.htm")
    assert (filing["form"], filing["state"], filing["commission_file"], filing["irs_number"], filing["phone"]) == \
        ("8-K", "Delaware", "001-38811", "47-1234567", "(617) 555-0100")
    assert filing["address"] == "200 Park Avenue, Suite 500, Boston, MA 02116"
    (deal,) = rows(ix, "agreements", file="omega_8k_2024.htm")
    # The placement agent's 140,000 warrants at $1.875 are its fee, not the investors' warrants.
    assert (deal["warrant_shares"], deal["warrant_price"]) == (2_000_000, 1.65)
    assert (deal["placement_agent"], deal["agent_fee"], deal["pricing"]) == ("H.C. Wainwright & Co., LLC", 0.07, None)
    assert deal["offering"] == "registered direct + private placement"


def test_filing_ids_are_unique_when_names_collide(tmp_path):
    seed = (INPUTS / "excerpt_no_header_2012.txt").read_text()
    for name in ("a.txt", "a.htm", "a-b.txt", "a_b.txt"):
        (tmp_path / name).write_text(seed)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.txt").write_text(seed)
    ids = [r["id"] for r in spaq.load(tmp_path, cache=False).tables["filings"].rows]
    assert len(ids) == len(set(ids)) == 5
