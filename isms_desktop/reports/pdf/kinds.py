"""The report kinds of CONTRACT.md, parsed from their names and built from a project.

``soa``, ``risks``, ``treatment-plan`` and ``manual`` cover the whole project; ``policy:CODE``,
``audit:CODE`` and ``management-review:CODE`` print one record, named by its code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from isms_desktop.domain.errors import BadArgumentsError
from isms_desktop.reports.pdf import (
    audit_report,
    manual_report,
    policy_report,
    review_report,
    risks_report,
    soa_report,
    treatment_report,
)
from isms_desktop.reports.pdf.engine import RenderResult, Report, Tracker, render
from isms_desktop.reports.pdf.sources import ReportOptions
from isms_desktop.reports.progress import Cancelled, Progress
from isms_desktop.storage.project_file import Project

WHOLE = ("soa", "risks", "treatment-plan", "manual")
PER_RECORD = ("policy", "audit", "management-review")
KIND_NAMES = (*WHOLE[:3], *(f"{k}:CODE" for k in PER_RECORD), WHOLE[3])

TITLES = {
    "soa": "Statement of Applicability",
    "risks": "Risk assessment",
    "treatment-plan": "Risk treatment plan",
    "manual": "ISMS manual",
    "policy": "Policy or document",
    "audit": "Internal audit report",
    "management-review": "Management review",
}


@dataclass(frozen=True)
class ReportKind:
    name: str  # one of WHOLE or PER_RECORD
    code: str = ""  # the record of a per-record kind

    def __str__(self) -> str:
        return f"{self.name}:{self.code}" if self.code else self.name

    @property
    def title(self) -> str:
        return TITLES[self.name]


def parse_kind(text: str) -> ReportKind:
    """``soa`` or ``policy:POL-ISP``; a clear refusal listing the kinds otherwise."""
    name, _, code = text.strip().partition(":")
    name = name.strip().lower()
    code = code.strip()
    if name in WHOLE and not code:
        return ReportKind(name)
    if name == "soa" and code.isdigit():
        return ReportKind(name, code)  # an approved version, e.g. soa:2
    if name in PER_RECORD:
        if not code:
            raise BadArgumentsError(
                f"the report kind {name!r} needs the code of the record: {name}:CODE"
            )
        return ReportKind(name, code)
    raise BadArgumentsError(f"unknown report kind {text!r}; use one of {', '.join(KIND_NAMES)}")


def build_report(
    project: Project, kind: ReportKind, options: ReportOptions, tracker: Tracker
) -> Report:
    if kind.name == "soa":
        version = int(kind.code) if kind.code else None
        return soa_report.build(project, options, tracker, version=version)
    if kind.name == "risks":
        return risks_report.build(project, options, tracker)
    if kind.name == "treatment-plan":
        return treatment_report.build(project, options, tracker)
    if kind.name == "manual":
        return manual_report.build(project, options, tracker)
    if kind.name == "policy":
        return policy_report.build(project, options, tracker, kind.code)
    if kind.name == "audit":
        return audit_report.build(project, options, tracker, kind.code)
    return review_report.build(project, options, tracker, kind.code)


def make_report(
    project: Project,
    kind: ReportKind | str,
    out: Path,
    *,
    options: ReportOptions | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> RenderResult:
    """Build and write one report (atomically); raises CancelledError if cancelled."""
    parsed = parse_kind(kind) if isinstance(kind, str) else kind
    tracker = Tracker(progress, cancelled)
    tracker.loaded(0.0)
    report = build_report(project, parsed, options or ReportOptions(), tracker)
    return render(report, Path(out), tracker=tracker)


def default_filename(kind: ReportKind, organisation: str) -> str:
    """A file name such as ``Brightwave Analytics Ltd - Risk assessment.pdf``."""
    what = f"{kind.title} {kind.code}".strip()
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', " ", f"{organisation} - {what}").strip(" .")
    return f"{re.sub(r' +', ' ', name)}.pdf"
