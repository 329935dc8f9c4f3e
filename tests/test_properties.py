"""Property tests for every parser: on any input it returns its result or raises the project's
own error (GuardsError, or ConfigError for policy), never anything else. Each property is
bounded (modest max_examples, no deadline, no timing asserts); times live in the benchmarks."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guards import strict_yaml
from guards.checks.protected_branch import branch_patterns, prepush_rules
from guards.collect.model import NotParsable, Undecidable
from guards.collect.python.parsing.analyze import analyze
from guards.config import SCHEMA, Config, parse_config
from guards.errors import ConfigError, GuardsError
from guards.event import load_event
from guards.patterns import patterns
from guards.spec import cite
from guards.spec.index import parse_doc
from testing.strategies import json_scalars, json_values

BOUNDED = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)

YAML_ALPHABET = st.sampled_from([*" \t\n:-[]{}&*!|>'\"#,?%@`abcxyz019.\\", "\u00a7", "\x00"])
yaml_text = st.one_of(st.text(), st.text(alphabet=YAML_ALPHABET, max_size=200))
PR_KEYS = ["pull_request", "base", "head", "sha", "ref", "title", "body", "number", "merge_group"]
event_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(PR_KEYS) | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=20,
)
GLOB_ALPHABET = st.sampled_from([*"*?[]!^-/\\{},.ab/z0 ", "\u00e9"])
glob_text = st.text(alphabet=GLOB_ALPHABET, max_size=24)
CITE_PARTS = st.sampled_from(
    [*"\u00a7 .-\u2013\n()[]#v0123456789`<>!", "\u00a7\u00a7", "Section ", "sections ", " and ",
     " of SPEC.md", "spec v1.0.0 ", "# ", "```\n", "<!-- ", " -->", "(SPEC.md#a)", "\uff14", "N"]
)  # fmt: skip # -- one fragment per item reads better here
cite_text = st.one_of(st.text(max_size=300), st.lists(CITE_PARTS, max_size=60).map("".join))


@BOUNDED
@given(yaml_text)
@example("\x1b")  # PyYAML's reader refused it before the loader's try: a bare ReaderError
def test_strict_yaml_returns_or_refuses(text: str) -> None:
    try:
        strict_yaml.load(text, "guards.yaml")
    except ConfigError as exc:
        assert "guards.yaml" in str(exc)


@BOUNDED
@given(st.binary(max_size=200))
@example(b"\x00")
def test_strict_yaml_on_bytes(data: bytes) -> None:
    try:
        strict_yaml.load(data, "scope/X.yaml", plain_strings=True)
    except ConfigError as exc:
        assert "scope/X.yaml" in str(exc)


@BOUNDED
@given(st.sampled_from([None, "pull_request", "push", "merge_group", "workflow_dispatch"]),
       event_values)  # fmt: skip # -- a packed decorator reads better here
def test_event_payloads_return_or_exit_2(name: str | None, payload: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "event.json"
        path.write_text(json.dumps(payload))
        try:
            load_event(str(path), name, env={})
        except GuardsError as exc:
            assert str(exc)


@BOUNDED
@given(st.binary(max_size=120))
def test_event_payload_bytes_return_or_exit_2(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "event.json"
        path.write_bytes(data)
        try:
            load_event(str(path), "pull_request", env={})
        except GuardsError as exc:
            assert str(exc)


OID = st.text(alphabet="0123456789abcdefABCDEFg", min_size=0, max_size=41)
prepush_line = st.builds(
    lambda a, b, c, d, sep: sep.join([a, b, c, d]),
    st.text(max_size=12),
    OID,
    st.text(max_size=12),
    OID,
    st.sampled_from([" ", "\t", "  "]),
)


@BOUNDED
@given(st.one_of(st.text(max_size=200), st.lists(prepush_line, max_size=4).map("\n".join)))
def test_prepush_lines_return_or_exit_2(text: str) -> None:
    try:
        updates = prepush_rules.parse_lines(text)
    except GuardsError:
        return
    assert all(len(u.local_oid) in (40, 64) for u in updates)


@BOUNDED
@given(glob_text, st.text(max_size=24))
def test_branch_patterns_compile_or_refuse(pattern: str, branch: str) -> None:
    try:
        branch_patterns.compile_pattern(pattern)
    except ConfigError:
        return
    assert isinstance(branch_patterns.matches(pattern, branch), bool)


@BOUNDED
@given(st.lists(glob_text, max_size=4), st.text(max_size=30) | glob_text)
def test_scope_patterns_compile_or_refuse(lines: list[str], path: str) -> None:
    try:
        compiled = patterns("scope/FR-1.yaml", lines)
    except ConfigError as exc:
        assert "scope/FR-1.yaml" in str(exc)
        return
    found = compiled.match(path)
    assert found is None or found in lines


@BOUNDED
@given(cite_text, cite_text)
def test_citations_parse_or_exit_2(title: str, body: str) -> None:
    try:
        parsed = cite.read(title, body)
    except GuardsError:
        return
    assert all(c.text for c in parsed.citations)


@BOUNDED
@given(cite_text)
def test_spec_index_parses_or_refuses(text: str) -> None:
    try:
        parse_doc("SPEC.md", text)
    except ConfigError as exc:
        assert "SPEC.md" in str(exc)


def _section(key: str) -> st.SearchStrategy[Any]:
    inner = list(SCHEMA["properties"][key].get("properties", {})) or ["x"]
    return st.dictionaries(st.sampled_from(inner), json_values, max_size=3) | json_values


config_docs = st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional={key: _section(key) for key in SCHEMA["properties"]}),
)


@BOUNDED
@given(config_docs)
def test_config_is_settings_or_refused(doc: Any) -> None:
    try:
        config = parse_config(doc, "guards.yaml")
    except ConfigError as exc:
        assert "guards.yaml" in str(exc)
        return
    assert isinstance(config, Config)


PY_ALPHABET = st.sampled_from(
    ["import pytest\n", "@pytest.mark.skip\n", "def test_a():\n", "    pass\n", "class T:\n",
     "(", ")", "-", "if x:\n", "pytest.skip()\n", "    ", "\n", "@", "x", "\x00", "\xff"]
)  # fmt: skip # -- one fragment per item reads better here
py_source = st.lists(PY_ALPHABET, max_size=40).map(lambda parts: "".join(parts).encode("utf-8"))


@BOUNDED
@given(st.one_of(st.binary(max_size=200), py_source))
def test_python_analyzer_answers_or_says_why(data: bytes) -> None:
    try:
        module = analyze("tests/test_a.py", data)
    except (NotParsable, Undecidable):
        return
    assert module is not None
