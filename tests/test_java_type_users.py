"""Which Java files a change reaches (guards/collect/java/type_users.py), on real git revisions."""

from __future__ import annotations

from pathlib import Path

from guards.collect import java
from guards.collect.java.type_users import declared
from tests.java_support import commit_files
from tests.lang_support import RevFiles

POM = "<project><modelVersion>4.0.0</modelVersion></project>\n"
T = "src/test/java/app/"


def test_a_word_after_class_in_a_comment_declares_nothing() -> None:
    source = b"/** This class is a clock. */\nclass Clock { enum State { ON } record Tick() {} }\n"
    assert declared(source) == {"Clock", "State", "Tick"}


def test_a_change_reaches_its_heirs_and_their_users_not_its_callers(tmp_path: Path) -> None:
    """``A extends B extends C``: a change to C reaches A (and B); a test that only calls C, and
    a file that calls the caller, are not read again for it."""
    files = {
        "pom.xml": POM,
        f"{T}C.java": "package app;\nabstract class C { @Test void t() {} }\n",
        f"{T}B.java": "package app;\nabstract class B\n    extends C {}\n",
        f"{T}ATest.java": "package app;\nclass ATest extends B {}\n",
        f"{T}UsesCTest.java": "package app;\nclass UsesCTest { void f() { new C() {}; } }\n",
        f"{T}UsesUserTest.java": "package app;\nclass UsesUserTest { UsesCTest u; }\n",
        f"{T}OtherTest.java": "package app;\nclass OtherTest {}\n",
    }
    _git, sha = commit_files(tmp_path, files)
    side = RevFiles(tmp_path, sha)
    reached = java.dependents([f"{T}C.java"], side, side)
    assert reached == {f"{T}B.java", f"{T}ATest.java", f"{T}UsesCTest.java"}


def test_a_composed_annotation_reaches_the_tests_it_annotates(tmp_path: Path) -> None:
    files = {
        "pom.xml": POM,
        f"{T}Slow.java": "package app;\n@interface Slow {}\n",
        f"{T}Fast.java": "package app;\n@Slow @interface Fast {}\n",
        f"{T}RunTest.java": "package app;\nclass RunTest { @Fast void t() {} }\n",
    }
    _git, sha = commit_files(tmp_path, files)
    side = RevFiles(tmp_path, sha)
    assert java.dependents([f"{T}Slow.java"], side, side) == {f"{T}Fast.java", f"{T}RunTest.java"}
