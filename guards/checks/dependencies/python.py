"""Python manifests besides requirements files: pyproject.toml ([project], optional
dependencies, [dependency-groups], [build-system], Poetry, uv's sources, indexes, find-links,
dev-dependencies and override/constraint pins that swap a source, PDM's dev-dependencies and
sources, Hatch environments' dependencies), setup.cfg, Pipfile, and pip.conf / uv.toml inside
the repository.

Every requirement string goes through ``packaging`` (see requirements.requirement); a table
with git/path/url is a source, and every index or source URL is a package source.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from guards.checks import formats
from guards.checks.dependencies.model import OWN, Declared, Dep, own_path
from guards.checks.dependencies.requirements import requirement
from guards.core import shapes

LOCATED = ("git", "path", "url", "file", "index", "source", "registry", "github")
UV_PINS = ("override-dependencies", "constraint-dependencies")  # pins, not new dependencies


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield from (s.strip() for s in value.splitlines() if s.strip())
    elif isinstance(value, list):
        yield from (v for v in value if isinstance(v, str))


def _located(spec: Any, path: str) -> str:
    """Where SPEC (a TOML table of PATH) fetches from; a ``path`` inside the repository is
    the repository's own (model.own_path)."""
    if not isinstance(spec, Mapping):
        return ""
    if [k for k in LOCATED if k in spec] == ["path"] and own_path(path, str(spec["path"])):
        return OWN + str(spec["path"])
    return ", ".join(f"{k}={spec[k]}" for k in LOCATED if k in spec)


def pyproject(data: bytes, path: str) -> Declared:
    doc = formats.toml(data, path)
    project, tool = _table(doc, "project"), _table(doc, "tool")
    strings = [*_strings(project.get("dependencies"))]
    optional = _table(project, "optional-dependencies", "project.")
    strings += [s for v in optional.values() for s in _strings(v)]
    strings += [s for v in _table(doc, "dependency-groups").values() for s in _strings(v)]
    strings += [*_strings(_table(doc, "build-system").get("requires"))]
    strings += list(_tool_strings(tool))
    deps = [requirement(s, path) for s in strings]
    poetry, uv = _table(tool, "poetry", "tool."), _table(tool, "uv", "tool.")
    deps += list(_poetry(poetry, path))
    sources = _table(uv, "sources", "tool.uv.").items()
    deps += [Dep("pypi", n, path, _located(s, path)) for n, s in sources]
    pins = [requirement(s, path) for k in UV_PINS for s in _strings(uv.get(k))]
    deps += [pin for pin in pins if pin.source]  # a pin only matters where it swaps the source
    indexes = _uv_indexes(uv)
    indexes += [f"source {s.get('url')}" for s in _tables(poetry, "source", "tool.poetry.")]
    pdm_sources = _tables(_table(tool, "pdm", "tool."), "source", "tool.pdm.")
    indexes += [f"source {s.get('url')}" for s in pdm_sources]
    return Declared(tuple(deps), tuple(indexes))


def _table(doc: Mapping[str, Any], key: str, where: str = "") -> Mapping[str, Any]:
    """DOC's table at KEY (WHERE: the keys above it, for the message): core/shapes.py."""
    return shapes.table(doc.get(key), where + key)


def _tables(doc: Mapping[str, Any], key: str, where: str = "") -> list[Mapping[str, Any]]:
    """DOC's array of tables at KEY, as ``_table``."""
    return shapes.tables(doc.get(key), where + key)


def _tool_strings(tool: Mapping[str, Any]) -> Iterator[str]:
    """The requirements the tools install beside [project]: uv's ``dev-dependencies`` (``uv
    sync`` installs them), PDM's ``dev-dependencies`` groups, every Hatch environment's
    ``dependencies`` and ``extra-dependencies``."""
    yield from _strings(_table(tool, "uv", "tool.").get("dev-dependencies"))
    pdm = _table(tool, "pdm", "tool.")
    for group in _table(pdm, "dev-dependencies", "tool.pdm.").values():
        yield from _strings(group)
    envs = _table(_table(tool, "hatch", "tool."), "envs", "tool.hatch.")
    for name, env in envs.items():
        env = shapes.table(env, f"tool.hatch.envs.{name}")
        for key in ("dependencies", "extra-dependencies"):
            yield from _strings(env.get(key))


def _uv_indexes(uv: Mapping[str, Any]) -> list[str]:
    """uv's package sources, in pyproject.toml's [tool.uv] or in uv.toml."""
    found = [f"index {i.get('url')}" for i in _tables(uv, "index")]
    found += [f"index {uv[k]}" for k in ("index-url", "extra-index-url") if k in uv]
    return found + [f"find-links {link}" for link in _strings(uv.get("find-links"))]


def _poetry(poetry: Mapping[str, Any], path: str) -> Iterator[Dep]:
    tables = [_table(poetry, k, "tool.poetry.") for k in ("dependencies", "dev-dependencies")]
    groups = _table(poetry, "group", "tool.poetry.").items()
    tables += [_table(shapes.table(g, f"tool.poetry.group.{n}"), "dependencies") for n, g in groups]
    for table in tables:
        for name, spec in table.items():
            if name.lower() != "python":
                yield Dep("pypi", name, path, _located(spec, path))


def setup_cfg(data: bytes, path: str) -> Declared:
    parser = formats.ini(data, path)
    strings: list[str] = []
    if parser.has_section("options"):
        for key in ("install_requires", "setup_requires", "tests_require"):
            strings += _strings(parser.get("options", key, fallback=""))
    if parser.has_section("options.extras_require"):
        for _key, value in parser.items("options.extras_require"):
            strings += _strings(value)
    return Declared(tuple(requirement(s, path) for s in strings if not s.startswith("#")))


def pipfile(data: bytes, path: str) -> Declared:
    doc = formats.toml(data, path)
    deps = [
        Dep("pypi", name, path, _located(spec, path))
        for section, table in doc.items()
        if section not in ("source", "requires", "scripts", "pipenv") and isinstance(table, dict)
        for name, spec in table.items()
    ]
    sources = [f"source {s.get('url')}" for s in _tables(doc, "source")]
    return Declared(tuple(deps), tuple(sources))


def pip_conf(data: bytes, path: str) -> Declared:
    parser = formats.ini(data, path)
    keys = ("index-url", "extra-index-url", "find-links", "trusted-host")
    return Declared(
        (),
        tuple(
            f"{key} {value}"
            for section in parser.sections()
            for key in keys
            for value in _strings(parser.get(section, key, fallback=""))
        ),
    )


def uv_toml(data: bytes, path: str) -> Declared:
    doc = formats.toml(data, path)
    pins = [requirement(s, path) for k in UV_PINS for s in _strings(doc.get(k))]
    return Declared(tuple(pin for pin in pins if pin.source), tuple(_uv_indexes(doc)))
