"""``guards run``: build the context once, run the selected guards, report, exit 0/1/2."""

from __future__ import annotations

from collections.abc import Sequence

from guards import context, report
from guards.errors import GuardsError
from guards.finding import exit_code
from guards.report import unevaluated
from guards.runner import run_guards, select


def main(opts: context.RunOptions, only: Sequence[str], fmt: str | None, output: str | None) -> int:
    """``guards run``: build the context once, run the guards, report, exit 0/1/2.

    An error before any guard ran (bad config, base missing from a shallow clone, a malformed
    event) is still a report in the chosen format and --output (report/unevaluated.py), then
    exit 2 with the message on stderr: in CI the annotation, summary, outputs and SARIF say it.
    """
    fmt = fmt or report.default_format(opts.env)
    try:
        select(only)  # an unknown --only is a usage error before any git work
        ctx, cfg = context.build(opts)
    except GuardsError as exc:
        report.emit(report.Report("", "", [unevaluated.result(exc)]), fmt, output, opts.env)
        raise
    results = run_guards(ctx, cfg, only)
    from guards.waivers.apply import apply_waivers  # loads the HTTP client only on a run

    results = apply_waivers(ctx, cfg, results)
    report.emit(report.Report(ctx.base, ctx.head, results), fmt, output, opts.env)
    return exit_code(results)
