"""Bytes parse as Python once per process (guards/core/pysyntax.py): the skip-set's analysis notes
what it parsed, and the suppressions guard does not parse a file without a suppression hint again
only to learn that it parses. What a parse would answer must not change: a file that does not
parse is still exit 2, with or without the analysis having seen it."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guards.checks.suppressions import extract
from guards.collect.python.collector import Collector, Request
from guards.collect.python.sources.revision import Revision
from guards.core import pysyntax
from guards.core.git import Git
from guards.errors import GuardsError
from testing.git_repo import ScratchRepo, guards_cli, pr_repo

NEVER = re.compile("x^").search


def _refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any parse pysyntax would make is an AssertionError: the cheap one is asked first."""

    def refused(*_args: object, **_kw: object) -> bool:
        raise AssertionError("parsed again")

    monkeypatch.setattr(pysyntax, "_parses", refused)


@pytest.mark.parametrize(
    ("data", "wrong"),
    [
        (b"x = 1\n", None),
        (b"def f(:\n    pass\n", "line 1"),
        (b"x = 1\n\tif y:\n", "line 2"),
        (b"x = (" * 300 + b"1" + b")" * 300 + b"\n", "parenthes"),
        (b"# -*- coding: latin-1 -*-\nx = '\xe9'\n", None),  # as Python imports it: latin-1
        (b"x = '\xe9'\n", "line 1"),  # no declaration: UTF-8, and this is not UTF-8
        (b"x = 1\0\n", "null"),
        # The parser takes these; a symbol table or the compiler would not: they parse.
        (b"nonlocal x\n", None),
        (b"def f(a, a):\n    pass\n", None),
        (b"return 1\n", None),
        (b"yield x\n", None),
        (b"x = '\\d'\n", None),  # an invalid escape: a warning, not an error
    ],
)
def test_a_parse_answers_what_ast_parse_answers(data: bytes, wrong: str | None) -> None:
    found = pysyntax.problem(data)
    if wrong is None:
        assert found is None
    else:
        assert found is not None and wrong in found.lower()


PIECES = [
    "x",
    " ",
    "\n",
    "    ",
    "(",
    ")",
    ":",
    "=",
    "1",
    "def f",
    "return",
    "nonlocal y",
    "yield",
    "global x",
    "lambda",
    "'",
    "#",
    "\\",
    "class C",
    "async ",
    "await",
    "*",
    ",",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24))
def test_a_file_parses_exactly_when_ast_parse_takes_it(pieces: list[str]) -> None:
    data = "".join(pieces).encode()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # an invalid escape: a warning of the oracle's parse
            ast.parse(data)
        parses = True
    except (SyntaxError, ValueError):
        parses = False
    assert (pysyntax.problem(data) is None) == parses


def test_the_analysis_of_a_revision_spares_the_suppressions_a_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = b"import pytest\n\n\ndef test_only_here_3141():\n    pytest.skip('why')\n"
    scratch = ScratchRepo(tmp_path / "repo")
    scratch.write({"tests/test_a.py": source.decode(), "lib/helper_9265.py": "X = 1\n"})
    git = Git(str(scratch.path))
    rev = Revision(git, scratch.commit())
    rev.analyze_many(["tests/test_a.py", "lib/helper_9265.py"])
    _refuse_to_parse(monkeypatch)
    assert extract.suppressions("tests/test_a.py", source, NEVER) == []
    assert extract.suppressions("lib/helper_9265.py", b"X = 1\n", NEVER) == []
    with pytest.raises(AssertionError, match="parsed again"):
        extract.suppressions("lib/other.py", b"Y = 2  # 5358\n", NEVER)


def test_the_collector_spares_the_suppressions_a_parse_of_the_tests_it_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = b"import pytest\n\n\ndef test_collected_2718():\n    pytest.skip('why')\n"
    scratch = ScratchRepo(tmp_path / "repo")
    scratch.write({"tests/test_b.py": source.decode()})
    rev = Revision(Git(str(scratch.path)), scratch.commit())
    found = Collector(rev).collect(Request(("tests/test_b.py",), defs=True))
    assert [t.nodeid for t in found["tests/test_b.py"].tests] == [
        "tests/test_b.py::test_collected_2718"
    ]
    _refuse_to_parse(monkeypatch)
    assert extract.suppressions("tests/test_b.py", source, NEVER) == []


def test_bytes_nobody_parsed_are_parsed_and_a_syntax_error_is_exit_2() -> None:
    with pytest.raises(GuardsError, match=r"cannot parse Python .*line 2.*fix the syntax"):
        extract.suppressions("a.py", b"x = 1\ndef (:\n", NEVER)
    assert extract.suppressions("b.py", b"x = 2  # 8979 no hint\n", NEVER) == []


def test_past_its_bound_nothing_more_is_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pysyntax, "MAX_NOTED", 0)
    monkeypatch.setattr(pysyntax, "_noted", set())
    assert pysyntax.problem(b"z = 7727\n") is None
    assert pysyntax._noted == set()


def test_a_guards_run_on_a_file_that_does_not_parse_is_exit_2(tmp_path: Path) -> None:
    """The whole path in a real process: the skip-set reads the broken module too (and cannot
    note it), and the suppressions guard parses it and fails closed."""
    repo, base, head = pr_repo(
        tmp_path / "repo", {"lib/ok.py": "X = 1\n"}, {"lib/ok.py": "X = 1\ndef broken(:\n"}
    )
    found = guards_cli("run", "--repo", str(repo.path), "--base", base, "--head", head)
    assert found.code == 2, found.stdout + found.stderr
    assert "lib/ok.py: cannot parse Python" in found.stdout + found.stderr
