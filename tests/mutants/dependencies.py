"""Detections of dependencies, each with a replacement that disables it."""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz.distance import Levenshtein

from guards.checks import formats
from guards.checks.dependencies import judge, manifests, model, names
from guards.errors import GuardsError

_ORIGINAL_SOURCES = judge.sources
_NEVER = re.compile(r"(?!)")
_JSONC = formats.jsonc
_D = "guards.checks.dependencies"


def _indexes_only(uv: Any) -> list[str]:
    """python._uv_indexes as it was: indexes, no find-links."""
    found = [f"index {i.get('url')}" for i in uv.get("index", []) if isinstance(i, dict)]
    return found + [f"index {uv[k]}" for k in ("index-url", "extra-index-url") if k in uv]


def _protocol_folder_only(spec: str) -> str | None:
    """javascript._folder without npm's bare paths: only file:, link: and portal: folders."""
    found = re.match(r"^(?:file|link|portal):(?!//)(.+)$", spec)
    return found[1] if found else None


def _bom_refused(data: bytes, path: str) -> Any:
    """formats.jsonc as it was: a leading BOM is no JSON."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise GuardsError(f"{path}: not valid JSON (Unexpected UTF-8 BOM)")
    return _JSONC(data, path)


def _nothing(*_a: object, **_k: object) -> list[object]:
    return []


def _every_head_dep(base: model.Found, head: model.Found) -> list[model.Dep]:
    return list(head.deps)


def _sources_without_base(base: model.Found, head: model.Found) -> Any:
    return _ORIGINAL_SOURCES(model.Found(), head)


def _allowlist_at_head(ctx: Any, path: str) -> dict[str, list[str]]:
    from guards.checks.dependencies import allow
    from guards.config import load_yaml_file

    data = ctx.git.read(ctx.head, path) or ctx.read_base(path)
    doc = load_yaml_file(data, path) or {}
    return {e: list(v) for e, v in doc.items() if e in allow.ECOSYSTEMS}


def _crate_by_key(name: str, spec: Any, path: str) -> model.Dep:
    return model.Dep("cargo", name, path)


MUTANTS = [
    ("look-alikes not checked", "guards.checks.dependencies.judge:lookalikes", _nothing),
    ("allowlist not checked", "guards.checks.dependencies.judge:unlisted", _nothing),
    ("sources not checked", "guards.checks.dependencies.judge:sources", _nothing),
    ("base sources forgotten", "guards.checks.dependencies.judge:sources", _sources_without_base),
    (
        "every head dependency taken as new",
        "guards.checks.dependencies.judge:added",
        _every_head_dep,
    ),
    ("-r/-c includes not followed", "guards.checks.dependencies.requirements:INCLUDE", _NEVER),
    (
        "an edited included file not read",
        "guards.checks.dependencies.manifests:included",
        lambda path, roots, read: False,
    ),
    (
        "names compared as written",
        "guards.checks.dependencies.names:normalize",
        lambda ecosystem, name: name,
    ),
    (
        "npm names compared case-blind",
        "guards.checks.dependencies.names:normalize",
        lambda ecosystem, name: name.lower(),
    ),
    (
        "no folding before comparing",
        "guards.checks.dependencies.names:fold",
        lambda name: name.lower(),
    ),
    ("confusables not folded", "guards.checks.dependencies.names:CONFUSABLES", {}),
    ("separators not folded", "guards.checks.dependencies.names:SEPARATORS", _NEVER),
    ("a transposition counts two edits", "guards.checks.dependencies.names:OSA", Levenshtein),
    ("shipped popular names not used", "guards.checks.dependencies:popular", lambda ecosystem: ()),
    ("npm aliases read by their key", "guards.checks.dependencies.javascript:ALIAS", _NEVER),
    (
        "GitHub shorthand taken for a version",
        "guards.checks.dependencies.javascript:SHORTHAND",
        _NEVER,
    ),
    (
        "Cargo package renames read by their key",
        "guards.checks.dependencies.others:_crate",
        _crate_by_key,
    ),
    ("Poetry tables not read", "guards.checks.dependencies.python:_poetry", _nothing),
    ("allowlist file read at head", "guards.checks.dependencies.allow:_file", _allowlist_at_head),
    ("index options not read", "guards.checks.dependencies.requirements:SOURCE_OPT", _NEVER),
    (
        "npm overrides and resolutions not read",
        "guards.checks.dependencies.javascript:OVERRIDES",
        (),
    ),
    ("gemspec dependencies not read", "guards.checks.dependencies.others:GEMSPEC", _NEVER),
    (
        "go.work not a manifest",
        "guards.checks.dependencies.manifests:NAMES",
        {k: v for k, v in manifests.NAMES.items() if k != "go.work"},
    ),
    ("uv/PDM/Hatch tool dependencies not read", f"{_D}.python:_tool_strings", lambda t: iter(())),
    ("uv override/constraint pins not read", f"{_D}.python:UV_PINS", ()),
    ("uv find-links not read", f"{_D}.python:_uv_indexes", _indexes_only),
    ("Gradle maps not read", "guards.checks.dependencies.gradle:MAP_KEY", _NEVER),
    ("Gradle comments read as code", "guards.checks.formats:strip_comments", lambda t: t),
    (
        "Gradle version catalogs not read",
        "guards.checks.dependencies.gradle:catalog",
        lambda data, path: model.Declared(),
    ),
    ("Gradle repository URLs not read", "guards.checks.dependencies.gradle:URL", _NEVER),
    (
        "package.json's BOM refused, not dropped as npm drops it",
        "guards.checks.formats:jsonc",
        _bom_refused,
    ),
    (
        "requirements files read as UTF-8, not as pip decodes them",
        "guards.checks.dependencies.requirements:pip_text",
        lambda data, _path: data.decode("utf-8", "replace"),
    ),
    (
        "invalid requirement lines dropped",
        "guards.checks.dependencies.requirements:LEADING",
        _NEVER,
    ),
    (
        "a manifest's table read in any shape",
        "guards.core.shapes:table",
        lambda value, key: value or {},
    ),
    (
        "a folder of the repository taken for a path source",
        "guards.checks.dependencies.judge:_own",
        lambda _dep, _base: False,
    ),
    (
        "a registry package vendored into the repository taken for its own",
        "guards.checks.dependencies.judge:_own",
        lambda dep, _base: dep.source.startswith(model.OWN),
    ),
    (
        "npm's bare paths (../x) not read as folders",
        "guards.checks.dependencies.javascript:_folder",
        _protocol_folder_only,
    ),
    (
        "a popular name with a word added taken for a misspelling of it",
        "guards.checks.dependencies.names:_extends",
        lambda _name, _other: False,
    ),
    (
        "a name that starts with a popular one's letters taken for that name with a word added",
        "guards.checks.dependencies.names:_extends",
        lambda name, other: names.fold(name).startswith(names.fold(other)),
    ),
]
