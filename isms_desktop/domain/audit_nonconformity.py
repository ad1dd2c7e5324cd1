"""Nonconformity and corrective action (10.2) as a state machine, and the 5-whys helper.

open → cause analysed → action planned → implemented → effectiveness verified → closed.
No step can be skipped; the only way back is from "implemented" to "action planned" when
the verification finds the actions were not effective (new or changed actions are needed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from isms_desktop.domain.errors import BadArgumentsError

NC_FLOW = ("open", "cause_analysed", "action_planned", "implemented", "verified", "closed")
NC_LABELS = {
    "open": "Open",
    "cause_analysed": "Cause analysed",
    "action_planned": "Action planned",
    "implemented": "Implemented",
    "verified": "Effectiveness verified",
    "closed": "Closed",
}
# Action statuses (ACTION_STATUSES of the registers) that count as finished.
FINISHED_ACTIONS = ("done", "cancelled")


class NcTransitionError(BadArgumentsError):
    """A nonconformity status change that the corrective-action workflow refuses."""


@dataclass(frozen=True)
class ActionFacts:
    code: str
    status: str
    owner: str | None
    due_date: dt.date | None


@dataclass(frozen=True)
class NcFacts:
    """What the workflow checks before letting a nonconformity move on."""

    code: str
    status: str
    root_cause: str = ""
    actions: tuple[ActionFacts, ...] = ()
    verified_by: str | None = None
    verified_on: dt.date | None = None
    verification: str = ""
    effective: bool | None = None


def next_status(status: str) -> str | None:
    i = NC_FLOW.index(status)
    return NC_FLOW[i + 1] if i + 1 < len(NC_FLOW) else None


def allowed_targets(facts: NcFacts) -> list[str]:
    """The statuses this nonconformity may move to now (for enabling buttons)."""
    found = []
    for target in NC_FLOW:
        try:
            check_nc_transition(facts, target)
        except NcTransitionError:
            continue
        if target != facts.status:
            found.append(target)
    return found


def check_nc_transition(facts: NcFacts, target: str) -> None:
    """Refuse a move that skips a step or lacks what the step needs; say what is missing."""
    if target not in NC_FLOW:
        raise NcTransitionError(f"{facts.code}: there is no status {target!r}")
    current = facts.status
    if target == current:
        return
    label = NC_LABELS[target].lower()
    if current == "implemented" and target == "action_planned":
        if facts.effective is not False:
            raise NcTransitionError(
                f"{facts.code}: only a verification that found the actions not effective "
                "sends the nonconformity back to action planning"
            )
        return
    if current == "closed":
        raise NcTransitionError(f"{facts.code} is closed; raise a new nonconformity instead")
    if next_status(current) != target:
        raise NcTransitionError(
            f"{facts.code} cannot go from {NC_LABELS[current].lower()} to {label}: "
            f"the next step is {NC_LABELS[next_status(current) or current].lower()}"
        )
    live = [a for a in facts.actions if a.status != "cancelled"]
    match target:
        case "cause_analysed":
            if not facts.root_cause.strip():
                raise NcTransitionError(f"{facts.code}: record the root cause first")
        case "action_planned":
            if not live:
                raise NcTransitionError(f"{facts.code}: plan at least one corrective action")
            vague = [a.code for a in live if not a.owner or a.due_date is None]
            if vague:
                raise NcTransitionError(
                    f"{facts.code}: corrective action(s) {', '.join(vague)} need an owner "
                    "and a due date"
                )
        case "implemented":
            pending = [a.code for a in live if a.status not in FINISHED_ACTIONS]
            if pending or not live:
                raise NcTransitionError(
                    f"{facts.code}: corrective action(s) {', '.join(pending) or '-'} "
                    "are not done yet"
                )
        case "verified":
            missing = [
                name
                for name, value in (
                    ("who verified", facts.verified_by),
                    ("when", facts.verified_on),
                    ("the verification result", facts.verification.strip()),
                )
                if not value
            ]
            if missing:
                raise NcTransitionError(
                    f"{facts.code}: record {', '.join(missing)} of the effectiveness check"
                )
            if facts.effective is not True:
                raise NcTransitionError(
                    f"{facts.code}: the corrective actions were not found effective; "
                    "plan further action instead"
                )
        case "closed":
            pass


def root_cause_from_whys(whys: Sequence[str]) -> str:
    """The 5-whys helper: the last answered "why?" is the root cause candidate."""
    answered = [w.strip() for w in whys if w.strip()]
    return answered[-1] if answered else ""


def clean_whys(whys: Sequence[str], limit: int = 7) -> list[str]:
    answered = [w.strip() for w in whys if w.strip()]
    if len(answered) > limit:
        raise BadArgumentsError(f"at most {limit} whys, not {len(answered)}")
    return answered
