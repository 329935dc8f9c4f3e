"""Names a language reads other than their bytes. Python (core/python_text.py,
sources/disguised.py): a skip spelled in fullwidth letters, a module that imports pytest so
spelled, a ``coding: utf-7`` cookie. Java: Unicode escapes, read before anything else. Every
search that prunes reads bytes; the gate and the listing must not pass over them (real git, the
real CLI; the oracle corpora hold them against real pytest, jest and Surefire)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from guards.core.java_text import translated
from guards.core.python_text import view
from testing.git_repo import GitRepo, guards_cli, pr_repo

FW_PYTEST = "".join(chr(ord(c) + 0xFEE0) for c in "pytest")  # fullwidth letters, U+FF50...
FW_SKIP = "".join(chr(ord(c) + 0xFEE0) for c in "skip")
USER = "import helpers\n\n\ndef test_uses():\n    helpers.needs()\n"
PLAIN_HELPER = "def needs():\n    return 1\n"
FULLWIDTH_HELPER = f"import {FW_PYTEST}\n\n\ndef needs():\n    {FW_PYTEST}.skip('no')\n"
# "pytest" and "skip" in UTF-7: +AHA- is "p", +AHM- is "s"
UTF7_HELPER = "# coding: utf-7\nimport +AHA-ytest\n\n\ndef needs():\n    +AHA-ytest.+AHM-kip(0)\n"
LINES = re.compile(rb"\r\n|\r|\n")


def gate(repo: Path, base: str, head: str) -> tuple[int, str]:
    args = ("run", "--repo", str(repo), "--base", base, "--head", head, "--only", "skip-set")
    result = guards_cli(*args)
    return result.code, result.stdout


def test_a_helper_that_skips_through_a_fullwidth_pytest_fails_the_gate(tmp_path: Path) -> None:
    base = {"helpers.py": PLAIN_HELPER, "test_user.py": USER}
    _, b, h = pr_repo(tmp_path, base, {"helpers.py": FULLWIDTH_HELPER})
    code, out = gate(tmp_path, b, h)
    assert code == 1, out
    assert "test_user.py::test_uses is newly skipped (needs() uses pytest.skip()" in out


def test_a_new_test_using_an_unchanged_disguised_helper_fails_the_gate(tmp_path: Path) -> None:
    """The helper is at base already: the base side's search for such files finds it."""
    base = {"helpers.py": UTF7_HELPER, "test_other.py": "def test_other():\n    pass\n"}
    _, b, h = pr_repo(tmp_path, base, {"test_user.py": USER})
    code, out = gate(tmp_path, b, h)
    assert code == 1, out
    assert "test_user.py::test_uses is a new test born skipped (needs() uses pytest.skip()" in out


def test_the_listing_sees_disguised_skips_cold_and_from_the_cache(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    body = f"import pytest\n\n\ndef test_body():\n    pytest.{FW_SKIP}('x')\n"
    repo.write({"helpers.py": FULLWIDTH_HELPER, "test_user.py": USER, "test_body.py": body})
    repo.commit("c")
    runs = [guards_cli("skips", "list", "--repo", str(tmp_path)) for _ in range(2)]
    for run in runs:
        assert run.code == 0, run.stderr
        assert "test_user.py::test_uses  [runtime-skip]" in run.stdout
        assert "test_body.py::test_body  [runtime-skip]" in run.stdout
    assert runs[0].stdout == runs[1].stdout


def test_plain_ascii_is_read_as_it_is() -> None:
    data = b"import pytest\n\ndef test_a():\n    pytest.skip('x')\n"
    assert view(data) is data


def test_fullwidth_names_a_cookie_and_a_bom_are_read_as_python_reads_them() -> None:
    assert view(f"{FW_PYTEST}.{FW_SKIP}()\n".encode()) == b"pytest.skip()\n"
    assert b"pytest.skip(" in view(UTF7_HELPER.encode())
    assert view(b"\xef\xbb\xbfx = 1\n") == b"x = 1\n"


def test_bytes_python_cannot_decode_are_left_as_they_are() -> None:
    for data in (b"x = '\xff'\n", b"# coding: no-such-codec\nx = 1\n"):
        assert view(data) == data


@given(st.text(alphabet=st.sampled_from(["a", "\uff53", "\r", "\n", "\f", "\u2028", "\xb2"])))
def test_the_view_keeps_every_line_where_the_parser_counts_it(text: str) -> None:
    data = text.encode()
    assert len(LINES.split(view(data))) == len(LINES.split(data))


COMPOSING = ["e", "\u0301", "\u0323", "\u1100", "\u1161", "\u11a8", "\u212b", "\ufb01"]


@given(st.text(alphabet=st.sampled_from([*COMPOSING, "\r", "\n", "\f", "\u2028", "\xb2"])))
def test_the_view_is_each_line_normalized_whether_or_not_the_whole_is(text: str) -> None:
    """A file already in NFKC is its own view (no line is normalized): the same text as
    normalizing line by line, combining marks and Hangul jamo on either side of a break too."""
    lines = LINES.split(text.encode())
    expected = [unicodedata.normalize("NFKC", line.decode()).encode() for line in lines]
    assert LINES.split(view(text.encode())) == expected


def test_java_unicode_escapes_are_read_as_javac_reads_them() -> None:
    """A backslash begins an escape only after an even run of backslashes; an escape that
    spells a backslash begins none (the Java corpus's EscapedTest runs them through Surefire)."""
    assert translated(rb"@\u0044isabled") == b"@Disabled"
    assert translated(rb"// x \u000a @Disabled") == b"// x \n @Disabled"
    assert translated(rb"\\u0041 \\\u0041 \uuu0042 \u005cu0041") == rb"\\u0041 \\A B \u0041"
    assert translated(b"plain") == b"plain"
