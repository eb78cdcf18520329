"""Sources and parsers: drop folder, IMAP mailbox, email, vCard, CSV/XLSX/XLS/ODS.

Everything here yields typed raw lead records with provenance (see ``ingest.records``).
No database, no Prefect.
"""
