"""Evidence valid until a date, set in the attachments panel: the panel shows it, the
dashboard's action list asks for renewal, and "No expiry date" takes it away again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from isms_desktop.services import action_list, attachments
from isms_desktop.storage.project_file import Project, open_project
from isms_desktop.ui.registers.attachments_panel import AttachmentsPanel, ExpiryDialog

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    opened = open_project(project_path)
    yield opened
    opened.close()


def _renewals(project: Project) -> list[tuple[str, dt.date]]:
    items = action_list.action_items(project, sources=["evidence_expiry"])
    return [(item.title, item.due) for item in items]


def test_valid_until_is_set_shown_and_listed_for_renewal(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    files = []
    for name in ("iso-certificate.pdf", "pentest-2026.pdf"):
        path = tmp_path / name
        path.write_bytes(b"%PDF-1.4 evidence")
        files.append(path)
        attachments.add_attachment(project, "soa", "5.1", path)
    panel = AttachmentsPanel("soa")
    qtbot.addWidget(panel)
    panel.resize(320, 400)
    panel.set_record(project, "5.1")
    assert not panel.expiry_button.isEnabled(), "nothing selected"
    panel.list.selectAll()
    assert panel.expiry_button.isEnabled()

    dialog = panel.set_expiry_of_selected()
    assert isinstance(dialog, ExpiryDialog)
    qtbot.addWidget(dialog)
    assert "iso-certificate.pdf, pentest-2026.pdf" in dialog.explanation.text()
    assert dialog.value() == dt.date.today() + dt.timedelta(days=365), "a year by default"
    dialog.date_edit.setDate(QDate(2027, 3, 31))
    dialog.grab().save(str(tmp_path / "expiry.png"))
    dialog.accept()

    infos = attachments.list_attachments(project, "soa", "5.1")
    assert {info.expires_on for info in infos} == {dt.date(2027, 3, 31)}
    texts = [panel.list.item(r).text() for r in range(panel.list.count())]
    assert all("expires 2027-03-31" in text for text in texts)
    renewals = _renewals(project)
    assert sorted(renewals) == [
        ("Renew evidence “iso-certificate.pdf”", dt.date(2027, 3, 31)),
        ("Renew evidence “pentest-2026.pdf”", dt.date(2027, 3, 31)),
    ]

    # one of them: its own date is offered, and "No expiry date" removes it
    panel.list.clearSelection()
    panel.list.item(0).setSelected(True)
    again = panel.set_expiry_of_selected()
    assert isinstance(again, ExpiryDialog)
    qtbot.addWidget(again)
    assert again.value() == dt.date(2027, 3, 31)
    again.none_box.setChecked(True)
    assert not again.date_edit.isEnabled()
    assert again.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert again.value() is None
    again.accept()
    assert len(_renewals(project)) == 1
    assert "expires" not in panel.list.item(0).text()


def test_read_only_projects_cannot_set_a_date(qtbot: QtBot, project_path: Path) -> None:
    evidence = project_path.parent / "report.pdf"
    evidence.write_bytes(b"%PDF-1.4")
    writable = open_project(project_path)
    attachments.add_attachment(writable, "soa", "5.1", evidence)
    writable.close()
    read_only = open_project(project_path, read_only=True)
    try:
        panel = AttachmentsPanel("soa")
        qtbot.addWidget(panel)
        panel.set_record(read_only, "5.1")
        panel.list.selectAll()
        assert panel.open_button.isEnabled()
        assert not panel.expiry_button.isEnabled()
        assert panel.set_expiry_of_selected() is None
    finally:
        read_only.close()
