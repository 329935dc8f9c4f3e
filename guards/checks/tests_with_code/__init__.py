"""tests-with-code: implementation changes come with real test changes; tests are not weakened.

What counts as implementation is decided from the parsed source, not from line counts: for
``.py`` the ``ast.dump`` of base and head (docstrings removed) is compared, for C-family
languages the comment-free token streams of a tokenizer-aware scanner (not tree-sitter). A
change that only touches comments, docstrings or formatting, only deletes code, only renames,
or touches docs and config is not implementation. A test change counts when it adds or changes
a test that holds a real assertion (one that runs and can fail). Test files the PR changes are
checked for weakening: tests removed, bodies replaced by ``pass``, assertions that vanish or
become always true, ``pytest.raises(SpecificError)`` broadened to ``Exception``.

Policy (globs, the map, the ticket's scope file and its ``tests:`` list) is read at base.
"""

from __future__ import annotations

from guards.checks.base import Rule, require_opt_in
from guards.config import Config
from guards.context import Context
from guards.finding import Finding

NAME = "tests-with-code"
RULES = {
    "code_changes_have_tests": Rule(
        "every implementation change comes with a real change to the tests that cover it",
        "add or change a test that asserts the new behaviour (in the mapped test files, and in "
        "the test files the ticket's scope file names)",
    ),
    "tests_not_weakened": Rule(
        "no existing test loses its assertions, is emptied, removed or made to accept any error",
        "restore the assertions; delete or loosen a test only in a reviewed PR with a waiver",
    ),
}


def run(ctx: Context, cfg: Config) -> list[Finding]:
    require_opt_in(cfg.tests_with_code.configured, NAME, "require tests with code changes")
    from guards.checks.tests_with_code.evaluate import evaluate  # loads only when opted in

    return evaluate(ctx, cfg)
