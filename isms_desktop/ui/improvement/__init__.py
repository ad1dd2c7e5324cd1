"""Panels and dialogs of the improvement loop: finding → nonconformity → closed, incidents."""
