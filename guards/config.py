"""guards.yaml (or [tool.guards] in pyproject.toml), read at the BASE revision and validated."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import Any

from guards.core.git import Git
from guards.core.records import record
from guards.errors import ConfigError, GuardsError
from guards.linear_re import compile_full, compile_search

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
        "tests": {"type": "array", "items": {"type": "string", "minLength": 1}},  # tests-with-code
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
                "allowed-pr-heads": _STRINGS,
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


@record
class SkipSetSettings:
    paths: tuple[str, ...] = ()
    xfail_counts_as_skip: bool = True
    removed_tests: str = "warn"
    collector: str = "static"  # pytest: real collection in this environment (slow)


@record
class Require:
    approvals: int = 1
    block_force_push: bool = True
    block_deletion: bool = True
    status_checks: tuple[str, ...] = ()


@record
class ProtectedBranchSettings:
    branches: tuple[str, ...] = ("main", "master", "release/*")
    require: Require = field(default_factory=Require)
    block_force_push_everywhere: bool = False
    audit_settings: bool = True  # guards run audits protection settings when it has a token
    allowed_pr_heads: tuple[str, ...] = ()  # protected branches a PR may come from (release flows)


@record
class ManifestScopeSettings:
    dir: str = "scope"
    ticket_pattern: str = DEFAULT_TICKET_PATTERN
    deny: tuple[str, ...] = ()


@record
class SpecRefSettings:
    spec: tuple[str, ...] = ("SPEC.md",)
    sections: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    configured: bool = False  # the config has a spec-ref section (else a missing spec is n/a)


# -- waivers (issue 15): waive-role, policy waivers and exemptions, all read at base ---------
ROLES = ("read", "triage", "write", "maintain", "admin")  # least to most
UNEXEMPTABLE = ("skip-set", "protected-branch")
_WAIVER = {
    "type": "object",
    "additionalProperties": False,
    "required": ["guard", "reason", "expires", "approved-by"],
    "properties": {
        "guard": {"type": "string", "minLength": 1},
        "target": {"anyOf": [{"type": "string", "minLength": 1}, _STRINGS]},
        "reason": {"type": "string", "pattern": r"\S"},
        "expires": {},  # a YAML date (or an ISO date string): checked in _policy_waiver
        "approved-by": {"type": "string", "pattern": r"\S"},
    },
}
_EXEMPT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["author", "guards"],
    "properties": {
        "author": {"type": "string", "minLength": 1},
        "guards": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
    },
}
SCHEMA["properties"].update(
    {
        "waive-role": {"enum": list(ROLES)},
        "waivers": {"type": "array", "items": _WAIVER},
        "exempt": {"type": "array", "items": _EXEMPT},
    }
)


@record
class PolicyWaiver:
    """A waiver in guards.yaml at base: valid through ``expires`` (a UTC date)."""

    guard: str
    targets: tuple[str, ...]
    reason: str
    expires: datetime.date
    approved_by: str


@record
class Exemption:
    """The PR author AUTHOR (from the event) is exempt from GUARDS."""

    author: str
    guards: tuple[str, ...]


@record
class WaiverSettings:
    waive_role: str = "maintain"
    policy: tuple[PolicyWaiver, ...] = ()
    exempt: tuple[Exemption, ...] = ()


def _waiver_settings(doc: Mapping[str, Any], source: str) -> WaiverSettings:
    return WaiverSettings(
        waive_role=doc.get("waive-role", "maintain"),
        policy=tuple(_policy_waiver(w, source) for w in doc.get("waivers", ())),
        exempt=tuple(_exemption(e, source) for e in doc.get("exempt", ())),
    )


def _exemption(e: Mapping[str, Any], source: str) -> Exemption:
    barred = sorted(set(e["guards"]) & set(UNEXEMPTABLE))
    if barred:
        raise ConfigError(
            f"{source}: exempt: {', '.join(barred)} cannot be exempted (no author may skip "
            "the skip set or protected branches); remove it from the list"
        )
    return Exemption(e["author"], tuple(e["guards"]))


def _policy_waiver(w: Mapping[str, Any], source: str) -> PolicyWaiver:
    target = w.get("target", ())
    return PolicyWaiver(
        w["guard"],
        (target,) if isinstance(target, str) else tuple(target),
        w["reason"].strip(),
        _date(w["expires"], source),
        w["approved-by"].strip(),
    )


def _date(value: Any, source: str) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigError(
            f"{source}: waivers: expires {value!r} is not a date (YYYY-MM-DD)"
        ) from exc


# -- end of waivers ---------------------------------------------------------------------------
# --- tests-with-code and commit-format (issue 17): schema, settings, parsers -----------------
_TYPES: tuple[str, ...] = ("feat", "fix", "docs", "style", "refactor", "perf", "test", "build")
_TYPES += ("ci", "chore", "revert")
SCHEMA["properties"]["tests-with-code"] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "implementation": _STRINGS,  # gitignore-style globs; default: source files by extension
        "tests": _STRINGS,  # default: pytest, jest/vitest, go, maven/gradle and cargo layouts
        "map": _SECTIONS,  # implementation glob -> test globs that must change with it
    },
}
SCHEMA["properties"]["commit-format"] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "types": {**_STRINGS, "minItems": 1},
        "scopes": _STRINGS,
        "subject-length": {"type": "integer", "minimum": 10, "maximum": 1000},
        "sign-off": {"type": "boolean"},
        "allow-fixup": {"type": "boolean"},
        "judge": {"enum": ["commits", "pr-title", "both"]},
        "skip-merges": {"type": "boolean"},
    },
}


@record
class TestsWithCodeSettings:
    implementation: tuple[str, ...] = ()  # empty: every source file that is not a test
    tests: tuple[str, ...] = ()  # empty: the default layouts (guards.checks.tests_with_code)
    map: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    configured: bool = False  # opt-in: the guard runs only with a tests-with-code section


@record
class CommitFormatSettings:
    types: tuple[str, ...] = _TYPES
    scopes: tuple[str, ...] = ()  # empty: any scope (or none)
    subject_length: int = 72
    sign_off: bool = False
    allow_fixup: bool = False
    judge: str = "commits"  # commits | pr-title | both
    configured: bool = False  # opt-in: the guard runs only with a commit-format section
    skip_merges: bool = True


def _tests_with_code(d: Mapping[str, Any], configured: bool) -> TestsWithCodeSettings:
    return TestsWithCodeSettings(
        implementation=tuple(d.get("implementation", ())),
        tests=tuple(d.get("tests", ())),
        map={str(k): tuple(v) for k, v in d.get("map", {}).items()},
        configured=configured,
    )


def _commit_format(d: Mapping[str, Any], configured: bool) -> CommitFormatSettings:
    return CommitFormatSettings(
        types=tuple(d.get("types", _TYPES)),
        scopes=tuple(d.get("scopes", ())),
        subject_length=d.get("subject-length", 72),
        sign_off=d.get("sign-off", False),
        allow_fixup=d.get("allow-fixup", False),
        judge=d.get("judge", "commits"),
        skip_merges=d.get("skip-merges", True),
        configured=configured,
    )


# --- end of the tests-with-code / commit-format block ------------------------------------------


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


@record
class SuppressionsSettings:
    reason_pattern: str = DEFAULT_REASON_PATTERN
    exclude: tuple[str, ...] = ()


@record
class DependenciesSettings:
    allow: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    allowlist: str | None = None  # a YAML file at base, shaped like ``allow``
    unlisted: str = "warn"  # an ecosystem without an allowlist: fail | warn
    max_distance: int = 2


def _suppressions(d: Mapping[str, Any], source: str) -> SuppressionsSettings:
    pattern = d.get("reason-pattern", DEFAULT_REASON_PATTERN)
    try:
        compile_full(pattern)  # RE2: a comment a pull request writes meets it in linear time
    except ValueError as exc:
        raise ConfigError(f"{source}: suppressions.reason-pattern: {exc}") from exc
    return SuppressionsSettings(reason_pattern=pattern, exclude=tuple(d.get("exclude", ())))


def _dependencies(d: Mapping[str, Any]) -> DependenciesSettings:
    return DependenciesSettings(
        allow={k: tuple(v) for k, v in d.get("allow", {}).items()},
        allowlist=d.get("allowlist"),
        unlisted=d.get("unlisted", "warn"),
        max_distance=d.get("max-distance", 2),
    )


@record
class Config:
    """Every guard's settings, frozen; ``source`` says where they were read."""

    source: str = "defaults"
    skip_set: SkipSetSettings = field(default_factory=SkipSetSettings)
    protected_branch: ProtectedBranchSettings = field(default_factory=ProtectedBranchSettings)
    manifest_scope: ManifestScopeSettings = field(default_factory=ManifestScopeSettings)
    spec_ref: SpecRefSettings = field(default_factory=SpecRefSettings)
    waivers: WaiverSettings = field(default_factory=WaiverSettings)  # guards/waivers/
    tests_with_code: TestsWithCodeSettings = field(default_factory=TestsWithCodeSettings)
    commit_format: CommitFormatSettings = field(default_factory=CommitFormatSettings)
    suppressions: SuppressionsSettings = field(default_factory=SuppressionsSettings)
    dependencies: DependenciesSettings = field(default_factory=DependenciesSettings)


def load_config(git: Git, rev: str, path: str | None = None) -> Config:
    """The policy at REV: PATH if given (it must exist), else guards.yaml, else pyproject.toml."""
    if path:
        data = git.read(rev, path)
        if data is None:
            raise ConfigError(f"config file {path} does not exist at base {rev[:12]}")
        if path.endswith(".toml"):  # pyproject.toml or any TOML: its [tool.guards] table
            return parse_config(_toml_table(data, path), f"{path} [tool.guards]@{rev[:12]}")
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
    from guards import strict_yaml  # PyYAML (~15 ms) loads only when a YAML file is read

    return strict_yaml.load(data, name)


def _toml_table(data: bytes, name: str) -> Any:
    """The [tool.guards] table of a TOML file named with --config; none is a ConfigError."""
    table = _tool_guards(data, name)
    if table is None:
        raise ConfigError(f"{name}: no [tool.guards] table (guards reads its config from it)")
    return table


def _tool_guards(data: bytes, name: str = "pyproject.toml") -> Any:
    """``[tool.guards]`` of a TOML file, None when it has none; a ``tool`` or ``tool.guards``
    that is not a table is a ConfigError."""
    if len(data) > MAX_PYPROJECT_BYTES:
        raise ConfigError(f"{name}: {len(data)} bytes; at most {MAX_PYPROJECT_BYTES}")
    from guards.tomlread import tomllib  # the TOML parser loads only when a TOML file is read

    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise ConfigError(f"{name}: not valid TOML: {why}") from exc
    tool = doc.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{name}: tool must be a table ([tool.guards] holds the policy)")
    table = tool.get("guards")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{name}: tool.guards must be a table ([tool.guards])")
    return table


def validate(doc: Any, schema: Mapping[str, Any], source: str) -> None:
    """Validate DOC against SCHEMA; the error names the file, the key and what was expected."""
    from guards.plain_schema import plainly_valid  # here: the import block stays as it was

    if plainly_valid(doc, schema):  # a plain scope file needs no jsonschema (issue 18)
        return
    import jsonschema  # only when there is a document to check: a run without one starts faster

    from guards.config_messages import schema_message  # difflib: only to say what is wrong

    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=str)
    if errors:
        err = errors[0]
        key = ".".join(str(p) for p in err.absolute_path) or "(top level)"
        text = schema_message(err.message, str(err.validator), err.instance, err.schema)
        raise ConfigError(f"{source}: {key}: {text}")


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
        waivers=_waiver_settings(doc, source),
        tests_with_code=_tests_with_code(
            doc.get("tests-with-code") or {}, "tests-with-code" in doc
        ),
        commit_format=_commit_format(doc.get("commit-format") or {}, "commit-format" in doc),
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
        allowed_pr_heads=tuple(d.get("allowed-pr-heads", ())),
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
