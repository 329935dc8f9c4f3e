"""Which paths are tests, which are implementation, and which are neither (docs, config).

Defaults follow the projects' own layouts: pytest's discovery (``test_*.py``, ``*_test.py``,
``conftest.py``, anything under ``tests/``), jest/vitest (``*.test.ts``, ``*.spec.js``,
``__tests__/``), Go (``*_test.go``), Maven/Gradle (``src/test/``) and Cargo (``tests/``; a Rust
file's ``#[cfg(test)]`` modules are read as tests by the source reader). Implementation is every
source file (by extension) that is not a test; everything else (markdown, YAML, TOML, JSON,
images) is neither, and never needs a test. Tests are decided first: a file that matches both
is a test.
"""

from __future__ import annotations

from guards.config import TestsWithCodeSettings
from guards.core.records import record
from guards.patterns import Patterns, patterns

DEFAULT_TESTS = (
    "test_*.py", "*_test.py", "conftest.py", "tests/", "test/", "testing/",
    "*.test.ts", "*.test.tsx", "*.test.js", "*.test.jsx", "*.test.mjs", "*.test.cjs",
    "*.spec.ts", "*.spec.tsx", "*.spec.js", "*.spec.jsx", "__tests__/",
    "*_test.go", "**/src/test/",
)  # fmt: skip # -- a packed call reads better here
SOURCE_EXTENSIONS = (
    "py", "ts", "tsx", "js", "jsx", "mjs", "cjs", "go", "rs", "java", "kt", "kts", "scala",
    "c", "h", "cc", "cpp", "hpp", "cs", "rb", "php", "swift",
)  # fmt: skip # -- a packed call reads better here
DEFAULT_IMPLEMENTATION = (*(f"*.{ext}" for ext in SOURCE_EXTENSIONS), "!docs/**")

TEST, IMPLEMENTATION, OTHER = "test", "implementation", "other"


@record
class Layout:
    """The configured (or default) test and implementation globs, compiled once."""

    tests: Patterns
    implementation: Patterns
    test_map: tuple[tuple[Patterns, Patterns], ...]

    def kind(self, path: str) -> str:
        if self.tests.match(path) is not None:
            return TEST
        if self.implementation.match(path) is not None:
            return IMPLEMENTATION
        return OTHER

    def required_for(self, path: str) -> tuple[Patterns, ...]:
        """The test globs that must change because implementation file PATH changed."""
        return tuple(tests for impl, tests in self.test_map if impl.match(path) is not None)


def layout(settings: TestsWithCodeSettings, source: str) -> Layout:
    return Layout(
        tests=patterns(source, settings.tests or DEFAULT_TESTS),
        implementation=patterns(source, settings.implementation or DEFAULT_IMPLEMENTATION),
        test_map=tuple(
            (patterns(source, (impl,)), patterns(source, globs))
            for impl, globs in settings.map.items()
        ),
    )
