"""Plain, immutable records of the catalogue content (Annex A, clauses, threats, templates)."""

from __future__ import annotations

from dataclasses import dataclass, field

THEMES: tuple[str, ...] = ("organizational", "people", "physical", "technological")
CONTROL_TYPES = frozenset({"preventive", "detective", "corrective"})
SECURITY_PROPERTIES = frozenset({"confidentiality", "integrity", "availability"})
CYBERSECURITY_CONCEPTS = frozenset({"identify", "protect", "detect", "respond", "recover"})
OPERATIONAL_CAPABILITIES = frozenset(
    {
        "governance",
        "asset_management",
        "information_protection",
        "human_resource_security",
        "physical_security",
        "system_and_network_security",
        "application_security",
        "secure_configuration",
        "identity_and_access_management",
        "threat_and_vulnerability_management",
        "continuity",
        "supplier_relationships_security",
        "legal_and_compliance",
        "information_security_event_management",
        "information_security_assurance",
    }
)
SECURITY_DOMAINS = frozenset({"governance_and_ecosystem", "protection", "defence", "resilience"})
ASSET_TYPES: tuple[str, ...] = (
    "information",
    "software",
    "hardware",
    "service",
    "people",
    "site",
    "supplier",
)


@dataclass(frozen=True)
class ControlEntry:
    number: str
    title: str
    theme: str
    control_type: tuple[str, ...]
    security_properties: tuple[str, ...]
    cybersecurity_concepts: tuple[str, ...]
    operational_capabilities: tuple[str, ...]
    security_domains: tuple[str, ...]
    purpose: str
    iso27001_2013: tuple[str, ...]
    new_in_2022: bool


@dataclass(frozen=True)
class DocumentedInformation:
    title: str
    type: str
    mandatory: bool


@dataclass(frozen=True)
class ClauseEntry:
    number: str
    title: str


@dataclass(frozen=True)
class RequirementEntry:
    ref: str
    clause: str
    summary: str
    documented_information: tuple[DocumentedInformation, ...]
    audit_questions: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class ThreatEntry:
    code: str
    title: str
    description: str
    category: str
    affects: tuple[str, ...]
    asset_types: tuple[str, ...]
    typical_controls: tuple[str, ...]


@dataclass(frozen=True)
class VulnerabilityEntry:
    code: str
    title: str
    description: str
    category: str
    affects: tuple[str, ...]
    asset_types: tuple[str, ...]
    typical_controls: tuple[str, ...]
    threats: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateQuestion:
    key: str
    label: str


@dataclass(frozen=True)
class PolicyTemplate:
    code: str
    title: str
    kind: str
    topic: str
    clauses: tuple[str, ...]
    controls: tuple[str, ...]
    review_cycle_months: int
    questions: tuple[TemplateQuestion, ...]
    body: str


@dataclass(frozen=True)
class ProcessEntry:
    code: str
    name: str
    purpose: str
    owner_role: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    clauses: tuple[str, ...]
    controls: tuple[str, ...]
    records: tuple[str, ...]


@dataclass(frozen=True)
class InteractionEntry:
    source: str
    target: str
    flow: str


@dataclass(frozen=True)
class ScaleLevel:
    value: int
    label: str
    description: str


@dataclass(frozen=True)
class RiskLevelEntry:
    code: str
    label: str
    colour: str


@dataclass(frozen=True)
class RiskMethodEntry:
    code: str
    name: str
    description: str
    likelihood: tuple[ScaleLevel, ...]
    impact: tuple[ScaleLevel, ...]
    levels: tuple[RiskLevelEntry, ...]
    matrix: tuple[tuple[str, ...], ...]
    acceptance_level: str
    acceptance_by: str


@dataclass(frozen=True)
class Sector:
    code: str
    label: str


@dataclass(frozen=True)
class IssueSuggestion:
    text: str
    kind: str
    category: str
    sectors: tuple[str, ...]


@dataclass(frozen=True)
class RequirementSuggestion:
    text: str
    type: str


@dataclass(frozen=True)
class PartySuggestion:
    name: str
    kind: str
    sectors: tuple[str, ...]
    requirements: tuple[RequirementSuggestion, ...]


@dataclass(frozen=True)
class ContextSuggestions:
    sectors: tuple[Sector, ...] = ()
    issues: tuple[IssueSuggestion, ...] = ()
    parties: tuple[PartySuggestion, ...] = ()


@dataclass(frozen=True)
class CatalogueVersions:
    """The version string of each catalogue file, stored in every project."""

    versions: dict[str, str] = field(default_factory=dict)
