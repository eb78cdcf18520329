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

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
EMAIL = "deniz.kaya@kayahidrolik.com.tr"
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


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An initialised salesflow home with one settled web-form export in its drop folder."""
    folder = tmp_path / "home"
    subprocess.run(
        [sys.executable, "-m", "flows.cli", "--home", str(folder), "init"],
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if not k.startswith("SALESFLOW_")},
        check=True,
        capture_output=True,
        timeout=120,
    )
    dropped = folder / "dropbox" / "inbox" / "web-formu.csv"
    dropped.write_bytes(FORM.encode("cp1254"))
    an_hour_ago = time.time() - 3600  # long settled, so the run takes it at once
    os.utime(dropped, (an_hour_ago, an_hour_ago))
    return folder


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
    engine = create_engine(f"sqlite:///{home / 'salesflow.db'}")
    with engine.connect() as conn:
        leads = conn.execute(
            text("select first_name, company from leads where email = :e"), {"e": EMAIL}
        )
        assert [tuple(lead) for lead in leads] == [("Deniz", "Kaya Hidrolik A.Ş.")]
    engine.dispose()
    assert len(list((home / "runs").glob("*.json"))) == 1
