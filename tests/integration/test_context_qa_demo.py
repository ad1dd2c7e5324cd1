"""The demo's leadership records agree with its processes: a process whose owner role is
one of the recorded ISMS roles is owned by the person holding that role (the demo showed
internal audit owned by the security officer, whose work it audits, beside a role register
naming another person as internal auditor)."""

from __future__ import annotations

import shutil
from pathlib import Path

from isms_desktop.services import registers
from isms_desktop.storage.project_file import open_project


def test_process_owners_agree_with_the_roles(tmp_path: Path, template_demo: Path) -> None:
    path = tmp_path / "demo.isms"
    shutil.copyfile(template_demo, path)
    with open_project(path, read_only=True) as project:
        holders = {
            row.values["name"]: row.values["holder"]
            for row in registers.list_rows(project, "roles")
        }
        processes = registers.list_rows(project, "processes")
    checked = 0
    for row in processes:
        role = row.values.get("owner_role")
        if role in holders:
            assert row.values["owner"] == holders[role], (row.code, role)
            checked += 1
    assert checked >= 10
    audit = next(row for row in processes if row.values["name"] == "Internal audit")
    assert audit.display["owner"] == "Grace Adeyemi"
    assert audit.values["owner"] != holders["Information Security Officer"]
