"""Decoding the facts of a pack's record (spaq.cache._facts_of): what is not one pickle of a
list of DocFacts, made of the classes of facts only, is an error the pack treats as a bad
entry, never half a result and never code run."""
from __future__ import annotations

import datetime as dt
import os
import pickle
import zlib
from decimal import Decimal

import pytest

from spaq import cache
from spaq.extract import Bag, DealFacts, DocFacts
from spaq.model import Source


def record(payload: bytes, key: bytes = b'["a.txt",1,1,"",1,null]') -> bytes:
    body = key + b"\t" + payload
    return b"%08x %d " % (zlib.crc32(body), len(body)) + body


def facts() -> list:
    line = Source("a.txt", 12, "800,000 shares at $0.35 per share\nand a tab\there")
    derived = Source("a.txt", None, "", True, "shares × price", (line, Source("b.txt", 3, "x")))
    terms = Bag({"shares": 800000, "price": 0.35, "date": dt.date(2002, 6, 5), "at": dt.datetime(2002, 6, 5, 12),
                 "par": Decimal("0.001"), "pair": ("a", 1), "items": ["1.01", "3.02"], "by": {1: "one"}},
                {"shares": line, "price": line, "proceeds": derived})
    return [DocFacts("a.txt", 1, "agreement", Bag({"form": "8-K"}, {"form": Source("a.txt", 1, "FORM 8-K")}),
                     [DealFacts("agreement", terms, [Bag({"shares": 5}, {"shares": line})], "schedule",
                                [("Omicron", line)])], ["a warning"])]


def test_facts_come_back_as_they_were_their_shared_sources_shared():
    back = cache._facts_of(record(pickle.dumps(facts(), cache.PICKLE_PROTOCOL)))
    assert back == facts()
    assert repr(back) == repr(facts())
    terms = back[0].deals[0].terms
    assert terms.sources["shares"] is terms.sources["price"] is back[0].deals[0].names[0][1]


class Boom:
    def __reduce__(self):
        return os.system, ("echo this must never run",)


@pytest.mark.parametrize("payload", [
    pickle.dumps(Boom()),                                  # a global that is no class of facts
    pickle.dumps([Bag(), {"x": Boom()}]),
    pickle.dumps(facts()) + b"x",                          # anything after the pickle
    pickle.dumps(facts())[:-5],                            # cut short
    pickle.dumps({"not": "a list"}), pickle.dumps([1, 2]), pickle.dumps([Bag()]),   # not a list of DocFacts
    b"", b"not a pickle", bytes(range(256)),
])
def test_anything_but_a_pickle_of_facts_is_refused(payload):
    with pytest.raises(ValueError):
        cache._facts_of(record(payload))


def test_a_record_whose_body_does_not_match_its_checksum_is_refused():
    good = record(pickle.dumps(facts()))
    cache._check(good)
    with pytest.raises(ValueError):
        cache._check(good.replace(b"Omicron", b"Omikron"))
