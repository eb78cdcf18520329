"""Terminal-started flow runs go without Prefect's heartbeat thread, unless asked for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prefect.settings import (
    PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
    get_current_settings,
    temporary_settings,
)

from flows.attended import HEARTBEAT_VARIABLES, attended_runs


@pytest.fixture
def no_heartbeat_variables(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No heartbeat variable in the environment, and Prefect sending them every 90 s."""
    for name in HEARTBEAT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 90}):
        yield


def _frequency() -> int | None:
    return get_current_settings().flows.heartbeat_frequency


@pytest.mark.usefixtures("no_heartbeat_variables")
def test_runs_started_from_a_terminal_send_no_heartbeats() -> None:
    with attended_runs():
        assert _frequency() is None
    assert _frequency() == 90


@pytest.mark.parametrize("name", HEARTBEAT_VARIABLES)
def test_a_heartbeat_frequency_set_in_the_environment_is_kept(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "45")
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 45}), attended_runs():
        assert _frequency() == 45
