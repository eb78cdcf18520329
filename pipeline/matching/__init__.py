"""The matching engine behind ``pipeline.dedupe``: records, keys, pair scores and clusters.

Pure: standard library, numpy and rapidfuzz only. ``pipeline.dedupe`` is the public door;
the modules here are its nouns (``person``, ``nicknames``, ``addresses``, ``blocking``,
``columns``, ``scoring``, ``clustering``).
"""
