"""Python comments without the tokenizer (guards/checks/suppressions/pycomments.py): the lines a
hint names, less the ``#`` inside string literals the parse found. The answer must be what
Python's own tokenizer says, so the tokenizer is the oracle: on every Python file of this
repository (thousands of strings holding ``#``), on generated sources that put ``#`` in every
kind of literal, and on the forms that trap a line reader (a decorator's string above its
``def``, one literal of parts on several lines with comments between them, ``\\r`` line
breaks; on Python 3.12 and later, a comment inside an f-string's replacement field)."""

from __future__ import annotations

import io
import re
import sys
import tokenize
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guards.checks.suppressions import pycomments
from guards.errors import GuardsError

ROOT = Path(__file__).resolve().parent.parent
EVERY = re.compile(r"#")  # a hint every comment meets: every comment must be found
HASH = "#"  # spelled apart: the project's own suppression check reads this file


def _oracle(text: str, hint: re.Pattern[str] = EVERY) -> list[tuple[int, str]]:
    """The tokenizer's comments on HINT's lines; line breaks as the parser counts them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    toks = tokenize.generate_tokens(io.StringIO(text).readline)
    comments = [t for t in toks if t.type == tokenize.COMMENT]
    return [(t.start[0], t.string) for t in comments if hint.search(t.string)]


def _read(text: str, hint: re.Pattern[str] = EVERY) -> list[tuple[int, str]]:
    return [(c.line, c.text) for c in pycomments.comments(text, "a.py", hint)]


def _python_files() -> list[Path]:
    folders = ("guards", "tests", "testing", "benchmarks")
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py"))


def test_every_file_of_this_repository_reads_as_the_tokenizer_reads_it() -> None:
    files = _python_files()
    assert len(files) > 300
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _read(text) == _oracle(text), path


PIECES = [
    f"x = 1  {HASH} noqa: E501\n",
    f"s = 'a {HASH} noqa'  {HASH} pragma: no cover\n",
    f's = "{HASH}" + "{HASH}"\n',
    f"t = '''\n{HASH} noqa in a literal\n'''\n",
    f"b = rb'\\{HASH}'  {HASH} type: ignore\n",
    f"f = f'{{x}} {HASH} {{y!r:>4}}'  {HASH} nosec\n",
    f"g = f'''{{x}}\n{HASH} pylint: disable\n'''\n",
    f"@dec('{HASH} noqa')\ndef h(a='{HASH}'):  {HASH} fmt: skip\n    return a\n",
    f"call(\n    1,  {HASH} noqa\n    '{HASH}',\n)\n",
    f"if x:  {HASH} mypy: ignore\n    y = ('{HASH}'\n         '{HASH}')  {HASH} yapf: disable\n",
    f"class K:\n    '''{HASH} doc'''\n    z: 'int {HASH} noqa' = 1  {HASH} noqa\n",
    f"{HASH} a comment alone\n",
    "\n",
    f"w = 'é {HASH}'  {HASH} é noqa\n",
    f"v = x[1:2]  {HASH}{HASH} double\n",
    f"j = ('p'  {HASH} noqa between\n     'q')\n",
    f"k = ('{HASH}' \\\n     f'{HASH}{{r}}'  {HASH} pragma: x\n     'z')\n",
]
if sys.version_info >= (3, 12):  # PEP 701: comments inside a replacement field
    PIECES += [
        f"m = f'{{\n  n  {HASH} noqa\n=}}'\n",
        f"o = f'''{{p\n  {HASH} noqa\n}}'''\n",
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12), st.sampled_from(["\n", "\r\n", "\r"]))
def test_generated_sources_read_as_the_tokenizer_reads_them(pieces: list[str], eol: str) -> None:
    text = "".join(pieces).replace("\n", eol)
    assert _read(text) == _oracle(text)


def test_only_hinted_lines_are_read() -> None:
    text = f"a = 1  {HASH} plain\nb = '{HASH} noqa'  {HASH} NOQA\n"
    hint = re.compile(rf"{HASH}[^\r\n]*noqa", re.I)
    assert _read(text, hint) == [(2, f"{HASH} NOQA")] == _oracle(text, hint)


def test_a_string_in_a_decorator_above_its_def_is_no_comment() -> None:
    text = f"@mark('x  {HASH} noqa')\ndef f():\n    pass\n"
    assert _read(text) == [] == _oracle(text)


def test_comments_between_the_lines_of_one_literal_are_read() -> None:
    text = f"x = (\n    'a'  {HASH} noqa one\n    'b'  {HASH} noqa two\n    f'{{c}}'\n)\n"
    assert _read(text) == [(2, f"{HASH} noqa one"), (3, f"{HASH} noqa two")] == _oracle(text)


def test_a_file_that_does_not_parse_is_an_error_naming_it() -> None:
    with pytest.raises(GuardsError, match=r"a\.py: cannot parse"):
        _read("def f(:\n")
    with pytest.raises(GuardsError, match=r"a\.py: cannot parse"):
        _read("x = 1\0\n")
