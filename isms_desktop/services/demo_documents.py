"""Demo documents: the policies, procedures, plans, records and external documents of
Brightwave Analytics Ltd, at the states a real ISMS has them (see services/demo.py).

The information security policy is in its second approved version (with its history), most
topic-specific policies are published, one waits for publication, one is in review, two are
drafts; two reviews fall due within the month or are overdue, so the action list has work.
"""

from __future__ import annotations

import datetime as dt

from isms_desktop.domain import document_workflow as wf
from isms_desktop.services import documents
from isms_desktop.storage.project_file import Project

CEO = "P-001"
ISO = "P-002"
IT = "P-003"
ENG = "P-004"
HR = "P-005"
FIN = "P-007"

# (template, owner, final state, days since approval) in code order POL-001, POL-002, …
_POLICIES: tuple[tuple[str, str, str, int], ...] = (
    ("POL-ISP", ISO, wf.PUBLISHED, 75),
    ("POL-ACC", IT, wf.PUBLISHED, 200),
    ("POL-AUP", HR, wf.PUBLISHED, 345),  # review due within 30 days
    ("POL-BKP", IT, wf.PUBLISHED, 390),  # review overdue
    ("POL-SUP", FIN, wf.PUBLISHED, 150),
    ("POL-INC", IT, wf.PUBLISHED, 120),
    ("POL-REM", HR, wf.APPROVED, 6),
    ("POL-DEV", ENG, wf.IN_REVIEW, 0),
    ("POL-CRY", ENG, wf.DRAFT, 0),
    ("POL-LOG", IT, wf.DRAFT, 0),
)

_ISP_V1_NOTE = "First issue, approved by the board with the ISMS scope"
_ISP_V2_NOTE = (
    "Annual review: climate-related risks in continuity planning and the certification "
    "objective added"
)

_INCIDENT_PROCEDURE = """# Incident Response Procedure

## 1. Purpose

This procedure describes the steps Brightwave Analytics Ltd takes from the first report of an
information security event until the incident is closed and its lessons are learned. It puts
the Incident Management Policy into practice.

## 2. Steps

1. **Report** — anyone who notices a possible incident reports it at once to the service desk
   (security@brightwave.example or extension 555).
2. **Assess** — the on-call engineer records the event in the incident register within
   30 minutes and decides whether it is an incident, using the severity table below.
3. **Contain** — isolate affected laptops or accounts, block malicious addresses, preserve logs
   and evidence before anything is wiped.
4. **Notify** — for personal data breaches the Data Protection Officer decides within 24 hours
   whether the ICO and the clients concerned must be told (72-hour limit).
5. **Recover** — restore systems from clean backups and confirm with the service owner that
   normal operation has resumed.
6. **Learn** — hold a blameless review within 10 working days; actions go to the action list.

## 3. Severity

| Severity | Example | Response time |
|---|---|---|
| Critical | Ransomware on servers, client data leaked | Immediately, 24/7 |
| High | Compromised user account, lost unencrypted laptop | Within 1 hour |
| Medium | Phishing e-mail clicked, malware blocked on one laptop | Same working day |
| Low | Suspicious e-mail reported, policy breach without impact | Within 2 working days |

## 4. Records

The incident register, the evidence collected and the review notes are kept for three years.
"""

_BACKUP_PROCEDURE = """# Backup and Restore Procedure

## 1. Purpose

How the IT operations team runs, checks and tests the backups required by the Backup Policy.

## 2. Daily checks

- Check the backup dashboard every working morning; every job of the night must be green.
- A failed job is re-run the same day and, if it fails again, raised as an incident.
- Snapshots of the production databases are copied to the second EU region.

## 3. Restore tests

1. Each quarter, restore one production database into the isolated test account.
2. Compare record counts and checksums with production at the snapshot time.
3. Record duration, result and any problem in the restore test log (REC-003).
4. Once a year, restore a complete client environment and time it against the 8-hour target.

## 4. Retention

| Backup | Kept for | Where |
|---|---|---|
| Database snapshots | 35 days | Second cloud region |
| Weekly full backup | 13 weeks | Immutable object storage |
| Monthly archive | 12 months | Offline archive account |
"""

_JML_PROCEDURE = """# Joiners, Movers and Leavers Procedure

## 1. Purpose

Makes sure people get the access they need on their first day, keep only what their current
role needs, and lose all access when they leave.

## 2. Joiners

1. HR raises a joiner ticket at least five working days before the start date, with the
   role template.
2. IT creates the accounts from the role template; extra access needs the data owner's
   approval in the ticket.
3. The new starter signs the Acceptable Use Policy and completes security induction in
   week one.

## 3. Movers

- The line manager lists the access the new role needs; access of the old role is removed
  within five working days of the move.

## 4. Leavers

1. HR informs IT of the leaving date as soon as it is known.
2. Accounts are disabled **at the end of the last working day**; devices and badges are
   collected and recorded.
3. Shared secrets the leaver knew are changed within two working days.
"""

_CHANGE_PROCEDURE = """# Change Management Procedure

## 1. Purpose

Changes to the production platform are planned, tested, approved and reversible.

## 2. Standard changes

Pre-approved, low-risk changes (for example scaling a cluster) follow their runbook and are
logged automatically by the deployment pipeline.

## 3. Normal changes

1. Describe the change, its risk and the rollback plan in the change ticket.
2. A second engineer reviews the code or configuration (*four-eyes principle*).
3. The change advisory meeting on Tuesday approves changes rated medium or high.
4. Deploy in the agreed window; verify monitoring for 30 minutes afterwards.

## 4. Emergency changes

May be made by the on-call engineer to restore service; they are reviewed at the next change
advisory meeting.
"""

_CONTINUITY_PLAN = """# Business Continuity Plan

## 1. Objectives

| Service | Recovery time objective | Recovery point objective |
|---|---|---|
| Analytics platform | 8 hours | 1 hour |
| Client support | 1 working day | Not applicable |
| Internal e-mail and chat | 1 working day | 24 hours |

## 2. Scenarios covered

- Loss of the Leeds office (fire, flooding, no access): all staff work remotely.
- Loss of one cloud zone: the platform fails over to the second zone automatically.
- Loss of the cloud region: restore into the second EU region from replicated backups.
- Ransomware: isolate, rebuild from infrastructure code and restore clean backups.

## 3. Crisis team

The CEO leads the crisis team with the Information Security Officer, the Head of IT
Operations and the Customer Support Lead. The team meets on the crisis bridge within one
hour of an invocation.

## 4. Testing

The plan is exercised once a year; the last tabletop exercise covered a ransomware attack.
"""

# (title, type, owner, approver, state, days since approval, controls, clauses, location, body)
_OTHERS: tuple[
    tuple[str, str, str, str, str, int, tuple[str, ...], tuple[str, ...], str, str], ...
] = (
    (
        "Incident Response Procedure",
        "procedure",
        IT,
        ISO,
        wf.PUBLISHED,
        110,
        ("5.24", "5.25", "5.26", "5.27", "5.28", "6.8"),
        (),
        "ISMS library › Procedures",
        _INCIDENT_PROCEDURE,
    ),
    (
        "Backup and Restore Procedure",
        "procedure",
        IT,
        ISO,
        wf.PUBLISHED,
        180,
        ("8.13",),
        (),
        "ISMS library › Procedures",
        _BACKUP_PROCEDURE,
    ),
    (
        "Joiners, Movers and Leavers Procedure",
        "procedure",
        HR,
        ISO,
        wf.PUBLISHED,
        240,
        ("5.18", "6.1", "6.2", "6.5", "8.2"),
        (),
        "ISMS library › Procedures",
        _JML_PROCEDURE,
    ),
    (
        "Change Management Procedure",
        "procedure",
        IT,
        ISO,
        wf.IN_REVIEW,
        0,
        ("8.32",),
        (),
        "ISMS library › Procedures",
        _CHANGE_PROCEDURE,
    ),
    (
        "Business Continuity Plan",
        "plan",
        ISO,
        CEO,
        wf.PUBLISHED,
        160,
        ("5.29", "5.30"),
        (),
        "ISMS library › Plans; printed copy in the crisis box",
        _CONTINUITY_PLAN,
    ),
    (
        "Risk assessment and treatment report",
        "record",
        ISO,
        CEO,
        wf.APPROVED,
        70,
        (),
        ("6.1.2", "8.2", "6.1.3", "8.3"),
        "isms-desktop project file, risk register and treatment plan",
        "Results of the annual information security risk assessment and the risk treatment "
        "plan, as accepted by the risk owners.\n",
    ),
    (
        "Training and awareness attendance records",
        "record",
        HR,
        ISO,  # not approved by its own owner: an auditor asks who checked it
        wf.APPROVED,
        30,
        ("6.3",),
        ("7.2", "7.3"),
        "HR system › Learning records",
        "Who attended induction and annual security awareness training, with dates and "
        "quiz results.\n",
    ),
    (
        "Restore test log",
        "record",
        IT,
        ISO,
        wf.APPROVED,
        45,
        ("8.13",),
        (),
        "IT operations wiki › Backups › Restore tests",
        "One entry per quarterly restore test: date, system, duration, result, issues.\n",
    ),
    (
        "ISO/IEC 27001:2022 Information security management systems — Requirements",
        "external",
        ISO,
        CEO,
        wf.PUBLISHED,
        400,
        (),
        ("4.1", "7.5.3"),
        "Licensed copy in the ISMS library (incl. Amendment 1:2024)",
        "The standard the ISMS is built to; licensed for internal use.\n",
    ),
    (
        "Cloud provider SOC 2 Type II report",
        "external",
        FIN,
        ISO,
        wf.PUBLISHED,
        90,
        ("5.19", "5.22", "5.23"),
        (),
        "Supplier folder › Cloud hosting provider › Assurance",
        "The hosting provider's independent assurance report, reviewed each year under the "
        "supplier security policy.\n",
    ),
)


def _isp_revision(body: str) -> str:
    """The second version of the policy: what an annual review would change."""
    extra = (
        "- Climate-related risks such as flooding and heat waves are considered in business "
        "continuity planning and in the choice of hosting regions.\n"
    )
    marker = "- Staff receive security awareness training"
    if marker in body:
        body = body.replace(marker, extra + marker, 1)
    return body.replace(
        "## 5. Guiding principles",
        "Achieving and keeping ISO/IEC 27001 certification is one of our objectives for "
        "this year.\n\n## 5. Guiding principles",
        1,
    )


def _approve_and_publish(
    project: Project,
    code: str,
    approver: str,
    state: str,
    approved_on: dt.date,
    note: str,
) -> None:
    if state == wf.DRAFT:
        return
    documents.step(project, code, wf.Step.SUBMIT)
    if state == wf.IN_REVIEW:
        return
    documents.step(
        project, code, wf.Step.APPROVE, approver=approver, on=approved_on, change_note=note
    )
    if state in (wf.PUBLISHED, wf.WITHDRAWN):
        documents.step(project, code, wf.Step.PUBLISH)


def _fill_policies(project: Project, today: dt.date) -> None:
    for template, owner, state, days in _POLICIES:
        answers = documents.template_answers(project, template)
        code = documents.create_from_template(project, template, answers, owner=owner)
        approved_on = today - dt.timedelta(days=days)
        if template == "POL-ISP":
            # First issue 1.0 with the scope, then the annual review made 2.0.
            first = approved_on - dt.timedelta(days=225)
            documents.save_version(
                project, code, "First draft for the board", on=first - dt.timedelta(days=21)
            )
            _approve_and_publish(
                project,
                code,
                CEO,
                wf.PUBLISHED,
                approved_on - dt.timedelta(days=225),
                _ISP_V1_NOTE,
            )
            documents.step(project, code, wf.Step.REVISE)
            detail = documents.get_document(project, code)
            documents.save_draft(project, code, _isp_revision(detail.body))
            _approve_and_publish(project, code, CEO, state, approved_on, _ISP_V2_NOTE)
            continue
        if state == wf.DRAFT and template == "POL-CRY":
            documents.save_version(
                project,
                code,
                "Template answers reviewed with engineering",
                on=today - dt.timedelta(days=12),
            )
        _approve_and_publish(project, code, CEO, state, approved_on, "First issue")


def _fill_others(project: Project, today: dt.date) -> None:
    for title, kind, owner, approver, state, days, controls, clauses, location, body in _OTHERS:
        code = documents.create_document(
            project,
            title,
            type=kind,
            body=body,
            owner=owner,
            classification="public" if kind == "external" else "internal",
            review_months=12,
            clauses=clauses,
            controls=controls,
            location=location,
        )
        _approve_and_publish(
            project, code, approver, state, today - dt.timedelta(days=days), "First issue"
        )


def fill(project: Project) -> None:
    """Add this area's believable records to the demo project."""
    today = dt.date.today()
    _fill_policies(project, today)
    _fill_others(project, today)
