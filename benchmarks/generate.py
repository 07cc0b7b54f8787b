"""A synthetic corpus of purchase agreements and the reports that describe them.

    python benchmarks/generate.py DIR -n 10000 [--seed 1]      # writes DIR and DIR/../manifest
    python benchmarks/generate.py DIR -n 1000 --check          # ... then indexes DIR and checks it

Every filing is written from a deal whose figures are known, so an index of
the corpus can be checked against what was written: every deal found once,
with its company, date, purchasers and figures (`check`). The filings mimic
the seeds and EDGAR as the extractor reads them:

- plain-text Exhibit 10.1 agreements in the styles of corpus/*.txt (`<PAGE>`
  markers, page numbers, a single purchaser named in the preamble);
- forms whose purchasers stand in a Schedule of Purchasers (a `<TABLE>` with
  `<S>`/`<C>` tags, or an HTML table in an `.htm` exhibit);
- 8-Ks describing a deal whose agreement is elsewhere in the corpus (they must
  link to it, not add a deal), 8-Ks and 10-Q subsequent-event notes
  describing a deal whose agreement is not in the corpus (a deal of its own),
  and full submission files holding an 8-K and its Exhibit 10.1 together.

Names, figures, dates and phrasings vary; a company's deals are months apart
so that a report can only describe one of them. The manifest (JSON) lists
each deal with the files that describe it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import sys
import textwrap
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

_SYLLABLES = ["ac", "al", "am", "an", "ar", "bel", "bi", "cal", "cor", "cy", "da", "del", "dyn", "el", "en",
              "ex", "gen", "ha", "in", "is", "ka", "lex", "lu", "ma", "med", "mer", "na", "neo", "no", "nu",
              "om", "or", "pa", "pol", "qu", "ra", "ri", "sa", "sol", "ta", "tel", "tri", "ul", "va", "ver",
              "vi", "xa", "zen", "zo", "ly", "tra", "sy", "kor", "phi", "ro"]
_INDUSTRY = ["Therapeutics", "Biosciences", "Pharmaceuticals", "Technologies", "Networks", "Energy",
             "Medical", "Holdings", "Systems", "Devices", "Genomics", "Resources", "Software", "Labs",
             "Diagnostics", "Semiconductor", "Communications", "Minerals", "Solar", "Robotics"]
_COMPANY_SUFFIX = ["Inc.", "Inc.", "Inc.", "Corp.", "Corporation"]
_FUND_FIRST = ["Alpha", "Iroquois", "Hudson", "Sabre", "Granite", "Cedar", "Harbor", "Summit", "Falcon",
               "Bristol", "Anson", "Lincoln", "Empery", "Sabby", "Intracoastal", "Orion", "Stonestreet",
               "Crescent", "Atlas", "Meadow", "Pine", "Redwood", "Aspen", "Cobalt", "Sterling", "Beacon",
               "Walden", "Juniper", "Highland", "Kestrel", "Osprey", "Tamarack", "Heron", "Lakeview"]
_FUND_SECOND = ["Bay", "Ridge", "Point", "Street", "Rock", "Park", "Hill", "Creek", "Island", "Gate",
                "Harbour", "Peak", "Field", "Stone", "Valley", "Bridge", "Crest", "Lake"]
_FUND_KIND = ["Capital Partners, L.P.", "Master Fund, Ltd.", "Opportunity Fund LP", "Partners, L.P.",
              "Capital Fund, Ltd.", "Investments LLC", "Capital Master Fund Ltd.", "Ventures, L.P.",
              "Limited Partnership", "International, Ltd.", "Capital Anstalt"]
_STATES = [("Delaware", "DE"), ("Nevada", "NV"), ("California", "CA"), ("New York", "NY"),
           ("Florida", "FL"), ("Colorado", "CO"), ("Washington", "WA"), ("Texas", "TX")]
_CITIES = [("Irvine", "California", "92618"), ("Boston", "Massachusetts", "02110"),
           ("San Diego", "California", "92121"), ("Austin", "Texas", "78701"),
           ("Denver", "Colorado", "80202"), ("Seattle", "Washington", "98101"),
           ("New York", "New York", "10022"), ("Miami", "Florida", "33131")]
_YEARS = {3: "three-year", 4: "four-year", 5: "five-year", 7: "seven-year"}


@dataclass
class Company:
    name: str
    state: str
    commission_file: str
    irs_number: str
    street: str
    city: tuple[str, str, str]
    phone: str


@dataclass
class Purchaser:
    name: str
    shares: int
    proceeds: float
    warrant_shares: int | None


@dataclass
class Deal:
    """One deal as written. `agreement` says whether an agreement in the corpus states it."""
    company: str
    date: str                       # the agreement's date (ISO)
    price: float
    purchasers: list[Purchaser]
    warrant_price: float | None
    warrant_years: int | None
    agreement: bool = True
    proceeds_stated: bool = True    # does the agreement state the aggregate (else shares x price)
    files: list[str] = field(default_factory=list)     # every file that describes the deal

    @property
    def shares(self) -> int:
        return sum(p.shares for p in self.purchasers)

    @property
    def proceeds(self) -> float:
        return float(sum(Decimal(str(p.proceeds)) for p in self.purchasers))

    @property
    def warrant_shares(self) -> int | None:
        ws = [p.warrant_shares for p in self.purchasers]
        return None if None in ws else sum(ws)


def _money(x: float) -> str:
    if round(x, 2) == x:
        s = f"{x:,.2f}"
        return s[:-3] if s.endswith(".00") else s
    return f"{x:,.4f}".rstrip("0")


def _price(x: float) -> str:
    s = f"{x:.4f}".rstrip("0")
    return s + "0" if s.endswith(".") else (s if len(s.split(".")[1]) >= 2 else s + "0")


def _date(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def _wrap(text: str, indent: int = 9) -> str:
    """A paragraph as the seeds set it: first line indented, 80 columns."""
    return textwrap.fill(" ".join(text.split()), width=80, initial_indent=" " * indent)


class Generator:
    def __init__(self, n: int, seed: int = 1):
        self.n = n
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()
        self.companies: list[Company] = []
        self.last_deal: dict[str, dt.date] = {}
        self.deals: list[Deal] = []
        self.files: list[tuple[str, str]] = []       # (relative path, text)
        self.accession = 0

    # -- names and figures --------------------------------------------------------

    def _word(self) -> str:
        r = self.rng
        return "".join(r.choice(_SYLLABLES) for _ in range(r.choice((2, 2, 3)))).capitalize()

    def _company(self) -> Company:
        r = self.rng
        while True:
            suffix = r.choice(_COMPANY_SUFFIX)
            name = f"{self._word()} {r.choice(_INDUSTRY)}{',' if suffix == 'Inc.' else ''} {suffix}"
            key = name.split()[0].lower()
            # The first word makes the deal id; keep it unique so ids are predictable.
            if key not in self.used_names:
                self.used_names.add(key)
                break
        state = r.choice(_STATES)[0]
        return Company(name, state, f"000-{r.randint(10000, 99999)}", f"{r.randint(10, 99)}-{r.randint(1000000, 9999999)}",
                       f"{r.randint(10, 9999)} {r.choice(_FUND_SECOND)} {r.choice(['Drive', 'Avenue', 'Road', 'Boulevard'])}",
                       r.choice(_CITIES), f"({r.randint(201, 989)}) {r.randint(200, 999)}-{r.randint(1000, 9999)}")

    def _fund(self) -> str:
        r = self.rng
        return f"{r.choice(_FUND_FIRST)} {r.choice(_FUND_SECOND)} {r.choice(_FUND_KIND)}"

    def _deal(self, agreement: bool, max_purchasers: int) -> tuple[Deal, Company]:
        r = self.rng
        # About four deals per company; a company's deals are at least 60 days apart.
        if not self.companies or r.random() < 0.25:
            self.companies.append(self._company())
        company = r.choice(self.companies[-50:])
        last = self.last_deal.get(company.name)
        if last is None:
            date = dt.date(1996, 1, 1) + dt.timedelta(days=r.randint(0, 365 * 26))
        else:
            date = last + dt.timedelta(days=r.randint(60, 400))
        self.last_deal[company.name] = date
        price = round(r.choice((r.uniform(0.1, 1), r.uniform(1, 12), r.uniform(0.05, 30))), r.choice((2, 2, 2, 3, 4)))
        price = max(price, 0.05)
        warrant = r.random() < 0.75
        coverage = r.choice((0.1, 0.25, 0.5, 0.75, 1.0))
        n = 1 if max_purchasers == 1 else r.randint(2, max_purchasers)
        names: list[str] = []
        while len(names) < n:
            name = self._fund()
            if name not in names:
                names.append(name)
        purchasers = []
        for name in names:
            shares = r.randint(50, 50000) * 100 + (r.randint(1, 99) if r.random() < 0.3 else 0)
            proceeds = float(round(Decimal(shares) * Decimal(str(price)), 2))
            purchasers.append(Purchaser(name, shares, proceeds, int(shares * coverage) if warrant else None))
        deal = Deal(company.name, date.isoformat(), price, purchasers,
                    round(price * r.choice((1.1, 1.25, 1.5)), 2) if warrant else None,
                    r.choice((3, 4, 5, 5, 7)) if warrant else None, agreement,
                    proceeds_stated=r.random() < 0.8)
        if deal.warrant_price is not None and deal.warrant_price <= 0:
            deal.warrant_price = 0.01
        self.deals.append(deal)
        return deal, company

    def _path(self, date: str, ext: str = "txt") -> str:
        self.accession += 1
        year = date[:4]
        return f"{year}/{self.accession // 500:04d}/0000{self.rng.randint(900000, 999999)}-{year[2:]}-{self.accession:06d}.{ext}"

    # -- the corpus ------------------------------------------------------------------

    def run(self) -> None:
        """N files: agreements, schedules, HTML, 8-Ks, 10-Q notes and full submissions."""
        r = self.rng
        while len(self.files) < self.n:
            left = self.n - len(self.files)
            x = r.random()
            if x < 0.34:
                self._plain_agreement()
            elif x < 0.48:
                self._schedule_agreement()
            elif x < 0.58:
                self._html_agreement()
            elif x < 0.72 and left >= 2:
                # An agreement and, in another file, the 8-K that reports it.
                deal, company = self._plain_agreement()
                self._report(deal, company, "8-K")
            elif x < 0.82:
                deal, company = self._deal(agreement=False, max_purchasers=1)
                self._report(deal, company, "8-K")
            elif x < 0.90:
                deal, company = self._deal(agreement=False, max_purchasers=1)
                self._report(deal, company, "10-Q")
            else:
                self._submission()

    def _emit(self, path: str, text: str, deal: Deal | None) -> None:
        self.files.append((path, text))
        if deal is not None:
            deal.files.append(path)

    # agreements

    def _preamble(self, deal: Deal, company: Company, purchaser: str) -> str:
        r = self.rng
        made = r.choice(("is made as of", "is dated as of", "is made and entered into as of", "is entered into as of"))
        title = r.choice(("Securities Purchase Agreement", "Securities Purchase Agreement", "Stock Purchase Agreement"))
        state = company.state
        purchaser_desc = r.choice(("", ", a Cayman Islands exempted company", ", a Delaware limited partnership"))
        return (f'This {title} (the "Agreement") {made} {_date(dt.date.fromisoformat(deal.date))}, by and between '
                f'{purchaser}{purchaser_desc} (the "Purchaser"), and {company.name}, a {state} corporation '
                f'(the "Company"), whereby the parties agree as follows:'), title

    def _sale_clause(self, deal: Deal, p: Purchaser | None, several: bool = False) -> str:
        """The sentence that sells: shares at a price, an aggregate, the warrant."""
        r = self.rng
        shares = deal.shares if p is None else p.shares
        proceeds = deal.proceeds if p is None else p.proceeds
        ws = deal.warrant_shares if p is None else p.warrant_shares
        who = "the Purchasers" if several else "the Purchaser"
        lead = (f"The Purchaser shall buy from the Company and the Company agrees to sell to {who}:"
                if not several else f"The Company agrees to sell to {who}, severally and not jointly:")
        price = r.choice((f"at a price per share of ${_price(deal.price)}",
                          f"at a price of ${_price(deal.price)} per share",
                          f"at a purchase price of ${_price(deal.price)} per share"))
        aggregate = (f" for an aggregate purchase price of ${_money(proceeds)} (the \"Purchase Price\")"
                     if deal.proceeds_stated else "")
        text = (f'{lead} (i) {shares:,} shares (the "Shares") of the Company\'s common stock, par value '
                f'$.001 per share (the "Common Stock"), {price}{aggregate}')
        if deal.warrant_price is not None:
            years = _YEARS[deal.warrant_years]
            text += (f', and (ii) a {years} warrant (the "Warrant") to purchase up to {ws:,} shares of '
                     f"Common Stock at an exercise price of ${_price(deal.warrant_price)} per share, in the form "
                     f"attached hereto as Exhibit A.")
        else:
            text += "."
        return text

    def _boilerplate(self, company: Company, law: str) -> list[str]:
        r = self.rng
        paras = [
            "The Shares and the Warrant are being issued and sold pursuant to a registration statement on "
            f"Form S-3, File No. 333-{r.randint(10000, 99999)}, which registration statement has been declared "
            "effective by the Securities and Exchange Commission. The Company is delivering herewith a "
            "prospectus supplement regarding the issuance and sale of the Shares prior to funding, a copy of "
            "which is attached hereto as Exhibit B.",
            "The Company is a corporation duly incorporated and validly existing under the laws of the State of "
            f"{company.state}. The Company has the requisite corporate power and authority to enter into and "
            "perform its obligations under this Agreement and to issue and sell the Shares in accordance with "
            "the terms of this Agreement.",
            "Delivery of an executed copy of a signature page to this Agreement by facsimile transmission shall "
            "be effective as delivery of a manually executed copy of this Agreement. This Agreement may be "
            "executed in one or more counterparts, each of which shall be deemed an original. This Agreement "
            f"shall be governed and construed in accordance with the internal laws of the State of {law} "
            "without giving effect to the conflicts of law principles thereunder.",
        ]
        if r.random() < 0.5:
            paras.insert(1, "The Company shall cause its transfer agent to transmit the Shares electronically to "
                         "the Purchaser by crediting the account of the Purchaser through the Deposit Withdrawal "
                         "Agent Commission system.")
        return paras

    def _notices(self, company: Company) -> str:
        city, state, zip_ = company.city
        return "\n".join([
            "         Notices to the Company shall be delivered to:", "",
            f"         {company.name}", f"         {company.street}", f"         {city}, {state}  {zip_}",
            f"         Facsimile: {company.phone}", ""])

    def _signatures(self, company: Company, purchaser: str | None) -> str:
        who = purchaser or ""
        return "\n".join([
            "        AGREED AND ACCEPTED, as of the date indicated above:", "",
            f"                                        {company.name}", "",
            "                                        By:    /s/ " + self.rng.choice(("John Smith", "Mary Jones", "Ann Lee")),
            "                                               ---------------------------------", "",
            "                                        Purchaser Name:",
            f"                                        {who}",
            "                                        ----------------------------------------", ""])

    def _agreement_text(self, deal: Deal, company: Company, purchaser: str, sale: str, schedule: str = "") -> str:
        r = self.rng
        law = r.choice(("California", "New York", "Delaware", "Nevada"))
        preamble, title = self._preamble(deal, company, purchaser)
        body = [_wrap(preamble), "", _wrap(sale), ""]
        for para in self._boilerplate(company, law):
            body += [_wrap(para), ""]
        page = "<PAGE>\n" if r.random() < 0.7 else ""
        head = f"{page}{' ' * 68}EXHIBIT 10.1\n\n\n{' ' * 26}{title.upper()}\n\n"
        sig_name = purchaser if purchaser and not purchaser.startswith("_") else None
        tail = [self._notices(company), f"{' ' * 39}2", page + self._signatures(company, sig_name),
                f"{' ' * 39}3"]
        text = head + "\n".join(body) + "\n" + "\n".join(tail) + "\n"
        if schedule:
            text += f"{page}\n{' ' * 35}SCHEDULE 1\n\n{schedule}"
        return text

    def _plain_agreement(self) -> tuple[Deal, Company]:
        deal, company = self._deal(agreement=True, max_purchasers=1)
        p = deal.purchasers[0]
        text = self._agreement_text(deal, company, p.name, self._sale_clause(deal, p))
        self._emit(self._path(deal.date), text, deal)
        return deal, company

    def _schedule_agreement(self) -> None:
        deal, company = self._deal(agreement=True, max_purchasers=5)
        deal.proceeds_stated = False
        blank = "_" * self.rng.randint(4, 18)
        sale = self._sale_clause(deal, None).replace(f"(i) {deal.shares:,} shares", f"(i) {'_' * 7} shares", 1)
        ws = deal.warrant_shares
        if ws is not None:
            sale = sale.replace(f"up to {ws:,} shares", f"up to {'_' * 10} shares", 1)
        width = max(30, max(len(p.name) for p in deal.purchasers))
        rule = "-" * (width + 50)
        lines = ["<TABLE>", "<CAPTION>", rule,
                 f"{'Purchaser':<{width + 4}}{'Shares':<13}{'Purchase Price':<23}{'Warrant'}", rule,
                 f"{'<S>':<{width + 4}}{'<C>':<13}{'<C>':<23}<C>"]
        for p in deal.purchasers:
            w = f"{p.warrant_shares:,}" if p.warrant_shares is not None else "-"
            lines += [f"{p.name:<{width + 4}}{p.shares:<13,}{'$' + _money(p.proceeds):<23}{w}", rule]
        lines.append("</TABLE>")
        text = self._agreement_text(deal, company, blank, sale, "\n".join(lines) + "\n")
        self._emit(self._path(deal.date), text, deal)

    def _html_agreement(self) -> None:
        r = self.rng
        deal, company = self._deal(agreement=True, max_purchasers=4)
        d = _date(dt.date.fromisoformat(deal.date)).replace(" ", "&nbsp;", 1)
        e = html.escape
        parts = ['<html><body>', '<p align="right">Exhibit 10.1</p>',
                 '<p style="text-align:center"><b>SECURITIES PURCHASE AGREEMENT</b></p>']
        if len(deal.purchasers) == 1:
            p = deal.purchasers[0]
            parts.append(f'<p>This Securities Purchase Agreement (this &#8220;Agreement&#8221;) is dated as of {d}, '
                         f'between {e(company.name)}, a {company.state} corporation (the &#8220;Company&#8221;), and '
                         f'{e(p.name)} (the &#8220;Purchaser&#8221;).</p>')
            parts.append(f"<p>{e(self._sale_clause(deal, p))}</p>")
        else:
            parts.append(f'<p>This Securities Purchase Agreement (this &#8220;Agreement&#8221;) is dated as of {d}, '
                         f'between {e(company.name)}, a {company.state} corporation (the &#8220;Company&#8221;), and '
                         'each purchaser identified on the signature pages hereto (each, including its successors '
                         'and assigns, a &#8220;Purchaser&#8221; and collectively the &#8220;Purchasers&#8221;).</p>')
            parts.append(f"<p>The Company agrees to sell to the Purchasers an aggregate of {deal.shares:,} shares of "
                         f"Common Stock at a purchase price of ${_price(deal.price)} per share.</p>")
        parts.append("<p>This Agreement shall be governed by and construed in accordance with the laws of the "
                     f"State of {r.choice(('New York', 'Delaware'))}.</p>")
        if len(deal.purchasers) > 1:
            parts.append('<p align="center">SCHEDULE OF PURCHASERS</p>')
            parts.append('<table border="1">')
            head = ["Purchaser", "Shares", "Aggregate Purchase Price"] + (["Warrant Shares"] if deal.warrant_price else [])
            parts.append("<tr>" + "".join(f"<td><b>{h}</b></td>" for h in head) + "</tr>")
            for p in deal.purchasers:
                cells = [e(p.name), f"{p.shares:,}", f"${_money(p.proceeds)}"]
                if deal.warrant_price:
                    cells.append(f"{p.warrant_shares:,}")
                parts.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            parts.append("</table>")
            # The multi-purchaser HTML form states no warrant terms in its body.
            deal.warrant_price = deal.warrant_years = None
        parts.append("</body></html>")
        self._emit(self._path(deal.date, "htm"), "\n".join(parts) + "\n", deal)

    # reports

    def _cover(self, company: Company, form: str, event: dt.date) -> str:
        city, state, zip_ = company.city
        name = company.name.upper() if self.rng.random() < 0.7 else company.name
        if form == "10-Q":
            quarter = dt.date(event.year, ((event.month - 1) // 3) * 3 + 1, 1) - dt.timedelta(days=1)
            return "\n".join([
                "                       SECURITIES AND EXCHANGE COMMISSION",
                "                             Washington, D.C. 20549", "",
                "                                   FORM 10-Q", "",
                "        QUARTERLY REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934",
                f"                   For the quarterly period ended {_date(quarter)}", "",
                f"                              {name}",
                "             (Exact name of registrant as specified in its charter)", "",
                f"          {company.state.upper():<27}{company.irs_number}",
                "(State or other jurisdiction of               (IRS Employer",
                " incorporation or organization)            Identification No.)", "", "",
                "NOTES TO CONDENSED FINANCIAL STATEMENTS (UNAUDITED)", "",
                "Note 9. Subsequent Events", "", ""])
        return "\n".join([
            "                       SECURITIES AND EXCHANGE COMMISSION", "",
            "                             Washington, D.C. 20549", "",
            "                                    FORM 8-K", "",
            "                                 CURRENT REPORT", "",
            f"                                  {_date(event)}",
            "                Date of Report (Date of earliest event reported)", "",
            f"                              {name}",
            "             (Exact name of registrant as specified in its charter)", "", "",
            f"          {company.state.upper():<27}{company.commission_file:<19}{company.irs_number}",
            "(State or other jurisdiction      (Commission              (IRS Employer",
            "      of incorporation)            File Number)          Identification No.)", "",
            f"           {company.street.upper()}",
            f"            {city.upper()}, {state.upper()}                                    {zip_}",
            "(Address of principal executive offices)                        (Zip Code)", "",
            f"                                 {company.phone}",
            "              (Registrant's telephone number, including area code)", "", ""])

    def _report(self, deal: Deal, company: Company, form: str) -> None:
        r = self.rng
        p = deal.purchasers[0]
        date = dt.date.fromisoformat(deal.date)
        event = date + dt.timedelta(days=r.choice((0, 0, 1, 2)) if deal.agreement else 0)
        wp = deal.warrant_price
        warrant = (f" and a warrant to purchase up to {p.warrant_shares:,} shares of common stock at an exercise "
                   f"price of ${_price(wp)} per share" if wp is not None else "")
        subject = "the Company" if form == "10-Q" else f'{company.name} (the "Company")'
        narrative = (f"On {_date(date)}, {subject} entered into a securities purchase agreement (the \"Purchase "
                     f"Agreement\") with {p.name} (the \"Purchaser\"), pursuant to which the Company agreed to issue "
                     f"and sell to the Purchaser {p.shares:,} shares of common stock at a purchase price of "
                     f"${_price(deal.price)} per share{warrant}, for an aggregate purchase price of "
                     f"${_money(p.proceeds)}.")
        if not deal.agreement and deal.warrant_price is not None:
            narrative += f" The warrant is exercisable for {deal.warrant_years} years from the date of issuance."
        if form == "10-Q":
            text = self._cover(company, form, event) + _wrap(narrative, 0) + "\n\n" + _wrap(
                "The net proceeds will be used for working capital and general corporate purposes.", 0) + "\n"
        else:
            exhibits = ("Item 9.01. Financial Statements and Exhibits.\n\n"
                        f"10.1      Securities Purchase Agreement, dated as of {_date(date)}\n"
                        "99.1      Press Release\n")
            text = (self._cover(company, form, event) + "Item 1.01. Entry into a Material Definitive Agreement.\n\n"
                    + _wrap(narrative, 0) + "\n\n" + exhibits + "\n" + " " * 35 + "SIGNATURES\n\n"
                    + f"Date: {_date(event + dt.timedelta(days=r.randint(1, 3)))}                  By: /s/ Jane Roe\n")
        if not deal.agreement:
            deal.date = deal.date          # the report's event date is the deal's date
        self._emit(self._path(deal.date), text, deal)
        return text

    def _submission(self) -> None:
        """A full submission file: an 8-K and its Exhibit 10.1, each its own <DOCUMENT>."""
        deal, company = self._deal(agreement=True, max_purchasers=1)
        p = deal.purchasers[0]
        agreement = self._agreement_text(deal, company, p.name, self._sale_clause(deal, p))
        files_before = len(self.files)
        self._report(deal, company, "8-K")
        path, report = self.files.pop(files_before)
        deal.files.remove(path)
        acc = path.rsplit("/", 1)[1].removesuffix(".txt")
        text = (f"<SEC-DOCUMENT>{acc}.txt : {deal.date.replace('-', '')}\n<SEC-HEADER>{acc}.hdr.sgml\n"
                f"ACCESSION NUMBER:\t\t{acc}\nCONFORMED SUBMISSION TYPE:\t8-K\nPUBLIC DOCUMENT COUNT:\t\t2\n"
                "</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<FILENAME>form8k.txt\n<TEXT>\n"
                f"{report}</TEXT>\n</DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-10.1\n<SEQUENCE>2\n<FILENAME>ex10-1.txt\n"
                f"<TEXT>\n{agreement}</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n")
        self._emit(path, text, deal)

    # -- output -----------------------------------------------------------------------

    def manifest(self) -> dict:
        documents = len(self.files) + sum(1 for _, t in self.files if t.startswith("<SEC-DOCUMENT>"))
        return {
            "files": len(self.files),
            "documents": documents,
            "agreements": len(self.deals),
            "purchasers": sum(len(d.purchasers) for d in self.deals),
            "companies": len({d.company for d in self.deals}),
            "deals": [asdict(d) | {"shares": d.shares, "proceeds": d.proceeds, "warrant_shares": d.warrant_shares}
                      for d in self.deals],
        }


def generate(out: str | Path, n: int, seed: int = 1) -> dict:
    """Write `n` filings under `out`; return the manifest (also written to out/../NAME.manifest.json)."""
    out = Path(out)
    g = Generator(n, seed)
    g.run()
    for rel, text in g.files:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    manifest = g.manifest()
    manifest_path(out).write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def manifest_path(out: str | Path) -> Path:
    """The manifest sits beside the corpus, never inside it (it is not a filing)."""
    out = Path(out)
    return out.parent / f"{out.name}.manifest.json"


# -- the check ---------------------------------------------------------------------------

def check(index, manifest: dict) -> list[str]:
    """What the index got wrong against the manifest: [] when every deal was found once,
    with its company, date, purchasers and figures, and linked to every file describing it."""
    from spaq.extract.values import name_key
    problems: list[str] = []
    agreements = index.tables["agreements"].rows
    by_key: dict[tuple, list[dict]] = {}
    for row in agreements:
        key = (name_key(row.get("company") or ""), row.get("date").isoformat() if row.get("date") else None)
        by_key.setdefault(key, []).append(row)
    purchasers: dict[str, list[dict]] = {}
    for row in index.tables["purchasers"].rows:
        purchasers.setdefault(row["agreement"], []).append(row)
    filings = index.tables["filings"].rows
    file_of = {f["id"]: f["file"] for f in filings}
    counts = {"agreements": len(agreements), "purchasers": len(index.tables["purchasers"].rows),
              "filings": len(filings), "companies": len(index.tables["companies"].rows)}
    for name, want in (("agreements", manifest["agreements"]), ("purchasers", manifest["purchasers"]),
                       ("filings", manifest["documents"]), ("companies", manifest["companies"])):
        if counts[name] != want:
            problems.append(f"{name}: the index has {counts[name]:,}, {want:,} were written")
    for deal in manifest["deals"]:
        found = by_key.get((name_key(deal["company"]), deal["date"]), [])
        label = f"{deal['company']} {deal['date']} ({', '.join(deal['files'])})"
        if len(found) != 1:
            problems.append(f"{label}: found {len(found)} times")
            continue
        row = found[0]
        for name in ("shares", "price", "proceeds", "warrant_shares", "warrant_price"):
            want, got = deal[name], row.get(name)
            if (want is None) != (got is None) or (want is not None and abs(float(want) - float(got)) > 1e-6):
                problems.append(f"{label}: {name} is {got!r}, {want!r} was written")
        rows = purchasers.get(row["id"], [])
        want_names = sorted(p["name"] for p in deal["purchasers"])
        got_names = sorted(r.get("purchaser") or "" for r in rows)
        if want_names != got_names:
            problems.append(f"{label}: purchasers {got_names}, {want_names} were written")
        linked = sorted({file_of.get(f) for f in row.get("filings") or []})
        if linked != sorted(deal["files"]):
            problems.append(f"{label}: described by {linked}, {sorted(deal['files'])} were written")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="directory to write the filings into (created)")
    ap.add_argument("-n", type=int, default=1000, help="number of files (default 1000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check", action="store_true", help="index the corpus and check it against the manifest")
    args = ap.parse_args(argv)
    manifest = generate(args.out, args.n, args.seed)
    print(f"wrote {manifest['files']:,} files ({manifest['documents']:,} documents, {manifest['agreements']:,} deals, "
          f"{manifest['purchasers']:,} purchasers) to {args.out}; manifest {manifest_path(args.out)}")
    if args.check:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        import spaq
        problems = check(spaq.load(args.out, cache=False), manifest)
        for p in problems[:50]:
            print("  " + p)
        print(f"check: {'ok' if not problems else f'{len(problems)} problems'}")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
