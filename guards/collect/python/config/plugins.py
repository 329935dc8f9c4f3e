"""Plugin modules pytest loads by name: ``pytest_plugins = [...]`` in a conftest (or the root
conftest) and ``-p name`` in addopts. Their hooks and fixtures act like a conftest's.

A name that is a module of the repository is read like a conftest (linking sees it before
the conftests, as the lowest-priority fixture source). A name that is not in the repository
is undecidable, except the plugins below, which cannot change which tests are collected or
skipped: pytest's own built-in plugins (``pytester`` and the other ``_pytest`` modules: the
static collector already models pytest itself), ``xdist`` (distributes the same items), the
report-only ``pytest_cov`` / ``pytest_html`` / ``pytest_timeout`` / ``pytest_randomly``'s
ordering, ``pytest_mock`` (fixtures that patch, and hooks that add two ini keys and wrap the
assert methods of ``unittest.mock``: pytest-mock 3.15's plugin.py holds no other hook); each
by its module and by the name its ``pytest11`` entry point registers (``-p timeout``: pytest
finds a plugin registered under a name before it imports one). The trap: an unknown
third-party plugin can add skip markers from a hook; treating it as harmless would be a silent
pass.
"""

from __future__ import annotations

from guards.collect.model import Undecidable

BUILTIN_PLUGINS = frozenset(
    {
        "pytester", "_pytest.pytester", "_pytest.legacypath", "_pytest.tmpdir",
        "_pytest.monkeypatch", "_pytest.capture", "_pytest.logging", "_pytest.recwarn",
        "_pytest.doctest", "_pytest.junitxml", "_pytest.faulthandler",
        "_pytest.unraisableexception", "_pytest.threadexception", "_pytest.warnings",
        "_pytest.stepwise", "_pytest.cacheprovider",
    }
)  # fmt: skip # -- packed lists read better than one item a line
HARMLESS_PLUGINS = frozenset(
    {
        "xdist", "xdist.plugin", "xdist.looponfail", "pytest_cov", "pytest_cov.plugin",
        "pytest_html", "pytest_html.plugin", "html", "pytest_timeout", "timeout",
        "pytest_randomly", "randomly", "pytest_mock", "pytest_mock.plugin",
    }
)  # fmt: skip # -- packed lists read better than one item a line


def known_harmless(name: str) -> bool:
    return name in BUILTIN_PLUGINS or name in HARMLESS_PLUGINS


def unresolved(name: str, source: str, line: int) -> Undecidable:
    return Undecidable(
        source,
        line,
        f"plugin {name!r} is not a module of the repository; its hooks cannot be read",
    )
