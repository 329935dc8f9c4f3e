"""Build a probe's repository and judge it exactly as ``guards run`` would."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from guards import context, finding, runner
from guards.checks.base import EVALUATED
from guards.checks.protected_branch.local_push import evaluate as evaluate_push
from guards.core.git import Git
from guards.core.oids import ZERO_OID
from guards.core.records import record
from guards.errors import ConfigError, GuardsError
from guards.finding import Finding, GuardResult, Outcome, Status
from guards.probe import api_server
from guards.probe.model import Probe, load_probe
from guards.probe.repo import Step, Tree, build_chain, build_pair
from guards.report.github import annotation_lines

PASSING = ("pass", "not-applicable")
BROKEN = "broken"


@record
class ProbeOutcome:
    """What a probe got, and whether that is what it must get."""

    probe: Probe
    verdict: str
    ok: bool
    detail: str
    findings: tuple[Finding, ...] = ()


def run_all(paths: list[str], workers: int | None = None) -> list[ProbeOutcome]:
    """Evaluate every probe file, in parallel processes (one repository each)."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(paths) < 4:
        return [evaluate_file(p) for p in paths]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(evaluate_file, paths, chunksize=4))


def evaluate_file(path: str) -> ProbeOutcome:
    return evaluate(load_probe(Path(path)))


def evaluate(probe: Probe) -> ProbeOutcome:
    """The probe's verdict; a probe whose repository cannot be built, or that crashes the
    runner, is "broken" (never what any probe expects), and the other probes still run."""
    with tempfile.TemporaryDirectory(prefix="guards-probe-") as tmp:
        try:
            base, head = build(probe, Path(tmp) / "repo")
        except GuardsError as exc:
            return ProbeOutcome(probe, BROKEN, False, f"the probe cannot be built: {exc}")
        try:
            result = judge(probe, Path(tmp), (base, head))
        except GuardsError as exc:  # as `guards run` would: exit 2
            result = GuardResult(probe.guard, (Finding(EVALUATED, Outcome.ERROR, str(exc)),))
        except Exception as exc:  # a crash of the runner itself, never a verdict
            return ProbeOutcome(probe, BROKEN, False, f"{type(exc).__name__}: {exc}")
    return compare(probe, result)


def compare(probe: Probe, result: GuardResult) -> ProbeOutcome:
    """The verdict is what ``guards run`` would exit with, and it must be what the probe
    expects; the result's GitHub annotations must not start a workflow command of their own."""
    verdict = exit_verdict(result)
    ok = verdict in PASSING if probe.expect == "pass" else verdict == probe.expect
    missing = [w for w in probe.doc.get("findings", ()) if not _found(w, result.findings)]
    detail = "; ".join(f.message for f in result.findings if f.outcome is not Outcome.PASS)
    if missing:
        ok = False
        detail = f"expected findings not reported: {missing}" + (
            f"; got: {detail}" if detail else ""
        )
    forged = [line for line in annotation_lines([result]) if _forges(line)]
    if forged:
        ok, detail = False, f"an annotation starts a second workflow command: {forged[0]!r}"
    return ProbeOutcome(probe, verdict, ok, detail, result.findings)


_VERDICTS = {0: Status.PASS.value, 1: Status.FAIL.value, 2: Status.ERROR.value}


def exit_verdict(result: GuardResult) -> str:
    """The verdict from the exit code ``guards run`` computes (not-applicable is exit 0)."""
    code = finding.exit_code([result])  # looked up when called, as a mutant replaces it
    return Status.NOT_APPLICABLE.value if code == 0 and not result.applicable else _VERDICTS[code]


def _forges(annotation: str) -> bool:
    """Some line of ANNOTATION after its first starts a workflow command, however a reader
    splits lines (the runner at CR/LF, Python and log viewers at U+2028 and the like)."""
    return any(part.lstrip().startswith("::") for part in annotation.splitlines()[1:])


def _found(wanted: Mapping[str, str], findings: tuple[Finding, ...]) -> bool:
    def matches(f: Finding) -> bool:
        got = {"rule": f.rule, "path": f.path, "outcome": f.outcome.value, "test": f.test}
        return all(
            wanted[k] in f.message if k == "message" else got.get(k) == wanted[k] for k in wanted
        )

    return any(matches(f) for f in findings)


def build(probe: Probe, root: Path) -> tuple[str, str]:
    """The probe's repository: base commit on main, head commit on its branch."""
    base, head = trees(probe.doc)
    if probe.doc.get("commits"):
        return build_chain(root, base, chain(head, probe.doc["commits"]), _branch(probe))
    return build_pair(root, base, head, _branch(probe))


def _branch(probe: Probe) -> str:
    return str(probe.doc.get("branch", "probe"))


def chain(head: Tree, commits: list[Mapping[str, Any]]) -> list[Step]:
    """One step per ``commits:`` entry: its files applied to the tree before it (the first
    entry starts from the head tree that ``head:``, ``renames`` and the rest describe)."""
    steps: list[Step] = []
    tree = dict(head)
    for entry in commits:
        for path, text in (entry.get("files") or {}).items():
            tree.pop(path, None)
            if text is not None:
                tree[path] = ("100644", text.encode())
        steps.append((entry["message"], dict(tree), bool(entry.get("merge"))))
    return steps


def trees(doc: Mapping[str, Any]) -> tuple[Tree, Tree]:
    """The base tree, and the head tree: renames first, then writes, links, modes, gitlinks."""
    base: Tree = {
        p: ("100644", t.encode()) for p, t in (doc.get("base") or {}).items() if t is not None
    }
    head = dict(base)
    for old, new in (doc.get("renames") or {}).items():
        _require(old in head, f"renames: {old} is not a file at base")
        head[new] = head.pop(old)
    for path, text in (doc.get("head") or {}).items():
        for gone in [p for p in head if p == path or p.startswith(path + "/")]:
            del head[gone]
        if text is not None:
            head[path] = ("100644", text.encode())
    head.update({p: ("120000", t.encode()) for p, t in (doc.get("symlinks") or {}).items()})
    for path, mode in (doc.get("modes") or {}).items():
        _require(path in head, f"modes: {path} is not a file at head")
        head[path] = (mode, head[path][1])
    head.update({p: ("160000", o.encode()) for p, o in (doc.get("submodules") or {}).items()})
    return base, head


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ConfigError(f"probe: {message}")


def expand(value: Any, revs: Mapping[str, str]) -> Any:
    """Replace {base}, {head} and {zero} in every string of VALUE."""
    if isinstance(value, str):
        for key, sha in revs.items():
            value = value.replace("{" + key + "}", sha)
        return value
    if isinstance(value, list):
        return [expand(v, revs) for v in value]
    if isinstance(value, dict):
        return {k: expand(v, revs) for k, v in value.items()}
    return value


def judge(probe: Probe, tmp: Path, revisions: tuple[str, str]) -> GuardResult:
    repo_dir = tmp / "repo"
    base, head = revisions
    revs = {"base": base, "head": head, "zero": ZERO_OID}
    event = probe.doc.get("event")
    event_path = None
    if event:
        event_path = tmp / "event.json"
        event_path.write_text(json.dumps(expand(event.get("payload", {}), revs)))
    env = {"PATH": os.environ.get("PATH", "")}
    with api_env(probe, revs, env) as env:
        if probe.doc.get("prepush") is not None:
            return judge_prepush(probe, repo_dir, revs, env)
        return _judge_run(probe, repo_dir, (base, head), event_path, env)


def _judge_run(
    probe: Probe,
    repo_dir: Path,
    revisions: tuple[str, str],
    event_path: Path | None,
    env: dict[str, str],
) -> GuardResult:
    base, head = revisions
    pr = probe.doc.get("pr") or {}
    event = probe.doc.get("event")
    opts = context.RunOptions(
        repo=str(repo_dir),
        base=None if event else base,
        head=None if event else head,
        ticket=pr.get("ticket"),
        pr_title=pr.get("title"),
        pr_body=pr.get("body"),
        event_path=str(event_path) if event_path else None,
        event_name=event["name"] if event else None,
        env=env,
        base_reports=_report(probe, repo_dir.parent, "base"),
        head_reports=_report(probe, repo_dir.parent, "head"),
    )
    ctx, cfg = context.build(opts)
    from guards.waivers.apply import apply_waivers  # waivers apply as in guards run

    return apply_waivers(ctx, cfg, [runner.run_one(probe.guard, ctx, cfg)])[0]


def _report(probe: Probe, tmp: Path, side: str) -> tuple[str, ...]:
    """``reports: {base, head}``: SIDE's text written to a file, passed as --<side>-report;
    one text per matrix entry is one folder per entry, passed as the glob of their files."""
    given = probe.doc.get("reports")
    if not given:
        return ()
    path = tmp / f"{side}-report"
    if isinstance(given[side], str):
        path.write_text(given[side], encoding="utf-8")
        return (str(path),)
    for entry, text in given[side].items():
        (path / entry).mkdir(parents=True)
        (path / entry / "report").write_text(text, encoding="utf-8")
    return (str(path / "*" / "report"),)


@contextmanager
def api_env(probe: Probe, revs: Mapping[str, str], env: dict[str, str]) -> Iterator[dict[str, str]]:
    """With ``api:`` (or ``token: true``): a real local server replaying the recorded
    responses, $GITHUB_API_URL pointing at it and, unless ``token: false``, a $GITHUB_TOKEN."""
    routes = probe.doc.get("api")
    token = probe.doc.get("token", routes is not None)
    if routes is None and not token:
        yield env
        return
    recorded = {expand(path, revs): expand(value, revs) for path, value in (routes or {}).items()}
    with api_server.serve(recorded) as url:
        extra = {"GITHUB_API_URL": url, "GUARDS_GITHUB_RETRIES": "1", "GUARDS_GITHUB_BACKOFF": "0"}
        yield {**env, **extra, **({"GITHUB_TOKEN": "probe-token"} if token else {})}


def judge_prepush(
    probe: Probe, repo_dir: Path, revs: Mapping[str, str], env: dict[str, str]
) -> GuardResult:
    """Feed the expanded ``prepush:`` lines to what ``guards prepush origin`` runs, in a clone
    whose origin/HEAD is the base commit (where the policy is read); ``remote-refs: branch:X``
    records only origin/X, ``none`` no remote-tracking ref at all."""
    git = Git(repo_dir)
    remote_refs = probe.doc.get("remote-refs", "head")
    if remote_refs == "head":
        git.set_remote_head("origin", "main", revs["base"])
    elif remote_refs.startswith("branch:"):
        git.set_remote_branch("origin", remote_refs.removeprefix("branch:"), revs["base"])
    verdict = evaluate_push(str(repo_dir), "origin", expand(probe.doc["prepush"], revs), env)
    return GuardResult(probe.guard, verdict.findings)
