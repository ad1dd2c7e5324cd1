"""The demo project: a believable small company, our showcase and test bed.

Every feature adds its records here. Now: the organisation, its people, the ISMS processes
with owners, a scope statement, and a Statement of Applicability with decisions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from isms_desktop.services.projects import create_project
from isms_desktop.storage.models import Control, Person, Process, ProjectRow, SoaEntry
from isms_desktop.storage.project_file import Project

DEMO_ORGANISATION = "Brightwave Analytics Ltd"

DEMO_SCOPE = (
    "The information security management system of Brightwave Analytics Ltd covers the "
    "development, operation and support of the Brightwave customer analytics platform and "
    "the processing of client data for analytics services, performed by all 64 staff at the "
    "Leeds head office and the Manchester support office and by remote workers, including the "
    "supporting IT infrastructure hosted with a public cloud provider (EU regions). Payroll, "
    "outsourced to an external bureau, is outside the scope; the interface to it is covered."
)

# (code, name, role, email)
DEMO_PEOPLE = (
    ("P-001", "Helen Marsh", "Chief Executive Officer", "helen.marsh@brightwave.example"),
    ("P-002", "Daniel Okafor", "Information Security Officer", "daniel.okafor@brightwave.example"),
    ("P-003", "Priya Nair", "Head of IT Operations", "priya.nair@brightwave.example"),
    ("P-004", "Tom Lindqvist", "Head of Engineering", "tom.lindqvist@brightwave.example"),
    ("P-005", "Sarah Whitfield", "HR Manager", "sarah.whitfield@brightwave.example"),
    ("P-006", "Marco Bellini", "Data Protection Officer", "marco.bellini@brightwave.example"),
    ("P-007", "Grace Adeyemi", "Finance Director", "grace.adeyemi@brightwave.example"),
    ("P-008", "Oliver Brandt", "Customer Support Lead", "oliver.brandt@brightwave.example"),
    ("P-009", "Aisha Rahman", "Office Manager", "aisha.rahman@brightwave.example"),
)

# Which role owns which kind of process (matched on words of the process name).
_PROCESS_OWNERS = (
    (("management review", "leadership", "policy"), "P-001"),
    (("competence", "awareness", "communication"), "P-005"),
    (("supplier",), "P-007"),
    (("change", "operational"), "P-003"),
    (("incident",), "P-003"),
)

# Controls the company has decided not to apply, with the reason an auditor would accept.
DEMO_EXCLUSIONS = {
    "8.30": "All software development is done in-house by Brightwave staff; no development "
    "is outsourced. Reviewed at each management review.",
    "7.4": "The offices are in a managed building whose landlord runs 24/7 CCTV and guarded "
    "reception; no secure areas of our own exist beyond locked rooms covered by 7.1–7.3.",
}

# Controls still being worked on (status other than implemented).
DEMO_IN_PROGRESS = {
    "5.7": "partially_implemented",
    "5.23": "partially_implemented",
    "8.11": "planned",
    "8.12": "planned",
    "8.16": "partially_implemented",
    "5.30": "planned",
    "6.3": "partially_implemented",
}

_OWNER_BY_THEME = {
    "organizational": "P-002",
    "people": "P-005",
    "physical": "P-009",
    "technological": "P-003",
}


def _fill(project: Project) -> None:
    today = dt.date.today()
    with project.transaction() as session:
        row = session.scalars(select(ProjectRow)).one()
        row.sector = "it_services"
        row.size = "50-249"
        row.locations = "Leeds (head office); Manchester (support office); remote workers"
        row.scope_statement = DEMO_SCOPE
        people = {}
        for code, name, role, email in DEMO_PEOPLE:
            person = Person(code=code, name=name, role=role, email=email)
            session.add(person)
            people[code] = person
        session.flush()
        for process in session.scalars(select(Process)):
            owner = "P-002"
            lowered = process.name.lower()
            for words, code in _PROCESS_OWNERS:
                if any(word in lowered for word in words):
                    owner = code
                    break
            process.owner_id = people[owner].id
        for control in session.scalars(select(Control).order_by(Control.sort_key)):
            entry = session.scalars(select(SoaEntry).where(SoaEntry.control_id == control.id)).one()
            if control.number in DEMO_EXCLUSIONS:
                entry.applicable = False
                entry.justification = DEMO_EXCLUSIONS[control.number]
                entry.status = "not_applicable"
                continue
            entry.applicable = True
            entry.reason_best_practice = True
            entry.reason_business = control.theme in ("organizational", "technological")
            entry.reason_legal = control.number in ("5.31", "5.32", "5.33", "5.34", "6.6")
            entry.owner_id = people[_OWNER_BY_THEME[control.theme]].id
            entry.status = DEMO_IN_PROGRESS.get(control.number, "implemented")
            if entry.status == "implemented":
                entry.last_review = today - dt.timedelta(days=40 + control.sort_key)
            else:
                entry.target_date = today + dt.timedelta(days=60 + 3 * control.sort_key)


def create_demo_project(path: Path) -> Project:
    """Create the demo project at ``path`` (refusing to overwrite) and open it."""
    project = create_project(Path(path), DEMO_ORGANISATION, sector="it_services")
    try:
        _fill(project)
    except BaseException:
        project.close()
        raise
    return project
