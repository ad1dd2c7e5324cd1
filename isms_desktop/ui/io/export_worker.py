"""Writes the Excel workbook on a worker thread, on its own read-only connection.

The GUI's connection belongs to the GUI thread, so the worker opens the project file again
read-only (allowed while the GUI holds the write lock). Progress and the outcome come back
as queued signals; Cancel sets a flag the export polls between chunks of rows, and the
export then leaves no file behind.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QThread, Signal

from isms_desktop.domain.errors import IsmsError
from isms_desktop.reports.progress import CancelledError
from isms_desktop.reports.xlsx_export import export_workbook
from isms_desktop.storage.encryption import FileKey
from isms_desktop.storage.project_file import open_project

log = logging.getLogger(__name__)


class ExportWorker(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(str, int)  # path, rows written
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        project_path: Path | str,  # a file, or a server URL (team mode)
        out: Path,
        register_names: Sequence[str] | None,
        key: FileKey | None = None,
    ) -> None:
        super().__init__()
        self.project_path = project_path
        self.out = out
        self.register_names = list(register_names) if register_names is not None else None
        self.key = key
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        try:
            project = open_project(self.project_path, read_only=True, key=self.key)
            try:
                result = export_workbook(
                    project,
                    self.out,
                    self.register_names,
                    progress=self.progressed.emit,
                    cancelled=self._stop.is_set,
                )
            finally:
                project.close()
        except CancelledError:
            self.cancelled.emit()
        except IsmsError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"{self.out} could not be written ({exc.strerror or exc})")
        except Exception as exc:  # a bug: logged in full, shown as one line
            log.exception("the Excel export failed")
            self.failed.emit(f"the workbook could not be written ({type(exc).__name__}: {exc})")
        else:
            self.succeeded.emit(str(result.path), sum(result.rows.values()))
