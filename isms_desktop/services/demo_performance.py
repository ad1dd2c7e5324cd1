"""Demo records of performance: objectives, competence, metrics and a management review.

Brightwave Analytics Ltd (see services/demo.py) measures seven things, a year of them; its
objectives link to those metrics; required trainings per role with records that show one
gap and one expired refresher; and one management review held about ten weeks ago, with
its inputs compiled three days before the meeting from the demo's records as they stood
then (see demo_audits.fill), decisions and actions.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import select

from isms_desktop.domain.metrics_rules import add_months
from isms_desktop.services import metrics as metrics_service
from isms_desktop.services import registers, reviews, training
from isms_desktop.storage.models import Measurement, Metric, Role
from isms_desktop.storage.project_file import Project

# (name, description, method, frequency, measured by, analysed by, unit, direction,
#  target, threshold, first value, last value, wobble)
DEMO_METRICS = (
    (
        "Phishing simulation click rate",
        "Share of staff who clicked the link in the monthly simulated phishing e-mail",
        "Phishing simulation platform report; clicks ÷ recipients",
        "monthly",
        "P-002",
        "P-002",
        "%",
        "lower",
        5.0,
        10.0,
        14.0,
        4.2,
        1.2,
    ),
    (
        "Staff with current security awareness training",
        "Share of active staff whose annual awareness training is not older than 12 months",
        "HR training records against the staff list on the last working day of the month",
        "monthly",
        "P-005",
        "P-002",
        "%",
        "higher",
        95.0,
        85.0,
        71.0,
        89.0,
        2.0,
    ),
    (
        "Critical patches applied within 14 days",
        "Share of critical security updates installed on servers and laptops within 14 days",
        "Patch management console export; patched in time ÷ released",
        "monthly",
        "P-003",
        "P-002",
        "%",
        "higher",
        95.0,
        85.0,
        82.0,
        96.0,
        2.5,
    ),
    (
        "Platform availability",
        "Availability of the customer analytics platform during the month",
        "Uptime monitoring, excluding announced maintenance windows",
        "monthly",
        "P-003",
        "P-004",
        "%",
        "higher",
        99.9,
        99.5,
        99.82,
        99.95,
        0.06,
    ),
    (
        "Mean time to resolve security incidents",
        "Average time from detection to resolution of security incidents closed in the month",
        "Incident register: resolution time of incidents closed in the month",
        "monthly",
        "P-003",
        "P-002",
        "hours",
        "lower",
        48.0,
        72.0,
        70.0,
        40.0,
        9.0,
    ),
    (
        "Successful backup restore tests",
        "Share of the quarterly restore tests of production backups that succeeded",
        "Restore test log; successful ÷ attempted",
        "quarterly",
        "P-003",
        "P-002",
        "%",
        "higher",
        100.0,
        90.0,
        88.0,
        100.0,
        0.0,
    ),
    (
        "User access reviews completed on time",
        "Share of the quarterly access reviews of key systems completed by their due date",
        "Access review tracker",
        "quarterly",
        "P-002",
        "P-001",
        "%",
        "higher",
        100.0,
        80.0,
        60.0,
        100.0,
        0.0,
    ),
)

# Metrics whose latest measurement is missing (so they show as due, with an action).
_LATE = {"Mean time to resolve security incidents": 2}

# (objective, measure, target, owner, resources, months to due date, evaluation, status,
#  progress, metric names)
DEMO_OBJECTIVES = (
    (
        "Achieve ISO/IEC 27001:2022 certification of the ISMS",
        "Stage 2 audit passed and certificate issued",
        "Certificate issued",
        "P-002",
        "GBP 60,000 budget; 0.5 FTE ISMS role; external certification body",
        7,
        "Monthly progress report to the CEO; readiness percentage of the ISMS file",
        "on_track",
        70,
        (),
    ),
    (
        "Reduce the risk of successful phishing",
        "Click rate in the monthly phishing simulation",
        "≤ 5 % click rate",
        "P-002",
        "Phishing simulation licence; 30 minutes of e-learning per person and year",
        5,
        "Monthly simulation results reviewed by the ISO; trend reported at management review",
        "on_track",
        80,
        ("Phishing simulation click rate",),
    ),
    (
        "Every member of staff completes security awareness training each year",
        "Share of staff with current awareness training",
        "≥ 95 %",
        "P-005",
        "E-learning platform; awareness session in each onboarding",
        3,
        "HR checks the training matrix monthly; gaps are chased by line managers",
        "at_risk",
        60,
        ("Staff with current security awareness training",),
    ),
    (
        "Keep the customer platform available",
        "Monthly availability of the analytics platform",
        "≥ 99.9 % every month",
        "P-003",
        "Multi-zone hosting; on-call rota of the IT operations team",
        12,
        "Uptime monitoring report reviewed monthly by the Head of IT Operations",
        "achieved",
        100,
        ("Platform availability", "Successful backup restore tests"),
    ),
    (
        "Close critical vulnerabilities quickly",
        "Critical patches applied within 14 days",
        "≥ 95 %",
        "P-003",
        "Patch management tooling; monthly maintenance window",
        6,
        "Patch compliance report reviewed monthly",
        "on_track",
        85,
        ("Critical patches applied within 14 days", "User access reviews completed on time"),
    ),
)

# (course, role name or "" for everyone, refresh months, description)
DEMO_REQUIRED = (
    (
        "Security awareness (annual)",
        "",
        12,
        "E-learning on phishing, passwords, clear desk, reporting incidents and remote working",
    ),
    (
        "Data protection essentials (UK GDPR)",
        "",
        24,
        "Handling personal data of clients and colleagues; what a breach is and how to report it",
    ),
    (
        "Leadership briefing on information security",
        "Top management",
        12,
        "Risk appetite, the ISMS's results and management's duties under clause 5",
    ),
    (
        "ISO/IEC 27001 Lead Implementer",
        "Information Security Officer",
        None,
        "Certified course for the person running the ISMS",
    ),
    (
        "Incident response tabletop exercise",
        "IT operations lead",
        12,
        "Yearly exercise of the incident procedure with a realistic scenario",
    ),
    (
        "ISO/IEC 27001 Internal Auditor",
        "Internal auditor",
        36,
        "Certified course on auditing an ISMS (ISO 19011)",
    ),
    (
        "Data protection practitioner certificate",
        "Data Protection Officer",
        36,
        "Recognised DPO qualification",
    ),
)

ALL_PEOPLE = tuple(f"P-{n:03d}" for n in range(1, 10))


def _month_ends(today: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the ``months`` months before the current one, oldest first."""
    first_of_month = today.replace(day=1)
    ends = []
    for back in range(months, 0, -1):
        start = add_months(first_of_month, -back)
        ends.append(add_months(start, 1) - dt.timedelta(days=1))
    return ends


def _value(first: float, last: float, wobble: float, step: int, steps: int) -> float:
    share = step / max(steps - 1, 1)
    base = first + (last - first) * share
    return base + wobble * math.sin(step * 2.1)


def _fill_metrics(project: Project, today: dt.date) -> dict[str, str]:
    codes: dict[str, str] = {}
    for (
        name,
        description,
        method,
        frequency,
        measured_by,
        analysed_by,
        unit,
        direction,
        target,
        threshold,
        *_,
    ) in DEMO_METRICS:
        change = registers.create(
            project,
            "metrics",
            {
                "name": name,
                "description": description,
                "method": method,
                "frequency": frequency,
                "measured_by": measured_by,
                "analysed_by": analysed_by,
                "unit": unit,
                "direction": direction,
                "target": target,
                "threshold": threshold,
            },
        )
        codes[name] = change.code
    month_ends = _month_ends(today, 12)
    with project.transaction() as session:
        ids = {m.name: m.id for m in session.scalars(select(Metric))}
        for row in DEMO_METRICS:
            name, frequency, unit = row[0], row[3], row[6]
            first, last, wobble = row[10], row[11], row[12]
            days = month_ends[: len(month_ends) - _LATE.get(name, 0)]
            if frequency == "quarterly":
                days = [d for d in days if d.month in (3, 6, 9, 12)]
            for step, day in enumerate(days):
                value = _value(first, last, wobble, step, len(days))
                if unit == "%":
                    value = min(value, 100.0)
                places = 2 if abs(value) >= 99 and unit == "%" else 1
                session.add(
                    Measurement(
                        metric_id=ids[name],
                        date=day,
                        value=round(value, places),
                        note="" if step else "Baseline",
                    )
                )
    return codes


def _fill_objectives(project: Project, today: dt.date, metric_codes: dict[str, str]) -> None:
    for (
        objective,
        measure,
        target,
        owner,
        resources,
        months,
        evaluation,
        status,
        progress,
        metric_names,
    ) in DEMO_OBJECTIVES:
        registers.create(
            project,
            "objectives",
            {
                "objective": objective,
                "measure": measure,
                "target": target,
                "owner": owner,
                "resources": resources,
                "due_date": add_months(today, months),
                "evaluation": evaluation,
                "status": status,
                "progress": progress,
                "metrics": [metric_codes[n] for n in metric_names],
            },
        )


def _fill_training(project: Project, today: dt.date) -> None:
    with project.reading() as session:
        roles = {r.name: r.code for r in session.scalars(select(Role))}
    for course, role, refresh, description in DEMO_REQUIRED:
        registers.create(
            project,
            "competences",
            {
                "course": course,
                "role": roles.get(role) if role else None,
                "refresh_months": refresh,
                "description": description,
            },
        )

    def days_ago(n: int) -> dt.date:
        return today - dt.timedelta(days=n)

    # The annual awareness campaign; Oliver Brandt (P-008) was on leave: a gap.
    training.record_campaign(
        project,
        training.Campaign(
            "Security awareness (annual)",
            days_ago(230),
            tuple(p for p in ALL_PEOPLE if p not in ("P-008", "P-009")),
            kind="awareness",
            result="passed (quiz ≥ 80 %)",
            evidence="E-learning completion report",
        ),
    )
    # Aisha Rahman (P-009) last took it more than a year ago: expired.
    training.record_campaign(
        project,
        training.Campaign(
            "Security awareness (annual)",
            days_ago(400),
            ("P-009",),
            kind="awareness",
            result="passed",
            evidence="E-learning completion report",
        ),
    )
    training.record_campaign(
        project,
        training.Campaign(
            "Data protection essentials (UK GDPR)",
            days_ago(300),
            ALL_PEOPLE,
            kind="awareness",
            result="attended",
            evidence="Attendance list, all-hands session",
        ),
    )
    singles = (
        ("Leadership briefing on information security", 120, ("P-001", "P-007"), "training"),
        ("ISO/IEC 27001 Lead Implementer", 600, ("P-002",), "qualification"),
        ("Incident response tabletop exercise", 395, ("P-003",), "training"),
        ("Incident response tabletop exercise", 60, ("P-004",), "training"),
        ("ISO/IEC 27001 Internal Auditor", 180, ("P-007",), "qualification"),
        ("Data protection practitioner certificate", 700, ("P-006",), "qualification"),
    )
    for course, ago, people, kind in singles:
        training.record_campaign(
            project,
            training.Campaign(
                course,
                days_ago(ago),
                people,
                kind=kind,
                result="certified" if kind == "qualification" else "completed",
                evidence="Certificate on file (HR)" if kind == "qualification" else "Sign-in sheet",
            ),
        )


DEMO_DECISIONS = (
    (
        "Run a catch-up awareness session for staff who missed the annual training",
        "P-005",
        30,
        "done",
    ),
    (
        "Replace the legacy reporting server before the certification audit",
        "P-003",
        120,
        "in_progress",
    ),
    (
        "Add a restore test of the analytics database to the quarterly backup tests",
        "P-003",
        60,
        "open",
    ),
    (
        "Schedule the stage 1 certification audit with the certification body",
        "P-002",
        150,
        "open",
    ),
)

_ASSESSMENTS = {
    "d2": " Phishing and patching have improved steadily; awareness coverage is still below "
    "its target of 95 %.",
    "d4": " The awareness objective is at risk; HR to run catch-up sessions.",
    "e": " Two enterprise clients returned their annual security questionnaires without "
    "findings; the cyber insurer renewed the policy.",
    "f": " The legacy reporting server remains the highest residual risk.",
    "g": " Management chose to pursue automated access reviews and restore tests of the "
    "analytics database.",
}


MEETING_DAYS_AGO = 75
COMPILED_DAYS_BEFORE = 3  # the ISO sends the inputs to the attendees before the meeting


def _fill_review(project: Project, today: dt.date) -> None:
    meeting = today - dt.timedelta(days=MEETING_DAYS_AGO)
    review = reviews.create_review(
        project,
        f"Management review {meeting.year}",
        meeting,
        chair="P-001",
        attendees="Helen Marsh (CEO, chair); Daniel Okafor (ISO); Priya Nair (IT Operations); "
        "Sarah Whitfield (HR); Grace Adeyemi (Finance)",
        compiled_on=meeting - dt.timedelta(days=COMPILED_DAYS_BEFORE),
    )
    for key, entry in review.inputs.get("sections", {}).items():
        reviews.set_input(project, review.code, key, entry["text"] + _ASSESSMENTS.get(key, ""))
    for title, owner, days, status in DEMO_DECISIONS:
        code = reviews.add_action(
            project,
            review.code,
            title,
            owner=owner,
            due_date=meeting + dt.timedelta(days=days),
            description=f"Decided at the management review of {meeting.isoformat()}.",
        )
        if status != "open":
            registers.update(project, "actions", code, "status", status)
        if status == "done":
            registers.update(project, "actions", code, "progress", 100)
            registers.update(
                project, "actions", code, "completed_on", meeting + dt.timedelta(days=25)
            )
    registers.update(
        project,
        "reviews",
        review.code,
        "minutes",
        "The ISO presented the inputs compiled from the ISMS records. Management discussed "
        "the awareness gap, the legacy reporting server and the readiness for certification. "
        "The ISMS is considered suitable, adequate and effective, subject to the actions below.",
    )
    registers.update(
        project,
        "reviews",
        review.code,
        "decisions",
        "1. Continue with certification; stage 1 audit to be booked this quarter.\n"
        "2. No change to the scope or the risk acceptance criteria.\n"
        "3. Additional budget of GBP 8,000 approved to replace the legacy reporting server.\n"
        "4. Awareness catch-up sessions and restore tests of the analytics database (see "
        "actions).",
    )
    reviews.close(project, review.code)


def fill(project: Project) -> None:
    """Add objectives, competence records, metrics and a management review to the demo."""
    today = dt.date.today()
    metric_codes = _fill_metrics(project, today)
    _fill_objectives(project, today, metric_codes)
    _fill_training(project, today)
    _fill_review(project, today)
    metrics_service.sync_due_actions(project, today)
