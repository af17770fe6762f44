"""Turning bytes into text with positions: encodings, BOMs, binary junk, line numbers.

Readers of text formats use :func:`decode_lines`, which decodes line by line so that a
bad byte is reported with its line and column instead of ending the run with a
``UnicodeDecodeError``; :func:`guess_encoding` tells UTF-8 (with or without BOM) from
cp1251, the two encodings Bulgarian files come in.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from typing import Final

from .errors import Position, ReadError

__all__ = ["decode_line", "decode_lines", "guess_encoding", "looks_binary"]

_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_TEXT_BYTES: Final = bytes(range(32, 256)) + b"\t\n\x0c\r"


def looks_binary(head: bytes) -> bool:
    """Whether the first bytes of an input are binary data rather than text.

    NUL bytes (outside UTF-16 text) or a high share of control characters.
    """
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    sample = head[:4096]
    controls = len(sample.translate(None, _TEXT_BYTES))
    return controls > max(8, len(sample) // 20)


def guess_encoding(head: bytes) -> str:
    """The encoding of an input from its first bytes: a BOM's, else UTF-8, else cp1251.

    Text that is not valid UTF-8 (a cut-off last character aside), holds fewer valid
    UTF-8 characters than bad bytes, and reads as Cyrillic in cp1251 is cp1251; anything
    else is reported as UTF-8, so that the decoding error names the bad byte and line.
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"  # the sample cut a character in two
        # UTF-8 with a few bad bytes still holds many valid multi-byte characters;
        # cp1251 text almost never forms a valid UTF-8 sequence
        lenient = head.decode("utf-8", errors="replace")
        bad = lenient.count("\ufffd")
        good = sum(1 for ch in lenient if ord(ch) > 127) - bad
        if good >= bad:
            return "utf-8"
        try:
            text = head.decode("cp1251")
        except UnicodeDecodeError:
            return "utf-8"
        high = [ch for ch in text if ord(ch) > 127]  # where the encodings differ
        cyrillic = sum(1 for ch in high if "\u0400" <= ch <= "\u04ff")
        if high and cyrillic * 2 >= len(high):
            return "cp1251"
        return "utf-8"
    return "utf-8"


def decode_line(raw: bytes, number: int, encoding: str, *, file: str | None = None) -> str:
    """Decode one line, or raise :class:`~socialproj.ReadError` with its line and column."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 4]
        column = len(raw[: exc.start].decode(encoding, errors="replace")) + 1
        hint = (
            " (is the file in cp1251? pass encoding='cp1251')" if encoding.startswith("utf") else ""
        )
        raise ReadError(
            f"bytes {bad!r} are not valid {encoding}{hint}",
            position=Position(file=file, line=number, column=column),
            expected=f"text in {encoding}",
        ) from None


def decode_lines(
    lines: Iterable[bytes],
    encoding: str,
    *,
    file: str | None = None,
) -> Iterator[tuple[int, str]]:
    """Decode an input line by line, yielding ``(line number, text)``.

    A line that cannot be decoded raises :class:`~socialproj.ReadError` naming the file,
    line and column and the bytes found. A UTF-8 BOM at the start is dropped.
    """
    if encoding.replace("_", "-").lower() in ("utf-16", "utf-16-le", "utf-16-be"):
        yield from _decode_whole(lines, encoding, file=file)
        return
    plain_encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    for number, raw in enumerate(lines, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        yield number, decode_line(raw, number, plain_encoding, file=file)


def _decode_whole(
    lines: Iterable[bytes], encoding: str, *, file: str | None
) -> Iterator[tuple[int, str]]:
    try:
        text = b"".join(lines).decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"is not valid {encoding} at byte {exc.start}",
            position=Position(file=file),
        ) from None
    yield from enumerate(text.splitlines(keepends=True), start=1)
