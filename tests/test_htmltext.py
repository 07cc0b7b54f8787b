"""spaq's own HTML layout gives the text inscriptis gives, or leaves the markup to it.

Every value read from an HTML filing cites a line of the rendered text, so
htmltext.render must give inscriptis' text to the character. It is compared
with inscriptis on the HTML of the test corpora and on markup made up from
the pieces EDGAR filings are built of: blocks with margins and paddings,
tables with aligned cells, text outside cells, hidden parts, comments, line
breaks, entities and blanks of every kind."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inscriptis import get_text

from spaq import corpus, htmltext

FAST = settings(max_examples=400, deadline=None, database=None)
ROOT = Path(__file__).parent.parent


def _inscriptis(markup: str) -> str:
    return get_text(markup, htmltext.CONFIG)


def _html_documents(monkeypatch):
    """The markup of every HTML document of the test corpora, as html_lines is given it."""
    seen = []
    real = corpus.html_lines
    monkeypatch.setattr(corpus, "html_lines", lambda markup: seen.append(markup) or real(markup))
    for folder in (ROOT / "tests" / "data", ROOT / "corpus"):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                corpus.read_documents(path, path.name)
    return seen


def test_the_corpora_html_is_laid_out_as_inscriptis_does(monkeypatch):
    docs = _html_documents(monkeypatch)
    assert len(docs) >= 10
    for markup in docs:
        assert htmltext.render(markup) == _inscriptis(markup), markup[:200]


_OPEN = ["<p>", "<p align=\"right\">", "<p style=\"margin-top:12pt;margin-bottom:6pt\">", "<div>",
         "<div style=\"padding-left:16px\">", "<div style=\"display:none\">", "<span style=\"display:block\">",
         "<h2>", "<center>", "<b>", "<font size=\"2\">", "<i>", "<a href=\"#x\">", "<table>", "<table border=\"1\">",
         "<tbody>", "<tr>", "<tr valign=\"top\">", "<td>", "<td align=\"right\">", "<td align=\"center\">",
         "<td align=\"CENTER\">", "<td valign=\"bottom\">", "<td style=\"margin-top:16px\">", "<th>",
         "<td style=\"display:block\">", "<p style=\"margin-top:-8px\">", "<blockquote>"]
_CLOSE = ["</p>", "</div>", "</span>", "</h2>", "</center>", "</b>", "</font>", "</i>", "</a>", "</table>",
          "</tbody>", "</tr>", "</td>", "</th>", "</blockquote>"]
_TEXT = ["Purchaser", "<table><tr><td>Total</td><td>9</td></tr></table>", "Alder Fund<br>c/o Birch<br>New York", "</td><td valign=\"bottom\">", "1,250,000", "$ 2.50", " ", "  ", "\n", "\t", "&nbsp;", "&#160;", "&amp;", "&amp;amp;",
         "AT&amp;T", "&#8220;Shares&#8221;", "\u2003", "x", "<br>", "<br/>", "<!-- note -->", "<img src=\"a.png\">",
         "<script>var a = 1;</script>", "<style>p {}</style>", "<title>T</title>", "é"]
markup = st.lists(st.sampled_from(_OPEN + _CLOSE + _TEXT), max_size=40).map(
    lambda pieces: "<html><body>" + "".join(pieces) + "</body></html>")


@FAST
@given(markup)
def test_made_up_markup_is_laid_out_as_inscriptis_does(html):
    rendered = htmltext.render(html)
    assert rendered is not None          # nothing here is left to inscriptis
    assert rendered == _inscriptis(html)


# Structures the made-up markup seldom builds, each once.
@pytest.mark.parametrize("html", [
    '<div style="padding-left:16px">x<table><tr><td>a</td></tr></table><table><tr><td>b</td></tr></table>after</div>',
    "<table><tr><td>outer<table><tr><td>inner</td><td>2</td></tr></table></td><td>9</td></tr></table>",
    '<div style="display:none">hidden<table><tr><td>shown</td></tr></table><br>tail</div>after',
    "<p>before<table><tr><td>in</td></tr></table>after</p>",
    "<table>loose text<tr>more<td>cell</td></tr></table>",
    '<table><tr><td style="display:block">a</td><td>b<br>c</td></tr></table>',
    '<table><tr><td valign="top">a</td><td valign="bottom">b</td><td>c</td><td>1<br>2<br>3<br>4</td></tr></table>',
    '<table><tr><td align="right">1</td><td align="center">2</td></tr><tr><td>1,000,000</td><td>$ 25,000</td></tr></table>',
    "<table></table>x<table><tr></tr><tr><td></td></tr></table>",
    "<table><tr><td>a</td></tr><tr><td>b</td><td>c</td><td>d</td></tr><tr></tr></table>",
    "<td>no table</td><tr>x</tr>",
    '<div style="display:none"><!-- c -->shown?</div><p style="margin-bottom:40px">m</p><p>n</p>',
    "<p><p><p>x</p></p></p><div><div>y</div></div>",
])
def test_built_structures_are_laid_out_as_inscriptis_does(html):
    html = f"<html><body>{html}</body></html>"
    assert htmltext.render(html) == _inscriptis(html)


@pytest.mark.parametrize("html", [
    "<ul><li>one</li><li>two</li></ul>",
    "<ol><li>one</li></ol>",
    "<pre>  kept   as is</pre>",
    "<p>He said <q>yes</q>.</p>",
    "<div style=\"white-space:pre\">a   b</div>",
])
def test_what_it_does_not_lay_out_is_left_to_inscriptis(html):
    assert htmltext.render(f"<html><body>{html}</body></html>") is None


def test_html_lines_reads_lists_through_inscriptis():
    html = "<html><body><p>The Purchasers:</p><ul><li>Alder Fund</li><li>Birch LP</li></ul></body></html>"
    lines, _ = corpus.html_lines(html)
    assert lines == _inscriptis(html).splitlines()


# What _stripped turns into blanks, or could: tags, hidden parts (closed or not), entities of blanks.
_STRIPPED_PIECES = ["a", "word", " ", "\n", "\t", "<p>", "</p>", "<br>", "<td>", "<b>", "<", ">", "&", ";",
                    "&nbsp;", "&#32;", "&#x20;", "&#10;", "&ThickSpace;", "&amp;", "&#11;", "&nbsp", "<!--", "-->",
                    "<script>", "</script>", "<style x>", "</style >", "<div\nclass=x>", "\u2003", "\xa0"]


@FAST
@given(st.lists(st.sampled_from(_STRIPPED_PIECES), max_size=40).map("".join))
def test_most_words_is_never_fewer_than_the_stripped_words(markup):
    assert corpus._most_words(markup) >= len(corpus._stripped(markup).split())


def test_the_version_read_beside_inscriptis_is_the_installed_one():
    """`_inscriptis_version` reads the .dist-info folder's name (importlib.metadata costs a
    cold build 30-100 ms of imports); it agrees with importlib.metadata."""
    from importlib import metadata
    assert htmltext._inscriptis_version() == metadata.version("inscriptis")
