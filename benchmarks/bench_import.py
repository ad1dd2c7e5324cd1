"""Import of new risks from an .xlsx sheet (all checked, then written in one transaction),
against python-calamine reading the same file plus one ``executemany`` insert.

The sheet is the project's own risks exported (as a user would edit them in Excel) with new
codes, so every row creates a risk; up to ``MAX_ROWS`` rows (the issue's 10,000-row sheet).

The ratio's floor inserts the plain columns of the risks only. The note gives a second
one, for scale: the same read plus every row our import wrote (the risks with all their
columns, their asset and control links, the change log's entries), each table with one
``executemany``, taken from our own result.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import python_calamine
from openpyxl import Workbook

from benchmarks.excel_export import exported_values
from benchmarks.harness import Env, Measurement, timed
from isms_desktop.domain.fields import Kind
from isms_desktop.domain.register_specs import SPECS
from isms_desktop.domain.registers import sheet_name
from isms_desktop.reports.xlsx_export import export_workbook
from isms_desktop.reports.xlsx_import import import_file
from isms_desktop.storage.project_file import Project, open_project

MAX_ROWS = 10_000
SHEET = sheet_name("risks")


def import_sheet(env: Env, rows: int) -> Path:
    """The project's first ``rows`` risks as an .xlsx sheet, with codes not yet in use."""
    exported = env.work / "risks-export.xlsx"
    with open_project(env.project, read_only=True) as project:
        export_workbook(project, exported, ["risks"])
    values = exported_values(exported, SHEET)
    header, body = values[0], values[1 : rows + 1]
    code_at = header.index(SPECS["risks"].fields[0].header)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.append(header)
    for n, row in enumerate(body):
        row = list(row)
        row[code_at] = f"RI-{n + 1:06d}"
        ws.append(row)
    target = env.work / f"import-{rows}.xlsx"
    wb.save(target)
    return target


def _plain_columns() -> dict[str, str]:
    """Sheet header -> column, for the fields stored as they are (what the floor inserts)."""
    plain = (Kind.TEXT, Kind.LONGTEXT, Kind.INT, Kind.SCALE, Kind.BOOL, Kind.DATE, Kind.CHOICE)
    return {f.header: f.name for f in SPECS["risks"].fields if f.kind in plain and not f.computed}


def _required_defaults(conn: sqlite3.Connection, given: set[str]) -> dict[str, Any]:
    """Values for NOT NULL columns the sheet does not give (ORM defaults in our code)."""
    found: dict[str, Any] = {}
    for _, name, kind, notnull, default, pk in conn.execute("PRAGMA table_info(risks)"):
        if notnull and not pk and default is None and name not in given:
            found[name] = -1 if "INT" in kind.upper() else ""
    return found


def bare_import(sheet: Path, target: Path) -> int:
    """The floor: read the sheet with python-calamine, insert the rows with executemany."""
    with python_calamine.CalamineWorkbook.from_path(str(sheet)) as wb:
        values = wb.get_sheet_by_name(SHEET).to_python()
    header, body = values[0], values[1:]
    columns = _plain_columns()
    picked = [(i, columns[str(h)]) for i, h in enumerate(header) if str(h) in columns]
    conn = sqlite3.connect(target)
    try:
        extra = _required_defaults(conn, {name for _, name in picked})
        names = [name for _, name in picked] + list(extra)
        sql = (
            f"INSERT INTO risks ({', '.join(names)}) "  # names from our spec
            f"VALUES ({', '.join('?' * len(names))})"
        )
        conn.executemany(
            sql,
            (
                [_stored(row[i]) for i, _ in picked] + list(extra.values())
                for row in body
                if any(cell not in ("", None) for cell in row)
            ),
        )
        conn.commit()
        return int(conn.execute("SELECT count(*) FROM risks WHERE code LIKE 'RI-%'").fetchone()[0])
    finally:
        conn.close()


Written = dict[str, tuple[list[str], list[tuple[Any, ...]]]]  # table -> columns, rows


def written_rows(project: Path, before: Path) -> Written:
    """Every row our import added to ``project`` (a copy of ``before``), by table, as the
    bare driver reads them (the row ids left to the database, as our insert does)."""
    conn = sqlite3.connect(project)
    try:
        conn.execute("ATTACH DATABASE ? AS old", (str(before),))
        found: Written = {}
        for table, key in (("risks", "id"), ("risk_assets", "risk_id"),
                           ("risk_controls", "risk_id"), ("change_log", "id")):  # fmt: skip
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            kept = [c for c in columns if c != "id"]
            owner = "risks" if table.startswith("risk_") else table
            rows = conn.execute(
                f"SELECT {', '.join(kept)} FROM main.{table} "  # names from the schema
                f"WHERE {key} > (SELECT coalesce(max(id), 0) FROM old.{owner}) ORDER BY rowid"
            ).fetchall()
            found[table] = (kept, rows)
        return found
    finally:
        conn.close()


def bare_write_all(sheet: Path, target: Path, written: Written) -> int:
    """The second floor: read the sheet with python-calamine, insert every row we wrote."""
    with python_calamine.CalamineWorkbook.from_path(str(sheet)) as wb:
        wb.get_sheet_by_name(SHEET).to_python()
    conn = sqlite3.connect(target)
    try:
        for table, (columns, rows) in written.items():
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # names from the schema
                f"VALUES ({', '.join('?' * len(columns))})",
                rows,
            )
        conn.commit()
        return sum(len(rows) for _, rows in written.values())
    finally:
        conn.close()


def _stored(cell: Any) -> Any:
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return "" if cell is None else cell


def run(env: Env) -> list[Measurement]:
    rows = min(env.size, MAX_ROWS)
    sheet = import_sheet(env, rows)
    state: dict[str, Any] = {"project": None}
    counts: dict[str, int] = {}

    def ours_setup() -> None:
        project: Project | None = state["project"]
        if project is not None:
            project.close()
        state["project"] = open_project(env.copy_project("import-ours"))

    def ours() -> None:
        result = import_file(state["project"], "risks", sheet)
        if not result.written:
            raise AssertionError(f"import refused: {result.problems[:3]}")
        counts["ours"] = result.created

    floor_target = env.work / "import-floor.isms"

    def floor_setup() -> None:
        env.copy_project("import-floor")

    def floor() -> None:
        counts["floor"] = bare_import(sheet, floor_target)

    try:
        ours_t, floor_t = timed([(ours_setup, ours), (floor_setup, floor)], env.repeat)
        ours_path = state["project"].path
        state["project"].close()
        state["project"] = None
        written = written_rows(ours_path, env.project)
        all_target = env.work / "import-all-rows.isms"
        (all_t,) = timed(
            [
                (
                    lambda: env.copy_project("import-all-rows"),
                    lambda: counts.update(all=bare_write_all(sheet, all_target, written)),
                )
            ],
            env.repeat,
        )
    finally:
        if state["project"] is not None:
            state["project"].close()
    shape = {table: len(found) for table, (_, found) in written.items()}
    if counts != {"ours": rows, "floor": rows, "all": sum(shape.values())}:
        raise AssertionError(f"import created {counts}, expected {rows} each")
    return [
        Measurement(
            "import risks from xlsx",
            env.size,
            ours_t,
            floor_t,
            "calamine read + executemany",
            rows,
            note=(
                f"{rows:,} new rows; with every row we write ({shape['risks']:,} risks, "
                f"{shape['risk_assets'] + shape['risk_controls']:,} links, "
                f"{shape['change_log']:,} log entries) the bare floor is {all_t.wall:.2f} s "
                f"(ours / that {ours_t.wall / all_t.wall:.2f})"
            ),
        )
    ]
