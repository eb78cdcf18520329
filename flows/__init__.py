"""Prefect flows, the ``salesflow`` CLI and wiring (settings → engine, sources).

The only package that imports prefect or typer.
"""
