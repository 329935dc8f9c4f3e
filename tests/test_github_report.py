"""--format github: annotations (worst first, within GitHub's per-step limits), the step summary
(every finding, a verdict on top, never over 1 MiB) and the step outputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from workflow_commands import Command, commands, parse

from guards import report as R
from guards.checks import rule
from guards.errors import GuardsError
from guards.finding import Finding, GuardResult, Outcome, Waiver
from guards.report import Report
from guards.report import github as G
from guards.report import github_summary as M
from testing.git_repo import guards_cli, pr_repo

B, H = "1" * 40, "2" * 40


def report(*results: GuardResult) -> Report:
    return Report(B, H, results)


def many(outcome: Outcome, n: int, tag: str) -> tuple[Finding, ...]:
    return tuple(
        Finding(f"rule_{tag}", outcome, f"{tag} {i}", path=f"{tag}/{i}.py") for i in range(n)
    )


def emit(rep: Report, env: dict[str, str], tmp_path: Path) -> None:
    """What `guards run --format github` does: annotations out, step files appended."""
    R.emit(rep, "github", str(tmp_path / "annotations.txt"), env)


def env_files(tmp_path: Path) -> dict[str, str]:
    return {
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
    }


# --- escaping ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["plain", "100% done", "a\nb\r\nc", "::error::x", "x::add-mask::y", "%0A literal", "a,b:c"],
)
def test_escaped_message_round_trips_through_the_runner(text: str) -> None:
    cmd = parse(G.annotation("g", Finding("r", Outcome.FAIL, text)))
    assert cmd is not None and cmd.name == "error"
    assert cmd.data == text  # a '::' inside the data is data: no zero-width space


def test_a_node_id_in_an_annotation_is_pasteable() -> None:
    node = "tests/test_a.py::TestX::test_y[a-b]"
    line = G.annotation("skip-set", Finding("r", Outcome.FAIL, f"{node} is newly skipped"))
    assert "\u200b" not in line and f"::{node} is newly skipped" in line
    cmd = parse(line)
    assert cmd is not None and cmd.data.split()[0] == node


@pytest.mark.parametrize(
    "path", ["a.py", "dir/with space.py", "we,ird:na%me.py", "new\nline.py", "x::y.py", "c\rr"]
)
def test_escaped_file_property_round_trips(path: str) -> None:
    cmd = parse(G.annotation("manifest-scope", Finding("r", Outcome.WARN, "m", path=path, line=3)))
    assert cmd == Command("warning", {"file": path, "line": "3", "title": "manifest-scope: r"}, "m")


def test_annotation_without_path_has_only_a_title() -> None:
    line = G.annotation("spec-ref", Finding("spec_cited", Outcome.ERROR, "could not read"))
    assert line == "::error title=spec-ref%3A spec_cited::could not read"


# --- annotations -------------------------------------------------------------------------


def test_worst_first_and_within_the_per_step_limits() -> None:
    results = (
        GuardResult("skip-set", many(Outcome.WARN, 6, "w") + many(Outcome.FAIL, 8, "f")),
        GuardResult("spec-ref", many(Outcome.UNKNOWN, 6, "u") + many(Outcome.ERROR, 4, "e")),
        GuardResult("manifest-scope", many(Outcome.PASS, 3, "p") + many(Outcome.FAIL, 4, "g")),
    )
    lines = G.render(report(*results)).splitlines()
    cmds = commands(lines)
    assert [c.name for c in cmds] == ["error"] * 10 + ["warning"] * 10 + ["notice"]
    messages = [c.data for c in cmds[:20]]
    assert messages[:4] == ["e 0", "e 1", "e 2", "e 3"], "errors (could not evaluate) first"
    fair_fails = [f"f {i}" for i in range(3)] + [f"g {i}" for i in range(3)]
    assert messages[4:10] == fair_fails, "then failures, shared fairly across guards"
    assert messages[10:20] == [f"w {i}" for i in range(5)] + [f"u {i}" for i in range(5)]
    assert cmds[-1].data == "8 more finding(s) are in the job summary"  # 28 flagged, 20 shown


def test_no_annotation_for_passing_findings_and_no_notice_when_all_shown() -> None:
    results = (
        GuardResult("manifest-scope", many(Outcome.PASS, 3, "p") + many(Outcome.FAIL, 2, "f")),
    )
    cmds = commands(G.render(report(*results)))
    assert [(c.name, c.data) for c in cmds] == [("error", "f 0"), ("error", "f 1")]
    passing = G.render(report(GuardResult("manifest-scope", many(Outcome.PASS, 2, "p"))))
    assert passing == "::notice title=guards::guards passed: manifest-scope pass\n"


# --- outputs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ((Outcome.PASS,), "ok=true\nfindings=0\n"),
        ((Outcome.WARN, Outcome.UNKNOWN), "ok=true\nfindings=0\n"),
        ((Outcome.FAIL, Outcome.FAIL, Outcome.PASS), "ok=false\nfindings=2\n"),
        ((Outcome.ERROR, Outcome.FAIL), "ok=false\nfindings=2\n"),
        ((), "ok=true\nfindings=0\n"),
    ],
)
def test_outputs(outcomes: tuple[Outcome, ...], expected: str) -> None:
    findings = tuple(Finding("r", o, "m") for o in outcomes)
    assert G.outputs((GuardResult("g", findings),)) == expected


def test_outputs_and_summary_are_appended_to_the_step_files(tmp_path: Path) -> None:
    env = env_files(tmp_path)
    Path(env["GITHUB_OUTPUT"]).write_text("earlier=1\n")
    Path(env["GITHUB_STEP_SUMMARY"]).write_text("# earlier step text\n")
    emit(report(GuardResult("manifest-scope", many(Outcome.FAIL, 1, "f"))), env, tmp_path)
    assert Path(env["GITHUB_OUTPUT"]).read_text() == "earlier=1\nok=false\nfindings=1\n"
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert summary.startswith("# earlier step text\n## guards ❌ failed: 1 finding(s)")


def test_unwritable_summary_fails_closed(tmp_path: Path) -> None:
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "missing-dir" / "summary.md")}
    with pytest.raises(GuardsError, match="cannot append"):
        emit(report(GuardResult("manifest-scope", many(Outcome.PASS, 1, "p"))), env, tmp_path)


# --- the summary -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "word"),
    [
        (Outcome.PASS, "✅ passed"),
        (Outcome.FAIL, "❌ failed"),
        (Outcome.ERROR, "⚠️ could not be evaluated"),
    ],
)
def test_verdict_line(outcome: Outcome, word: str) -> None:
    results = (
        GuardResult("manifest-scope", (Finding("r", outcome, "m"),)),
        GuardResult("skip-set"),
    )
    line = M.verdict(results, B, H)
    failing = 0 if outcome is Outcome.PASS else 1
    assert line == (
        f"## guards {word}: {failing} finding(s) fail the gate "
        f"(manifest-scope: {outcome.value if outcome is not Outcome.PASS else 'pass'}, "
        f"skip-set: pass; {B[:12]}...{H[:12]})\n"
    )


def test_every_finding_in_a_table_per_guard_worst_first() -> None:
    fail = Finding("changes_in_scope", Outcome.FAIL, "x.py out of scope", path="x.py")
    results = (
        GuardResult(
            "manifest-scope",
            (
                Finding("changes_in_scope", Outcome.PASS, "checked"),
                fail,
                Finding("w", Outcome.WARN, "hm", path="a", line=2),
            ),
        ),
        GuardResult("skip-set", applicable=False, note="no tests | here"),
    )
    text = M.summary(report(*results))
    lines = text.splitlines()
    assert lines[0].startswith("## guards ❌ failed: 1 finding(s) fail the gate")
    start = lines.index("### manifest-scope: fail")
    remedy = rule("changes_in_scope")
    assert remedy is not None
    assert lines[start + 2 : start + 7] == [
        "| outcome | rule | where | message | fix | waived by |",
        "|---|---|---|---|---|---|",
        f"| fail | changes\\_in\\_scope | x.py | x.py out of scope | {M.cell(remedy.remediation)} "
        "|  |",
        "| warn | w | a:2 | hm |  |  |",
        "| pass | changes\\_in\\_scope |  | checked |  |  |",
    ]
    assert "### skip-set: not-applicable (no tests \\| here)" in lines


def test_a_waived_finding_names_who_and_why_in_its_own_column() -> None:
    waiver = Waiver("mia", "outage | #123", "review")
    waived = Finding(
        "skip_set_not_grown", Outcome.WAIVED, "t skipped", "t.py", 3, "t.py::t", waiver
    )
    text = M.summary(report(GuardResult("skip-set", (waived,))))
    assert "## guards ✅ passed: 0 finding(s) fail the gate" in text
    assert (
        "| waived | skip\\_set\\_not\\_grown | t.py:3 | t skipped |  "
        "| mia (review): outage \\| \\#123 |" in text
    )


@pytest.mark.parametrize(
    ("raw", "cell"),
    [
        ("a | b", "a \\| b"),
        ("line\nbreak\r\nx\ry", "line break x y"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("[click](https://evil)", "\\[click\\](https://evil)"),
        (
            "**bold** _it_ `code` ~~s~~ ![i] #h",
            "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\!\\[i\\] \\#h",
        ),
        ("back\\slash &amp;", "back\\\\slash &amp;amp;"),
        ("bytes \udcff", "bytes \ufffd"),
    ],
)
def test_cell_escaping(raw: str, cell: str) -> None:
    assert M.cell(raw) == cell


def test_summary_never_exceeds_one_mib_and_keeps_the_worst_rows() -> None:
    long = "m" * 300
    results = (
        GuardResult(
            "manifest-scope", tuple(Finding("p", Outcome.PASS, f"{long} {i}") for i in range(4000))
        ),
        GuardResult(
            "skip-set",
            tuple(Finding("f", Outcome.FAIL, f"{long} {i}", path=f"t/{i}") for i in range(1000)),
        ),
        GuardResult("spec-ref", (Finding("e", Outcome.ERROR, "could not read SPEC.md"),)),
    )
    text = M.summary(report(*results))
    size = len(text.encode())
    assert M.SUMMARY_LIMIT - 2048 < size <= M.SUMMARY_LIMIT
    assert "could not read SPEC.md" in text and "| fail | f | t/999 |" in text
    assert "### manifest-scope: pass" in text and "### spec-ref: error" in text
    shown = text.count("| pass | p |")
    assert 0 < shown < 4000
    assert f"_{4000 - shown} more finding(s) not shown" in text


def test_summary_budget_counts_what_the_step_already_wrote(tmp_path: Path) -> None:
    env = env_files(tmp_path)
    earlier = "x" * (M.SUMMARY_LIMIT - 5000) + "\n"
    Path(env["GITHUB_STEP_SUMMARY"]).write_text(earlier)
    results = (GuardResult("skip-set", many(Outcome.FAIL, 500, "f")),)
    emit(report(*results), env, tmp_path)
    assert Path(env["GITHUB_STEP_SUMMARY"]).stat().st_size <= M.SUMMARY_LIMIT
    added = Path(env["GITHUB_STEP_SUMMARY"]).read_text()[len(earlier) :]
    assert (
        added.startswith("## guards ❌ failed: 500 finding(s)")
        and "more finding(s) not shown" in added
    )


def test_summary_with_no_room_writes_nothing_rather_than_too_much() -> None:
    results = (GuardResult("skip-set", many(Outcome.FAIL, 3, "f")),)
    assert M.summary(report(*results), budget=10) == ""
    top = M.verdict(results, B, H)
    assert M.summary(report(*results), budget=len(top.encode()) + 5) == top


# --- end to end --------------------------------------------------------------------------


def test_cli_in_actions_defaults_to_github_format(tmp_path: Path) -> None:
    repo, b, h = pr_repo(
        tmp_path / "r",
        {"scope/FR-1.yaml": 'allow: ["src/**"]\n', "src/a.py": "A = 1\n"},
        {"src/a.py": "A = 2\n", "notes,with:odd%name.txt": "x\n"},
        branch="FR-1-work",
    )
    env = {"GITHUB_ACTIONS": "true", **env_files(tmp_path)}
    args = ["run", "--repo", str(repo.path), "--base", b, "--head", h, "--only", "manifest-scope"]
    result = guards_cli(*args, env=env)
    assert result.code == 1, result.stderr
    (cmd,) = commands(result.stdout)
    assert cmd.name == "error" and cmd.properties["file"] == "notes,with:odd%name.txt"
    assert cmd.properties["title"] == "manifest-scope: changes_in_scope"
    assert Path(env["GITHUB_OUTPUT"]).read_text() == "ok=false\nfindings=1\n"
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert summary.startswith(
        "## guards ❌ failed: 1 finding(s) fail the gate (manifest-scope: fail;"
    )
    assert "| fail | changes\\_in\\_scope | notes,with:odd%name.txt |" in summary
