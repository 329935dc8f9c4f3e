"""Which build runs a Java test file, and what it selects from it.

The module of a file is the nearest folder above it holding ``pom.xml`` (Maven: Surefire,
then Failsafe) or ``build.gradle``/``build.gradle.kts`` (Gradle). Its test source root is
``<module>/src/test/java`` (or the pom's ``testSourceDirectory``); a file outside it is not a
test source. With no build file at all, the package declaration gives the root and Surefire's
defaults apply. The answer is a ``Plan``: why the whole file does not run (``excluded``), or
the ``Selection`` (tags, methods) for its tests.

The trap: config is read at the revision being collected, through ``Files`` only, and every
build file above a test is one ``claims`` returns, so a PR that edits it is re-read.
"""

from __future__ import annotations

import re
from dataclasses import field

from guards.collect.interface import Files
from guards.collect.java import gradle, patterns, pom
from guards.collect.java.tests import Selection
from guards.collect.model import Undecidable
from guards.core.records import record

BUILD_FILES = ("pom.xml", "build.gradle", "build.gradle.kts")
MAX_DEPTH = 64


@record
class Plan:
    excluded: str = ""
    selection: Selection = field(default_factory=Selection)


def plan(files: Files, path: str, package: str) -> Plan:
    module, build = _module(files, path)
    if build == "":
        root = _package_root(path, package)
        return _surefire(path, _classpath(path, root), pom.PluginConfig(False, ()), "", None)
    if build.endswith(".xml"):
        return _maven(files, path, module, build)
    return _gradle(files, path, module, build)


def _module(files: Files, path: str) -> tuple[str, str]:
    parts = path.split("/")[:-1]
    for depth in range(min(len(parts), MAX_DEPTH), -1, -1):
        folder = "/".join(parts[:depth])
        for name in BUILD_FILES:
            candidate = f"{folder}/{name}" if folder else name
            if files.exists(candidate):
                return folder, candidate
    return "", ""


def _package_root(path: str, package: str) -> str:
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    suffix = package.replace(".", "/")
    if suffix and folder.endswith(suffix):
        return folder[: -len(suffix)].rstrip("/")
    return folder


def _classpath(path: str, root: str) -> str:
    rel = path[len(root) + 1 :] if root else path
    return rel.removesuffix(".java")


def _under(path: str, module: str, source: str) -> str | None:
    root = f"{module}/{source}".strip("/") if module else source.strip("/")
    return root if path.startswith(root + "/") else None


def _maven(files: Files, path: str, module: str, build: str) -> Plan:
    config = pom.read(build, files.read)
    root = _under(path, module, config.test_source)
    if root is None:
        return Plan(
            f"is not under the test sources {module}/{config.test_source}".replace("//", "/")
        )
    classpath = _classpath(path, root)
    planned = _surefire(path, classpath, config.surefire, build, config.failsafe)
    return planned


def _surefire(
    path: str, classpath: str, cfg: pom.PluginConfig, where: str, failsafe: pom.PluginConfig | None
) -> Plan:
    where = where or "Surefire's defaults"
    surefire = _run(path, classpath, cfg, patterns.SUREFIRE_INCLUDES, "test", f"Surefire ({where})")
    if not surefire.excluded or failsafe is None or not failsafe.declared:
        return surefire
    failsafe_plan = _run(
        path, classpath, failsafe, patterns.FAILSAFE_INCLUDES, "it.test", f"Failsafe ({where})"
    )
    return surefire if failsafe_plan.excluded else failsafe_plan


def _truthy(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() == "true"


def _run(
    path: str,
    classpath: str,
    cfg: pom.PluginConfig,
    defaults: tuple[str, ...],
    test_key: str,
    where: str,
) -> Plan:
    for key in ("skipTests", "skip", "skipITs"):
        if _truthy(cfg.get(key)) and (key != "skipITs" or test_key == "it.test"):
            return Plan(f"is not run: {key} is true in {where}")
    for key in ("includesFile", "excludesFile"):
        if cfg.get(key):
            raise Undecidable(path, 0, f"{where} reads <{key}> from outside the pom")
    try:
        return _select(classpath, cfg, defaults, test_key, where)
    except ValueError as exc:
        raise Undecidable(path, 0, f"{where} has a pattern guards cannot match: {exc}") from exc


def _select(
    classpath: str, cfg: pom.PluginConfig, defaults: tuple[str, ...], test_key: str, where: str
) -> Plan:
    methods: tuple[str, ...] | None = None
    test = cfg.get(test_key) if test_key == "it.test" else cfg.get("test")
    if isinstance(test, str) and test.strip():
        hit, methods = patterns.test_filter(patterns.split([test]), classpath)
        if not hit:
            return Plan(f"is not named by <test> in {where}")
    else:
        why = _include_exclude(classpath, cfg, defaults, where)
        if why:
            return Plan(why)
    return Plan("", _tags(cfg, where, methods))


def _include_exclude(
    classpath: str, cfg: pom.PluginConfig, defaults: tuple[str, ...], where: str
) -> str:
    includes = cfg.get("includes")
    include_list = (
        patterns.split(includes) if isinstance(includes, tuple) and includes else list(defaults)
    )
    if not any(patterns.matches(p, classpath) for p in include_list):
        return f"does not match the test includes {include_list} of {where}"
    excludes = cfg.get("excludes")
    for pattern in patterns.split(excludes) if isinstance(excludes, tuple) else []:
        if patterns.matches(pattern, classpath):
            return f"matches the exclude {pattern} of {where}"
    return ""


def _tags(cfg: pom.PluginConfig, where: str, methods: tuple[str, ...] | None) -> Selection:
    def names(key: str) -> frozenset[str]:
        value = cfg.get(key)
        return frozenset(_tag_list(value)) if isinstance(value, str) else frozenset()

    return Selection(names("excludedGroups"), names("groups"), methods, where)


def _tag_list(text: str) -> list[str]:
    """``slow, db`` or ``slow | db``; an expression with ``&``/``!``/parentheses is undecidable."""
    if re.search(r"[&!()]", text):
        raise Undecidable("pom.xml", 0, f"the tag expression {text!r} is not a plain list")
    return [t.strip() for t in re.split(r"[,|]", text) if t.strip()]


def _gradle(files: Files, path: str, module: str, build: str) -> Plan:
    data = files.read(build) or b""
    cfg = gradle.read(build, data)
    root = _under(path, module, "src/test/java")
    if root is None:
        return Plan(f"is not under the test sources {module}/src/test/java".replace("//", "/"))
    classpath = _classpath(path, root)
    if cfg.disabled:
        return Plan(f"is not run: the test task is disabled in {build}")
    try:
        return _gradle_select(classpath, cfg, build)
    except ValueError as exc:
        raise Undecidable(path, 0, f"{build} has a pattern guards cannot match: {exc}") from exc


def _gradle_select(classpath: str, cfg: gradle.GradleTest, build: str) -> Plan:
    if cfg.includes and not any(patterns.matches(p, classpath) for p in cfg.includes):
        return Plan(f"does not match the includes of {build}")
    hit = next((p for p in cfg.excludes if patterns.matches(p, classpath)), None)
    if hit is not None:
        return Plan(f"matches the exclude {hit} of {build}")
    return Plan("", Selection(cfg.excluded_tags, cfg.included_tags, None, build))
