"""The allowlist, read at BASE: ``dependencies.allow`` in guards.yaml, plus the YAML file named
by ``dependencies.allowlist`` (same shape: ecosystem -> names). A named file missing at base
or of the wrong shape is a ConfigError: the policy must be readable to be applied.
"""

from __future__ import annotations

from collections.abc import Mapping

from guards.config import ECOSYSTEMS, SCHEMA, DependenciesSettings, load_yaml_file, validate
from guards.context import Context
from guards.errors import ConfigError


def allowlist(ctx: Context, settings: DependenciesSettings) -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {e: set(settings.allow.get(e, ())) for e in settings.allow}
    if settings.allowlist:
        for ecosystem, names in _file(ctx, settings.allowlist).items():
            merged.setdefault(ecosystem, set()).update(names)
    return merged


def _file(ctx: Context, path: str) -> Mapping[str, list[str]]:
    data = ctx.read_base(path)
    if data is None:
        raise ConfigError(f"dependencies.allowlist: {path} does not exist at base {ctx.base[:12]}")
    doc = load_yaml_file(data, path) or {}
    schema = SCHEMA["properties"]["dependencies"]["properties"]["allow"]
    validate(doc, schema, path)
    return {e: list(doc.get(e, [])) for e in ECOSYSTEMS if e in doc}
