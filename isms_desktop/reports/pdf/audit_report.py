"""One internal audit as a PDF (9.2): plan and scope, checklist, findings, follow-up.

The audit report an auditor leaves behind: what was audited against which criteria by whom,
each checklist question with its result and the evidence seen, the findings graded, and
the nonconformities raised from them with their corrective actions.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable

from isms_desktop.domain.audit_checklist import RESULT_LABELS
from isms_desktop.reports.pdf import sources
from isms_desktop.reports.pdf.blocks import facts, none_recorded, note, paras, records_table, sub
from isms_desktop.reports.pdf.engine import DocumentInfo, Report, Section, Tracker
from isms_desktop.reports.pdf.tables import Column, RegisterTable, key_values
from isms_desktop.services import audits
from isms_desktop.services.registers import RecordRow
from isms_desktop.storage.project_file import Project

PLAN_FIELDS = (
    ("code", "Audit"),
    ("title", "Title"),
    ("status", "Status"),
    ("planned_start", "Start"),
    ("planned_end", "End"),
    ("lead_auditor", "Lead auditor"),
    ("auditors", "Other auditors"),
    ("independence", "Independence"),
    ("clauses", "Clauses in scope"),
    ("controls", "Controls in scope"),
    ("processes", "Processes in scope"),
    ("sites", "Sites"),
    ("criteria", "Criteria"),
)

FINDING_COLUMNS = (
    ("code", "Finding", 7),
    ("kind", "Kind", 14),
    ("requirement", "Requirement", 10),
    ("description", "Finding", 40),
    ("evidence", "Evidence", 25),
)

NC_COLUMNS = (
    ("code", "NC", 7),
    ("finding", "Finding", 7),
    ("description", "Nonconformity", 30),
    ("correction", "Correction", 20),
    ("root_cause", "Root cause", 20),
    ("status", "Status", 10),
)

ACTION_COLUMNS = (
    ("code", "Action", 7),
    ("nonconformity", "NC", 7),
    ("title", "Corrective action", 40),
    ("owner", "Owner", 13),
    ("due_date", "Due", 10),
    ("status", "Status", 9),
    ("completed_on", "Completed", 10),
)


def checklist_body(lines: Sequence[sources.ChecklistLine]) -> list[Flowable]:
    if not lines:
        return [none_recorded("checklist questions")]
    return [
        RegisterTable(
            (
                # wide enough for "6.1.2 a" and "Opportunity for improvement" on one line
                Column("Ref", 8, bold=True),
                Column("Question", 32),
                Column("Result", 12),
                Column("Notes", 24),
                Column("Evidence seen", 24),
            ),
            [
                [c.ref, c.question, RESULT_LABELS.get(c.result, c.result), c.notes, c.evidence]
                for c in lines
            ],
            font_size=7.5,
        )
    ]


def sign_off_body(project: Project, code: str) -> list[Flowable]:
    """Who signed the audit off and when (a completed audit), or that nobody has yet."""
    summary = audits.audit(project, code)
    if not summary.signed_off_by:
        return [note("Not signed off yet.")]
    on = summary.signed_off_on.isoformat() if summary.signed_off_on else "—"
    return [key_values([("Signed off by", summary.signed_off_by), ("Signed off on", on)])]


def audit_sections(project: Project, audit: RecordRow, *, level: int = 0) -> list[Section]:
    findings = [f for f in sources.rows(project, "findings") if f.values.get("audit") == audit.code]
    codes = {f.code for f in findings}
    ncs = [n for n in sources.rows(project, "nonconformities") if n.values.get("finding") in codes]
    nc_codes = {n.code for n in ncs}
    actions = [
        a for a in sources.rows(project, "actions") if a.values.get("nonconformity") in nc_codes
    ]
    summary = sources.text(audit, "summary")
    return [
        Section("Audit plan and scope", [facts(audit, PLAN_FIELDS)], level=level),
        Section("Checklist", checklist_body(sources.checklist(project, audit.id)), level=level),
        Section(
            "Findings",
            [records_table(findings, FINDING_COLUMNS, what="findings")],
            level=level,
        ),
        Section(
            "Nonconformities and corrective action",
            [
                records_table(ncs, NC_COLUMNS, what="nonconformities"),
                *(
                    [sub("Corrective actions"), records_table(actions, ACTION_COLUMNS)]
                    if ncs
                    else []
                ),
            ],
            level=level,
        ),
        Section(
            "Summary and conclusion",
            [*(paras(summary) or [none_recorded("summary")]), *sign_off_body(project, audit.code)],
            level=level,
        ),
    ]


def programme_body(audits: Sequence[RecordRow]) -> list[Flowable]:
    """The audit programme (all audits), for the manual."""
    return [
        sub("Audit programme"),
        records_table(
            audits,
            (
                ("code", "Audit", 7),
                ("title", "Title", 30),
                ("planned_start", "Start", 10),
                ("lead_auditor", "Lead auditor", 14),
                ("clauses", "Clauses", 14),
                ("status", "Status", 10),
            ),
            what="audits",
        ),
    ]


def build(project: Project, options: sources.ReportOptions, tracker: Tracker, code: str) -> Report:
    brand = sources.branding(project)
    audit = sources.find(project, "audits", code, "audit")
    tracker.loaded(0.3)
    sections = audit_sections(project, audit)
    tracker.loaded(1.0)
    info = DocumentInfo(
        title="Internal Audit Report",
        subtitle=f"{audit.code} — {sources.text(audit, 'title')}",
        subject=f"Internal audit {audit.code} of {brand.organisation}",
        organisation=brand.organisation,
        classification=options.classification,
        version=sources.text(audit, "status") or "Draft",
        version_label="Status",
        date=options.date,
        logo=brand.logo,
        details=(
            ("Audit", audit.code),
            ("Lead auditor", sources.text(audit, "lead_auditor") or "—"),
            ("Audit dates", _dates(audit)),
        ),
        keywords=("ISO/IEC 27001", "internal audit", audit.code),
    )
    return Report(info, sections)


def _dates(audit: RecordRow) -> str:
    start, end = sources.text(audit, "planned_start"), sources.text(audit, "planned_end")
    if start and end and end != start:
        return f"{start} – {end}"
    return start or end or "—"
