"""``guards skips list``: the skip set of a revision, as text or JSON (real CLI, real git)."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.git_repo import GitRepo, guards_cli

FILES = {
    "tests/test_a.py": "import pytest\n\n\n@pytest.mark.skip(reason='r')\n"
    "def test_x():\n    pass\n\n\ndef test_y():\n    pytest.importorskip('numpy')\n\n\n"
    "def test_z():\n    pass\n",
    "tests/test_b.py": "def test_plain():\n    pass\n",
    "src/app.py": "def skip():\n    return 1\n",
}


def repo_with(tmp_path: Path, files: dict[str, str]) -> tuple[GitRepo, str]:
    repo = GitRepo(tmp_path)
    repo.write(files)
    return repo, repo.commit("c")


def test_json_lists_every_skipped_test_of_the_revision(tmp_path: Path) -> None:
    _, sha = repo_with(tmp_path, FILES)
    result = guards_cli("skips", "list", "--repo", str(tmp_path), "--format", "json")
    assert result.code == 0, result.stderr
    doc = result.json()
    assert doc["rev"] == sha
    assert [{k: e[k] for k in ("test", "kind", "path", "line")} for e in doc["skipped"]] == [
        {"test": "tests/test_a.py::test_x", "kind": "skip", "path": "tests/test_a.py", "line": 4},
        {
            "test": "tests/test_a.py::test_y",
            "kind": "importorskip",
            "path": "tests/test_a.py",
            "line": 10,
        },
    ]


def test_text_and_an_older_revision(tmp_path: Path) -> None:
    repo, first = repo_with(tmp_path, FILES)
    repo.write(
        {"tests/test_b.py": "import pytest\n\n\n@pytest.mark.xfail\ndef test_plain():\n    pass\n"}
    )
    repo.commit("more")
    now = guards_cli("skips", "list", "--repo", str(tmp_path))
    then = guards_cli("skips", "list", "--repo", str(tmp_path), "--rev", first)
    assert "tests/test_b.py::test_plain  [xfail]" in now.stdout
    assert "3 skipped test(s)" in now.stdout
    assert "2 skipped test(s)" in then.stdout and "test_plain" not in then.stdout


def test_the_pytest_collector_lists_what_pytest_sees(tmp_path: Path) -> None:
    repo_with(tmp_path, FILES)
    result = guards_cli(
        "skips", "list", "--repo", str(tmp_path), "--collector", "pytest", "--format", "json"
    )
    assert result.code == 0, result.stderr
    assert [e["test"] for e in result.json()["skipped"]] == ["tests/test_a.py::test_x"]


BROKEN = "import pytest\n\n\n@pytest.mark.skip\ndef test_c(:\n    pass\n"
HOOK = "def pytest_ignore_collect(collection_path):\n    return False\n"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"tests/test_c.py": BROKEN}, "tests/test_c.py:5: does not parse"),
        ({"tests/conftest.py": HOOK}, "tests/conftest.py:1: hook pytest_ignore_collect"),
    ],
    ids=["unparsable", "undecidable"],
)
def test_what_cannot_be_read_is_exit_2_naming_it(
    tmp_path: Path, extra: dict[str, str], message: str
) -> None:
    repo_with(tmp_path, {**FILES, **extra})
    result = guards_cli("skips", "list", "--repo", str(tmp_path))
    assert result.code == 2
    assert message in result.stderr
