"""The risk assessment as a PDF (6.1.2, 8.2): method, matrix, heat maps and the register.

The method comes first because an auditor reads the register through it: the scales, the
matrix that turns a likelihood and an impact into a level, and who may accept which level.
The heat maps show where the open risks sit before and after treatment, by the same rule and
with the same figures as the Risks tab (``services.heat_map``); the register lists
every risk with its levels in the colours of the matrix.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.risk_method import RiskMethod
from isms_desktop.reports.pdf import charts, sources, theme
from isms_desktop.reports.pdf.blocks import none_recorded, para, sub
from isms_desktop.reports.pdf.engine import DocumentInfo, Report, Section, Tracker
from isms_desktop.reports.pdf.tables import CellStyle, Column, RegisterTable, key_values
from isms_desktop.services import heat_map as heat_map_service
from isms_desktop.services import risk_method as method_service
from isms_desktop.services.heat_map import HeatMap
from isms_desktop.services.registers import RecordRow
from isms_desktop.storage.project_file import Project

BODY_WIDTH = theme.PORTRAIT[0] - 2 * theme.MARGIN_X
WIDE_WIDTH = theme.LANDSCAPE[0] - 2 * theme.MARGIN_X

REGISTER_COLUMNS = (
    Column("Risk", 7, bold=True),
    Column("Title", 22),
    Column("Assets", 9),
    Column("Threat and vulnerability", 24),
    Column("Owner", 10),
    Column("Inherent", 9, align="CENTER"),
    Column("Treatment", 10),
    Column("Controls", 10),
    Column("Residual", 9, align="CENTER"),
    Column("Status", 10),
)
COL_INHERENT, COL_RESIDUAL = 5, 8


def method_or_none(project: Project) -> RiskMethod | None:
    try:
        return method_service.current_method(project)
    except IsmsError:
        return None


def method_body(method: RiskMethod | None) -> list[Flowable]:
    """The method (6.1.2 a–b): scales, acceptance criteria and the matrix."""
    if method is None:
        return [none_recorded("risk method")]
    body: list[Flowable] = [
        para(method.description) if method.description else Spacer(1, 0),
        key_values(
            [
                ("Method", method.name),
                ("Likelihood levels", str(len(method.likelihood))),
                ("Impact levels", str(len(method.impact))),
                ("Risk levels", ", ".join(lv.label for lv in method.levels)),
                (
                    "Acceptance",
                    f"Risks up to {(_label(method, method.acceptance_level)) or '—'} may be "
                    "accepted" + (f" ({method.acceptance_by})" if method.acceptance_by else ""),
                ),
            ]
        ),
    ]
    for name, scale in (("Likelihood scale", method.likelihood), ("Impact scale", method.impact)):
        body.append(sub(name))
        body.append(
            RegisterTable(
                (Column("Value", 5, align="CENTER"), Column("Level", 12), Column("Meaning", 60)),
                [[str(s.value), s.label, s.description] for s in scale],
                font_size=8,
            )
        )
    body += [
        sub("Risk matrix"),
        charts.risk_matrix(method, BODY_WIDTH),
        para(
            "Likelihood runs up, impact across; each cell shows the level a risk with that "
            "likelihood and impact has."
        ),
    ]
    return body


def _label(method: RiskMethod, code: str | None) -> str:
    info = method.level_info(code)
    return info.label if info else ""


def heat_map_or_none(project: Project) -> HeatMap | None:
    """The heat maps the Risks tab shows, or None without a usable risk method."""
    try:
        return heat_map_service.heat_map(project)
    except IsmsError:
        return None


def heat_map_body(data: HeatMap | None) -> list[Flowable]:
    """The maps by ``services.heat_map``'s rule, the same figures as on screen."""
    if data is None:
        return [none_recorded("risk method")]
    if not data.open_risks and not data.closed:
        return [none_recorded("risks")]
    method = data.method
    body: list[Flowable] = [
        para(
            "How many risks sit in each cell of the matrix before treatment (inherent) and "
            "after the selected controls are in place (residual). Closed risks are not "
            f"counted; a risk whose residual is not yet assessed is shown at its inherent "
            f"score. {data.summary()}"
        ),
        charts.heat_maps(
            method,
            [
                ("Inherent", data.counts["inherent"]),
                ("Residual", data.counts["residual"]),
            ],
            BODY_WIDTH,
        ),
        Spacer(1, 4 * mm),
    ]
    before, after = data.by_level("inherent"), data.by_level("residual")
    counts = [[lv.label, str(before[lv.code]), str(after[lv.code])] for lv in method.levels]
    if data.unplaced["inherent"] or data.unplaced["residual"]:
        counts.append(
            [
                "Not placed (no score)",
                str(data.unplaced["inherent"]),
                str(data.unplaced["residual"]),
            ]
        )
    if method.impact:
        body.insert(
            1,
            para(
                "Impact: "
                + ", ".join(f"{s.value} {s.label}" for s in method.impact)
                + ". Likelihood: "
                + ", ".join(f"{s.value} {s.label}" for s in method.likelihood)
                + "."
            ),
        )
    body.append(
        RegisterTable(
            (
                Column("Risk level", 20),
                Column("Inherent", 10, align="RIGHT"),
                Column("Residual", 10, align="RIGHT"),
            ),
            counts,
            font_size=8,
        )
    )
    return body


def _level_cell(method: RiskMethod | None, row: RecordRow, prefix: str) -> str:
    lk, im = row.values.get(f"{prefix}_likelihood"), row.values.get(f"{prefix}_impact")
    level = sources.text(row, f"{prefix}_level")
    if lk is None or im is None:
        return "—"
    return f"{level}\n{lk} × {im}" if level else f"{lk} × {im}"


def register_body(method: RiskMethod | None, risks: Sequence[RecordRow]) -> list[Flowable]:
    if not risks:
        return [none_recorded("risks")]
    cells: list[list[str]] = []
    styles: dict[int, list[CellStyle]] = {}
    # the colours of each level, worked out once rather than per risk
    fills: dict[str | None, tuple[colors.Color, colors.Color] | None] = {}
    if method is not None:
        for level in method.levels:
            fill = theme.hex_colour(level.colour)
            fills.setdefault(level.code, (fill, theme.ink_on(fill)))
    for index, row in enumerate(risks):
        threat = sources.text(row, "threat")
        vulnerability = sources.text(row, "vulnerability")
        cells.append(
            [
                row.code,
                sources.text(row, "title"),
                sources.text(row, "assets"),
                "\n".join(x for x in (threat, vulnerability) if x),
                sources.text(row, "owner"),
                _level_cell(method, row, "inherent"),
                sources.text(row, "treatment"),
                sources.text(row, "controls"),
                _level_cell(method, row, "residual"),
                sources.text(row, "status"),
            ]
        )
        if fills:
            found = []
            for column, key in ((COL_INHERENT, "inherent_level"), (COL_RESIDUAL, "residual_level")):
                colour = fills.get(row.values.get(key))
                if colour is not None:
                    found.append(CellStyle(column, background=colour[0], text=colour[1]))
            if found:
                styles[index] = found
    return [
        para(
            "Levels are shown as level and likelihood × impact; the colours are those of "
            "the risk matrix."
        ),
        RegisterTable(REGISTER_COLUMNS, cells, row_styles=styles, font_size=7),
    ]


def _accepted(row: RecordRow) -> bool:
    return bool(row.values.get("accepted_by") or row.values.get("accepted_on"))


def above_acceptance(method: RiskMethod, risks: Sequence[RecordRow]) -> list[RecordRow]:
    """The risks not closed whose residual level (their inherent one while the residual is
    not assessed, as the heat maps count them) is above the level that may be accepted."""
    found = []
    for row in risks:
        if row.values.get("status") == "closed":
            continue
        level = row.values.get("residual_level") or row.values.get("inherent_level")
        if level and method.rank(level) > method.rank(method.acceptance_level) >= 0:
            found.append(row)
    return found


def _above_body(method: RiskMethod, risks: Sequence[RecordRow]) -> list[Flowable]:
    """Residual risk above the acceptance criteria, each with whether its owner accepted it
    (6.1.3 f): an auditor asks about exactly these risks first."""
    limit = _label(method, method.acceptance_level) or "—"
    above = above_acceptance(method, risks)
    if not above:
        return [para(f"No open risk has a residual level above {limit}.")]
    waiting = sum(1 for r in above if not _accepted(r))
    text = (
        f"{len(above)} open risk{'' if len(above) == 1 else 's'} "
        f"{'has' if len(above) == 1 else 'have'} a residual level above {limit}"
    )
    if not waiting:
        text += "; " + ("it was" if len(above) == 1 else "each was") + " accepted explicitly."
    else:
        if waiting < len(above):
            which = f"{waiting} of them {'is' if waiting == 1 else 'are'} not accepted"
        else:
            which = "it is not accepted" if waiting == 1 else "none of them is accepted"
        text += f"; {which}: treatment continues or an explicit acceptance is still to be recorded."
    rows = []
    for r in above:
        if _accepted(r):
            acceptance = " on ".join(
                x for x in (sources.text(r, "accepted_by"), sources.text(r, "accepted_on")) if x
            )
        else:
            acceptance = "Not accepted"
        level = sources.text(r, "residual_level")
        if not r.values.get("residual_level"):
            level = f"{sources.text(r, 'inherent_level')} (inherent; residual not assessed)"
        rows.append(
            [
                r.code,
                sources.text(r, "title"),
                level,
                sources.text(r, "treatment"),
                sources.text(r, "status"),
                sources.text(r, "owner"),
                acceptance,
            ]
        )
    return [
        sub(f"Residual risk above {limit}"),
        para(text),
        RegisterTable(
            (
                Column("Risk", 7, bold=True),
                Column("Title", 30),
                Column("Residual level", 12),
                Column("Treatment", 12),
                Column("Status", 12),
                Column("Risk owner", 14),
                Column("Acceptance", 20),
            ),
            rows,
            font_size=7.5,
        ),
    ]


def acceptance_body(risks: Sequence[RecordRow], method: RiskMethod | None = None) -> list[Flowable]:
    """The acceptance criteria, the residual risks above them (accepted or not), and every
    acceptance recorded."""
    body: list[Flowable] = []
    if method is not None and method.level_info(method.acceptance_level) is not None:
        limit = _label(method, method.acceptance_level)
        criteria = f"Risks up to {limit} may be accepted" + (
            f" ({method.acceptance_by})." if method.acceptance_by else "."
        )
        body.append(
            para(
                f"{criteria} A residual risk above {limit} is treated further or accepted "
                "explicitly by its risk owner, recorded with who accepted it, when and why "
                "(clause 6.1.3 f)."
            )
        )
        body += _above_body(method, risks)
        body.append(sub("Acceptances recorded"))
    accepted = [r for r in risks if _accepted(r)]
    if not accepted:
        return [*body, none_recorded("risk acceptances")]
    return [
        *body,
        RegisterTable(
            (
                Column("Risk", 7, bold=True),
                Column("Title", 30),
                Column("Residual level", 12),
                Column("Accepted by", 16),
                Column("On", 11),
                Column("Note", 30),
            ),
            [
                [
                    r.code,
                    sources.text(r, "title"),
                    sources.text(r, "residual_level"),
                    sources.text(r, "accepted_by"),
                    sources.text(r, "accepted_on"),
                    sources.text(r, "acceptance_note"),
                ]
                for r in accepted
            ],
            font_size=7.5,
        ),
    ]


def sections(
    method: RiskMethod | None,
    risks: Sequence[RecordRow],
    heat: HeatMap | None,
    *,
    level: int = 0,
) -> list[Section]:
    """The risk sections (reused by the manual)."""
    return [
        Section("Risk assessment method", method_body(method), level=level, landscape=False),
        Section(
            "Risk heat maps",
            heat_map_body(heat),
            level=level,
            landscape=False,  # below the matrix if there is room, else on the next page
        ),
        Section("Risk register", register_body(method, risks), level=level, landscape=True),
        Section(
            "Risk acceptance",
            acceptance_body(risks, method),
            level=level,
            landscape=True,  # under the register if there is room
        ),
    ]


def build(project: Project, options: sources.ReportOptions, tracker: Tracker) -> Report:
    brand = sources.branding(project)
    method = method_or_none(project)
    tracker.loaded(0.3)
    risks = sources.rows(project, "risks")
    tracker.loaded(1.0)
    info = DocumentInfo(
        title="Risk Assessment",
        subtitle="ISO/IEC 27001:2022 — clauses 6.1.2 and 8.2",
        subject=f"Information security risk assessment of {brand.organisation}",
        organisation=brand.organisation,
        classification=options.classification,
        version="",  # the register as it is on the date; no version of its own
        date=options.date,
        logo=brand.logo,
        details=(("Risks", str(len(risks))),),
        keywords=("ISO/IEC 27001", "risk assessment", "risk register"),
    )
    return Report(info, sections(method, risks, heat_map_or_none(project)))
