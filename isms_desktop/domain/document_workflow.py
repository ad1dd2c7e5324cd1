"""The life of a controlled document (clause 7.5): statuses, transitions, versions, reviews.

A document is drafted (0.1, 0.2, …), submitted for review, approved (which makes it the next
whole version, 1.0, 2.0, …, frozen for good), published, and in the end withdrawn. A document
that is approved or published is never edited in place: a revision starts a new draft
(1.1, 1.2, …) while the approved version stays in the history.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from isms_desktop.domain.errors import BadArgumentsError

DRAFT = "draft"
IN_REVIEW = "in_review"
APPROVED = "approved"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"

STATUSES: tuple[str, ...] = (DRAFT, IN_REVIEW, APPROVED, PUBLISHED, WITHDRAWN)
STATUS_LABELS: dict[str, str] = {
    DRAFT: "Draft",
    IN_REVIEW: "In review",
    APPROVED: "Approved",
    PUBLISHED: "Published",
    WITHDRAWN: "Withdrawn",
}

# What an approved or published version has become once a later version was approved: it is
# kept in the history but no longer applies. Shown for frozen versions only, never stored.
SUPERSEDED = "superseded"
VERSION_STATUS_LABELS: dict[str, str] = {**STATUS_LABELS, SUPERSEDED: "Superseded"}

# What Word and PDF output say, on top, of a document that is not (or no longer) in force.
NOT_IN_FORCE_NOTICES: dict[str, str] = {
    DRAFT: "Draft — not approved. This text is not in force and may still change.",
    IN_REVIEW: "In review — not yet approved. This text is not in force until it is approved.",
    WITHDRAWN: "Withdrawn — no longer in force. Kept for reference only.",
}

# Statuses in which the text itself may be changed.
EDITABLE: frozenset[str] = frozenset({DRAFT})
# Statuses of a document in force (its approved text applies; it is reviewed at intervals).
IN_FORCE: frozenset[str] = frozenset({APPROVED, PUBLISHED})


def title_refusal(status: str) -> str | None:
    """Why a document's title may not be changed in its register now (None: it may).

    The title is printed with the approved text (Word, PDF, the manual): like the text, it
    changes in a draft, so a version in force keeps the title it was approved with."""
    if status in EDITABLE:
        return None
    label = STATUS_LABELS.get(status, status).lower()
    how = STEP_LABELS[Step.RETURN] if status == IN_REVIEW else STEP_LABELS[Step.REVISE]
    return f"is {label}: its title, like its text, changes only in a draft (Open Document… > {how})"


FIRST_VERSION = "0.1"
REVIEW_WINDOW_DAYS = 30


class Step(StrEnum):
    """What a user can do to a document's status."""

    SUBMIT = "submit"  # draft → in review
    RETURN = "return"  # in review → draft (changes requested)
    APPROVE = "approve"  # in review → approved (a new whole version)
    PUBLISH = "publish"  # approved → published
    REVISE = "revise"  # approved / published / withdrawn → draft of the next minor version
    WITHDRAW = "withdraw"  # approved / published → withdrawn


STEP_LABELS: dict[Step, str] = {
    Step.SUBMIT: "Submit for review",
    Step.RETURN: "Return to draft",
    Step.APPROVE: "Approve",
    Step.PUBLISH: "Publish",
    Step.REVISE: "Start a new version",
    Step.WITHDRAW: "Withdraw",
}

TRANSITIONS: dict[Step, tuple[frozenset[str], str]] = {
    Step.SUBMIT: (frozenset({DRAFT}), IN_REVIEW),
    Step.RETURN: (frozenset({IN_REVIEW}), DRAFT),
    Step.APPROVE: (frozenset({IN_REVIEW}), APPROVED),
    Step.PUBLISH: (frozenset({APPROVED}), PUBLISHED),
    Step.REVISE: (IN_FORCE | {WITHDRAWN}, DRAFT),
    Step.WITHDRAW: (IN_FORCE, WITHDRAWN),
}


class WorkflowError(BadArgumentsError):
    """A step that the document's status does not allow; nothing was changed."""


def allowed_steps(status: str) -> list[Step]:
    """The steps a document in ``status`` can take, in workflow order."""
    return [step for step, (sources, _) in TRANSITIONS.items() if status in sources]


def next_status(status: str, step: Step | str) -> str:
    """The status after ``step``; WorkflowError when the step is not allowed now."""
    try:
        step = Step(step)
    except ValueError:
        raise WorkflowError(f"there is no document step {step!r}") from None
    sources, target = TRANSITIONS[step]
    if status not in sources:
        allowed = ", ".join(STEP_LABELS[s].lower() for s in allowed_steps(status)) or "none"
        raise WorkflowError(
            f"a document that is {STATUS_LABELS.get(status, status).lower()} cannot "
            f"'{STEP_LABELS[step].lower()}' (possible now: {allowed})"
        )
    return target


# --- version numbers -----------------------------------------------------------------------

_VERSION = re.compile(r"^\s*(\d+)\.(\d+)\s*$")


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = _VERSION.match(text or "")
        if not match:
            raise BadArgumentsError(f"{text!r} is not a version number such as 0.1 or 1.0")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"

    @property
    def is_release(self) -> bool:
        """A whole version (1.0, 2.0): one that was approved."""
        return self.major > 0 and self.minor == 0

    def next_draft(self) -> Version:
        """The next working draft: 0.1 → 0.2, 1.0 → 1.1."""
        return Version(self.major, self.minor + 1)

    def next_release(self) -> Version:
        """What approval makes of a draft: 0.x → 1.0, 1.x → 2.0."""
        return Version(self.major + 1, 0)


def next_draft_version(current: str) -> str:
    return str(Version.parse(current).next_draft())


def approved_version(current: str) -> str:
    return str(Version.parse(current).next_release())


def version_sort_key(text: str) -> tuple[int, int]:
    try:
        v = Version.parse(text)
    except BadArgumentsError:
        return (-1, -1)
    return (v.major, v.minor)


def version_statuses(versions: list[tuple[str, str]]) -> list[str]:
    """The status to show for each frozen ``(version, status)``, in the order given.

    An approved or published version stays so in the file after a later one is approved;
    shown as such, two versions of a history looked in force at once. Each but the newest
    approved (or published, or withdrawn) version is shown as superseded instead.
    """
    released = [
        version_sort_key(version)
        for version, status in versions
        if status in (APPROVED, PUBLISHED, WITHDRAWN)
    ]
    newest = max(released, default=(-1, -1))
    return [
        SUPERSEDED if status in IN_FORCE and version_sort_key(version) < newest else status
        for version, status in versions
    ]


# --- reviews ---------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review_date(last: dt.date | None, months: int | None) -> dt.date | None:
    """When a document approved or reviewed on ``last`` is due for review again."""
    if last is None or not months:
        return None
    return add_months(last, months)


class ReviewState(StrEnum):
    OVERDUE = "overdue"
    DUE = "due"  # within the review window
    OK = "ok"
    NONE = "none"  # no review date, or a document no longer in force


def review_state(
    status: str,
    next_review: dt.date | None,
    today: dt.date,
    window_days: int = REVIEW_WINDOW_DAYS,
) -> ReviewState:
    """Whether a document's review is overdue or due within ``window_days``."""
    if next_review is None or status == WITHDRAWN:
        return ReviewState.NONE
    if next_review < today:
        return ReviewState.OVERDUE
    if next_review <= today + dt.timedelta(days=window_days):
        return ReviewState.DUE
    return ReviewState.OK


# --- codes -----------------------------------------------------------------------------------

CODE_PREFIXES: dict[str, str] = {
    "policy": "POL-",
    "procedure": "PRO-",
    "record": "REC-",
    "plan": "PLN-",
    "external": "EXT-",
}


def code_prefix(document_type: str) -> str:
    return CODE_PREFIXES.get(document_type, "DOC-")
