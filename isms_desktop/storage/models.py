"""SQLAlchemy 2 models of the project file.

Every schema change goes through an Alembic revision under ``migrations/versions``; these
models describe the schema at the head revision. Column types are portable (SQLite and
PostgreSQL); JSON columns hold short lists such as control attributes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    declared_attr,
    mapped_column,
    object_session,
    relationship,
    synonym,
)

from isms_desktop.domain.audit_incidents import notification_deadline

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """Optimistic concurrency (migration 0007): every ORM UPDATE or DELETE of a register
    record checks and bumps ``row_version``, so saving over a record that someone else
    changed since it was read raises ``StaleDataError`` instead of overwriting their work."""

    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.row_version}  # type: ignore[attr-defined]


class ProjectRow(Base):
    """The one row describing the organisation whose ISMS this file holds."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(60), default="")
    size: Mapped[str] = mapped_column(String(60), default="")
    locations: Mapped[str] = mapped_column(Text, default="")
    scope_statement: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by_version: Mapped[str] = mapped_column(String(40), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    logo_mime: Mapped[str] = mapped_column(String(60), default="", server_default="")


class Setting(Base):
    """Project-level settings (branding, preferences) as key → JSON value."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class CatalogueVersion(Base):
    """Which version of each bundled catalogue file the project was last updated from."""

    __tablename__ = "catalogue_versions"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))


class Person(Versioned, Base):
    """Someone who owns, approves or performs things in the ISMS."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Control(Versioned, Base):
    """An Annex A control (from the catalogue) or a custom control of the project."""

    __tablename__ = "controls"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    theme: Mapped[str] = mapped_column(String(40), index=True)
    control_type: Mapped[list[str]] = mapped_column(JSON, default=list)
    security_properties: Mapped[list[str]] = mapped_column(JSON, default=list)
    cybersecurity_concepts: Mapped[list[str]] = mapped_column(JSON, default=list)
    operational_capabilities: Mapped[list[str]] = mapped_column(JSON, default=list)
    security_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    purpose: Mapped[str] = mapped_column(Text, default="")
    iso27001_2013: Mapped[list[str]] = mapped_column(JSON, default=list)
    new_in_2022: Mapped[bool] = mapped_column(Boolean, default=False)
    is_custom: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_key: Mapped[int] = mapped_column(Integer, default=0)

    soa_entry: Mapped[SoaEntry | None] = relationship(back_populates="control", uselist=False)

    # Other registers refer to records by ``code``; a control's code is its number.
    code = synonym("number")
    risks: Mapped[list[Risk]] = relationship(
        # loaded only when asked for: a control can be selected by thousands of risks
        secondary="risk_controls",
        viewonly=True,
        lazy="select",
    )


class SoaEntry(Versioned, Base):
    """The Statement of Applicability row of one control."""

    __tablename__ = "soa_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    control_id: Mapped[int] = mapped_column(
        ForeignKey("controls.id", ondelete="CASCADE"), unique=True
    )
    # The control's number and order, kept here so the SoA lists and sorts like a register.
    code: Mapped[str] = mapped_column(String(40), unique=True)
    sort_key: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    applicable: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    reason_legal: Mapped[bool] = mapped_column(Boolean, default=False)
    reason_business: Mapped[bool] = mapped_column(Boolean, default=False)
    reason_best_practice: Mapped[bool] = mapped_column(Boolean, default=False)
    justification: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(40), default="not_started")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True
    )
    implementation: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    last_review: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    control: Mapped[Control] = relationship(back_populates="soa_entry", lazy="joined")
    owner: Mapped[Person | None] = relationship()

    @property
    def title(self) -> str:
        return self.control.title

    @property
    def theme(self) -> str:
        return self.control.theme

    @property
    def risks(self) -> list[str]:
        """The risks that selected this control: the SoA's derived reason for inclusion."""
        return sorted(risk.code for risk in self.control.risks)


class Clause(Base):
    """A clause heading of ISO/IEC 27001 (4.1 … 10.2)."""

    __tablename__ = "clauses"

    number: Mapped[str] = mapped_column(String(20), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    sort_key: Mapped[int] = mapped_column(Integer, default=0)


class ClauseRequirement(Base):
    """One requirement item of a clause, with its audit questions."""

    __tablename__ = "clause_requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True)
    clause: Mapped[str] = mapped_column(ForeignKey("clauses.number"))
    summary: Mapped[str] = mapped_column(Text)
    documented_information: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    audit_questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    sort_key: Mapped[int] = mapped_column(Integer, default=0)


class Threat(Base):
    """A threat from the catalogue, or one the user added."""

    __tablename__ = "threats"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    affects: Mapped[list[str]] = mapped_column(JSON, default=list)
    asset_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    typical_controls: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_custom: Mapped[bool] = mapped_column(Boolean, default=False)


class Vulnerability(Base):
    """A vulnerability from the catalogue, or one the user added."""

    __tablename__ = "vulnerabilities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    affects: Mapped[list[str]] = mapped_column(JSON, default=list)
    asset_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    typical_controls: Mapped[list[str]] = mapped_column(JSON, default=list)
    threats: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_custom: Mapped[bool] = mapped_column(Boolean, default=False)


class Template(Base):
    """A document template (policy) the drafting wizard starts from."""

    __tablename__ = "templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40), default="policy")
    topic: Mapped[str] = mapped_column(String(80), default="")
    clauses: Mapped[list[str]] = mapped_column(JSON, default=list)
    controls: Mapped[list[str]] = mapped_column(JSON, default=list)
    review_cycle_months: Mapped[int] = mapped_column(Integer, default=12)
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text, default="")
    is_custom: Mapped[bool] = mapped_column(Boolean, default=False)


class Process(Versioned, Base):
    """An ISMS process (clause 4.4)."""

    __tablename__ = "processes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), nullable=True
    )
    owner_role: Mapped[str] = mapped_column(String(200), default="")
    inputs: Mapped[list[str]] = mapped_column(JSON, default=list)
    outputs: Mapped[list[str]] = mapped_column(JSON, default=list)
    clauses: Mapped[list[str]] = mapped_column(JSON, default=list)
    controls: Mapped[list[str]] = mapped_column(JSON, default=list)
    records: Mapped[list[str]] = mapped_column(JSON, default=list)
    sort_key: Mapped[int] = mapped_column(Integer, default=0)

    owner: Mapped[Person | None] = relationship()


class ProcessInteraction(Versioned, Base):
    """What flows from one ISMS process to another."""

    __tablename__ = "process_interactions"
    __table_args__ = (UniqueConstraint("source_id", "target_id", "flow"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("processes.id", ondelete="CASCADE"))
    flow: Mapped[str] = mapped_column(String(300))


class RiskMethod(Base):
    """The project's risk method (scales, matrix, acceptance); one row is active."""

    __tablename__ = "risk_methods"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    likelihood: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    impact: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    matrix: Mapped[list[list[str]]] = mapped_column(JSON)
    acceptance_level: Mapped[str] = mapped_column(String(40))
    acceptance_by: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ContextIssue(Versioned, Base):
    """An internal or external issue relevant to the ISMS (clause 4.1)."""

    __tablename__ = "context_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(Text, default="")
    climate_related: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class InterestedParty(Versioned, Base):
    """A party with a stake in the organisation's information security (clause 4.2 a)."""

    __tablename__ = "interested_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    relevant: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class PartyRequirement(Versioned, Base):
    """A requirement of an interested party, and whether the ISMS addresses it (4.2 b–c)."""

    __tablename__ = "party_requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    party_id: Mapped[int] = mapped_column(
        ForeignKey("interested_parties.id", ondelete="RESTRICT"), index=True
    )
    requirement: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(20), default="")
    addressed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    how_addressed: Mapped[str] = mapped_column(Text, default="")


class ScopeItem(Versioned, Base):
    """A boundary of the ISMS: location, unit, process, technology, interface, exclusion."""

    __tablename__ = "scope_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    counterpart: Mapped[str] = mapped_column(String(300), default="")
    justification: Mapped[str] = mapped_column(Text, default="")


class Role(Versioned, Base):
    """An ISMS role with its responsibilities and who holds it (clause 5.3)."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    holder_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    deputy_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    responsibilities: Mapped[str] = mapped_column(Text, default="")
    authorities: Mapped[str] = mapped_column(Text, default="")


class Commitment(Versioned, Base):
    """A record of top management's commitment (clause 5.1)."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    date: Mapped[dt.date] = mapped_column(Date)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(String(300), default="")


class Asset(Versioned, Base):
    """An information asset or a supporting asset of the inventory (A.5.9)."""

    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    custodian_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    location: Mapped[str] = mapped_column(String(300), default="")
    classification: Mapped[str] = mapped_column(String(40), default="")
    confidentiality: Mapped[int | None] = mapped_column(Integer, nullable=True)
    integrity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    availability: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lifecycle: Mapped[str] = mapped_column(String(40), default="in_use")


class AssetDependency(Base):
    """Asset ``asset_id`` depends on asset ``depends_on_id`` (e.g. an application on a server)."""

    __tablename__ = "asset_dependencies"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    depends_on_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True, index=True
    )


RISK_SUMMARY_COLUMNS = (
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "status",
    "treatment",
    "inherent_rank",
    "inherent_level",
    "residual_level",
    "owner_id",
    "accepted_by_id",
    "next_review",
)


class Risk(Versioned, Base):
    """An information security risk: assessment, treatment and acceptance (6.1.2, 6.1.3)."""

    __tablename__ = "risks"
    # The heat maps and the readiness counts read every risk's scores, treatment and status:
    # from this index they scan a few MB instead of the whole table (at 100,000 risks, the
    # dashboard's figures in ~80 ms instead of ~240 ms). Scores first: the inherent heat map
    # groups in index order.
    # The action list reads the earliest reviews first, and counts the due ones (and those
    # of an owner) from the index alone.
    __table_args__ = (
        Index("ix_risks_summary", *RISK_SUMMARY_COLUMNS),
        Index("ix_risks_next_review", "next_review", "status", "owner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(500), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    threat: Mapped[str] = mapped_column(String(300), default="")
    vulnerability: Mapped[str] = mapped_column(String(300), default="")
    consequences: Mapped[str] = mapped_column(Text, default="")
    confidentiality: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    integrity: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    availability: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    inherent_likelihood: Mapped[int | None] = mapped_column(Integer, nullable=True)
    inherent_impact: Mapped[int | None] = mapped_column(Integer, nullable=True)
    inherent_level: Mapped[str | None] = mapped_column(String(40), nullable=True)
    inherent_rank: Mapped[int] = mapped_column(Integer, default=-1, index=True)
    existing_controls: Mapped[str] = mapped_column(Text, default="")
    treatment: Mapped[str] = mapped_column(String(20), default="", index=True)
    residual_likelihood: Mapped[int | None] = mapped_column(Integer, nullable=True)
    residual_impact: Mapped[int | None] = mapped_column(Integer, nullable=True)
    residual_level: Mapped[str | None] = mapped_column(String(40), nullable=True)
    residual_rank: Mapped[int] = mapped_column(Integer, default=-1, index=True)
    accepted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    accepted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    acceptance_note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(30), default="identified", index=True)
    next_review: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class RiskAsset(Base):
    __tablename__ = "risk_assets"

    risk_id: Mapped[int] = mapped_column(
        ForeignKey("risks.id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RiskControl(Base):
    """A control selected to treat a risk (feeds the SoA's reasons for inclusion)."""

    __tablename__ = "risk_controls"

    risk_id: Mapped[int] = mapped_column(
        ForeignKey("risks.id", ondelete="CASCADE"), primary_key=True
    )
    control_id: Mapped[int] = mapped_column(
        ForeignKey("controls.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Action(Versioned, Base):
    """Anything to be done by someone by a date: risk treatment, corrective action, ...

    One table for all of them, so that one list shows everything open or overdue.
    """

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    source: Mapped[str] = mapped_column(String(30), default="other", index=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(30), default="open", index=True)
    progress: Mapped[int | None] = mapped_column(Integer, nullable=True)
    completed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Where the action came from, when it came from one record (corrective action of a
    # nonconformity, a management review decision, an incident follow-up).
    nonconformity_id: Mapped[int | None] = mapped_column(
        ForeignKey("nonconformities.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="RESTRICT"), nullable=True, index=True
    )


class ActionRisk(Base):
    __tablename__ = "action_risks"

    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True
    )
    risk_id: Mapped[int] = mapped_column(
        ForeignKey("risks.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ActionControl(Base):
    __tablename__ = "action_controls"

    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True
    )
    control_id: Mapped[int] = mapped_column(
        ForeignKey("controls.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SoaRequirement(Base):
    """A requirement of an interested party that makes a control applicable (legal etc.)."""

    __tablename__ = "soa_requirements"

    soa_id: Mapped[int] = mapped_column(
        ForeignKey("soa_entries.id", ondelete="CASCADE"), primary_key=True
    )
    requirement_id: Mapped[int] = mapped_column(
        ForeignKey("party_requirements.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SoaVersion(Base):
    """An approved, frozen Statement of Applicability (never changed after approval)."""

    __tablename__ = "soa_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    approved_by: Mapped[str] = mapped_column(String(200))
    approved_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class Attachment(Base):
    """A file kept inside the project (evidence, logos); its bytes live in ``attachment_data``.

    Owned by one record of any register (``owner_register`` + ``owner_id``), so listing
    attachments never reads their content.
    """

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_register: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(100), default="")
    added_by: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_attachments_owner", "owner_register", "owner_id"),)


class AttachmentData(Base):
    """The bytes of an attachment, written and read in chunks."""

    __tablename__ = "attachment_data"

    attachment_id: Mapped[int] = mapped_column(
        ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)


# --- documents (clauses 5.2, 7.5) -------------------------------------------------------


class Document(Versioned, Base):
    """A piece of documented information under control: policy, procedure, record, plan."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(20), default="policy", index=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    classification: Mapped[str] = mapped_column(String(40), default="internal")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    version: Mapped[str] = mapped_column(String(20), default="0.1")
    approver_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    approved_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    review_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    next_review: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    clauses: Mapped[list[str]] = mapped_column(JSON, default=list)
    template_code: Mapped[str] = mapped_column(String(40), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class DocumentControl(Base):
    __tablename__ = "document_controls"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    control_id: Mapped[int] = mapped_column(
        ForeignKey("controls.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DocumentVersion(Base):
    """An approved or published version of a document, frozen for good."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"), index=True
    )
    version: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    change_note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    approver: Mapped[str] = mapped_column(String(200), default="")
    approved_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    classification: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SoaDocument(Base):
    """A policy or procedure that describes how a control is implemented."""

    __tablename__ = "soa_documents"

    soa_id: Mapped[int] = mapped_column(
        ForeignKey("soa_entries.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# --- internal audit, nonconformity, incidents (9.2, 10.1, 10.2) ---------------------------


class Audit(Versioned, Base):
    """A planned or performed internal audit of the audit programme (9.2.2)."""

    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    clauses: Mapped[list[str]] = mapped_column(JSON, default=list)
    controls: Mapped[list[str]] = mapped_column(JSON, default=list)
    processes: Mapped[list[str]] = mapped_column(JSON, default=list)
    sites: Mapped[str] = mapped_column(String(300), default="")
    criteria: Mapped[str] = mapped_column(Text, default="")
    lead_auditor_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    auditors: Mapped[str] = mapped_column(String(300), default="")
    independence: Mapped[str] = mapped_column(Text, default="")
    planned_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    planned_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    signed_off_by: Mapped[str] = mapped_column(String(200), default="")
    signed_off_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class ChecklistItem(Base):
    """One question of an audit's checklist, and what the auditor found."""

    __tablename__ = "checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(40))
    question: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(String(20), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    evidence_seen: Mapped[str] = mapped_column(Text, default="")
    interviewees: Mapped[str] = mapped_column(String(300), default="")


class ChecklistTemplate(Base):
    """A checklist saved for reuse: (ref, question) pairs."""

    __tablename__ = "checklist_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class Finding(Versioned, Base):
    """An audit finding: nonconformity, observation or opportunity for improvement."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    requirement: Mapped[str] = mapped_column(String(60), default="")
    description: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    checklist_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("checklist_items.id", ondelete="SET NULL"), nullable=True
    )

    @property
    def nonconformities(self) -> list[str]:
        """The nonconformities raised from this finding (derived: finding -> NC)."""
        session = object_session(self)
        if session is None or self.id is None:
            return []
        table = Base.metadata.tables["nonconformities"]
        found = session.scalars(select(table.c.code).where(table.c.finding_id == self.id))
        return sorted(str(code) for code in found)


class Incident(Versioned, Base):
    """An information security incident, its handling and its lessons."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    occurred_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    detected_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    severity: Mapped[str] = mapped_column(String(20), default="low", index=True)
    confidentiality: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    integrity: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    availability: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    response: Mapped[str] = mapped_column(Text, default="")
    personal_data: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    notification_required: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    notified_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    lessons_learned: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)

    @property
    def notify_by(self) -> dt.datetime | None:
        """The notification deadline (72 hours after detection), when one is required."""
        return notification_deadline(self.detected_at, self.notification_required)


class IncidentAsset(Base):
    __tablename__ = "incident_assets"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Nonconformity(Versioned, Base):
    """A nonconformity (10.2): correction, root cause, corrective actions, effectiveness."""

    __tablename__ = "nonconformities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    source: Mapped[str] = mapped_column(String(20), default="audit", index=True)
    finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("findings.id", ondelete="RESTRICT"), nullable=True
    )
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="RESTRICT"), nullable=True
    )
    description: Mapped[str] = mapped_column(Text)
    requirement: Mapped[str] = mapped_column(String(60), default="")
    severity: Mapped[str] = mapped_column(String(20), default="minor", index=True)
    raised_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    raised_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    correction: Mapped[str] = mapped_column(Text, default="")
    whys: Mapped[list[str]] = mapped_column(JSON, default=list)
    root_cause: Mapped[str] = mapped_column(Text, default="")
    verified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    verified_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    verification: Mapped[str] = mapped_column(Text, default="")
    effective: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)


# --- objectives, competence, monitoring, management review (6.2, 7.2, 7.3, 9.1, 9.3) ----


class Objective(Versioned, Base):
    """An information security objective and the plan to achieve it (6.2)."""

    __tablename__ = "objectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    objective: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    resources: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    evaluation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    progress: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ObjectiveMetric(Base):
    __tablename__ = "objective_metrics"

    objective_id: Mapped[int] = mapped_column(
        ForeignKey("objectives.id", ondelete="CASCADE"), primary_key=True
    )
    metric_id: Mapped[int] = mapped_column(
        ForeignKey("metrics.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RequiredTraining(Versioned, Base):
    """A competence or awareness course a role (or everyone) must have (7.2, 7.3)."""

    __tablename__ = "required_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    course: Mapped[str] = mapped_column(String(300))
    role_id: Mapped[int | None] = mapped_column(
        ForeignKey("roles.id", ondelete="RESTRICT"), nullable=True
    )
    refresh_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")


class TrainingRecord(Versioned, Base):
    """That a person took a course or awareness session, with result and evidence."""

    __tablename__ = "training_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    course: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="training")
    date: Mapped[dt.date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(40), default="")
    evidence: Mapped[str] = mapped_column(String(300), default="")
    expires_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)


class Metric(Versioned, Base):
    """Something the ISMS measures (9.1): how, how often, by whom, against what target."""

    __tablename__ = "metrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(Text, default="")
    frequency: Mapped[str] = mapped_column(String(20), default="monthly")
    measured_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    analysed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    unit: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[str] = mapped_column(String(10), default="higher")
    target: Mapped[float | None] = mapped_column(Float, nullable=True)
    threshold: Mapped[float | None] = mapped_column(Float, nullable=True)


class Measurement(Base):
    __tablename__ = "measurements"
    __table_args__ = (UniqueConstraint("metric_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    metric_id: Mapped[int] = mapped_column(ForeignKey("metrics.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")


class Review(Versioned, Base):
    """A management review (9.3): inputs compiled from the project, decisions, minutes."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    period_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    period_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    chair_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True
    )
    attendees: Mapped[str] = mapped_column(Text, default="")
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    minutes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)


class ChangeLog(Base):
    """One change to one record (audit trail); append-only, guarded by triggers (0006)."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    os_user: Mapped[str] = mapped_column(String(200))
    user_name: Mapped[str] = mapped_column(String(200), index=True)
    register: Mapped[str] = mapped_column(String(60))
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    record_code: Mapped[str] = mapped_column(String(200))
    field: Mapped[str | None] = mapped_column(String(100), nullable=True)
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    kind: Mapped[str] = mapped_column(String(10))
    txn: Mapped[str] = mapped_column(String(32), index=True)

    __table_args__ = (Index("ix_change_log_register_record_code", "register", "record_code"),)
