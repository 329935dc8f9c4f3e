"""``guards run``: build the context once, run the selected guards, report, exit 0/1/2."""

from __future__ import annotations

from collections.abc import Sequence

from guards import context, report
from guards.finding import exit_code
from guards.runner import run_guards, select


def main(opts: context.RunOptions, only: Sequence[str], fmt: str | None, output: str | None) -> int:
    """``guards run``: build the context once, run the guards, report, exit 0/1/2."""
    select(only)  # an unknown --only is a usage error before any git work
    ctx, cfg = context.build(opts)
    results = run_guards(ctx, cfg, only)
    report.emit(
        report.Report(ctx.base, ctx.head, results),
        fmt or report.default_format(opts.env),
        output,
        opts.env,
    )
    return exit_code(results)
