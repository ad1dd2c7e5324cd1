"""Pure-Python domain: enums, value objects, rules. No Qt, no SQLAlchemy."""
