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
        Field("owner", "Owner", Kind.PERSON, width=12, synonyms=("Process owner",)),
        Field("owner_role", "Owner role", width=24),
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
    )
}


def spec(name: str) -> RegisterSpec:
    try:
        return SPECS[name]
    except KeyError:
        raise KeyError(f"no register named {name!r}") from None
