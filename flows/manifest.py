"""The run manifest: what one nightly run saw, did and found, as JSON under ``<home>/runs/``."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass
class Manifest:
    run_id: str
    flow: str
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    finished_at: str = ""
    inputs: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {"files": [], "messages": []}
    )
    counts: dict[str, Any] = field(default_factory=dict)
    durations: dict[str, float] = field(default_factory=dict)
    documents: list[dict[str, str]] = field(default_factory=list)
    findings: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage into ``durations`` (seconds)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.durations[name] = round(time.perf_counter() - started, 3)

    @property
    def changed_anything(self) -> bool:
        c = self.counts
        keys = (
            "leads_created",
            "merged",
            "attached_to_existing",
            "qualified",
            "disqualified",
            "documents_exported",
            "decisions_applied",
        )
        return any(int(c.get(k) or 0) for k in keys)

    def write(self, folder: Path) -> Path:
        self.finished_at = datetime.now(UTC).isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = self.started_at.replace(":", "").replace("-", "")[:15]
        path = folder / f"{stamp}-{self.run_id}.json"
        # written aside and renamed: a run killed mid-write leaves no half manifest behind
        partial = path.with_name(path.name + ".partial")
        partial.write_text(
            json.dumps(self.as_dict(), indent=2, ensure_ascii=False, default=str), encoding="utf-8"
        )
        os.replace(partial, path)
        return path

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "changed_anything": self.changed_anything}


def list_runs(folder: Path, limit: int = 50) -> list[dict[str, Any]]:
    """Past manifests, newest first (a summary row each).

    A manifest that cannot be read (damaged, edited by hand) is listed too, as flow
    ``unreadable`` with the reason under ``error``, never left out."""
    rows = []
    for path in sorted(folder.glob("*.json"), reverse=True)[:limit]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError(f"a JSON {type(data).__name__}, not an object")
            c = data.get("counts") or {}
            row = {
                "run": str(data.get("run_id") or path.stem),
                "flow": data.get("flow", ""),
                "started": str(data.get("started_at", ""))[:19],
                "files": c.get("files_seen", 0),
                "messages": c.get("messages_seen", 0),
                "leads": c.get("leads_created", 0),
                "qualified": c.get("qualified", 0),
                "documents": c.get("documents_exported", 0),
                "findings": len(data.get("findings") or []),
            }
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            row = {"run": path.stem, "flow": "unreadable", "error": f"{type(exc).__name__}: {exc}"}
        rows.append({**row, "path": str(path)})
    return rows
