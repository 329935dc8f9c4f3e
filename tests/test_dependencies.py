"""dependencies end to end (real repositories, the real CLI) and its pure parts as tables."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from guards.checks.dependencies import manifests, names
from guards.checks.dependencies.model import OWN, Dep
from guards.checks.dependencies.requirements import pip_text
from testing.git_repo import CliResult, guards_cli, pr_repo

CONFIG = "dependencies:\n  allow:\n    pypi: [requests, flask]\n    npm: [react, lodash]\n"
PACKAGE = '{"name": "web", "dependencies": {"react": "^18.2.0"}}\n'
BASE = {"guards.yaml": CONFIG, "requirements.txt": "flask==3.0\n", "package.json": PACKAGE}


def run(tmp: Path, head: dict[str, str | None], *extra: str) -> CliResult:
    _, base_sha, head_sha = pr_repo(tmp / "repo", BASE, head)
    args = ["run", "--repo", str(tmp / "repo"), "--base", base_sha, "--head", head_sha]
    return guards_cli(*args, "--only", "dependencies", *extra)


def test_typosquats_fail_and_name_the_real_packages(tmp_path: Path) -> None:
    head = {
        "requirements.txt": "flask==3.0\nreqeusts>=2\n",
        "package.json": PACKAGE.replace('"^18.2.0"', '"^18.2.0", "lodahs": "^4.17.21"'),
    }
    result = run(tmp_path, head, "--format", "json")
    assert result.code == 1, result.stderr
    found = result.json()["guards"][0]["findings"]
    looks = [f["message"] for f in found if f["rule"] == "no_lookalike_dependency"]
    assert any("'requests'" in m for m in looks) and any("'lodash'" in m for m in looks)
    assert {f["path"] for f in found if f["rule"] == "dependencies_allowed"} == {
        "requirements.txt",
        "package.json",
    }


def test_version_bumps_and_allowed_names_pass(tmp_path: Path) -> None:
    head = {"requirements.txt": "Flask==3.1\nrequests==2.32\n"}
    result = run(tmp_path, head)
    assert result.code == 0, result.stdout + result.stderr
    assert "1 new dependency(ies), all allowed" in result.stdout


def test_include_leaving_the_repository_fails_closed(tmp_path: Path) -> None:
    result = run(tmp_path, {"requirements.txt": "-r ../../etc/reqs.txt\n"})
    assert result.code == 2
    assert "leaves the repository" in result.stdout


def test_missing_allowlist_file_is_a_config_error(tmp_path: Path) -> None:
    base = {"guards.yaml": "dependencies:\n  allowlist: allow.yaml\n", "requirements.txt": "x\n"}
    _, b, h = pr_repo(tmp_path / "r", base, {"requirements.txt": "y\n"})
    result = guards_cli("run", "--repo", str(tmp_path / "r"), "--base", b, "--head", h)
    assert result.code == 2 and "allow.yaml does not exist at base" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("react", "failed"),
    [
        ('"file:./vendor/react"', True),  # a registry package vendored into the repository
        ('"file:../react"', True),  # a folder outside it
    ],
)
def test_a_package_moved_to_a_folder_is_a_new_source(
    tmp_path: Path, react: str, failed: bool
) -> None:
    head = {"package.json": PACKAGE.replace('"^18.2.0"', react)}
    result = run(tmp_path, head, "--format", "json")
    rules = [f["rule"] for f in result.json()["guards"][0]["findings"]]
    assert ("sources_unchanged" in rules) is failed


def test_a_new_dependency_on_a_folder_of_the_repository_is_no_new_source(tmp_path: Path) -> None:
    """ripgrep 8372866810 added ``grep-index = { path = "crates/index" }``, its own new crate."""
    shared = '"^18.2.0", "react-shared": "file:shared"'
    head = {"package.json": PACKAGE.replace('"^18.2.0"', shared)}
    result = run(tmp_path, head, "--format", "json")
    rules = [f["rule"] for f in result.json()["guards"][0]["findings"]]
    assert "sources_unchanged" not in rules and "dependencies_allowed" in rules


def test_new_index_is_reported_with_its_file(tmp_path: Path) -> None:
    head = {"requirements.txt": "flask==3.0\n--extra-index-url https://mirror.example/simple\n"}
    result = run(tmp_path, head, "--format", "json")
    (finding,) = result.json()["guards"][0]["findings"]
    assert finding["rule"] == "sources_unchanged" and finding["path"] == "requirements.txt"


def declared(path: str, files: dict[str, str]) -> list[tuple[str, str, str]]:
    found = manifests.declared(path, lambda p: files[p].encode() if p in files else None)
    return [(d.ecosystem, d.name, d.source) for d in found.deps]


PARSED = [
    (
        "requirements.txt",
        {"requirements.txt": "A[x]>=1; python_version>'3'\n-r b.txt\n", "b.txt": "B\n"},
        [("pypi", "A", ""), ("pypi", "B", "")],
    ),
    (
        "requirements.txt",
        {"requirements.txt": "-e git+https://h/x.git#egg=xpkg\n"},
        [("pypi", "xpkg", "git+https://h/x.git#egg=xpkg")],
    ),
    (
        "pyproject.toml",
        {
            "pyproject.toml": '[project]\ndependencies = ["a>=1"]\n'
            '[dependency-groups]\ndev = ["b", {include-group = "x"}]\n'
        },
        [("pypi", "a", ""), ("pypi", "b", "")],
    ),
    (
        "package.json",
        {"package.json": '{"devDependencies": {"x": "npm:y@1", "z": "u/r"}}'},
        [("npm", "y", "alias of x"), ("npm", "z", "u/r")],
    ),
    (
        "go.mod",
        {"go.mod": "module m\n\nrequire a.io/b v1.0.0 // indirect\n"},
        [("go", "a.io/b", "")],
    ),
    (
        "Cargo.toml",
        {"Cargo.toml": '[target.x.dependencies]\nfoo = { package = "bar", path = "../bar" }\n'},
        [("cargo", "bar", "path=../bar")],
    ),
    ("Gemfile", {"Gemfile": "gem 'rails' # gem 'evil'\n"}, [("rubygems", "rails", "")]),
    (
        "pom.xml",
        {
            "pom.xml": "<project><dependencies><dependency><groupId>g</groupId>"
            "<artifactId>a</artifactId></dependency></dependencies></project>"
        },
        [("maven", "g:a", "")],
    ),
    (
        "build.gradle",
        {"build.gradle": "dependencies { implementation 'g:a:1' }\n"},
        [("maven", "g:a", "")],
    ),
    (  # any configuration, maps, dependencies.add(...); not a comment, a project, a URL
        "build.gradle",
        {
            "build.gradle": "// implementation 'c:d:1'\ndependencies {\n"
            "  debugImplementation \"e:f:1@aar\" /* 'g:h:1' */\n"
            "  implementation group: 'i', name: 'j'\n  implementation(project(':core'))\n"
            '  implementation(name = "k",\n    group = "l")\n  because(\'see: https://x\')\n}\n'
            "dependencies.add('kapt', 'm:n:2')\nval notADependency = 'o:p:1'\n"
        },
        [("maven", "e:f", ""), ("maven", "i:j", ""), ("maven", "l:k", ""), ("maven", "m:n", "")],
    ),
    (
        "gradle/libs.versions.toml",
        {
            "gradle/libs.versions.toml": '[libraries]\na = "g:a:1"\nb = { module = "g:b" }\n'
            'c = { group = "g", name = "c", version.ref = "v" }\n[plugins]\nd = { id = "p" }\n'
        },
        [("maven", "g:a", ""), ("maven", "g:b", ""), ("maven", "g:c", "")],
    ),
    ("setup.cfg", {"setup.cfg": "[options]\ninstall_requires =\n    x>=1\n"}, [("pypi", "x", "")]),
    (  # an override that fetches another package or source counts; a version pin does not
        "package.json",
        {
            "package.json": '{"overrides": {"semver": "^7", "a": {".": "npm:b@1", "c": "2"}},'
            ' "resolutions": {"**/@s/d@1": "file:../d"}, "pnpm": {"overrides": {"e>f": "npm:g@1"}}}'
        },
        [("npm", "b", "alias of a"), ("npm", "@s/d", "file:../d"), ("npm", "g", "alias of f")],
    ),
    (
        "x.gemspec",
        {
            "x.gemspec": "s.add_dependency 'a'\ns.add_development_dependency(%q<b>)\n"
            "# s.add_dependency 'c'\n"
        },
        [("rubygems", "a", ""), ("rubygems", "b", "")],
    ),
    (
        "go.work",
        {"go.work": "use ./a\nreplace x.io/y => ../y\n"},
        [("go", "x.io/y", "replace => ../y")],
    ),
    (  # what uv, PDM and Hatch install beside [project]; a pin only where it swaps the source
        "pyproject.toml",
        {
            "pyproject.toml": '[tool.uv]\ndev-dependencies = ["a"]\noverride-dependencies = '
            '["b>=2", "c @ git+https://h/c"]\n[tool.pdm.dev-dependencies]\nt = ["d"]\n'
            '[tool.hatch.envs.test]\nextra-dependencies = ["e"]\n'
        },
        [("pypi", "a", ""), ("pypi", "d", ""), ("pypi", "e", ""), ("pypi", "c", "git+https://h/c")],
    ),
    (  # a folder of the repository is its own (ripgrep's grep-index); one outside is a path
        "crates/core/Cargo.toml",
        {
            "crates/core/Cargo.toml": '[dependencies]\na = { path = "../index", version = "1" }\n'
            'b = { path = "../../../out" }\nc = { path = "../c", git = "https://h/c" }\n'
        },
        [
            ("cargo", "a", OWN + "../index"),
            ("cargo", "b", "path=../../../out"),
            ("cargo", "c", "git=https://h/c, path=../c"),
        ],
    ),
    (  # npm reads ./x, ../x, /x and ~/x as folders, and file:, link:, portal: ones
        "web/package.json",
        {
            "web/package.json": '{"dependencies": {"a": "file:../shared", "b": "./lib",'
            ' "c": "../../../evil", "d": "~/x", "e": "link:../../x", "f": "u/r"}}'
        },
        [
            ("npm", "a", OWN + "../shared"),
            ("npm", "b", OWN + "./lib"),
            ("npm", "c", "../../../evil"),
            ("npm", "d", "~/x"),
            ("npm", "e", "link:../../x"),
            ("npm", "f", "u/r"),
        ],
    ),
    (
        "pyproject.toml",
        {
            "pyproject.toml": '[tool.poetry.dependencies]\na = { path = "libs/a" }\n'
            'b = { path = "/opt/b" }\n'
        },
        [("pypi", "a", OWN + "libs/a"), ("pypi", "b", "path=/opt/b")],
    ),
]


@pytest.mark.parametrize(("path", "files", "expected"), PARSED)
def test_manifests_are_parsed(path: str, files: dict[str, str], expected: list[object]) -> None:
    assert declared(path, files) == expected


IMITATES = [
    ("pypi", "reqeusts", "requests"),
    ("pypi", "python_dateutil", None),
    ("npm", "lodash-merge", "lodash.merge"),
    ("npm", "l\u043ed\u0430sh", "lodash"),
    ("npm", "lodash", None),
    ("cargo", "Serde_Json", None),
    ("pypi", "six", None),
    ("pypi", "pre-commit-uv", None),  # pre-commit with a word after: another name
    ("pypi", "pre_commit.uv", None),
    ("pypi", "uv-pre-commit", None),  # ... or before
    ("pypi", "pre-comit-uv", None),  # three edits from pre-commit, whole words or not
    ("pypi", "pre-commmit", "pre-commit"),  # a misspelling is one still
    ("pypi", "pre-commit-\u0443v", None),  # the word added may be any word
    ("pypi", "pre\uff0dcommit-uv", None),  # a fullwidth hyphen separates as NFKC reads it
    ("pypi", "precommit-uv", "pre-commit"),  # the known words are not there whole
    ("npm", "lodash-mergee", "lodash.merge"),  # extends lodash, misspells lodash.merge
]


@pytest.mark.parametrize(("ecosystem", "name", "target"), IMITATES)
def test_imitated(ecosystem: str, name: str, target: str | None) -> None:
    known = ["requests", "python-dateutil", "lodash", "lodash.merge", "serde_json", "sip"]
    known += ["pre-commit"]
    assert names.imitated(ecosystem, name, known, 2) == target


def test_include_cycles_are_read_once() -> None:
    files = {"a.txt": "-r b.txt\nx\n", "b.txt": "-r a.txt\ny\n"}
    assert [
        d[1] for d in declared("requirements-a.txt", {**files, "requirements-a.txt": "-r a.txt\n"})
    ] == ["x", "y"]


def test_dep_records_are_plain_tuples() -> None:
    assert Dep("pypi", "a", "r.txt") == ("pypi", "a", "r.txt", "")


@pytest.mark.parametrize(
    ("path", "manifest"),
    [("MANIFEST.in", False), ("dev-requirements.txt", True), ("requirements/ci.in", True),
     ("notes.txt", False), ("web/package.json", True), ("sub/.cargo/config.toml", True)],
)  # fmt: skip # -- one case a line reads as a table
def test_which_files_are_manifests(path: str, manifest: bool) -> None:
    assert manifests.is_manifest(path) is manifest


PIP_SPELLINGS = [
    ("utf-8-sig", b""),
    ("utf-16", b""),  # its BOM, in this machine's order
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32", b""),
    ("utf-32-be", codecs.BOM_UTF32_BE),
]


@pytest.mark.parametrize(("codec", "bom"), PIP_SPELLINGS)
def test_a_requirements_file_is_read_as_pip_decodes_it(codec: str, bom: bytes) -> None:
    """A BOM names the encoding (a UTF-32 LE BOM begins with the UTF-16 LE one, so the longer is
    tried first, as pip does); so does a cookie on a comment among the first two lines."""
    text = "reqeusts==1.0\n-r more.txt\n"
    assert pip_text(bom + text.encode(codec), "r.txt") == text
    cookie = b"# -*- coding: utf-7 -*-\n+AHI-eqeusts==1.0\n+AC0-r more.txt\n"
    assert pip_text(cookie, "r.txt").splitlines()[1:] == text.splitlines()
    assert pip_text(b"x==1\n# coding: latin-1\n\xe9\n", "r.txt").endswith("\xe9\n")
    assert pip_text(b"x==1\ny==2\n# coding: utf-7\n+AHI-\n", "r.txt").endswith("+AHI-\n")


@pytest.mark.parametrize(
    "data",
    [
        b"caf\xe9==1\n",
        b"# coding: nonesuch\nx\n",
        b"# coding: rot13\nx\n",
        b"# coding: undefined\n",
    ],
)
def test_a_requirements_file_pip_cannot_decode_is_exit_2(tmp_path: Path, data: bytes) -> None:
    """pip falls back to the machine's locale there; a gate does not judge by its machine."""
    repo, b, _ = pr_repo(tmp_path / "r", BASE, {})
    repo.write({"requirements.txt": data})
    h = repo.commit("undecodable")
    args = ["run", "--repo", str(repo.path), "--base", b, "--head", h, "--only", "dependencies"]
    result = guards_cli(*args)
    assert result.code == 2, result.stdout + result.stderr
    assert "requirements.txt: pip cannot decode it" in result.stdout + result.stderr
    assert "save it as UTF-8" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "data",
    [
        b"# -*- coding: utf-7 -*-\n+AHI-eqeusts==1.0\nflask\n",
        codecs.BOM_UTF8 + b"reqeusts==1.0\nflask\n",
        "reqeusts==1.0\nflask\n".encode("utf-16"),
        b"flask\n# coding=latin-1\nr\xe9qeusts==1.0\n",
    ],
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pip's own pkg_resources import
def test_the_names_are_the_ones_pip_reads(tmp_path: Path, data: bytes) -> None:
    """The oracle is pip itself: its requirements-file parser, on the same bytes."""
    from pip._internal.network.session import PipSession
    from pip._internal.req.req_file import parse_requirements

    (tmp_path / "requirements.txt").write_bytes(data)
    parsed = parse_requirements(str(tmp_path / "requirements.txt"), session=PipSession())
    theirs = [str(r.requirement).split("=")[0] for r in parsed]
    found = manifests.declared("requirements.txt", {"requirements.txt": data}.get)
    ours = [d.name for d in found.deps]
    assert ours == theirs and len(ours) == 2


def test_a_deeply_nested_gradle_script_is_read_in_one_pass(tmp_path: Path) -> None:
    """130,000 nested dependencies blocks (1.7 MB): the outermost one is read once, brackets
    matched in one pass, so the dependency at the bottom is found (no quadratic rescan, which
    the CLI's time bound would end as a failure)."""
    nested = b"dependencies {" * 130_000 + b"implementation 'com.evil:lib:1'" + b"}" * 130_000
    repo, b, _ = pr_repo(tmp_path / "r", {**BASE, "build.gradle": "dependencies {}\n"}, {})
    repo.write({"build.gradle": nested})
    h = repo.commit("nested")
    args = ["run", "--repo", str(repo.path), "--base", b, "--head", h, "--format", "json"]
    result = guards_cli(*args, "--only", "dependencies")
    assert result.code == 0, result.stdout + result.stderr
    (finding,) = [f for f in result.json()["guards"][0]["findings"] if f["outcome"] == "warn"]
    assert "'com.evil:lib' is new" in finding["message"]
