"""Run manifests and quarantined files, as the runs page lists them.

Quarantined files are offered by a key the server computes from its own listing of
``<home>/dropbox/quarantine/``; a request names a key, never a path, and only files that are
still inside that folder (after resolving links) are ever listed.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.manifest import list_runs

KEY = re.compile(r"^[0-9a-f]{24}$")
MAX_FILES = 1000


@dataclass(frozen=True)
class QuarantinedFile:
    """A file in the quarantine folder, with the key that names it in URLs."""

    key: str
    name: str
    folder: str
    size: int
    path: Path


def quarantined_files(root: Path) -> list[QuarantinedFile]:
    """Every regular file under ``root`` (newest folder first), at most ``MAX_FILES``."""
    if not root.is_dir():
        return []
    base = root.resolve()
    found: list[QuarantinedFile] = []
    for path in sorted(base.rglob("*"), reverse=True):
        if len(found) >= MAX_FILES:
            break
        if path.is_symlink() or not path.is_file():
            continue
        real = path.resolve()
        if not real.is_relative_to(base):
            continue
        rel = real.relative_to(base).as_posix()
        key = hashlib.sha256(rel.encode("utf-8")).hexdigest()[:24]
        folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
        found.append(QuarantinedFile(key, real.name, folder, real.stat().st_size, real))
    return found


def find_quarantined(root: Path, key: str) -> QuarantinedFile | None:
    """The listed file with ``key``, or None (also for a key that is not even well formed)."""
    if not KEY.match(key):
        return None
    return next((f for f in quarantined_files(root) if f.key == key), None)


def manifests(folder: Path) -> list[dict[str, Any]]:
    """The runs, newest first, each with its summary counts."""
    return [{k: v for k, v in row.items() if k != "path"} for row in list_runs(folder)]


def manifest(folder: Path, run_id: str) -> dict[str, Any] | None:
    """The full manifest of the listed run ``run_id`` (found by listing, not by path)."""
    for row in list_runs(folder):
        if row["run"] == run_id:
            try:
                data: dict[str, Any] = json.loads(Path(row["path"]).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            return data
    return None
