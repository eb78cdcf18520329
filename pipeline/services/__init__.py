"""Use cases: plain functions ``(primitives, uow) -> small result``.

Shape: load through the unit of work → call domain methods → commit.
"""
