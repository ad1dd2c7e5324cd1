"""``isms-desktop report PROJECT KIND --pdf OUT.pdf`` (and ``policy:CODE --docx OUT.docx``)."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
from pathlib import Path

from isms_desktop.domain.errors import BadArgumentsError, NotAvailableError

NAME = "report"
HELP = "write a PDF report (soa, risks, treatment-plan, policy:CODE, audit:CODE, …, manual)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", metavar="PROJECT.isms")
    parser.add_argument(
        "kind",
        metavar="KIND",
        help="soa, risks, treatment-plan, policy:CODE, audit:CODE, "
        "management-review:CODE or manual",
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--pdf", metavar="OUT.pdf", help="write the report as PDF")
    target.add_argument("--docx", metavar="OUT.docx", help="write a policy as Word (policy:CODE)")
    parser.add_argument(
        "--classification", default="Internal", help="printed on every page (default Internal)"
    )
    parser.add_argument("--date", help="the report's date, YYYY-MM-DD (default today)")


def _date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadArgumentsError(f"--date {text!r} is not a date like 2026-03-31") from None


def run(args: argparse.Namespace) -> int:
    from isms_desktop.reports.pdf.kinds import make_report, parse_kind
    from isms_desktop.reports.pdf.sources import ReportOptions
    from isms_desktop.services.projects import open_project

    kind = parse_kind(args.kind)
    options = ReportOptions(classification=args.classification, date=_date(args.date))
    from isms_desktop.storage.server import location_argument

    project_path = location_argument(args.project)
    if isinstance(project_path, Path) and not project_path.is_file():
        raise BadArgumentsError(f"{project_path} does not exist")
    if args.docx:
        if kind.name != "policy":
            raise BadArgumentsError("--docx writes policies only: use KIND policy:CODE")
        return _docx(project_path, kind.code, Path(args.docx))
    out = Path(args.pdf)
    with open_project(project_path, read_only=True) as project:
        result = make_report(project, kind, out, options=options)
    print(f"wrote {result.path} ({result.pages} pages)")
    return 0


def _docx(project_path: Path | str, code: str, out: Path) -> int:
    from isms_desktop.services.projects import open_project

    try:
        module = importlib.import_module("isms_desktop.reports.docx_export")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("isms_desktop"):
            raise NotAvailableError("Word export (--docx) is not yet available") from None
        raise
    writer = getattr(module, "write_document_docx", None)
    if writer is None:
        raise NotAvailableError("Word export (--docx) is not yet available")
    with open_project(project_path, read_only=True) as project:
        writer(project, code, out)
    print(f"wrote {out}")
    return 0
