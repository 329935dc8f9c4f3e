"""Markdown -> the text GitHub shows, in segments with their source lines.

The PR text is rendered the way GitHub renders it: GitHub's own cmark-gfm (the ``cmarkgfm``
bindings) with the GFM extensions (tables, strikethrough, autolinks, task lists, the tag
filter) and footnotes, raw HTML passed through. The HTML is then read by a real HTML5 parser
(html5lib), as a browser and GitHub's sanitizer read it, and its text is collected, except:
comments; elements whose content GitHub's sanitizer drops or a browser does not show
(``DROPPED``: script, style, template, iframe, ...); code (``<code>``, ``<pre>``: code spans,
fences, indented code); autolinked addresses; attributes (image alt text, link destinations).
Where such a thing is cut out, ``SEP`` stands in its place (a comment leaves nothing, as on
the page), so the text on either side never joins into a citation no reader sees. Comments and
code also come back as ``hidden`` segments, for the message "a citation in a comment does not
count". A block element's text is one segment; its line is cmark's ``data-sourcepos``.

The traps, all decided by the two parsers and not by rules here: ``<!-- a -- > §4.2 -->`` is
one comment (``-- >`` does not close it); a comment opened inside an HTML block runs on past
the block's end; a footnote that cites is shown; ``<script>`` is escaped by the tag filter and
shown as text. Cost is bounded before any work: ``MAX_CHARS`` of markdown, ``MAX_HTML`` of
rendered HTML, and at most ``MAX_DEPTH`` open elements in the HTML parser (html5lib is
quadratic in nesting depth); beyond them the run stops with exit 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import cmarkgfm
import html5lib
from cmarkgfm.cmark import Options

from guards.core.records import record
from guards.errors import GuardsError

# GitHub caps a PR body at 65,536 characters; twice that is more than any real PR needs.
MAX_CHARS = 131_072
MAX_HTML = 2 * 1024 * 1024  # a table of 128 KiB renders to about 1.8 MB; html5lib reads ~1 MB/s
MAX_DEPTH = 256  # open elements (and active formatting elements) in the HTML parser
MAX_LOCATE = 1_000  # searches for the line of text cmark gives no position
SEP = "\x00"  # cmark and html5lib both replace NUL, so it never occurs in rendered text
COMMENT, CODE = "an HTML comment", "code"
EXTENSIONS = ("table", "strikethrough", "autolink", "tagfilter", "tasklist")
OPTIONS = (
    Options.CMARK_OPT_SOURCEPOS
    | Options.CMARK_OPT_UNSAFE
    | Options.CMARK_OPT_FOOTNOTES
    | Options.CMARK_OPT_GITHUB_PRE_LANG
)
DROPPED = frozenset(
    {
        "script", "style", "template", "iframe", "noembed", "noframes", "noscript",
        "plaintext", "xmp", "title", "textarea", "svg", "math", "select", "object",
        "embed", "applet", "canvas", "audio", "video", "head",
    }
)  # fmt: skip # -- one entry per kind of element reads better packed
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
CODE_TAGS = frozenset({"code", "pre"})
BLOCKS = frozenset(
    {
        "p", "li", "ul", "ol", "blockquote", "div", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "section",
        "details", "summary", "dl", "dt", "dd", "hr", "br", "figure", "figcaption",
        "article", "aside", "header", "footer", "nav", "main", "address", "center",
        "fieldset", "legend", "img", "input",
    }
)  # fmt: skip # -- one entry per kind of element reads better packed


class TextTooLarge(GuardsError):
    """The text is larger or deeper than guards will parse (it fails closed: exit 2)."""


@record
class Segment:
    """Text of one block; LINE is its first source line (None in a title, or where cmark
    gives none: raw HTML). HIDDEN says why a reader does not see it (empty for shown text)."""

    text: str
    line: int | None = None
    hidden: str = ""


def check_size(text: str, what: str, limit: int = MAX_CHARS) -> None:
    if len(text) > limit:
        raise TextTooLarge(
            f"the {what} has {len(text):,} characters, more than the {limit:,} guards reads "
            "(GitHub allows 65,536); shorten it"
        )


def body_segments(markdown: str, limit: int = MAX_CHARS) -> list[Segment]:
    """The segments of a markdown document (a PR body), block by block."""
    check_size(markdown, "PR body", limit)
    return list(located(markdown, segments(parse_html(render(markdown), "PR body"))))


def title_segments(title: str, limit: int = MAX_CHARS) -> list[Segment]:
    """A PR title is one line: rendered as inline text (leading spaces are not code)."""
    check_size(title, "PR title", limit)
    tree = parse_html(render(" ".join(title.split())), "PR title")
    return [Segment(s.text, None, s.hidden) for s in segments(tree)]


def located(markdown: str, found: Iterator[Segment]) -> Iterator[Segment]:
    """Lines for segments cmark gives none (raw HTML blocks pass through without
    ``data-sourcepos``): the line where the segment's text next occurs in the source, searched
    forward from the last one found (segments come in document order), at most
    ``MAX_LOCATE`` searches, so the cost stays linear."""
    cursor, line, tries = 0, 1, 0
    for seg in found:
        needle = next((p.strip() for p in seg.text.split(SEP) if p.strip()), "")
        needle = needle.partition("\n")[0][:200]
        if seg.line is not None or not needle or tries >= MAX_LOCATE:
            yield seg
            continue
        tries += 1
        at = markdown.find(needle, cursor)
        if at < 0:
            yield seg
            continue
        cursor, line = at, line + markdown.count("\n", cursor, at)
        yield Segment(seg.text, line, seg.hidden)


def render(markdown: str) -> str:
    """The HTML cmark-gfm makes of MARKDOWN, as GitHub renders it (before sanitizing)."""
    html: str = cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=OPTIONS, extensions=list(EXTENSIONS)
    )
    return html


def parse_html(html: str, what: str) -> ElementTree.Element:
    """The HTML5 tree of HTML; too large or too deeply nested is exit 2."""
    if len(html) > MAX_HTML:
        raise TextTooLarge(
            f"the {what} renders to {len(html):,} characters of HTML, more than the "
            f"{MAX_HTML:,} guards reads; shorten it"
        )
    parser = html5lib.HTMLParser(tree=_BoundedTree, namespaceHTMLElements=False)
    try:
        tree: ElementTree.Element = parser.parseFragment(html)
    except _TooDeep as exc:
        raise TextTooLarge(
            f"the {what} nests HTML more than {MAX_DEPTH} elements deep; flatten it"
        ) from exc
    return tree


class _TooDeep(Exception):
    pass


_ETree: Any = html5lib.treebuilders.getTreeBuilder("etree")


class _BoundedTree(_ETree):  # type: ignore[misc]  # -- html5lib's tree builders are untyped
    """html5lib's etree builder that refuses a stack deeper than MAX_DEPTH (its scope checks
    walk the stack, so depth makes them quadratic)."""

    def insertElementNormal(self, token: Any) -> Any:
        self._bound()
        return super().insertElementNormal(token)

    def insertElementTable(self, token: Any) -> Any:
        self._bound()
        return super().insertElementTable(token)

    def _bound(self) -> None:
        if max(len(self.openElements), len(self.activeFormattingElements)) > MAX_DEPTH:
            raise _TooDeep


def comment_shown(text: str) -> str:
    """What a comment adds to the text a reader sees: nothing."""
    return ""


def code_shown(text: str) -> str:
    """What code adds to the prose: a separator (a citation in code does not count)."""
    return SEP


def is_autolink(element: ElementTree.Element) -> bool:
    """A link whose text is its own address (``<https://...>``, ``www.x.com/...``)."""
    href = element.get("href") or ""
    text = "".join(element.itertext())
    return bool(text) and _unquote(href) in (text, "http://" + text, "mailto:" + text)


def _unquote(href: str) -> str:
    """Percent-decoding of an address (cmark escapes non-ASCII as UTF-8 bytes)."""
    try:
        return _PERCENT.sub(lambda m: chr(int(m.group(1), 16)), href).encode("latin-1").decode()
    except (UnicodeEncodeError, UnicodeDecodeError):
        return href


def segments(root: ElementTree.Element) -> Iterator[Segment]:
    walk = _Walk()
    todo: list[ElementTree.Element | str | _Exit] = [root]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            walk.parts.append(item)
        elif isinstance(item, _Exit):
            walk.leave(item.element)
        elif walk.enter(item):
            todo.append(_Exit(item))
            for child in reversed(item):
                todo.extend(([child.tail] if child.tail else []) + [child])
            todo.extend([item.text] if item.text else [])
    walk.flush()
    yield from (s for s in walk.out if s.text.strip(SEP + " \t\r\n"))


@record
class _Exit:
    element: ElementTree.Element


class _Walk:
    """The state of one walk over the tree: the open segment and the lines of open blocks."""

    def __init__(self) -> None:
        self.out: list[Segment] = []
        self.parts: list[str] = []
        self.lines: list[int | None] = [None]

    def enter(self, element: ElementTree.Element) -> bool:
        """Take ELEMENT in; True when its content is to be walked."""
        tag, line = element.tag, self.lines[-1]
        if not isinstance(tag, str):  # a comment (or a processing instruction)
            self.parts.append(comment_shown(element.text or ""))
            self.out.append(Segment(element.text or "", line, COMMENT))
            return False
        if tag in CODE_TAGS:
            code = "".join(element.itertext())
            self.parts.append(code_shown(code))
            self.out.append(Segment(code, line, CODE))
            return False
        if tag in DROPPED or (tag == "a" and is_autolink(element)):
            self.parts.append(SEP)
            return False
        if tag in BLOCKS:
            self.flush()
            self.lines.append(_line(element) or line)
        else:
            self.parts.append("")
        return True

    def leave(self, element: ElementTree.Element) -> None:
        if element.tag in BLOCKS:
            self.flush()
            self.lines.pop()

    def flush(self) -> None:
        if self.parts:
            self.out.append(Segment("".join(self.parts), self.lines[-1]))
        self.parts = []


def _line(element: ElementTree.Element) -> int | None:
    start = (element.get("data-sourcepos") or "").partition(":")[0]
    return int(start) if start.isascii() and start.isdigit() and len(start) < 8 else None
