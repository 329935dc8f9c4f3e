"""The fail-closed plumbing every guard shares, each with a replacement that opens it: a crash
read as a pass, an error read as exit 0, annotations unescaped, any non-200 read as "not
readable", the PR text size limit lifted, ticket ids unchecked, unparsable files read as empty.
The error-*.yaml and hostile-*.yaml probes of every guard must kill each one."""

from __future__ import annotations

import ast
import time
from collections.abc import Sequence
from typing import Any

from guards import config
from guards.checks import GUARDS
from guards.collect.model import NotParsable
from guards.collect.python.parsing import analyze
from guards.errors import ConfigError
from guards.finding import GuardResult, Status

_YAML = config._load_yaml
_TOML = config._tool_guards
_PARSE = analyze.parse


def _crash_passes(name: str, ctx: Any, cfg: Any) -> GuardResult:
    """run_one with every exception of a guard taken for "no findings"."""
    started = time.perf_counter()
    try:
        findings = tuple(GUARDS[name].run(ctx, cfg))
    except Exception:
        findings = ()
    return GuardResult(name, findings, True, time.perf_counter() - started)


def _error_is_exit_0(results: Sequence[GuardResult]) -> int:
    return 1 if any(r.status is Status.FAIL for r in results) else 0


def _yaml_as_empty(data: bytes, name: str) -> Any:
    try:
        return _YAML(data, name)
    except ConfigError:
        return {}


def _toml_as_empty(data: bytes, name: str = "pyproject.toml") -> Any:
    try:
        return _TOML(data, name)
    except ConfigError as exc:
        if "not valid TOML" not in str(exc):
            raise
        return None


def _python_as_empty(path: str, data: bytes) -> ast.Module:
    try:
        return _PARSE(path, data)
    except NotParsable:
        return ast.Module(body=[], type_ignores=[])


def _shown(text: str) -> str:
    return text


MUTANTS = [
    ("a guard's crash is no finding (a pass)", "guards.runner:run_one", _crash_passes),
    ("an error outcome exits 0", "guards.finding:exit_code", _error_is_exit_0),
    ("annotation messages unescaped", "guards.report.github:escape_data", _shown),
    ("annotation properties unescaped", "guards.report.github:escape_property", _shown),
    (
        "any non-200 is 'not readable with this token'",
        "guards.github.protection:UNREADABLE",
        frozenset(range(600)) - {200},
    ),
    ("PR text size limit lifted", "guards.spec.visible:check_size", lambda *_a, **_k: None),
    ("citation count not bounded", "guards.spec.cite:MAX_CITATIONS", 10**9),
    ("ticket id not validated", "guards.context:check_ticket", _shown),
    ("unparsable YAML policy read as empty", "guards.config:_load_yaml", _yaml_as_empty),
    ("unparsable pyproject.toml read as empty", "guards.config:_tool_guards", _toml_as_empty),
    (
        "unparsable Python test file read as empty",
        "guards.collect.python.parsing.analyze:parse",
        _python_as_empty,
    ),
    (
        "tree-sitter parses without a time bound",
        "guards.core.syntax_tree:parse",
        lambda parser, data, path: parser.parse(data),
    ),
]
