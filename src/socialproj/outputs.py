"""Writing an output file so that a failed or interrupted run never costs the old one.

:func:`replacing` gives a temporary file beside the target; only when the writing ends
well is it flushed to disk and renamed over the target, in one step. An error, Ctrl-C
or SIGTERM (the command line turns it into an exit) removes it, so the previous file
is left as it was and no half-written one appears. A target that is not a regular file
(``/dev/stdout``, a named pipe) is written directly; a symbolic link is written through,
to the file it points to. :func:`replacing_folder` does the same for a dataset written
as a folder of files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["is_folder_target", "replacing", "replacing_folder", "same_file"]

_UMASK_LOCK = threading.Lock()
_UMASK: list[int] = []


def _umask() -> int:
    """The process's umask, read once (setting and restoring it is the only way to read it)."""
    with _UMASK_LOCK:
        if not _UMASK:
            mask = os.umask(0o022)
            os.umask(mask)
            _UMASK.append(mask)
        return _UMASK[0]


@contextlib.contextmanager
def replacing(target: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary file to write ``target``'s new content to; it replaces ``target`` at the end.

    The new file gets the old one's permissions (or the usual ones for a new file).
    An ``OSError`` names the target, a full disk included.
    """
    path = Path(target)
    real = path.resolve() if path.is_symlink() else path
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with _naming(real), open(real, "wb") as stream:  # a device or a pipe: no renaming
            yield stream
        return
    with _naming(real):
        handle, temporary = tempfile.mkstemp(
            prefix=f".{real.name}.", suffix=".part", dir=real.parent
        )
    try:
        with _naming(real), os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        with _naming(real):
            os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
            os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def is_folder_target(target: str | os.PathLike[str]) -> bool:
    """Whether a target names a folder: it exists as one, or its name ends with a ``/``."""
    text = os.fspath(target)
    return text.endswith(("/", os.sep)) or Path(text).is_dir()


@contextlib.contextmanager
def replacing_folder(target: str | os.PathLike[str]) -> Iterator[Path]:
    """An empty folder to write ``target``'s new files in; it replaces ``target`` at the end.

    The new folder is made beside ``target`` and renamed into its place only when the
    writing ends well; a folder that was there is removed then, so no file of an older
    dataset is left among the new ones. An error or an interruption removes the new
    folder and leaves the old one as it was.
    """
    real = Path(os.fspath(target).rstrip("/" + os.sep) or os.sep)
    if real.exists() and not real.is_dir():
        raise OSError(f"{real}: is a file, not a folder to write a dataset in")
    with _naming(real):
        mode = stat.S_IMODE(real.stat().st_mode) if real.exists() else 0o777 & ~_umask()
        temporary = Path(tempfile.mkdtemp(prefix=f".{real.name}.", suffix=".part", dir=real.parent))
        os.chmod(temporary, mode)  # mkdtemp's folder is the owner's only; a dataset is not
    try:
        with _naming(real):
            yield temporary
        old: Path | None = None
        with _naming(real):
            if real.exists():
                old = Path(
                    tempfile.mkdtemp(prefix=f".{real.name}.", suffix=".old", dir=real.parent)
                )
                os.replace(real, old / real.name)
            os.replace(temporary, real)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Give an ``OSError`` without a file name (``ENOSPC`` on write) the target's name."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file (through links too); ``False`` if either is missing."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
