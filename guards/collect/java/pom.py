"""What a Maven pom.xml (and its parents in the repository) tells Surefire/Failsafe (pure).

Read: ``<build><testSourceDirectory>``, and for ``maven-surefire-plugin`` and
``maven-failsafe-plugin`` (in ``<plugins>`` or ``<pluginManagement>``, plugin-level or the
``default-test``/first execution's ``<configuration>``): ``includes``, ``excludes``, ``test``,
``groups``, ``excludedGroups``, ``skipTests``, ``skip``, ``skipITs``; the properties
``skipTests``, ``maven.test.skip``, ``groups``, ``excludedGroups``, ``test``. ``${prop}`` is
replaced from ``<properties>`` up the parent chain; an undefined one is undecidable. The
nearest pom that sets a key wins (Maven's child-over-parent merge).

The trap: a pom is untrusted input. It is parsed with defusedxml, refusing any DTD or entity,
after a size bound; profiles are not read (one needs a command-line flag to be active).
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from guards.collect.model import NotParsable, Undecidable
from guards.core.records import record

MAX_POM_BYTES = 1_000_000
MAX_PARENTS = 10
PLUGINS = {"surefire": "maven-surefire-plugin", "failsafe": "maven-failsafe-plugin"}
LIST_KEYS = ("includes", "excludes")
TEXT_KEYS = (
    "test",
    "groups",
    "excludedGroups",
    "skipTests",
    "skip",
    "skipITs",
    "includesFile",
    "excludesFile",
)
PROPERTY_KEYS = {
    "skipTests": "skipTests",
    "maven.test.skip": "skip",
    "groups": "groups",
    "excludedGroups": "excludedGroups",
    "test": "test",
    "it.test": "it.test",
}
_PROP = re.compile(r"\$\{([^}]*)\}")


@record
class PluginConfig:
    """One plugin's settings as the module sees them (None: not set anywhere)."""

    declared: bool
    values: tuple[tuple[str, str | tuple[str, ...]], ...]

    def get(self, key: str) -> str | tuple[str, ...] | None:
        return next((v for k, v in self.values if k == key), None)


@record
class Pom:
    path: str
    test_source: str
    surefire: PluginConfig
    failsafe: PluginConfig


def parse_xml(path: str, data: bytes) -> ET.Element:
    """The root element of DATA, refusing a DTD, entities and oversized files."""
    if len(data) > MAX_POM_BYTES:
        raise NotParsable(path, 0, f"larger than {MAX_POM_BYTES} bytes")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise NotParsable(path, 0, f"not a plain XML file ({exc})") from exc
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    return root


@functools.lru_cache(maxsize=64)
def _parsed(path: str, data: bytes) -> ET.Element:
    """parse_xml, once per pom text: every test file of a module reads the same chain (gson's
    210 files parsed its two poms 840 times). Nothing changes a parsed tree after the parse."""
    return parse_xml(path, data)


def read(path: str, read_file: Callable[[str], bytes | None]) -> Pom:
    """The module pom at PATH merged with its parents found in the repository."""
    chain = _chain(path, read_file)
    props = _properties(chain)
    return Pom(
        path,
        _first(chain, "build/testSourceDirectory", props) or "src/test/java",
        _plugin(chain, "surefire", props),
        _plugin(chain, "failsafe", props),
    )


def _chain(path: str, read_file: Callable[[str], bytes | None]) -> list[tuple[str, ET.Element]]:
    chain: list[tuple[str, ET.Element]] = []
    current: str | None = path
    while current is not None and len(chain) < MAX_PARENTS:
        data = read_file(current)
        if data is None:
            break
        root = _parsed(current, data)
        chain.append((current, root))
        current = _parent_path(current, root)
    return chain


def _parent_path(path: str, root: ET.Element) -> str | None:
    parent = root.find("parent")
    if parent is None:
        return None
    rel = (parent.findtext("relativePath") or "../pom.xml").strip()
    if not rel:
        return None
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    joined = _normalize(f"{folder}/{rel}" if folder else rel)
    if joined is None:
        return None
    return joined if joined.endswith(".xml") else f"{joined}/pom.xml".lstrip("/")


def _normalize(path: str) -> str | None:
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None  # above the repository: not ours to read
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def _properties(chain: list[tuple[str, ET.Element]]) -> dict[str, str]:
    props: dict[str, str] = {}
    for _path, root in reversed(chain):
        for el in root.findall("properties/*"):
            if isinstance(el.tag, str):
                props[el.tag] = (el.text or "").strip()
    return props


def _first(chain: list[tuple[str, ET.Element]], where: str, props: dict[str, str]) -> str:
    for path, root in chain:
        el = root.find(where)
        if el is not None:
            return _expand(path, (el.text or "").strip(), props)
    return ""


def _expand(path: str, text: str, props: dict[str, str], depth: int = 0) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in props or depth > 5:
            raise Undecidable(path, 0, f"${{{name}}} is not a property the pom defines")
        return _expand(path, props[name], props, depth + 1)

    return _PROP.sub(one, text)


def _plugin(chain: list[tuple[str, ET.Element]], which: str, props: dict[str, str]) -> PluginConfig:
    values: dict[str, str | tuple[str, ...]] = {}
    declared = False
    for path, root in chain:
        for config in _configs(root, PLUGINS[which]):
            declared = True
            for key, value in _settings(path, config, props):
                values.setdefault(key, value)
    for prop, key in PROPERTY_KEYS.items():
        if prop in props and key not in values:
            values[key] = _expand(chain[0][0], props[prop], props)
    return PluginConfig(declared, tuple(values.items()))


def _configs(root: ET.Element, artifact: str) -> list[ET.Element]:
    found = []
    for where in ("build/plugins/plugin", "build/pluginManagement/plugins/plugin"):
        for plugin in root.findall(where):
            if (plugin.findtext("artifactId") or "").strip() != artifact:
                continue
            found.append(plugin.find("configuration"))
            executions = plugin.findall("executions/execution")
            default = [e for e in executions if (e.findtext("id") or "").strip() == "default-test"]
            found += [e.find("configuration") for e in (default or executions[:1])]
            found.append(ET.Element("declared"))
    return [c for c in found if c is not None]


def _settings(
    path: str, config: ET.Element, props: dict[str, str]
) -> list[tuple[str, str | tuple[str, ...]]]:
    found: list[tuple[str, str | tuple[str, ...]]] = []
    for key in TEXT_KEYS:
        el = config.find(key)
        if el is not None:
            found.append((key, _expand(path, (el.text or "").strip(), props)))
    for key in LIST_KEYS:
        el = config.find(key)
        if el is not None:
            items = [_expand(path, (c.text or "").strip(), props) for c in el]
            found.append((key, tuple(i for i in items if i)))
    return found
