"""Generic register editing: a lazy table model, delegates, undo commands, the record editor
dialog, the attachments panel and the ``RegisterView`` that puts them together."""

from __future__ import annotations

from isms_desktop.ui.registers.register_view import RegisterView
from isms_desktop.ui.registers.table_model import RegisterTableModel

__all__ = ["RegisterTableModel", "RegisterView"]
