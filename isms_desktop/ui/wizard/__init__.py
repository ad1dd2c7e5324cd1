"""The setup wizard (clauses 4.1–4.3 and the risk method): one page per step, each saved on Next."""
