"""A small hand-made index, so engine tests do not depend on extraction.

It mirrors the seed corpus's shape: four deals of one company (one a blank
form, one with a two-row schedule), five filings (an 8-K linked to the
first deal), one company; with nulls, dates, lists and a template.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spaq.index import Index  # noqa: E402
from spaq.model import Source, Table  # noqa: E402

D = dt.date
NEO = "NeoTherapeutics, Inc."

AGREEMENTS = [
    dict(id="a1", file="000.txt", date=D(2001, 3, 8), year=2001, company=NEO,
         purchaser="IAT ReInsurance Syndicate, Ltd.", purchaser_count=1, shares=1250000, price=4.0,
         proceeds=5000000.0, warrant_shares=250000, warrant_price=5.0, warrant_years=5,
         coverage=0.2, registration="S-3 333-53108", law="California", template=False,
         closing=D(2001, 3, 9), filings=["f1", "f5"]),
    dict(id="a2", file="001.txt", date=D(2002, 3, 12), year=2002, company=NEO, purchaser=None,
         purchaser_count=0, shares=None, price=2.0, proceeds=None, warrant_shares=None,
         warrant_price=2.75, warrant_years=None, coverage=None, registration=None, law="California",
         template=True, closing=None, filings=["f2"]),
    dict(id="a3", file="002.txt", date=D(2002, 6, 5), year=2002, company="Neotherapeutics, Inc.",
         purchaser="Omicron Partners, L.P.", purchaser_count=1, shares=2000000, price=0.35,
         proceeds=700000.0, warrant_shares=1000000, warrant_price=0.5, warrant_years=4,
         coverage=0.5, registration=None, law=None, template=False, closing=None, filings=["f3"]),
    dict(id="a4", file="003.txt", date=D(2002, 6, 7), year=2002, company="NEOTHERAPEUTICS, INC.",
         purchaser=None, purchaser_count=2, shares=4129033, price=0.2325, proceeds=960000.0,
         warrant_shares=None, warrant_price=0.35, warrant_years=None, coverage=None,
         registration=None, law="California", template=False, closing=None, filings=["f4"]),
]

PURCHASERS = [
    dict(id="a1.1", purchaser="IAT ReInsurance Syndicate, Ltd.", agreement="a1", company=NEO,
         date=D(2001, 3, 8), year=2001, shares=1250000, price=4.0, proceeds=5000000.0,
         warrant_shares=250000, warrant_price=5.0, coverage=0.2, source="body", file="000.txt"),
    dict(id="a2.1", purchaser=None, agreement="a2", company=NEO, date=D(2002, 3, 12), year=2002,
         shares=None, price=2.0, proceeds=None, warrant_shares=None, warrant_price=2.75,
         coverage=None, source="body", file="001.txt"),
    dict(id="a3.1", purchaser="Omicron Partners, L.P.", agreement="a3", company="Neotherapeutics, Inc.",
         date=D(2002, 6, 5), year=2002, shares=2000000, price=0.35, proceeds=700000.0,
         warrant_shares=1000000, warrant_price=0.5, coverage=0.5, source="body", file="002.txt"),
    dict(id="a4.1", purchaser="Stonestreet Limited Partnership", agreement="a4",
         company="NEOTHERAPEUTICS, INC.", date=D(2002, 6, 7), year=2002, shares=2064516,
         price=0.2325, proceeds=480000.0, warrant_shares=None, warrant_price=0.35, coverage=None,
         source="schedule", file="003.txt"),
    dict(id="a4.2", purchaser="BNC Bach International, Ltd.", agreement="a4",
         company="NEOTHERAPEUTICS, INC.", date=D(2002, 6, 7), year=2002, shares=2064517,
         price=0.2325, proceeds=480000.0, warrant_shares=None, warrant_price=0.35, coverage=None,
         source="schedule", file="003.txt"),
]

FILINGS = [
    dict(id="f1", file="000.txt", form="EX-10.1", title="Securities Purchase Agreement",
         date=D(2001, 3, 8), year=2001, signed=None, company=NEO, state=None, items=None,
         exhibits=None, agreement="a1", warnings=[]),
    dict(id="f2", file="001.txt", form="EX-10.1", title="Securities Purchase Agreement",
         date=D(2002, 3, 12), year=2002, signed=None, company=NEO, state=None, items=None,
         exhibits=None, agreement="a2", warnings=["blank form"]),
    dict(id="f3", file="002.txt", form="EX-10.1", title="Securities Purchase Agreement",
         date=D(2002, 6, 5), year=2002, signed=None, company=NEO, state=None, items=None,
         exhibits=None, agreement="a3", warnings=[]),
    dict(id="f4", file="003.txt", form="EX-10.1", title="Securities Purchase Agreement",
         date=D(2002, 6, 7), year=2002, signed=None, company=NEO, state=None, items=None,
         exhibits=None, agreement="a4", warnings=[]),
    dict(id="f5", file="004.txt", form="8-K", title="Current Report", date=D(2001, 3, 8),
         year=2001, signed=D(2001, 3, 12), company="NEOTHERAPEUTICS, INC.", state="Delaware",
         commission_file="0-28782", irs_number="93-0901994", items=["5", "7"],
         exhibits=["10.1", "99.1"], agreement="a1", warnings=[]),
]

COMPANIES = [
    dict(id="c1", company=NEO, state="Delaware", commission_file="0-28782", irs_number="93-0901994",
         address="157 Technology Drive, Irvine, California 92618", agreements=4, proceeds=6660000.0,
         first=D(2001, 3, 8), last=D(2002, 6, 7)),
]

PRICE_SOURCE = Source("002.txt", 41, "at a price of $0.35 per share")
PROCEEDS_SOURCE = Source("002.txt", None, "", derived=True, note="shares × price",
                         inputs=(Source("002.txt", 40, "2,000,000 shares"), PRICE_SOURCE))

FINDINGS = [
    dict(severity="warning", agreement="a4",
         message="schedule rows add to 4,129,033 shares; stated total is 4,129,032",
         sources=[Source("003.txt", 12, "4,129,032 shares"), Source("003.txt", 230, "TOTAL 4,129,033")]),
]


def _table(entity: str, rows: list[dict], sources: dict[str, dict] | None = None) -> Table:
    table = Table(entity)
    for row in rows:
        table.add(dict(row), (sources or {}).get(row.get("id"), {}))
    return table


def make_index() -> Index:
    return Index({
        "agreements": _table("agreements", AGREEMENTS),
        "purchasers": _table("purchasers", PURCHASERS,
                             {"a3.1": {"price": PRICE_SOURCE, "proceeds": PROCEEDS_SOURCE}}),
        "filings": _table("filings", FILINGS),
        "companies": _table("companies", COMPANIES),
    }, findings=FINDINGS)


@pytest.fixture
def mini_index() -> Index:
    return make_index()


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Tests (and the spaq processes they start) cache into a directory of their own,
    never the user's cache directory."""
    import os
    old = os.environ.get("SPAQ_CACHE_DIR")
    os.environ["SPAQ_CACHE_DIR"] = str(tmp_path_factory.mktemp("spaq-cache"))
    yield
    if old is None:
        os.environ.pop("SPAQ_CACHE_DIR", None)
    else:
        os.environ["SPAQ_CACHE_DIR"] = old


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    """A cache directory of the test's own, named by SPAQ_CACHE_DIR."""
    d = tmp_path / "cache"
    monkeypatch.setenv("SPAQ_CACHE_DIR", str(d))
    return d


SEEDS = Path(__file__).resolve().parent.parent / "corpus"
INPUTS = Path(__file__).resolve().parent / "data" / "inputs"
OLD_NS = 1_000_000_000 * 1_500_000_000     # an mtime old enough to be trusted without comparing bytes


def seeds_and_inputs(tmp_path: Path, extra: dict[str, bytes]) -> Path:
    """The seeds, the odd inputs and `extra` (relative path -> bytes) in a directory a test
    may change: every file writable and with an mtime old enough to be trusted."""
    d = tmp_path / "corpus"
    shutil.copytree(SEEDS, d)
    for p in INPUTS.iterdir():
        shutil.copy(p, d / p.name)
    for name, data in extra.items():
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_bytes(data)
    for p in d.rglob("*"):
        if p.is_file():
            p.chmod(0o644)
            os.utime(p, ns=(OLD_NS, OLD_NS))
    return d


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the files actually read (not taken from the cache) by spaq.build."""
    from spaq import build
    seen: list[str] = []
    real = build.read_entry

    def counting(path, name):
        seen.append(name)
        return real(path, name)
    monkeypatch.setattr(build, "read_entry", counting)
    return seen


# The ways a cache file is damaged that the facts cache and the index snapshot both survive.
COMMON_DAMAGE = ("truncate", "flip a byte", "garbage", "foreign", "empty", "binary")


def damage(data: bytes, kind: str, magic: bytes) -> bytes:
    """`data` (a cache file whose header names `magic`) damaged as `kind` (COMMON_DAMAGE) says."""
    if kind == "truncate":
        return data[:len(data) * 2 // 3]
    if kind == "flip a byte":
        i = data.index(b"0.35")
        return data[:i] + b"9" + data[i + 1:]
    if kind == "garbage":
        return b"not a cache at all\n" * 10
    if kind == "foreign":
        return data.replace(b'"' + magic + b'"', b'"someone-else"', 1)
    if kind == "empty":
        return b""
    if kind == "binary":
        return bytes(range(256)) * 40
    raise ValueError(kind)
