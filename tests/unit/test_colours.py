"""Which text reads on the colours of risk levels and statuses (screen, Excel, legend)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isms_desktop.domain.colours import prefers_dark_text


@pytest.mark.parametrize(
    ("rgb", "dark"),
    [
        ((255, 255, 255), True),  # white
        ((0, 0, 0), False),  # black
        # the levels of the bundled risk methods
        ((0x6A, 0xBF, 0x69), True),  # low
        ((0xFF, 0xD5, 0x4F), True),  # medium
        ((0xFF, 0x98, 0x00), True),  # high (of four)
        ((0xE5, 0x39, 0x35), False),  # critical
        ((76, 175, 80), False),  # a darker green
    ],
)
def test_dark_text_on_light_colours_and_white_text_on_dark_ones(
    rgb: tuple[int, int, int], dark: bool
) -> None:
    assert prefers_dark_text(*rgb) is dark


channel = st.integers(0, 255)


@given(channel, channel, channel, st.integers(1, 255))
def test_a_lighter_colour_never_turns_dark_text_to_white(r: int, g: int, b: int, d: int) -> None:
    lighter = (min(r + d, 255), min(g + d, 255), min(b + d, 255))
    assert prefers_dark_text(*lighter) or not prefers_dark_text(r, g, b)
