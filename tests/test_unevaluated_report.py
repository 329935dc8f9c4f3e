"""A run that could not be evaluated is a report in every format (pure part)."""

from __future__ import annotations

import pytest

from guards.errors import ConfigError, GuardsError
from guards.finding import Outcome, Status, exit_code
from guards.report.unevaluated import result, source_file


@pytest.mark.parametrize(
    ("exc", "file"),
    [
        (ConfigError("guards.yaml@0123abcd4567: skip-sett: unknown key"), "guards.yaml"),
        (ConfigError("pyproject.toml [tool.guards]@0123: x: bad"), "pyproject.toml"),
        (ConfigError("scope/FR-1.yaml: not valid YAML: line 2"), "scope/FR-1.yaml"),
        (ConfigError("config file g.yaml does not exist at base 0123"), None),
        (GuardsError("base commit abc is not in this clone"), None),
    ],
)
def test_the_error_names_its_file(exc: GuardsError, file: str | None) -> None:
    assert source_file(exc) == file
    r = result(exc)
    (f,) = r.findings
    assert f.outcome is Outcome.ERROR and f.path == file and str(exc) in f.message
    assert r.status is Status.ERROR and exit_code([r]) == 2
