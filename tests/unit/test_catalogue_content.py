"""The bundled ISO/IEC 27001:2022 content is complete and well-formed."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from isms_desktop.catalog import Catalogue, load_catalogue
from isms_desktop.catalog.model import (
    ASSET_TYPES,
    CONTROL_TYPES,
    CYBERSECURITY_CONCEPTS,
    OPERATIONAL_CAPABILITIES,
    SECURITY_DOMAINS,
    SECURITY_PROPERTIES,
    THEMES,
)
from isms_desktop.catalog.templating import PLACEHOLDERS, placeholders_in, render_template

NEW_IN_2022 = {"5.7", "5.23", "5.30", "7.4", "8.9", "8.10", "8.11", "8.12", "8.16", "8.23", "8.28"}
CLAUSES = [
    "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1.1", "6.1.2", "6.1.3", "6.2", "6.3",
    "7.1", "7.2", "7.3", "7.4", "7.5.1", "7.5.2", "7.5.3", "8.1", "8.2", "8.3", "9.1", "9.2.1",
    "9.2.2", "9.3.1", "9.3.2", "9.3.3", "10.1", "10.2",
]  # fmt: skip
TOPICS = {
    "POL-ISP", "POL-ACC", "POL-AST", "POL-AUP", "POL-BKP", "POL-CRY", "POL-SUP", "POL-INC",
    "POL-DEV", "POL-REM", "POL-CDS", "POL-LOG", "POL-BCM",
}  # fmt: skip


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def _all_control_numbers() -> set[str]:
    ranges = {"5": 37, "6": 8, "7": 14, "8": 34}
    return {f"{theme}.{n}" for theme, count in ranges.items() for n in range(1, count + 1)}


def test_annex_a_has_93_unique_controls_in_the_four_themes(cat: Catalogue) -> None:
    numbers = [c.number for c in cat.controls]
    assert len(numbers) == 93
    assert set(numbers) == _all_control_numbers()
    themes = Counter(c.theme for c in cat.controls)
    assert themes == {"organizational": 37, "people": 8, "physical": 14, "technological": 34}
    prefix = dict(zip(THEMES, ("5.", "6.", "7.", "8."), strict=True))
    assert all(c.number.startswith(prefix[c.theme]) for c in cat.controls)


def test_controls_are_in_numeric_order(cat: Catalogue) -> None:
    keys = [tuple(int(p) for p in c.number.split(".")) for c in cat.controls]
    assert keys == sorted(keys)


def test_every_attribute_value_is_from_the_allowed_set(cat: Catalogue) -> None:
    allowed = {
        "control_type": CONTROL_TYPES,
        "security_properties": SECURITY_PROPERTIES,
        "cybersecurity_concepts": CYBERSECURITY_CONCEPTS,
        "operational_capabilities": OPERATIONAL_CAPABILITIES,
        "security_domains": SECURITY_DOMAINS,
    }
    for control in cat.controls:
        for name, values in allowed.items():
            got = getattr(control, name)
            assert got, f"{control.number} has no {name}"
            assert set(got) <= values, f"{control.number} {name}: {set(got) - values}"
        assert control.title.strip()
        assert 20 <= len(control.purpose) <= 400, control.number


def test_the_eleven_new_controls_and_the_2013_mapping(cat: Catalogue) -> None:
    assert {c.number for c in cat.controls if c.new_in_2022} == NEW_IN_2022
    pattern = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}$")
    mapped: set[str] = set()
    for control in cat.controls:
        if control.new_in_2022:
            assert control.iso27001_2013 == ()
        else:
            assert control.iso27001_2013, control.number
            assert all(pattern.match(n) for n in control.iso27001_2013), control.number
            mapped.update(control.iso27001_2013)
    # Every one of the 114 controls of the 2013 edition maps onto some 2022 control.
    assert len(mapped) == 114


def test_some_titles_are_the_published_ones(cat: Catalogue) -> None:
    assert cat.control("5.1").title == "Policies for information security"
    assert cat.control("5.23").title == "Information security for use of cloud services"
    assert cat.control("6.3").title == "Information security awareness, education and training"
    assert cat.control("7.4").title == "Physical security monitoring"
    assert cat.control("8.34").title == "Protection of information systems during audit testing"


def test_every_clause_from_4_1_to_10_2_has_requirements(cat: Catalogue) -> None:
    assert [c.number for c in cat.clauses] == CLAUSES
    covered = {r.clause for r in cat.requirements}
    assert covered == set(CLAUSES)
    refs = [r.ref for r in cat.requirements]
    assert len(refs) == len(set(refs))
    for ref in ("4.2 a", "4.2 c", "5.1 a", "5.1 h", "6.1.2 e", "6.1.3 f", "9.3.2 g", "10.2 g"):
        assert ref in refs
    for requirement in cat.requirements:
        assert requirement.ref.split(" ")[0] == requirement.clause
        assert requirement.summary
        assert requirement.audit_questions
        for info in requirement.documented_information:
            assert info.type in {"document", "record"}


def test_mandatory_documented_information_is_flagged(cat: Catalogue) -> None:
    mandatory = {
        (r.clause, d.title)
        for r in cat.requirements
        for d in r.documented_information
        if d.mandatory
    }
    clauses_with_mandatory = {clause for clause, _ in mandatory}
    for clause in (
        "4.3",
        "5.2",
        "6.1.2",
        "6.1.3",
        "6.2",
        "7.2",
        "8.1",
        "8.2",
        "8.3",
        "9.1",
        "9.2.2",
        "9.3.3",
        "10.2",
    ):
        assert clause in clauses_with_mandatory, clause
    assert any("Statement of Applicability" in title for _, title in mandatory)


def test_climate_change_notes_of_the_2024_amendment(cat: Catalogue) -> None:
    for clause in ("4.1", "4.2"):
        texts = [(r.summary + " " + r.note).lower() for r in cat.requirements if r.clause == clause]
        assert any("climate" in text for text in texts), clause


def test_threat_catalogue_has_the_47_elementary_threats(cat: Catalogue) -> None:
    codes = [t.code for t in cat.threats]
    assert codes == [f"G 0.{n}" for n in range(1, 48)]
    numbers = _all_control_numbers()
    for threat in cat.threats:
        assert threat.affects and set(threat.affects) <= SECURITY_PROPERTIES
        assert threat.asset_types and set(threat.asset_types) <= set(ASSET_TYPES)
        assert threat.typical_controls and set(threat.typical_controls) <= numbers


def test_vulnerability_catalogue(cat: Catalogue) -> None:
    assert len(cat.vulnerabilities) >= 40
    codes = [v.code for v in cat.vulnerabilities]
    assert len(codes) == len(set(codes))
    threats = {t.code for t in cat.threats}
    numbers = _all_control_numbers()
    for vuln in cat.vulnerabilities:
        assert vuln.affects and set(vuln.affects) <= SECURITY_PROPERTIES
        assert set(vuln.asset_types) <= set(ASSET_TYPES)
        assert vuln.typical_controls and set(vuln.typical_controls) <= numbers
        assert set(vuln.threats) <= threats


def test_templates_cover_the_policy_set(cat: Catalogue) -> None:
    assert {t.code for t in cat.templates} >= TOPICS
    numbers = _all_control_numbers()
    for template in cat.templates:
        used = placeholders_in(template.body)
        assert used <= PLACEHOLDERS, (template.code, used - PLACEHOLDERS)
        assert {q.key for q in template.questions} <= used, template.code
        assert set(template.controls) <= numbers
        assert template.body.lstrip().startswith("# ")


def test_every_template_renders_with_no_placeholder_left(cat: Catalogue) -> None:
    values = {name: f"<{name} value>" for name in PLACEHOLDERS}
    for template in cat.templates:
        text = render_template(template.body, values)
        assert "{{" not in text and "}}" not in text, template.code
        assert "<organisation value>" in text, template.code


def test_default_processes_and_interactions(cat: Catalogue) -> None:
    codes = {p.code for p in cat.processes}
    assert len(codes) == len(cat.processes) >= 10
    names = " ".join(p.name.lower() for p in cat.processes)
    for word in (
        "risk assessment",
        "risk treatment",
        "document",
        "internal audit",
        "management review",
        "incident",
        "supplier",
        "competence",
        "monitoring",
    ):
        assert word in names, word
    assert cat.interactions
    for link in cat.interactions:
        assert link.source in codes and link.target in codes


@pytest.mark.parametrize("code,size", [("5x5", 5), ("3x3", 3)])
def test_default_risk_methods(cat: Catalogue, code: str, size: int) -> None:
    method = cat.risk_method(code)
    assert [s.value for s in method.likelihood] == list(range(1, size + 1))
    assert [s.value for s in method.impact] == list(range(1, size + 1))
    assert all(s.description for s in method.likelihood + method.impact)
    order = {lv.code: i for i, lv in enumerate(method.levels)}
    assert method.acceptance_level in order
    assert len(method.matrix) == size
    for row_index, row in enumerate(method.matrix):
        assert len(row) == size
        for col_index, cell in enumerate(row):
            assert cell in order
            if col_index:
                assert order[cell] >= order[row[col_index - 1]]
            if row_index:
                assert order[cell] >= order[method.matrix[row_index - 1][col_index]]


def test_context_suggestions(cat: Catalogue) -> None:
    sectors = {s.code for s in cat.context.sectors}
    assert "it_services" in sectors
    assert any(i.category == "environmental" for i in cat.context.issues)
    for item in (*cat.context.issues, *cat.context.parties):
        assert set(item.sectors) <= sectors
    assert any(r.type == "climate" for p in cat.context.parties for r in p.requirements)
