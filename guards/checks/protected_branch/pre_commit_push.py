"""What a pre-commit hook cannot see of a push, judged from git's own command line.

pre-commit reads git's pre-push lines itself, runs no hook for a deletion and hands its hooks
only the first ref that is not one (PRE_COMMIT_FROM_REF/TO_REF/REMOTE_BRANCH/LOCAL_BRANCH).
So ``guards prepush`` run by pre-commit refuses a push it cannot see whole: more than one
refspec, a wildcard, ``--all``/``--branches``/``--mirror``/``--tags``/``--delete``/``--prune``,
or a git command it cannot read (an alias). Pure: the argv and the configured push refspecs
come in as data. The trap: a push with NO refspec may still push many refs
(``remote.<name>.push``, ``push.default=matching``), so those count as unseen too.
"""

from __future__ import annotations

from collections.abc import Sequence

GLOBAL_WITH_VALUE = {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env"}
PUSH_WITH_VALUE = {"-o", "--push-option", "--repo", "--receive-pack", "--exec"}
MANY = ("--all", "--branches", "--mirror", "--tags", "--delete", "--prune")
ADVICE = (
    "pre-commit hands its hooks only the first ref of a push and runs none for deletions; "
    "push one branch at a time, or install guards' own hook, which sees every ref: "
    "guards hook install"
)


def push_args(argv: Sequence[str]) -> list[str] | None:
    """The arguments after ``push`` in a git command line; None when it is not ``git push``."""
    i = 1
    while i < len(argv) and argv[i].startswith("-"):
        i += 2 if argv[i] in GLOBAL_WITH_VALUE else 1
    if i >= len(argv) or argv[i] != "push":
        return None
    return list(argv[i + 1 :])


def split_push(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """(options, positionals) of ``git push`` arguments."""
    options: list[str] = []
    positionals: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            positionals += args[i + 1 :]
            break
        if arg.startswith("-") and arg != "-":
            options.append(arg)
            takes = arg in PUSH_WITH_VALUE or (not arg.startswith("--") and arg.endswith("o"))
            i += 2 if takes else 1
            continue
        positionals.append(arg)
        i += 1
    return options, positionals


def unseen(argv: Sequence[str] | None, configured: Sequence[str], matching: bool) -> str | None:
    """Why this push may hold refs pre-commit did not pass on; None when it holds one.

    ARGV is the git command line (None: not under git at all, nothing more to see);
    CONFIGURED the remote's ``remote.<name>.push`` refspecs; MATCHING ``push.default``.
    """
    if argv is None:
        return None
    args = push_args(argv)
    if args is None:
        return f"cannot tell which refs `{' '.join(argv)}` pushes"
    options, positionals = split_push(args)
    return _many(options) or _refspecs(positionals[1:], configured, matching)


def _many(options: Sequence[str]) -> str | None:
    for opt in options:
        name = opt.split("=", 1)[0]
        if name in MANY or (not opt.startswith("--") and "d" in opt[1:]):
            return f"the push uses {name}"
    return None


def _refspecs(refspecs: Sequence[str], configured: Sequence[str], matching: bool) -> str | None:
    if len(refspecs) > 1:
        return f"the push names {len(refspecs)} refspecs ({' '.join(refspecs)})"
    if refspecs and ("*" in refspecs[0] or refspecs[0].lstrip("+").startswith(":")):
        return f"the refspec {refspecs[0]} may update several refs or delete one"
    if not refspecs and (len(configured) > 1 or any("*" in c for c in configured) or matching):
        return "the push names no refspec and the configuration pushes several refs"
    return None
