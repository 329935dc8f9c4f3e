"""JSON nesting bounded before parsing (guards/core/shallow_json.py): the skeleton's depth must be
the document's (held to json's own parse on generated documents), a document past the bound is a
ValueError raised without recursing, and every file kind guards reads through it says which file,
in every output format, with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from guards.core import shallow_json
from testing.git_repo import guards_cli, pr_repo
from testing.strategies import json_values


def _depth(doc: object) -> int:
    if isinstance(doc, dict):
        return 1 + max(map(_depth, doc.values()), default=0)
    if isinstance(doc, list):
        return 1 + max(map(_depth, doc), default=0)
    return 0


@settings(max_examples=300)
@given(json_values)
def test_the_skeleton_measures_the_depth_json_parses(doc: object) -> None:
    text = json.dumps(doc)
    depth = _depth(doc)
    assert not shallow_json.depth_above(text, depth)
    if depth:
        assert shallow_json.depth_above(text, depth - 1)
    assert json.dumps(shallow_json.loads(text, max_depth=max(depth, 1))) == text


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, "[" * 100_000 + "]" * 100_000, '{"a":' * 70 + "1" + "}" * 70, "[" * 65 + "1"],
)
def test_too_deep_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="nested more than 64 levels"):
        shallow_json.loads(text)
    with pytest.raises(ValueError, match="nested more than 64 levels"):
        shallow_json.loads(text.encode("utf-16"))


def test_brackets_inside_strings_and_broken_documents() -> None:
    assert shallow_json.loads('["[[[[", "\\"]]", {"k{": "}"}]', max_depth=2) == [
        "[[[[", '"]]', {"k{": "}"},
    ]  # fmt: skip # -- the expected list on one line with its call
    with pytest.raises(json.JSONDecodeError, match="line 1 column 9"):
        shallow_json.loads('{"a": 1 ')  # short and unbalanced: json's own message


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_a_deep_package_json_in_a_change_is_exit_2_naming_the_file(
    tmp_path: Path, fmt: str
) -> None:
    deep = '{"name": "a", "dependencies": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    base = {"package.json": '{"name": "a", "dependencies": {}}\n'}
    _, base_sha, head_sha = pr_repo(tmp_path / "repo", base, {"package.json": deep})
    args = ["run", "--repo", str(tmp_path / "repo"), "--base", base_sha, "--head", head_sha]
    result = guards_cli(*args, "--format", fmt)
    assert result.code == 2, result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert "package.json" in said and "nested more than 64 levels" in said
    assert "RecursionError" not in said and "internal error" not in said
