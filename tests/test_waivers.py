"""The pure parts of waivers: the line grammar, target matching, the review judgement, applying
grants to results, and the guards.yaml keys (tables, no git, no HTTP)."""

from __future__ import annotations

import datetime

import pytest

from guards.config import parse_config
from guards.errors import ConfigError
from guards.finding import Finding, GuardResult, Outcome, Status, exit_code
from guards.github.reviews import CommitPeople, Review, _commit
from guards.waivers.apply import apply
from guards.waivers.lines import waiver_lines
from guards.waivers.model import Grant, Rejection
from guards.waivers.policy import exemption_grants, policy_grants
from guards.waivers.review import ReviewFacts, judge
from guards.waivers.targets import matches

GUARDS = ("skip-set", "protected-branch", "manifest-scope", "spec-ref")
HEAD = "a" * 40
SKIP = Finding(
    "skip_set_not_grown", Outcome.FAIL, "t newly skipped", "tests/a.py", 3, "tests/a.py::t"
)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        (
            "guards-waive: skip-set tests/a.py::t -- flaky",
            ("skip-set", ("tests/a.py::t",), "flaky"),
        ),
        ("  guards-waive: spec-ref -- bump only", ("spec-ref", (), "bump only")),
        ("guards-waive: manifest-scope a/** b -- two", ("manifest-scope", ("a/**", "b"), "two")),
        ("guards-waive: skip-set x", ("skip-set", ("x",), "")),
        ("guards-waive: skip-set x --", ("skip-set", ("x",), "")),
        ("guards-waive: skip-set x--y -- r", ("skip-set", ("x--y",), "r")),
    ],
)
def test_line_grammar(text: str, parsed: tuple[str, tuple[str, ...], str]) -> None:
    (line,) = waiver_lines("LGTM\n" + text + "\n")
    assert (line.guard, line.targets, line.reason) == parsed


@pytest.mark.parametrize("text", ["> guards-waive: skip-set -- r", "see `guards-waive: x -- r`"])
def test_quoted_or_inline_lines_grant_nothing(text: str) -> None:
    assert list(waiver_lines(text)) == []


@pytest.mark.parametrize(
    ("targets", "hit"),
    [
        ((), True),
        (("skip_set_not_grown",), True),
        (("tests/a.py::t",), True),
        (("tests/a.py",), True),
        (("tests/**",), True),
        (("*.py",), True),
        (("/a.py",), False),
        (("tests/a.py::tt",), False),
        (("tests/a.py::",), False),
        (("other_rule",), False),
        (("docs/**", "tests/a.py::t"), True),
    ],
)
def test_targets(targets: tuple[str, ...], hit: bool) -> None:
    assert matches(targets, SKIP) is hit


def test_test_id_prefix_stops_at_a_boundary() -> None:
    param = Finding("r", Outcome.FAIL, "m", "tests/a.py", None, "tests/a.py::C::t[1-x]")
    assert matches(("tests/a.py::C",), param) and matches(("tests/a.py::C::t",), param)
    assert not matches(("tests/a.py::C::t[1",), param)


def test_section_targets_match_cited_sections_only() -> None:
    f = Finding("spec_section_exists", Outcome.FAIL, "§4.2 does not exist in SPEC.md")
    assert matches(("§4.2",), f) and matches(("4.2",), f)
    assert not matches(("§4",), f) and not matches(("4.2.1",), f)


def review(login: str = "mia", state: str = "APPROVED", commit: str = HEAD, **kw: object) -> Review:
    body = str(kw.get("body", "guards-waive: skip-set tests/a.py::t -- outage #1"))
    return Review(int(str(kw.get("id", 1))), login, bool(kw.get("bot", False)), state, commit, body)


def facts(
    *reviews: Review, roles: dict[str, str] | None = None, names: tuple[str, ...] = ()
) -> ReviewFacts:
    people = CommitPeople("b" * 40, ("agent",), ("Agent", *names), ("a@x.io",))
    mine = {"mia": "maintain"} if roles is None else roles
    return ReviewFacts(reviews, (people,), mine, "agent", HEAD)


@pytest.mark.parametrize(
    ("the_facts", "problem"),
    [
        (facts(review()), None),
        (facts(review(), roles={"mia": "admin"}), None),
        (facts(review(state="COMMENTED")), "COMMENTED"),
        (facts(review(commit="c" * 40)), "not on the PR's head"),
        (facts(review(bot=True)), "bot"),
        (facts(review(login="Agent"), roles={"agent": "admin"}), "PR's author"),
        (facts(review(), names=("MIA",)), "co-authored"),
        (facts(review(), roles={"mia": "write"}), "role is write"),
        (facts(review(), roles={}), "unknown"),
        (facts(review(), review(id=2, state="CHANGES_REQUESTED", body="no")), "requested changes"),
        (facts(review(body="guards-waive: skip-set t")), "no reason"),
        (facts(review(body="guards-waive: nope t -- r")), "names no guard"),
    ],
)
def test_review_judgement(the_facts: ReviewFacts, problem: str | None) -> None:
    grants, rejections = judge(the_facts, "maintain", GUARDS)
    if problem is None:
        assert [(g.by, g.source, g.reason) for g in grants] == [("mia", "review", "outage #1")]
        assert rejections == []
    else:
        assert grants == [] and problem in rejections[0].message


def test_noreply_co_author_address_names_the_login() -> None:
    item = {
        "sha": HEAD,
        "commit": {"message": "x\n\nCo-authored-by: M <99+mia@users.noreply.github.com>"},
        "author": None,
        "committer": None,
    }
    people = _commit(item, "/p")
    the_facts = ReviewFacts((review(),), (people,), {"mia": "maintain"}, "agent", HEAD)
    assert judge(the_facts, "maintain", GUARDS)[0] == []


def grant(targets: tuple[str, ...] = (), guard: str = "skip-set") -> Grant:
    return Grant(guard, targets, "why", "mia", "review", "review 1 by mia")


def test_apply_waives_failures_lists_unused_and_never_waives_errors() -> None:
    error = Finding("guard_evaluated", Outcome.ERROR, "could not read")
    results = [GuardResult("skip-set", (SKIP,)), GuardResult("spec-ref", (error,))]
    out = apply(results, [grant(("tests/a.py::t",)), grant(guard="spec-ref")], [])
    assert out[0].findings[0].outcome is Outcome.WAIVED and out[0].status is Status.PASS
    assert out[1].findings[0].outcome is Outcome.ERROR
    assert out[1].findings[1].rule == "waiver_used" and "unused" in out[1].findings[1].message
    assert exit_code(out) == 2


def test_apply_reports_rejections_expired_ones_fail() -> None:
    results = [GuardResult("skip-set", ())]
    rejections = [Rejection("skip-set", "expired", "policy_waiver_current", fails=True)]
    (out,) = apply(results, [], [*rejections, Rejection("", "a waiver in the PR title")])
    assert [f.outcome for f in out.findings] == [Outcome.FAIL]  # '' only where a failure is left
    assert out.status is Status.FAIL


def test_policy_waivers_count_through_their_expiry_day() -> None:
    cfg = parse_config(
        {"waivers": [{"guard": "skip-set", "target": ["a", "b"], "reason": "r",
                      "expires": datetime.date(2027, 1, 31), "approved-by": "alice"}]},
        "guards.yaml",
    )  # fmt: skip # -- a packed call reads better here
    on_the_day = policy_grants(cfg.waivers, datetime.date(2027, 1, 31), GUARDS)
    after = policy_grants(cfg.waivers, datetime.date(2027, 2, 1), GUARDS)
    assert [g.targets for g in on_the_day[0]] == [("a", "b")] and on_the_day[1] == []
    assert after[0] == [] and after[1][0].fails and "expired on 2027-01-31" in after[1][0].message


def test_exemptions_apply_to_the_named_author_only() -> None:
    doc = {"exempt": [{"author": "dependabot[bot]", "guards": ["manifest-scope", "spec-ref"]}]}
    settings = parse_config(doc, "guards.yaml").waivers
    assert {g.guard for g in exemption_grants(settings, "Dependabot[bot]", GUARDS)} == {
        "manifest-scope",
        "spec-ref",
    }
    assert exemption_grants(settings, "agent", GUARDS) == []
    assert exemption_grants(settings, None, GUARDS) == []


@pytest.mark.parametrize(
    ("doc", "error"),
    [
        ({"exempt": [{"author": "x", "guards": ["skip-set"]}]}, "cannot be exempted"),
        ({"exempt": [{"author": "x", "guards": ["protected-branch"]}]}, "cannot be exempted"),
        ({"waive-role": "owner"}, "waive-role"),
        (
            {
                "waivers": [
                    {"guard": "skip-set", "reason": "r", "expires": "soon", "approved-by": "a"}
                ]
            },
            "not a date",
        ),
        (
            {"waivers": [{"guard": "skip-set", "reason": "r", "expires": "2027-01-01"}]},
            "approved-by",
        ),
        (
            {
                "waivers": [
                    {
                        "guard": "skip-set",
                        "reason": " ",
                        "expires": "2027-01-01",
                        "approved-by": "a",
                    }
                ]
            },
            "reason",
        ),
    ],
)
def test_bad_waiver_config_is_a_config_error(doc: dict[str, object], error: str) -> None:
    with pytest.raises(ConfigError, match=error):
        parse_config(doc, "guards.yaml")


def test_unknown_guard_in_a_policy_waiver_is_a_config_error() -> None:
    cfg = parse_config(
        {"waivers": [{"guard": "skipset", "reason": "r", "expires": "2099-01-01",
                      "approved-by": "a"}]},
        "guards.yaml",
    )  # fmt: skip # -- a packed call reads better here
    with pytest.raises(ConfigError, match="unknown guard 'skipset'"):
        policy_grants(cfg.waivers, datetime.date(2026, 1, 1), GUARDS)
