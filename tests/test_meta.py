"""Meta tests that keep the docs and the probe suite honest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
import yaml

from guards.checks import GUARDS
from guards.config import SCHEMA
from guards.main import cli
from guards.probe.model import discover
from guards.probe.run import evaluate_file
from testing.git_repo import guards_cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PROBES, BROKEN = discover(ROOT / "tests" / "probes")
RULES = [(guard, rule) for guard, module in GUARDS.items() for rule in module.RULES]


@pytest.mark.parametrize(("guard", "rule"), RULES)
def test_every_rule_is_documented(guard: str, rule: str) -> None:
    assert f"`{rule}`" in README, f"{guard} rule {rule} is not documented in README.md"


@pytest.mark.parametrize(("guard", "rule"), RULES)
def test_every_rule_has_a_probe_that_makes_it_fail(guard: str, rule: str) -> None:
    pinned = [
        p
        for p in PROBES
        if p.guard == guard
        and p.expect == "fail"
        and any(f["rule"] == rule for f in p.doc.get("findings", ()))
    ]
    assert pinned, f"no must-fail probe of {guard} pins a finding of rule {rule}"


@pytest.mark.parametrize("guard", list(GUARDS))
def test_suite_size_per_guard(guard: str) -> None:
    mine = [p for p in PROBES if p.guard == guard]
    assert sum(p.expect == "fail" for p in mine) >= 50
    assert sum(p.expect == "pass" for p in mine) >= 15


def test_evasions_and_known_good_totals() -> None:
    assert sum(p.is_evasion for p in PROBES) >= 15
    assert sum(p.expect == "pass" for p in PROBES) >= 60


def test_every_probe_is_a_different_case() -> None:
    seen: dict[str, str] = {}
    titles: set[tuple[str, str]] = set()
    for p in PROBES:
        case = {k: v for k, v in p.doc.items() if k not in ("title", "tries", "findings")}
        key = json.dumps(case, sort_keys=True)
        assert key not in seen, f"{p.path} repeats {seen.get(key)}"
        seen[key] = p.path
        assert (p.guard, p.title) not in titles, f"duplicate title: {p.title}"
        titles.add((p.guard, p.title))


def test_named_findings_that_do_not_appear_fail_the_probe(tmp_path: Path) -> None:
    doc = yaml.safe_load((ROOT / "tests/probes/manifest-scope/fail-rename-out.yaml").read_text())
    doc["findings"] = [{"rule": "changes_in_scope", "path": "not/the/path.py"}]
    probe = tmp_path / "wrong-findings.yaml"
    probe.write_text(yaml.safe_dump(doc))
    outcome = evaluate_file(str(probe))
    assert outcome.verdict == "fail" and not outcome.ok
    assert "expected findings not reported" in outcome.detail


def test_a_must_pass_probe_that_is_flagged_is_reported(tmp_path: Path) -> None:
    doc = yaml.safe_load((ROOT / "tests/probes/manifest-scope/fail-add-outside.yaml").read_text())
    doc["expect"] = "pass"
    doc.pop("findings")
    probe = tmp_path / "false-alarm.yaml"
    probe.write_text(yaml.safe_dump(doc))
    outcome = evaluate_file(str(probe))
    assert outcome.verdict == "fail" and not outcome.ok


def _schema_keys(schema: dict, prefix: str = "") -> list[str]:
    keys = []
    for name, sub in schema.get("properties", {}).items():
        keys.append(prefix + name)
        keys += _schema_keys(sub, f"{prefix}{name}.")
    return keys


@pytest.mark.parametrize("key", _schema_keys(SCHEMA))
def test_every_config_key_is_documented(key: str) -> None:
    leaf = key.rsplit(".", 1)[-1]
    assert f"{leaf}:" in README or f"`{leaf}`" in README, f"config key {key} is not in README.md"


def _flags() -> list[tuple[str, str]]:
    found = []

    def walk(cmd: click.Command, path: str) -> None:
        for param in cmd.params:
            found.extend((path, opt) for opt in param.opts if opt.startswith("--"))
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                walk(sub, f"{path} {name}".strip())

    walk(cli, "")
    return [f for f in found if f[1] not in ("--help", "--version")]


@pytest.mark.parametrize(("command", "flag"), _flags())
def test_every_cli_flag_is_documented(command: str, flag: str) -> None:
    assert f"`{flag}" in README or f"[{flag}" in README, f"guards {command} {flag} is undocumented"


SUPPRESSION = re.compile(r"#\s*(noqa|type:\s*ignore|pragma:\s*no cover)")


def test_every_suppression_gives_its_reason() -> None:
    bare = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("guards", "tests", "testing", "benchmarks")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SUPPRESSION.search(line) and " -- " not in line
    ]
    assert not bare, f"suppressions without ' -- reason': {bare}"


def test_the_project_skips_none_of_its_own_tests() -> None:
    result = guards_cli("skips", "list", "--repo", str(ROOT), "--format", "json")
    assert result.code == 0, result.stderr
    assert result.json()["skipped"] == []


def test_every_shipped_probe_file_is_a_valid_probe() -> None:
    assert BROKEN == []
