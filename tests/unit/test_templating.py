"""Placeholder rendering: strict about names, safe with any user-typed value."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isms_desktop.catalog.templating import TemplateError, placeholders_in, render_template


def test_renders_known_placeholders() -> None:
    text = "{{organisation}} reviews this every {{ review_cycle }}."
    assert render_template(text, {"organisation": "Acme", "review_cycle": "12 months"}) == (
        "Acme reviews this every 12 months."
    )


def test_unknown_placeholder_is_refused() -> None:
    with pytest.raises(TemplateError, match="unknown placeholder"):
        render_template("{{ceo_shoe_size}}", {"ceo_shoe_size": "42"})


def test_missing_or_blank_value_is_refused() -> None:
    with pytest.raises(TemplateError, match="no value for: organisation"):
        render_template("{{organisation}}", {"organisation": "  "})


@given(st.text(), st.text(min_size=1).filter(lambda s: s.strip() != ""))
def test_any_value_is_inserted_verbatim_and_never_re_expanded(prefix: str, value: str) -> None:
    text = prefix.replace("{", "(").replace("}", ")") + " {{organisation}}"
    rendered = render_template(text, {"organisation": value})
    assert rendered.endswith(" " + value)
    assert placeholders_in(text) == {"organisation"}
