"""The risk register in the main window: opening the Risks tab, sorting, filtering by text.

Each is timed until the visible rows are painted (their records fetched). Floors: opening
the tab against a bare ``sqlite3`` query of the rows shown (count + the first page, with
owners, assets and controls joined in); sort and filter against the very SQL our code sent,
replayed with the bare driver (the ratio is what the model, services and SQLAlchemy add).

No window paints in a query's time, so each note also gives what Qt itself needs: a bare
``QTableView`` of the same size over a minimal model holding the same cell texts, repainted
after a layout change, and our time as a ratio to that repaint plus the SQL floor.
"""

from __future__ import annotations

import dataclasses
import itertools
import sqlite3
import time
from typing import Any

from benchmarks.harness import (
    Env,
    Measurement,
    captured_sql,
    qt_application,
    read_only_connection,
    replay,
    timed,
)

PAGE_SQL = """
SELECT r.code, r.title, r.threat, r.vulnerability, r.confidentiality, r.integrity,
       r.availability, p.name, r.inherent_likelihood, r.inherent_impact, r.inherent_level,
       r.treatment, r.residual_likelihood, r.residual_impact, r.residual_level, a.name,
       r.accepted_on, r.status, r.next_review,
       (SELECT group_concat(x.code, ', ') FROM risk_assets ra JOIN assets x
          ON x.id = ra.asset_id WHERE ra.risk_id = r.id),
       (SELECT group_concat(c.number, ', ') FROM risk_controls rc JOIN controls c
          ON c.id = rc.control_id WHERE rc.risk_id = r.id)
FROM risks r LEFT JOIN people p ON p.id = r.owner_id
LEFT JOIN people a ON a.id = r.accepted_by_id
{where} ORDER BY {order} LIMIT ?
"""


def page_query(conn: sqlite3.Connection, rows: int, where: str = "", order: str = "r.code") -> int:
    """The floor of showing a register: how many rows there are, and the visible ones."""
    total = conn.execute("SELECT count(*) FROM risks").fetchone()[0]
    shown = conn.execute(PAGE_SQL.format(where=where, order=order), (rows,)).fetchall()
    return int(total) if shown else 0


def run(env: Env) -> list[Measurement]:
    app = qt_application()
    from isms_desktop.ui.main_window import MainWindow
    from isms_desktop.ui.settings import Settings

    window = MainWindow(Settings(env.work / "settings.ini"))
    window.resize(1400, 900)
    window.show()
    path = env.copy_project("register")
    if not window.open_path(path):
        raise AssertionError(f"the main window did not open {path}")
    conn = read_only_connection(path)
    try:
        return _measure(env, app, window, conn)
    finally:
        conn.close()
        window.close_project()
        window.close()
        app.processEvents()


def _visible_rows(view: Any) -> int:
    table = view.table
    first = table.rowAt(0)
    last = table.rowAt(table.viewport().height() - 1)
    if last < 0:
        last = view.model.rowCount() - 1
    return max(1, int(last) - max(int(first), 0) + 1)


def _measure(env: Env, app: Any, window: Any, conn: sqlite3.Connection) -> list[Measurement]:
    from PySide6.QtCore import Qt

    project = window.project
    window.go_to_area("risks")
    app.processEvents()
    risks_tab = window.area_tab("risks")
    view = risks_tab.views["risks"]
    model = view.model

    def painted() -> None:
        app.processEvents()
        view.table.viewport().repaint()

    def away() -> None:
        window.go_to_tab(0)
        app.processEvents()
        view.set_project(project)  # the same project: reloaded when next shown

    fetches: list[int] = []

    def open_tab() -> None:
        before = model.fetches
        window.go_to_area("risks")
        painted()
        fetches.append(model.fetches - before)

    rows = _visible_rows(view)
    bare = _bare_repaint(app, view, env.repeat)
    opened, opened_floor = timed(
        [(away, open_tab), (None, lambda: page_query(conn, rows))], env.repeat
    )
    if model.rowCount() != env.size or not all(fetches):
        raise AssertionError(f"the Risks tab shows {model.rowCount()} rows, fetched {fetches}")
    found = [
        _with_paint(
            Measurement(
                "open Risks tab",
                env.size,
                opened,
                opened_floor,
                f"sqlite3 count + {rows} visible rows",
                model.rowCount(),
            ),
            bare,
        )
    ]

    orders = itertools.cycle([Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder])
    for field, order_sql in (("title", "r.title DESC"), ("residual_level", "r.residual_rank DESC")):
        column = model.column_of(field)

        def sort(column: int = column) -> None:
            model.sort(column, next(orders))
            painted()

        found.append(_same_sql(env, project, conn, f"sort risks by {field}", sort, model))
        found[-1] = _with_note(found[-1], conn, rows, "", order_sql, env.repeat, bare)
    view.set_filters("", {})
    painted()

    texts = itertools.cycle(["ransomware", "patch"])

    def text_filter() -> None:
        view.set_filters(next(texts))
        painted()

    found.append(_same_sql(env, project, conn, "filter risks by text", text_filter, model))
    where = "WHERE r.title LIKE '%ransomware%' OR r.description LIKE '%ransomware%'"
    found[-1] = _with_note(found[-1], conn, rows, where, "r.code", env.repeat, bare)

    def counted_filter() -> None:
        text_filter()
        while model.counting:  # the count of a large result arrives from its thread
            app.processEvents()
            time.sleep(0.0005)

    found.append(
        _same_sql(env, project, conn, "filter risks by text, counted", counted_filter, model)
    )
    found[-1] = _with_paint(found[-1], bare)
    if not 0 < model.rowCount() < env.size:
        raise AssertionError(f"the text filter left {model.rowCount()} of {env.size} rows")
    view.set_filters("", {})
    painted()
    return found


def _same_sql(
    env: Env, project: Any, conn: sqlite3.Connection, name: str, func: Any, model: Any
) -> Measurement:
    func()
    func()  # both directions (or both texts) once, so caches are as warm as in use
    with captured_sql(project.engine) as statements:
        func()
    ours, floor = timed([(None, func), (None, lambda: replay(conn, statements))], env.repeat)
    return Measurement(
        name,
        env.size,
        ours,
        floor,
        f"same SQL ({len(statements)} statements)",
        model.rowCount(),
    )


def _with_note(
    m: Measurement,
    conn: sqlite3.Connection,
    rows: int,
    where: str,
    order: str,
    repeat: int,
    bare: float,
) -> Measurement:
    (minimal,) = timed([(None, lambda: page_query(conn, rows, where, order))], repeat)
    m = _with_paint(m, bare)
    note = f"visible page alone in SQL: {minimal.wall * 1000:.1f} ms; {m.note}"
    return dataclasses.replace(m, note=note)


def _with_paint(m: Measurement, bare: float) -> Measurement:
    floor = (m.floor.wall if m.floor else 0.0) + bare
    ratio = m.ours.wall / floor
    note = f"bare QTableView repaint {bare * 1000:.1f} ms; ours / (SQL + repaint) {ratio:.2f}"
    return dataclasses.replace(m, note=note)


def _bare_repaint(app: Any, view: Any, repeat: int) -> float:
    """The median time a bare QTableView of the register's size takes to repaint the same
    visible cells after a layout change (what any model pays to Qt)."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QTableView

    source = view.model
    shown = view.table.rowAt(view.table.viewport().height() - 1) + 1 or source.rowCount()
    texts = [
        [source.index(r, c).data() for c in range(source.columnCount())]
        for r in range(min(shown, source.rowCount()))
    ]
    display = Qt.ItemDataRole.DisplayRole

    class Bare(QAbstractTableModel):
        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else source.rowCount()

        def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else source.columnCount()

        def data(self, index: Any, role: int = display) -> Any:
            if role != display:
                return None
            row = texts[index.row() % len(texts)] if texts else []
            return row[index.column()] if index.column() < len(row) else None

        def headerData(self, section: int, orientation: Any, role: int = display) -> Any:
            if role != display or orientation != Qt.Orientation.Horizontal:
                return None
            return source.headerData(section, orientation, role)

    model = Bare()
    table = QTableView()
    table.setModel(model)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(view.table.verticalHeader().defaultSectionSize())
    for column in range(source.columnCount()):
        table.setColumnWidth(column, view.table.columnWidth(column))
    table.resize(view.table.size())
    table.setAlternatingRowColors(True)
    table.show()
    app.processEvents()

    def repaint() -> None:
        model.layoutAboutToBeChanged.emit()
        model.layoutChanged.emit()
        app.processEvents()
        table.viewport().repaint()

    (timing,) = timed([(None, repaint)], max(repeat, 3))
    table.close()
    app.processEvents()
    return timing.wall
