"""Value recognisers and deal-term anchors, each tried on several phrasings of the field."""
import datetime as dt
import re

import pytest

from spaq.extract.terms import Bag, Terms, finish, read_legal, read_sentence
from spaq.extract.text import flow
from spaq.extract.values import (DATE, MONEY, name_key, parse_date, parse_money, parse_small)


@pytest.mark.parametrize("text,value", [
    ("$5,000,000", 5_000_000), ("$0.2325", 0.2325), ("$.001", 0.001), ("$ 4.00", 4.0),
    ("$2.5 million", 2_500_000), ("US$1,000", 1000), ("$_________", None), ("$____", None),
])
def test_money(text, value):
    assert re.fullmatch(MONEY, text) or value is None
    assert parse_money(text) == value


@pytest.mark.parametrize("text,value", [
    ("March 8, 2001", dt.date(2001, 3, 8)), ("March\n8, 2001", dt.date(2001, 3, 8)),
    ("June 5 2002", dt.date(2002, 6, 5)), ("Sept. 30, 2019", dt.date(2019, 9, 30)),
    ("the 8th day of March, 2001", dt.date(2001, 3, 8)), ("8 March 2001", dt.date(2001, 3, 8)),
    ("2002-06-05", dt.date(2002, 6, 5)), ("06/05/2002", dt.date(2002, 6, 5)),
    ("February 30, 2002", None),
])
def test_dates(text, value):
    assert re.search(DATE, text)
    assert parse_date(re.search(DATE, text).group(0)) == value


@pytest.mark.parametrize("text,value", [("five", 5), ("5", 5), ("five (5)", 5), ("three", 3),
                                         ("five and one-half", 5.5)])
def test_small_numbers(text, value):
    assert parse_small(text) == value


@pytest.mark.parametrize("a,b", [
    ("Omicron Partners, L.P.", "Omicron Partners LP"),
    ("NeoTherapeutics, Inc.", "NEOTHERAPEUTICS, INC."),
    ("IAT ReInsurance Syndicate, Ltd.", "IAT ReInsurance Syndicate Ltd."),
    ("Smith & Co.", "Smith and Co"),
])
def test_name_keys_agree(a, b):
    assert name_key(a) == name_key(b)


def _terms(sentence: str) -> dict:
    f = flow("x.txt", enumerate(sentence.splitlines(), 1))
    t = Terms()
    read_sentence(f, 0, len(f.text), t, clause=True)
    return {k: v for k, v in finish(t).values.items() if k not in ("has_warrant", "security")}


@pytest.mark.parametrize("sentence,expected", [
    ("(i) 1,250,000 shares of common stock, par value $.001 per share, at a price per share of\n"
     "$4.00, and (ii) a five-year warrant to purchase up to 125,000 shares of Common Stock at a\n"
     "purchase price per share of $5.00",
     {"shares": 1250000, "price": 4.0, "warrant_shares": 125000, "warrant_price": 5.0, "warrant_years": 5}),
    ("(i) 800,000 shares at a price of $0.35 per share for an aggregate purchase price of $280,000,\n"
     "and (ii) a warrant to purchase up to 200,000 shares at an exercise price of $0.45 per share",
     {"shares": 800000, "price": 0.35, "proceeds": 280000.0, "warrant_shares": 200000, "warrant_price": 0.45}),
    ("issued 1,250,000 shares of common stock and a warrant to purchase up to 125,000 shares of\n"
     "common stock at an exercise price of $5.00 per share to X Ltd. for aggregate consideration of $5,000,000.",
     {"shares": 1250000, "warrant_shares": 125000, "warrant_price": 5.0, "proceeds": 5000000.0}),
    ("(i) _______ shares at a price of $2.00 per share for an aggregate purchase price of $_________,\n"
     "and (ii) a five-year warrant to purchase up to __________ shares (the \"Warrant\"), at an\n"
     "exercise price of $2.75 per share",
     {"shares": None, "price": 2.0, "proceeds": None, "warrant_shares": None, "warrant_price": 2.75,
      "warrant_years": 5}),
    ("sell 500,000 shares at $1.10 per share and warrants to purchase an aggregate of 250,000 shares\n"
     "with a term of three (3) years at an exercise price equal to $1.375",
     {"shares": 500000, "price": 1.1, "warrant_shares": 250000, "warrant_price": 1.375, "warrant_years": 3}),
])
def test_deal_terms(sentence, expected):
    assert _terms(sentence) == expected


@pytest.mark.parametrize("text,law", [
    ("This Agreement shall be governed and construed in accordance with the internal laws of the State of California", "California"),
    ("This Agreement shall be governed by and construed in accordance with the laws of the State of New York", "New York"),
    ("governed by the laws of the Commonwealth of Massachusetts", "Massachusetts"),
])
def test_governing_law(text, law):
    bag = Bag()
    read_legal(flow("x", [(1, text)]), bag)
    assert bag.get("law") == law


def test_registration_statement():
    bag = Bag()
    read_legal(flow("x", [(1, "pursuant to a registration statement on Form S-3, File No. 333-53108, which")]), bag)
    assert bag.get("registration") == "S-3 333-53108"
