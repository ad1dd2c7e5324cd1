"""The Statement of Applicability as a PDF (6.1.3 d): every control, grouped by theme.

Landscape, one section per Annex A theme, so the auditor can find a control by its number
and read across: applicable or not, why it was included (the risks that selected it, legal
or contractual, business, best practice), why it was excluded, how far it is implemented,
who owns it and how it is done. The cover names the approved version, if there is one.
"""

from __future__ import annotations

from collections import Counter
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from isms_desktop.domain.errors import BadArgumentsError, IsmsError
from isms_desktop.domain.fields import parse_value
from isms_desktop.domain.register_specs import SOA, SOA_STATUSES
from isms_desktop.reports.pdf import sources, theme
from isms_desktop.reports.pdf.engine import DocumentInfo, Report, Section, Tracker
from isms_desktop.reports.pdf.tables import CellStyle, Column, RegisterTable, key_values
from isms_desktop.services import soa as soa_service
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

COLUMNS = (
    Column("Control", 7, bold=True),
    Column("Title", 22),
    Column("Applicable", 8.5),
    Column("Reasons for inclusion", 23),
    Column("Justification of exclusion", 25),
    Column("Implementation status", 12.5),
    Column("Owner", 12.5),
    Column("How it is implemented", 52),
)
COL_APPLICABLE, COL_STATUS = 2, 5


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


def _table(rows: list[RecordRow]) -> RegisterTable:
    cells = []
    styles: dict[int, list[CellStyle]] = {}
    for index, row in enumerate(rows):
        status = str(row.values.get("status") or "")
        cells.append(
            [
                row.code,
                sources.text(row, "title"),
                applicable_text(row.values.get("applicable")),
                reasons(row),
                sources.text(row, "justification"),
                sources.text(row, "status"),
                sources.text(row, "owner"),
                sources.text(row, "implementation"),
            ]
        )
        cell_styles = []
        if status in STATUS_FILLS:
            cell_styles.append(
                CellStyle(COL_STATUS, background=theme.hex_colour(STATUS_FILLS[status]))
            )
        if row.values.get("applicable") is not True:
            cell_styles.append(CellStyle(COL_APPLICABLE, text=theme.WARNING_INK, bold=True))
        if cell_styles:
            styles[index] = cell_styles
    return RegisterTable(COLUMNS, cells, row_styles=styles, font_size=7)


def group_by_theme(rows: list[RecordRow]) -> list[tuple[str, list[RecordRow]]]:
    """The rows under their theme headings, in the order of Annex A."""
    groups: dict[str, list[RecordRow]] = {}
    for row in rows:
        title = THEME_TITLES.get(str(row.values.get("theme") or ""), OTHER_THEME)
        groups.setdefault(title, []).append(row)
    order = [*THEME_TITLES.values(), OTHER_THEME]
    return sorted(groups.items(), key=lambda item: order.index(item[0]))


def approval(project: Project) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The version text and the cover lines about the latest approval."""
    versions = soa_service.versions(project)
    if not versions:
        return "Draft (not yet approved)", (("Approval", "Not yet approved"),)
    latest = versions[-1]
    return f"{latest.number} (approved)", _approval_lines(latest)


def _approval_lines(version: soa_service.VersionInfo) -> tuple[tuple[str, str], ...]:
    """The cover lines about one approval: who, when, and the note if there is one."""
    lines = (
        ("Approved by", version.approved_by),
        ("Approved on", version.approved_on.isoformat()),
    )
    return (*lines, ("Approval note", version.note)) if version.note else lines


def summary_body(rows: list[RecordRow], version: str) -> list[Flowable]:
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
    applicable = sum(1 for r in rows if r.values.get("applicable") is True)
    excluded = sum(1 for r in rows if r.values.get("applicable") is False)
    undecided = len(rows) - applicable - excluded
    statuses = Counter(str(r.values.get("status") or "") for r in rows)
    labels = dict(zip(SOA_STATUSES, _status_labels(), strict=True))
    pairs = [
        ("Version", version),
        ("Controls", str(len(rows))),
        ("Applicable", str(applicable)),
        ("Excluded", str(excluded)),
    ]
    if undecided:
        pairs.append(("Not yet decided", str(undecided)))
    pairs += [(labels[s], str(statuses.get(s, 0))) for s in SOA_STATUSES]
    body += [Spacer(1, 2 * mm), key_values(pairs, label_width=0.3)]
    return body


def _status_labels() -> list[str]:
    from isms_desktop.domain.register_specs import SOA

    labels = SOA.field("status").choice_labels
    return [labels[s] for s in SOA_STATUSES]


def sections(rows: list[RecordRow], version: str, *, level: int = 0) -> list[Section]:
    """The SoA as sections: a summary, then one per theme (reused by the manual)."""
    result = [
        Section("About this Statement of Applicability", summary_body(rows, version), level=level)
    ]
    for title, group in group_by_theme(rows):
        result.append(Section(f"{title} ({len(group)})", [_table(group)], level=level))
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
        return _report(brand, options, rows, version_text, details)
    rows = sources.rows(project, "soa")
    tracker.loaded(0.8)
    version_text, details = approval(project)
    tracker.loaded(1.0)
    return _report(brand, options, rows, version_text, details)


def _report(
    brand: sources.Branding,
    options: sources.ReportOptions,
    rows: list[RecordRow],
    version: str,
    details: tuple[tuple[str, str], ...],
) -> Report:
    info = DocumentInfo(
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
    return Report(info, sections(rows, version))


__all__ = ["build", "escape", "sections"]
