"""guards.yaml (or [tool.guards] in pyproject.toml), read at the BASE revision and validated."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from guards import strict_yaml
from guards.core.git import Git
from guards.errors import ConfigError, GuardsError
from guards.linear_re import compile_search
from guards.tomlread import tomllib

DEFAULT_FILE = "guards.yaml"
MAX_PYPROJECT_BYTES = 4 << 20  # pyproject.toml holds more than policy; 4 MiB is still generous
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


@dataclass(frozen=True)
class Config:
    """Every guard's settings, frozen; ``source`` says where they were read."""

    source: str = "defaults"
    skip_set: SkipSetSettings = field(default_factory=SkipSetSettings)
    protected_branch: ProtectedBranchSettings = field(default_factory=ProtectedBranchSettings)
    manifest_scope: ManifestScopeSettings = field(default_factory=ManifestScopeSettings)
    spec_ref: SpecRefSettings = field(default_factory=SpecRefSettings)


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
    """Strict YAML: duplicate keys, aliases, deep nesting and oversized files are refused."""
    return strict_yaml.load(data, name)


def _tool_guards(data: bytes) -> Any:
    """``[tool.guards]`` of a pyproject.toml, None when it has none; a ``tool`` or
    ``tool.guards`` that is not a table is a ConfigError."""
    if len(data) > MAX_PYPROJECT_BYTES:
        raise ConfigError(f"pyproject.toml: {len(data)} bytes; at most {MAX_PYPROJECT_BYTES}")
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise ConfigError(f"pyproject.toml: not valid TOML: {why}") from exc
    tool = doc.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError("pyproject.toml: tool must be a table ([tool.guards] holds the policy)")
    table = tool.get("guards")
    if table is not None and not isinstance(table, dict):
        raise ConfigError("pyproject.toml: tool.guards must be a table ([tool.guards])")
    return table


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
    compile_search(pattern, f"{source}: manifest-scope.ticket-pattern")  # RE2, or a ConfigError
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


def push_policy(git: Git, remote: str, branch: str | None = None) -> tuple[Config, str]:
    """The policy for a local push to BRANCH, and where it was read.

    At the remote's default branch as this clone last saw it (``refs/remotes/R/HEAD``), else
    at the remote-tracking copy of the target branch (``refs/remotes/R/BRANCH``); never at the
    pushed branch itself, which could loosen its own gate. With neither (``git init; git remote
    add; git push``) the defaults apply, tightened by whatever the local policy at HEAD adds:
    a local policy may only tighten (``tighten``)."""
    targets = [f"refs/remotes/{remote}/HEAD"]
    targets += [f"refs/remotes/{remote}/{branch}"] if branch else []
    for rev in targets:
        sha = git.try_resolve(rev)
        if sha:
            return load_config(git, sha), f"read at {rev}"
    head = git.try_resolve("HEAD")
    local = load_config(git, head) if head else Config()
    where = f"no {' or '.join(targets)} in this clone"
    if local.source == Config().source:
        return Config(), f"the defaults: {where}"
    merged = Config(source=f"defaults tightened by {local.source}")
    merged = replace(merged, protected_branch=tighten(merged.protected_branch, local))
    return merged, f"{where}; the local policy may only add to the defaults"


def tighten(defaults: ProtectedBranchSettings, local: Config) -> ProtectedBranchSettings:
    """DEFAULTS plus what LOCAL adds: union of branches and status checks, the larger number of
    approvals, any block flag that either sets."""
    mine, dr, lr = local.protected_branch, defaults.require, local.protected_branch.require
    return ProtectedBranchSettings(
        branches=tuple(dict.fromkeys((*defaults.branches, *mine.branches))),
        require=Require(
            approvals=max(dr.approvals, lr.approvals),
            block_force_push=dr.block_force_push or lr.block_force_push,
            block_deletion=dr.block_deletion or lr.block_deletion,
            status_checks=tuple(dict.fromkeys((*dr.status_checks, *lr.status_checks))),
        ),
        block_force_push_everywhere=(
            defaults.block_force_push_everywhere or mine.block_force_push_everywhere
        ),
        audit_settings=defaults.audit_settings or mine.audit_settings,
    )


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
