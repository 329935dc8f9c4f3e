"""Inputs the Java collector refuses instead of guessing: each is a GuardsError naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from guards.collect.model import NotParsable, Undecidable
from guards.errors import GuardsError
from tests.java_support import collect_rev, commit_files

TEST = "src/test/java/app/LoginTest.java"
JAVA = (
    "package app;\n\nimport org.junit.jupiter.api.Test;\n\n"
    "class LoginTest {\n    @Test\n    void login() {}\n}\n"
)
POM = (
    '<project xmlns="http://maven.apache.org/POM/4.0.0"><build><plugins><plugin>'
    "<artifactId>maven-surefire-plugin</artifactId><configuration>{}</configuration>"
    "</plugin></plugins></build></project>"
)
EXCLUDE = "<excludes><exclude>{}</exclude></excludes>"
CASES = [
    ({TEST: "package app;\nclass LoginTest { @Test void login( }\n"}, NotParsable, TEST),
    (
        {
            TEST: JAVA,
            "pom.xml": '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x "y">]><project>&x;</project>',
        },
        NotParsable,
        "pom.xml",
    ),
    (
        {TEST: JAVA, "pom.xml": POM.format("<excludedGroups>${from.cli}</excludedGroups>")},
        Undecidable,
        "from.cli",
    ),
    (
        {TEST: JAVA, "pom.xml": POM.format("<excludedGroups>slow &amp; !fast</excludedGroups>")},
        Undecidable,
        "tag expression",
    ),
    (
        {TEST: JAVA, "pom.xml": POM.format("<excludesFile>x.txt</excludesFile>")},
        Undecidable,
        "excludesFile",
    ),
    (
        {TEST: JAVA, "pom.xml": POM.format("<excludes><exclude>%regex[(]</exclude></excludes>")},
        Undecidable,
        "regex",
    ),
    (
        {
            TEST: JAVA,
            "pom.xml": POM.format("<excludes><exclude>%regex[(?&lt;=a)b]</exclude></excludes>"),
        },
        Undecidable,
        "lookaround are not supported",
    ),
    (
        {
            TEST: JAVA,
            "pom.xml": POM.format(f"<excludes><exclude>{'*' * 1001}</exclude></excludes>"),
        },
        Undecidable,
        "longer than 1000 characters",
    ),
    (
        {TEST: JAVA, "build.gradle": f"test {{\n  exclude '{'*' * 1001}'\n}}\n"},
        Undecidable,
        "build.gradle has a pattern guards cannot match",
    ),
    (
        {
            TEST: JAVA,
            "build.gradle": "test {\n  useJUnitPlatform { excludeTags project.slowTags }\n}\n",
        },
        Undecidable,
        "build.gradle:2",
    ),
    ({TEST: JAVA, "pom.xml": "<project>" + "<x>" * 10 + "</project>"}, NotParsable, "pom.xml"),
]


@pytest.mark.parametrize(("files", "error", "says"), CASES)
def test_refused(
    tmp_path: Path, files: dict[str, str], error: type[GuardsError], says: str
) -> None:
    git, sha = commit_files(tmp_path, files)
    with pytest.raises(error) as caught:
        collect_rev(git, sha)
    assert says in str(caught.value)


def test_large_pom_refused(tmp_path: Path) -> None:
    git, sha = commit_files(
        tmp_path, {TEST: JAVA, "pom.xml": "<project>" + " " * 1_100_000 + "</project>"}
    )
    with pytest.raises(NotParsable, match="larger than"):
        collect_rev(git, sha)


NUL_TEST = (
    "package app;\n\nimport org.junit.jupiter.api.Test;\n\n"
    "class LoginTest {\n"
    "    /** {@code \\u0000} null, and a raw \0 (commons-lang's CharUtils). */\n"
    "    static final char NUL = '\\u0000';\n"
    '    static final String S = "a\\u0000b";\n\n'
    "    @Test\n    void login() {}\n}\n"
)


def test_a_nul_in_a_comment_or_a_literal_is_java_as_javac_reads_it(tmp_path: Path) -> None:
    """javac takes a NUL (escaped or not) in a comment or a literal; tree-sitter refused it."""
    git, sha = commit_files(tmp_path, {TEST: NUL_TEST})
    (result,) = collect_rev(git, sha)
    assert [t.nodeid for t in result.tests] == ["app.LoginTest::login"]


def test_a_nul_in_code_is_no_java(tmp_path: Path) -> None:
    """javac: ``int\\u0000x = 1;`` is "<identifier> expected"; so it is NotParsable here."""
    code = NUL_TEST.replace("static final char NUL", "static final char\\u0000NUL")
    git, sha = commit_files(tmp_path, {TEST: code})
    with pytest.raises(NotParsable):
        collect_rev(git, sha)
