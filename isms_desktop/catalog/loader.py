"""Read the catalogue files under ``resources/`` into immutable records.

The files are data, versioned with the application; every new project receives a copy and
records each file's ``version`` so that a later catalogue update can be applied to it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from isms_desktop.catalog.model import (
    ClauseEntry,
    ContextSuggestions,
    ControlEntry,
    DocumentedInformation,
    InteractionEntry,
    IssueSuggestion,
    PartySuggestion,
    PolicyTemplate,
    ProcessEntry,
    RequirementEntry,
    RequirementSuggestion,
    RiskLevelEntry,
    RiskMethodEntry,
    ScaleLevel,
    Sector,
    TemplateQuestion,
    ThreatEntry,
    VulnerabilityEntry,
)
from isms_desktop.catalog.resources import resources_dir

# libyaml's C parser is many times faster than the pure-Python one (start-up time).
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML safely (no Python objects), with the fast C parser when available."""
    return yaml.load(text, Loader=_LOADER)


class CatalogueError(Exception):
    """A bundled catalogue file is missing or malformed (a packaging bug, not user input)."""


@dataclass(frozen=True)
class Catalogue:
    """Everything a new project receives from the bundled content."""

    versions: dict[str, str]
    controls: tuple[ControlEntry, ...]
    clauses: tuple[ClauseEntry, ...]
    requirements: tuple[RequirementEntry, ...]
    threats: tuple[ThreatEntry, ...]
    vulnerabilities: tuple[VulnerabilityEntry, ...]
    templates: tuple[PolicyTemplate, ...]
    processes: tuple[ProcessEntry, ...]
    interactions: tuple[InteractionEntry, ...]
    risk_methods: tuple[RiskMethodEntry, ...]
    context: ContextSuggestions

    def control(self, number: str) -> ControlEntry:
        for control in self.controls:
            if control.number == number:
                return control
        raise KeyError(number)

    def template(self, code: str) -> PolicyTemplate:
        for template in self.templates:
            if template.code == code:
                return template
        raise KeyError(code)

    def risk_method(self, code: str) -> RiskMethodEntry:
        for method in self.risk_methods:
            if method.code == code:
                return method
        raise KeyError(code)


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"catalogue file {path} cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogueError(f"catalogue file {path} does not hold a mapping")
    return data


def _controls(data: dict[str, Any]) -> tuple[ControlEntry, ...]:
    return tuple(
        ControlEntry(
            number=str(c["number"]),
            title=str(c["title"]),
            theme=str(c["theme"]),
            control_type=_tuple(c.get("control_type")),
            security_properties=_tuple(c.get("security_properties")),
            cybersecurity_concepts=_tuple(c.get("cybersecurity_concepts")),
            operational_capabilities=_tuple(c.get("operational_capabilities")),
            security_domains=_tuple(c.get("security_domains")),
            purpose=str(c.get("purpose", "")).strip(),
            iso27001_2013=_tuple(c.get("iso27001_2013")),
            new_in_2022=bool(c.get("new_in_2022", False)),
        )
        for c in data["controls"]
    )


def _requirements(data: dict[str, Any]) -> tuple[RequirementEntry, ...]:
    return tuple(
        RequirementEntry(
            ref=str(r["ref"]),
            clause=str(r["clause"]),
            summary=str(r["summary"]).strip(),
            documented_information=tuple(
                DocumentedInformation(
                    title=str(d["title"]),
                    type=str(d.get("type", "document")),
                    mandatory=bool(d.get("mandatory", False)),
                )
                for d in r.get("documented_information") or ()
            ),
            audit_questions=_tuple(r.get("audit_questions")),
            note=str(r.get("note") or "").strip(),
        )
        for r in data["requirements"]
    )


def _threats(data: dict[str, Any]) -> tuple[ThreatEntry, ...]:
    return tuple(
        ThreatEntry(
            code=str(t["code"]),
            title=str(t["title"]),
            description=str(t.get("description", "")).strip(),
            category=str(t.get("category", "")),
            affects=_tuple(t.get("affects")),
            asset_types=_tuple(t.get("asset_types")),
            typical_controls=_tuple(t.get("typical_controls")),
        )
        for t in data["threats"]
    )


def _vulnerabilities(data: dict[str, Any]) -> tuple[VulnerabilityEntry, ...]:
    return tuple(
        VulnerabilityEntry(
            code=str(v["code"]),
            title=str(v["title"]),
            description=str(v.get("description", "")).strip(),
            category=str(v.get("category", "")),
            affects=_tuple(v.get("affects")),
            asset_types=_tuple(v.get("asset_types")),
            typical_controls=_tuple(v.get("typical_controls")),
            threats=_tuple(v.get("threats")),
        )
        for v in data["vulnerabilities"]
    )


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split a Markdown file with a ``---`` YAML front matter block into (meta, body)."""
    if not text.startswith("---"):
        return {}, text
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise CatalogueError("front matter is not closed by '---'")
    meta = load_yaml(parts[0][3:]) or {}
    body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    if not isinstance(meta, dict):
        raise CatalogueError("front matter is not a mapping")
    return meta, body.lstrip("\n")


def _template(path: Path) -> PolicyTemplate:
    try:
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, CatalogueError) as exc:
        raise CatalogueError(f"template {path} cannot be read: {exc}") from exc
    return PolicyTemplate(
        code=str(meta["code"]),
        title=str(meta["title"]),
        kind=str(meta.get("kind", "policy")),
        topic=str(meta.get("topic", "")),
        clauses=_tuple(meta.get("clauses")),
        controls=_tuple(meta.get("controls")),
        review_cycle_months=int(meta.get("review_cycle_months", 12)),
        questions=tuple(
            TemplateQuestion(key=str(q["key"]), label=str(q["label"]))
            for q in meta.get("questions") or ()
        ),
        body=body,
    )


def _risk_methods(data: dict[str, Any]) -> tuple[RiskMethodEntry, ...]:
    def scale(levels: Any) -> tuple[ScaleLevel, ...]:
        return tuple(
            ScaleLevel(
                value=int(s["value"]),
                label=str(s["label"]),
                description=str(s.get("description", "")).strip(),
            )
            for s in levels
        )

    return tuple(
        RiskMethodEntry(
            code=str(m["code"]),
            name=str(m["name"]),
            description=str(m.get("description", "")).strip(),
            likelihood=scale(m["likelihood"]),
            impact=scale(m["impact"]),
            levels=tuple(
                RiskLevelEntry(
                    code=str(lv["code"]), label=str(lv["label"]), colour=str(lv["colour"])
                )
                for lv in m["levels"]
            ),
            matrix=tuple(tuple(str(cell) for cell in row) for row in m["matrix"]),
            acceptance_level=str(m["acceptance_level"]),
            acceptance_by=str(m.get("acceptance_by", "")),
        )
        for m in data["methods"]
    )


def _context(data: dict[str, Any]) -> ContextSuggestions:
    return ContextSuggestions(
        sectors=tuple(Sector(code=str(s["code"]), label=str(s["label"])) for s in data["sectors"]),
        issues=tuple(
            IssueSuggestion(
                text=str(i["text"]),
                kind=str(i["kind"]),
                category=str(i.get("category", "")),
                sectors=_tuple(i.get("sectors")),
            )
            for i in data["issues"]
        ),
        parties=tuple(
            PartySuggestion(
                name=str(p["name"]),
                kind=str(p["kind"]),
                sectors=_tuple(p.get("sectors")),
                requirements=tuple(
                    RequirementSuggestion(text=str(r["text"]), type=str(r.get("type", "business")))
                    for r in p.get("requirements") or ()
                ),
            )
            for p in data["parties"]
        ),
    )


def load_catalogue_from(root: Path) -> Catalogue:
    """Load the catalogue from a ``resources`` folder (tests point this at edited copies)."""
    cat = root / "catalog"
    files = {
        name: _read_yaml(cat / f"{name}.yaml")
        for name in (
            "annex_a",
            "clauses",
            "threats",
            "vulnerabilities",
            "processes",
            "risk_methods",
            "context_suggestions",
        )
    }
    template_paths = sorted((root / "templates" / "policies").glob("*.md"))
    if not template_paths:
        raise CatalogueError(f"no policy templates under {root / 'templates' / 'policies'}")
    versions = {name: str(data.get("version", "")) for name, data in files.items()}
    versions["templates"] = str(_read_yaml(root / "templates" / "templates.yaml")["version"])
    try:
        return Catalogue(
            versions=versions,
            controls=_controls(files["annex_a"]),
            clauses=tuple(
                ClauseEntry(number=str(c["number"]), title=str(c["title"]))
                for c in files["clauses"]["clauses"]
            ),
            requirements=_requirements(files["clauses"]),
            threats=_threats(files["threats"]),
            vulnerabilities=_vulnerabilities(files["vulnerabilities"]),
            templates=tuple(_template(p) for p in template_paths),
            processes=tuple(
                ProcessEntry(
                    code=str(p["code"]),
                    name=str(p["name"]),
                    purpose=str(p.get("purpose", "")).strip(),
                    owner_role=str(p.get("owner_role", "")),
                    inputs=_tuple(p.get("inputs")),
                    outputs=_tuple(p.get("outputs")),
                    clauses=_tuple(p.get("clauses")),
                    controls=_tuple(p.get("controls")),
                    records=_tuple(p.get("records")),
                )
                for p in files["processes"]["processes"]
            ),
            interactions=tuple(
                InteractionEntry(source=str(i["from"]), target=str(i["to"]), flow=str(i["flow"]))
                for i in files["processes"]["interactions"]
            ),
            risk_methods=_risk_methods(files["risk_methods"]),
            context=_context(files["context_suggestions"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogueError(f"catalogue under {root} is malformed: {exc!r}") from exc


@functools.cache
def load_context_suggestions() -> ContextSuggestions:
    """The bundled sectors, issues and parties alone (the scope page lists the sectors at
    start-up: one small file instead of the whole catalogue)."""
    path = resources_dir() / "catalog" / "context_suggestions.yaml"
    try:
        return _context(_read_yaml(path))
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogueError(f"{path} is malformed: {exc!r}") from exc


@functools.cache
def load_catalogue() -> Catalogue:
    """The bundled catalogue (loaded once per process)."""
    return load_catalogue_from(resources_dir())
