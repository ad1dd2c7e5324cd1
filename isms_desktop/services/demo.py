"""The demo project: a believable small company, our showcase and test bed.

Every feature adds its records here. Now: the organisation, its people, roles and management
commitments, its context (issues, interested parties and their requirements), the scope with
its boundaries and exclusions, the ISMS processes with owners, and a Statement of
Applicability with decisions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from isms_desktop.services import (
    demo_audits,
    demo_documents,
    demo_evidence,
    demo_performance,
    demo_risks,
    registers,
)
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
        row.size = "50–249 people"  # (one of the setup wizard's choices)
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


# (kind, category, issue, effect on the ISMS, climate-related)
DEMO_ISSUES = (
    (
        "external",
        "technological",
        "Ransomware and phishing campaigns aimed at analytics and SaaS providers are rising",
        "Backups, e-mail filtering and awareness get priority in the risk treatment plan",
        False,
    ),
    (
        "external",
        "legal",
        "UK GDPR and the EU GDPR apply to client data we process as a processor",
        "Data protection requirements shape access control, retention and incident notification",
        False,
    ),
    (
        "external",
        "economic",
        "Enterprise clients require ISO/IEC 27001 certification in tenders",
        "Certification by next autumn is a business objective",
        False,
    ),
    (
        "external",
        "technological",
        "The platform runs entirely on one public cloud provider",
        "Supplier security and cloud controls (5.19–5.23) are central",
        False,
    ),
    (
        "external",
        "environmental",
        "Flooding risk near the Leeds office and heat waves affecting the cloud region",
        "Climate change is relevant: remote-work fallback and multi-zone hosting are planned",
        True,
    ),
    (
        "external",
        "social",
        "Clients and investors expect reporting on our carbon footprint",
        "Sustainability data is handled as confidential business information",
        True,
    ),
    (
        "internal",
        "organisational",
        "Fast growth: headcount doubled in two years",
        "Onboarding, offboarding and access reviews must scale",
        False,
    ),
    (
        "internal",
        "resources",
        "Small IT operations team of four people",
        "Automation and managed services are preferred over in-house tooling",
        False,
    ),
    (
        "internal",
        "cultural",
        "Engineering culture values speed of delivery",
        "Secure development rules are built into the pipeline rather than added as gates",
        False,
    ),
    (
        "internal",
        "technological",
        "Legacy reporting server still runs an unsupported OS",
        "Tracked as a high risk until it is retired",
        False,
    ),
)

# (name, kind, description, relevant, [(requirement, type, addressed, how)])
DEMO_PARTIES = (
    (
        "Clients (enterprise)",
        "external",
        "Retailers and banks using the analytics platform",
        True,
        (
            (
                "Confidentiality of the customer data they upload",
                "contractual",
                True,
                "Encryption, access control and data processing agreements",
            ),
            (
                "ISO/IEC 27001 certificate and annual security questionnaire",
                "contractual",
                True,
                "Certification project; questionnaire answered from the SoA",
            ),
            (
                "Platform availability of 99.9 % per month",
                "contractual",
                True,
                "Multi-zone hosting, monitoring and incident management",
            ),
        ),
    ),
    (
        "Information Commissioner's Office",
        "external",
        "UK data protection regulator",
        True,
        (
            (
                "Report personal data breaches within 72 hours",
                "legal",
                True,
                "Incident procedure with a data protection step",
            ),
        ),
    ),
    (
        "Employees",
        "internal",
        "All 64 staff and contractors",
        True,
        (
            (
                "Protection of their personal data in HR systems",
                "legal",
                True,
                "HR system access restricted to HR; retention rules",
            ),
            (
                "Clear rules for remote working and own devices",
                "business",
                True,
                "Remote working and acceptable use policies",
            ),
        ),
    ),
    (
        "Board and investors",
        "internal",
        "Owners and the management board",
        True,
        (
            (
                "Security risks kept within the agreed appetite",
                "business",
                True,
                "Risk reports at each management review",
            ),
            (
                "Reporting on climate-related risks",
                "climate",
                True,
                "Climate issues recorded in the context and risk registers",
            ),
        ),
    ),
    (
        "Cloud hosting provider",
        "external",
        "Hosts the production platform (EU regions)",
        True,
        (
            (
                "Customers configure their services securely (shared responsibility)",
                "contractual",
                True,
                "Secure configuration baseline and quarterly reviews",
            ),
        ),
    ),
    (
        "Payroll bureau",
        "external",
        "Processes payroll outside the ISMS scope",
        True,
        (
            (
                "Timely and correct employee data each month",
                "contractual",
                False,
                "Outside the scope; interface secured by encrypted transfer",
            ),
        ),
    ),
    (
        "Cyber insurer",
        "external",
        "Provides the cyber liability insurance",
        True,
        (
            (
                "Multi-factor authentication and offline backups in place",
                "contractual",
                True,
                "Controls 8.5 and 8.13 implemented and evidenced",
            ),
        ),
    ),
)

# (kind, name, description, outside party, justification)
DEMO_SCOPE_ITEMS = (
    ("location", "Leeds head office", "Floors 3 and 4, 12 Wellington Street, Leeds", "", ""),
    ("location", "Manchester support office", "Customer support team of 9 people", "", ""),
    ("location", "Remote workplaces", "Staff working from home under the remote policy", "", ""),
    (
        "organisational_unit",
        "All departments",
        "Engineering, IT operations, support, sales, finance, HR and management",
        "",
        "",
    ),
    ("business_process", "Development and operation of the analytics platform", "", "", ""),
    ("business_process", "Client onboarding and support", "", "", ""),
    ("technology", "Production platform in the public cloud", "EU regions, two zones", "", ""),
    ("technology", "Office IT and laptops", "Managed laptops, Wi-Fi, printers", "", ""),
    (
        "interface",
        "Client data uploads",
        "SFTP and HTTPS API used by clients",
        "Clients (enterprise)",
        "",
    ),
    (
        "dependency",
        "Cloud hosting provider",
        "Infrastructure services",
        "Cloud hosting provider",
        "",
    ),
    (
        "dependency",
        "Office building services",
        "Access control and CCTV run by the landlord",
        "Landlord",
        "",
    ),
    (
        "exclusion",
        "Payroll processing",
        "Outsourced to an external payroll bureau",
        "Payroll bureau",
        "Payroll is run entirely by the bureau under its own certified ISMS; "
        "we only send encrypted monthly data, which is covered by the interface controls.",
    ),
)

# (name, holder, deputy, responsibilities, authorities)
DEMO_ROLES = (
    (
        "Top management",
        "P-001",
        "P-007",
        "Approves the policy and objectives, provides resources, chairs the management review",
        "Final decisions on risk acceptance above 'medium'",
    ),
    (
        "Information Security Officer",
        "P-002",
        "P-003",
        "Runs the ISMS day to day: risk "
        "assessment, SoA, internal audit programme, reporting to management",
        "May stop changes that create unacceptable risk",
    ),
    (
        "IT operations lead",
        "P-003",
        "P-004",
        "Implements technical controls, backups, patching and monitoring",
        "Grants and removes system access",
    ),
    (
        "Data Protection Officer",
        "P-006",
        "",
        "Advises on data protection, handles breach notifications",
        "Reports directly to the CEO",
    ),
    (
        "Internal auditor",
        "P-007",
        "",
        "Carries out internal ISMS audits independently of the areas audited",
        "Access to all ISMS records",
    ),
)

# (days ago, person, kind, what)
DEMO_COMMITMENTS = (
    (
        300,
        "P-001",
        "policy_approval",
        "Approved the information security policy and the ISMS scope at the board meeting",
    ),
    (
        290,
        "P-001",
        "resources",
        "Budget of GBP 60,000 for the certification project, including "
        "a part-time ISO role and external audit",
    ),
    (
        200,
        "P-001",
        "objectives",
        "Set the security objectives for the year and asked for quarterly progress reports",
    ),
    (
        90,
        "P-001",
        "communication",
        "All-hands presentation on why certification matters and what changes for staff",
    ),
)


def _fill_leadership_and_context(project: Project) -> None:
    today = dt.date.today()
    for kind, category, text, effect, climate in DEMO_ISSUES:
        registers.create(
            project,
            "context",
            {
                "kind": kind,
                "category": category,
                "description": text,
                "effect": effect,
                "climate_related": climate,
            },
        )
    for name, kind, description, relevant, requirements in DEMO_PARTIES:
        party = registers.create(
            project,
            "parties",
            {"name": name, "kind": kind, "description": description, "relevant": relevant},
        )
        for requirement, rtype, addressed, how in requirements:
            registers.create(
                project,
                "requirements",
                {
                    "party": party.code,
                    "requirement": requirement,
                    "type": rtype,
                    "addressed": addressed,
                    "how_addressed": how,
                },
            )
    for kind, name, description, counterpart, justification in DEMO_SCOPE_ITEMS:
        registers.create(
            project,
            "scope",
            {
                "kind": kind,
                "name": name,
                "description": description,
                "counterpart": counterpart,
                "justification": justification,
            },
        )
    for name, holder, deputy, responsibilities, authorities in DEMO_ROLES:
        registers.create(
            project,
            "roles",
            {
                "name": name,
                "holder": holder,
                "deputy": deputy or None,
                "responsibilities": responsibilities,
                "authorities": authorities,
            },
        )
    # a process whose owner role is one of the roles above is owned by that role's holder:
    # internal audit by the internal auditor, not by the officer whose work it audits
    holders = {name: holder for name, holder, _deputy, _r, _a in DEMO_ROLES}
    for row in registers.list_rows(project, "processes"):
        role_holder = holders.get(str(row.values.get("owner_role") or ""))
        if role_holder is not None and row.values.get("owner") != role_holder:
            registers.update(project, "processes", row.code, "owner", role_holder)
    for days, person, kind, what in DEMO_COMMITMENTS:
        registers.create(
            project,
            "commitments",
            {
                "date": today - dt.timedelta(days=days),
                "person": person,
                "kind": kind,
                "description": what,
                "evidence": f"Board minutes {today - dt.timedelta(days=days)}",
            },
        )


def _populate(project: Project) -> None:
    _fill(project)
    _fill_leadership_and_context(project)
    demo_risks.fill(project)
    demo_evidence.fill(project)
    demo_documents.fill(project)
    after_review = demo_audits.fill(project)
    demo_performance.fill(project)  # the management review compiles what was known then
    after_review()  # nonconformities' actions completed and verified after the review
    demo_evidence.approve(project)  # at the management review, which now exists


def create_demo_project(path: Path | str) -> Project:
    """Create the demo project at ``path`` (refusing to overwrite) and open it.

    It is built completely under a temporary name first, so it appears whole or not at all.
    ``path`` may be a server URL (an empty database).
    """
    where = path if isinstance(path, str) and "://" in path else Path(path)
    return create_project(where, DEMO_ORGANISATION, sector="it_services", populate=_populate)
