"""Policies and controlled documents: drafting wizard, editor, detail panel (clauses 5.2, 7.5)."""
