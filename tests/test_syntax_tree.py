"""tree-sitter within a time bound (core/syntax_tree.py): a malformed file whose error recovery
is super-linear is refused by name, every reader that parses with tree-sitter goes through the
bound, and a parser halted midway parses the next file from its start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from guards.checks.suppressions import eslintflat, extract, tscomments
from guards.core import syntax_tree
from guards.errors import GuardsError
from testing.git_repo import guards_cli, pr_repo

# "-{" repeated: tree-sitter-javascript takes 0.3 s at 2 KB, 18 s at 16 KB, 340 s at 60 KB
RECOVERY_BOMB = b"-{" * 15_000  # 30 KB: past its 1.3 s bound many times over


def test_a_parse_past_its_bound_is_refused_by_name_and_the_parser_starts_afresh() -> None:
    parser = tscomments.parser("js")
    with pytest.raises(GuardsError, match=r"^web/bomb\.js: tree-sitter could not parse it within"):
        syntax_tree.parse(parser, RECOVERY_BOMB, "web/bomb.js")
    tree = syntax_tree.parse(
        parser, b"const a = 1;\n", "web/ok.js"
    )  # not the halted parse, resumed
    assert tree.root_node.type == "program"
    assert not tree.root_node.has_error
    assert tree.root_node.end_byte == len(b"const a = 1;\n")


@pytest.mark.parametrize(
    "read",
    [
        lambda: extract.suppressions("web/bomb.ts", RECOVERY_BOMB, lambda _text: None),
        lambda: extract.suppressions("web/bomb.tsx", RECOVERY_BOMB, lambda _text: None),
        lambda: eslintflat.facts(RECOVERY_BOMB, "eslint.config.js"),
    ],
)
def test_every_tree_sitter_reader_of_the_guards_is_bounded(read: Callable[[], object]) -> None:
    with pytest.raises(GuardsError, match="tree-sitter could not parse it within"):
        read()


def test_a_pull_request_that_adds_such_a_file_is_exit_2_naming_it(tmp_path: Path) -> None:
    files = {"web/bomb.ts": RECOVERY_BOMB.decode()}
    _, base, head = pr_repo(tmp_path / "repo", {"README.md": "x\n"}, files)
    args = ["run", "--repo", str(tmp_path / "repo"), "--base", base, "--head", head]
    result = guards_cli(*args, "--only", "suppressions,skip-set")
    assert result.code == 2, result.stdout + result.stderr
    assert "web/bomb.ts: tree-sitter could not parse it within" in result.stdout
