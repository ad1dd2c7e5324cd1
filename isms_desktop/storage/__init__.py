"""Persistence: SQLAlchemy models, the ``.isms`` project file, migrations, locks, paths."""
