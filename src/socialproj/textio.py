"""Turning bytes into text with positions: encodings, BOMs, binary junk, line numbers.

Readers of text formats use :func:`numbered_lines`, which decodes line by line so that
a bad byte is reported with its line and column instead of ending the run with a
``UnicodeDecodeError``, a line too long to hold is skipped with an error, and a line in
UTF-8 inside a file in a legacy encoding is reported rather than misread;
:func:`guess_encoding` names the encoding :mod:`socialproj.encodings` detects.
"""

from __future__ import annotations

import codecs
import functools
import io
from collections.abc import Callable, Iterator
from typing import IO, Any, Final

from .encodings import detect_encoding, utf16_without_bom
from .errors import Position, ReadError

__all__ = [
    "NOT_TEXT",
    "binary_kind",
    "carriage_returns_only",
    "guess_encoding",
    "is_wide",
    "lines_ending_in_cr",
    "looks_binary",
    "marking_decoder",
    "mixed_lines",
    "nul_error",
    "numbered_lines",
]

_WIDE: Final = frozenset(("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"))


def is_wide(encoding: str) -> bool:
    """Whether ``encoding`` is UTF-16 or UTF-32 (whose text holds NUL bytes)."""
    return encoding.replace("_", "-").lower() in _WIDE


_TEXT_BYTES: Final = bytes(range(32, 256)) + b"\t\n\x0c\r"
#: What bytes that are not text decode to with the ``socialproj-mark`` error handler: a
#: lone surrogate, which no valid text (UTF-16 included) decodes to.
NOT_TEXT: Final = "\udc80"


def _mark_bad_bytes(exc: UnicodeError) -> tuple[str, int]:
    """A decoding error handler leaving a mark where the bytes were bad."""
    if isinstance(exc, UnicodeDecodeError):
        return NOT_TEXT, exc.end
    raise exc


codecs.register_error("socialproj-mark", _mark_bad_bytes)


def marking_decoder(encoding: str) -> codecs.IncrementalDecoder:
    """An incremental decoder that writes :data:`NOT_TEXT` where bytes are not text.

    Raises ``LookupError`` for an encoding no codec has.
    """
    return codecs.getincrementaldecoder(encoding)(errors="socialproj-mark")


#: Files people hand over instead of text, by their first bytes: what each is, and what to do.
_SIGNATURES: Final = (
    (
        b"PK\x03\x04",
        "a zip archive (an .xlsx or .ods workbook?), not text; read a workbook with the "
        "xlsx or ods format, or save it as CSV",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Office file (an .xls workbook?), not text; read a workbook with the xls "
        "format (pip install 'socialproj[xls]'), or save it as .xlsx or CSV",
    ),
    (b"%PDF-", "a PDF document, not text; copy its text out or read its source"),
    (b"\x1f\x8b", "gzip-compressed, not text; decompress it first"),
)


def binary_kind(head: bytes) -> str | None:
    """What binary data an input's first bytes are, or ``None`` for text.

    The answer completes "the input is …": ``"binary data, not text"``, or for a
    workbook, a PDF or a gzip file, what it is and what to do with it.

    Workbooks, PDFs and gzip files are named by their signature; other data is binary
    when NUL bytes (outside UTF-16 text) or other control characters are frequent. One
    stray NUL byte does not make a file binary: the line holding it is reported.
    """
    if not head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if utf16_without_bom(head) is not None:
        return None  # UTF-16 without a byte-order mark: its ASCII leaves NULs between
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    sample = head[:4096]
    controls = len(sample.translate(None, _TEXT_BYTES))  # NUL bytes included
    if sample.count(0) > max(2, len(sample) // 100) or controls > max(8, len(sample) // 20):
        return "binary data, not text"
    return None


def looks_binary(head: bytes) -> bool:
    """Whether an input's first bytes are binary data, not text (see :func:`binary_kind`)."""
    return binary_kind(head) is not None


def guess_encoding(head: bytes) -> str:
    """The likeliest encoding of an input from its first bytes (:func:`detect_encoding`'s).

    For sniffing, where a likely guess will do; a reader should use
    :meth:`~socialproj.ReadContext.text_encoding`, which refuses a guess it is not sure of.
    """
    return detect_encoding(head).name


def carriage_returns_only(head: bytes) -> bool:
    """Whether lines end in a carriage return alone (old Mac files): no line feed at all."""
    return b"\r" in head and b"\n" not in head


class _CarriageReturns(io.RawIOBase):
    """A binary stream whose carriage returns are read as line feeds."""

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__()
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._stream.read(len(view))
        if not data:
            return 0
        view[: len(data)] = data.replace(b"\r", b"\n")
        return len(data)


def lines_ending_in_cr(stream: IO[bytes]) -> IO[bytes]:
    """``stream`` with each carriage return read as a line feed (for CR-only files)."""
    return io.BufferedReader(_CarriageReturns(stream))


def _undecodable(
    raw: bytes, exc: UnicodeDecodeError, number: int, encoding: str, file: str | None
) -> ReadError:
    """The error for a line that cannot be decoded: the bytes, their line and column."""
    bad = raw[exc.start : exc.start + 4]
    column = len(raw[: exc.start].decode(encoding, errors="replace")) + 1
    return ReadError(
        f"bytes {bad!r} are not valid {encoding}{encoding_hint(raw, encoding)}",
        position=Position(file=file, line=number, column=column),
        expected=f"text in {encoding}",
    )


def encoding_hint(raw: bytes, encoding: str) -> str:
    """What to tell a user whose bytes are not ``encoding``: the encoding they may be in."""
    found = detect_encoding(raw)
    if found.how == "detected" and found.name != encoding:
        return f" (is the file in {found.name}? name its encoding: --encoding {found.name})"
    if found.how == "guessed":
        readings = ", ".join(f"{word!r} in {name}" for name, word in found.rivals[:3])
        return f" (they read as {readings} …: name the file's encoding with --encoding)"
    return " (name the file's encoding with --encoding)"


def _mixed(raw: bytes, number: int, encoding: str, file: str | None) -> ReadError | None:
    """The error for a UTF-8 line in a file read in a legacy encoding, if ``raw`` is one.

    Text in a legacy encoding almost never forms valid UTF-8 with two or more multi-byte
    characters: such a line was written in UTF-8, and read as ``encoding`` it would
    come out garbled.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if sum(1 for ch in text if ord(ch) > 127) < 2:
        return None
    return ReadError(
        f"is UTF-8 text in a file read as {encoding}: the file mixes two encodings "
        "(save it in one)",
        position=Position(file=file, line=number),
        expected=f"text in {encoding}",
    )


def mixed_lines(data: bytes, encoding: str, file: str | None = None) -> Iterator[ReadError]:
    """The error for each line of ``data`` that is UTF-8 while the rest is in ``encoding``."""
    if encoding.replace("_", "-").lower().startswith("utf"):
        return
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.isascii():
            mixed = _mixed(raw, number, encoding, file)
            if mixed is not None:
                yield mixed


def numbered_lines(
    stream: IO[bytes],
    encoding: str,
    *,
    limit: int,
    file: str | None = None,
    option: str | None = "max_line",
) -> Iterator[tuple[int, str | ReadError]]:
    """The input's lines, numbered from 1: each decoded, or the :class:`ReadError` it is.

    Lines end at a line feed only (a carriage return stays in the text, for CSV). A
    line that cannot be decoded gives an error naming its line and column, and so does
    a line of UTF-8 in a legacy encoding (a file of two encodings); a line
    longer than ``limit`` bytes (characters for UTF-16) gives an error, which names
    ``option`` as the way to raise the limit, and is skipped without being held in
    memory. Either way the next line is read: one bad line does not cost the rest of
    the file. A UTF-8 BOM at the start is dropped.
    """
    too_long = functools.partial(_too_long, limit=limit, file=file, option=option)
    if is_wide(encoding):
        yield from _wide_lines(stream, encoding, limit, file, too_long)
        return
    plain = "utf-8" if encoding == "utf-8-sig" else encoding
    legacy = not plain.replace("_", "-").lower().startswith("utf")
    readline = stream.readline
    # iter() over a partial: the C loop calls readline, no Python frame per line
    for number, raw in enumerate(iter(functools.partial(readline, limit + 1), b""), start=1):
        if len(raw) > limit and raw[-1:] != b"\n":
            while raw and raw[-1:] != b"\n":  # skip the rest, a block at a time
                raw = readline(1 << 20)
            yield number, too_long(number, unit="bytes")
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            text = raw.decode(plain)
        except UnicodeDecodeError as exc:
            yield number, _undecodable(raw, exc, number, plain, file)
            continue
        if legacy and not raw.isascii():
            mixed = _mixed(raw, number, plain, file)
            if mixed is not None:
                yield number, mixed
                continue
        if 0 in raw:  # a memchr on the bytes: the cheap test first
            nul = nul_error(text, file, number)
            if nul is not None:
                yield number, nul
                continue
        yield number, text


def nul_error(text: str, file: str | None = None, first_line: int = 1) -> ReadError | None:
    """The error for the first NUL character in ``text`` (starting at ``first_line``), if any.

    No text holds one: it is the mark of a damaged or binary file.
    """
    at = text.find("\x00")
    if at < 0:
        return None
    return ReadError(
        "holds a NUL byte, which no text has (a damaged file?)",
        position=Position(
            file=file,
            line=first_line + text.count("\n", 0, at),
            column=at - text.rfind("\n", 0, at),
        ),
        expected="text without control characters",
    )


def _too_long(
    number: int, *, unit: str, limit: int, file: str | None, option: str | None
) -> ReadError:
    expected = f"at most {limit:,} {unit} a line"
    if option is not None:
        expected += f"; set {option} higher to read it"
    return ReadError(
        f"is longer than {limit:,} {unit}",
        position=Position(file=file, line=number),
        expected=expected,
    )


def _wide_lines(
    stream: IO[bytes],
    encoding: str,
    limit: int,
    file: str | None,
    too_long: Callable[..., ReadError],
) -> Iterator[tuple[int, str | ReadError]]:
    # UTF-16 (Excel's "Unicode text"), decoded as a stream a line at a time. Bad bytes
    # are marked with a lone surrogate, which valid UTF-16 never decodes to, so the line
    # holding them is found and reported, and the next line is read.
    text = io.TextIOWrapper(stream, encoding=encoding, errors="socialproj-mark", newline="\n")
    number = 0
    try:
        while True:
            line = text.readline(limit + 1)
            if not line:
                return
            number += 1
            if len(line) > limit and not line.endswith("\n"):
                while line and not line.endswith("\n"):
                    line = text.readline(1 << 20)
                yield number, too_long(number, unit="characters")
                continue
            nul = nul_error(line, file, number)
            if nul is not None:
                yield number, nul
                continue
            bad = line.find(NOT_TEXT)
            if bad >= 0:
                yield (
                    number,
                    ReadError(
                        f"is not valid {encoding} at column {bad + 1}",
                        position=Position(file=file, line=number, column=bad + 1),
                        expected=f"text in {encoding}",
                    ),
                )
                continue
            yield number, line.lstrip("\ufeff") if number == 1 else line
    finally:
        if not text.closed:  # closed: the reader's caller closed the stream first
            text.detach()  # the stream is the caller's: leave it open
