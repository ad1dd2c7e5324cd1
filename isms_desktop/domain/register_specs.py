"""The registers of the application, described field by field (see ``domain.fields``).

Headers are the column headers of the Excel export and import (CONTRACT.md): change them
only by adding synonyms, never by renaming.
"""

from __future__ import annotations

from isms_desktop.domain.fields import Field, Kind, RegisterSpec

CODE = Field("code", "Code", Kind.TEXT, width=10, synonyms=("ID", "Ref", "No", "Number"))

ISSUE_CATEGORIES = (
    "political",
    "economic",
    "social",
    "technological",
    "legal",
    "environmental",
    "organisational",
    "cultural",
    "resources",
)
REQUIREMENT_TYPES = ("legal", "regulatory", "contractual", "business", "climate")
SCOPE_KINDS = (
    "location",
    "organisational_unit",
    "business_process",
    "technology",
    "interface",
    "dependency",
    "exclusion",
)
COMMITMENT_KINDS = (
    "resources",
    "policy_approval",
    "objectives",
    "roles",
    "communication",
    "support",
    "other",
)

PEOPLE = RegisterSpec(
    name="people",
    title="People",
    code_prefix="P-",
    purpose="Everyone who owns, approves or performs something in the ISMS.",
    fields=(
        CODE,
        Field("name", "Name", required=True, width=24, synonyms=("Full name", "Person")),
        Field("role", "Role", width=28, synonyms=("Job title", "Position", "Function")),
        Field("email", "Email", width=30, synonyms=("E-mail", "Mail")),
        Field("active", "Active", Kind.BOOL, width=8),
    ),
    search_fields=("code", "name", "role", "email"),
)

CONTEXT = RegisterSpec(
    name="context",
    title="Internal and external issues",
    code_prefix="CI-",
    purpose="Issues inside and outside the organisation that affect what the ISMS must "
    "achieve (clause 4.1), including whether climate change is relevant.",
    fields=(
        CODE,
        Field(
            "kind",
            "Internal/External",
            Kind.CHOICE,
            required=True,
            choices=("internal", "external"),
            width=12,
            synonyms=("Kind", "Type"),
        ),
        Field("category", "Category", Kind.CHOICE, choices=ISSUE_CATEGORIES, width=16),
        Field(
            "description",
            "Issue",
            required=True,
            width=50,
            synonyms=("Description", "Issue description"),
        ),
        Field(
            "effect",
            "Effect on the ISMS",
            Kind.LONGTEXT,
            width=40,
            synonyms=("Impact", "Effect", "Relevance"),
        ),
        Field(
            "climate_related",
            "Climate-related",
            Kind.BOOL,
            width=10,
            synonyms=("Climate", "Climate change"),
        ),
    ),
    search_fields=("code", "description", "effect"),
)

PARTIES = RegisterSpec(
    name="parties",
    title="Interested parties",
    code_prefix="IP-",
    purpose="The people and bodies with a stake in the organisation's information security "
    "(clause 4.2).",
    fields=(
        CODE,
        Field("name", "Interested party", required=True, width=28, synonyms=("Party", "Name")),
        Field(
            "kind",
            "Internal/External",
            Kind.CHOICE,
            required=True,
            choices=("internal", "external"),
            width=12,
            synonyms=("Kind", "Type"),
        ),
        Field("description", "Description", Kind.LONGTEXT, width=40),
        Field("relevant", "Relevant to the ISMS", Kind.BOOL, width=10, synonyms=("Relevant",)),
    ),
    search_fields=("code", "name", "description"),
)

REQUIREMENTS = RegisterSpec(
    name="requirements",
    title="Requirements of interested parties",
    code_prefix="RQ-",
    purpose="What each interested party requires, and which of these the ISMS addresses "
    "(clause 4.2 b–c).",
    fields=(
        CODE,
        Field(
            "party",
            "Party",
            Kind.REF,
            required=True,
            ref="parties",
            width=10,
            synonyms=("Interested party", "Party code"),
        ),
        Field(
            "requirement",
            "Requirement",
            required=True,
            width=50,
            synonyms=("Need", "Expectation", "Description"),
        ),
        Field("type", "Type", Kind.CHOICE, choices=REQUIREMENT_TYPES, width=12),
        Field(
            "addressed",
            "Addressed by the ISMS",
            Kind.BOOL,
            width=10,
            synonyms=("Addressed", "In scope"),
        ),
        Field("how_addressed", "How it is addressed", Kind.LONGTEXT, width=40),
    ),
    search_fields=("code", "requirement", "how_addressed"),
)

SCOPE = RegisterSpec(
    name="scope",
    title="Scope",
    code_prefix="SC-",
    purpose="The boundaries of the ISMS: locations, units, processes, technology, interfaces "
    "and dependencies, and what is excluded and why (clause 4.3).",
    fields=(
        CODE,
        Field(
            "kind",
            "Kind",
            Kind.CHOICE,
            required=True,
            choices=SCOPE_KINDS,
            width=18,
            synonyms=("Type", "Boundary"),
        ),
        Field("name", "Name", required=True, width=30),
        Field("description", "Description", Kind.LONGTEXT, width=40),
        Field(
            "counterpart",
            "Outside party",
            width=24,
            help="For interfaces and dependencies: who is on the other side",
        ),
        Field(
            "justification",
            "Justification",
            Kind.LONGTEXT,
            width=40,
            help="Required for exclusions: why leaving this out does not weaken the ISMS",
        ),
    ),
    search_fields=("code", "name", "description", "counterpart"),
)

PROCESSES = RegisterSpec(
    name="processes",
    title="ISMS processes",
    code_prefix="PR-",
    purpose="The processes the ISMS needs and how they interact (clause 4.4).",
    fields=(
        CODE,
        Field("name", "Process", required=True, width=28, synonyms=("Name", "Process name")),
        Field(
            "owner",
            "Owner",
            Kind.PERSON,
            width=12,
            synonyms=("Process owner",),
            help="The person who runs the process now",
        ),
        Field(
            "owner_role",
            "Owner role",
            width=24,
            help="The role that owns the process, whoever holds it (e.g. ISMS manager); "
            "it stays right when the person changes",
        ),
        Field("purpose", "Purpose", Kind.LONGTEXT, width=40),
        Field("inputs", "Inputs", Kind.LIST, width=30),
        Field("outputs", "Outputs", Kind.LIST, width=30),
        Field("clauses", "Clauses", Kind.LIST, width=14),
        Field("controls", "Controls", Kind.LIST, width=14),
        Field("records", "Records", Kind.LIST, width=30),
    ),
    search_fields=("code", "name", "purpose", "owner_role"),
)

INTERACTIONS = RegisterSpec(
    name="interactions",
    title="Process interactions",
    code_prefix="IX-",
    purpose="What flows from one ISMS process to another (clause 4.4).",
    fields=(
        CODE,
        Field(
            "source",
            "From",
            Kind.REF,
            required=True,
            ref="processes",
            width=10,
            synonyms=("From process", "Source"),
        ),
        Field(
            "target",
            "To",
            Kind.REF,
            required=True,
            ref="processes",
            width=10,
            synonyms=("To process", "Target"),
        ),
        Field("flow", "What flows", required=True, width=40, synonyms=("Flow", "Output")),
    ),
    search_fields=("code", "flow"),
)

ROLES = RegisterSpec(
    name="roles",
    title="Roles and responsibilities",
    code_prefix="RO-",
    purpose="The ISMS roles, what each is responsible for, and who holds them (clause 5.3).",
    fields=(
        CODE,
        Field("name", "Role", required=True, width=28),
        Field("holder", "Held by", Kind.PERSON, width=12, synonyms=("Holder", "Person")),
        Field("deputy", "Deputy", Kind.PERSON, width=12),
        Field("responsibilities", "Responsibilities", Kind.LONGTEXT, width=50),
        Field("authorities", "Authorities", Kind.LONGTEXT, width=40),
    ),
    search_fields=("code", "name", "responsibilities"),
)

COMMITMENTS = RegisterSpec(
    name="commitments",
    title="Management commitment",
    code_prefix="MC-",
    purpose="What top management committed to, when and who (clause 5.1).",
    fields=(
        CODE,
        Field("date", "Date", Kind.DATE, required=True, width=12),
        Field("person", "Committed by", Kind.PERSON, required=True, width=12, synonyms=("Who",)),
        Field("kind", "Kind", Kind.CHOICE, choices=COMMITMENT_KINDS, width=16),
        Field(
            "description",
            "What was committed",
            Kind.LONGTEXT,
            required=True,
            width=50,
            synonyms=("Commitment", "Description"),
        ),
        Field("evidence", "Evidence", width=30),
    ),
    search_fields=("code", "description", "evidence"),
)

ASSET_TYPES = ("information", "software", "hardware", "service", "people", "site", "supplier")
CLASSIFICATIONS = ("public", "internal", "confidential", "strictly_confidential")
LIFECYCLE = ("planned", "in_use", "retired")
TREATMENTS = ("modify", "retain", "avoid", "share")
TREATMENT_LABELS = ("Modify (mitigate)", "Retain (accept)", "Avoid", "Share (transfer)")
RISK_STATUSES = ("identified", "assessed", "treatment_planned", "treated", "accepted", "closed")
ACTION_STATUSES = ("open", "in_progress", "done", "cancelled")
ACTION_SOURCES = (
    "treatment",
    "corrective",
    "audit",
    "review",
    "incident",
    "document",
    "monitoring",
    "other",
)


def _cia(name: str, header: str) -> Field:
    return Field(
        name,
        header,
        Kind.INT,
        minimum=1,
        maximum=4,
        width=8,
        help="1 low, 2 medium, 3 high, 4 very high",
    )


ASSETS = RegisterSpec(
    name="assets",
    title="Assets",
    code_prefix="A-",
    purpose="The inventory of information and the assets that hold or process it, with owners "
    "and protection needs (Annex A 5.9).",
    fields=(
        CODE,
        Field(
            "name",
            "Asset",
            required=True,
            width=30,
            synonyms=("Name", "Asset name", "Asset / Area"),
        ),
        Field(
            "type",
            "Type",
            Kind.CHOICE,
            required=True,
            choices=ASSET_TYPES,
            width=12,
            synonyms=("Asset type", "Category"),
        ),
        Field("description", "Description", Kind.LONGTEXT, width=40),
        Field("owner", "Owner", Kind.PERSON, width=12, synonyms=("Asset owner",)),
        Field("custodian", "Custodian", Kind.PERSON, width=12),
        Field("location", "Location", width=20),
        Field("classification", "Classification", Kind.CHOICE, choices=CLASSIFICATIONS, width=14),
        _cia("confidentiality", "Confidentiality"),
        _cia("integrity", "Integrity"),
        _cia("availability", "Availability"),
        Field(
            "lifecycle",
            "Lifecycle",
            Kind.CHOICE,
            choices=LIFECYCLE,
            width=10,
            synonyms=("Status", "Lifecycle status"),
        ),
        Field(
            "depends_on",
            "Depends on",
            Kind.REFS,
            ref="assets",
            width=16,
            synonyms=("Dependencies",),
        ),
    ),
    search_fields=("code", "name", "description", "location"),
)

RISKS = RegisterSpec(
    name="risks",
    title="Risks",
    code_prefix="R-",
    purpose="The information security risks: their assessment, treatment and acceptance "
    "(clauses 6.1.2, 6.1.3, 8.2, 8.3).",
    fields=(
        CODE,
        Field(
            "title",
            "Risk",
            required=True,
            width=40,
            synonyms=("Title", "Risk title", "Risk description", "Risk name"),
        ),
        Field("description", "Description", Kind.LONGTEXT, width=40),
        Field(
            "assets",
            "Assets",
            Kind.REFS,
            ref="assets",
            width=14,
            synonyms=("Asset", "Asset / Area", "Affected assets"),
        ),
        Field("threat", "Threat", width=26),
        Field("vulnerability", "Vulnerability", width=26, synonyms=("Weakness",)),
        Field(
            "consequences",
            "Consequences",
            Kind.LONGTEXT,
            width=30,
            synonyms=("Impact description",),
        ),
        Field("confidentiality", "C", Kind.BOOL, width=5, synonyms=("Confidentiality",)),
        Field("integrity", "I", Kind.BOOL, width=5, synonyms=("Integrity",)),
        Field("availability", "A", Kind.BOOL, width=5, synonyms=("Availability",)),
        Field("owner", "Risk owner", Kind.PERSON, width=14, synonyms=("Owner",)),
        Field(
            "inherent_likelihood",
            "Likelihood",
            Kind.SCALE,
            scale="likelihood",
            width=10,
            synonyms=("Inherent likelihood", "Probability", "L"),
        ),
        Field(
            "inherent_impact",
            "Impact",
            Kind.SCALE,
            scale="impact",
            width=10,
            synonyms=("Inherent impact", "Severity", "Consequence"),
        ),
        Field(
            "inherent_level",
            "Risk level",
            Kind.LEVEL,
            computed=True,
            width=10,
            synonyms=("Inherent risk", "Inherent level", "Risk rating", "Risk score"),
        ),
        Field("existing_controls", "Existing controls", Kind.LONGTEXT, width=30),
        Field(
            "treatment",
            "Treatment",
            Kind.CHOICE,
            choices=TREATMENTS,
            labels=TREATMENT_LABELS,
            width=16,
            synonyms=("Treatment option", "Risk treatment", "Response"),
        ),
        Field(
            "controls",
            "Controls",
            Kind.REFS,
            ref="controls",
            width=16,
            synonyms=("Control Ref", "Annex A controls", "Selected controls", "Controls ref"),
        ),
        Field(
            "residual_likelihood", "Residual likelihood", Kind.SCALE, scale="likelihood", width=10
        ),
        Field("residual_impact", "Residual impact", Kind.SCALE, scale="impact", width=10),
        Field(
            "residual_level",
            "Residual level",
            Kind.LEVEL,
            computed=True,
            width=10,
            synonyms=("Residual risk",),
        ),
        Field("accepted_by", "Accepted by", Kind.PERSON, width=14),
        Field("accepted_on", "Accepted on", Kind.DATE, width=12, synonyms=("Acceptance date",)),
        Field("acceptance_note", "Acceptance note", Kind.LONGTEXT, width=30),
        Field("status", "Status", Kind.CHOICE, choices=RISK_STATUSES, width=14),
        Field("next_review", "Next review", Kind.DATE, width=12, synonyms=("Review date",)),
    ),
    search_fields=("code", "title", "description", "threat", "vulnerability"),
)

_ACTION_FIELDS = (
    CODE,
    Field("title", "Action", required=True, width=40, synonyms=("Title", "Task", "Measure")),
    Field("description", "Description", Kind.LONGTEXT, width=40),
    Field("risks", "Risks", Kind.REFS, ref="risks", width=14, synonyms=("Risk", "Risk ID")),
    Field(
        "controls",
        "Controls",
        Kind.REFS,
        ref="controls",
        width=14,
        synonyms=("Control", "Control Ref"),
    ),
    Field("owner", "Owner", Kind.PERSON, width=14, synonyms=("Responsible", "Assignee")),
    Field("due_date", "Due date", Kind.DATE, width=12, synonyms=("Due", "Deadline", "Target date")),
    Field("status", "Status", Kind.CHOICE, choices=ACTION_STATUSES, width=12),
    Field(
        "progress",
        "Progress %",
        Kind.INT,
        minimum=0,
        maximum=100,
        width=10,
        synonyms=("Progress", "% complete"),
    ),
    Field("completed_on", "Completed on", Kind.DATE, width=12, synonyms=("Done on",)),
)

TREATMENT = RegisterSpec(
    name="treatment",
    title="Risk treatment plan",
    code_prefix="TA-",
    purpose="The actions that implement the risk treatment: who does what by when "
    "(clauses 6.1.3 e, 8.3).",
    fields=_ACTION_FIELDS,
    search_fields=("code", "title", "description"),
)

ACTIONS = RegisterSpec(
    name="actions",
    title="All actions",
    code_prefix="AC-",
    purpose="Every action with an owner and a due date, whatever it came from.",
    fields=(
        *_ACTION_FIELDS[:1],
        Field("source", "Source", Kind.CHOICE, choices=ACTION_SOURCES, width=12),
        *_ACTION_FIELDS[1:],
        Field("nonconformity", "Nonconformity", Kind.REF, ref="nonconformities", width=10),
        Field("review", "Management review", Kind.REF, ref="reviews", width=10),
        Field("incident", "Incident", Kind.REF, ref="incidents", width=10),
    ),
    search_fields=("code", "title", "description"),
)

SOA_STATUSES = (
    "not_started",
    "planned",
    "partially_implemented",
    "implemented",
    "not_applicable",
)
THEME_CHOICES = ("organizational", "people", "physical", "technological")

SOA = RegisterSpec(
    name="soa",
    title="Statement of Applicability",
    code_prefix="",
    purpose="Which of the Annex A controls apply, why, and how far each is implemented "
    "(clause 6.1.3 d).",
    fixed_rows=True,
    control_codes=True,
    fields=(
        Field(
            "code",
            "Control",
            width=8,
            synonyms=("Control Ref", "Control no", "Ref", "Control number", "Annex A", "No"),
        ),
        Field("title", "Title", computed=True, width=40, synonyms=("Control title", "Name")),
        Field("theme", "Theme", Kind.CHOICE, choices=THEME_CHOICES, computed=True, width=14),
        Field(
            "applicable",
            "Applicable",
            Kind.BOOL,
            width=10,
            synonyms=("Applicable?", "Included", "Applicability"),
        ),
        Field(
            "risks",
            "Selected by risks",
            Kind.REFS,
            ref="risks",
            computed=True,
            width=16,
            help="Derived from the risks that selected this control",
        ),
        Field(
            "reason_legal",
            "Legal or contractual",
            Kind.BOOL,
            width=10,
            synonyms=("Legal", "Contractual", "Regulatory"),
        ),
        Field(
            "requirements",
            "Requirements",
            Kind.REFS,
            ref="requirements",
            width=14,
            help="The interested parties' requirements that call for this control",
        ),
        Field(
            "reason_business", "Business requirement", Kind.BOOL, width=10, synonyms=("Business",)
        ),
        Field("reason_best_practice", "Best practice", Kind.BOOL, width=10),
        Field(
            "justification",
            "Justification",
            Kind.LONGTEXT,
            width=40,
            synonyms=(
                "Justification for exclusion",
                "Reason for exclusion",
                "Exclusion justification",
            ),
        ),
        Field(
            "status",
            "Implementation status",
            Kind.CHOICE,
            choices=SOA_STATUSES,
            width=18,
            synonyms=("Status", "Implementation"),
        ),
        Field("owner", "Owner", Kind.PERSON, width=14, synonyms=("Control owner", "Responsible")),
        Field(
            "implementation",
            "How it is implemented",
            Kind.LONGTEXT,
            width=40,
            synonyms=("Implementation details", "Description", "Comments"),
        ),
        Field("target_date", "Target date", Kind.DATE, width=12),
        Field("last_review", "Last review", Kind.DATE, width=12, synonyms=("Reviewed",)),
    ),
    search_fields=("code", "justification", "implementation"),
)

DOCUMENT_TYPES = ("policy", "procedure", "record", "plan", "external")
DOCUMENT_STATUSES = ("draft", "in_review", "approved", "published", "withdrawn")

DOCUMENTS = RegisterSpec(
    name="documents",
    title="Documents",
    code_prefix="DOC-",
    purpose="Every piece of documented information the ISMS controls: policies, procedures, "
    "records, plans and external documents (clauses 5.2, 7.5).",
    fields=(
        CODE,
        Field("title", "Title", required=True, width=36, synonyms=("Document", "Name")),
        Field(
            "type",
            "Type",
            Kind.CHOICE,
            required=True,
            choices=DOCUMENT_TYPES,
            width=12,
            synonyms=("Document type",),
        ),
        Field("owner", "Owner", Kind.PERSON, width=14),
        Field("classification", "Classification", Kind.CHOICE, choices=CLASSIFICATIONS, width=14),
        Field(
            "status",
            "Status",
            Kind.CHOICE,
            choices=DOCUMENT_STATUSES,
            computed=True,
            width=12,
            help="Changed by submitting, approving, publishing or withdrawing",
        ),
        Field("version", "Version", computed=True, width=8),
        Field("approver", "Approved by", Kind.PERSON, computed=True, width=14),
        Field("approved_on", "Approved on", Kind.DATE, computed=True, width=12),
        Field(
            "review_months",
            "Review every (months)",
            Kind.INT,
            minimum=1,
            maximum=60,
            width=10,
            synonyms=("Review interval", "Review cycle"),
        ),
        Field("next_review", "Next review", Kind.DATE, width=12, synonyms=("Review date",)),
        Field("clauses", "Clauses", Kind.LIST, width=12),
        Field("controls", "Controls", Kind.REFS, ref="controls", width=14),
        Field("location", "Kept at", width=24, help="Where a record or external document is kept"),
    ),
    search_fields=("code", "title", "location"),
)

AUDIT_STATUSES = ("planned", "in_progress", "completed", "cancelled")
FINDING_KINDS = ("major_nc", "minor_nc", "observation", "ofi")
FINDING_LABELS = (
    "Major nonconformity",
    "Minor nonconformity",
    "Observation",
    "Opportunity for improvement",
)

AUDITS = RegisterSpec(
    name="audits",
    title="Internal audits",
    code_prefix="AU-",
    purpose="The audit programme: planned and performed internal audits with their scope, "
    "criteria and auditors (clause 9.2).",
    fields=(
        CODE,
        Field("title", "Audit", required=True, width=32, synonyms=("Title", "Name")),
        Field("clauses", "Clauses", Kind.LIST, width=16, synonyms=("Clauses in scope",)),
        Field("controls", "Controls", Kind.LIST, width=16, synonyms=("Controls in scope",)),
        Field("processes", "Processes", Kind.LIST, width=16),
        Field("sites", "Sites", width=18, synonyms=("Locations",)),
        Field("criteria", "Criteria", Kind.LONGTEXT, width=30, synonyms=("Audit criteria",)),
        Field("lead_auditor", "Lead auditor", Kind.PERSON, width=14, synonyms=("Auditor",)),
        Field("auditors", "Other auditors", width=20),
        Field(
            "independence",
            "Independence",
            Kind.LONGTEXT,
            width=30,
            help="Why the auditors are objective and impartial for this scope",
        ),
        Field("planned_start", "Start", Kind.DATE, width=12, synonyms=("Planned date", "Date")),
        Field("planned_end", "End", Kind.DATE, width=12),
        Field("status", "Status", Kind.CHOICE, choices=AUDIT_STATUSES, width=12),
        Field("summary", "Summary", Kind.LONGTEXT, width=40),
    ),
    search_fields=("code", "title", "criteria", "summary"),
)

FINDINGS = RegisterSpec(
    name="findings",
    title="Audit findings",
    code_prefix="F-",
    purpose="What the internal audits found: nonconformities, observations and "
    "opportunities for improvement.",
    fields=(
        CODE,
        Field("audit", "Audit", Kind.REF, ref="audits", required=True, width=10),
        Field(
            "kind",
            "Kind",
            Kind.CHOICE,
            required=True,
            choices=FINDING_KINDS,
            labels=FINDING_LABELS,
            width=20,
            synonyms=("Type", "Finding type", "Grade"),
        ),
        Field("requirement", "Requirement", width=12, synonyms=("Clause", "Control", "Ref")),
        Field(
            "description",
            "Finding",
            Kind.LONGTEXT,
            required=True,
            width=50,
            synonyms=("Description",),
        ),
        Field("evidence", "Evidence", Kind.LONGTEXT, width=30),
        Field(
            "nonconformities",
            "Nonconformity raised",
            Kind.REFS,
            ref="nonconformities",
            computed=True,
            width=12,
            help="The nonconformity raised from this finding (its corrective action)",
        ),
    ),
    search_fields=("code", "requirement", "description", "evidence"),
)

NC_SOURCES = ("audit", "incident", "review", "complaint", "monitoring", "other")
NC_STATUSES = ("open", "cause_analysed", "action_planned", "implemented", "verified", "closed")

NONCONFORMITIES = RegisterSpec(
    name="nonconformities",
    title="Nonconformities",
    code_prefix="NC-",
    purpose="Nonconformities, their correction, root cause and corrective actions, and "
    "whether those were effective (clause 10.2).",
    fields=(
        CODE,
        Field("source", "Source", Kind.CHOICE, choices=NC_SOURCES, width=12),
        Field("finding", "Finding", Kind.REF, ref="findings", width=10),
        Field("incident", "Incident", Kind.REF, ref="incidents", width=10),
        Field(
            "description",
            "Nonconformity",
            Kind.LONGTEXT,
            required=True,
            width=50,
            synonyms=("Description",),
        ),
        Field("requirement", "Requirement", width=12, synonyms=("Clause", "Control")),
        Field("severity", "Severity", Kind.CHOICE, choices=("major", "minor"), width=10),
        Field("raised_on", "Raised on", Kind.DATE, width=12, synonyms=("Date",)),
        Field("raised_by", "Raised by", Kind.PERSON, width=14),
        Field(
            "correction",
            "Correction",
            Kind.LONGTEXT,
            width=30,
            help="The immediate fix of the nonconformity itself",
        ),
        Field("whys", "Why? (5 whys)", Kind.LIST, width=30),
        Field("root_cause", "Root cause", Kind.LONGTEXT, width=30),
        Field("verified_by", "Verified by", Kind.PERSON, width=14),
        Field("verified_on", "Verified on", Kind.DATE, width=12),
        Field("verification", "Verification of effectiveness", Kind.LONGTEXT, width=30),
        Field("effective", "Effective", Kind.BOOL, width=8),
        Field(
            "status",
            "Status",
            Kind.CHOICE,
            choices=NC_STATUSES,
            computed=True,
            width=14,
            help="Moves through the corrective-action workflow",
        ),
    ),
    search_fields=("code", "description", "requirement", "root_cause"),
    dated_today=("raised_on",),
)

INCIDENT_CATEGORIES = (
    "malware",
    "phishing",
    "data_leak",
    "lost_device",
    "unauthorised_access",
    "outage",
    "fraud",
    "physical",
    "other",
)
SEVERITIES = ("low", "medium", "high", "critical")
INCIDENT_STATUSES = ("open", "contained", "resolved", "closed")

INCIDENTS = RegisterSpec(
    name="incidents",
    title="Incidents",
    code_prefix="INC-",
    purpose="Information security incidents: what happened, the response, notification "
    "duties and lessons learned (Annex A 5.24–5.28).",
    fields=(
        CODE,
        Field("title", "Incident", required=True, width=32, synonyms=("Title", "Summary")),
        Field("occurred_at", "Occurred", Kind.DATETIME, width=16, synonyms=("Occurred at",)),
        Field(
            "detected_at",
            "Detected",
            Kind.DATETIME,
            width=16,
            synonyms=("Detected at", "Reported at", "Date"),
        ),
        Field("reporter", "Reported by", Kind.PERSON, width=14, synonyms=("Reporter",)),
        Field("description", "Description", Kind.LONGTEXT, width=40),
        Field("category", "Category", Kind.CHOICE, choices=INCIDENT_CATEGORIES, width=16),
        Field("severity", "Severity", Kind.CHOICE, choices=SEVERITIES, width=10),
        Field("confidentiality", "C", Kind.BOOL, width=5, synonyms=("Confidentiality",)),
        Field("integrity", "I", Kind.BOOL, width=5, synonyms=("Integrity",)),
        Field("availability", "A", Kind.BOOL, width=5, synonyms=("Availability",)),
        Field("assets", "Assets", Kind.REFS, ref="assets", width=14, synonyms=("Affected assets",)),
        Field("response", "Response", Kind.LONGTEXT, width=40, synonyms=("Response steps",)),
        Field(
            "personal_data",
            "Personal data",
            Kind.BOOL,
            width=8,
            help="Personal data was affected (data-protection rules may apply)",
        ),
        Field(
            "notification_required",
            "Notification required",
            Kind.BOOL,
            width=10,
            help="The authority must be told (e.g. within 72 hours of detection)",
        ),
        Field(
            "notify_by",
            "Notify by",
            Kind.DATETIME,
            computed=True,
            width=16,
            help="Deadline for notifying the authority: 72 hours after detection",
        ),
        Field("notified_at", "Notified", Kind.DATETIME, width=16, synonyms=("Notified at",)),
        Field("lessons_learned", "Lessons learned", Kind.LONGTEXT, width=40),
        Field(
            "status",
            "Status",
            Kind.CHOICE,
            choices=INCIDENT_STATUSES,
            computed=True,
            width=10,
            # (set in the table it closed incidents without lessons learned or the
            # notification they needed: the steps check both)
            help="Moves through incident handling: Mark Contained, Mark Resolved and Close "
            "Incident on the Incidents page",
        ),
    ),
    search_fields=("code", "title", "description", "lessons_learned"),
    dated_today=("detected_at",),
)

OBJECTIVE_STATUSES = ("planned", "on_track", "at_risk", "achieved", "missed")

OBJECTIVES = RegisterSpec(
    name="objectives",
    title="Information security objectives",
    code_prefix="OBJ-",
    purpose="Measurable information security objectives and the plans to reach them (clause 6.2).",
    fields=(
        CODE,
        Field(
            "objective",
            "Objective",
            Kind.LONGTEXT,
            required=True,
            width=40,
            synonyms=("Title", "Description"),
        ),
        Field("measure", "Measure", Kind.LONGTEXT, width=30, synonyms=("KPI", "Indicator")),
        Field("target", "Target", width=16),
        Field("owner", "Owner", Kind.PERSON, width=14, synonyms=("Responsible",)),
        Field("resources", "Resources", Kind.LONGTEXT, width=24),
        Field("due_date", "Due date", Kind.DATE, width=12, synonyms=("Deadline", "By when")),
        Field(
            "evaluation",
            "How results are evaluated",
            Kind.LONGTEXT,
            width=30,
            synonyms=("Evaluation",),
        ),
        Field("status", "Status", Kind.CHOICE, choices=OBJECTIVE_STATUSES, width=12),
        Field(
            "progress",
            "Progress %",
            Kind.INT,
            minimum=0,
            maximum=100,
            width=10,
            synonyms=("Progress",),
        ),
        Field("metrics", "Metrics", Kind.REFS, ref="metrics", width=12),
    ),
    search_fields=("code", "objective", "measure", "target"),
)

COMPETENCES = RegisterSpec(
    name="competences",
    title="Required competences",
    code_prefix="RT-",
    purpose="The training and awareness each role (or everyone) needs, and how often it is "
    "refreshed (clauses 7.2, 7.3).",
    fields=(
        CODE,
        Field("course", "Course", required=True, width=32, synonyms=("Training", "Competence")),
        Field(
            "role",
            "Role",
            Kind.REF,
            ref="roles",
            width=12,
            help="Leave empty when everyone needs it",
        ),
        Field(
            "refresh_months",
            "Refresh every (months)",
            Kind.INT,
            minimum=1,
            maximum=120,
            width=10,
            synonyms=("Refresh", "Validity"),
        ),
        Field("description", "Description", Kind.LONGTEXT, width=40),
    ),
    search_fields=("code", "course", "description"),
)

TRAINING = RegisterSpec(
    name="training",
    title="Training and awareness records",
    code_prefix="TR-",
    purpose="Who took which training or awareness session, when, with what result "
    "(clauses 7.2 d, 7.3).",
    fields=(
        CODE,
        Field(
            "person", "Person", Kind.PERSON, required=True, width=16, synonyms=("Name", "Employee")
        ),
        Field("course", "Course", required=True, width=32, synonyms=("Training", "Campaign")),
        Field(
            "kind",
            "Kind",
            Kind.CHOICE,
            choices=("training", "awareness", "qualification"),
            width=12,
            synonyms=("Type",),
        ),
        Field("date", "Date", Kind.DATE, required=True, width=12, synonyms=("Completed",)),
        Field("result", "Result", width=12, synonyms=("Score", "Outcome")),
        Field("evidence", "Evidence", width=24, synonyms=("Certificate",)),
        Field("expires_on", "Expires", Kind.DATE, width=12, synonyms=("Expiry", "Valid until")),
    ),
    search_fields=("code", "course", "result", "evidence"),
)

METRIC_FREQUENCIES = ("monthly", "quarterly", "half_yearly", "yearly")

METRICS = RegisterSpec(
    name="metrics",
    title="Metrics",
    code_prefix="M-",
    purpose="What is monitored and measured, how, how often, by whom, and against which "
    "target (clause 9.1).",
    fields=(
        CODE,
        Field("name", "Metric", required=True, width=32, synonyms=("Name", "KPI")),
        Field(
            "description", "What is measured", Kind.LONGTEXT, width=36, synonyms=("Description",)
        ),
        Field("method", "Method", Kind.LONGTEXT, width=30),
        Field("frequency", "Frequency", Kind.CHOICE, choices=METRIC_FREQUENCIES, width=12),
        Field("measured_by", "Measured by", Kind.PERSON, width=14),
        Field("analysed_by", "Analysed by", Kind.PERSON, width=14),
        Field("unit", "Unit", width=8),
        Field(
            "direction",
            "Better when",
            Kind.CHOICE,
            choices=("higher", "lower"),
            labels=("Higher", "Lower"),
            width=10,
        ),
        Field("target", "Target", Kind.NUMBER, width=8),
        Field("threshold", "Alert threshold", Kind.NUMBER, width=10, synonyms=("Threshold",)),
    ),
    search_fields=("code", "name", "description"),
)

REVIEW_STATUSES = ("draft", "held", "closed")

REVIEWS = RegisterSpec(
    name="reviews",
    title="Management reviews",
    code_prefix="MR-",
    purpose="Top management's reviews of the ISMS: inputs, decisions and actions (clause 9.3).",
    fields=(
        CODE,
        Field("title", "Review", required=True, width=30, synonyms=("Title",)),
        Field("date", "Date", Kind.DATE, width=12, synonyms=("Meeting date",)),
        Field("period_start", "Period from", Kind.DATE, width=12),
        Field("period_end", "Period to", Kind.DATE, width=12),
        Field("chair", "Chaired by", Kind.PERSON, width=14, synonyms=("Chair",)),
        Field("attendees", "Attendees", Kind.LONGTEXT, width=30),
        Field("minutes", "Minutes", Kind.LONGTEXT, width=40),
        Field("decisions", "Decisions", Kind.LONGTEXT, width=40),
        Field("status", "Status", Kind.CHOICE, choices=REVIEW_STATUSES, width=10),
    ),
    search_fields=("code", "title", "minutes", "decisions"),
)

SPECS: dict[str, RegisterSpec] = {
    spec.name: spec
    for spec in (
        PEOPLE,
        CONTEXT,
        PARTIES,
        REQUIREMENTS,
        SCOPE,
        PROCESSES,
        INTERACTIONS,
        ROLES,
        COMMITMENTS,
        ASSETS,
        RISKS,
        TREATMENT,
        ACTIONS,
        SOA,
        DOCUMENTS,
        AUDITS,
        FINDINGS,
        NONCONFORMITIES,
        INCIDENTS,
        OBJECTIVES,
        COMPETENCES,
        TRAINING,
        METRICS,
        REVIEWS,
    )
}


def spec(name: str) -> RegisterSpec:
    try:
        return SPECS[name]
    except KeyError:
        raise KeyError(f"no register named {name!r}") from None
