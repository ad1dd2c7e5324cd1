"""Demo records for internal audit and improvement (see services/demo.py).

Brightwave Analytics runs a three-year audit programme; the first internal audit (risk
management, competence, documents, access control and backup) is completed, its checklist
worked through, with findings of every kind. Nonconformities stand in every state of the
corrective-action workflow, and the incident log holds five incidents with lessons learned.

The management review (demo_performance) is held about ten weeks ago and compiles its inputs
from the records as they stood then: ``fill`` adds what had happened by then and returns the
steps that came later (actions completed, effectiveness verified, a nonconformity closed),
which the demo takes after the review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from isms_desktop.services import audits, incidents, nonconformities
from isms_desktop.storage.models import Asset
from isms_desktop.storage.project_file import Project

AUDITOR = "P-007"  # Grace Adeyemi, Finance Director, trained internal auditor
INDEPENDENCE = (
    "Grace Adeyemi (Finance Director) has no responsibility for the areas audited; "
    "ISO 19011 internal auditor course completed. She reports the results to the CEO."
)
EXTERNAL = "Kestrel Assurance Ltd (J. Hart, external lead auditor)"
EXTERNAL_INDEPENDENCE = (
    "Supplier management and finance are owned by the internal auditor's own department, "
    "so this audit is led by an external auditor with no other role at Brightwave."
)
CRITERIA = (
    "ISO/IEC 27001:2022 incl. Amd 1:2024; the Brightwave information security policy and "
    "topic-specific policies; the Statement of Applicability; client contracts"
)

# (code, title, days from today, days long, clauses, controls, sites, lead, others, note)
PROGRAMME: tuple[tuple[Any, ...], ...] = (
    (
        "AU-001",
        "Risk management, competence, documented information, access and backup",
        -95,
        2,
        ("6.1.2", "6.1.3", "7.2", "7.3", "7.5", "8.1"),
        ("5.15", "5.16", "5.17", "5.18", "8.2", "8.5", "8.13"),
        "Leeds head office; remote interviews with Manchester",
        AUDITOR,
        "",
        INDEPENDENCE,
    ),
    (
        "AU-002",
        "Suppliers, cloud services and incident management",
        30,
        2,
        ("4.4", "8.1"),
        ("5.19", "5.20", "5.21", "5.22", "5.23", "5.24", "5.25", "5.26", "5.27", "5.28", "8.8"),
        "Leeds head office; cloud provider portal",
        None,
        EXTERNAL,
        EXTERNAL_INDEPENDENCE,
    ),
    (
        "AU-003",
        "Context, leadership, objectives, audit and management review",
        200,
        2,
        ("4.1", "4.2", "4.3", "5", "6.2", "9", "10"),
        ("5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "5.8", "5.9", "5.10", "5.11"),
        "Leeds head office",
        None,
        EXTERNAL,
        "Clause 9.2 and the audit programme are audited by an external auditor, since the "
        "internal auditor cannot audit her own work.",
    ),
    (
        "AU-004",
        "People and physical controls",
        400,
        2,
        ("7.1", "7.4"),
        ("6", "7"),
        "Leeds head office; Manchester support office",
        AUDITOR,
        "",
        INDEPENDENCE,
    ),
    (
        "AU-005",
        "Technological controls and secure development",
        560,
        3,
        ("8.1",),
        ("8",),
        "Leeds head office; cloud environment",
        AUDITOR,
        "Tom Lindqvist observes as auditor in training (not for 8.25–8.31)",
        INDEPENDENCE,
    ),
    (
        "AU-006",
        "Whole-system audit before recertification",
        900,
        4,
        ("4", "5", "6", "7", "9", "10"),
        ("5.12", "5.13", "5.14", "5.15", "5.16", "5.17", "5.18", "8.13", "8.16"),
        "All sites",
        AUDITOR,
        EXTERNAL,
        INDEPENDENCE,
    ),
)

# Evidence seen and people interviewed, by the requirement a checklist item belongs to.
EVIDENCE = {
    "6.1.2": (
        "Risk method (approved by the CEO), risk register with 44 risks, workshop minutes",
        "Daniel Okafor, Priya Nair",
    ),
    "6.1.3": (
        "Statement of Applicability with justifications; risk treatment plan TA-001…",
        "Daniel Okafor",
    ),
    "7.2": ("Role descriptions; training matrix; two engineers' HR files", "Sarah Whitfield"),
    "7.3": (
        "Awareness e-learning report (94 % completion); onboarding checklist",
        "Sarah Whitfield; two support agents in Manchester",
    ),
    "7.5": ("Document register; SharePoint library with version history", "Daniel Okafor"),
    "8.1": ("Sample of 10 change tickets from the last quarter", "Priya Nair"),
    "A.5.15": ("Access control policy v1.2; role matrix of the analytics platform", "Priya Nair"),
    "A.5.16": ("Identity lifecycle in the HR system and directory", "Priya Nair"),
    "A.5.17": ("Password manager admin console; MFA enrolment report", "Priya Nair"),
    "A.5.18": ("Leaver list (12 leavers, last 6 months) compared with CRM users", "Priya Nair"),
    "A.8.2": ("List of 7 administrator accounts; approval tickets", "Priya Nair"),
    "A.8.5": ("SSO and MFA configuration of the cloud console and code hosting", "Tom Lindqvist"),
    "A.8.13": ("Backup policy; backup job reports; restore test log (empty)", "Priya Nair"),
}

# (ref, result, note) for the items where the auditor found something.
OUTCOMES = {
    "A.8.13": (
        "major_nc",
        "No restore test has been carried out since the backup service was introduced 14 "
        "months ago, although the backup policy requires a restore test every quarter. "
        "Whether backups of the analytics platform can be restored is not known.",
    ),
    "A.5.18": (
        "minor_nc",
        "3 of 12 leavers of the last six months still had active CRM accounts (removed "
        "8–41 days late); the CRM is not connected to single sign-on and was missed in the "
        "leaver checklist.",
    ),
    "7.2 d": (
        "minor_nc",
        "No competence records for the two engineers who joined in the spring; their "
        "secure-coding training is planned but not recorded anywhere.",
    ),
    "7.5.2 a": (
        "observation",
        "Two procedures (backup, change management) still name a former employee as owner; "
        "the content is current.",
    ),
    "6.1.2 b": (
        "ofi",
        "Risk owners could confirm their risk scores in the quarterly operations meeting "
        "instead of once a year, so that the register stays current between assessments.",
    ),
    "7.5.3 f": (
        "not_audited",
        "Not audited for lack of time; carried forward to AU-003.",
    ),
}


def _asset_codes(project: Project) -> dict[str, str]:
    with project.reading() as session:
        return {name: code for name, code in session.execute(select(Asset.name, Asset.code))}


def _programme(project: Project, today: dt.date) -> None:
    for code, title, start, days, clauses, controls, sites, lead, others, note in PROGRAMME:
        begin = today + dt.timedelta(days=start)
        audits.create_audit(
            project,
            {
                "code": code,
                "title": title,
                "clauses": list(clauses),
                "controls": list(controls),
                "processes": [],
                "sites": sites,
                "criteria": CRITERIA,
                "lead_auditor": lead,
                "auditors": others,
                "independence": note,
                "planned_start": begin,
                "planned_end": begin + dt.timedelta(days=days - 1),
                "status": "planned",
            },
        )


def _first_audit(project: Project, today: dt.date) -> dict[str, str]:
    """Work through AU-001's checklist and complete it; returns finding code by ref."""
    seen_refs: set[str] = set()
    for item in audits.checklist(project, "AU-001"):
        key = next((k for k in EVIDENCE if item.ref == k or item.ref.startswith(k)), "")
        evidence, people = EVIDENCE.get(key, ("", ""))
        result, note = "conforming", ""
        if item.ref in OUTCOMES and item.ref not in seen_refs:
            result, note = OUTCOMES[item.ref]
            if result == "not_audited":
                evidence = people = ""
        seen_refs.add(item.ref)
        audits.record_item(
            project,
            item.id,
            result=result,
            notes=note,
            evidence_seen=evidence,
            interviewees=people,
        )
    found = audits.complete(
        project,
        "AU-001",
        summary=(
            "The risk management process and documented information are established and "
            "largely effective. One major nonconformity (backup restore tests) and two minor "
            "nonconformities (leaver accounts, competence records) were raised, with one "
            "observation and one opportunity for improvement. Results presented to the CEO."
        ),
        signed_off_by="Grace Adeyemi",
        signed_off_on=today - dt.timedelta(days=92),
    )
    refs = {}
    for entry in audits.checklist(project, "AU-001"):
        if entry.finding:
            refs[entry.ref] = entry.finding
    assert len(found) == 5, found
    return refs


Later = list[Callable[[], None]]


def _nonconformities(
    project: Project, today: dt.date, findings: dict[str, str], later: Later
) -> None:
    """Raise AU-001's nonconformities; steps after the management review go to ``later``."""

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    # Major: no restore tests → closed after two successful quarterly tests.
    nc = nonconformities.raise_from_finding(project, findings["A.8.13"])
    nonconformities.analyse_cause(
        project,
        nc,
        whys=[
            "No restore test was performed",
            "Nobody was assigned to carry out the quarterly restore test",
            "The backup policy names the task but not an owner or a schedule",
            "The policy was written before the IT operations team was formed",
        ],
        root_cause="The backup policy defines restore tests without an owner or a schedule, "
        "so the task was never planned into IT operations' work.",
        correction="A full restore of the analytics database to a test environment was done "
        "on the day after the audit; it succeeded in 3 h 10 min.",
    )
    a1 = nonconformities.add_corrective_action(
        project,
        nc,
        title="Assign restore tests to IT operations with a quarterly calendar entry",
        owner="P-003",
        due_date=ago(75),
        description="Update the backup policy (owner, schedule, evidence to keep).",
    )
    a2 = nonconformities.add_corrective_action(
        project,
        nc,
        title="Add a restore-test metric to the monthly ISMS report",
        owner="P-002",
        due_date=ago(60),
    )
    nonconformities.plan_actions(project, nc)
    nonconformities.complete_action(project, a1, ago(80))

    def restore_tests_effective(nc: str = nc) -> None:
        nonconformities.complete_action(project, a2, ago(62))
        nonconformities.verify_effectiveness(
            project,
            nc,
            verified_by="P-002",
            verified_on=ago(10),
            verification="Two quarterly restore tests since, both logged with evidence and "
            "within the 4-hour target; the metric shows in the monthly report.",
            effective=True,
        )
        nonconformities.close(project, nc)

    later.append(restore_tests_effective)

    # Minor: leaver accounts in the CRM → verified, to be closed at the management review.
    nc = nonconformities.raise_from_finding(project, findings["A.5.18"])
    nonconformities.analyse_cause(
        project,
        nc,
        whys=[
            "Leavers' CRM accounts were not disabled",
            "The CRM is not connected to single sign-on",
            "The leaver checklist lists only systems connected to SSO",
        ],
        correction="The three accounts were disabled on the day of the audit.",
    )
    a = nonconformities.add_corrective_action(
        project,
        nc,
        title="Connect the CRM to single sign-on",
        owner="P-003",
        due_date=ago(40),
    )
    b = nonconformities.add_corrective_action(
        project,
        nc,
        title="Monthly comparison of leavers with accounts in non-SSO systems",
        owner="P-005",
        due_date=ago(50),
    )
    nonconformities.plan_actions(project, nc)

    def leavers_checked(nc: str = nc, a: str = a, b: str = b) -> None:
        nonconformities.complete_action(project, b, ago(55))
        nonconformities.complete_action(project, a, ago(38))
        nonconformities.verify_effectiveness(
            project,
            nc,
            verified_by="P-007",
            verified_on=ago(5),
            verification="Leavers of the last two months checked: all CRM access ended on the "
            "last working day.",
            effective=True,
        )

    later.append(leavers_checked)

    # Minor: competence records → implemented, waiting for the effectiveness check.
    nc = nonconformities.raise_from_finding(project, findings["7.2 d"])
    nonconformities.analyse_cause(
        project,
        nc,
        whys=[
            "Competence records of new engineers are missing",
            "Engineering onboarding is run by the team, not by HR",
            "The onboarding checklist has no step for recording training",
        ],
    )
    a = nonconformities.add_corrective_action(
        project,
        nc,
        title="Add 'record training and competence' to the engineering onboarding checklist",
        owner="P-004",
        due_date=ago(20),
    )
    nonconformities.plan_actions(project, nc)

    def onboarding_step_added(a: str = a) -> None:
        nonconformities.complete_action(project, a, ago(25))

    later.append(onboarding_step_added)


def _reported(project: Project, values: dict[str, Any]) -> str:
    """A demo incident as its handler assessed it: C, I and A not named as affected were
    looked at and were not (an empty box in the register, not "not decided")."""
    for aspect in ("confidentiality", "integrity", "availability"):
        values.setdefault(aspect, False)
    return incidents.report_incident(project, values)


def _incidents(project: Project, today: dt.date) -> None:
    now = dt.datetime.combine(today, dt.time(9, 0))
    assets = _asset_codes(project)

    def at(days: float, hour: int = 9, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(today - dt.timedelta(days=days), dt.time(hour, minute))

    phishing = _reported(
        project,
        {
            "title": "Phishing: support agent's CRM credentials captured",
            "occurred_at": at(150, 10, 5),
            "detected_at": at(150, 11, 40),
            "reporter": "P-008",
            "description": "A support agent entered her credentials on a fake CRM login page "
            "linked from an e-mail imitating a client. The attacker logged in from abroad and "
            "viewed business contact records of 40 client employees.",
            "category": "phishing",
            "severity": "high",
            "confidentiality": True,
            "integrity": False,
            "availability": False,
            "assets": [assets["CRM"], assets["Support tickets"]],
            "response": "Account locked and password reset within 2 hours; sessions revoked; "
            "CRM access log reviewed; the DPO assessed the breach and notified the ICO; the "
            "affected client was informed.",
            "personal_data": True,
            "notification_required": True,
            "lessons_learned": "Every externally reachable system must enforce MFA, not only "
            "those behind single sign-on. Reporting worked: the agent reported within 90 "
            "minutes because she recognised the awareness training example.",
        },
    )
    incidents.record_notification(project, phishing, at(149, 8, 30))
    for status in ("contained", "resolved", "closed"):
        incidents.transition(project, phishing, status)
    nc = incidents.raise_improvement(
        project,
        phishing,
        kind="nonconformity",
        description="The CRM did not enforce multi-factor authentication, contrary to the "
        "access control policy (MFA for all systems holding client data).",
        requirement="A.8.5",
        owner="P-002",
    )
    nonconformities.analyse_cause(
        project,
        nc,
        whys=[
            "The attacker could log in with the password alone",
            "MFA was not enforced in the CRM",
            "The MFA roll-out covered only SSO-connected systems",
            "No inventory of systems with their own login existed",
        ],
    )
    nonconformities.add_corrective_action(
        project,
        nc,
        title="Enforce MFA in the CRM and the ticketing system",
        owner="P-003",
        due_date=today - dt.timedelta(days=7),
        description="Overdue: waiting for the CRM vendor's MFA licence.",
    )
    nonconformities.add_corrective_action(
        project,
        nc,
        title="List every system with its own login and its MFA status",
        owner="P-002",
        due_date=today + dt.timedelta(days=21),
    )
    nonconformities.plan_actions(project, nc)

    stolen = _reported(
        project,
        {
            "title": "Laptop stolen from a car in Manchester",
            "occurred_at": at(64, 19, 0),
            "detected_at": at(64, 20, 15),
            "reporter": "P-008",
            "description": "A support agent's laptop was stolen from a locked car.",
            "category": "lost_device",
            "severity": "medium",
            "confidentiality": True,
            "availability": True,
            "assets": [assets["Employee laptops"]],
            "response": "Device locked and wiped remotely through endpoint management; police "
            "report filed; replacement laptop issued the next morning.",
            "personal_data": True,
            "notification_required": False,
            "lessons_learned": "Full-disk encryption and remote wipe worked as intended, so "
            "no notification was needed. The remote working policy now says that laptops are "
            "never left in cars.",
        },
    )
    for status in ("contained", "resolved", "closed"):
        incidents.transition(project, stolen, status)

    outage = _reported(
        project,
        {
            "title": "Cloud zone outage: analytics platform unavailable for 3 hours",
            "occurred_at": at(33, 6, 10),
            "detected_at": at(33, 6, 14),
            "reporter": "P-003",
            "description": "A power failure in one availability zone of the cloud provider "
            "took the platform down; failover to the second zone did not start automatically.",
            "category": "outage",
            "severity": "high",
            "availability": True,
            "assets": [assets["Analytics platform"], assets["Cloud hosting"]],
            "response": "Manual failover to the second zone after 2 h 50 min; clients informed "
            "through the status page; provider's incident report obtained.",
            "personal_data": False,
            "notification_required": False,
            "lessons_learned": "Failover had been configured but never tested under load. A "
            "failover test belongs in the business continuity exercise twice a year.",
        },
    )
    for status in ("contained", "resolved"):
        incidents.transition(project, outage, status)
    incidents.raise_improvement(
        project,
        outage,
        kind="action",
        title="Half-yearly failover test of the analytics platform",
        owner="P-003",
        due_date=today + dt.timedelta(days=45),
    )

    malware = _reported(
        project,
        {
            "title": "Malware blocked on a developer laptop",
            "occurred_at": at(12, 14, 20),
            "detected_at": at(12, 14, 21),
            "reporter": "P-004",
            "description": "Endpoint protection quarantined a trojan in a downloaded "
            "open-source tool before it ran.",
            "category": "malware",
            "severity": "low",
            "integrity": True,
            "assets": [assets["Employee laptops"]],
            "response": "Quarantine confirmed; full scan clean; download source reported.",
            "personal_data": False,
            "notification_required": False,
            "lessons_learned": "Developers now take tools from the approved package mirror.",
        },
    )
    for status in ("contained", "resolved", "closed"):
        incidents.transition(project, malware, status)

    misdirected = _reported(
        project,
        {
            "title": "Dataset extract e-mailed to the wrong client",
            "occurred_at": now - dt.timedelta(hours=31),
            "detected_at": now - dt.timedelta(hours=30),
            "reporter": "P-008",
            "description": "A support engineer sent a CSV extract with 1,200 customer records "
            "of one retail client to a contact at another client (auto-completed address).",
            "category": "data_leak",
            "severity": "high",
            "confidentiality": True,
            "assets": [assets["Client datasets"], assets["Collaboration suite"]],
            "response": "Recipient asked to delete the file and confirmed deletion in writing; "
            "DPO assessing; the client (controller) informed within 4 hours.",
            "personal_data": True,
            "notification_required": True,
        },
    )
    incidents.transition(project, misdirected, "contained")


def _other_nonconformities(project: Project, today: dt.date) -> None:
    nc = nonconformities.raise_nonconformity(
        project,
        {
            "source": "complaint",
            "description": "Client complaint: a support engineer sent an unencrypted dataset "
            "extract by e-mail, contrary to the information transfer policy.",
            "requirement": "A.5.14",
            "severity": "minor",
            "raised_on": today - dt.timedelta(days=18),
            "raised_by": "P-008",
            "correction": "The client's file was re-sent through the secure transfer portal.",
        },
    )
    nonconformities.analyse_cause(
        project,
        nc,
        whys=[
            "The extract was e-mailed unencrypted",
            "The secure transfer portal takes several steps for a single file",
            "Support has no quick way to share one file securely",
        ],
    )
    nonconformities.raise_nonconformity(
        project,
        {
            "source": "monitoring",
            "description": "The monthly vulnerability scan shows critical patches on the legacy "
            "reporting server 45 days old; the patch policy requires 14 days.",
            "requirement": "A.8.8",
            "severity": "minor",
            "raised_on": today - dt.timedelta(days=3),
            "raised_by": "P-003",
        },
    )


def fill(project: Project) -> Callable[[], None]:
    """Add the audit programme, the first audit, nonconformities and incidents; returns
    what happened to AU-001's nonconformities after the management review, to be called
    once the review has compiled its inputs."""
    today = dt.date.today()
    later: Later = []
    _programme(project, today)
    findings = _first_audit(project, today)
    _nonconformities(project, today, findings, later)
    _incidents(project, today)
    _other_nonconformities(project, today)

    def after_review() -> None:
        for step in later:
            step()

    return after_review
