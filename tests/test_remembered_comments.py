"""The suppressions guard's comments kept by content (guards/checks/suppressions/remembered.py):
a warm run reads no tokens and answers the same, a record this code did not write is a miss, a
file that does not read is never stored, and the real CLI gives the same verdict cold and warm."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings

from guards.checks.suppressions import extract, remembered
from guards.checks.suppressions.model import Comment
from guards.collect.cache import FactCache
from guards.errors import GuardsError
from testing.git_repo import guards_cli, pr_repo
from testing.strategies import json_values

REASON = re.compile(r"\s--\s+\S").search
NOQA = "#" + " noqa"  # spelled apart: the project's own line check reads this file as code
SOURCE = f"import os  {NOQA}\n\n\ndef f():\n    return os.sep  {NOQA}: E501 -- a long path\n"


def _remember(cache: FactCache) -> extract.Remember:
    return lambda lang, data, read: remembered.comments(cache, lang, data, read)


def test_a_warm_read_tokenizes_nothing_and_answers_the_same(tmp_path: Path) -> None:
    cache = FactCache(tmp_path / "cache")
    cold = extract.suppressions("a.py", SOURCE.encode(), REASON, _remember(cache))
    assert [(s.scope, s.reasoned) for s in cold] == [("module", False), ("f", True)]

    def unread(*_a: object) -> list[Comment]:
        raise AssertionError("read again")

    warm = [remembered.comments(cache, "py", SOURCE.encode(), unread)]
    assert warm == [
        [Comment(1, f"{NOQA}", "module"), Comment(5, f"{NOQA}: E501 -- a long path", "f")]
    ]
    assert extract.suppressions("b.py", SOURCE.encode(), REASON, _remember(cache)) == [
        s._replace(path="b.py") for s in cold
    ]


def test_the_language_is_part_of_the_key(tmp_path: Path) -> None:
    cache = FactCache(tmp_path / "cache")
    text = b"x = 1  # shellcheck disable=SC2086\n"
    extract.suppressions("a.py", text, REASON, _remember(cache))
    assert extract.suppressions("a.sh", text, REASON, _remember(cache)) == extract.suppressions(
        "a.sh", text, REASON
    )
    assert extract.suppressions("a.sh", text, REASON)  # a shell form: found only as shell


def test_a_file_that_does_not_read_is_never_stored(tmp_path: Path) -> None:
    cache = FactCache(tmp_path / "cache")
    for _ in range(2):
        with pytest.raises(GuardsError, match="cannot"):
            extract.suppressions("a.py", b"def f(:\n", REASON, _remember(cache))
    assert not (tmp_path / "cache").exists()


def test_a_poisoned_record_is_a_miss(tmp_path: Path) -> None:
    cache = FactCache(tmp_path / "cache")
    extract.suppressions("a.py", SOURCE.encode(), REASON, _remember(cache))
    (record,) = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    record.write_bytes(b'[[1, "x"]]')
    found = extract.suppressions("a.py", SOURCE.encode(), REASON, _remember(cache))
    assert [s.line for s in found] == [1, 5]


@pytest.mark.parametrize(
    "raw",
    [b"", b"{}", b"[1]", b'[[1, "a"]]', b'[["1", "a", "b"]]', b'[[true, "a", "b"]]',
     b'[[1, "a", 2]]', b"[" * 100_000, b"\xff"],
)  # fmt: skip # -- one hostile record a line would hide the list
def test_a_record_this_code_did_not_write_decodes_to_nothing(raw: bytes) -> None:
    assert remembered.decode(raw) is None


@settings(max_examples=200)
@given(json_values)
def test_decoding_any_json_never_raises(doc: object) -> None:
    found = remembered.decode(json.dumps(doc).encode())
    assert found is None or all(isinstance(c, Comment) and type(c.line) is int for c in found)


def test_the_cli_answers_the_same_cold_and_warm(tmp_path: Path) -> None:
    _, base, head = pr_repo(tmp_path / "repo", {"a.py": "X = 1\n"}, {"a.py": SOURCE})
    args = ["run", "--repo", str(tmp_path / "repo"), "--base", base, "--head", head]
    env = {"GUARDS_CACHE_DIR": str(tmp_path / "cache")}
    cold = guards_cli(*args, "--only", "suppressions", "--format", "json", env=env)
    warm = guards_cli(*args, "--only", "suppressions", "--format", "json", env=env)
    assert cold.code == warm.code == 1, cold.stderr
    assert cold.stdout == warm.stdout
    assert any(p.is_file() for p in (tmp_path / "cache").rglob("*"))
