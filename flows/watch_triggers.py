"""What ``salesflow watch`` starts when files land: a deployment run, or the flow in-process.

``DeploymentTrigger`` asks a Prefect server for a run of a deployment (``dropbox/dropbox`` of
prefect.yaml) and returns at once; a worker runs it. It also says whether the last run it
created is still scheduled or running, so the watcher does not pile up runs behind the
deployment's concurrency limit. ``LocalTrigger`` runs the ``dropbox`` flow in this process, for
teams without a server; it returns when the run is over. Prefect is imported on first use only,
so ``salesflow watch --help`` stays quick.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, cast
from uuid import UUID

if TYPE_CHECKING:
    from prefect.client.schemas.objects import FlowRun

DEFAULT_DEPLOYMENT = "dropbox/dropbox"


class TriggerFailed(RuntimeError):
    """The run could not be started (server unreachable, deployment unknown)."""


class RunTrigger(Protocol):
    """Starts a dropbox run; says what it started and whether its last run still goes."""

    label: str

    def fire(self) -> str:
        """Start a run; return one line saying which."""
        ...

    def running_state(self) -> str | None:
        """The state name of the last run while it is not finished, else ``None``."""
        ...


class DeploymentTrigger:
    """A run of ``deployment`` on the Prefect API at ``api``, not waited for.

    With ``home`` the run gets it as its ``home`` parameter, so it takes the files of the inbox
    being watched even when the deployment was registered for another home; without, the
    deployment's own parameters apply."""

    def __init__(self, deployment: str, api: str, home: str | None = None) -> None:
        self.deployment, self.api, self.home = deployment, api, home
        self.label = f"deployment {deployment} on {api}"
        self._last_run: UUID | None = None

    @contextmanager
    def _connected(self) -> Iterator[None]:
        """Talk to ``api`` whatever the profile says; translate the errors people can fix."""
        import httpx
        from prefect.exceptions import ObjectNotFound
        from prefect.settings import PREFECT_API_URL, temporary_settings

        try:
            with temporary_settings({PREFECT_API_URL: self.api}):
                yield
        except ObjectNotFound as exc:
            raise TriggerFailed(
                f"no deployment {self.deployment!r} on {self.api}; "
                "`salesflow deploy` (or `salesflow serve`) registers it"
            ) from exc
        except httpx.HTTPError as exc:
            raise TriggerFailed(
                f"cannot reach the Prefect API at {self.api} ({exc or type(exc).__name__}); "
                "is `salesflow serve` running?"
            ) from exc

    def fire(self) -> str:
        from prefect.deployments import run_deployment

        with self._connected():
            # timeout=0: return once the run is created; the worker runs it
            created = run_deployment(
                self.deployment,
                parameters={"home": self.home} if self.home else None,
                timeout=0,
                as_subflow=False,
            )
        flow_run = cast("FlowRun", created)
        self._last_run = flow_run.id
        return f"created flow run {flow_run.name!r} ({flow_run.id})"

    def running_state(self) -> str | None:
        if self._last_run is None:
            return None
        from prefect.client.orchestration import get_client

        with self._connected(), get_client(sync_client=True) as client:
            state = client.read_flow_run(self._last_run).state
        if state is None or state.is_final():
            return None
        return state.name


class LocalTrigger:
    """The ``dropbox`` flow run in this process, like ``salesflow run --dropbox-only``."""

    label = "the dropbox flow in this process"

    def __init__(self, home: str, database_url: str | None) -> None:
        self.home, self.database_url = home, database_url

    def fire(self) -> str:
        from flows.attended import attended_runs
        from flows.nightly import dropbox

        with attended_runs():
            manifest: dict[str, Any] = dropbox(self.home, self.database_url)
        return describe_manifest(manifest)

    def running_state(self) -> str | None:
        return None  # fire() returns when the run is over


def describe_manifest(manifest: dict[str, Any]) -> str:
    """One line for a finished run: what it took and what came of it."""
    counts = manifest.get("counts", {})
    parts = [
        f"{counts.get(key, 0)} {label}"
        for key, label in (
            ("files_seen", "file(s)"),
            ("leads_created", "new lead(s)"),
            ("quarantined", "quarantined"),
            ("documents_exported", "document(s)"),
        )
    ]
    return f"run {manifest.get('run_id', '?')} done: " + ", ".join(parts)
