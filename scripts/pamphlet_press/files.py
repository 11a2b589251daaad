"""Writing files safely: an exclusive lock between processes, and atomic replacement.

Works on Linux, macOS and Windows: the lock is the `filelock` library's (an flock on POSIX,
msvcrt on Windows), not fcntl, which Windows lacks.
"""

from __future__ import annotations

import os
import secrets
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock


@contextmanager
def exclusive_lock(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path` (created if needed) for the block.

    Another process waits until the block ends; the lock is released when this process
    dies, however it dies. Keep lock files under `.cache/`, which git ignores.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    # thread_local=False: the lock is this process's, whichever thread releases it.
    with FileLock(str(lock_path), thread_local=False):
        yield


def temporary_beside(target: Path) -> Path:
    """A temporary name beside `target`, never the same twice, so that two processes
    writing the same file at once (`pamphlets pdf` during `pamphlets build`) never write
    into one temporary file. Hidden (a leading '.') and ending in '.tmp', as git ignores."""
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _new_file_mode() -> int:
    """The mode a new file gets here (0o666 less the umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomically(path: Path, text: str, newline: str = "\n", bom: bool = False) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`.

    A crash before the rename leaves the old file; after it, the new one; never half a file.
    The file keeps its mode (a ledger readable by the whole team stays so), and when `path`
    is a symbolic link, the file it points to is replaced and the link stays a link.
    `newline` is written for each line break ("\\r\\n" keeps a Windows file's line ends);
    `bom` starts the file with a UTF-8 byte-order mark.
    """
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = _new_file_mode()
    temporary = temporary_beside(target)
    data = text.replace("\n", newline).encode("utf-8-sig" if bom else "utf-8")
    try:
        with open(temporary, "xb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
        _sync_folder(target.parent)
    finally:
        temporary.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so that a rename survives a power cut (POSIX)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def replace_with_text(target: Path, text: str) -> None:
    """Write a small file (a cache record) whole or not at all: a temporary file of its
    own, then one rename. A reader never sees it half-written."""
    temporary = temporary_beside(target)
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


# A fixed date for every file in a ZIP, so that the same files make the same bytes.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


# Files compressed already: deflating them again costs time and saves nothing.
COMPRESSED = (".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".gz", ".woff2")


def write_zip(target: Path, members: list[tuple[str, Path | bytes]]) -> None:
    """A ZIP of (name, file or content) members, reproducible (fixed dates, sorted), written
    atomically; text deflated, files compressed already stored as they are."""
    temporary = temporary_beside(target)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, source in sorted(members, key=lambda member: member[0]):
                info = zipfile.ZipInfo(name, ZIP_DATE)
                stored = name.lower().endswith(COMPRESSED)
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                data = source if isinstance(source, bytes) else source.read_bytes()
                archive.writestr(info, data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
