"""``isms-desktop report PROJECT KIND --pdf OUT.pdf`` (and ``policy:CODE --docx OUT.docx``)."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from isms_desktop.domain.errors import BadArgumentsError, NotAvailableError

if TYPE_CHECKING:
    from isms_desktop.reports.pdf.kinds import ReportKind

NAME = "report"
HELP = "write a PDF report (soa, risks, treatment-plan, policy:CODE, audit:CODE, …, manual)"
DESCRIPTION = (
    "Write a report of the project as PDF, or a policy as Word (--docx). An existing "
    "output file is replaced; a project file never is. The project is only read."
)
EPILOG = """\
kinds:
  soa                     Statement of Applicability (soa:N: its approved version N)
  risks                   risk assessment report
  treatment-plan          risk treatment plan
  manual                  the whole ISMS in one document
  policy:CODE             a policy or other document, e.g. policy:POL-001 (also --docx)
  audit:CODE              an internal audit report, e.g. audit:AU-001
  management-review:CODE  the minutes of a management review, e.g. management-review:MR-001

examples:
  isms-desktop report acme.isms soa --pdf "Acme SoA.pdf"
  isms-desktop report acme.isms risks --pdf risks.pdf --classification Confidential
  isms-desktop report acme.isms manual --pdf manual.pdf --date 2026-03-31
  isms-desktop report acme.isms policy:POL-001 --docx POL-001.docx
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "project", metavar="PROJECT.isms", help="the project file (or a postgresql:// URL)"
    )
    parser.add_argument(
        "kind",
        metavar="KIND",
        help="soa, risks, treatment-plan, manual, policy:CODE, audit:CODE or "
        "management-review:CODE (see below)",
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--pdf", metavar="OUT.pdf", help="write the report as PDF")
    target.add_argument("--docx", metavar="OUT.docx", help="write a policy as Word (policy:CODE)")
    parser.add_argument(
        "--classification",
        default="Internal",
        metavar="LABEL",
        help="the classification printed on every page (default: Internal)",
    )
    parser.add_argument("--date", help="the report's date, YYYY-MM-DD (default today)")


def _date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadArgumentsError(f"--date {text!r} is not a date like 2026-03-31") from None


def _kind(text: str) -> ReportKind:
    """KIND, as ``parse_kind`` reads it; a near miss (``treatment``, ``polcy:POL-001``) is
    refused with the kind it probably meant."""
    from isms_desktop.commands._common import suggestion
    from isms_desktop.reports.pdf.kinds import PER_RECORD, WHOLE, parse_kind

    try:
        return parse_kind(text)
    except BadArgumentsError as exc:
        name, _colon, code = text.strip().partition(":")
        hint = suggestion(name.strip(), [*WHOLE, *PER_RECORD])
        if not hint or name.strip().casefold() in (*WHOLE, *PER_RECORD):
            raise
        meant = hint.removeprefix("; did you mean ").removesuffix("?").strip("'")
        if meant in PER_RECORD:
            meant += f":{code.strip() or 'CODE'}"
        raise BadArgumentsError(f"{exc}; did you mean {meant!r}?") from None


def run(args: argparse.Namespace) -> int:
    from isms_desktop.commands._common import cannot_replace, note_plain_copy, output_file
    from isms_desktop.reports.pdf.kinds import make_report
    from isms_desktop.reports.pdf.sources import ReportOptions
    from isms_desktop.services.projects import open_project

    kind = _kind(args.kind)
    options = ReportOptions(classification=args.classification, date=_date(args.date))
    from isms_desktop.storage.server import location_argument

    project_path = location_argument(args.project)
    if isinstance(project_path, Path) and not project_path.is_file():
        raise BadArgumentsError(f"{project_path} does not exist")
    if args.docx:
        if kind.name != "policy":
            raise BadArgumentsError("--docx writes policies only: use KIND policy:CODE")
        docx = output_file(args.docx, option="--docx", suffix=".docx", project=project_path)
        return _docx(project_path, kind.code, docx)
    out = output_file(args.pdf, option="--pdf", suffix=".pdf", project=project_path)
    with open_project(project_path, read_only=True) as project:
        try:
            result = make_report(project, kind, out, options=options)
        except PermissionError as exc:
            raise cannot_replace(out, exc) from exc
        encrypted = project.encrypted
    pages = result.pages
    print(f"wrote {result.path} ({pages} page{'' if pages == 1 else 's'})")
    note_plain_copy(result.path, encrypted)
    return 0


def _docx(project_path: Path | str, code: str, out: Path) -> int:
    from isms_desktop.commands._common import cannot_replace, note_plain_copy
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
        try:
            writer(project, code, out)
        except PermissionError as exc:
            raise cannot_replace(out, exc) from exc
        encrypted = project.encrypted
    print(f"wrote {out}")
    note_plain_copy(out, encrypted)
    return 0
