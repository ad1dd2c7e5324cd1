"""Colours in the project's data (risk levels, statuses): which text reads on them."""

from __future__ import annotations


def prefers_dark_text(red: int, green: int, blue: int) -> bool:
    """True if black text reads better than white on this background (0–255 channels):
    its luma, with the ITU-R BT.601 weights, is above 140."""
    return 0.299 * red + 0.587 * green + 0.114 * blue > 140
