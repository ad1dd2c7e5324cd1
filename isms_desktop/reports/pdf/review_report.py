"""One management review as a PDF (9.3): inputs, minutes, decisions and actions.

The minutes of the review meeting as top management signs them: who attended, the inputs
clause 9.3.2 requires (as compiled from the project when the review was prepared), what
was discussed, what was decided and the actions that followed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from isms_desktop.domain import review_inputs
from isms_desktop.domain.metrics_rules import STATUS_LABELS as METRIC_STATUS_LABELS
from isms_desktop.domain.register_specs import spec as register_spec
from isms_desktop.reports.pdf import charts, sources, theme
from isms_desktop.reports.pdf.blocks import facts, none_recorded, para, paras, records_table, sub
from isms_desktop.reports.pdf.engine import DocumentInfo, Report, Section, Tracker
from isms_desktop.reports.pdf.tables import Column, RegisterTable, key_values
from isms_desktop.services import reviews
from isms_desktop.services.registers import RecordRow
from isms_desktop.storage.project_file import Project

MEETING_FIELDS = (
    ("code", "Review"),
    ("title", "Title"),
    ("date", "Date"),
    ("period_start", "Period from"),
    ("period_end", "Period to"),
    ("chair", "Chaired by"),
    ("attendees", "Attendees"),
    ("status", "Status"),
)


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "\n".join(_text(v) for v in value)
    return "" if value is None else str(value)


# the register field whose choices an input item's "status" is, by the item's kind
STATUS_FIELDS = {
    "action": ("actions", "status"),
    "corrective_action": ("actions", "status"),
    "treatment_done": ("treatment", "status"),
    "treatment_overdue": ("treatment", "status"),
    "nonconformity": ("nonconformities", "status"),
    "complaint": ("nonconformities", "status"),
    "audit": ("audits", "status"),
    "finding": ("findings", "kind"),
    "objective": ("objectives", "status"),
    "risk_accepted": ("risks", "status"),
    "incident": ("incidents", "status"),
}


def status_label(item: dict[str, Any]) -> str:
    """An input item's status as the registers show it ("Minor nonconformity", "Below
    target"), not as it is stored ("minor_nc", "warning")."""
    value = str(item.get("status") or item.get("change") or "")
    labels: dict[str, str] = {}
    kind = str(item.get("kind") or "")
    if kind == "metric":
        labels = {str(k): v for k, v in METRIC_STATUS_LABELS.items()}
    elif kind in STATUS_FIELDS:
        register, name = STATUS_FIELDS[kind]
        with contextlib.suppress(KeyError):
            labels = register_spec(register).field(name).choice_labels
    return labels.get(value) or value.replace("_", " ").capitalize()


def _section_titles() -> dict[str, str]:
    """The headings of the 9.3.2 inputs."""
    return {s.key: f"{s.clause} {s.title}" for s in review_inputs.SECTIONS}


def _replaced(replaced: Any) -> str:
    """What follows "inputs compiled on …" when they were compiled again, replacing an
    earlier compilation: " (compiled again; first compiled on 2026-09-20)"."""
    days = [
        str(r.get("compiled_on"))
        for r in replaced or ()
        if isinstance(r, dict) and r.get("compiled_on")
    ]
    if not days:
        return ""
    return f" (compiled again; first compiled on {days[0]})"


def compiled_phrase(inputs: dict[str, Any]) -> str:
    """How the inputs were compiled, after the period: "inputs compiled on 2026-09-20" or,
    for a review entered after its meeting, "inputs show the records as of 2026-10-01
    (read from the project on 2026-12-07)"; "" for inputs that do not say."""
    found = review_inputs.compiled(inputs)
    replaced = _replaced(inputs.get("replaced"))
    if found.read_later and not found.backdated and found.as_of and found.read_on:
        again = f"; {replaced.strip(' ()')}" if replaced else ""
        return (
            f"inputs show the records as of {found.as_of.isoformat()} "
            f"(read from the project on {found.read_on.isoformat()}{again})"
        )
    if inputs.get("compiled_on"):
        return f"inputs compiled on {inputs['compiled_on']}{replaced}"
    return ""


def metric_charts(project: Project, inputs: dict[str, Any]) -> list[Flowable]:
    """The trend of each metric 9.3.2 d 2 reports, two charts a row: the measurements
    of the period the input counts (its first to its latest), with the target and
    threshold as they stood on the day the inputs show (``reviews.metric_trends``)."""
    found = reviews.metric_trends(project, inputs)
    width = theme.PORTRAIT[0] - 2 * theme.MARGIN_X
    cell = (width - 4 * mm) / 2
    caption = theme.styles().caption
    cells: list[list[Flowable]] = []
    for series in found.series:
        chart = charts.trend_chart(
            [(p.date, p.value) for p in series.points],
            cell,
            target=series.target,
            threshold=series.threshold,
            unit=series.unit,
            height=34 * mm,
        )
        title = Paragraph(escape(f"{series.code} {series.name}"), caption)
        cells.append([title, chart])
    if not cells:
        return []
    rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    if len(rows[-1]) == 1:
        rows[-1].append([])
    # one table a row of charts, so the rows fill the page the section starts on (the
    # whole grid kept together left half a page empty); the note stays with the first
    grids = []
    for row in rows:
        grid = Table([row], colWidths=[cell + 2 * mm] * 2, hAlign="LEFT")
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
                ]
            )
        )
        grids.append(grid)
    note = Paragraph(escape(found.note), theme.styles().note)
    return [Spacer(1, 2 * mm), KeepTogether([note, grids[0]]), *grids[1:]]


def inputs_body(inputs: dict[str, Any], project: Project | None = None) -> list[Flowable]:
    """The compiled inputs: per item of 9.3.2 its summary text and the records behind it."""
    sections = inputs.get("sections")
    if not isinstance(sections, dict):
        pairs = [(str(k).replace("_", " ").capitalize(), _text(v)) for k, v in inputs.items()]
        pairs = [(k, v) for k, v in pairs if v.strip() and len(v) < 2000]
        return [key_values(pairs, label_width=0.3)] if pairs else [none_recorded("review inputs")]
    titles = _section_titles()
    body: list[Flowable] = []
    period = inputs.get("period")
    if isinstance(period, dict) and (period.get("start") or period.get("end")):
        phrase = compiled_phrase(inputs)
        body.append(
            para(
                f"Period reviewed: {period.get('start') or '…'} – {period.get('end') or '…'}"
                + (f"; {phrase}." if phrase else ".")
            )
        )
        note = str(inputs.get("as_of_note") or "")
        if note:  # how the records were read: a note beside the period, not an input
            body.append(Paragraph(escape(note), theme.styles().note))
    for key, section in sections.items():
        if not isinstance(section, dict):
            continue
        body.append(sub(titles.get(key, f"9.3.2 {key}")))
        body += paras(str(section.get("text") or "")) or [none_recorded()]
        items = [i for i in section.get("items") or [] if isinstance(i, dict)]
        if items:
            # the day of each record (raised, due, completed, measured) as the page shows it
            dated = any(i.get("date") for i in items)
            columns = (
                Column("Ref", 8, bold=True),
                *((Column("Date", 10),) if dated else ()),
                Column("Record", 50 if dated else 60),
                Column("Status", 10),
            )
            body.append(
                RegisterTable(
                    columns,
                    [
                        [
                            str(i.get("ref") or ""),
                            *((str(i.get("date") or ""),) if dated else ()),
                            str(i.get("text") or ""),
                            status_label(i),
                        ]
                        for i in items
                    ],
                    font_size=7.5,
                )
            )
        if key == "d2" and project is not None:
            body += metric_charts(project, inputs)
    return body or [none_recorded("review inputs")]


def review_sections(project: Project, review: RecordRow, *, level: int = 0) -> list[Section]:
    actions = [a for a in sources.rows(project, "actions") if a.values.get("review") == review.code]
    return [
        Section("Meeting", [facts(review, MEETING_FIELDS)], level=level),
        Section(
            "Inputs (9.3.2)",
            inputs_body(sources.review_inputs(project, review.id), project),
            level=level,
        ),
        Section(
            "Minutes",
            paras(sources.text(review, "minutes")) or [none_recorded("minutes")],
            level=level,
        ),
        Section(
            "Decisions (9.3.3)",
            paras(sources.text(review, "decisions")) or [none_recorded("decisions")],
            level=level,
        ),
        Section(
            "Actions",
            # the inputs are the records of the meeting; the actions' status is today's
            (
                [
                    para(
                        "The actions management decided, with their status on "
                        f"{dt.date.today().isoformat()}, the day this report was made."
                    )
                ]
                if actions
                else []
            )
            + [
                records_table(
                    actions,
                    (
                        ("code", "Action", 8),
                        ("title", "What is done", 40),
                        ("owner", "Owner", 14),
                        ("due_date", "Due", 10),
                        ("status", "Status", 10),
                    ),
                    what="actions",
                )
            ],
            level=level,
        ),
    ]


def build(project: Project, options: sources.ReportOptions, tracker: Tracker, code: str) -> Report:
    brand = sources.branding(project)
    review = sources.find(project, "reviews", code, "management review")
    tracker.loaded(0.3)
    sections = review_sections(project, review)
    tracker.loaded(1.0)
    info = DocumentInfo(
        title="Management Review",
        subtitle=f"{review.code} — {sources.text(review, 'title')}",
        subject=f"Management review {review.code} of {brand.organisation}",
        organisation=brand.organisation,
        classification=options.classification,
        version=sources.text(review, "status") or "Draft",
        version_label="Status",
        date=options.date,
        logo=brand.logo,
        details=(
            ("Review", review.code),
            ("Meeting date", sources.text(review, "date") or "—"),
            (
                "Period reviewed",
                f"{sources.text(review, 'period_start') or '…'} – "
                f"{sources.text(review, 'period_end') or '…'}",
            ),
            ("Chaired by", sources.text(review, "chair") or "—"),
        ),
        keywords=("ISO/IEC 27001", "management review", review.code),
    )
    return Report(info, sections)
