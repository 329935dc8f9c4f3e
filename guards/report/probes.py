"""The readiness table of ``guards probe`` (text, markdown, json)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from guards.core.records import record
from guards.report.output import to_stdout
from guards.report.text import safe


@record
class Row:
    guard: str
    caught: int
    must_fail: int
    passed: int
    must_pass: int
    evasions_caught: int
    evasions: int

    @property
    def ready(self) -> bool:
        """Every must-fail probe caught (there must be one), every must-pass probe passed."""
        return self.must_fail > 0 and (self.caught, self.passed, self.evasions_caught) == (
            self.must_fail,
            self.must_pass,
            self.evasions,
        )


def ready(outcomes: Sequence[Any], guards: Sequence[str]) -> bool:
    return all(o.ok for o in outcomes) and all(r.ready for r in rows(outcomes, guards))


def rows(outcomes: Sequence[Any], guards: Sequence[str]) -> list[Row]:
    table = []
    for guard in guards:
        mine = [o for o in outcomes if o.probe.guard == guard]
        fail = [o for o in mine if o.probe.expect in ("fail", "error")]  # both must not pass
        good = [o for o in mine if o.probe.expect == "pass"]
        ev = [o for o in mine if o.probe.is_evasion]
        table.append(
            Row(
                guard,
                sum(o.ok for o in fail),
                len(fail),
                sum(o.ok for o in good),
                len(good),
                sum(o.ok for o in ev),
                len(ev),
            )
        )
    return table


def _pct(n: int, total: int) -> str:
    return f"{n}/{total} ({100 * n // total}%)" if total else "0/0"


def render_text(
    outcomes: Sequence[Any], guards: Sequence[str], elapsed: float, broken: Sequence[Any] = ()
) -> str:
    head = (
        f"{'guard':<18} {'must fail: caught':<20} {'must pass: passed':<20} {'evasions caught':<18}"
    )
    lines = [head, "-" * len(head)]
    for r in rows(outcomes, guards):
        lines.append(
            f"{r.guard:<18} {_pct(r.caught, r.must_fail):<20} "
            f"{_pct(r.passed, r.must_pass):<20} {_pct(r.evasions_caught, r.evasions):<18}"
        )
    lines += _wrong(outcomes, lambda s: f"  {s}") + _broken(broken, lambda s: f"  {s}")
    verdict = "READY" if ready(outcomes, guards) and not broken else "NOT READY"
    lines.append(f"{len(outcomes)} probes in {elapsed:.1f}s: {verdict}")
    return "\n".join(lines) + "\n"


def render_markdown(
    outcomes: Sequence[Any], guards: Sequence[str], elapsed: float, broken: Sequence[Any] = ()
) -> str:
    lines = [
        "| guard | must fail: caught | must pass: passed | evasions caught |",
        "|---|---|---|---|",
    ]
    for r in rows(outcomes, guards):
        lines.append(
            f"| {r.guard} | {_pct(r.caught, r.must_fail)} | {_pct(r.passed, r.must_pass)}"
            f" | {_pct(r.evasions_caught, r.evasions)} |"
        )
    lines += _wrong(outcomes, lambda s: f"- {s.replace('|', '/')}")
    lines += _broken(broken, lambda s: f"- {s.replace('|', '/')}")
    verdict = "✅ READY" if ready(outcomes, guards) and not broken else "❌ NOT READY"
    lines.append(f"\n{len(outcomes)} probes in {elapsed:.1f}s: **{verdict}**")
    return "\n".join(lines) + "\n"


def render_json(
    outcomes: Sequence[Any], guards: Sequence[str], elapsed: float, broken: Sequence[Any] = ()
) -> str:
    doc = {
        "ok": ready(outcomes, guards) and not broken,
        "broken": [{"path": b.path, "why": b.why} for b in broken],
        "elapsed": round(elapsed, 2),
        "guards": [r.__dict__ | {"ready": r.ready} for r in rows(outcomes, guards)],
        "probes": [
            {
                "path": o.probe.path,
                "guard": o.probe.guard,
                "title": o.probe.title,
                "expect": o.probe.expect,
                "tries": o.probe.tries,
                "verdict": o.verdict,
                "ok": o.ok,
                "detail": o.detail,
            }
            for o in outcomes
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


def _wrong(outcomes: Sequence[Any], fmt: Any) -> list[str]:
    bad = [o for o in outcomes if not o.ok]
    if not bad:
        return []
    out = ["", "probes that went wrong:"]
    for o in bad:
        out.append(
            fmt(
                safe(
                    f"{o.probe.path}: {o.probe.title}: expected {o.probe.expect}, "
                    f"got {o.verdict}" + (f" ({o.detail})" if o.detail else "")
                )
            )
        )
    return out


def _broken(broken: Sequence[Any], fmt: Any) -> list[str]:
    if not broken:
        return []
    return ["", "files that are not valid probes (fix them; exit 2):"] + [
        fmt(safe(f"{b.path}: {b.why}")) for b in broken
    ]


def emit(
    outcomes: Sequence[Any],
    guards: Sequence[str],
    elapsed: float,
    fmt: str,
    broken: Sequence[Any] = (),
) -> None:
    render = {"json": render_json, "markdown": render_markdown}.get(fmt, render_text)
    to_stdout(render(outcomes, guards, elapsed, broken))
