"""The probe file format (DESIGN.md section 8): loading and validation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guards.config import load_yaml_file, validate
from guards.errors import ConfigError

_FILES = {"type": "object", "additionalProperties": {"type": ["string", "null"]}}
_STR_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["guard", "expect", "title"],
    "properties": {
        "guard": {"enum": ["skip-set", "protected-branch", "manifest-scope", "spec-ref"]},
        "expect": {"enum": ["fail", "pass"]},
        "title": {"type": "string", "minLength": 1},
        "tries": {"type": "string"},
        "base": _FILES,
        "head": _FILES,
        "renames": _STR_MAP,
        "symlinks": _STR_MAP,
        "modes": {"type": "object", "additionalProperties": {"enum": ["100644", "100755"]}},
        "submodules": _STR_MAP,
        "branch": {"type": "string", "minLength": 1},
        "pr": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "title": {"type": "string"},
                "body": {"type": ["string", "null"]},
                "ticket": {"type": "string"},
                "number": {"type": "integer"},
            },
        },
        "event": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {"name": {"type": "string"}, "payload": {"type": "object"}},
        },
        "prepush": {"type": "string"},
        "remote-refs": {"type": "string", "pattern": "^(head|none|branch:[^ ]{1,200})$"},
        "api": {"type": "object"},
        "token": {"type": "boolean"},
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["rule"],
                "properties": {
                    "rule": {"type": "string"},
                    "path": {"type": "string"},
                    "outcome": {"type": "string"},
                    "test": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


@dataclass(frozen=True)
class Probe:
    """One synthetic pull request and the verdict it must get."""

    path: str
    guard: str
    expect: str
    title: str
    tries: str | None = None
    doc: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_evasion(self) -> bool:
        return self.tries == "evasion"


def load_probe(path: Path) -> Probe:
    doc = load_yaml_file(path.read_bytes(), str(path))
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: a probe is a mapping with guard, expect and title")
    validate(doc, SCHEMA, str(path))
    return Probe(str(path), doc["guard"], doc["expect"], doc["title"], doc.get("tries"), doc)


def discover(root: Path) -> list[Probe]:
    """Every probe under ROOT (*.yaml / *.yml), sorted by path."""
    if root.is_file():
        return [load_probe(root)]
    if not root.is_dir():
        raise ConfigError(f"probe directory {root} does not exist")
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return [load_probe(p) for p in files]


def shipped_dir() -> Path:
    """The probes shipped with guards: inside the wheel, or tests/probes in a checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_probes", here.parent / "tests" / "probes"):
        if candidate.is_dir():
            return candidate
    raise ConfigError("no shipped probes found; pass the probe directory explicitly")
