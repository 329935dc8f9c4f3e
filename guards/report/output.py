"""Where reports go: the one place that writes them (stdout, stderr, --output, Actions files).

Renderers elsewhere in report/ are pure and return text; this module writes it. The trap:
$GITHUB_STEP_SUMMARY and $GITHUB_OUTPUT are appended to (other steps write there too), and
the summary's 1 MiB limit counts what is already in the file, so its room is measured here.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from guards.errors import GuardsError


def use_color(output: str | None, env: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never with $NO_COLOR set."""
    return output is None and sys.stdout.isatty() and not env.get("NO_COLOR")


def to_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def to_stderr(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


def deliver(text: str, output: str | None) -> None:
    """TEXT to the --output file, or to stdout."""
    if output is None:
        to_stdout(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise GuardsError(f"cannot write --output {output}: {exc}") from exc


def size_of(path: str) -> int:
    """The size of an Actions file so far (0 when it does not exist yet)."""
    try:
        return Path(path).stat().st_size
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise GuardsError(f"cannot read {path}: {exc}") from exc


def append_to(path: str | None, text: str) -> None:
    """Append TEXT to an Actions file ($GITHUB_STEP_SUMMARY, $GITHUB_OUTPUT), if it is set."""
    if not path or not text:
        return
    try:
        with Path(path).open("a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise GuardsError(f"cannot append to {path}: {exc}") from exc
