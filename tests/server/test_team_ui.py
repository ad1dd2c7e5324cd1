"""Team mode in the window: connecting, publishing, the conflict dialog, and the refresh
when other users changed the server project (a real server; offscreen Qt)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from isms_desktop.domain.errors import ConflictError
from isms_desktop.services import registers
from isms_desktop.storage import server
from isms_desktop.storage.project_file import open_project
from isms_desktop.storage.server import ServerProject
from isms_desktop.ui.main_window import MainWindow
from isms_desktop.ui.settings import Settings
from isms_desktop.ui.team.conflict_dialog import ConflictDialog
from isms_desktop.ui.team.connect_dialog import ConnectDialog


class _Answered(ConnectDialog):
    """The dialog as a user fills and confirms it (exec returns at once)."""

    def __init__(self, url: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.url.setText(url)
        self.runs = 0

    def exec(self) -> int:
        self.runs += 1
        if self.runs > 1:  # a second round means the first was refused: give up
            return QDialog.DialogCode.Rejected
        self._accept()
        return self.result()


@pytest.fixture
def window(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    answers: list[tuple[str, str]] = []

    def question(_parent: object, title: str, text: str, *_a: object, **_k: object) -> Any:
        answers.append((title, text))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    main = MainWindow(Settings())
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()


def test_the_dialog_builds_a_url_and_keeps_the_password_out_of_it(qtbot: QtBot) -> None:
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    dialog.host.setText("db.example.org")
    dialog.database.setText("isms")
    dialog.user.setText("alice")
    dialog.tls.setCurrentIndex(dialog.tls.findData("require"))
    assert dialog.location() == "postgresql://alice@db.example.org:5432/isms?sslmode=require"
    dialog.url.setText("postgresql://bob:s3cret@server:6543/team")
    assert dialog.location() == "postgresql://bob@server:6543/team"
    assert dialog.password() == "s3cret"
    assert "s3cret" not in dialog.url.text()


def test_connect_edit_and_see_what_others_changed(
    window: MainWindow,
    qtbot: QtBot,
    pg_template_project: str,
    new_pg_database: Callable[[str | None], str],
    colleague_url: Callable[[str], str],
    tmp_path: Path,
) -> None:
    url = new_pg_database(pg_template_project)
    actions = window.team_actions  # type: ignore[attr-defined]
    assert actions.connect_to_server(_Answered(url, parent=window))
    project = window.project
    assert isinstance(project, ServerProject)
    assert url in window.windowTitle()
    # the server is offered next time, without its password
    location = server.split_password(url)[0]
    assert window.settings.last_server() == location
    again = ConnectDialog(window, last=window.settings.last_server())
    assert again.location() == location and again.password() is None
    again.deleteLater()
    assert not actions.publish_action.isEnabled()  # already on a server
    assert actions.timer.isActive()
    assert actions.poll() == []  # nothing changed

    registers.create(project, "people", {"name": "Mine"})  # this user's own edit
    assert actions.poll() == []
    with open_project(colleague_url(url)) as colleague:
        registers.create(colleague, "risks", {"title": "Seen by the colleague"})
    assert actions.poll() == ["risks"]
    assert "Others changed: risks" in window.statusBar().currentMessage()

    window.save_copy_action.setEnabled(True)
    target = tmp_path / "copy.isms"
    project.save_copy(target)
    assert target.exists()
    window.grab().save(str(tmp_path / "window.png"))


def test_publish_the_open_file(
    window: MainWindow,
    project_path: Path,
    new_pg_database: Callable[[str | None], str],
) -> None:
    assert window.open_path(project_path)
    actions = window.team_actions  # type: ignore[attr-defined]
    assert actions.publish_action.isEnabled()
    url = new_pg_database(None)
    assert actions.publish(_Answered(url, parent=window, publishing=True))
    project = window.project
    assert isinstance(project, ServerProject)  # opened on the server after publishing
    assert project.location == url
    # The same database again: it is not empty any more, so it is refused in the dialog.
    window.close_project()
    assert window.open_path(project_path)
    again = _Answered(url, parent=window, publishing=True)
    assert not actions.publish(again)
    assert "is not empty" in again.error.text()


def test_the_conflict_dialog_shows_mine_and_theirs(qtbot: QtBot, tmp_path: Path) -> None:
    conflict = ConflictError(
        "R-001 was changed",
        register="risks",
        code="R-001",
        field="title",
        mine="Spear phishing",
        current={"code": "R-001", "title": "Phishing of staff", "inherent_impact": 4},
        version=3,
    )
    dialog = ConflictDialog(conflict)
    qtbot.addWidget(dialog)
    table = dialog.table
    first = [table.item(0, c).text() for c in range(3)]  # type: ignore[union-attr]
    assert first == ["Risk", "Spear phishing", "Phishing of staff"]  # the header of "title"
    assert table.rowCount() == 2
    assert dialog.keep_button.isDefault()
    dialog.show()
    dialog.grab().save(str(tmp_path / "conflict.png"))


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_stale_edit_in_the_register_view_asks_before_overwriting(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    pg_template_project: str,
    new_pg_database: Callable[[str | None], str],
    colleague_url: Callable[[str], str],
    overwrite: bool,
) -> None:
    from isms_desktop.domain.register_specs import spec
    from isms_desktop.ui.registers.register_view import RegisterView
    from isms_desktop.ui.team import conflict_dialog

    url = new_pg_database(pg_template_project)
    asked: list[ConflictError] = []

    def answer(conflict: ConflictError, _parent: object = None) -> bool:
        asked.append(conflict)
        return overwrite

    monkeypatch.setattr(conflict_dialog, "overwrite_with_mine", answer)
    with open_project(url) as mine:
        code = registers.create(mine, "assets", {"name": "Laptop", "type": "hardware"}).code
        view = RegisterView("assets")
        qtbot.addWidget(view)
        view.show()  # registers load when shown
        view.set_project(mine)
        row = view.model.row_of_code(code)
        assert row is not None and view.model.record(row) is not None  # shown to the user
        with open_project(colleague_url(url)) as colleague:
            registers.update(colleague, "assets", code, "location", "Their office")
        ok = view._commit_edit(code, spec("assets").field("location"), "My office")
        assert asked and asked[0].current.get("location") == "Their office"
        assert ok is overwrite
        now = registers.get(mine, "assets", code).values["location"]
        assert now == ("My office" if overwrite else "Their office")
        view.set_project(None)
