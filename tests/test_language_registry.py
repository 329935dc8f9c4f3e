"""The registry of language collectors (guards/collect/languages.py).

A change made only of files no collector claims (``UNCLAIMED`` suffixes) loads no collector, and
a tree with no file a collector's HINT matches does not import it: this holds every registered
collector to never claim such a file, however it is named.
"""

from __future__ import annotations

from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guards.collect import languages
from guards.collect.java.build import BUILD_FILES
from guards.collect.js.config import NAMES as JS_CONFIGS
from guards.collect.rust.cargo import MANIFEST

NAMES = (
    "a", "package", "pom", "Cargo", "build.gradle", "jest.config", "vitest.config", "tsconfig",
    "go", "settings.gradle", ".mocharc", "babel.config", "test_x", "x_test", "CMakeLists",
)  # fmt: skip # -- packed lists read better than one item a line


@pytest.mark.parametrize("module", list(languages.collectors()), ids=lambda m: m.LANGUAGE)
@pytest.mark.parametrize("suffix", languages.UNCLAIMED)
def test_no_collector_claims_an_unclaimed_suffix(module: ModuleType, suffix: str) -> None:
    claims = module.claims
    for folder in ("", "src/", "web/app/", "target/", "crates/x/"):
        for name in NAMES:
            assert not claims(f"{folder}{name}{suffix}"), f"{folder}{name}{suffix}"


def test_a_claimed_file_is_still_claimed() -> None:
    claimed = {m.LANGUAGE: m.claims for m in languages.collectors()}
    assert claimed["javascript"]("web/a.test.js")
    assert claimed["java"]("src/test/java/ATest.java")
    assert claimed["go"]("pkg/a_test.go")
    assert claimed["rust"]("src/lib.rs")


SUFFIXES = (
    "", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".d.ts", ".json", ".java",
    ".go", ".rs", ".toml", ".xml", ".kts", ".gradle", ".yml", ".jsonc", ".JS", ".Go",
)  # fmt: skip # -- packed lists read better than one item a line
EXACT = (*JS_CONFIGS, *BUILD_FILES, MANIFEST, ".mocharc.yml", "a\nb.go")


def _hinted(module: ModuleType, path: str) -> bool:
    return any(m is module for m in languages.collectors([path]))


@pytest.mark.parametrize("module", list(languages.collectors()), ids=lambda m: m.LANGUAGE)
def test_a_collector_claims_only_what_its_hint_names(module: ModuleType) -> None:
    names = [*EXACT, *(f"{n}{s}" for n in NAMES for s in SUFFIXES)]
    for folder in ("", "src/", "web/app/", "target/", "crates/x/", "x\ny/"):
        for name in names:
            path = f"{folder}{name}"
            assert not module.claims(path) or _hinted(module, path), path


@given(st.text(alphabet="abcXYZ._-/\n0123456789jstgorvaxmlnkc", max_size=24))
def test_any_claimed_path_is_hinted(path: str) -> None:
    for module in languages.collectors():
        assert not module.claims(path) or _hinted(module, path), (module.LANGUAGE, path)


def test_a_python_only_tree_loads_no_collector() -> None:
    assert list(languages.collectors(["a.py", "setup.cfg", "pyproject.toml", "README.md"])) == []
