"""Writing an output file so that a failed or interrupted run never costs the old one.

:func:`replacing` gives a temporary file beside the target; only when the writing ends
well is it flushed to disk and renamed over the target, in one step. An error, Ctrl-C
or SIGTERM (the command line turns it into an exit) removes it, so the previous file
is left as it was and no half-written one appears. A target that is not a regular file
(``/dev/stdout``, a named pipe) is written directly; a symbolic link is written through,
to the file it points to.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["replacing", "same_file"]

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
