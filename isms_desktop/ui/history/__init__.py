"""The audit trail and backups in the GUI: History panel, Change log dialog, Restore."""
