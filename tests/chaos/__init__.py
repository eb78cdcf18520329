"""Chaos tests: kill the ingest at random moments and check every input is stored exactly once."""
