"""Builds one PDF report on a worker thread, on its own read-only connection to the project.

The GUI's connection belongs to the GUI thread, so the worker opens the project file again
read-only (allowed while the GUI holds the write lock); progress and the result come back
as queued signals, and Cancel sets a flag the report polls.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QThread, Signal

from isms_desktop.domain.errors import IsmsError
from isms_desktop.reports.pdf.kinds import ReportKind, make_report
from isms_desktop.reports.pdf.sources import ReportOptions
from isms_desktop.reports.progress import CancelledError
from isms_desktop.storage.encryption import FileKey
from isms_desktop.storage.project_file import open_project

log = logging.getLogger(__name__)


class ReportWorker(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(str, int)  # path, pages
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        project_path: Path | str,  # a file, or a server URL (team mode)
        kind: ReportKind,
        out: Path,
        options: ReportOptions,
        key: FileKey | None = None,
    ) -> None:
        super().__init__()
        self.project_path = project_path
        self.key = key
        self.kind = kind
        self.out = out
        self.options = options
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        try:
            project = open_project(self.project_path, read_only=True, key=self.key)
            try:
                result = make_report(
                    project,
                    self.kind,
                    self.out,
                    options=self.options,
                    progress=self.progressed.emit,
                    cancelled=self._stop.is_set,
                )
            finally:
                project.close()
        except CancelledError:
            self.cancelled.emit()
        except IsmsError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: logged in full, shown as one line
            log.exception("the report %s could not be made", self.kind)
            self.failed.emit(f"the report could not be made ({type(exc).__name__}: {exc})")
        else:
            self.succeeded.emit(str(result.path), result.pages)
