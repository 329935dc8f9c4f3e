"""The test report of the merge-base commit, from the Actions API (``actions: read``).

``base_report(env, slug, workflow, sha, name, dest)``: the newest successful run of WORKFLOW
(file name or id) on commit SHA, its artifacts named NAME or starting with NAME (one per matrix
entry: ``test-report-py3.11``; download-artifact's ``pattern: NAME*`` on head's side), each
zip extracted into ``DEST/<artifact name>/`` (the folder names the entry, as download-artifact
does); returns the extracted files. No such run, no such artifact, or an expired one among
them is a GuardsError (exit 2) saying how to provide a base report, never a silent
static-only pass (nor a matrix compared without one of its entries).

The traps: the artifact's ``archive_download_url`` answers 302 to a signed storage URL on
another host; urllib would follow it carrying the Authorization header (leaking the token,
and storage refuses it), so the redirect is followed by hand without it. Both hops go through
transport.py (one deadline, a body cap of ``MAX_ZIP``, never a stall on a server that drips).
The zip is untrusted: member names that leave DEST, too many members and too many bytes are
refused before writing.
"""

from __future__ import annotations

import io
import posixpath
import urllib.parse
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from guards.errors import GuardsError
from guards.github import transport
from guards.github.client import GitHub

MAX_ZIP = 256 * 1024 * 1024
MAX_MEMBERS = 10_000
PER_PAGE, MAX_PAGES = 100, 10
HOW = "re-run the test workflow on the base branch, or pass --base-report"


def base_report(
    env: Mapping[str, str], slug: str, workflow: str, sha: str, name: str, dest: Path
) -> list[Path]:
    gh = GitHub.from_env(env)
    run = newest_success(gh, slug, workflow, sha)
    return [
        path
        for artifact in named_artifacts(gh, slug, run, name)
        for path in extract(
            download(gh, str(artifact["archive_download_url"])), dest / str(artifact["name"])
        )
    ]


def newest_success(gh: GitHub, slug: str, workflow: str, sha: str) -> int:
    path = f"/repos/{slug}/actions/workflows/{urllib.parse.quote(workflow)}/runs"
    data = gh.get(f"{path}?head_sha={sha}&status=success&per_page=100")
    runs = [r for r in _list(data, "workflow_runs") if r.get("conclusion") == "success"]
    if not runs:
        raise GuardsError(f"no successful run of {workflow} on the merge-base {sha[:12]}; {HOW}")
    return int(max(runs, key=lambda r: str(r.get("created_at", "")))["id"])


def named_artifacts(gh: GitHub, slug: str, run: int, name: str) -> list[Mapping[str, Any]]:
    """Run RUN's artifacts whose name starts with NAME; none, or an expired one, is an error."""
    found = [a for a in _artifacts(gh, slug, run) if str(a.get("name", "")).startswith(name)]
    expired = [str(a["name"]) for a in found if a.get("expired")]
    if not found or expired:
        why = f"has expired (retention): {', '.join(expired)}" if expired else "does not exist"
        raise GuardsError(f"artifact {name!r} of run {run} {why}; {HOW}")
    for artifact in found:
        _folder_name(str(artifact["name"]))
    return sorted(found, key=lambda a: str(a["name"]))


def _artifacts(gh: GitHub, slug: str, run: int) -> list[Mapping[str, Any]]:
    """Every artifact of RUN, page after page (at most MAX_PAGES of PER_PAGE)."""
    out: list[Mapping[str, Any]] = []
    for page in range(1, MAX_PAGES + 1):
        query = urllib.parse.urlencode({"per_page": PER_PAGE, "page": page})
        items = _list(gh.get(f"/repos/{slug}/actions/runs/{run}/artifacts?{query}"), "artifacts")
        out += items
        if len(items) < PER_PAGE:
            return out
    raise GuardsError(f"run {run} has more than {MAX_PAGES * PER_PAGE} artifacts; {HOW}")


def _folder_name(name: str) -> str:
    """An artifact's name as the folder of its matrix entry: one safe path component."""
    if not name or name in (".", "..") or any(c in name for c in "/\\:\0"):
        raise GuardsError(f"artifact name {name!r} cannot name a folder; {HOW}")
    return name


def _list(data: Any, key: str) -> list[Mapping[str, Any]]:
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise GuardsError(f"GitHub API: expected {key} in the response")
    return [i for i in items if isinstance(i, dict)]


REDIRECTS = (301, 302, 303, 307, 308)


def download(gh: GitHub, url: str) -> bytes:
    """The zip at URL: the API answers with a redirect to storage, fetched without the token;
    both hops share one deadline (the client's per-request one) and the size cap."""
    deadline = gh._deadline(url)  # the client's own deadline, as for any of its GETs
    status, body, headers = _answer(
        url, transport.fetch(url, gh._headers(), gh.api_url, deadline, limit=MAX_ZIP, follow=False)
    )
    if status == 200:
        return body
    location = next((v for k, v in headers.items() if k.lower() == "location"), None)
    if status not in REDIRECTS or not location:
        raise GuardsError(f"artifact download {url}: HTTP {status}")
    target = urllib.parse.urljoin(url, location)
    agent = gh._headers()["User-Agent"]
    status, body, _ = _answer(
        target, transport.fetch_storage(target, agent, deadline, limit=MAX_ZIP)
    )
    if status != 200:
        raise GuardsError(f"artifact download from storage: HTTP {status}")
    return body


def _answer(url: str, raw: transport.Raw | None) -> transport.Raw:
    if raw is None:
        raise GuardsError(f"artifact download {url} failed: no connection")
    return raw


def extract(data: bytes, dest: Path) -> list[Path]:
    """The zip's files under DEST; names leaving DEST and oversized content are refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise GuardsError(f"the report artifact is not a zip: {exc}") from exc
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_ZIP:
        raise GuardsError("the report artifact holds too many files or bytes")
    return [_write(archive, m, dest) for m in members]


def _write(archive: zipfile.ZipFile, member: zipfile.ZipInfo, dest: Path) -> Path:
    name = posixpath.normpath(member.filename.replace("\\", "/"))
    if name.startswith(("/", "../")) or name == ".." or ":" in name:
        raise GuardsError(f"the report artifact holds an unsafe path: {member.filename!r}")
    target = dest / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(archive.read(member))
    return target
