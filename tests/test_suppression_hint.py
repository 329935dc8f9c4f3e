"""suppressions reads a Python file's comments only when one can hold a form (extract.PY_HINT).

The hint is sound only if every Python form needs one of ``PY_WORDS``: each form's pattern is
held to it here, and a file with a form is still found while one without is parsed only.
"""

from __future__ import annotations

import re

import pytest

from guards.checks.suppressions import extract, forms
from guards.errors import GuardsError

NEVER = re.compile("x^").search


@pytest.mark.parametrize("form", forms.PYTHON, ids=lambda f: f.tool)
def test_every_python_form_spells_a_hint_word(form: forms.Form) -> None:
    source = form.pattern.pattern.lower()
    assert any(word in source for word in extract.PY_WORDS), form.tool


# The directives after "#", kept apart from it so this file holds no suppression itself.
DIRECTIVES = (
    "noqa: E501", "type: ignore[attr]", "pylint: disable=all", "pragma: no cover", "fmt: off",
    "mypy: ignore-errors", "NOSEC",
)  # fmt: skip # -- packed lists read better than one item a line


@pytest.mark.parametrize("directive", DIRECTIVES)
def test_a_file_with_a_form_is_read(directive: str) -> None:
    line = "x = 1  " + "#" + " " + directive
    found = extract.suppressions("a.py", f"import os\n{line}\n".encode(), NEVER)
    assert found and found[0].line == 2


def test_a_file_without_a_form_holds_none_and_must_still_parse() -> None:
    assert extract.suppressions("a.py", b"# a comment\nx = 1  # ok\n", NEVER) == []
    with pytest.raises(GuardsError, match="cannot parse"):
        extract.suppressions("a.py", b"def f(:\n    pass\n", NEVER)


NOQA = "#" + " noqa"  # kept apart, as DIRECTIVES are


@pytest.mark.parametrize(
    ("source", "line"),
    [
        (b"# coding: utf-7\nimport os  # +AG4-oqa\n", 2),  # +AG4- is "n": flake8 reads "noqa"
        (f"\ufeffimport os  {NOQA}\n".encode(), 1),  # a BOM is no part of the text
        (f"# -*- coding: latin-1 -*-\nN = 'é'\nimport os  {NOQA}\n".encode("latin-1"), 3),
    ],
    ids=["utf-7", "bom", "latin-1"],
)
def test_a_file_is_read_as_its_cookie_decodes_it(source: bytes, line: int) -> None:
    """The comments are what Python and its linters read: the bytes decoded by the cookie."""
    found = extract.suppressions("a.py", source, NEVER)
    assert [(s.line, s.tool) for s in found] == [(line, "noqa")]


def test_bytes_the_cookie_cannot_decode_are_an_error() -> None:
    with pytest.raises(GuardsError, match="not text Python can decode"):
        extract.suppressions("a.py", f"# coding: ascii\nN = 'é'  {NOQA}\n".encode(), NEVER)
