"""The I/O behind waivers: the PR's author and texts from the context, reviews from the API.

Review waivers are read only for a pull request (a number in the event), with a token; without
either there are none (a local run, a push), which can only leave the gate closed. Once the
API is asked, every failure is exit 2 (guards/github/reviews.py). The PR's author comes from the
event (``pull_request.user.login``): a PR whose reviews hold waiver lines but whose event names
no author cannot be judged, and is exit 2.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from guards.context import Context
from guards.errors import GuardsError
from guards.waivers.lines import waiver_lines
from guards.waivers.model import Grant, Rejection
from guards.waivers.review import ReviewFacts, candidates, judge

if TYPE_CHECKING:
    from guards.github.reviews import PullApi, Review


def pr_author(ctx: Context) -> str | None:
    user = ctx.event.pull_request.get("user")
    login = user.get("login") if isinstance(user, dict) else None
    return login if isinstance(login, str) and login else None


def pr_texts(ctx: Context) -> list[tuple[str, str]]:
    """The texts the PR's author writes: title, description, commit messages."""
    texts = [("the PR title", ctx.pr.title), ("the PR description", ctx.pr.body)]
    for sha, body in ctx.git.messages(ctx.merge_base, ctx.head):
        texts.append((f"the message of commit {sha[:12]}", body))
    return texts


def review_waivers(
    ctx: Context, waive_role: str, guards: Collection[str]
) -> tuple[list[Grant], list[Rejection]]:
    """Grants and rejections from the PR's reviews (none without a PR number or a token)."""
    if not ctx.pr.number:
        return [], []
    from guards.github.reviews import pull_api  # the API client loads only for a PR

    api = pull_api(ctx.github, ctx.env, ctx.event.payload, ctx.pr.number)
    if api is None:
        return [], []
    reviews = tuple(api.reviews())
    if not any(next(waiver_lines(r.body), None) for r in reviews):
        return [], []
    return judge(facts(api, reviews, ctx), waive_role, guards)


def facts(api: PullApi, reviews: tuple[Review, ...], ctx: Context) -> ReviewFacts:
    author = pr_author(ctx)
    if author is None:
        raise GuardsError(
            "the event payload names no PR author (pull_request.user.login): review waivers "
            "cannot be judged; run on a pull_request or pull_request_review event"
        )
    draft = ReviewFacts(reviews, (), {}, author, ctx.head)
    asked = candidates(reviews, draft)
    if not asked:
        return draft
    commits = tuple(api.commits())
    roles = {login: api.role(login) for login in asked}
    return ReviewFacts(reviews, commits, roles, author, ctx.head)
