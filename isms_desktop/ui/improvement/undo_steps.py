"""Undo and redo of the improvement panels' steps (correction, cause, plan, verify, close, …).

A step is made first, by its service call; the panel then pushes the command that
``step_command`` makes. A step that changed the record holds its state before and after:
undo puts the "before" state back, redo the "after" one, each in one transaction and only
while the record is still as the step left it (a later change elsewhere is never thrown
away). A step that made a record (a corrective action, a nonconformity raised from an
incident) is undone by deleting it, as an added register record is.

Completing an audit is undone by ``audits.reopen`` (its sign-off put back, the findings it
raised deleted) and redone by ``audits.complete_again`` (the same findings, same codes);
each refuses when the audit, its findings or its checklist changed since.

Raising nonconformities from findings is undone by ``nonconformities.withdraw_raised`` (they
are deleted, unless something was recorded on one since) and redone by
``nonconformities.raise_again`` (the same codes and values).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtGui import QUndoCommand

from isms_desktop.services import audits, nonconformities, registers
from isms_desktop.storage.project_file import Project
from isms_desktop.ui.registers.undo_commands import CreateCommand, RegisterCommand

State = TypeVar("State")


class StepCommand(RegisterCommand, Generic[State]):
    """One workflow step of one record: undo restores ``before``, redo ``after``."""

    def __init__(
        self,
        text: str,
        project: Project,
        register: str,
        code: str,
        states: tuple[State, State],
        restore: Callable[[State, State], None],
        after: Callable[[], None],
        on_error: Callable[[str], None],
    ) -> None:
        super().__init__(text, project, register, lambda *_a: after(), on_error)
        self.code = code
        self.before, self.after = states
        self._restore = restore  # (wanted, expected now)

    def do_redo(self) -> list[str]:
        self._restore(self.after, self.before)
        return [self.code]

    def do_undo(self) -> list[str]:
        self._restore(self.before, self.after)
        return [self.code]


class CompleteAuditCommand(RegisterCommand):
    """Completing an audit: undo reopens it as it was, redo completes it again."""

    def __init__(
        self,
        text: str,
        project: Project,
        states: tuple[audits.AuditState, audits.AuditState],
        after: Callable[[], None],
        on_error: Callable[[str], None],
    ) -> None:
        super().__init__(text, project, "audits", lambda *_a: after(), on_error)
        self.before, self.after = states
        self.code = self.after.code
        self._now = self.after  # as the last step left it (its row version moves on)

    def do_undo(self) -> list[str]:
        self._now = audits.reopen(self.project, self.before, expected=self._now)
        return [self.code]

    def do_redo(self) -> list[str]:
        self._now = audits.complete_again(self.project, self.after, expected=self._now)
        return [self.code]


class RaiseNcCommand(RegisterCommand):
    """Raising nonconformities from findings (one click): undo deletes them, while nothing
    was recorded on them; redo raises them again with the same codes and values."""

    def __init__(
        self,
        text: str,
        project: Project,
        raised: Sequence[nonconformities.RaisedNc],
        after: Callable[[], None],
        on_error: Callable[[str], None],
    ) -> None:
        super().__init__(text, project, "nonconformities", lambda *_a: after(), on_error)
        self.raised = list(raised)  # as the last step left them (their row versions move on)
        self.codes = [r.code for r in self.raised]

    def do_undo(self) -> list[str]:
        nonconformities.withdraw_raised(self.project, self.raised)
        return list(self.codes)

    def do_redo(self) -> list[str]:
        self.raised = nonconformities.raise_again(self.project, self.raised)
        return list(self.codes)


def step_command(
    text: str,
    project: Project,
    register: str,
    code: str,
    made: object,
    states: tuple[State, State],
    restore: Callable[[State, State], None],
    after: Callable[[], None],
    on_error: Callable[[str], None],
) -> QUndoCommand | None:
    """The command of a step already made (None when it changed nothing).

    ``made`` is what the step returned: the code of a record it created in ``register``
    (undone by deleting it), or anything else for a step on the record ``code``.
    """
    if isinstance(made, str):
        change = registers.Change(register, made, "created")
        command = CreateCommand(change, project, lambda *_a: after(), on_error)
        command.setText(text)
        return command
    if states[0] == states[1]:
        return None
    return StepCommand(text, project, register, code, states, restore, after, on_error)
