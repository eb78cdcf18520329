"""The read-only web interface: login, documents, leads, runs and the funnel (FastAPI)."""
