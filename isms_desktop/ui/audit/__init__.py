"""The audit mode: working through an audit checklist by keyboard, and programme coverage."""
