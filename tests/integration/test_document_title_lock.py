"""A document's title is printed with its approved text: it changes only in a draft, in the
register (a cell, the form, many records at once) as in an import; the text's window
changes it with the text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from isms_desktop.domain import document_workflow as wf
from isms_desktop.domain.errors import IsmsError
from isms_desktop.services import documents, registers
from isms_desktop.storage.project_file import Project, open_project


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Project]:
    project = open_project(demo_path)
    yield project
    project.close()


def _title(project: Project, code: str) -> str:
    return str(registers.get(project, "documents", code).values["title"])


def test_a_published_documents_title_waits_for_a_new_version(demo: Project) -> None:
    assert registers.get(demo, "documents", "POL-002").values["status"] == "published"
    before = _title(demo, "POL-002")
    with pytest.raises(IsmsError, match=r"POL-002 is published: its title.*Start a new version"):
        registers.update(demo, "documents", "POL-002", "title", "Identity Policy")
    with pytest.raises(IsmsError, match="POL-002 is published"):
        registers.update_each(demo, "documents", "title", {"POL-002": "Identity Policy"})
    assert _title(demo, "POL-002") == before
    # the same title again is no change; other fields stay editable
    registers.update(demo, "documents", "POL-002", "title", before)
    registers.update(demo, "documents", "POL-002", "classification", "confidential")
    # in a draft of the next version it may change, and is printed once approved
    documents.step(demo, "POL-002", wf.Step.REVISE)
    registers.update(demo, "documents", "POL-002", "title", "Identity and Access Policy")
    assert _title(demo, "POL-002") == "Identity and Access Policy"


def test_an_import_that_renames_a_document_in_force_is_rejected(demo: Project) -> None:
    before = _title(demo, "POL-002")
    result = registers.upsert_rows(
        demo,
        "documents",
        [
            (2, {"code": "POL-002", "title": "Renamed in Excel"}),
            (3, {"code": "POL-009", "title": "Crypto"}),
        ],
    )
    assert [(p.row, p.column) for p in result.problems] == [(2, "Title")]
    assert "is published" in result.problems[0].reason
    assert _title(demo, "POL-002") == before
    assert _title(demo, "POL-009") != "Crypto"  # all or nothing
    unchanged = registers.upsert_rows(
        demo, "documents", [(2, {"code": "POL-002", "title": before})]
    )
    assert not unchanged.problems
