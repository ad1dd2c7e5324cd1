"""Team mode in the GUI: connecting to a PostgreSQL server, publishing, conflicts."""
