"""The registry of language collectors (guards/collect/languages.py).

A change made only of files no collector claims (``UNCLAIMED`` suffixes) loads no collector:
this holds every registered collector to never claim such a file, however it is named.
"""

from __future__ import annotations

from types import ModuleType

import pytest

from guards.collect import languages

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
