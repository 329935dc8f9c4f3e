"""The merge-base's report artifact from the Actions API, against a real local HTTP server."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from guards.errors import GuardsError
from guards.github.artifacts import base_report, extract
from testing.git_repo import guards_cli, pr_repo

SLUG, SHA, RUNS = "o/r", "a" * 40, "/repos/o/r/actions/workflows/tests.yml/runs"
XML = b'<testsuite name="s"><testcase classname="K" name="t"/></testsuite>'


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def env(server: HTTPServer) -> dict[str, str]:
    return {"GITHUB_API_URL": server.url_for("/"), "GITHUB_TOKEN": "t0ken",
            "GUARDS_GITHUB_RETRIES": "0"}  # fmt: skip # -- a packed call reads better here


def serve(server: HTTPServer, runs: list[object], artifacts: list[object]) -> None:
    query = {"head_sha": SHA, "status": "success", "per_page": "100"}
    server.expect_request(RUNS, query_string=query).respond_with_json({"workflow_runs": runs})
    server.expect_request("/repos/o/r/actions/runs/7/artifacts").respond_with_json(
        {"artifacts": artifacts}
    )


def test_the_newest_successful_run_s_artifact_is_downloaded_without_the_token_on_redirect(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    runs = [
        {"id": 3, "conclusion": "success", "created_at": "2026-01-01T00:00:00Z"},
        {"id": 7, "conclusion": "success", "created_at": "2026-02-01T00:00:00Z"},
    ]
    # the storage "host": the same server reached as 127.0.0.1 instead of localhost
    storage = httpserver.url_for("/blob/zip").replace("localhost", "127.0.0.1")
    archive = f"{httpserver.url_for('/')}repos/o/r/actions/artifacts/11/zip"
    serve(
        httpserver,
        runs,
        [{"name": "test-report", "expired": False, "archive_download_url": archive}],
    )
    httpserver.expect_request("/repos/o/r/actions/artifacts/11/zip").respond_with_response(
        Response(status=302, headers={"Location": storage})
    )
    seen: list[str | None] = []

    def blob(request: Request) -> Response:
        seen.append(request.headers.get("Authorization"))
        return Response(zipped({"reports/junit.xml": XML}))

    httpserver.expect_request("/blob/zip").respond_with_handler(blob)
    files = base_report(env(httpserver), SLUG, "tests.yml", SHA, "test-report", tmp_path)
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["test-report/reports/junit.xml"]
    assert files[0].read_bytes() == XML
    assert seen == [None]


@pytest.mark.parametrize(
    ("runs", "artifacts", "why"),
    [
        ([], [], "no successful run of tests.yml on the merge-base"),
        ([{"id": 7, "conclusion": "success"}], [], "'test-report' of run 7 does not exist"),
        (
            [{"id": 7, "conclusion": "success"}],
            [{"name": "test-report", "expired": True, "archive_download_url": "x"}],
            "has expired (retention)",
        ),
    ],
)
def test_no_base_report_is_exit_2_saying_how_to_provide_one(
    httpserver: HTTPServer, tmp_path: Path, runs: list, artifacts: list, why: str
) -> None:
    serve(httpserver, runs, artifacts)
    with pytest.raises(GuardsError, match="pass --base-report") as info:
        base_report(env(httpserver), SLUG, "tests.yml", SHA, "test-report", tmp_path)
    assert why in str(info.value)


def test_every_matrix_entry_s_artifact_lands_in_its_own_folder(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """``test-report-<entry>`` artifacts (and only those) of the run, one folder each."""
    zips = {name: httpserver.url_for(f"/zip/{name}") for name in ("test-report-a", "test-report-b")}
    listed = [{"name": k, "expired": False, "archive_download_url": v} for k, v in zips.items()]
    other = {"name": "coverage", "expired": False, "archive_download_url": "http://no.where/"}
    serve(httpserver, [{"id": 7, "conclusion": "success"}], [other, *listed])
    for name in zips:
        httpserver.expect_request(f"/zip/{name}").respond_with_data(zipped({"junit.xml": XML}))
    files = base_report(env(httpserver), SLUG, "tests.yml", SHA, "test-report", tmp_path)
    assert sorted(f.relative_to(tmp_path).as_posix() for f in files) == [
        "test-report-a/junit.xml",
        "test-report-b/junit.xml",
    ]


@pytest.mark.parametrize(
    ("artifacts", "why"),
    [
        (
            [
                {"name": "test-report-a", "expired": False, "archive_download_url": "x"},
                {"name": "test-report-b", "expired": True, "archive_download_url": "x"},
            ],
            "has expired (retention): test-report-b",
        ),
        ([{"name": "test-report/../x", "expired": False, "archive_download_url": "x"}], "folder"),
    ],
)
def test_an_expired_entry_or_a_name_that_is_no_folder_is_exit_2(
    httpserver: HTTPServer, tmp_path: Path, artifacts: list, why: str | None
) -> None:
    serve(httpserver, [{"id": 7, "conclusion": "success"}], artifacts)
    if why is None:  # a dotted name is one safe folder: it is downloaded (and fails as no zip)
        with pytest.raises(GuardsError, match="artifact download"):
            base_report(env(httpserver), SLUG, "tests.yml", SHA, "test-report", tmp_path)
        return
    with pytest.raises(GuardsError, match=re.escape(why)):
        base_report(env(httpserver), SLUG, "tests.yml", SHA, "test-report", tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["../escape.xml", "/abs.xml", "a/../../b.xml", "c:/x.xml"])
def test_zip_members_that_leave_the_folder_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(GuardsError, match="unsafe path"):
        extract(zipped({name: XML}), tmp_path / "out")
    assert not (tmp_path / "escape.xml").exists()


def test_a_non_zip_artifact_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GuardsError, match="not a zip"):
        extract(b"<html>", tmp_path)


def test_guards_run_takes_base_s_report_from_the_artifact(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """The real CLI: head's report given, base's downloaded for the merge-base commit."""
    tests = "def test_a():\n    pass\n\n\ndef test_b():\n    pass\n"
    repo, base, head = pr_repo(
        tmp_path / "repo", {"tests/test_x.py": tests}, {"tests/conftest.py": "# ends early\n"}
    )
    both = (
        '<testcase classname="tests.test_x" name="test_a"/>'
        '<testcase classname="tests.test_x" name="test_b"/>'
    )
    base_xml = f'<testsuites><testsuite name="pytest">{both}</testsuite></testsuites>'
    (tmp_path / "head.xml").write_text('<testsuites><testsuite name="pytest"/></testsuites>')
    runs = "/repos/o/r/actions/workflows/tests.yml/runs"
    query = {"head_sha": base, "status": "success", "per_page": "100"}
    httpserver.expect_request(runs, query_string=query).respond_with_json(
        {"workflow_runs": [{"id": 7, "conclusion": "success"}]}
    )
    archive = httpserver.url_for("/zip")
    httpserver.expect_request("/repos/o/r/actions/runs/7/artifacts").respond_with_json(
        {"artifacts": [{"name": "test-report", "expired": False, "archive_download_url": archive}]}
    )
    data = zipped({"junit.xml": base_xml.encode(), "coverage.html": b"<html/>"})
    httpserver.expect_request("/zip").respond_with_data(data)
    result = guards_cli(
        "run", "--repo", str(repo.path), "--base", base, "--head", head, "--only", "skip-set",
        "--format", "json", "--head-report", str(tmp_path / "head.xml"),
        "--report-artifact", "test-report", "--report-workflow", "tests.yml",
        env={**env(httpserver), "GITHUB_REPOSITORY": "o/r"},
    )  # fmt: skip # -- a packed call reads better here
    assert result.code == 1, result.stdout + result.stderr
    failed = {f["test"] for g in result.json()["guards"] for f in g["findings"] if f.get("test")}
    assert failed == {"tests/test_x.py::test_a", "tests/test_x.py::test_b"}
