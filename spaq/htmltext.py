"""HTML as text, laid out as inscriptis lays it out, in a few times fewer steps.

spaq reads an HTML document as the text inscriptis renders from it (strict CSS
profile, no links): paragraphs apart, a table's cells in aligned columns. The
schedule reader needs those columns, and every value cites its line of that
text, so the text must not change. inscriptis walks the lxml tree in pure
Python with an object per element, a character loop per text and a cell object
per table cell; that walk is the dearest step of reading an HTML filing.

`render` does the same walk with the same rules (margins, paddings, table
cells aligned and padded, text outside cells, hidden elements, the line breaks
of `<br>`), taken over line for line from inscriptis 2.7, keeping only what
the text needs: no annotations, no character offsets, an element's style
worked out once per distinct tag and attributes (by inscriptis' own CSS code).
What it does not render itself, it declines (returns None) and the caller asks
inscriptis: lists and their bullets, preformatted text, quotes' marks, markup
lxml cannot parse, and any other inscriptis than 2.7. tests/test_htmltext.py
checks that both give the same text.
"""
from __future__ import annotations

import functools
import html
import os
import re

try:
    from inscriptis.css_profiles import CSS_PROFILES
    from inscriptis.html_properties import Display, HorizontalAlignment, WhiteSpace
    from inscriptis.model.config import ParserConfig
    from inscriptis.model.html_element import DEFAULT_HTML_ELEMENT
    from lxml import etree
except ImportError:        # no inscriptis: html_lines says so when it asks for it
    CONFIG = None
    _LOADED = False
else:
    # How inscriptis is asked to render: the strict CSS profile, links not shown.
    CONFIG = ParserConfig(css=CSS_PROFILES["strict"], display_links=False)
    # lxml.html's parser with its settings, without its Python lookup of a class for each element.
    _PARSER = etree.HTMLParser()
    _LOADED = True                     # (and whether it is 2.7: `_supported`)
    _BLOCK, _NONE = Display.block, Display.none

# Tags whose handlers this module does not take over: list bullets and numbering.
_DECLINED_TAGS = frozenset({"ul", "ol", "li"})
_XML_DECLARATION = re.compile(r"^<\?xml [^>]+?\?>")


@functools.lru_cache(maxsize=1)
def _supported() -> bool:
    """inscriptis is there, and is the 2.7 whose layout `render` copies."""
    version = _inscriptis_version() if _LOADED else None
    return version is not None and version.split(".")[:2] == ["2", "7"]


def _inscriptis_version() -> str | None:
    """The installed inscriptis' version, from its .dist-info folder's name beside it.
    Not importlib.metadata, which imports email, zipfile, socket and csv: 30-100 ms at
    every cold build and in every worker process, more than this module saves on a
    thousand small filings."""
    import inscriptis
    site = os.path.dirname(os.path.dirname(os.path.abspath(inscriptis.__file__)))
    try:
        names = os.listdir(site)
    except OSError:
        return None
    found = [n[len("inscriptis-"):-len(".dist-info")] for n in names
             if n.startswith("inscriptis-") and n.endswith(".dist-info")]
    return found[0] if len(found) == 1 else None   # none, or several left behind: not sure


class _Declined(Exception):
    """The markup holds something `render` leaves to inscriptis."""


class _Style:
    """What an element's tag and attributes make of it (inscriptis' HtmlElement, reduced)."""

    __slots__ = ("display", "margin_before", "margin_after", "padding", "align", "valign")

    def __init__(self, tag: str, attrib) -> None:
        element = CONFIG.css.get(tag, DEFAULT_HTML_ELEMENT).__copy__().set_tag(tag)
        element = CONFIG.attribute_handler.apply_attributes(attrib, html_element=element)
        if element.whitespace == WhiteSpace.pre or element.prefix or element.suffix or element.list_bullet \
                or element.annotation or tag in _DECLINED_TAGS:
            raise _Declined(tag)
        self.display = element.display
        self.margin_before = element.margin_before
        self.margin_after = element.margin_after
        self.padding = element.padding_inline
        self.align = element.align
        self.valign = element.valign.value


# Only these attributes change an element's style (inscriptis' attribute handler maps no others).
_STYLED = ("style", "align", "valign")
_styles: dict[object, _Style] = {}      # by tag, or by (tag, style, align, valign)


def _style(tag: str, attrib) -> _Style:
    """The style of a tag with its attributes, worked out once for each distinct pair.
    (_Renderer.walk looks in _styles itself first, by the same key.)"""
    key = (tag, attrib.get("style"), attrib.get("align"), attrib.get("valign")) if attrib else tag
    style = _styles.get(key)
    if style is None:
        if len(_styles) > 4096:          # distinct styles are few; a pathological file is not kept
            _styles.clear()
        style = _styles[key] = _Style(tag, {k: v for k, v in attrib.items() if k in _STYLED} if attrib else {})
    return style


class _Prefix:
    """The left padding of the lines of a block (inscriptis' Prefix without bullets)."""

    __slots__ = ("current", "paddings", "consumed")

    def __init__(self) -> None:
        self.current = 0
        self.paddings: list[int] = []
        self.consumed = False

    def first(self) -> str:
        """The padding a line starts with, given once per line."""
        if self.consumed:
            return ""
        self.consumed = True
        return " " * self.current

    def register(self, padding: int) -> None:
        self.current += padding
        self.paddings.append(padding)

    def remove_last(self) -> None:
        if self.paddings:
            self.current -= self.paddings.pop()


class _Canvas:
    """Lines written so far and the line being written (inscriptis' Canvas and Block in one)."""

    __slots__ = ("margin", "blocks", "content", "collapsable", "prefix")

    def __init__(self) -> None:
        self.margin = 1000              # lines of margin above: none is wanted at the start
        self.blocks: list[str] = []
        self.content = ""               # the current line
        self.collapsable = True         # a blank written now would be collapsed
        self.prefix = _Prefix()

    def write(self, text: str) -> None:
        """Text with its blanks collapsed: a run of blanks is one space, none after a space."""
        words = text.split()            # (str.split's blanks are str.isspace's, as inscriptis tests them)
        if words:
            out = " ".join(words)
            if text[0].isspace() and not self.collapsable:
                out = " " + out
            if text[-1].isspace():
                out += " "
                self.collapsable = True
            else:
                self.collapsable = False
        elif text and not self.collapsable:
            out = " "
            self.collapsable = True
        else:
            return
        if not self.content:
            out = self.prefix.first() + out
        # inscriptis unescapes what lxml already did: "&amp;amp;" comes out "&" (kept as it does).
        self.content += html.unescape(out) if "&" in out else out

    def write_pre(self, text: str) -> None:
        """Text as it is (a rendered table), each line padded."""
        text = self.prefix.first() + text.replace("\n", "\n" + " " * self.prefix.current)
        self.content += html.unescape(text) if "&" in text else text
        self.collapsable = False

    def _line(self) -> str:
        if self.collapsable and self.content.endswith(" "):
            self.content = self.content[:-1]
        return self.content

    def flush_inline(self) -> bool:
        """End the current line, if it holds anything."""
        if not self._line():
            return False
        self.blocks.append(self.content)
        self._new_line()
        self.margin = 0
        return True

    def _new_line(self) -> None:
        self.prefix.consumed = False
        self.content = ""
        self.collapsable = True

    def write_newline(self) -> None:
        if not self.flush_inline():
            self.blocks.append("")
            self._new_line()

    def open_block(self, el: "_Element") -> None:
        self.flush_inline()
        self.prefix.register(el.style.padding)
        required = max(el.previous_margin_after, el.style.margin_before)
        if required > self.margin:
            self.blocks.append("\n" * (required - self.margin - 1))
            self.margin = required

    def close_tag(self, el: "_Element") -> None:
        if el.display is _BLOCK:
            self.flush_inline()
            self.prefix.remove_last()
            self.close_block(el)

    def close_block(self, el: "_Element") -> None:
        after = el.style.margin_after
        if after > self.margin:
            self.blocks.append("\n" * (after - self.margin - 1))
            self.margin = after

    def get_text(self) -> str:
        self.flush_inline()
        return "\n".join(self.blocks)


class _Cell(_Canvas):
    """A table cell: its lines, then padded to its column's width and its row's height."""

    __slots__ = ("align", "valign", "lines", "width", "height")

    def __init__(self, align, valign: int) -> None:
        super().__init__()
        self.align = align
        self.valign = valign
        self.lines: list[str] = []
        self.width = 0                  # the column's width, once known
        self.height = 0                 # the row's height, once known

    def normalize(self) -> int:
        """The cell's lines (at least one), and their count."""
        self.flush_inline()
        self.lines = [line for block in self.blocks for line in block.split("\n")] or [""]
        self.width = max(map(len, self.lines))
        return len(self.lines)

    def rendered(self) -> list[str]:
        lines = self.lines
        if self.width == 0 and self.height <= len(lines):
            return lines
        width, align = self.width, self.align
        if align is HorizontalAlignment.left:
            body = [line.ljust(width) for line in lines]
        elif align is HorizontalAlignment.right:
            body = [line.rjust(width) for line in lines]
        else:
            body = [line.center(width) for line in lines]
        spare = self.height - len(lines)
        if not spare:
            return body
        top = spare * self.valign // 2
        empty = " " * width
        return [empty] * top + body + [empty] * (spare - top)


class _Table:
    __slots__ = ("rows",)

    def __init__(self) -> None:
        self.rows: list[list[_Cell]] = []

    def add_cell(self, cell: _Cell) -> None:
        if not self.rows:
            self.rows.append([])
        self.rows[-1].append(cell)

    def get_text(self) -> str:
        """Rows of cells, each column as wide as its widest cell, cells two spaces apart."""
        rows = self.rows
        if not rows:
            return "\n"
        for row in rows:
            height = max(cell.normalize() for cell in row) if row else 0
            for cell in row:
                cell.height = height
        for i in range(max(map(len, rows))):
            column = [row[i] for row in rows if len(row) > i]
            width = max(cell.width for cell in column)
            for cell in column:
                cell.width = width
        return "\n".join("\n".join("  ".join(line) for line in zip(*[cell.rendered() for cell in row]))
                         for row in rows) + "\n"


class _Element:
    """An open element: its style, where it writes, and the margin its parent leaves above it."""

    __slots__ = ("style", "display", "canvas", "previous_margin_after")

    def __init__(self, style, display, canvas, previous_margin_after: int = 0) -> None:
        self.style = style
        self.display = display
        self.canvas = canvas
        self.previous_margin_after = previous_margin_after

    def write(self, text: str | None) -> None:
        if text and self.display is not _NONE:
            self.canvas.write(text)

    def write_verbatim(self, text: str) -> None:
        if not text:
            return
        if self.display is _BLOCK:
            self.canvas.open_block(self)
        self.canvas.write_pre(text)
        if self.display is _BLOCK:
            self.canvas.close_block(self)


class _Renderer:
    def __init__(self) -> None:
        self.canvas = _Canvas()
        body = _Style("body", {})          # the element all text is in before <html> opens
        self.root = _Element(body, body.display, self.canvas)
        self.tables: list[_Table] = []

    def walk(self, node, parent: _Element) -> None:
        tag = node.tag
        if not isinstance(tag, str):
            if tag is etree.Comment and node.tail:
                parent.canvas.write(node.tail)       # (written even where the parent is hidden)
            return
        attrib = node.attrib
        style = _styles.get((tag, attrib.get("style"), attrib.get("align"), attrib.get("valign")) if attrib else tag)
        if style is None:
            style = _style(tag, attrib)
        if parent.display is _NONE:
            el = _Element(style, _NONE, parent.canvas)
        elif style.display is _BLOCK and parent.display is _BLOCK:
            el = _Element(style, _BLOCK, parent.canvas, parent.style.margin_after)
        else:
            el = _Element(style, style.display, parent.canvas)
        tables = self.tables
        # Handlers run for hidden elements too: a table in a hidden element is rendered.
        if tag == "td" or tag == "th":
            if tables:
                cell = el.canvas = _Cell(style.align, style.valign)
                tables[-1].add_cell(cell)
        elif tag == "tr":
            if tables:
                tables[-1].rows.append([])
        elif tag == "table":
            el.canvas = _Canvas()
            tables.append(_Table())
        elif tag == "br":
            el.canvas.write_newline()
        if el.display is _BLOCK:
            el.canvas.open_block(el)
        text = node.text
        if text and el.display is not _NONE:            # (el.write, without its call)
            el.canvas.write(text)
        for child in node:
            self.walk(child, el)
        if tag == "td" or tag == "th":
            if tables:
                el.canvas.close_tag(el)
        elif tag == "table":
            el.canvas.close_tag(el)
            table = tables.pop()
            outside = el.canvas.get_text().strip()      # text in the table but in no cell: before it
            if outside:
                parent.write(outside)
                parent.canvas.write_newline()
            parent.write_verbatim(table.get_text())
            parent.canvas.flush_inline()
            if parent.display is _BLOCK:
                parent.canvas.prefix.remove_last()
        if el.display is _BLOCK:                          # (what close_tag does for no other)
            el.canvas.close_tag(el)
        tail = node.tail
        if tail and parent.display is not _NONE:         # (parent.write, without its call)
            parent.canvas.write(tail)


def render(markup: str) -> str | None:
    """The text inscriptis.get_text(markup, CONFIG) gives, or None where it is left to inscriptis."""
    if not _supported():
        return None
    markup = markup.strip()
    if not markup:
        return ""
    if markup.startswith("<?xml "):
        markup = _XML_DECLARATION.sub("", markup, count=1)
    try:
        # (as lxml.html.document_fromstring parses, inscriptis' way in)
        tree = etree.fromstring(markup, _PARSER)
    except Exception:
        return None             # inscriptis reads it as preformatted text, or fails as it will
    if tree is None:
        return None
    renderer = _Renderer()
    try:
        renderer.walk(tree, renderer.root)
    except Exception:           # _Declined, markup nested too deep, or a style inscriptis fails on:
        return None             # inscriptis renders it, or fails, as it always did
    return renderer.canvas.get_text()
