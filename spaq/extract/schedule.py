"""Schedules of Purchasers: the table of who bought what.

A schedule is found by its heading ("SCHEDULE 1", "Schedule A", "Schedule of
Purchasers", ...) followed by a table whose header names a purchaser column
and at least one figure column. Columns are found by position: the header's
labels (possibly over several lines) define column spans, and each row's cells
are given to the column they overlap. What a column holds is read from its
label's words, so "Purchase Price", "Aggregate Purchase Price" and
"Subscription Amount" all land in `proceeds`.
"""
from __future__ import annotations

import functools
import itertools
import re

from ..corpus import Document
from ..model import Source
from .terms import Bag
from .text import RULE, find_all, fold
from .values import NUM, clean_name, parse_money, parse_shares

_HEADING = re.compile(
    r"^\s*(?:SCHEDULE\s+(?:[1-9]|[IVX]+|[A-D])(?:\s*[-:–—]\s*.*)?|SCHEDULE\s+OF\s+(?:PURCHASERS|BUYERS|INVESTORS)"
    r"|(?:LIST|SCHEDULE)\s+OF\s+(?:PURCHASERS|INVESTORS|BUYERS))\s*$", re.I)
# Every heading holds one of these words: other lines are not blanked and tried.
_HEADING_WORDS = re.compile(r"schedule|list", re.I)
_TAG = re.compile(r"</?(?:PAGE|TABLE|CAPTION|S|C|FN)>", re.I)
_NAME_LABEL = re.compile(r"purchaser|investor|buyer|subscriber|name", re.I)
_CELL = re.compile(r"\S+(?: \S+)*")
_FIGURE = re.compile(rf"^\$?\s?(?:{NUM})$")
_DASH = re.compile(r"[-—–]{1,3}|none|n/?a", re.I)


def _blank_tags(line: str) -> str:
    """Tags replaced by spaces of the same width, so columns keep their place."""
    # A tab always separates cells (two spaces at least), however it expands.
    return _TAG.sub(lambda m: " " * len(m.group(0)), line).replace("\t", "  \t").expandtabs()


def _cells(line: str) -> list[tuple[int, int, str]]:
    """Cells of a line: runs of text separated by two or more spaces; a '$' standing
    apart from its amount ("$  600,000") belongs to it."""
    cells: list[tuple[int, int, str]] = []
    for m in _CELL.finditer(line):
        if cells and cells[-1][2] == "$":
            cells[-1] = (cells[-1][0], m.end(), "$" + m.group(0))
        else:
            cells.append((m.start(), m.end(), m.group(0)))
    return cells


_NAME_COLUMN = re.compile(r"\s*(?:\(\d\)\s*)?(?:name|buyer|purchaser|investor|subscriber|holder)s?\b")
_EXERCISE = re.compile(r"exercise|price")
_PRICE_COLUMN = re.compile(r"per\s+share|price\s+per|unit\s+price|share\s+price")
_PROCEEDS_COLUMN = re.compile(r"purchase\s+price|aggregate|amount|investment|subscription|proceeds|consideration|\$|dollar")
_SHARES_COLUMN = re.compile(r"shares|number|common\s+stock|units")


@functools.lru_cache(maxsize=512)
def _column_field(label: str) -> str | None:
    """Which field a column holds, from its label's words. (Asked again for each row's
    figures, of a table's few labels: each is read once.)"""
    t = label.lower()
    if _NAME_COLUMN.match(t):
        return "purchaser"      # "Buyer, Address and Facsimile Number" names the buyer, not a count
    if "warrant" in t:
        return "warrant_price" if _EXERCISE.search(t) and "share" not in t else "warrant_shares"
    if _PRICE_COLUMN.search(t):
        return "price"
    if _PROCEEDS_COLUMN.search(t):
        return "proceeds"
    if _SHARES_COLUMN.search(t):
        return "shares"
    if _NAME_LABEL.search(t):
        return "purchaser"
    return None


_TOTAL = re.compile(r"^\s*totals?\s*:?\s*$", re.I)


def read_schedule(doc: Document, low: str | None = None) -> tuple[list[Bag], Bag | None]:
    """The purchaser rows of the first Schedule of Purchasers, and its Total row if any.

    `low` is the document's flow folded (Flow.low), if made. Every heading holds "schedule" or
    "list", and flowing keeps those words whole: it drops only blank lines, rules and page
    numbers, blanks tags, and spaces figures apart from letters. So a flow without them (most
    agreements) tells that no line is a candidate, without the lines joined and folded again."""
    if low is not None and "schedule" not in low and "list" not in low:
        return [], None
    lines = doc.lines
    for i in _heading_candidates(lines):
        if _HEADING.match(_blank_tags(lines[i])):
            # (the table's lines numbered as they are read: it ends well before the 400th)
            rows, total = _read_table(doc.file, zip(itertools.count(doc.first_line + i + 1),
                                                    itertools.islice(lines, i + 1, i + 400)))
            if rows:
                return rows, total
    return [], None


def _heading_candidates(lines: list[str]) -> list[int]:
    """Indices of the lines that hold "schedule" or "list" in any case (every heading does),
    in order: found with str.find in the document folded at once, not with a pattern a line."""
    joined = fold("\n".join(lines))
    if joined.count("\n") != len(lines) - 1:        # a line holding a break itself: line by line
        return [i for i, line in enumerate(lines) if _HEADING_WORDS.search(line)]
    at = sorted({i for w in ("schedule", "list") for i in find_all(joined, w)})
    out: list[int] = []
    line, pos = 0, 0
    for i in at:
        line += joined.count("\n", pos, i)
        pos = i
        if not out or out[-1] != line:
            out.append(line)
    return out


# A line under a purchaser's name that is its address, not another purchaser.
_ADDRESS = re.compile(r"^(?:c/o\b|attn\.?\b|attention\b|p\.?\s?o\.?\s+box\b|suite\b|facsimile|fax\b|tel(?:ephone)?\b|e-?mail|\d)|,\s*[A-Z]{2}\s+\d{5}|\b\d{5}(?:-\d{4})?$",
                      re.I)
# A line of prose after the table ends it.
_PROSE = re.compile(r"^[A-Z][^|]{60,}[.:;]$")


def _read_table(file: str, lines: list[tuple[int, str]]) -> tuple[list[Bag], Bag | None]:
    """Purchaser rows and the Total row of a positional table.

    A purchaser's cell may run over several lines (its name, then its address),
    with the figures on any of them: a line starts a purchaser when it is not
    an address and owns the next figures (only address lines stand between).
    """
    header: list[list] = []       # columns: [start, end, label]
    body: list[tuple[int, str, list, list]] = []     # (line no, raw, cells, figure cells)
    for n, raw in lines:
        line = _blank_tags(raw).rstrip()
        if not line.strip() or RULE.match(line):
            continue
        if _HEADING.match(line) and (header or body):
            break
        cells = _cells(line)
        figures = [c for c in cells if _FIGURE.match(c[2].replace(" ", "")) or _DASH.fullmatch(c[2])]
        if not body and not figures and not _complete(header):
            if len(cells) >= 2 or header:
                _merge_header(header, cells)
            continue
        if not header:
            return [], None
        if not figures and (_PROSE.match(line.strip()) or len(body) >= 6 and not any(b[3] for b in body[-6:])):
            break
        body.append((n, raw, cells, figures))
    fields = {_column_field(label) for _, _, label in header}
    if "purchaser" not in fields or not (fields & {"shares", "proceeds"}):
        return [], None
    name_col = next(c for c in header if _column_field(c[2]) == "purchaser")
    figure_cols = [c for c in header if _column_field(c[2]) not in ("purchaser", None)]

    def name_of(cells, figures) -> str:
        words = [c for c in cells if c not in figures and (_column_for(c[0], c[1], [name_col]) or len(header) < 2)]
        return " ".join(c[2] for c in (words or [c for c in cells if c not in figures]))

    rows: list[Bag] = []
    total = None
    current: Bag | None = None
    for i, (n, raw, cells, figures) in enumerate(body):
        name = name_of(cells, figures)
        if _TOTAL.match(name):
            total = Bag()
            _put_figures(total, file, n, raw, figures, figure_cols, by_order="\t" in raw)
            break
        if name and not _ADDRESS.search(name) and (figures or _owns_next_figures(body, i, name_of)):
            current = Bag()
            current.put("purchaser", clean_name(name), Source(file, n, raw.strip()))
            rows.append(current)
        if current is not None and figures and not current.has("_figures"):
            current.put("_figures", True, None)
            _put_figures(current, file, n, raw, figures, figure_cols, by_order="\t" in raw)
    for row in rows:
        row.values.pop("_figures", None)
    return [r for r in rows if len(r.values) > 1], total


def _complete(header) -> bool:
    """A header that names the purchaser and a figure: the lines after it are purchasers."""
    fields = {_column_field(label) for _, _, label in header}
    return "purchaser" in fields and bool(fields & {"shares", "proceeds", "warrant_shares"})


def _owns_next_figures(body, i: int, name_of) -> bool:
    """Whether the figures after line i belong to it: only address lines stand between."""
    for n, raw, cells, figures in body[i + 1:]:
        if figures:
            return True
        name = name_of(cells, figures)
        if name and not _ADDRESS.search(name):
            return False
    return False


def _put_figures(bag: Bag, file: str, n: int, raw: str, figures, figure_cols, by_order: bool = False) -> None:
    """The row's figures into their columns' fields: by position, or (a row whose gaps are
    tabs, which keep no alignment) by order when there are as many figures as columns."""
    src = Source(file, n, raw.strip())
    by_order = by_order and len(figures) == len(figure_cols)
    for i, (start, end, text) in enumerate(figures):
        col = figure_cols[i] if by_order else _column_for(start, end, figure_cols)
        if col is None and len(figures) == len(figure_cols):
            col = figure_cols[i]
        name = _column_field(col[2]) if col else None
        if name == "warrant_shares" and _DASH.fullmatch(text.strip()):
            # A dash under Warrant Shares: this purchaser gets no warrant, so no exercise price either.
            bag.put("warrant_shares", None, src)
            bag.put("warrant_price", None, src)
        elif _DASH.fullmatch(text.strip()):
            continue
        elif name in ("shares", "warrant_shares"):
            bag.put(name, parse_shares(text), src)
        elif name in ("price", "proceeds", "warrant_price"):
            bag.put(name, parse_money(text), src)


# -- tables flattened one cell a line, as XBRL viewers print them ("|Total", "|$", "|2,500,000") --

_PIPE_HEADING = re.compile(r"schedule\s+of\s+(?:securities\s+purchase|purchasers|investors|private\s+placement)", re.I)
_CELL_FIGURE = re.compile(rf"^\$?\s?({NUM})(?:\s*\(.*\))?$|^[-—]$")


def _pipe_cells(lines) -> list[tuple[int, str]]:
    """Cells of a flattened table: a line opening with '|' starts a cell, others continue it."""
    cells: list[list] = []
    for n, raw in lines:
        t = raw.strip().replace("\u201c", '"').replace("\u201d", '"')
        if t.startswith("|"):
            cells.append([n, t[1:].strip()])
        elif cells and t:
            cells[-1][1] = f"{cells[-1][1]} {t}".strip()
    merged: list[tuple[int, str]] = []
    for n, t in cells:
        if merged and merged[-1][1] == "$" and t:
            merged[-1] = (merged[-1][0], "$" + t)
        elif t:
            merged.append((n, t))
    return merged


def read_flat_table_total(doc: Document) -> Bag | None:
    """The Total row of a flattened deal table, mapped onto its header's figure columns.

    The header's labels are the cells before the first row label; the first
    row tells which columns hold figures; a Total row with exactly that many
    figures gives each its column's field. Anything that does not line up
    gives nothing.
    """
    if "|" not in "".join(doc.lines):
        return None             # (no cell, so no heading cell: told without numbering the lines)
    lines = list(doc.numbered())
    start = next((i for i, (_, l) in enumerate(lines) if _PIPE_HEADING.search(l) and l.strip().startswith("|")), None)
    if start is None:
        return None
    cells = _pipe_cells(lines[start + 1:start + 400])
    is_fig = [bool(_CELL_FIGURE.match(t)) for _, t in cells]
    first_row = next((i for i in range(len(cells) - 1) if not is_fig[i] and is_fig[i + 1]), None)
    if first_row is None:
        return None
    labels = [t for _, t in cells[:first_row] if t != "#" and not _PIPE_HEADING.search(t) and len(t) < 150]
    row = cells[first_row + 1:first_row + 1 + len(labels)]
    if len(row) != len(labels):
        return None
    figure_cols = [labels[i] for i, (_, t) in enumerate(row) if _CELL_FIGURE.match(t)]
    at = next((i for i, (_, t) in enumerate(cells) if _TOTAL.match(t)), None)
    if at is None:
        return None
    totals = []
    for n, t in cells[at + 1:]:
        if not _CELL_FIGURE.match(t):
            break
        totals.append((n, t))
    if len(totals) != len(figure_cols):
        return None
    bag = Bag()
    for label, (n, t) in zip(figure_cols, totals):
        name = _column_field(label)
        m = _CELL_FIGURE.match(t)
        if name in ("proceeds", "price", "warrant_price") and m.group(1):
            bag.put(name, parse_money(m.group(1)), Source(doc.file, n, t))
        elif name in ("shares", "warrant_shares") and m.group(1):
            bag.put(name, parse_shares(m.group(1)), Source(doc.file, n, t))
    return bag if bag.values else None


def _merge_header(header: list[list], cells) -> None:
    for start, end, text in cells:
        for col in header:
            if start < col[1] + 1 and end > col[0] - 1:
                col[0], col[1], col[2] = min(col[0], start), max(col[1], end), f"{col[2]} {text}"
                break
        else:
            header.append([start, end, text])
    header.sort(key=lambda c: c[0])


def _column_for(start: int, end: int, cols):
    """The column a cell overlaps most (figures are right-aligned, so ties go right)."""
    best, overlap = None, 0
    for col in cols:
        o = min(end, col[1] + 2) - max(start, col[0] - 2)
        if o > overlap:
            best, overlap = col, o
    return best


# A summary table printed one cell a line: "|Shares of common stock issued", "|1,600,000",
# "|Purchase price per share", "|$", "|2.50", ... Each label is read by its words.
_PAIR_LABELS = (
    ("shares", re.compile(r"^(?:number\s+of\s+)?(?:shares|common\s+shares)(?:\s+of\s+common\s+stock)?\s+(?:issued|sold|purchased)\b", re.I)),
    ("price", re.compile(r"^(?:(?:combined\s+)?(?:purchase|offering)\s+)?price\s+per\s+(?:share|unit)\b", re.I)),
    ("proceeds", re.compile(r"^(?:gross\s+proceeds|aggregate\s+(?:gross\s+)?(?:purchase\s+price|proceeds)|total\s+purchase\s+price)\b", re.I)),
    ("warrant_shares", re.compile(r"^(?:warrants\s+issued|(?:shares\s+)?(?:issuable|underlying)\s+(?:upon\s+exercise\s+of\s+)?(?:the\s+)?warrants|warrant\s+shares)\b", re.I)),
    ("warrant_price", re.compile(r"^(?:warrant\s+exercise\s+price|exercise\s+price\s+(?:of|per)\s+(?:the\s+)?warrants?)\b", re.I)),
)


def read_flat_table_pairs(doc: Document) -> Bag | None:
    """Deal figures from a flattened two-column summary (label, figure); two or more, or nothing."""
    # Each cell's line holds a "|": a document with fewer than six holds no such table (nearly
    # every one, told in C without a look at each line).
    if "".join(doc.lines).count("|") < 6 \
            or sum(1 for line in doc.lines if line.strip().startswith("|")) < 6:
        return None
    cells = _pipe_cells(doc.numbered())
    bag = Bag()
    for (n, label), (m, value) in zip(cells, cells[1:]):
        fig = _CELL_FIGURE.match(value)
        if not fig or not fig.group(1):
            continue
        for name, rx in _PAIR_LABELS:
            if rx.match(label) and not bag.has(name):
                parse = parse_money if name in ("price", "proceeds", "warrant_price") else parse_shares
                bag.put(name, parse(fig.group(1)), Source(doc.file, m, f"{label}: {value}"))
    return bag if len(bag.values) >= 2 else None
