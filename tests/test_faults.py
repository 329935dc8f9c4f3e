"""Hostile input: every class reaches an honest exit 0/1, or exit 2 with a message naming the
file, key or field; never a pass, a traceback or a hang. Each case runs the real CLI on a real
repository (or against a real local HTTP server); times are measured in
benchmarks/faults_bench.py, not asserted here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import DEEP_SOURCES, POLICIES, dripping, linked_folder
from protected_support import SLUG, api_env
from pytest_httpserver import HTTPServer
from test_report_artifacts import SHA, XML, serve, zipped
from test_report_artifacts import env as artifact_env
from werkzeug import Request, Response

from guards.errors import GuardsError
from guards.github import artifacts
from guards.github.artifacts import base_report
from testing.git_repo import CliResult, GitRepo, guards_cli, pr_repo

SCOPE = {"scope/FR-1.yaml": "allow: ['src/**']\n", "src/a.py": "A = 1\n"}


def run(tmp_path: Path, base: dict[str, str], head: dict[str, str], *args: str) -> CliResult:
    repo, b, h = pr_repo(tmp_path / "r", base, head)
    return guards_cli("run", "--base", b, "--head", h, *args, cwd=repo.path)


def no_traceback(result: CliResult) -> None:
    assert "Traceback" not in result.stderr and "internal error" not in result.stdout


@pytest.mark.parametrize(("config", "needle"), POLICIES.values(), ids=POLICIES.keys())
def test_hostile_policy_is_exit_2_naming_the_file(tmp_path: Path, config: str, needle: str) -> None:
    base = {"guards.yaml": config, **SCOPE}
    result = run(tmp_path, base, {"src/a.py": "A = 2\n"}, "--ticket", "FR-1")
    out = result.stdout + result.stderr
    assert result.code == 2, out
    assert needle in out and "guards.yaml" in out
    no_traceback(result)


def test_pyproject_tool_that_is_not_a_table(tmp_path: Path) -> None:
    result = run(tmp_path, {"pyproject.toml": 'tool = "guards"\n', **SCOPE}, {"src/a.py": "2\n"})
    assert result.code == 2 and "tool must be a table" in result.stdout + result.stderr
    no_traceback(result)


def test_catastrophic_ticket_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    base = {"guards.yaml": "manifest-scope: {ticket-pattern: '(A+)+B'}\n", **SCOPE}
    repo, b, h = pr_repo(tmp_path / "r", base, {"src/a.py": "A = 2\n"})
    title = "A" * 5000 + "C"
    result = guards_cli("run", "--base", b, "--head", h, "--pr-title", title, cwd=repo.path)
    assert result.code == 1 and "ticket_identified" in result.stdout  # an honest verdict


@pytest.mark.parametrize(("source", "needle"), DEEP_SOURCES.values(), ids=DEEP_SOURCES.keys())
def test_deeply_nested_test_file_is_exit_2(tmp_path: Path, source: str, needle: str) -> None:
    base = {"tests/test_a.py": "def test_a():\n    pass\n"}
    head = {"tests/test_a.py": "def test_a():\n    pass\n" + source}
    result = run(tmp_path, base, head, "--only", "skip-set")
    assert result.code == 2 and needle in result.stdout and "tests/test_a.py" in result.stdout
    no_traceback(result)


@pytest.mark.parametrize("name", ["tests/test_a b.py", "tests/test_a\tb.py", "sp ace/test_a.py"])
def test_test_paths_with_spaces_and_tabs(tmp_path: Path, name: str) -> None:
    base = {name: "def test_a():\n    pass\n"}
    head = {name: "import pytest\n\n@pytest.mark.skip\ndef test_a():\n    pass\n"}
    result = run(tmp_path, base, head, "--only", "skip-set")
    assert result.code == 1 and "newly skipped" in result.stdout
    no_traceback(result)


def test_symlinked_test_file_is_read_through_its_target(tmp_path: Path) -> None:
    repo, b, _ = pr_repo(
        tmp_path / "r",
        {"tests/test_a.py": "def test_login():\n    pass\n"},
        {"tests/test_a.py": None, "tests/cases.txt": "import pytest\n\n@pytest.mark.skip\n"
         "def test_login():\n    pass\n"},
        symlinks={"tests/test_a.py": "cases.txt"},
    )  # fmt: skip # -- a packed call reads better here
    result = guards_cli("run", "--base", b, "--head", "feature", "--only", "skip-set",
                        cwd=repo.path)  # fmt: skip # -- a packed call reads better here
    assert result.code == 1 and "tests/test_a.py::test_login is newly skipped" in result.stdout


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ('{"pull_request": null}', "pull_request is missing"),
        ('{"pull_request": "x"}', "pull_request is str"),
        ("{}", "pull_request is missing"),
        (
            '{"pull_request": {"base": {"sha": "%s", "ref": "main"}, "head": {"ref": "f"}}}',
            "head.sha",
        ),
        (
            '{"pull_request": {"base": {"sha": "%s", "ref": "main"}, "head": {"sha": "%s", '
            '"ref": 5}}}',
            "head.ref",
        ),
        (
            '{"pull_request": {"base": {"sha": "%s", "ref": "main"}, "head": {"sha": "%s", '
            '"ref": "f"}, "body": {"t": "§4.2"}}}',
            "body",
        ),
        ("[" * 100_000 + "]" * 100_000, "nested more than 64 levels"),
    ],
    ids=["null", "string", "empty", "no-head-sha", "head-ref-int", "body-object", "deep"],
)
def test_event_payload_of_the_wrong_shape(tmp_path: Path, payload: str, needle: str) -> None:
    repo, b, h = pr_repo(tmp_path / "r", {"a.txt": "1\n"}, {"a.txt": "2\n"})
    event = tmp_path / "event.json"
    event.write_text(payload.replace("%s", b, 1).replace("%s", h, 1))
    result = guards_cli(
        "run", "--event-name", "pull_request", "--event-path", str(event), cwd=repo.path
    )
    assert result.code == 2 and needle in result.stderr, result.stderr
    no_traceback(result)


# --- a misbehaving GitHub API -------------------------------------------------------------


def audit(server: HTTPServer, cwd: Path, **extra: str) -> CliResult:
    env = {**api_env(server), **extra}
    return guards_cli("protection", "audit", "--repo", SLUG, "--branch", "main", cwd=cwd, env=env)


@pytest.fixture
def other_host() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def test_redirect_to_another_host_is_refused_and_the_token_stays(
    httpserver: HTTPServer, other_host: HTTPServer, tmp_path: Path
) -> None:
    elsewhere = other_host.url_for("/steal")
    httpserver.expect_request(f"/repos/{SLUG}/rules/branches/main").respond_with_response(
        Response(status=302, headers={"Location": elsewhere})
    )
    other_host.expect_request("/steal").respond_with_json([])
    result = audit(httpserver, tmp_path)
    assert result.code == 2 and "not followed" in result.stderr, result.stderr
    seen: list[Request] = [request for request, _ in other_host.log]
    assert all("Authorization" not in r.headers for r in seen) and not seen


def test_next_page_on_another_host_is_not_followed(
    httpserver: HTTPServer, other_host: HTTPServer, tmp_path: Path
) -> None:
    link = f'<{other_host.url_for("/page2")}>; rel="next"'
    httpserver.expect_request(f"/repos/{SLUG}/rules/branches/main").respond_with_json(
        [], headers={"Link": link}
    )
    result = audit(httpserver, tmp_path)
    assert result.code == 2 and "not followed" in result.stderr
    assert other_host.log == []


def test_pagination_that_loops_is_exit_2(httpserver: HTTPServer, tmp_path: Path) -> None:
    path = f"/repos/{SLUG}/rules/branches/main"
    link = f'<{httpserver.url_for(path)}?per_page=100>; rel="next"'
    httpserver.expect_request(path).respond_with_json([], headers={"Link": link})
    result = audit(httpserver, tmp_path)
    assert result.code == 2 and "loops" in result.stderr


@pytest.fixture
def dripping_server() -> Iterator[str]:
    """A server that answers one byte every half second, forever (until the test ends)."""
    with dripping() as url:
        yield url


def test_a_server_that_drips_hits_the_deadline(dripping_server: str, tmp_path: Path) -> None:
    env = {
        "GITHUB_API_URL": dripping_server,
        "GITHUB_TOKEN": "t0ken",
        "GUARDS_GITHUB_RETRIES": "0",
        "GUARDS_GITHUB_TIMEOUT": "2",
    }
    result = guards_cli(
        "protection", "audit", "--repo", SLUG, "--branch", "main", cwd=tmp_path, env=env
    )
    assert result.code == 2 and "deadline" in result.stderr, result.stderr


# --- guards skips list: untrusted names never start a workflow command --------------------


def _no_command_line(text: str) -> None:
    """No line of TEXT starts a workflow command, however a log reader splits lines."""
    assert all(not line.lstrip().startswith("::") for line in text.splitlines()), text


@pytest.mark.parametrize(
    "name",
    [
        "tests/test_x%0A::error::y.py",
        "tests/test_x\n::error::y.py",
        "tests/test_x\u2028::error::y.py",
    ],
    ids=["percent", "newline", "line-separator"],
)
def test_skips_list_escapes_an_unparsable_file_name(tmp_path: Path, name: str) -> None:
    repo = GitRepo(tmp_path / "r")
    repo.write({name: "import pytest\n\n@pytest.mark.skip\ndef test_a(:\n"})
    repo.commit("c")
    result = guards_cli("skips", "list", cwd=repo.path)
    assert result.code == 2 and "does not parse" in result.stderr, result.stderr
    _no_command_line(result.stdout + result.stderr)
    assert "test_x" in result.stderr
    no_traceback(result)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_skips_list_escapes_skipped_test_names(tmp_path: Path, fmt: str) -> None:
    repo = GitRepo(tmp_path / "r")
    skipped = (
        "import pytest\n\n@pytest.mark.skip(reason='a\\n::error::b')\ndef test_a():\n    pass\n"
    )
    repo.write({"::error::x/test_a.py": skipped, "t\n::warning::y/test_b.py": skipped})
    repo.commit("c")
    result = guards_cli("skips", "list", "--format", fmt, cwd=repo.path)
    assert result.code == 0, result.stderr
    _no_command_line(result.stdout + result.stderr)
    assert "test_a.py::test_a" in result.stdout and "test_b.py::test_a" in result.stdout


# --- a test file thousands of folders deep: refused before any work per level --------------


def _deep_repo(tmp_path: Path, depth: int) -> tuple[GitRepo, str]:
    """A test file DEPTH folders down, added by index (no file system holds that path)."""
    repo = GitRepo(tmp_path / "r")
    repo.write({"tests/test_b.py": "def test_b():\n    pass\n"})
    base = repo.commit("base")
    repo.branch("feature")
    oid = repo.git("hash-object", "-w", "--stdin", stdin=b"def test_a():\n    pass\n").strip()
    deep = "/".join(["a"] * depth) + "/test_a.py"
    repo.git("update-index", "--add", "--cacheinfo", f"100644,{oid},{deep}")
    repo.git("commit", "-q", "-m", "head")
    return repo, base


@pytest.mark.parametrize("command", ["run", "skips"])
def test_a_test_file_3000_folders_deep_is_exit_2_naming_it(tmp_path: Path, command: str) -> None:
    repo, base = _deep_repo(tmp_path, 3000)
    args = ["run", "--base", base, "--head", "feature", "--only", "skip-set"]
    result = guards_cli(*(args if command == "run" else ["skips", "list"]), cwd=repo.path)
    out = result.stdout + result.stderr
    assert result.code == 2, out[-500:]
    assert "a/a/a/test_a.py: 3000 folders deep" in out and "at most 256" in out
    no_traceback(result)


def test_a_test_file_at_the_depth_bound_is_judged(tmp_path: Path) -> None:
    repo, base = _deep_repo(tmp_path, 256)
    result = guards_cli("run", "--base", base, "--head", "feature", "--only", "skip-set",
                        cwd=repo.path)  # fmt: skip # -- a packed call reads better here
    assert result.code == 0, result.stdout[-500:]


def test_conftest_chains_are_shared_between_folders(tmp_path: Path) -> None:
    """Chains grow from the parent's: a conftest two levels up still reaches a deep test, and a
    sibling folder without one is not touched by it."""
    conftest = (
        "import pytest\n\n\n@pytest.fixture(autouse=True)\ndef off():\n    pytest.skip('x')\n"
    )
    test = "def test_n():\n    pass\n"
    head = {"tests/a/conftest.py": conftest, "tests/a/b/c/test_n.py": test,
            "tests/a/test_m.py": test, "tests/z/test_o.py": test}  # fmt: skip # -- a packed table
    result = run(tmp_path, {"tests/test_b.py": test}, head, "--only", "skip-set")
    assert result.code == 1, result.stdout
    assert "tests/a/b/c/test_n.py::test_n" in result.stdout
    assert "tests/a/test_m.py::test_n" in result.stdout and "tests/z/" not in result.stdout


# --- the report artifact: both hops bounded by the transport, the token never on storage ----


def _artifact(server: HTTPServer, storage: str) -> dict[str, str]:
    """The API's runs and artifact lists, and its zip URL answering 302 to STORAGE."""
    runs = [{"id": 7, "conclusion": "success", "created_at": "2026-02-01T00:00:00Z"}]
    archive = server.url_for("/repos/o/r/actions/artifacts/11/zip")
    serve(
        server, runs, [{"name": "test-report", "expired": False, "archive_download_url": archive}]
    )
    server.expect_request("/repos/o/r/actions/artifacts/11/zip").respond_with_response(
        Response(status=302, headers={"Location": storage})
    )
    return {**artifact_env(server), "GUARDS_GITHUB_TIMEOUT": "2"}


def test_artifact_storage_on_another_host_gets_no_token(
    httpserver: HTTPServer, other_host: HTTPServer, tmp_path: Path
) -> None:
    env = _artifact(httpserver, other_host.url_for("/blob"))
    other_host.expect_request("/blob").respond_with_data(zipped({"junit.xml": XML}))
    files = base_report(env, "o/r", "tests.yml", SHA, "test-report", tmp_path)
    assert [f.read_bytes() for f in files] == [XML]
    seen: list[Request] = [request for request, _ in other_host.log]
    assert len(seen) == 1 and "Authorization" not in seen[0].headers


def test_artifact_storage_that_drips_hits_the_deadline(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    with dripping() as storage:
        env = _artifact(httpserver, storage + "/blob")
        with pytest.raises(GuardsError, match=r"storage .*before the deadline"):
            base_report(env, "o/r", "tests.yml", SHA, "test-report", tmp_path)


def test_artifact_over_the_size_cap_is_refused(
    httpserver: HTTPServer, other_host: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(artifacts, "MAX_ZIP", 1000)  # the cap, small enough to serve past
    env = _artifact(httpserver, other_host.url_for("/blob"))
    other_host.expect_request("/blob").respond_with_data(b"x" * 5000)
    with pytest.raises(GuardsError, match="over 1000 bytes; refused"):
        base_report(env, "o/r", "tests.yml", SHA, "test-report", tmp_path)


def test_artifact_redirect_to_a_file_url_is_refused(httpserver: HTTPServer, tmp_path: Path) -> None:
    env = _artifact(httpserver, "file:///etc/passwd")
    with pytest.raises(GuardsError, match="not http"):
        base_report(env, "o/r", "tests.yml", SHA, "test-report", tmp_path)


# --- a symlink to a folder of more files than are judged one by one -------------------------


def _linked_folder(tmp_path: Path, files: int) -> tuple[GitRepo, str]:
    """The linked folder of tests/hostile.py; the scope denies only the 10,000th file."""
    scope = "allow: ['src/**', vendor/big, 'vendor/big/**']\ndeny: [vendor/big/f9999.txt]\n"
    return linked_folder(tmp_path / "r", files, scope)


def test_a_link_to_a_folder_past_the_file_bound_is_exit_2_naming_it(tmp_path: Path) -> None:
    repo, base = _linked_folder(tmp_path, 10_001)
    args = ("run", "--base", base, "--head", "feature", "--only", "manifest-scope")
    result = guards_cli(*args, "--ticket", "FR-1", cwd=repo.path)
    assert result.code == 2, result.stdout[-500:]
    assert "symlink src/link -> ../vendor/big: vendor/big/ holds 10,001 files" in result.stdout
    no_traceback(result)


def test_a_link_to_a_folder_at_the_file_bound_is_judged(tmp_path: Path) -> None:
    repo, base = _linked_folder(tmp_path, 10_000)
    args = ("run", "--base", base, "--head", "feature", "--only", "manifest-scope")
    result = guards_cli(*args, "--ticket", "FR-1", cwd=repo.path)
    assert result.code == 1 and "vendor/big/f9999.txt" in result.stdout, result.stdout[-500:]
