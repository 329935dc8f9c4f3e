"""Every action the workflows pin runs on node24 or newer, by the runtimes kept as data.

Reads each ``uses:`` of .github/workflows/*.yml and action.yml (job-level reusable workflows
and steps). A remote action must be pinned to a full 40-hex commit SHA and listed, as
``owner/repo[/path]@sha``, in .github/action-runtimes.yaml with the ``runs.using`` of its
action.yml at that commit. The trap: CI has no network, so this cannot read the action.yml
itself; the data file is the record, and a pin that is not in it fails (never passes unread).
Local uses (``./...``, ``$/...``) are this repository's own and are listed, not judged.
Run: python .ci/check_action_pins.py [--root DIR]; exit 0 all good, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

SHA = re.compile(r"[0-9a-f]{40}")
NODE = re.compile(r"node(\d+)")
MIN_NODE = 24
NOT_NODE = ("composite", "docker")


def uses_of(doc: Any) -> Iterator[str]:
    """Every ``uses:`` value of a workflow or action.yml document, in order."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key == "uses" and isinstance(value, str):
                yield value
            else:
                yield from uses_of(value)
    elif isinstance(doc, list):
        for item in doc:
            yield from uses_of(item)


def files(root: Path) -> list[Path]:
    found = sorted((root / ".github" / "workflows").glob("*.y*ml"))
    return found + [p for p in (root / "action.yml", root / "action.yaml") if p.exists()]


def judge(uses: str, runtimes: dict[str, Any]) -> tuple[str, str]:
    """(status, detail) of one ``uses:`` value: ok, local, or a problem."""
    if uses.startswith(("./", "$/")):
        return "local", "this repository's own code"
    ref = uses.partition("@")[2]
    if not SHA.fullmatch(ref):
        return "FAIL", f"not pinned to a full commit SHA ({ref or 'no ref'})"
    row = runtimes.get(uses)
    if not isinstance(row, dict) or "using" not in row:
        return "FAIL", "not in .github/action-runtimes.yaml: add its action.yml's runs.using"
    using = str(row["using"])
    node = NODE.fullmatch(using)
    if using in NOT_NODE or (node and int(node.group(1)) >= MIN_NODE):
        return "ok", f"{row.get('tag', '?')} runs.using {using}"
    return "FAIL", f"{row.get('tag', '?')} runs.using {using}: older than node{MIN_NODE}"


def check(root: Path) -> int:
    """Print one line per pinned ``uses:``; 1 when any fails."""
    data = root / ".github" / "action-runtimes.yaml"
    runtimes = yaml.safe_load(data.read_text(encoding="utf-8")) if data.exists() else {}
    failed = 0
    for path in files(root):
        for uses in uses_of(yaml.safe_load(path.read_text(encoding="utf-8"))):
            status, detail = judge(uses, runtimes or {})
            failed += status == "FAIL"
            print(f"{status:5} {path.relative_to(root)}: {uses}  {detail}")
    print(f"action pins: {'all on node' + str(MIN_NODE) if not failed else f'{failed} failing'}")
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Check pinned actions' runtimes.")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    sys.exit(check(parser.parse_args().root))
