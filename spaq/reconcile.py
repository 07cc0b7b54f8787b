"""Reconcile: deals from the facts of every document, and the tables of the index.

Deals are counted once. An agreement is a deal. A report (8-K, 10-Q note)
that describes a deal is matched to an agreement (see `Builder._match`) and
only adds itself to that deal's `filings`; a report that matches no
agreement becomes a deal of its own, with purchaser rows whose source is
`report`. Figures a document leaves out are derived (proceeds = shares ×
price...) with a source saying so, and documents that disagree about a deal
become findings (the `check` command).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from .extract import DealFacts, DocFacts
from .extract.facts import Bag
from .extract.values import name_key
from .index import Index
from .model import Source, Table

# How far apart a report's date and an agreement's date may be and still be one deal.
MATCH_DAYS = 7
# A closing a day or two after the agreement date is not a disagreement.
DATE_TOLERANCE_DAYS = 2

@dataclass
class Deal:
    id: str
    doc: DocFacts                      # the document that states the deal
    deal: DealFacts                    # the deal as that document states it
    filing_ids: list[str] = field(default_factory=list)
    reports: list[tuple[DocFacts, DealFacts]] = field(default_factory=list)
    purchaser_keys: set[str] | None = None     # its purchasers' name keys, once a report asks (_match)


def _derived(note: str, *inputs: Source | None) -> Source:
    return Source(inputs[0].file if inputs and inputs[0] else "", None, "", True, note, tuple(filter(None, inputs)))


# A company's count and sum of its agreements cite no line: one Source each for every company
# (Sources are never changed), not two made per company for the snapshot to write and number.
_COUNTED = _derived("count of agreements")
_SUMMED = _derived("sum of agreements' proceeds")

_WORD = re.compile(r"[a-z0-9]+")


def _slug(text: str | None, default: str) -> str:
    word = _WORD.search((text or "").lower())
    return word[0][:16] if word else default


def _fmt(name: str, value) -> str:
    """A figure as a finding states it: money with $ and cents only when there are any."""
    if name in ("price", "proceeds", "warrant_price"):
        return f"${value:,.2f}" if round(value, 2) == value else f"${value:,.4f}".rstrip("0")
    return f"{value:,}"


def _money_sum(values) -> float | None:
    """The sum of the figures as written (their shortest decimal forms), as a float."""
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    cents = _cents(vals)
    if cents is not None:
        # The same number as the Decimal sum, correctly rounded either way (int / int is).
        return sum(cents) / 100
    return float(sum(Decimal(str(v)) for v in vals))


def _cents(vals: list) -> list[int] | None:
    """Each of `vals` as whole cents, when each is a float whose shortest decimal form has at most
    two decimals; else None. Such are most sums of money, and whole cents add in ints, not in
    Decimals made from text. A float v under 10**13 is 100ths apart from its neighbours by far
    less than a cent; so when v is the float nearest k/100, no form as short as k/100's but
    other than it reads back as v, and str(v) is k/100's."""
    cents = []
    for v in vals:
        if type(v) is not float or not abs(v) < 1e13:     # (not for NaN, infinities either)
            return None
        k = round(v * 100)
        if k / 100 != v:
            return None
        cents.append(k)
    return cents


def _within_a_share(shares, price, proceeds) -> bool:
    """True when floats already show that `proceeds` is within one share's `price` of
    `shares` × `price`, the check made in Decimal (on the figures' shortest decimal forms) below;
    False when they leave any doubt. Most deals agree by far more than the floats' error, and the
    Decimal check (three float-to-text conversions) is most of reconciling a deal.

    A float and its shortest decimal form differ by at most half a unit in the last place (2**-53
    of it); so do a product and a difference from the exact ones. The margin, 1e-15 of the
    figures (over twice their summed errors), and 1e-300 for numbers too small to hold that
    relative precision, keeps a case near the line for the Decimal check."""
    if type(shares) is not int or type(price) is not float or type(proceeds) is not float \
            or not -2**53 < shares < 2**53:
        return False
    product = shares * price
    # (An infinity or NaN among them makes this False.)
    return abs(product - proceeds) < price - (abs(product) + abs(proceeds) + price) * 1e-15 - 1e-300


def _ymd(when) -> str:
    """f"{when:%Y%m%d}" (for a deal's id), without strftime's cost for a plain date of four-digit year."""
    if type(when) is dt.date and when.year >= 1000:
        return when.isoformat().replace("-", "")
    return f"{when:%Y%m%d}"


def _file_id(file: str, number: int = 1) -> str:
    """A filing's id from its file's name: '000_c056bd73f6cecd80.txt' -> '000_c056bd73f6cecd80';
    the n-th document of a submission gets '-dN'."""
    stem = _NOT_ID.sub("-", _EXTENSION.sub("", file)).strip("-").lower()
    return stem if number == 1 else f"{stem}-d{number}"


def _unique(taken: dict[str, int], base: str) -> str:
    """`base` the first time, then `base`-2, -3...: `taken` counts the times each was asked for.
    (A plain dict: a Counter calls its `__missing__`, in Python, for every new one.)"""
    n = taken[base] = taken.get(base, 0) + 1
    return base if n == 1 else f"{base}-{n}"


_EXTENSION = re.compile(r"\.[A-Za-z]{2,4}$")
_NOT_ID = re.compile(r"[^A-Za-z0-9_]+")


class _Filling:
    """The rows made for a table, handed to it a batch at a time (`Table.extend`: by column,
    in C loops) rather than one by one: a row's dict is let go with its batch."""
    __slots__ = ("table", "rows", "sources")
    BATCH = 256

    def __init__(self, table: Table):
        self.table, self.rows, self.sources = table, [], []

    def add(self, row: dict[str, Any], sources: dict[str, Source]) -> None:
        self.rows.append(row)
        self.sources.append(sources)
        if len(self.rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        self.table.extend(self.rows, self.sources)
        self.rows, self.sources = [], []


class Builder:
    """The tables of the index from the facts of every document, in corpus order.

    Fed a document at a time (`add`, `add_unread`) while the corpus is still
    being read, it does then what each document alone decides: its filing id,
    its company's spelling counted and keyed. `index` does the rest, which
    needs them all.
    """

    def __init__(self, facts: Iterable[DocFacts] = (), unread: Iterable[tuple[str, str]] = ()):
        self.facts: list[DocFacts] = []
        self.unread: list[tuple[str, str]] = []
        # Ids from file names; a name that makes an id already given (a.txt, a.htm) gets -2, -3, ...
        self.taken: dict[str, int] = {}
        self.filing_id: dict[int, str] = {}
        self.keys: dict[str | None, str] = {}      # name -> name_key(name), made once per name
        self.spellings: dict[str, dict[str, int]] = {}     # name_key -> {spelling: times seen}
        self.names: dict[str, str] = {}            # name_key -> display name, once all are counted
        self.display: dict[str, str] = {}          # name -> company(name)
        self.deals: list[Deal] = []
        self.findings: list[dict[str, Any]] = []
        for doc in facts:
            self.add(doc)
        for name, why in unread:
            self.add_unread(name, why)

    def add(self, doc: DocFacts) -> None:
        """The next document's facts."""
        self.facts.append(doc)
        self.filing_id[id(doc)] = _unique(self.taken, _file_id(doc.file, doc.number))
        # A company is named by every document and deal of it, in a few spellings.
        if name := doc.filing.values.get("company"):
            self._spelled(name)
        for d in doc.deals:
            if name := d.terms.values.get("company"):
                self._spelled(name)

    def add_unread(self, name: str, why: str) -> None:
        """A file none of whose documents could be read (a filing of form `unknown`)."""
        self.unread.append((name, why))

    def _spelled(self, name: str) -> None:
        counts = self.spellings.get(key := self.key(name))
        if counts is None:
            counts = self.spellings[key] = {}
        counts[name] = counts.get(name, 0) + 1

    # -- companies -------------------------------------------------------------

    def _reconcile_companies(self) -> dict[str, str]:
        """name_key -> display name: the best-cased spelling seen most often."""
        def best(counter: dict[str, int]) -> str:
            # Mixed case beats ALL CAPS; then the most frequent; then the first seen.
            return max(counter, key=lambda s: (not s.isupper(), counter[s]))
        return {key: best(c) for key, c in self.spellings.items()}

    def company(self, name: str | None) -> str | None:
        """The display name of the company `name` names (None for none), remembered by name."""
        if not name:
            return None
        try:
            return self.display[name]
        except KeyError:
            made = self.display[name] = self.names.get(self.key(name), name)
            return made

    def key(self, name: str | None) -> str:
        """name_key(name), remembered: the same names recur across every deal and report."""
        try:
            return self.keys[name]
        except KeyError:
            made = self.keys[name] = name_key(name)
            return made

    # -- deals -----------------------------------------------------------------

    def _deal_id(self, doc: DocFacts, deal: DealFacts, taken: dict[str, int]) -> str:
        t = deal.terms.values
        date = t.get("date") or t.get("event_date")
        base = f"{_slug(self.company(t.get('company')), 'deal')}-{_ymd(date)}" if date else \
            f"deal-{self.filing_id[id(doc)]}"
        return _unique(taken, base)

    def index(self, paths, skipped) -> Index:
        # Unread files' ids come after every document's (they are made again next time).
        self.unread_id = [_unique(self.taken, _file_id(name)) for name, _ in self.unread]
        self.names = self._reconcile_companies()
        taken: dict[str, int] = {}
        for doc in self.facts:
            for deal in doc.deals:
                if deal.kind == "agreement":
                    self.deals.append(Deal(self._deal_id(doc, deal, taken), doc, deal, [self.filing_id[id(doc)]]))
        # Agreements by the day they are dated, so a report is compared only with those near it;
        # within a day, by the company's key (None: it names none), so a report that names its
        # company is compared only with that company's agreements and those naming none: with
        # thousands of agreements a week, the others are most, and each cost a comparison.
        self.by_day: dict[int, dict[str | None, list[tuple[int, Deal]]]] = defaultdict(dict)
        for position, deal in enumerate(self.deals):
            if date := deal.deal.terms.values.get("date"):
                company = deal.deal.terms.values.get("company")
                self.by_day[date.toordinal()].setdefault(self.key(company) if company else None, []).append((position, deal))
        for doc in self.facts:
            fid = self.filing_id[id(doc)]
            for deal in doc.deals:
                if deal.kind != "report":
                    continue
                match = self._match(deal)
                if match is None:
                    match = Deal(self._deal_id(doc, deal, taken), doc, deal)
                    self.deals.append(match)
                else:
                    match.reports.append((doc, deal))
                if fid not in match.filing_ids:
                    match.filing_ids.append(fid)
        tables = {name: Table(name) for name in ("agreements", "purchasers", "filings", "companies")}
        filling = {name: _Filling(table) for name, table in tables.items()}
        deal_of: dict[str, str] = {}
        for deal in self.deals:
            self._add_deal(deal, filling)
            for fid in deal.filing_ids:
                deal_of.setdefault(fid, deal.id)
            for doc, r in deal.reports:
                self._compare(deal, doc, r)
        self._add_filings(filling["filings"], deal_of)
        for rows in filling.values():
            rows.flush()
        self._add_companies(tables)
        return Index(tables, paths, self.findings, list(skipped) + self.unread)

    def _match(self, report: DealFacts) -> Deal | None:
        """The agreement a report describes, or None.

        Same company (or the report names none), dates within MATCH_DAYS (the
        agreement date the report cites, else its event date), and at least one
        of: the same purchaser (by name key), the same share count, the same
        aggregate price. Among several, the one agreeing on most of these, then
        the closest date.
        """
        r = report.terms.values
        when = r.get("date") or r.get("event_date")
        if not when:
            return None
        best, best_score = None, (0, 0)
        day = when.toordinal()
        # What the report states, looked at once: each report is compared with a dozen agreements.
        company, purchaser, shares, proceeds = r.get("company"), r.get("purchaser"), r.get("shares"), r.get("proceeds")
        company_key = self.key(company) if company else None
        purchaser_key = self.key(purchaser) if purchaser else None
        # In corpus order, so that a tie goes to the same agreement whatever the dates. (Of the
        # same company or none, when the report names one.)
        days = range(day - MATCH_DAYS, day + MATCH_DAYS + 1)
        companies = [self.by_day[k] for k in days if k in self.by_day]
        if company:
            near = sorted(p for by_company in companies for c in (company_key, None) for p in by_company.get(c, ()))
        else:
            near = sorted(p for by_company in companies for deals in by_company.values() for p in deals)
        for _, deal in near:
            a = deal.deal.terms.values
            if not (a.get("date") and when):
                continue
            gap = abs((a.get("date") - when).days)
            if gap > MATCH_DAYS:
                continue
            agree = sum((
                bool(purchaser) and purchaser_key in self._purchaser_keys(deal),
                shares is not None and shares == self._total(deal, "shares"),
                proceeds is not None and proceeds == self._total(deal, "proceeds"),
            ))
            if agree and (agree, -gap) > best_score:
                best, best_score = deal, (agree, -gap)
        return best

    def _purchaser_keys(self, deal: Deal) -> set[str]:
        """The name keys of the purchasers of an agreement (its rows' and its own)."""
        keys = deal.purchaser_keys
        if keys is None:
            keys = deal.purchaser_keys = {self.key(row.values.get("purchaser")) for row in deal.deal.rows} | \
                {self.key(deal.deal.terms.values.get("purchaser"))}
        return keys

    @staticmethod
    def _total(deal: Deal, name: str):
        stated = deal.deal.terms.values.get(name)
        if stated is not None:
            return stated
        rows = deal.deal.rows
        vals = [v for row in rows if (v := row.values.get(name)) is not None]
        if not vals:
            return None
        return _money_sum(vals) if name == "proceeds" else sum(vals)

    # Fields copied from a deal's terms as they were read.
    STATED = ("date", "shares", "price", "proceeds", "proceeds_approx", "warrant_shares", "warrant_price",
              "warrant_years", "warrant_exercisable", "warrant_expires", "security", "offering", "pricing",
              "placement_agent", "agent_fee", "registration", "law", "closing")

    def _add_deal(self, deal: Deal, tables: dict[str, _Filling]) -> None:
        t = deal.deal.terms
        values, sources, reports = t.values, t.sources, deal.reports
        row: dict[str, Any] = {"id": deal.id, "file": deal.doc.file}
        src: dict[str, Source] = {}
        for name in self.STATED:
            value = row[name] = values.get(name)
            if (source := sources.get(name)) is not None:
                src[name] = source
            if value is None and reports and name != "date":
                # What the agreement leaves out, a report of the same deal may state (citing the report).
                for _, report in reports:
                    if (stated := report.terms.values.get(name)) is not None:
                        row[name] = stated
                        if (source := report.terms.sources.get(name)) is not None:
                            src[name] = source
                        break
        row["company"] = self.company(values.get("company"))
        if (source := sources.get("company")) is not None:
            src["company"] = source
        self._year(row, src, t)

        rows = deal.deal.rows
        names = [n for r in rows if (n := r.values.get("purchaser"))] if rows else \
            [n for n, _ in deal.deal.names] or ([values["purchaser"]] if values.get("purchaser") else [])
        single = len(names) == 1 and not (values.get("several_purchasers") and not rows)
        row["purchaser"] = names[0] if single else None
        if single and (source := (rows[0].sources if rows else t.sources).get("purchaser")) is not None:
            src["purchaser"] = source
        row["purchaser_count"] = len(names) if names or not values.get("several_purchasers") else None
        # A form is a template when its purchaser is a drawn blank and no schedule names one.
        row["template"] = deal.deal.kind == "agreement" and not names and bool(values.get("blank_purchaser"))
        if rows:
            for name in ("shares", "proceeds", "warrant_shares"):
                if row[name] is None:
                    total = self._total(deal, name)
                    if total is not None:
                        row[name] = total
                        src[name] = _derived(f"sum of schedule rows' {name}", *[r.sources.get(name) for r in rows])
        self._derive(row, src)
        row["filings"] = list(deal.filing_ids)
        tables["agreements"].add(row, src)
        self._check_deal(deal, row, src)
        self._add_purchasers(deal, row, src, tables["purchasers"])

    @staticmethod
    def _year(row: dict, src: dict, t: Bag) -> None:
        """year of the agreement date; failing that, of the date the deal was reported to happen."""
        for name, note in (("date", "year of date"), ("event_date", "year of the reported event"),
                           ("closing", "year of closing")):
            when = row.get(name) if name in row else t.values.get(name)
            if when:
                row["year"] = when.year
                src["year"] = _derived(note, src.get(name) or t.sources.get(name))
                return
        row["year"] = None

    @staticmethod
    def _derive(row: dict, src: dict) -> None:
        """proceeds = shares × price when the text states no aggregate, not even an
        approximate one; coverage = warrant_shares / shares."""
        if row.get("proceeds") is None and row.get("proceeds_approx") is None \
                and row.get("shares") is not None and row.get("price") is not None:
            row["proceeds"] = float(round(Decimal(row["shares"]) * Decimal(str(row["price"])), 2))
            src["proceeds"] = _derived("shares × price", src.get("shares"), src.get("price"))
        if row.get("warrant_shares") is not None and row.get("shares"):
            row["coverage"] = round(row["warrant_shares"] / row["shares"], 6)
            src["coverage"] = _derived("warrant_shares / shares", src.get("warrant_shares"), src.get("shares"))
        else:
            row.setdefault("coverage", None)

    PURCHASER_FIELDS = ("purchaser", "company", "date", "year", "shares", "price", "proceeds",
                        "warrant_shares", "warrant_price")
    DEAL_LEVEL = frozenset(("company", "date", "year", "price", "warrant_price"))
    SINGLE_FIELDS = PURCHASER_FIELDS + ("coverage",)

    def _add_purchasers(self, deal: Deal, agreement: dict, asrc: dict, table: _Filling) -> None:
        first = {"id": f"{deal.id}-p1", "agreement": deal.id, "file": deal.doc.file, "source": deal.deal.source}
        if deal.deal.rows:
            bags = deal.deal.rows
        elif len(deal.deal.names) > 1:
            # Purchasers named together with only the deal's totals: each gets a row, the totals none.
            bags = [Bag({"purchaser": n}, {"purchaser": s}) for n, s in deal.deal.names]
        else:
            # The agreement's one purchaser (or none): every figure is the deal's, with its source.
            src: dict[str, Source] = {}
            for name in self.SINGLE_FIELDS:
                first[name] = agreement.get(name)
                if (source := asrc.get(name)) is not None:
                    src[name] = source
            table.add(first, src)
            return
        for n, bag in enumerate(bags, 1):
            row: dict[str, Any] = first if n == 1 else \
                {"id": f"{deal.id}-p{n}", "agreement": deal.id, "file": deal.doc.file, "source": deal.deal.source}
            src = {}
            values, sources = bag.values, bag.sources
            for name in self.PURCHASER_FIELDS:
                if name in values:
                    row[name], s = values[name], sources.get(name)
                elif name in self.DEAL_LEVEL:
                    # A deal-level value applies to every purchaser; totals only to the one.
                    row[name], s = agreement.get(name), asrc.get(name)
                else:
                    row[name], s = None, None
                if s is not None:
                    src[name] = s
            self._derive(row, src)
            table.add(row, src)

    # -- filings and companies ------------------------------------------------------

    # Fields copied from a document's own facts as they were read.
    FILING_STATED = ("title", "date", "signed", "company", "state", "commission_file", "irs_number",
                     "address", "phone", "items", "exhibits")

    def _add_filings(self, table: _Filling, deal_of: dict[str, str]) -> None:
        for f in self.facts:
            fid = self.filing_id[id(f)]
            values, sources = f.filing.values, f.filing.sources
            row: dict[str, Any] = {"id": fid, "file": f.file, "form": f.form}
            src: dict[str, Source] = {}
            for name in self.FILING_STATED:
                row[name] = values.get(name)
                if (source := sources.get(name)) is not None:
                    src[name] = source
            row["company"] = self.company(row["company"])
            date = row["date"]
            row["year"] = date.year if date else None
            if date:
                src["year"] = _derived("year of date", src.get("date"))
            row["agreement"] = deal_of.get(fid)
            row["warnings"] = list(f.warnings)
            table.add(row, src)
        for (name, why), fid in zip(self.unread, self.unread_id):
            table.add({"id": fid, "file": name, "form": "unknown", "warnings": [why],
                       **{k: None for k in ("title", "date", "year", "signed", "company", "state",
                                            "commission_file", "irs_number", "address", "phone",
                                            "items", "exhibits", "agreement")}}, {})

    def _add_companies(self, tables: dict[str, Table]) -> None:
        by_key: dict[str, dict[str, Any]] = {}
        srcs: dict[str, dict[str, Source]] = {}
        agreements = tables["agreements"]
        for table in (tables["filings"], agreements):
            # Read by column: the tables' rows are not made into dicts for it.
            def column(name: str, table: Table = table) -> list:
                return table.column(name) if name in table.columns else [None] * table.count
            # (A table without such a column has nothing to fill in.)
            details = [(field_, column(field_)) for field_ in ("state", "commission_file", "irs_number", "address")
                       if field_ in table.columns]
            proceeds, dates = column("proceeds"), column("date")
            for i, name in enumerate(column("company")):
                if not name:
                    continue
                src = table.sources[i]
                key = self.key(name)
                c = by_key.get(key)
                if c is None:
                    c = by_key[key] = {"id": _slug(name, "company"), "company": self.names.get(key, name),
                                       "state": None, "commission_file": None, "irs_number": None,
                                       "address": None, "agreements": 0, "proceeds": None,
                                       "first": None, "last": None, "_proceeds": []}
                    srcs[key] = {"company": src.get("company")} if src.get("company") else {}
                s = srcs[key]
                for field_, values in details:
                    if c[field_] is None and values[i]:
                        c[field_] = values[i]
                        if src.get(field_):
                            s[field_] = src[field_]
                if table is agreements:
                    c["agreements"] += 1
                    c["_proceeds"].append(proceeds[i])
                    d = dates[i]
                    if d:
                        c["first"] = d if c["first"] is None else min(c["first"], d)
                        c["last"] = d if c["last"] is None else max(c["last"], d)
        taken: dict[str, int] = {}
        for key, c in by_key.items():
            c["proceeds"] = _money_sum(c.pop("_proceeds"))
            c["id"] = _unique(taken, c["id"])
            s = srcs[key]
            s["agreements"], s["proceeds"] = _COUNTED, _SUMMED
            tables["companies"].add(c, s)

    # -- check ---------------------------------------------------------------------

    def _finding(self, severity: str, deal: str, message: str, *sources: Source | None) -> None:
        cited = "; ".join(f"{s.file}:{s.line}" for s in sources if s and s.line)
        self.findings.append({"severity": severity, "agreement": deal, "message": message, "sources": cited})

    def _check_deal(self, deal: Deal, row: dict, src: dict) -> None:
        t = deal.deal.terms
        tv = t.values
        self._check_product(deal.id, None, tv.get("shares"), tv.get("price"), tv.get("proceeds"), t.sources)
        price = tv.get("price")
        for bag in deal.deal.rows:
            bv = bag.values
            self._check_product(deal.id, bv.get("purchaser"), bv.get("shares"), bv.get("price", price),
                                bv.get("proceeds"), t.sources, bag.sources)
        rows = deal.deal.rows
        for name in ("shares", "proceeds", "warrant_shares") if rows else ():
            stated = tv.get(name)
            if stated is None:
                continue
            vals = [v for r in rows if (v := r.values.get(name)) is not None]
            if vals:
                total = _money_sum(vals) if name == "proceeds" else sum(vals)
                if abs(total - stated) > 0.005:
                    self._finding("error", deal.id, f"schedule rows add up to {_fmt(name, total)} {name}, "
                                  f"the agreement states {_fmt(name, stated)}", t.sources.get(name))

    def _check_product(self, deal_id, who, shares, price, proceeds, sources, row_sources=None) -> None:
        """A finding when proceeds is not shares × price: the deal's, or, given `row_sources`,
        the schedule row of purchaser `who` (its sources cited before the deal's)."""
        if shares is None or price is None or proceeds is None or _within_a_share(shares, price, proceeds):
            return
        each = Decimal(str(price))
        expected = Decimal(shares) * each
        # A rounding to whole shares or dollars is not a disagreement; more than a share's worth is.
        if abs(expected - Decimal(str(proceeds))) > each:
            if row_sources is not None:
                sources = {**sources, **row_sources}
            self._finding("error", deal_id, f"{'' if row_sources is None else f'{who}: '}aggregate price "
                          f"${proceeds:,.2f} ≠ {shares:,} shares × ${price} = ${expected:,.2f}",
                          sources.get("proceeds"), sources.get("shares"), sources.get("price"))

    def _compare(self, deal: Deal, doc: DocFacts, report: DealFacts) -> None:
        a, r = deal.deal.terms, report.terms
        for name in ("shares", "price", "proceeds", "warrant_shares", "warrant_price"):
            av = a.get(name) if a.get(name) is not None else self._total(deal, name)
            rv = r.get(name)
            if av is not None and rv is not None and abs(av - rv) > 1e-9:
                self._finding("error", deal.id, f"{name}: the agreement says {_fmt(name, av)}, {doc.file} says {_fmt(name, rv)}",
                              a.sources.get(name), r.sources.get(name))
        ad, rd = a.get("date"), r.get("date")
        if ad and rd and abs((rd - ad).days) > DATE_TOLERANCE_DAYS:
            self._finding("warning", deal.id, f"date: the agreement is dated {ad}, {doc.file} says {rd}",
                          a.sources.get("date"), r.sources.get("date"))
        rp = r.get("purchaser")
        names = [a.get("purchaser")] + [row.get("purchaser") for row in deal.deal.rows]
        names = [n for n in names if n]
        if rp and names:
            same_key = [n for n in names if self.key(n) == self.key(rp)]
            if not same_key:
                self._finding("warning", deal.id, f"purchaser: the agreement names {', '.join(names)}, "
                              f"{doc.file} names {rp}", a.sources.get("purchaser"), r.sources.get("purchaser"))
            elif rp not in same_key:
                self._finding("info", deal.id, f"purchaser spelled '{same_key[0]}' in the agreement and "
                              f"'{rp}' in {doc.file}", a.sources.get("purchaser"), r.sources.get("purchaser"))
