"""Exports and reports: Excel (openpyxl), PDF (reportlab), Word (python-docx)."""
