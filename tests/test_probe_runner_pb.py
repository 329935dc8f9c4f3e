"""The probe runner's ``api:`` server and ``prepush:`` field work as documented (the
protected-branch probes themselves run in test_probes.py)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from guards.probe.api_server import serve
from guards.probe.run import evaluate_file

DIR = Path(__file__).parent / "probes" / "protected-branch"


def _get(url: str) -> tuple[int, object, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, json.loads(resp.read()), dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read()), dict(err.headers)


def test_api_server_replays_bodies_statuses_headers_and_queries() -> None:
    routes = {
        "/a": [1, 2],
        "/b": {"status": 403, "body": {"message": "no"}, "headers": {"Link": "<{api}/a>"}},
        "/c?page=2": {"page": 2},
        "/c": {"page": 1},
        "/d": {"status": "not a spec", "x": 1},
    }
    with serve(routes) as url:
        assert url.startswith("http://127.0.0.1:")
        assert _get(url + "/a")[:2] == (200, [1, 2])
        status, body, headers = _get(url + "/b")
        assert (status, body, headers["Link"]) == (403, {"message": "no"}, f"<{url}/a>")
        assert _get(url + "/c?page=2")[1] == {"page": 2}
        assert _get(url + "/c?per_page=100")[1] == {"page": 1}
        assert _get(url + "/d")[1] == {"status": "not a spec", "x": 1}
        assert _get(url + "/missing")[:2] == (404, {"message": "Not Found"})


def test_a_prepush_probe_that_is_not_refused_fails(tmp_path: Path) -> None:
    doc = yaml.safe_load((DIR / "fail-prepush-branch-to-main.yaml").read_text())
    doc["prepush"] = "refs/heads/probe {head} refs/heads/topic {zero}\n"
    probe = tmp_path / "p.yaml"
    probe.write_text(yaml.safe_dump(doc))
    outcome = evaluate_file(str(probe))
    assert outcome.verdict == "pass" and not outcome.ok


def test_a_probe_api_server_error_is_an_error_verdict(tmp_path: Path) -> None:
    doc = yaml.safe_load((DIR / "pass-api-full-ruleset.yaml").read_text())
    doc["api"]["/repos/o/r/rules/branches/main"] = {"status": 500, "body": {"message": "x"}}
    probe = tmp_path / "p.yaml"
    probe.write_text(yaml.safe_dump(doc))
    outcome = evaluate_file(str(probe))
    assert outcome.verdict == "error" and not outcome.ok
    assert "HTTP 500" in outcome.detail
