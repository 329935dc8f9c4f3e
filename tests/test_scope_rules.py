"""Pure glob logic of manifest-scope: allow, deny, global deny (no git)."""

from __future__ import annotations

import pytest

from guards.patterns import TicketScope, patterns


def scope(
    allow: list[str],
    deny: tuple[str, ...] | list[str] = (),
    global_deny: tuple[str, ...] | list[str] = (),
) -> TicketScope:
    return TicketScope(
        patterns("scope/T-1.yaml", allow),
        patterns("scope/T-1.yaml", deny),
        patterns("guards.yaml", global_deny),
    )


@pytest.mark.parametrize(
    ("allow", "path", "inside"),
    [
        (["src/a/**"], "src/a/x.py", True),
        (["src/a/**"], "src/a/deep/er/x.py", True),
        (["src/a/**"], "src/ab/x.py", False),
        (["src/a/**"], "src/a", False),
        (["src/a/"], "src/a/x.py", True),
        (["src/a"], "src/a/x.py", True),
        (["src/a/x.py"], "src/a/x.py", True),
        (["src/a/x.py"], "other/src/a/x.py", False),
        (["x.py"], "deep/in/x.py", True),
        (["*.md"], "docs/guide.md", True),
        (["/README.md"], "docs/README.md", False),
        (["/README.md"], "README.md", True),
        (["src/*.py"], "src/a.py", True),
        (["src/*.py"], "src/sub/a.py", False),
        (["src/**/test_*.py"], "src/x/y/test_z.py", True),
        (["src/**", "!src/secret/**"], "src/secret/k.py", False),
        (["src/**", "!src/secret/**"], "src/open/k.py", True),
        (["caf\u00e9/**"], "caf\u00e9/\u00fcber.py", True),
        (["with space/**"], "with space/a b.py", True),
        (["a/**"], "a/new\nline.py", True),
        (["src/[ab].py"], "src/b.py", True),
        (["src/[ab].py"], "src/c.py", False),
        ([], "anything", False),
    ],
)
def test_allow(allow: list[str], path: str, inside: bool) -> None:
    assert (scope(allow).why_out(path) is None) is inside


@pytest.mark.parametrize(
    ("deny", "global_deny", "path", "why"),
    [
        (
            ["src/a/secrets/**"],
            [],
            "src/a/secrets/k.py",
            "deny pattern 'src/a/secrets/**' in scope/T-1.yaml matched",
        ),
        ([], ["**/*.pem"], "src/a/key.pem", "deny pattern '**/*.pem' in guards.yaml matched"),
        (
            ["src/a/x.py"],
            ["src/a/x.py"],
            "src/a/x.py",
            "deny pattern 'src/a/x.py' in guards.yaml matched",
        ),
        ([], [], "lib/x.py", "no allow pattern in scope/T-1.yaml matched"),
        (["src/a/**", "!src/a/ok.py"], [], "src/a/ok.py", None),
    ],
)
def test_deny_beats_allow_and_global_beats_ticket(
    deny: list[str], global_deny: list[str], path: str, why: str | None
) -> None:
    assert scope(["src/a/**"], deny, global_deny).why_out(path) == why
