"""Click wiring only: each command forwards to a plain function and exits with its code."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from guards import __version__
from guards.errors import GuardsError
from guards.report import FORMATS
from guards.report.text import safe

# Collect cyclic garbage less often: parsing a large file allocates a million AST nodes, and at
# the default thresholds each parse walked every fact held so far (skips list over sympy: 17.6 s
# of analysis at the defaults, 10.7 s with these, the same peak memory).
GC_THRESHOLDS = (100_000, 50, 100)


def main() -> None:
    """The console script and ``python -m guards``: the CLI, then an exit that does not tear the
    interpreter down. A run holds a tree's facts, hundreds of thousands of objects, and freeing
    them one by one at exit cost a sympy pull request 0.06 s of 1.2 s (a one-file repository
    0.016 s); the kernel frees a process whole. What an exit must do is still done: the atexit
    handlers run (a downloaded report's folder is removed) and the output is flushed (a failure
    is exit 120, as Python's own exit makes it). A test calls ``cli`` itself, which only raises
    SystemExit; under a profiler or a tracer the exit is Python's own (``python -m cProfile -m
    guards`` prints its report when the module returns)."""
    try:
        cli()
        code: str | int | None = 0
    except SystemExit as exc:
        code = exc.code
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or a tracer (python -m cProfile) reports after this returns
    os._exit(_leaving(code))


def _leaving(code: str | int | None) -> int:
    """What Python's own exit would do for ``sys.exit(CODE)`` before its teardown, and its
    status: None is 0, another non-int is printed and is 1."""
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()  # the handlers Python's exit runs first (it has no public name)
    status = code or 0
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError as exc:  # a closed pipe: Python's exit says so, and 120
            _ignored(stream, exc)
            status = 120
    return status


def _ignored(stream: object, exc: OSError) -> None:
    """Say what Python's exit says of a stream it could not flush (stderr may be closed too)."""
    import traceback  # only on this path: 5 ms of every run's start-up

    said = "".join(traceback.format_exception_only(exc))
    try:
        sys.stderr.write(f"Exception ignored in: {stream!r}\n{said}")
        sys.stderr.flush()
    except OSError:
        pass


def _exit_with(fn: Callable[[], int]) -> None:
    """Run FN; a GuardsError is exit 2 with its message on stderr, on one line: a message may
    quote a file name or PR text, which must not start a workflow command of its own. So is a
    dependency that is not installed (``skips list`` over a tree with JavaScript, without
    tree-sitter): named, with what to install, never a traceback; a module of guards' own that
    does not import is a bug, and raises."""
    try:
        code = fn()
    except GuardsError as exc:
        click.echo(f"guards: error: {safe(str(exc))}", err=True)
        sys.exit(2)
    except ModuleNotFoundError as exc:
        if (exc.name or "guards").partition(".")[0] == "guards":
            raise
        from guards.runner import missing

        click.echo(f"guards: error: {safe(missing('guards', exc))}", err=True)
        sys.exit(2)
    sys.exit(code)


def _read_body(value: str | None) -> str | None:
    if value is None:
        return None
    if value == "-":
        return sys.stdin.read()
    try:
        return Path(value).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GuardsError(f"cannot read --pr-body-file {value}: {exc}") from exc


def _split_ids(
    _ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    """``--only a,b --only c`` -> (a, b, c): the workflow input accepts commas, so does the CLI."""
    return tuple(part.strip() for item in value for part in item.split(",") if part.strip())


def _only_help(what: str) -> str:
    from guards.checks import GUARDS  # the ids only: guard modules load on first use

    return f"{what}: {', '.join(GUARDS)}. Repeatable or comma-separated (default: all)."


@click.group(context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.version_option(__version__, prog_name="guards")
def cli() -> None:
    """guards: a merge gate for pull requests written by coding agents (and people)."""
    gc.set_threshold(*GC_THRESHOLDS)


@cli.command("run")
@click.option("--repo", default=".", show_default=True, help="Repository directory.")
@click.option("--base", help="Base revision (default: event payload, else upstream merge-base).")
@click.option("--head", help="Head revision (default: event payload, else HEAD).")
@click.option(
    "--only", multiple=True, callback=_split_ids, help=_only_help("Run only these guards")
)
@click.option(
    "--config",
    "config_path",
    help="Config path inside the repo, read at base (default: guards.yaml, else [tool.guards] "
    "of pyproject.toml; a .toml path is read as TOML, its [tool.guards] table).",
)
@click.option("--ticket", help="Ticket id (default: $GUARDS_TICKET, PR title, branch name).")
@click.option("--pr-title", help="PR title (default: from the event payload).")
@click.option("--pr-body-file", help="File holding the PR body, or - for stdin.")
@click.option("--event-path", help="Event payload JSON (default: $GITHUB_EVENT_PATH).")
@click.option("--event-name", help="Event name (default: $GITHUB_EVENT_NAME).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Report format (default: github when GITHUB_ACTIONS=true, else text).",
)
@click.option("--output", help="Write the report to this file instead of stdout.")
@click.option(
    "--base-report", multiple=True, help="Base's test-run report (JUnit/report-log; glob)."
)
@click.option("--head-report", multiple=True, help="Head's test-run report (repeatable, glob).")
@click.option("--report-artifact", help="Base's report: this artifact of --report-workflow's run.")
@click.option("--report-workflow", help="Test workflow file whose merge-base run has the report.")
def run_cmd(**kw: Any) -> None:
    """Run the guards on a change (base...head); exit 0 pass, 1 violation, 2 error."""

    def go() -> int:
        from guards.commands import run  # imported per command: the CLI starts fast
        from guards.context import RunOptions

        opts = RunOptions(
            repo=kw["repo"],
            base=kw["base"],
            head=kw["head"],
            config=kw["config_path"],
            ticket=kw["ticket"],
            pr_title=kw["pr_title"],
            pr_body=_read_body(kw["pr_body_file"]),
            event_path=kw["event_path"],
            event_name=kw["event_name"],
            base_reports=kw["base_report"],
            head_reports=kw["head_report"],
            report_artifact=kw["report_artifact"],
            report_workflow=kw["report_workflow"],
            env=dict(os.environ),
        )
        return run.main(opts, kw["only"], kw["fmt"], kw["output"])

    _exit_with(go)


@cli.command("probe")
@click.argument("directory", required=False)
@click.option(
    "--only", multiple=True, callback=_split_ids, help=_only_help("Run only these guards' probes")
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
def probe_cmd(directory: str | None, only: tuple[str, ...], fmt: str) -> None:
    """Run the probe suite (default: the shipped probes) and print the readiness table."""
    from guards.commands import probe

    _exit_with(lambda: probe.main(directory, only, fmt))


@cli.group("skips")
def skips_group() -> None:
    """Inspect the skip set of a revision."""


@skips_group.command("list")
@click.option("--repo", default=".", show_default=True, help="Repository directory.")
@click.option("--rev", default="HEAD", show_default=True, help="Revision to read.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--collector",
    type=click.Choice(["static", "pytest"]),
    default="static",
    show_default=True,
    help="static: read sources with ast; pytest: real collection in this environment.",
)
@click.option("--report", multiple=True, help="List what this test-run report skipped (glob).")
def skips_list_cmd(repo: str, rev: str, fmt: str, collector: str, report: tuple[str, ...]) -> None:
    """Print every skipped, xfailed or uncollected test of a revision (or of test reports)."""
    from guards.commands import skips_list

    if report:
        _exit_with(lambda: skips_list.from_reports(repo, rev, fmt, report))
    _exit_with(lambda: skips_list.main(repo, rev, fmt, collector))


@cli.group("cache")
def cache_group() -> None:
    """The fact cache: facts of Python files by content (README "The fact cache")."""


@cache_group.command("warm")
@click.option("--repo", default=".", show_default=True, help="Repository directory.")
@click.option("--rev", default="HEAD", show_default=True, help="Revision to read.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def cache_warm_cmd(repo: str, rev: str, fmt: str) -> None:
    """Store the facts of every Python file of a revision (run on pushes to the default
    branch, so that a pull request's first run analyzes only what it changes)."""
    from guards.commands import cache_warm

    _exit_with(lambda: cache_warm.main(repo, rev, fmt))


@cli.command("prepush")
@click.argument("remote")
@click.argument("url")
@click.option("--repo", default=".", show_default=True, help="Repository directory.")
@click.option(
    "--run/--no-run",
    "with_run",
    default=False,
    show_default=True,
    help="Then run the guards on each pushed branch's tip against its base.",
)
def prepush_cmd(remote: str, url: str, repo: str, with_run: bool) -> None:
    """git's pre-push hook: refuse pushes to, force pushes of and deletions of protected refs."""
    from guards.commands import prepush

    stdin = sys.stdin.read()
    _exit_with(lambda: prepush.main(remote, url, stdin, repo, dict(os.environ), with_run))


@cli.group("protection")
def protection_group() -> None:
    """Audit the branch protection of a GitHub repository."""


@protection_group.command("audit")
@click.option("--repo", "slug", required=True, help="OWNER/NAME on GitHub.")
@click.option("--branch", "branches", multiple=True, help="Branch to audit (repeatable).")
@click.option("--config", "config_path", help="guards.yaml to read (default: the checkout's).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Report format.")
@click.option("--output", help="Write the report to this file instead of stdout.")
def audit_cmd(
    slug: str,
    branches: tuple[str, ...],
    config_path: str | None,
    fmt: str | None,
    output: str | None,
) -> None:
    """Check rulesets and classic protection against protected-branch.require."""
    from guards.commands import protection_audit

    _exit_with(
        lambda: protection_audit.main(slug, branches, config_path, fmt, output, dict(os.environ))
    )


@cli.group("hook")
def hook_group() -> None:
    """Manage the local pre-push hook."""


@hook_group.command("install")
@click.option("--repo", default=".", show_default=True, help="Repository directory.")
@click.option(
    "--run/--no-run",
    "with_run",
    default=True,
    show_default=True,
    help="Also run `guards run` in the hook.",
)
def hook_install_cmd(repo: str, with_run: bool) -> None:
    """Write a pre-push hook that runs guards (chaining any existing hook)."""
    from guards.commands import hook_install

    _exit_with(lambda: hook_install.main(repo, with_run=with_run))


@hook_group.command("uninstall")
@click.option("--repo", default=".", show_default=True, help="Repository directory.")
def hook_uninstall_cmd(repo: str) -> None:
    """Remove guards' pre-push hook and put back the hook it chained, if any."""
    from guards.commands import hook_install

    _exit_with(lambda: hook_install.uninstall(repo))
