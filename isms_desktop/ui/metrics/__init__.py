"""Widgets of monitoring, competence and management review: trend charts, training matrix."""
