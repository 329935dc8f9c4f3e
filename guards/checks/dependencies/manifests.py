"""Which files are manifests, and what each declares at one revision.

MAX_BYTES bounds every manifest read (a larger one is a GuardsError: judged whole or not at
all). A requirements file is read with its ``-r``/``-c`` includes at the same revision; a
changed file that is not itself a manifest is read as requirements when a requirements file
at that revision includes it (an edit to ``other.txt`` behind ``-r other.txt`` counts).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

from guards.checks.dependencies import gradle, javascript, others, python, requirements
from guards.checks.dependencies.model import Declared, Found, located
from guards.core import shapes
from guards.errors import GuardsError

MAX_BYTES = 2_000_000
MAX_ROOTS = 50
Parse = Callable[[bytes, str], Declared]
Read = Callable[[str], bytes | None]
NAMES: dict[str, Parse] = {
    "pyproject.toml": python.pyproject,
    "setup.cfg": python.setup_cfg,
    "Pipfile": python.pipfile,
    "pip.conf": python.pip_conf,
    "pip.ini": python.pip_conf,
    "uv.toml": python.uv_toml,
    "package.json": javascript.package_json,
    ".npmrc": javascript.npmrc,
    ".yarnrc": javascript.yarnrc,
    ".yarnrc.yml": javascript.yarnrc,
    "go.mod": others.go_mod,
    "go.work": others.go_mod,  # a workspace's replace lines rewrite every module's
    "Cargo.toml": others.cargo,
    "Gemfile": others.gemfile,
    "pom.xml": others.pom,
    "build.gradle": gradle.script,
    "build.gradle.kts": gradle.script,
    "settings.gradle": gradle.script,
    "settings.gradle.kts": gradle.script,
}
CARGO_CONFIG = re.compile(r"(?:^|/)\.cargo/config(?:\.toml)?$")


def parser(path: str) -> Parse | None:
    """PATH's reader; a key it finds in a shape its tool refuses is a GuardsError naming the
    file (core/shapes.py)."""
    read = _parser(path)
    return None if read is None else shapes.shaped(read)


def _parser(path: str) -> Parse | None:
    if CARGO_CONFIG.search(path):
        return others.cargo_config
    if path.endswith(".gemspec"):
        return others.gemspec
    if path.endswith(".versions.toml"):  # a Gradle version catalog (gradle/libs.versions.toml)
        return gradle.catalog
    return NAMES.get(posixpath.basename(path))


def is_manifest(path: str) -> bool:
    return parser(path) is not None or requirements.is_root(path)


def bounded(read: Read) -> Read:
    def reader(path: str) -> bytes | None:
        data = read(path)
        if data is not None and len(data) > MAX_BYTES:
            raise GuardsError(f"{path} is larger than {MAX_BYTES} bytes; cannot judge it")
        return data

    return reader


def declared(path: str, read: Read) -> Found:
    """What PATH declares at the revision READ reads (nothing when it does not exist there)."""
    read = bounded(read)
    parse = parser(path)
    if parse is None:
        return requirements.declared(path, read) if read(path) is not None else Found()
    data = read(path)
    return located(parse(data, path), path) if data is not None else Found()


def included(path: str, roots: list[str], read: Read) -> bool:
    """Whether a requirements file among ROOTS includes PATH (directly or not)."""
    read = bounded(read)
    return any(path in requirements.closure(r, read) - {r} for r in roots[:MAX_ROOTS])
