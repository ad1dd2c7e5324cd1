"""The diagram of the ISMS processes and their interactions (clause 4.4)."""
