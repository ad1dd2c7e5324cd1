"""Fill the ``{{name}}`` placeholders of policy templates from a project's data.

Only the names in ``PLACEHOLDERS`` exist; a template using another one, or a rendering that
leaves one unfilled, is an error (the catalogue tests check every template).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "organisation",
        "scope",
        "isms_manager",
        "top_management",
        "review_cycle",
        "effective_date",
        "document_code",
        "version",
        "classification",
        "it_manager",
        "hr_manager",
        "data_protection_officer",
        "backup_retention",
        "password_min_length",
        "incident_contact",
        "applicable_controls",
    }
)

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")


class TemplateError(ValueError):
    """A template uses an unknown placeholder, or values are missing for it."""


def placeholders_in(text: str) -> set[str]:
    """Every placeholder name a text uses."""
    return set(_PLACEHOLDER.findall(text))


def render_template(text: str, values: Mapping[str, str]) -> str:
    """Replace every placeholder with its value; refuse unknown or unfilled names."""
    used = placeholders_in(text)
    unknown = used - PLACEHOLDERS
    if unknown:
        raise TemplateError(f"unknown placeholder(s): {', '.join(sorted(unknown))}")
    missing = sorted(name for name in used if not str(values.get(name, "")).strip())
    if missing:
        raise TemplateError(f"no value for: {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)
