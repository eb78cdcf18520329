"""Where a file may go: names made safe, moves and writes that never overwrite.

Names come from people and from mail attachments, so they are never used as paths as they
are: ``safe_name`` keeps one harmless path component, and every target is checked to stay
inside its destination folder before anything is written.
"""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from pathlib import Path, PurePath

from ingest.errors import UnsupportedInput
from ingest.limits import MAX_NAME_BYTES

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{device}{n}" for device in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]
}
_FORBIDDEN = re.compile(r'[<>:"|?*\\/]')  # not allowed in Windows names (or a separator)
_MAX_CLASHES = 10_000
# Targets are built from safe names plus a prefix or a ".error.txt" suffix; the file system
# limit is 255 bytes and numbering adds up to " (9999)".
_MAX_TARGET_BYTES = 240
# Hard links are missing on some shares (FAT, some SMB/NFS setups): then rename after a check.
_NO_LINK_ERRNOS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOSYS, errno.EOPNOTSUPP}


def safe_name(name: str, *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """A name that is safe as a single file name on Linux, macOS and Windows.

    Drops directories and ``..``, control and invisible format characters (newlines,
    right-to-left overrides), characters Windows forbids, leading dots (no hidden files),
    trailing dots and spaces; prefixes reserved device names (``CON.csv`` -> ``_CON.csv``);
    cuts to ``max_bytes`` UTF-8 bytes keeping the extension. Never empty.
    """
    text = unicodedata.normalize("NFC", display(name))
    parts = [p for p in re.split(r"[/\\]", text) if p.strip(" .")]
    text = parts[-1] if parts else ""
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cn"))
    text = _FORBIDDEN.sub("_", text.replace("\ufffd", "_"))
    text = text.lstrip(". ").rstrip(". ")
    if text.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        text = f"_{text}"
    return _shorten(text, max_bytes) or "unnamed"


def _shorten(name: str, max_bytes: int) -> str:
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 16 or " " in ext:
        stem, ext = name, ""
    suffix = f".{ext}" if ext else ""
    budget = max_bytes - len(suffix.encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(". ")
    return f"{cut}{suffix}" if cut else ""


def display(text: str) -> str:
    """Text safe to store and print: undecodable bytes (surrogate escapes) become U+FFFD."""
    return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)


def check_inside(target: Path, folder: Path) -> Path:
    """Return ``target`` if it resolves strictly inside ``folder``; raise otherwise."""
    resolved, root = target.resolve(), folder.resolve()
    if resolved == root or not resolved.is_relative_to(root):
        message = f"refusing to write outside {folder}: {target}"
        raise UnsupportedInput(message, reason="unsafe-path")
    return target


def numbered(name: str, n: int) -> str:
    """``"leads.csv"`` -> ``"leads (2).csv"`` (the extension stays last)."""
    if n < 2:
        return name
    stem, dot, ext = name.rpartition(".")
    if not stem:
        return f"{name} ({n})"
    return f"{stem} ({n}){dot}{ext}"


def place_file(source: Path, folder: Path, name: str) -> Path:
    """Move ``source`` into ``folder`` as ``name`` (or ``name (2)``...); never overwrites.

    Uses ``link`` + ``unlink``, which fails instead of replacing, so two workers filing files
    with the same name at the same moment both keep their file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    base = safe_name(name, max_bytes=_MAX_TARGET_BYTES)
    for n in range(1, _MAX_CLASHES):
        target = check_inside(folder / numbered(base, n), folder)
        try:
            move_exclusive(source, target)
        except FileExistsError:
            continue
        return target
    raise UnsupportedInput(f"too many files named {base!r} in {folder}", reason="name-clash")


def move_exclusive(source: Path, target: Path) -> None:
    """Move ``source`` to ``target``; ``FileExistsError`` if ``target`` exists (no overwrite)."""
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINK_ERRNOS:
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from exc
        os.rename(source, target)
        return
    os.unlink(source)  # the content lives on under the new name


def write_new(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as a new file ``name`` (or ``name (2)``...) in ``folder``; never
    overwrites. Returns the path written."""
    folder.mkdir(parents=True, exist_ok=True)
    base = safe_name(name, max_bytes=_MAX_TARGET_BYTES)
    for n in range(1, _MAX_CLASHES):
        target = check_inside(folder / numbered(base, n), folder)
        try:
            with target.open("xb") as handle:
                handle.write(data)
        except FileExistsError:
            continue
        return target
    raise UnsupportedInput(f"too many files named {base!r} in {folder}", reason="name-clash")


def safe_relative(relative_path: str) -> PurePath:
    """Each component of an inbox-relative path made safe (``..`` and empties dropped)."""
    parts = [p for p in relative_path.replace("\\", "/").split("/") if p.strip(" .")]
    return PurePath(*(safe_name(p) for p in parts)) if parts else PurePath("unnamed")
