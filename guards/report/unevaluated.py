"""A run that could not be evaluated (exit 2 before any guard ran) as a report, in every format.

A config error, a base commit missing from a shallow clone or a malformed event stopped
``guards run`` before it had results, so it printed only to stderr: in CI no annotation, an
empty job summary, outputs ``ok=''``, no SARIF file (the upload jobs then failed and pointed
away from the cause), and no ``--output`` file. Here the error becomes one result of the
pseudo-guard ``guards`` with one ``error`` finding (rule ``gate_evaluated``) that names the
file and the key, so every renderer shows it as it shows any error: the text line, the JSON
``status: error``, the github annotation, the summary's verdict and ``ok=false``, the SARIF
result with ``executionSuccessful: false``. The exit code stays 2.
"""

from __future__ import annotations

import re

from guards.errors import ConfigError, GuardsError
from guards.finding import Finding, GuardResult, Outcome

GUARD = "guards"
RULE = "gate_evaluated"
# "guards.yaml@0123abcd: key: ..." / "pyproject.toml [tool.guards]@0123: ..." / "scope/X.yaml: ..."
_SOURCE = re.compile(r"^(?P<file>[^\s:@]+)(?: \[tool\.guards\])?(?:@[0-9a-f]+)?: ")


def source_file(exc: GuardsError) -> str | None:
    """The policy file a ConfigError names, or None."""
    match = _SOURCE.match(str(exc)) if isinstance(exc, ConfigError) else None
    return match.group("file") if match else None


def result(exc: GuardsError) -> GuardResult:
    """The one result of a run that could not be evaluated."""
    what = "config error" if isinstance(exc, ConfigError) else "could not evaluate"
    finding = Finding(RULE, Outcome.ERROR, f"{what}: {exc}", path=source_file(exc))
    return GuardResult(GUARD, (finding,))
