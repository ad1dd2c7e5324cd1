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
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, synonym

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


class Person(Base):
    """Someone who owns, approves or performs things in the ISMS."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Control(Base):
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
        secondary="risk_controls", viewonly=True, lazy="selectin"
    )


class SoaEntry(Base):
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


class Process(Base):
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


class ProcessInteraction(Base):
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


class ContextIssue(Base):
    """An internal or external issue relevant to the ISMS (clause 4.1)."""

    __tablename__ = "context_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(Text, default="")
    climate_related: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class InterestedParty(Base):
    """A party with a stake in the organisation's information security (clause 4.2 a)."""

    __tablename__ = "interested_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    relevant: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class PartyRequirement(Base):
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


class ScopeItem(Base):
    """A boundary of the ISMS: location, unit, process, technology, interface, exclusion."""

    __tablename__ = "scope_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    counterpart: Mapped[str] = mapped_column(String(300), default="")
    justification: Mapped[str] = mapped_column(Text, default="")


class Role(Base):
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


class Commitment(Base):
    """A record of top management's commitment (clause 5.1)."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    date: Mapped[dt.date] = mapped_column(Date)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(String(300), default="")


class Asset(Base):
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


class Risk(Base):
    """An information security risk: assessment, treatment and acceptance (6.1.2, 6.1.3)."""

    __tablename__ = "risks"

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


class Action(Base):
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
