"""The ISMS manual: the whole management system in one document, clause by clause.

Chapters follow ISO/IEC 27001 (4 context … 10 improvement), so an auditor finds each
requirement where the standard puts it. The chapters reuse the sections of the single
reports (risks, treatment plan, SoA, policies, audit, review); an area with no records says
so instead of being left out, so a gap is visible rather than hidden.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Path, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from isms_desktop.catalog.loader import CatalogueError, load_context_suggestions
from isms_desktop.domain import document_workflow as wf
from isms_desktop.reports.pdf import (
    audit_report,
    charts,
    policy_report,
    review_report,
    risks_report,
    soa_report,
    sources,
    theme,
    treatment_report,
)
from isms_desktop.reports.pdf.blocks import (
    FieldColumn,
    none_recorded,
    note,
    para,
    paras,
    records_table,
    sub,
)
from isms_desktop.reports.pdf.engine import DocumentInfo, Report, Section, Tracker
from isms_desktop.reports.pdf.tables import Column, key_values, table_or_none
from isms_desktop.reports.pdf.text import wrap_lines
from isms_desktop.services import documents, process_diagram, readiness
from isms_desktop.services.registers import RecordRow
from isms_desktop.storage.project_file import Project

BODY_WIDTH = theme.PORTRAIT[0] - 2 * theme.MARGIN_X
POLICY_ROOM = 80 * mm  # of the page a policy needs to start on it

REGISTERS = (
    "context",
    "parties",
    "requirements",
    "scope",
    "processes",
    "interactions",
    "roles",
    "commitments",
    "people",
    "documents",
    "risks",
    "treatment",
    "soa",
    "objectives",
    "competences",
    "training",
    "metrics",
    "audits",
    "findings",
    "nonconformities",
    "incidents",
    "reviews",
    "actions",
)


class Data:
    """Every register the manual prints, read once."""

    def __init__(self, project: Project, tracker: Tracker, today: dt.date) -> None:
        self.today = today
        self.rows: dict[str, list[RecordRow]] = {}
        for index, name in enumerate(REGISTERS, start=1):
            self.rows[name] = sources.rows(project, name)
            tracker.loaded(0.8 * index / len(REGISTERS))
        self.method = risks_report.method_or_none(project)
        self.heat_map = risks_report.heat_map_or_none(project)
        self.measurements = sources.measurements(project)
        self.metric_facts = sources.metric_facts(project)
        self.soa_evidence = soa_report.evidence_texts(sources.evidence(project, "soa"), today)
        self.soa_approval = soa_report.approval(project)
        tracker.loaded(0.9)

    def __getitem__(self, name: str) -> list[RecordRow]:
        return self.rows.get(name, [])


def options_date(data: Data) -> dt.date:
    return data.today


def table(rows: Sequence[RecordRow], columns: Sequence[FieldColumn], what: str) -> Flowable:
    return records_table(rows, columns, what=what)


def chapter(title: str, intro: str) -> Section:
    return Section(title, [para(intro)], level=0, new_page=True, landscape=False)


def sector_label(code: str) -> str:
    """The catalogue's name of a sector ("IT services and software" for "it_services")."""
    try:
        sectors = load_context_suggestions().sectors
    except CatalogueError:
        sectors = ()
    return next((s.label for s in sectors if s.code == code), code)


def introduction(project: Project, data: Data, brand: sources.Branding) -> list[Section]:
    figures = readiness.report(project, options_date(data))
    pairs = [("Organisation", brand.organisation)]
    if brand.sector:
        pairs.append(("Sector", sector_label(brand.sector)))
    pairs += [
        ("Standard", "ISO/IEC 27001:2022"),
        ("Risks assessed", str(len(data["risks"]))),
        ("Applicable controls", str(sum(1 for r in data["soa"] if r.values.get("applicable")))),
        ("Documents", str(len(data["documents"]))),
    ]
    pairs.append(("Readiness for certification", f"{figures.overall_percent} %"))
    return [
        Section(
            "About this manual",
            [
                para(
                    f"This manual describes the information security management system (ISMS) "
                    f"of {brand.organisation} as it stands on the date on its cover. It "
                    "follows the clauses of ISO/IEC 27001:2022: the context and scope of the "
                    "ISMS, leadership, planning with the risk assessment, treatment and "
                    "Statement of Applicability, support, operation, performance evaluation "
                    "and improvement. The registers it quotes are kept in the ISMS project "
                    "file; this document is a snapshot of them."
                ),
                key_values(pairs, label_width=0.35),
            ],
            level=0,
        )
    ]


# the printed diagram: the window's layout with narrower gaps (its arrows carry no labels;
# the table of interactions below says what flows), scaled to the page
PRINT_COLUMN_GAP = 46.0
PRINT_ROW_GAP = 30.0
PRINT_LARGEST_SCALE = 0.6  # a diagram of few processes is not blown up to the page's width
ARROW_GREY = colors.HexColor("#7d8b9c")


def process_drawing(project: Project, width: float) -> Drawing | None:
    """The ISMS processes as boxes and their interactions as arrows, laid out as in the
    window: where the user arranged every box there, as arranged; else in the window's
    columns, left to right along the flow. Arrows bend round the boxes in their way, as
    in the window (a ring of boxes with straight arrows drew 27 of the demo's 31 arrows
    under other boxes). None without processes."""
    diagram = process_diagram.load(project)
    if not diagram.nodes:
        return None
    codes = [node.code for node in diagram.nodes]
    edges = [(edge.source, edge.target) for edge in diagram.edges]
    if diagram.saved >= set(codes):
        positions = diagram.positions
    else:
        positions = process_diagram.layered_layout(
            codes, edges, column_gap=PRINT_COLUMN_GAP, row_gap=PRINT_ROW_GAP
        )
    w, h = process_diagram.BOX_WIDTH, process_diagram.BOX_HEIGHT
    boxes = {code: (x, y, x + w, y + h) for code, (x, y) in positions.items()}
    bends = process_diagram.route(boxes, edges, process_diagram.parallel_bends(edges))
    curves = [
        process_diagram.curve(boxes[source], boxes[target], bend)
        for (source, target), bend in zip(edges, bends, strict=True)
    ]
    # the bounds of the boxes and of the curves (each within the triangle of its points)
    xs = [v for box in boxes.values() for v in (box[0], box[2])]
    ys = [v for box in boxes.values() for v in (box[1], box[3])]
    for line in curves:
        for t in (0.25, 0.5, 0.75):
            xs.append(sum(c * p[0] for c, p in zip(_weights(t), line, strict=True)))
            ys.append(sum(c * p[1] for c, p in zip(_weights(t), line, strict=True)))
    left, top, right, bottom = min(xs) - 4, min(ys) - 4, max(xs) + 4, max(ys) + 4
    scale = min(width / (right - left), PRINT_LARGEST_SCALE)
    height = (bottom - top) * scale
    offset = (width - (right - left) * scale) / 2  # centred on the page

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return offset + (point[0] - left) * scale, height - (point[1] - top) * scale

    fonts = theme.styles().fonts
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.regular
    for start, control, end in curves:
        (x0, y0), (cx, cy), (x1, y1) = at(start), at(control), at(end)
        path = Path(strokeColor=ARROW_GREY, strokeWidth=0.6, fillColor=None)
        path.moveTo(x0, y0)
        # the quadratic curve as the cubic reportlab draws
        path.curveTo(
            x0 + 2 / 3 * (cx - x0),
            y0 + 2 / 3 * (cy - y0),
            x1 + 2 / 3 * (cx - x1),
            y1 + 2 / 3 * (cy - y1),
            x1,
            y1,
        )
        drawing.add(path)
        angle = math.atan2(y1 - cy, x1 - cx)
        size = 2.2 * mm
        drawing.add(
            Polygon(
                [
                    x1,
                    y1,
                    x1 - size * math.cos(angle - 0.4),
                    y1 - size * math.sin(angle - 0.4),
                    x1 - size * math.cos(angle + 0.4),
                    y1 - size * math.sin(angle + 0.4),
                ],
                fillColor=ARROW_GREY,
                strokeColor=ARROW_GREY,
                strokeWidth=0.3,
            )
        )
    code_size = max(5.0, min(7.0, 15 * scale))
    name_size = max(5.0, min(7.5, 16 * scale))
    box_w, box_h = w * scale, h * scale
    # one size of type for every box: the largest at which every name fits
    name_size = min(
        _fit_name(node.name, fonts.regular, name_size, box_w - 6, box_h)[0]
        for node in diagram.nodes
    )
    for node in diagram.nodes:
        x, y = at((boxes[node.code][0], boxes[node.code][3]))  # the bottom left corner
        drawing.add(
            Rect(
                x,
                y,
                box_w,
                box_h,
                rx=1.5 * mm,
                ry=1.5 * mm,
                fillColor=theme.BRAND_LIGHT,
                strokeColor=theme.BRAND,
                strokeWidth=0.8,
            )
        )
        drawing.add(
            String(
                x + box_w / 2,
                y + box_h - code_size - 2,
                node.code,
                fontName=fonts.bold,
                fontSize=code_size,
                fillColor=theme.BRAND,
                textAnchor="middle",
            )
        )
        size, leading, lines = _fit_name(node.name, fonts.regular, name_size, box_w - 6, box_h)
        for index, text in enumerate(lines):
            drawing.add(
                String(
                    x + box_w / 2,
                    y + box_h - code_size - 3 - (index + 1) * leading,
                    text,
                    fontName=fonts.regular,
                    fontSize=size,
                    fillColor=theme.INK,
                    textAnchor="middle",
                )
            )
    return drawing


def _fit_name(
    name: str, font: str, largest: float, width: float, box_height: float
) -> tuple[float, float, list[str]]:
    """The font size, leading and lines of a process's name in its box: smaller type
    before a cut, and a cut ("…") only where even 5 pt does not fit."""
    size = largest
    while True:
        leading = size * 1.12
        room = max(1, int((box_height - size - 6) // leading))
        lines = wrap_lines(name, font, size, width)
        if len(lines) <= room:
            return size, leading, lines
        if size <= 5.0:
            return size, leading, [*lines[: room - 1], lines[room - 1] + "…"]
        size = max(5.0, size - 0.5)


def _weights(t: float) -> tuple[float, float, float]:
    """The weights of a quadratic curve's three points at ``t``."""
    return (1 - t) ** 2, 2 * (1 - t) * t, t * t


def context_chapter(
    data: Data, brand: sources.Branding, drawing: Drawing | None = None
) -> list[Section]:
    processes = data["processes"]
    diagram: list[Flowable]
    if drawing is not None:
        # a heading keeps with a drawing, not with a KeepTogether (platypus' rule)
        diagram = [drawing, caption("The ISMS processes and their interactions")]
    elif processes:
        diagram = []
    else:
        diagram = [none_recorded("ISMS processes")]
    scope_text = (
        paras(brand.scope_statement)
        if brand.scope_statement.strip()
        else [note("No scope statement recorded.")]
    )
    return [
        chapter(
            "Context of the organisation",
            "What the organisation is, what affects its information security, who has a stake "
            "in it, and where the ISMS begins and ends (clause 4).",
        ),
        Section(
            "Internal and external issues (4.1)",
            [
                table(
                    data["context"],
                    (
                        ("code", "Issue", 7),
                        ("kind", "Kind", 8),
                        ("category", "Category", 12),
                        ("description", "Issue", 33),
                        ("effect", "Effect on the ISMS", 33),
                        ("climate_related", "Climate", 8),
                    ),
                    "issues",
                )
            ],
            level=1,
        ),
        Section(
            "Interested parties and their requirements (4.2)",
            [
                table(
                    data["parties"],
                    (
                        ("code", "Party", 7),
                        ("name", "Interested party", 22),
                        ("kind", "Kind", 8),
                        ("description", "Description", 40),
                        ("relevant", "Relevant", 8),
                    ),
                    "interested parties",
                ),
                sub("Requirements"),
                table(
                    with_names(data["requirements"], ("party",), data["parties"]),
                    (
                        ("code", "Req.", 7),
                        ("party", "Party", 16),
                        ("requirement", "Requirement", 30),
                        ("type", "Type", 10),
                        ("addressed", "Addressed", 9),
                        ("how_addressed", "How it is addressed", 28),
                    ),
                    "requirements",
                ),
            ],
            level=1,
        ),
        Section(
            "Scope of the ISMS (4.3)",
            [
                *scope_text,
                sub("Boundaries, interfaces and exclusions"),
                table(
                    data["scope"],
                    (
                        ("code", "Item", 7),
                        ("kind", "Kind", 12),
                        ("name", "Name", 20),
                        ("description", "Description", 26),
                        ("counterpart", "Outside party", 14),
                        ("justification", "Justification", 22),
                    ),
                    "scope items",
                ),
            ],
            level=1,
        ),
        Section(
            "ISMS processes and their interactions (4.4)",
            [
                *diagram,
                table(
                    processes,
                    (
                        ("code", "Process", 7),
                        ("name", "Name", 20),
                        ("owner", "Owner", 12),
                        ("purpose", "Purpose", 40),
                        ("clauses", "Clauses", 10),
                    ),
                    "processes",
                ),
                sub("Interactions"),
                table(
                    with_names(data["interactions"], ("source", "target"), processes),
                    (
                        ("code", "Ref", 7),
                        ("source", "From", 24),
                        ("target", "To", 24),
                        ("flow", "What flows", 45),
                    ),
                    "interactions",
                ),
            ],
            level=1,
        ),
    ]


def with_names(
    rows: Sequence[RecordRow], fields: Sequence[str], referred: Sequence[RecordRow]
) -> list[RecordRow]:
    """``rows`` with each of ``fields`` (a reference to one of ``referred``) printed as the
    code and the name ("PR-01 Context and scope management"): a reader of the printed
    manual cannot look a bare code up the way the window lets one."""
    names = {row.code: sources.text(row, "name") for row in referred}
    found = []
    for row in rows:
        display = dict(row.display)
        for name in fields:
            code = display.get(name, "")
            if names.get(code):
                display[name] = f"{code} {names[code]}"
        found.append(dataclasses.replace(row, display=display))
    return found


def caption(text: str) -> Flowable:
    from reportlab.platypus import Paragraph

    return Paragraph(text, theme.styles().caption)


def leadership_chapter(data: Data) -> list[Section]:
    return [
        chapter(
            "Leadership",
            "How top management leads the ISMS, and who is responsible for what (clause 5).",
        ),
        Section(
            "Leadership and commitment (5.1)",
            [
                table(
                    data["commitments"],
                    (
                        ("date", "Date", 10),
                        ("person", "By", 14),
                        ("kind", "Kind", 14),
                        ("description", "Commitment", 42),
                        ("evidence", "Evidence", 20),
                    ),
                    "commitments",
                )
            ],
            level=1,
        ),
        Section(
            "Roles, responsibilities and authorities (5.3)",
            [
                table(
                    data["roles"],
                    (
                        ("name", "Role", 16),
                        ("holder", "Held by", 12),
                        ("deputy", "Deputy", 12),
                        ("responsibilities", "Responsibilities", 36),
                        ("authorities", "Authorities", 24),
                    ),
                    "roles",
                ),
                sub("People"),
                table(
                    data["people"],
                    (("code", "Ref", 7), ("name", "Name", 20), ("role", "Role", 30)),
                    "people",
                ),
            ],
            level=1,
        ),
    ]


def policy_chapter(project: Project, data: Data) -> list[Section]:
    rows = data["documents"]
    found: list[Section] = [
        chapter(
            "Policies and documented information",
            "The information security policy, the topic-specific policies and the other "
            "documents the ISMS controls (clauses 5.2 and 7.5).",
        ),
        Section(
            "Document register (7.5)",
            [
                table(
                    rows,
                    (
                        ("code", "Document", 10),
                        ("title", "Title", 34),
                        ("type", "Type", 10),
                        ("version", "Version", 7),
                        ("status", "Status", 10),
                        ("owner", "Owner", 14),
                        ("next_review", "Next review", 10),
                    ),
                    "documents",
                )
            ],
            level=1,
        ),
    ]
    for row in rows:
        if row.values.get("type") != "policy" or row.values.get("status") == "withdrawn":
            continue
        # the version in force, as Word and the policy's own PDF print it: while a new
        # version is drafted, the manual shows the approved one, not the working draft
        printed = documents.output_document(project, row.code)
        title = f"{printed.code} {printed.title}".strip()
        status = wf.STATUS_LABELS.get(printed.status, printed.status) or "Draft"
        header: list[Flowable] = [
            note(
                f"Version {printed.version or '—'}, {status.lower()}"
                + (
                    f", approved by {printed.approver} on {printed.approved_on.isoformat()}"
                    if printed.approved_on
                    else ""
                )
            ),
            *policy_report.notice(printed.status),
        ]
        parts = policy_report.text_sections(printed.body, level=2, numbered=True)
        # each policy on the page where the one before ends, not on a new page that
        # left the last lines of the one before alone on a page; a third of a page at least
        found.append(Section(title, header, level=1, room=POLICY_ROOM))
        found += parts
    return found


def planning_chapter(data: Data, today: dt.date) -> list[Section]:
    approval = data.soa_approval
    return [
        chapter(
            "Planning: risks, treatment and controls",
            "How information security risks are assessed and treated, which controls are "
            "applicable, and the objectives of the ISMS (clause 6, with 8.2 and 8.3).",
        ),
        *risks_report.sections(data.method, data["risks"], data.heat_map, level=1),
        *treatment_report.sections(data["treatment"], data["risks"], today, level=1),
        *[
            s
            for s in soa_report.sections(data["soa"], approval.version, level=1, approval=approval)
            if s.title.startswith("About")
        ],
        Section(
            "Statement of Applicability",
            [note("Every control with its applicability, reasons and implementation.")],
            level=1,
            landscape=True,
        ),
        *[
            Section(s.title, s.body, level=2, landscape=True)
            for s in soa_report.sections(
                data["soa"], approval.version, level=2, evidence=data.soa_evidence
            )
            if not s.title.startswith("About")
        ],
        Section(
            "Information security objectives (6.2)",
            [
                table(
                    data["objectives"],
                    (
                        ("code", "Objective", 8),
                        ("objective", "What", 30),
                        ("measure", "Measure", 20),
                        ("target", "Target", 12),
                        ("owner", "Owner", 12),
                        ("due_date", "Due", 9),
                        ("status", "Status", 9),
                    ),
                    "objectives",
                )
            ],
            level=1,  # below the last controls, on their landscape page
        ),
    ]


def support_chapter(data: Data) -> list[Section]:
    return [
        chapter(
            "Support: competence and awareness",
            "The competence the ISMS roles need and the training and awareness records "
            "that show it (clauses 7.2 and 7.3).",
        ),
        Section(
            "Required competence (7.2)",
            [
                table(
                    data["competences"],
                    (
                        ("code", "Ref", 8),
                        ("course", "Course", 30),
                        ("role", "For role", 16),
                        ("refresh_months", "Refresh (months)", 10),
                        ("description", "Description", 36),
                    ),
                    "competence requirements",
                )
            ],
            level=1,
        ),
        Section(
            "Training and awareness records (7.3)",
            [
                table(
                    data["training"],
                    (
                        ("code", "Ref", 8),
                        ("person", "Person", 16),
                        ("course", "Course", 30),
                        ("kind", "Kind", 10),
                        ("date", "Date", 10),
                        ("result", "Result", 10),
                        ("expires_on", "Expires", 10),
                    ),
                    "training records",
                )
            ],
            level=1,
        ),
    ]


def metrics_body(data: Data) -> list[Flowable]:
    metrics = data["metrics"]
    if not metrics:
        return [none_recorded("metrics")]
    body: list[Flowable] = [
        table(
            metrics,
            (
                ("code", "Metric", 8),
                ("name", "Name", 30),
                ("frequency", "Frequency", 10),
                ("target", "Target", 8),
                ("threshold", "Alert", 8),
                ("unit", "Unit", 8),
                ("measured_by", "Measured by", 14),
            ),
            "metrics",
        )
    ]
    for row in metrics:
        points = data.measurements.get(row.id, [])
        _direction, target, threshold = data.metric_facts.get(row.id, ("higher", None, None))
        chart = charts.trend_chart(
            points,
            BODY_WIDTH,
            target=target,
            threshold=threshold,
            unit=sources.text(row, "unit"),
        )
        latest = f"latest {points[-1][1]:g} on {points[-1][0].isoformat()}" if points else ""
        caption = f"{row.code} {sources.text(row, 'name')}" + (f" — {latest}" if latest else "")
        body += [sub(caption), chart, Spacer(1, 2)]
    return body


def evaluation_chapter(project: Project, data: Data) -> list[Section]:
    audits = data["audits"]
    reviews = [r for r in data["reviews"] if r.values.get("status") != "draft"] or data["reviews"]
    last_review = max(
        reviews,
        key=lambda r: (r.values.get("date") or dt.date.min, r.id),
        default=None,
    )
    audit_sections: list[Section] = [
        Section(
            "Internal audit (9.2)",
            [
                *audit_report.programme_body(audits),
                sub("Findings of all audits"),
                table(
                    data["findings"],
                    (
                        ("code", "Finding", 8),
                        ("audit", "Audit", 8),
                        ("kind", "Kind", 14),
                        ("requirement", "Requirement", 10),
                        ("description", "Finding", 50),
                    ),
                    "findings",
                ),
            ],
            level=1,
        )
    ]
    for audit in audits:
        if audit.values.get("status") == "completed":
            audit_sections.append(
                Section(f"{audit.code} {sources.text(audit, 'title')}", [], level=2)
            )
            audit_sections += [
                Section(s.title, s.body, level=3)
                for s in audit_report.audit_sections(project, audit)
            ]
    if last_review is None:
        review_sections = [
            Section("Management review (9.3)", [none_recorded("management reviews")], level=1)
        ]
    else:
        review_sections = [
            Section(
                f"Management review (9.3): {last_review.code} "
                f"{sources.text(last_review, 'date')}".strip(),
                [note("The most recent management review.")],
                level=1,
            ),
            *[
                Section(s.title, s.body, level=2)
                for s in review_report.review_sections(project, last_review)
            ],
        ]
    return [
        chapter(
            "Performance evaluation",
            "How the ISMS is monitored and measured, audited and reviewed by top management "
            "(clause 9).",
        ),
        Section("Monitoring and measurement (9.1)", metrics_body(data), level=1),
        *audit_sections,
        *review_sections,
    ]


OPEN_ACTION_COLUMNS: tuple[FieldColumn, ...] = (
    ("code", "Action", 8),
    ("source", "Source", 10),
    ("title", "What is done", 40),
    ("owner", "Owner", 14),
    ("due_date", "Due", 10),
    ("status", "Status", 10),
)


def _is_overdue(row: RecordRow, today: dt.date) -> bool:
    due = row.values.get("due_date")
    return isinstance(due, dt.date) and due < today


NONCONFORMITY_COLUMNS = (
    Column("NC", 7, bold=True),
    Column("Source", 8),
    Column("Nonconformity", 30),
    Column("Root cause", 20),
    Column("Correction", 19),
    Column("Effectiveness checked", 16),
    Column("Status", 10),
)


def effectiveness_check(row: RecordRow) -> str:
    """Who checked that a nonconformity's corrective action worked, when, and the result
    (10.2 d), in one cell: in columns of their own for the checker, the date and the
    result, the text of the nonconformity was wrapped to two or three words a line."""
    effective = row.values.get("effective")
    result = "Effective" if effective is True else "Not effective" if effective is False else ""
    who, when = sources.text(row, "verified_by"), sources.text(row, "verified_on")
    checked = " ".join(
        part for part in (f"by {who}" if who else "", f"on {when}" if when else "") if part
    )
    return "\n".join(part for part in (result, f"Checked {checked}" if checked else "") if part)


def nonconformity_table(rows: Sequence[RecordRow]) -> Flowable:
    cells = [
        [
            row.code,
            sources.text(row, "source"),
            sources.text(row, "description"),
            sources.text(row, "root_cause"),
            sources.text(row, "correction"),
            effectiveness_check(row),
            sources.text(row, "status"),
        ]
        for row in rows
    ]
    return table_or_none(NONCONFORMITY_COLUMNS, cells, empty="No nonconformities recorded.")


def improvement_chapter(data: Data) -> list[Section]:
    today = options_date(data)
    open_actions = sorted(
        (a for a in data["actions"] if a.values.get("status") in ("open", "in_progress")),
        key=lambda a: (a.values.get("due_date") or dt.date.max, a.code),
    )
    overdue = [a for a in open_actions if _is_overdue(a, today)]
    not_due = [a for a in open_actions if not _is_overdue(a, today)]
    corrective = [a for a in data["actions"] if a.values.get("nonconformity")]
    return [
        chapter(
            "Improvement",
            "Nonconformities and their corrective actions, incidents and their lessons, and "
            "the actions still open (clause 10).",
        ),
        Section(
            "Nonconformities and corrective action (10.2)",
            [
                nonconformity_table(data["nonconformities"]),
                # 10.2 d-g: the actions taken on each, by whom and when
                sub("Corrective actions"),
                table(corrective, audit_report.ACTION_COLUMNS, "corrective actions"),
            ],
            level=1,
        ),
        Section(
            "Information security incidents",
            [
                table(
                    data["incidents"],
                    (
                        ("code", "Incident", 8),
                        ("title", "Title", 28),
                        ("detected_at", "Detected", 12),
                        ("severity", "Severity", 9),
                        ("status", "Status", 9),
                        ("lessons_learned", "Lessons learned", 34),
                    ),
                    "incidents",
                )
            ],
            level=1,
        ),
        Section(
            "Open actions (10.1)",
            [
                # what is late first, said as such: an auditor asks about those
                sub(f"Overdue on {today.isoformat()} ({len(overdue)})"),
                table(overdue, OPEN_ACTION_COLUMNS, "overdue actions"),
                sub(f"Open, not yet due ({len(not_due)})"),
                table(not_due, OPEN_ACTION_COLUMNS, "open actions not yet due"),
            ],
            level=1,
        ),
    ]


def build(project: Project, options: sources.ReportOptions, tracker: Tracker) -> Report:
    brand = sources.branding(project)
    data = Data(project, tracker, options.date)
    sections = [
        *introduction(project, data, brand),
        *context_chapter(data, brand, process_drawing(project, BODY_WIDTH)),
        *leadership_chapter(data),
        *policy_chapter(project, data),
        *planning_chapter(data, options.date),
        *support_chapter(data),
        *evaluation_chapter(project, data),
        *improvement_chapter(data),
    ]
    tracker.loaded(1.0)
    info = DocumentInfo(
        title="ISMS Manual",
        subtitle="Information security management system — ISO/IEC 27001:2022",
        subject=f"The information security management system of {brand.organisation}",
        organisation=brand.organisation,
        classification=options.classification,
        version="",  # the register as it is on the date; no version of its own
        date=options.date,
        logo=brand.logo,
        keywords=("ISO/IEC 27001", "ISMS", "manual"),
    )
    return Report(info, sections, numbered=True)
