"""Printing for ``guards cache warm`` (text or JSON)."""

from __future__ import annotations

import dataclasses
import json

from guards.collect.python.sources.warming import Warmed
from guards.report.output import to_stdout

UNPRUNED = "reach record stored: nothing pruned here (past its bounds, or pruning would not pay)"


def render_json(warmed: Warmed) -> str:
    return json.dumps(dataclasses.asdict(warmed), indent=2) + "\n"


def render_text(warmed: Warmed) -> str:
    w = warmed
    lines = [
        f"{w.files} Python file(s) at {w.rev[:12]}: {w.cached} already cached, "
        f"{w.analyzed} analyzed and stored, {w.unanalyzable} that cannot be analyzed",
    ]
    if w.left:
        lines.append(f"{w.left} left cold: the cache reached its bound (raise GUARDS_CACHE_MAX_MB)")
    lines.append("reach record stored" if w.reach else UNPRUNED)
    lines.append(f"{w.comments} suppression comment record(s) stored")
    return "\n".join(lines) + "\n"


def emit(warmed: Warmed, fmt: str) -> None:
    to_stdout(render_json(warmed) if fmt == "json" else render_text(warmed))
