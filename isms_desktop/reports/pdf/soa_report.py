"""The Statement of Applicability as a PDF (6.1.3 d): every control, grouped by theme.

Landscape, one section per Annex A theme, so the auditor can find a control by its number
and read across: applicable or not, why it was included (the risks that selected it, legal
or contractual, business, best practice), why it was excluded, how far it is implemented,
who owns it, how it is done and the evidence kept for it. The cover names the approved
version, if there is one, and says so when the SoA has changed since it was approved.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from isms_desktop.domain.errors import BadArgumentsError, IsmsError
from isms_desktop.domain.fields import parse_value
from isms_desktop.domain.register_specs import SOA, SOA_STATUSES
from isms_desktop.reports.pdf import sources, theme
from isms_desktop.reports.pdf.blocks import note, sub
from isms_desktop.reports.pdf.engine import DocumentInfo, Report, Section, Tracker
from isms_desktop.reports.pdf.tables import CellStyle, Column, RegisterTable, key_values
from isms_desktop.services import soa as soa_service
from isms_desktop.services.attachments import EvidenceName
from isms_desktop.services.registers import RecordRow
from isms_desktop.storage.project_file import Project

THEME_TITLES = {
    "organizational": "5 Organizational controls",
    "people": "6 People controls",
    "physical": "7 Physical controls",
    "technological": "8 Technological controls",
}
OTHER_THEME = "Other controls of the organisation"

STATUS_FILLS = {
    "implemented": "#d8efd9",
    "partially_implemented": "#fff0c2",
    "planned": "#dce8f7",
    "not_started": "#f6dcdc",
    "not_applicable": "#e6e8eb",
}

# Widths: the text columns get the room; "Applicable" (Yes/No) and the justification of
# exclusion (filled for the few excluded controls only) are kept narrow.
COLUMNS = (
    Column("Control", 5.5, bold=True),
    Column("Title", 14),
    Column("Applicable", 5),
    Column("Reasons for inclusion", 16),
    Column("Justification of exclusion", 12),
    Column("Implementation status", 9.5),
    Column("Owner", 8.5),
    Column("How it is implemented", 38),
)
EVIDENCE_COLUMN = Column("Evidence", 20)
COL_APPLICABLE, COL_STATUS = 2, 5
MAX_CHANGES_LISTED = 40  # rows of the table of changes since the approval
MAX_CONTROLS_LISTED = 12  # codes of changed controls on the cover


def applicable_text(value: object) -> str:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return "Not decided"


MAX_RISKS_LISTED = 12


def reasons(row: RecordRow) -> str:
    """The reasons for inclusion, one per line, with the risks and requirements behind them."""
    values = row.values
    found = []
    risks = values.get("risks")
    if risks:
        if isinstance(risks, str):  # a frozen version holds the text as it was shown
            risks = [r.strip() for r in risks.split(",") if r.strip()]
        if len(risks) <= MAX_RISKS_LISTED:
            found.append("Risk treatment: " + ", ".join(risks))
        else:  # thousands of codes would fill pages; the risk register lists them all
            shown = ", ".join(risks[:MAX_RISKS_LISTED])
            found.append(f"Risk treatment: {len(risks)} risks ({shown}, …)")
    if values.get("reason_legal"):
        legal = "Legal, regulatory or contractual"
        if values.get("requirements"):
            legal += " (" + ", ".join(values["requirements"]) + ")"
        found.append(legal)
    if values.get("reason_business"):
        found.append("Business requirement")
    if values.get("reason_best_practice"):
        found.append("Best practice")
    return "\n".join(found)


def evidence_texts(found: Mapping[int, Sequence[EvidenceName]], today: dt.date) -> dict[int, str]:
    """The evidence cell of each record: a bullet per file, marked if it has expired."""
    texts = {}
    for owner, names in found.items():
        lines = []
        for item in names:
            expires = item.expires_on
            expired = f" (expired {expires.isoformat()})" if expires and expires < today else ""
            lines.append(f"• {item.name}{expired}")
        texts[owner] = "\n".join(lines)
    return texts


def _table(rows: list[RecordRow], evidence: Mapping[int, str] | None) -> RegisterTable:
    cells = []
    styles: dict[int, list[CellStyle]] = {}
    for index, row in enumerate(rows):
        status = str(row.values.get("status") or "")
        line = [
            row.code,
            sources.text(row, "title"),
            applicable_text(row.values.get("applicable")),
            reasons(row),
            sources.text(row, "justification"),
            sources.text(row, "status"),
            sources.text(row, "owner"),
            sources.text(row, "implementation"),
        ]
        if evidence is not None:
            line.append(evidence.get(row.id, ""))
        cells.append(line)
        cell_styles = []
        if status in STATUS_FILLS:
            cell_styles.append(
                CellStyle(COL_STATUS, background=theme.hex_colour(STATUS_FILLS[status]))
            )
        if row.values.get("applicable") is not True:
            cell_styles.append(CellStyle(COL_APPLICABLE, text=theme.WARNING_INK, bold=True))
        if cell_styles:
            styles[index] = cell_styles
    columns = COLUMNS if evidence is None else (*COLUMNS, EVIDENCE_COLUMN)
    return RegisterTable(columns, cells, row_styles=styles, font_size=7)


def group_by_theme(rows: list[RecordRow]) -> list[tuple[str, list[RecordRow]]]:
    """The rows under their theme headings, in the order of Annex A."""
    groups: dict[str, list[RecordRow]] = {}
    for row in rows:
        title = THEME_TITLES.get(str(row.values.get("theme") or ""), OTHER_THEME)
        groups.setdefault(title, []).append(row)
    order = [*THEME_TITLES.values(), OTHER_THEME]
    return sorted(groups.items(), key=lambda item: order.index(item[0]))


@dataclass(frozen=True)
class Approval:
    """What the cover, the footer and the summary say about the approval of the SoA."""

    version: str  # e.g. "2 (approved 2026-09-23)"
    details: tuple[tuple[str, str], ...]  # the cover lines
    since: soa_service.VersionInfo | None = None  # the approved version the SoA differs from
    changes: tuple[soa_service.SoaDifference, ...] = ()


def approval(project: Project) -> Approval:
    """The latest approval, and what has changed since (compared field by field)."""
    versions = soa_service.versions(project)
    if not versions:
        return Approval("Draft (not yet approved)", (("Approval", "Not yet approved"),))
    latest = versions[-1]
    on = latest.approved_on.isoformat()
    changes = tuple(soa_service.compare(project, latest.number))
    if not changes:
        return Approval(f"{latest.number} (approved {on})", _approval_lines(latest))
    return Approval(
        f"Current — changed since version {latest.number} (approved {on})",
        (*_approval_lines(latest), ("Changed since", _changed_controls(changes))),
        since=latest,
        changes=changes,
    )


def _changed_controls(changes: Sequence[soa_service.SoaDifference]) -> str:
    codes = list(dict.fromkeys(d.code for d in changes))
    shown = ", ".join(codes[:MAX_CONTROLS_LISTED])
    if len(codes) > MAX_CONTROLS_LISTED:
        shown += ", …"
    fields = _plural(len(changes), "field")
    return f"{fields} of {_plural(len(codes), 'control')} ({shown})"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _approval_lines(version: soa_service.VersionInfo) -> tuple[tuple[str, str], ...]:
    """The cover lines about one approval: who, when, and the note if there is one."""
    lines = (
        ("Approved by", version.approved_by),
        ("Approved on", version.approved_on.isoformat()),
    )
    return (*lines, ("Approval note", version.note)) if version.note else lines


def summary_body(
    rows: list[RecordRow], version: str, approval: Approval | None = None
) -> list[Flowable]:
    st = theme.styles()
    body: list[Flowable] = [
        Paragraph(
            "This Statement of Applicability lists the controls of ISO/IEC 27001:2022 Annex A "
            "and any further controls of the organisation. For each it states whether it is "
            "applicable, why it is included — selected to treat assessed risks, required by "
            "law, regulation or contract, required by the business, or good practice — or why "
            "it is excluded, and how far it is implemented (clause 6.1.3 d).",
            st.body,
        )
    ]
    if not rows:
        body.append(Paragraph(theme.NONE_RECORDED, st.note))
        return body
    applicable = [r for r in rows if r.values.get("applicable") is True]
    excluded = sum(1 for r in rows if r.values.get("applicable") is False)
    undecided = len(rows) - len(applicable) - excluded
    pairs = [
        ("Version", version),
        ("Controls", str(len(rows))),
        ("Applicable", str(len(applicable))),
        ("Excluded (not applicable)", str(excluded)),
    ]
    if undecided:
        pairs.append(("Not yet decided", str(undecided)))
    body += [Spacer(1, 2 * mm), key_values(pairs, label_width=0.3)]
    if applicable:
        body += [
            sub(f"Implementation of the {len(applicable)} applicable controls"),
            key_values(implementation_counts(applicable), label_width=0.3),
        ]
    if approval is not None and approval.since is not None:
        body += changes_body(approval.since, approval.changes)
    return body


def implementation_counts(applicable: Sequence[RecordRow]) -> list[tuple[str, str]]:
    """How many applicable controls have each implementation status; they add up to all of
    them (excluded controls are counted once, as excluded, not again as "not applicable")."""
    statuses = Counter(str(r.values.get("status") or "") for r in applicable)
    labels = dict(zip(SOA_STATUSES, _status_labels(), strict=True))
    pairs = [(labels[s], str(statuses.pop(s, 0))) for s in SOA_STATUSES if s != "not_applicable"]
    marked = statuses.pop("not_applicable", 0)
    if marked:
        pairs.append((f"{labels['not_applicable']} (although applicable)", str(marked)))
    if sum(statuses.values()):
        pairs.append(("No status recorded", str(sum(statuses.values()))))
    return pairs


def changes_body(
    since: soa_service.VersionInfo, changes: Sequence[soa_service.SoaDifference]
) -> list[Flowable]:
    """What differs from the approved version, field by field (the first few dozen)."""
    number, on = since.number, since.approved_on.isoformat()
    controls = len({d.code for d in changes})
    body: list[Flowable] = [
        sub(f"Changes since version {number} (approved {on})"),
        note(
            f"{_plural(len(changes), 'field')} of {_plural(controls, 'control')} differ from "
            f"the approved version {number}; approving the SoA again makes them part of an "
            "approved version."
        ),
    ]
    shown = changes[:MAX_CHANGES_LISTED]
    columns = (
        Column("Control", 6, bold=True),
        Column("Field", 14),
        Column(f"In version {number}", 40),
        Column("Now", 40),
    )
    cells = [[d.code, d.header, d.then or "—", d.now or "—"] for d in shown]
    body.append(RegisterTable(columns, cells, font_size=7))
    if len(changes) > len(shown):
        body.append(
            note(
                f"… and {len(changes) - len(shown)} more; the SoA tab compares the versions "
                "field by field."
            )
        )
    return body


def _status_labels() -> list[str]:
    from isms_desktop.domain.register_specs import SOA

    labels = SOA.field("status").choice_labels
    return [labels[s] for s in SOA_STATUSES]


def sections(
    rows: list[RecordRow],
    version: str,
    *,
    level: int = 0,
    evidence: Mapping[int, str] | None = None,
    approval: Approval | None = None,
) -> list[Section]:
    """The SoA as sections: a summary, then one per theme (reused by the manual).

    ``evidence`` (the evidence cell by record id) adds the Evidence column; a frozen
    version has none, since the files attached today are not those of then.
    """
    result = [
        Section(
            "About this Statement of Applicability",
            summary_body(rows, version, approval),
            level=level,
        )
    ]
    for title, group in group_by_theme(rows):
        result.append(Section(f"{title} ({len(group)})", [_table(group, evidence)], level=level))
    return result


def _frozen(
    project: Project, number: int
) -> tuple[list[RecordRow], str, tuple[tuple[str, str], ...]]:
    """The rows of approved version ``number`` as they were frozen, and its cover lines."""
    info = next((v for v in soa_service.versions(project) if v.number == number), None)
    if info is None:
        numbers = ", ".join(str(v.number) for v in soa_service.versions(project)) or "none yet"
        raise BadArgumentsError(f"there is no approved SoA version {number} (versions: {numbers})")
    rows = []
    for frozen in soa_service.version_rows(project, number):
        values: dict[str, object] = {}
        for f in SOA.fields:
            try:
                values[f.name] = parse_value(f, frozen.get(f.name, ""))
            except (IsmsError, ValueError):
                values[f.name] = frozen.get(f.name, "")
        rows.append(RecordRow(0, str(frozen.get("code", "")), values, dict(frozen)))
    return rows, f"{info.number} (approved version as frozen)", _approval_lines(info)


def build(
    project: Project,
    options: sources.ReportOptions,
    tracker: Tracker,
    *,
    version: int | None = None,
) -> Report:
    """The current SoA, or (``version``) an approved version exactly as it was frozen."""
    brand = sources.branding(project)
    tracker.loaded(0.2)
    if version is not None:
        rows, version_text, details = _frozen(project, version)
        tracker.loaded(1.0)
        info = _info(brand, options, version_text, details)
        return Report(info, sections(rows, version_text))
    rows = sources.rows(project, "soa")
    evidence = evidence_texts(sources.evidence(project, "soa"), options.date)
    tracker.loaded(0.8)
    state = approval(project)
    tracker.loaded(1.0)
    info = _info(brand, options, state.version, state.details)
    return Report(info, sections(rows, state.version, evidence=evidence, approval=state))


def _info(
    brand: sources.Branding,
    options: sources.ReportOptions,
    version: str,
    details: tuple[tuple[str, str], ...],
) -> DocumentInfo:
    return DocumentInfo(
        title="Statement of Applicability",
        subtitle="ISO/IEC 27001:2022 — clause 6.1.3 d and Annex A",
        subject=f"Statement of Applicability of {brand.organisation}",
        organisation=brand.organisation,
        classification=options.classification,
        version=version,
        date=options.date,
        logo=brand.logo,
        details=details,
        landscape=True,
        keywords=("ISO/IEC 27001", "Statement of Applicability", "Annex A"),
    )


__all__ = ["build", "escape", "sections"]
