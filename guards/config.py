"""guards.yaml (or [tool.guards] in pyproject.toml), read at the BASE revision and validated."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from guards.core.git import Git
from guards.errors import ConfigError, GuardsError
from guards.tomlread import tomllib

DEFAULT_FILE = "guards.yaml"
DEFAULT_TICKET_PATTERN = r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-[0-9]+"
_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_SECTIONS = {"type": "object", "additionalProperties": _STRINGS}

# A ticket's scope file, scope/<TICKET>.yaml (manifest-scope's allow/deny, spec-ref's sections).
SCOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["allow"],
    "properties": {
        "allow": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "deny": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "sections": {"type": "array", "items": {"type": ["string", "integer"]}},
        "title": {"type": "string"},
        "description": {"type": "string"},
    },
}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "skip-set": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "paths": _STRINGS,
                "xfail-counts-as-skip": {"type": "boolean"},
                "removed-tests": {"enum": ["fail", "warn", "ignore"]},
                "collector": {"enum": ["static", "pytest"]},
            },
        },
        "protected-branch": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "branches": _STRINGS,
                "block-force-push-everywhere": {"type": "boolean"},
                "audit-settings": {"type": "boolean"},
                "require": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "approvals": {"type": "integer", "minimum": 0},
                        "block-force-push": {"type": "boolean"},
                        "block-deletion": {"type": "boolean"},
                        "status-checks": _STRINGS,
                    },
                },
            },
        },
        "manifest-scope": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "dir": {"type": "string", "minLength": 1},
                "ticket-pattern": {"type": "string", "minLength": 1},
                "deny": _STRINGS,
            },
        },
        "spec-ref": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"spec": _STRINGS, "sections": _SECTIONS},
        },
    },
}


@dataclass(frozen=True)
class SkipSetSettings:
    paths: tuple[str, ...] = ()
    xfail_counts_as_skip: bool = True
    removed_tests: str = "warn"
    collector: str = "static"  # pytest: real collection in this environment (slow)


@dataclass(frozen=True)
class Require:
    approvals: int = 1
    block_force_push: bool = True
    block_deletion: bool = True
    status_checks: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProtectedBranchSettings:
    branches: tuple[str, ...] = ("main", "master", "release/*")
    require: Require = field(default_factory=Require)
    block_force_push_everywhere: bool = False
    audit_settings: bool = True  # guards run audits protection settings when it has a token


@dataclass(frozen=True)
class ManifestScopeSettings:
    dir: str = "scope"
    ticket_pattern: str = DEFAULT_TICKET_PATTERN
    deny: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpecRefSettings:
    spec: tuple[str, ...] = ("SPEC.md",)
    sections: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    configured: bool = False  # the config has a spec-ref section (else a missing spec is n/a)


# -- suppressions and dependencies (issue 16) ------------------------------------------------
DEFAULT_REASON_PATTERN = r"\s--\s+\S"
ECOSYSTEMS = ("pypi", "npm", "go", "cargo", "rubygems", "maven")
SCHEMA["properties"]["suppressions"] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"reason-pattern": {"type": "string", "minLength": 1}, "exclude": _STRINGS},
}
SCHEMA["properties"]["dependencies"] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "allow": {
            "type": "object",
            "additionalProperties": False,
            "properties": {e: {"type": "array", "items": {"type": "string"}} for e in ECOSYSTEMS},
        },
        "allowlist": {"type": "string", "minLength": 1},
        "unlisted": {"enum": ["fail", "warn"]},
        "max-distance": {"type": "integer", "minimum": 0, "maximum": 3},
    },
}


@dataclass(frozen=True)
class SuppressionsSettings:
    reason_pattern: str = DEFAULT_REASON_PATTERN
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class DependenciesSettings:
    allow: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    allowlist: str | None = None  # a YAML file at base, shaped like ``allow``
    unlisted: str = "warn"  # an ecosystem without an allowlist: fail | warn
    max_distance: int = 2


def _suppressions(d: Mapping[str, Any], source: str) -> SuppressionsSettings:
    pattern = d.get("reason-pattern", DEFAULT_REASON_PATTERN)
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{source}: suppressions.reason-pattern: not a regex: {exc}") from exc
    return SuppressionsSettings(reason_pattern=pattern, exclude=tuple(d.get("exclude", ())))


def _dependencies(d: Mapping[str, Any]) -> DependenciesSettings:
    return DependenciesSettings(
        allow={k: tuple(v) for k, v in d.get("allow", {}).items()},
        allowlist=d.get("allowlist"),
        unlisted=d.get("unlisted", "warn"),
        max_distance=d.get("max-distance", 2),
    )


@dataclass(frozen=True)
class Config:
    """Every guard's settings, frozen; ``source`` says where they were read."""

    source: str = "defaults"
    skip_set: SkipSetSettings = field(default_factory=SkipSetSettings)
    protected_branch: ProtectedBranchSettings = field(default_factory=ProtectedBranchSettings)
    manifest_scope: ManifestScopeSettings = field(default_factory=ManifestScopeSettings)
    spec_ref: SpecRefSettings = field(default_factory=SpecRefSettings)
    suppressions: SuppressionsSettings = field(default_factory=SuppressionsSettings)
    dependencies: DependenciesSettings = field(default_factory=DependenciesSettings)


def load_config(git: Git, rev: str, path: str | None = None) -> Config:
    """The policy at REV: PATH if given (it must exist), else guards.yaml, else pyproject.toml."""
    if path:
        data = git.read(rev, path)
        if data is None:
            raise ConfigError(f"config file {path} does not exist at base {rev[:12]}")
        return parse_config(_load_yaml(data, path), f"{path}@{rev[:12]}")
    data = git.read(rev, DEFAULT_FILE)
    if data is not None:
        return parse_config(_load_yaml(data, DEFAULT_FILE), f"{DEFAULT_FILE}@{rev[:12]}")
    pyproject = git.read(rev, "pyproject.toml")
    if pyproject is not None:
        table = _tool_guards(pyproject)
        if table is not None:
            return parse_config(table, f"pyproject.toml [tool.guards]@{rev[:12]}")
    return Config()


def load_yaml_file(data: bytes, name: str) -> Any:
    """Parse YAML bytes; a syntax error is a ConfigError naming the file and line."""
    return _load_yaml(data, name)


def _load_yaml(data: bytes, name: str) -> Any:
    try:
        return yaml.safe_load(data.decode("utf-8")) if data.strip() else {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name}: not valid YAML: {exc}") from exc


def _tool_guards(data: bytes) -> Any:
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"pyproject.toml: not valid TOML: {exc}") from exc
    return doc.get("tool", {}).get("guards")


def validate(doc: Any, schema: Mapping[str, Any], source: str) -> None:
    """Validate DOC against SCHEMA; the error names the file, the key and what was expected."""
    import jsonschema  # only when there is a document to check: a run without one starts faster

    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=str)
    if errors:
        err = errors[0]
        key = ".".join(str(p) for p in err.absolute_path) or "(top level)"
        raise ConfigError(f"{source}: {key}: {err.message}")


def parse_config(doc: Any, source: str) -> Config:
    """Validate a parsed guards.yaml document and freeze it into settings."""
    doc = {} if doc is None else doc
    validate(doc, SCHEMA, source)
    return Config(
        source=source,
        skip_set=_skip_set(doc.get("skip-set", {})),
        protected_branch=_protected(doc.get("protected-branch", {})),
        manifest_scope=_scope(doc.get("manifest-scope", {}), source),
        spec_ref=_spec(doc.get("spec-ref", {}), "spec-ref" in doc),
        suppressions=_suppressions(doc.get("suppressions", {}), source),
        dependencies=_dependencies(doc.get("dependencies", {})),
    )


def _skip_set(d: Mapping[str, Any]) -> SkipSetSettings:
    return SkipSetSettings(
        paths=tuple(d.get("paths", ())),
        xfail_counts_as_skip=d.get("xfail-counts-as-skip", True),
        removed_tests=d.get("removed-tests", "warn"),
        collector=d.get("collector", "static"),
    )


def _protected(d: Mapping[str, Any]) -> ProtectedBranchSettings:
    r = d.get("require", {})
    defaults = ProtectedBranchSettings()
    return ProtectedBranchSettings(
        branches=tuple(d.get("branches", defaults.branches)),
        require=Require(
            approvals=r.get("approvals", 1),
            block_force_push=r.get("block-force-push", True),
            block_deletion=r.get("block-deletion", True),
            status_checks=tuple(r.get("status-checks", ())),
        ),
        block_force_push_everywhere=d.get("block-force-push-everywhere", False),
        audit_settings=d.get("audit-settings", True),
    )


def _scope(d: Mapping[str, Any], source: str) -> ManifestScopeSettings:
    pattern = d.get("ticket-pattern", DEFAULT_TICKET_PATTERN)
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{source}: manifest-scope.ticket-pattern: not a regex: {exc}") from exc
    return ManifestScopeSettings(
        dir=d.get("dir", "scope").strip("/"), ticket_pattern=pattern, deny=tuple(d.get("deny", ()))
    )


def _spec(d: Mapping[str, Any], configured: bool) -> SpecRefSettings:
    sections = {str(k): tuple(v) for k, v in d.get("sections", {}).items()}
    return SpecRefSettings(
        spec=tuple(d.get("spec", ("SPEC.md",))), sections=sections, configured=configured
    )


def load_scope_file(
    read_base: Callable[[str], bytes | None], folder: str, ticket: str
) -> tuple[dict[str, Any] | None, str]:
    """The ticket's scope document at base (.yaml, then .yml) and its path."""
    for ext in (".yaml", ".yml"):
        source = f"{folder}/{ticket}{ext}"
        data = read_base(source)
        if data is not None:
            doc = load_yaml_file(data, source)
            if not isinstance(doc, dict):
                raise ConfigError(f"{source}: expected a mapping with an 'allow' list")
            validate(doc, SCOPE_SCHEMA, source)
            return doc, source
    return None, f"{folder}/{ticket}.yaml"


def push_policy(git: Git, remote: str) -> tuple[Config, str]:
    """The policy for a local push: at the remote's default branch if this clone knows it,
    else at HEAD (and the defaults in a repository with no commit); with where it was read."""
    for rev in (f"refs/remotes/{remote}/HEAD", "HEAD"):
        sha = git.try_resolve(rev)
        if sha:
            return load_config(git, sha), rev
    return Config(), "no commit yet"


def audit_policy(config_path: str | None) -> Config:
    """The policy of ``guards protection audit``: --config FILE from disk, else the checkout's
    policy at HEAD, else the defaults."""
    if config_path:
        try:
            data = Path(config_path).read_bytes()
        except OSError as exc:
            raise ConfigError(f"cannot read --config {config_path}: {exc}") from exc
        return parse_config(load_yaml_file(data, config_path), config_path)
    try:
        git = Git(".")
    except GuardsError:
        return Config()
    head = git.try_resolve("HEAD")
    return load_config(git, head) if head else Config()
