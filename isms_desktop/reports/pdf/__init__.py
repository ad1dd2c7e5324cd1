"""PDF reports laid out with reportlab's platypus: the engine and one module per report."""
