"""Table headers that never ask the model about every row of a selection.

A ``QHeaderView`` works out, for each section it paints, whether that column is selected
(for the style's "selected position", even with section highlighting off). Qt answers with
``QItemSelectionModel.isColumnSelected``, which asks the model for the flags of every row
of the column: one call into Python per row and visible column, on every repaint of the
header. With all 10,000 rows of a register selected (Ctrl+A) that was ~180,000 calls and
seconds of a frozen window; with 100,000 rows, a minute.

Our tables select whole rows and do not highlight header sections, so the horizontal header
needs no view of the selection: it gets a selection model of its own that nothing selects.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QTableView


def spare_header_selection(table: QTableView) -> None:
    """Give ``table``'s horizontal header an empty selection model of its own. Call it
    after ``setModel`` (which hands the table's selection model to its headers again)."""
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSelectionModel(QItemSelectionModel(table.model(), header))
