"""Flow runs started from a terminal (``salesflow run``, ``salesflow demo``): no heartbeats.

Prefect gives every flow run a thread that sends a heartbeat event every
``PREFECT_FLOWS_HEARTBEAT_FREQUENCY`` seconds (180 by default), so that a server-side automation
can mark a run whose process died as Crashed. The thread sleeps in one-second steps and is joined
when the run ends, which adds up to a second to every run, whatever its size; on a 20k-row night
that was most of what Prefect added (``bench/overhead.py``). A run started from a terminal has a
person watching its exit status, so it runs without the thread. Runs that a worker starts from
the deployments in prefect.yaml keep Prefect's setting: nobody watches those. Setting
``PREFECT_FLOWS_HEARTBEAT_FREQUENCY`` in the environment keeps heartbeats for terminal runs too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

HEARTBEAT_VARIABLES = ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY")


@contextmanager
def attended_runs() -> Iterator[None]:
    """Flow runs started inside this block send no heartbeats, unless the environment asks."""
    if any(os.environ.get(name) for name in HEARTBEAT_VARIABLES):
        yield
        return
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
