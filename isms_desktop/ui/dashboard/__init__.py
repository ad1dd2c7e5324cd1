"""The dashboard's parts: readiness, next steps, tiles and the one action list."""
