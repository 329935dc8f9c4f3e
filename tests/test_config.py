"""guards.yaml / [tool.guards]: read at base, validated, frozen."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from guards.config import Config, ConfigError, load_config, parse_config
from guards.core.git import Git
from testing.git_repo import pr_repo


def test_defaults_when_no_config(tmp_path: Path) -> None:
    repo, base, _ = pr_repo(tmp_path / "r", {"a": "1"}, {})
    cfg = load_config(Git(repo.path), base)
    assert cfg == Config()
    assert cfg.protected_branch.branches == ("main", "master", "release/*")
    assert cfg.skip_set.removed_tests == "warn" and cfg.spec_ref.spec == ("SPEC.md",)


def test_guards_yaml_is_read_at_base_not_head(tmp_path: Path) -> None:
    repo, base, head = pr_repo(
        tmp_path / "r",
        {"guards.yaml": "manifest-scope: {dir: tickets}\n"},
        {"guards.yaml": "manifest-scope: {dir: loose}\n"},
    )
    assert load_config(Git(repo.path), base).manifest_scope.dir == "tickets"
    assert load_config(Git(repo.path), head).manifest_scope.dir == "loose"


def test_pyproject_tool_guards(tmp_path: Path) -> None:
    toml = '[tool.guards.skip-set]\nremoved-tests = "fail"\n[tool.other]\nx = 1\n'
    repo, base, _ = pr_repo(tmp_path / "r", {"pyproject.toml": toml}, {})
    cfg = load_config(Git(repo.path), base)
    assert cfg.skip_set.removed_tests == "fail" and "pyproject.toml" in cfg.source


def test_explicit_config_path_must_exist_at_base(tmp_path: Path) -> None:
    repo, base, _ = pr_repo(tmp_path / "r", {"a": "1"}, {"ci/guards.yaml": "{}"})
    with pytest.raises(ConfigError, match=r"ci/guards\.yaml does not exist at base"):
        load_config(Git(repo.path), base, "ci/guards.yaml")


def test_settings_are_frozen() -> None:
    cfg = parse_config({"protected-branch": {"require": {"approvals": 2}}}, "t")
    assert cfg.protected_branch.require.approvals == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.protected_branch.require.approvals = 0  # type: ignore[misc] -- proving it is frozen


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            {"skip-set": {"removed-tests": "maybe"}},
            r"skip-set\.removed-tests: 'maybe' is not one of",
        ),
        (
            {"manifest-scope": {"deny": "secrets/**"}},
            r"manifest-scope\.deny: 'secrets/\*\*' is not of type 'array'",
        ),
        (
            {"manifest-scop": {}},
            r"\(top level\): unknown key 'manifest-scop' \(did you mean 'manifest-scope'\?\)",
        ),
        (
            {"protected-branch": {"require": {"approvals": -1}}},
            r"protected-branch\.require\.approvals: -1 is less than",
        ),
        (
            {"protected-branch": {"require": {"aprovals": 1}}},
            r"protected-branch\.require: unknown key .aprovals. \(did you mean .approvals.\?\)",
        ),
        (
            {"spec-ref": {"sections": {"4.2": "src/**"}}},
            r"spec-ref\.sections\.4\.2: 'src/\*\*' is not of type",
        ),
        (
            {"manifest-scope": {"ticket-pattern": "([A-Z"}},
            r"manifest-scope\.ticket-pattern: not a regex",
        ),
        (["a", "list"], r"\(top level\): \['a', 'list'\] is not of type 'object'"),
    ],
)
def test_invalid_config_names_file_key_and_expectation(doc: object, message: str) -> None:
    with pytest.raises(ConfigError, match=r"^guards\.yaml@abc: " + message):
        parse_config(doc, "guards.yaml@abc")


@pytest.mark.parametrize("text", ["a: [1", "\t- x", "key: 'unterminated"])
def test_invalid_yaml_is_a_config_error(tmp_path: Path, text: str) -> None:
    repo, base, _ = pr_repo(tmp_path / "r", {"guards.yaml": text}, {})
    with pytest.raises(ConfigError, match=r"guards\.yaml: not valid YAML"):
        load_config(Git(repo.path), base)


def test_empty_guards_yaml_means_defaults(tmp_path: Path) -> None:
    repo, base, _ = pr_repo(tmp_path / "r", {"guards.yaml": "# nothing yet\n"}, {})
    cfg = load_config(Git(repo.path), base)
    assert dataclasses.replace(cfg, source="defaults") == Config()
