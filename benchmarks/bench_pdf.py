"""The SoA and risk assessment PDF reports, against a bare reportlab table of the same cells
(plain strings in ``LongTable``s, no paragraphs, cover, contents or charts).

The floor's table is cut into tables of ``FLOOR_CHUNK`` rows (each repeating the header):
one table of 10,000 rows costs reportlab time quadratic in its length, as every page split
measures the rest of the table again, so a single table would be no floor at all.

The floor keeps reportlab's defaults (ASCII85 on every stream). Our reports write binary
streams and draw their table pages straight onto the canvas, so they can come out below
the floor.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import LongTable, PageBreak, SimpleDocTemplate, TableStyle

from benchmarks.harness import Env, Measurement, timed
from isms_desktop.reports.pdf.kinds import make_report
from isms_desktop.services import registers
from isms_desktop.services.registers import RecordRow
from isms_desktop.storage.project_file import open_project

Cells = list[list[str]]
FLOOR_CHUNK = 100
RISK_HEAD = [
    "Risk", "Title", "Assets", "Threat and vulnerability", "Owner", "Inherent", "Treatment",
    "Controls", "Residual", "Status",
]  # fmt: skip
ACCEPT_HEAD = ["Risk", "Title", "Residual level", "Accepted by", "On", "Note"]
SOA_HEAD = [
    "Control", "Title", "Applicable", "Reasons for inclusion", "Justification of exclusion",
    "Implementation status", "Owner", "How it is implemented",
]  # fmt: skip


def _d(row: RecordRow, name: str) -> str:
    return row.display.get(name, "")


def risk_cells(rows: Sequence[RecordRow]) -> list[Cells]:
    """The cells of the report's register and acceptance tables."""
    register = [
        [
            r.code,
            _d(r, "title"),
            _d(r, "assets"),
            f"{_d(r, 'threat')} / {_d(r, 'vulnerability')}",
            _d(r, "owner"),
            f"{_d(r, 'inherent_level')} {_d(r, 'inherent_likelihood')}×{_d(r, 'inherent_impact')}",
            _d(r, "treatment"),
            _d(r, "controls"),
            f"{_d(r, 'residual_level')} {_d(r, 'residual_likelihood')}×{_d(r, 'residual_impact')}",
            _d(r, "status"),
        ]
        for r in rows
    ]
    accepted = [
        [
            r.code,
            _d(r, "title"),
            _d(r, "residual_level"),
            _d(r, "accepted_by"),
            _d(r, "accepted_on"),
            _d(r, "acceptance_note"),
        ]
        for r in rows
        if r.values.get("accepted_by") or r.values.get("accepted_on")
    ]
    return [[RISK_HEAD, *register], [ACCEPT_HEAD, *accepted]]


def soa_cells(rows: Sequence[RecordRow]) -> list[Cells]:
    def reasons(r: RecordRow) -> str:
        names = ("reason_legal", "reason_business", "reason_best_practice")
        found = [n for n in names if r.values.get(n)]
        if r.values.get("risks"):
            found.append(f"risks {_d(r, 'risks')}")
        return ", ".join(found)

    body = [
        [
            r.code,
            _d(r, "title"),
            _d(r, "applicable"),
            reasons(r),
            _d(r, "justification"),
            _d(r, "status"),
            _d(r, "owner"),
            _d(r, "implementation"),
        ]
        for r in rows
    ]
    return [[SOA_HEAD, *body]]


def bare_tables(tables: Sequence[Cells], out: Path) -> None:
    """The floor: reportlab's LongTable of plain strings, one table after another."""
    doc = SimpleDocTemplate(str(out), pagesize=landscape(A4))
    story: list[object] = []
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), "Helvetica", 7),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    for cells in tables:
        if not cells:
            continue
        width = doc.width / len(cells[0])
        header, body = cells[0], cells[1:]
        for start in range(0, max(len(body), 1), FLOOR_CHUNK):
            chunk = [header, *body[start : start + FLOOR_CHUNK]]
            story.append(LongTable(chunk, colWidths=[width] * len(header), style=style))
        story.append(PageBreak())
    doc.build(story)


def _kb(path: Path) -> int:
    return path.stat().st_size // 1024


def run(env: Env) -> list[Measurement]:
    found = []
    with open_project(env.project, read_only=True) as project:
        for kind, register, cells_of in (
            ("soa", "soa", soa_cells),
            ("risks", "risks", risk_cells),
        ):
            rows = registers.list_rows(project, register)
            tables = cells_of(rows)
            ours_out = env.work / f"{kind}-ours.pdf"
            floor_out = env.work / f"{kind}-floor.pdf"
            ours_t, floor_t = timed(
                [
                    (None, partial(make_report, project, kind, ours_out)),
                    (None, partial(bare_tables, tables, floor_out)),
                ],
                env.repeat,
            )
            if not (ours_out.stat().st_size and floor_out.stat().st_size):
                raise AssertionError(f"the {kind} PDF is empty")
            found.append(
                Measurement(
                    f"PDF report {kind}",
                    env.size,
                    ours_t,
                    floor_t,
                    "reportlab LongTable, same cells",
                    len(rows),
                    note=f"{_kb(ours_out)} KB vs {_kb(floor_out)} KB",
                )
            )
    return found
