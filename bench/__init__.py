"""Benchmark scripts: each prints a table; timings stay out of the unit tests."""
