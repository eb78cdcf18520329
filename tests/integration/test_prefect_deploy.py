"""prefect.yaml under a real Prefect server: pool, deployments, a worker, one dropbox run.

Everything Prefect runs in child processes with their own PREFECT_HOME in a temp folder, so
this test process's Prefect settings stay as they were. Loopback only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import create_engine, text

from flows.serving import (
    ServeError,
    api_url,
    deploy_all,
    ensure_pool,
    free_port,
    prefect_env,
    run_prefect,
    start_server,
    start_worker,
    stop_all,
    wait_until_healthy,
)
from flows.watch_triggers import DeploymentTrigger

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
EMAIL = "deniz.kaya@kayahidrolik.com.tr"
OTHER_EMAIL = "selin.aydin@kayahidrolik.com.tr"
OTHER = f"Selin;Aydın;{OTHER_EMAIL}"
FORM = (
    "Ad;Soyad;E-posta;Firma;Telefon;Unvan;Şehir\r\n"
    f"Deniz;Kaya;{EMAIL};Kaya Hidrolik A.Ş.;0212 555 40 40;Satın Alma Müdürü;İstanbul\r\n"
)


def child_env(home: Path, api: str) -> dict[str, str]:
    """The test process's environment without its Prefect/salesflow settings, plus ours."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SALESFLOW_"))}
    env = prefect_env(home, api, project_dir=REPO, base=base)
    env.update(
        PREFECT_SERVER_UI_ENABLED="false",
        # only the run this test starts: no interval run racing it for the dropped file
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
        PREFECT_LOGGING_LEVEL="INFO",
    )
    return env


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def tail(path: Path, lines: int = 30) -> str:
    if not path.exists():
        return ""
    text_lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return f"--- {path.name}\n" + "\n".join(text_lines[-lines:])


def make_home(folder: Path, form: str = FORM) -> Path:
    """An initialised salesflow home with one settled web-form export in its drop folder."""
    subprocess.run(
        [sys.executable, "-m", "flows.cli", "--home", str(folder), "init"],
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if not k.startswith("SALESFLOW_")},
        check=True,
        capture_output=True,
        timeout=120,
    )
    dropped = folder / "dropbox" / "inbox" / "web-formu.csv"
    dropped.write_bytes(form.encode("cp1254"))
    an_hour_ago = time.time() - 3600  # long settled, so the run takes it at once
    os.utime(dropped, (an_hour_ago, an_hour_ago))
    return folder


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return make_home(tmp_path / "home")


def lead_rows(home: Path, email: str) -> list[tuple[Any, ...]]:
    engine = create_engine(f"sqlite:///{home / 'salesflow.db'}")
    with engine.connect() as conn:
        leads = conn.execute(
            text("select first_name, company from leads where email = :e"), {"e": email}
        )
        rows = [tuple(lead) for lead in leads]
    engine.dispose()
    return rows


def watched_run(api: str, home: Path) -> None:
    """What `salesflow watch --home HOME` starts when files land: a run of the deployment."""
    trigger = DeploymentTrigger("dropbox/dropbox", api, str(home.resolve()))
    trigger.fire()
    deadline = time.monotonic() + 150
    while trigger.running_state() is not None:
        assert time.monotonic() < deadline, "the watched run did not finish"
        time.sleep(1)


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[dict[str, IO[bytes]]]:
    with (
        (tmp_path / "server.log").open("wb") as server,
        (tmp_path / "worker.log").open("wb") as worker,
    ):
        yield {"server": server, "worker": worker}


def test_dropbox_deployment_run_by_a_worker_stores_the_dropped_lead(
    home: Path, tmp_path: Path, logs: dict[str, IO[bytes]]
) -> None:
    port = free_port()
    api = api_url(port)
    env = child_env(home, api)
    started: list[subprocess.Popen[bytes]] = []
    try:
        started.append(start_server(env, port, log=logs["server"]))
        wait_until_healthy(api, timeout=120, process=started[0])
        assert ensure_pool(env) is True
        assert ensure_pool(env) is False  # idempotent
        deploy_all(env, project_dir=REPO)
        started.append(start_worker(env, log=logs["worker"]))
        out = run_prefect(
            ["deployment", "run", "dropbox/dropbox", "--watch", "--watch-timeout", "150"],
            env,
            timeout=170,
        )
        assert "Completed" in out
        # `salesflow watch` on another home: the run takes that home's files, not the
        # deployment's
        other = make_home(tmp_path / "other", FORM.replace("Deniz;Kaya;" + EMAIL, OTHER))
        watched_run(api, other)
        dropbox_deployment = get_json(f"{api}/deployments/name/dropbox/dropbox")
        nightly_deployment = get_json(f"{api}/deployments/name/nightly/nightly")
    except (ServeError, AssertionError, OSError) as exc:
        pytest.fail(f"{exc}\n{tail(tmp_path / 'server.log')}\n{tail(tmp_path / 'worker.log')}")
    finally:
        stop_all(started)

    assert all(p.poll() is not None for p in started)
    assert dropbox_deployment["parameters"] == {"home": str(home.resolve())}
    assert dropbox_deployment["pull_steps"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(REPO)}}
    ]
    assert dropbox_deployment["global_concurrency_limit"]["limit"] == 1
    assert dropbox_deployment["schedules"][0]["schedule"]["interval"] == 600
    nightly_schedule = nightly_deployment["schedules"][0]["schedule"]
    assert (nightly_schedule["cron"], nightly_schedule["timezone"]) == (
        "30 1 * * *",
        "Europe/Istanbul",
    )
    assert lead_rows(home, EMAIL) == [("Deniz", "Kaya Hidrolik A.Ş.")]
    assert len(list((home / "runs").glob("*.json"))) == 1
    assert lead_rows(other, OTHER_EMAIL) == [("Selin", "Kaya Hidrolik A.Ş.")]
    assert lead_rows(other, EMAIL) == []
    assert len(list((other / "runs").glob("*.json"))) == 1
    assert list((other / "dropbox" / "inbox").iterdir()) == []
