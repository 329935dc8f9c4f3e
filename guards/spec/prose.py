"""Markdown -> the prose a reader sees, in segments with their source lines (markdown-it-py).

Code spans, fenced and indented code, HTML comments (and script/style), image alt text, link
destinations, autolinks and link reference definitions are not prose: a citation there does
not count. Where such a thing is cut out, ``SEP`` stands in its place, so the text on either
side never joins into a citation that no reader sees. Comments and code also come back as
``hidden`` segments, so a finding can say "a citation inside an HTML comment does not count".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

from guards.errors import GuardsError

# GitHub caps a PR body at 65,536 characters; twice that is more than any real PR needs, and
# keeps markdown-it's worst case (deeply nested brackets) to a couple of seconds.
MAX_CHARS = 131_072
SEP = "\x00"
COMMENT, CODE = "an HTML comment", "code"
_MD = MarkdownIt("commonmark")
_HIDDEN_TAGS = frozenset({"script", "style", "template"})
_BREAKS = frozenset({"softbreak", "hardbreak"})


class TextTooLarge(GuardsError):
    """The text is larger than guards will parse (it fails closed: exit 2)."""


@dataclass(frozen=True)
class Segment:
    """Text of one block; LINE is its first source line (None in a title). HIDDEN says why a
    reader does not see it as prose (empty for prose)."""

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
    return [seg for tok in _MD.parse(markdown) for seg in _block(tok) if seg.text]


def title_segments(title: str, limit: int = MAX_CHARS) -> list[Segment]:
    """A PR title is one line of inline markdown (code spans render in titles)."""
    check_size(title, "PR title", limit)
    toks = _MD.parseInline(title)
    return [seg for tok in toks for seg in _inline(tok.children or (), None) if seg.text]


def _block(tok: Token) -> Iterator[Segment]:
    line = tok.map[0] + 1 if tok.map else None
    if tok.type == "inline":
        yield from _inline(tok.children or (), line)
    elif tok.type == "html_block":
        yield from _html(tok.content, line)
    elif tok.type in ("fence", "code_block"):
        yield Segment(code_block_text(tok) or "", line)
        yield Segment(tok.content, line, CODE)


def code_block_text(tok: Token) -> str | None:
    """Fenced and indented code is not prose."""
    return None


def code_span_text(tok: Token) -> str:
    """An inline code span is not prose."""
    return SEP


def _inline(children: Sequence[Token], line: int | None) -> Iterator[Segment]:
    visible: list[str] = []
    in_autolink = False
    for child in children:
        if child.type == "link_open" and child.markup == "autolink":
            in_autolink = True
        elif child.type == "link_close":
            in_autolink = False
        visible.append(SEP if in_autolink else _child_text(child))
        if child.type == "code_inline":
            yield Segment(child.content, line, CODE)
        elif child.type == "html_inline":
            yield from (Segment(c, line, COMMENT) for c in _Visible.parse(child.content).comments)
    yield Segment("".join(visible), line)


def _child_text(child: Token) -> str:
    if child.type == "text":
        return child.content
    if child.type in _BREAKS:
        return "\n"
    if child.type == "code_inline":
        return code_span_text(child)
    if child.type == "html_inline":
        return html_text(child.content)
    return SEP if child.type == "image" else ""


def _html(content: str, line: int | None) -> Iterator[Segment]:
    yield Segment(html_text(content), line)
    yield from (Segment(c, line, COMMENT) for c in _Visible.parse(content).comments)


def html_text(content: str) -> str:
    """Visible text of raw HTML; an unfinished comment or tag at the end stays hidden."""
    return "".join(_Visible.parse(content).parts) + SEP


class _Visible(HTMLParser):
    """Collects the text an HTML fragment shows; comments and script/style stay hidden."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = [SEP]
        self.comments: list[str] = []
        self.hidden = 0

    @classmethod
    def parse(cls, content: str) -> _Visible:
        parser = cls()
        parser.feed(content)
        rest = parser.rawdata.lstrip()
        if rest.startswith("<!--"):
            parser.comments.append(rest[4:])
        elif not rest.startswith("<"):
            parser.close()
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(SEP)
        self.hidden += tag in _HIDDEN_TAGS

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(SEP)
        if tag in _HIDDEN_TAGS and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)
