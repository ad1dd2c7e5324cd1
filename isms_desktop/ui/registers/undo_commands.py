"""Undo commands for register changes: each step is one call of ``services.registers``.

A change is made first (so a refused value never reaches the stack) and then pushed; the
first ``redo`` that ``QUndoStack.push`` calls is therefore skipped. ``after`` tells the view
what changed so it can refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from isms_desktop.domain.errors import IsmsError
from isms_desktop.domain.register_specs import spec as register_spec
from isms_desktop.services import registers
from isms_desktop.storage.project_file import Project

# Called after every do/undo/redo with (register, codes touched); and with a message when a
# later undo or redo is refused (e.g. the record was changed elsewhere meanwhile).
AfterChange = Callable[[str, Sequence[str]], None]
OnError = Callable[[str], None]


def undo_stack_of(widget: QWidget) -> QUndoStack | None:
    """The main window's undo stack, from a widget in it or a dialog it opened (None for a
    widget used on its own)."""
    found: QWidget | None = widget
    while found is not None:
        stack = getattr(found, "undo_stack", None)
        if isinstance(stack, QUndoStack):
            return stack
        found = found.parentWidget()
    return None


class RegisterCommand(QUndoCommand):
    """Base: skips the first redo (the change is already made) and reports failures."""

    def __init__(
        self,
        text: str,
        project: Project,
        register: str,
        after: AfterChange,
        on_error: OnError,
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.project = project
        self.register = register
        self._after = after
        self._on_error = on_error
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._run(self.do_redo)

    def undo(self) -> None:
        self._run(self.do_undo)

    def _run(self, step: Callable[[], list[str]]) -> None:
        try:
            codes = step()
        except IsmsError as exc:
            self._on_error(str(exc))
            self.setObsolete(True)
            return
        self._after(self.register, codes)

    def do_redo(self) -> list[str]:
        raise NotImplementedError

    def do_undo(self) -> list[str]:
        raise NotImplementedError


class UpdateCommand(RegisterCommand):
    """One field of one record: redo sets ``new``, undo sets ``old`` back."""

    def __init__(
        self, change: registers.Change, project: Project, after: AfterChange, on_error: OnError
    ) -> None:
        super().__init__(
            _tr("Edit {0} of {1}").format(_header(change.register, change.field), change.code),
            project,
            change.register,
            after,
            on_error,
        )
        self.field = str(change.field)
        self.code = change.code  # the record's code after the change
        self.old = change.old
        self.new = change.new

    def do_redo(self) -> list[str]:
        code = self.old if self.field == "code" else self.code
        change = registers.update(self.project, self.register, str(code), self.field, self.new)
        return [change.code]

    def do_undo(self) -> list[str]:
        change = registers.update(self.project, self.register, self.code, self.field, self.old)
        return [change.code]


class ManyCommand(RegisterCommand):
    """One field on several records (multi-select edit): undo restores each old value."""

    def __init__(
        self,
        changes: Sequence[registers.Change],
        project: Project,
        after: AfterChange,
        on_error: OnError,
    ) -> None:
        first = changes[0]
        super().__init__(
            _tr("Set {0} of {1} records").format(
                _header(first.register, first.field), f"{len(changes):,}"
            ),
            project,
            first.register,
            after,
            on_error,
        )
        self.field = str(first.field)
        self.changes = list(changes)

    def do_redo(self) -> list[str]:
        codes = [c.code for c in self.changes]
        registers.update_many(self.project, self.register, codes, self.field, self.changes[0].new)
        return codes

    def do_undo(self) -> list[str]:
        # each record's old value back, in one transaction (all or none)
        olds = {change.code: change.old for change in self.changes}
        registers.update_each(self.project, self.register, self.field, olds)
        return list(olds)


class CreateCommand(RegisterCommand):
    """A new record: undo deletes it, redo re-creates it from its snapshot."""

    def __init__(
        self, change: registers.Change, project: Project, after: AfterChange, on_error: OnError
    ) -> None:
        super().__init__(
            _tr("Add {0}").format(change.code),
            project,
            change.register,
            after,
            on_error,
        )
        self.code = change.code
        self.snapshot: Mapping[str, Any] = change.snapshot

    def do_redo(self) -> list[str]:
        registers.restore(self.project, self.register, self.snapshot)
        return [self.code]

    def do_undo(self) -> list[str]:
        change = registers.delete(self.project, self.register, self.code)
        self.snapshot = change.snapshot
        return [self.code]


class DeleteCommand(RegisterCommand):
    """Records deleted together: undo restores them from their snapshots."""

    def __init__(
        self,
        changes: Sequence[registers.Change],
        project: Project,
        after: AfterChange,
        on_error: OnError,
    ) -> None:
        codes = [c.code for c in changes]
        text = (
            _tr("Delete {0}").format(codes[0])
            if len(codes) == 1
            else _tr("Delete {0} records").format(f"{len(codes):,}")
        )
        super().__init__(text, project, changes[0].register, after, on_error)
        self.snapshots = [c.snapshot for c in changes]

    def do_redo(self) -> list[str]:
        codes = [str(s["code"]) for s in self.snapshots]
        done, _ = registers.delete_many(self.project, self.register, codes, partial=False)
        self.snapshots = [c.snapshot for c in done]
        return codes

    def do_undo(self) -> list[str]:
        registers.restore_many(self.project, self.register, self.snapshots)
        return [str(s["code"]) for s in self.snapshots]


class EditRecordCommand(RegisterCommand):
    """Several fields of one record saved together from the record editor."""

    def __init__(
        self,
        changes: Sequence[registers.Change],
        project: Project,
        after: AfterChange,
        on_error: OnError,
    ) -> None:
        super().__init__(
            _tr("Edit {0}").format(changes[-1].code),
            project,
            changes[0].register,
            after,
            on_error,
        )
        self.steps = [
            UpdateCommand(change, project, after=lambda *_a: None, on_error=on_error)
            for change in changes
        ]

    def do_redo(self) -> list[str]:
        return [code for step in self.steps for code in step.do_redo()]

    def do_undo(self) -> list[str]:
        return [code for step in reversed(self.steps) for code in step.do_undo()]


def _tr(text: str) -> str:
    return QCoreApplication.translate("RegisterCommand", text)


def _header(register: str, field: str | None) -> str:
    if field is None:
        return ""
    try:
        return register_spec(register).field(field).header
    except KeyError:
        return field
