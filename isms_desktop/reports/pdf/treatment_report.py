"""The risk treatment plan as a PDF (6.1.3, 8.3): what is done about each risk, by whom, by when.

The plan is the list of treatment actions with their risks, controls, owners, due dates and
progress, preceded by a summary, with overdue actions marked; then each risk's chosen
treatment option, the residual level it is expected to reach and who accepted it when. The
summary says how many risk owners accepted the residual risk (6.1.3 f) as the risks record
it, and which risks still await acceptance: it claims no approval the project does not hold.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from reportlab.platypus import Flowable

from isms_desktop.reports.pdf import sources, theme
from isms_desktop.reports.pdf.blocks import none_recorded, para
from isms_desktop.reports.pdf.engine import DocumentInfo, Report, Section, Tracker
from isms_desktop.reports.pdf.tables import CellStyle, Column, RegisterTable, key_values
from isms_desktop.services.registers import RecordRow
from isms_desktop.storage.project_file import Project

OPEN = ("open", "in_progress")

ACTION_COLUMNS = (
    Column("Action", 7, bold=True),
    Column("What is done", 34),
    Column("Risks", 10),
    Column("Controls", 10),
    Column("Owner", 12),
    Column("Due", 9),
    Column("Status", 9),
    Column("Progress", 7, align="RIGHT"),
    Column("Completed", 9),
)
COL_DUE = 5


def overdue(row: RecordRow, today: dt.date) -> bool:
    due = row.values.get("due_date")
    return row.values.get("status") in OPEN and isinstance(due, dt.date) and due < today


def accepted(risk: RecordRow) -> bool:
    """The risk's owner accepted its residual risk: who and when are both recorded."""
    return bool(risk.values.get("accepted_by")) and bool(risk.values.get("accepted_on"))


def acceptance_text(risks: Sequence[RecordRow]) -> str:
    """What the risks record of the acceptance of residual risk (6.1.3 f), and no more."""
    current = [r for r in risks if r.values.get("status") != "closed"]
    closed = len(risks) - len(current)
    if not current:
        return "No current risks are recorded, so no residual risk awaits acceptance."
    done = [r for r in current if accepted(r)]
    waiting = [r for r in current if not accepted(r)]
    of = f"{len(current)} current risk{'' if len(current) == 1 else 's'}"
    text = (
        f"Acceptance of the residual risks by the risk owners (clause 6.1.3 f), as recorded "
        f"per risk: the owners of {len(done)} of the {of} accepted the residual risk"
    )
    if not waiting:
        text += "; none awaits acceptance."
    else:
        by_owner: dict[str, list[str]] = {}
        for r in waiting:
            by_owner.setdefault(sources.text(r, "owner") or "no risk owner", []).append(r.code)
        owners = "; ".join(f"{owner}: {', '.join(codes)}" for owner, codes in by_owner.items())
        text += (
            f"; {len(waiting)} {'awaits' if len(waiting) == 1 else 'await'} acceptance ({owners})."
        )
    if closed:
        text += f" {closed} closed risk{' is' if closed == 1 else 's are'} not counted."
    return text + " Approval of the plan itself by the risk owners is not recorded here."


def summary_body(
    actions: Sequence[RecordRow], today: dt.date, risks: Sequence[RecordRow] = ()
) -> list[Flowable]:
    body: list[Flowable] = [
        para(
            "The risk treatment plan sets out the actions that put the selected controls in "
            "place for the risks that are not accepted as they are (clause 6.1.3 e)."
        ),
        para(acceptance_text(risks)),
    ]
    if not actions:
        body.append(none_recorded("treatment actions"))
        return body
    statuses = Counter(sources.text(a, "status") for a in actions)
    late = sum(1 for a in actions if overdue(a, today))
    pairs = [("Actions", str(len(actions)))]
    pairs += [(status or "No status", str(n)) for status, n in sorted(statuses.items())]
    pairs.append(("Overdue", str(late)))
    body.append(key_values(pairs, label_width=0.3))
    return body


def actions_body(actions: Sequence[RecordRow], today: dt.date) -> list[Flowable]:
    if not actions:
        return [none_recorded("treatment actions")]
    cells = []
    styles: dict[int, list[CellStyle]] = {}
    for index, row in enumerate(actions):
        progress = sources.text(row, "progress")
        description = sources.text(row, "description")
        title = sources.text(row, "title")
        cells.append(
            [
                row.code,
                f"{title}\n{description}" if description else title,
                sources.text(row, "risks"),
                sources.text(row, "controls"),
                sources.text(row, "owner"),
                sources.text(row, "due_date"),
                sources.text(row, "status"),
                f"{progress} %" if progress else "",
                sources.text(row, "completed_on"),
            ]
        )
        if overdue(row, today):
            styles[index] = [
                CellStyle(COL_DUE, background=theme.WARNING_FILL, text=theme.WARNING_INK, bold=True)
            ]
    return [
        para("Overdue actions are marked in red."),
        RegisterTable(ACTION_COLUMNS, cells, row_styles=styles, font_size=7.5),
    ]


def risks_body(risks: Sequence[RecordRow]) -> list[Flowable]:
    if not risks:
        return [none_recorded("risks")]
    return [
        RegisterTable(
            (
                Column("Risk", 7, bold=True),
                Column("Title", 28),
                Column("Inherent", 9),
                Column("Treatment", 13),
                Column("Controls", 14),
                Column("Residual", 9),
                Column("Owner", 13),
                Column("Accepted", 14),
            ),
            [
                [
                    r.code,
                    sources.text(r, "title"),
                    sources.text(r, "inherent_level"),
                    sources.text(r, "treatment"),
                    sources.text(r, "controls"),
                    sources.text(r, "residual_level"),
                    sources.text(r, "owner"),
                    (
                        f"{sources.text(r, 'accepted_by')}\n{sources.text(r, 'accepted_on')}"
                        if accepted(r)
                        else "Awaiting"
                    ),
                ]
                for r in risks
            ],
            font_size=7.5,
        )
    ]


def sections(
    actions: Sequence[RecordRow], risks: Sequence[RecordRow], today: dt.date, *, level: int = 0
) -> list[Section]:
    return [
        Section(
            "About the treatment plan",
            summary_body(actions, today, risks),
            level=level,
            landscape=True,  # the actions follow on the same page, not a page further
        ),
        Section("Treatment actions", actions_body(actions, today), level=level, landscape=True),
        Section("Treatment of each risk", risks_body(risks), level=level, landscape=True),
    ]


def build(project: Project, options: sources.ReportOptions, tracker: Tracker) -> Report:
    brand = sources.branding(project)
    actions = sources.rows(project, "treatment")
    tracker.loaded(0.5)
    risks = sources.rows(project, "risks")
    tracker.loaded(1.0)
    info = DocumentInfo(
        title="Risk Treatment Plan",
        subtitle="ISO/IEC 27001:2022 — clauses 6.1.3 and 8.3",
        subject=f"Information security risk treatment plan of {brand.organisation}",
        organisation=brand.organisation,
        classification=options.classification,
        version="",  # the register as it is on the date; no version of its own
        date=options.date,
        logo=brand.logo,
        details=(("Actions", str(len(actions))),),
        keywords=("ISO/IEC 27001", "risk treatment plan"),
    )
    return Report(info, sections(actions, risks, options.date))
