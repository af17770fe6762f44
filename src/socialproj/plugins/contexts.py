"""What a format's reader and writer are called with: :class:`ReadContext`, :class:`WriteContext`.

A context carries the file name, the options, the error policy, and the helpers every
reader needs: decoding text with positions (:meth:`ReadContext.lines`,
:meth:`ReadContext.text`, the encoding settled by :mod:`socialproj.encodings`), and
reporting a bad record with its place (:meth:`ReadContext.problem`,
:meth:`WriteContext.problem`). The descriptors that name the reader and writer are in
:mod:`.descriptors`.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO, Any, ClassVar

from attrs import define, field, frozen

from socialproj.encodings import TextEncoding, detect_encoding
from socialproj.errors import Position, ReadError, RecordError
from socialproj.textio import (
    NOT_TEXT,
    binary_kind,
    carriage_returns_only,
    is_wide,
    lines_ending_in_cr,
    marking_decoder,
    mixed_lines,
    nul_error,
    numbered_lines,
)

from .descriptors import MAX_LINE, MAX_LINE_OPTION, ErrorPolicy

__all__ = ["ReadContext", "TableColumns", "WriteContext"]


@frozen
class TableColumns:
    """A table's columns as a reader sees them, with the first rows' cells under them.

    ``names`` are the header's names (a header over several rows joined: ``Budget /
    EU``), ``rows`` the first data rows' cells as text, ``line`` the header's line (or
    sheet row). :func:`socialproj.columns` gives it; ``socialproj columns`` prints it.
    """

    names: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    line: int = 1

    def sample(self, index: int) -> str:
        """The first non-empty cell of column ``index`` in :attr:`rows` (``""`` if none)."""
        return next((row[index] for row in self.rows if index < len(row) and row[index]), "")


@define
class ReadContext:
    """What a reader gets besides the stream: file name, options, error policy, helpers.

    Readers call :meth:`mark` with the line or row a record starts at, :meth:`problem`
    for a bad record (which raises, or collects and lets the reader go on with the next
    record), and :meth:`lines` or :meth:`text` to decode the input with positions.
    """

    file: str | None = None
    options: dict[str, Any] = field(factory=dict)
    errors: ErrorPolicy = "raise"
    encoding: str | None = None
    head: bytes = b""
    problems: list[RecordError] = field(factory=list)
    #: what a reader left out on purpose, said where (a list's total rows): see :meth:`note`
    notes: list[str] = field(factory=list)
    #: set by :func:`socialproj.columns`: a table format then reads only the header and
    #: its first rows, puts them in :attr:`columns` and yields no record
    columns_wanted: bool = False
    columns: TableColumns | None = None
    line: int | None = None
    row: int | None = None
    #: the name of the format reading (filled in by :func:`~socialproj.read`), for
    #: records that say which format they were read in (``source.format``)
    format: str = ""

    #: how the input's encoding was settled, once a reader asked for it (see
    #: :attr:`text_encoding`); ``None`` before, and for formats that read no text
    encoding_used: TextEncoding | None = field(default=None, init=False)

    @property
    def text_encoding(self) -> str:
        """The input's encoding: the ``encoding`` given, else detected from :attr:`head`.

        A byte-order mark names UTF-8, UTF-16 or UTF-32; without one, UTF-16 is told by
        the NULs between ASCII characters, then UTF-8, then one of the legacy encodings
        (:func:`socialproj.encodings.detect_encoding`). A detection that cannot tell two
        encodings apart raises :class:`~socialproj.ReadError` naming them, rather than
        guess; so does a given encoding no codec knows. :meth:`lines` and :meth:`text`
        decode with it; a reader that decodes the stream itself should too.
        :attr:`encoding_used` then says how it was settled.
        """
        used = self.encoding_used
        if used is None:
            used = self.encoding_used = self._settle_encoding()
        return used.name

    def _settle_encoding(self) -> TextEncoding:
        if self.encoding:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise self._no_encoding(self.encoding) from None
            return TextEncoding(self.encoding, "given")
        found = detect_encoding(self.head)
        if not found.sure:
            raise ReadError(
                f"{found.unsure()}; name it with --encoding (for example --encoding {found.name})",
                position=Position(file=self.file),
            )
        return found

    def mark(self, *, line: int | None = None, row: int | None = None) -> None:
        """Say where the record being read starts."""
        self.line = line
        self.row = row

    def note(self, message: str, *, line: int | None = None, row: int | None = None) -> None:
        """Say that the reader left something out on purpose, and where (never an error).

        ``socialproj convert`` and ``validate`` print the notes; a program reads
        :attr:`ProjectStream.notes <socialproj.ProjectStream.notes>`.
        """
        self.notes.append(f"{self.position(line=line, row=row)}: {message}")

    def position(
        self,
        *,
        field: str | None = None,
        line: int | None = None,
        row: int | None = None,
        column: int | None = None,
    ) -> Position:
        """A position in this input (the marked line and row unless given)."""
        return Position(
            file=self.file,
            line=self.line if line is None else line,
            row=self.row if row is None else row,
            field=field,
            column=column,
        )

    def problem(
        self,
        error: RecordError | str,
        *,
        field: str | None = None,
        value: object = None,
        expected: str | None = None,
        line: int | None = None,
        row: int | None = None,
    ) -> None:
        """Report a bad record: raise it, or (``errors="collect"``) keep it and go on."""
        if isinstance(error, str):
            error = RecordError(
                error,
                position=self.position(field=field, line=line, row=row),
                value=value,
                expected=expected,
            )
        else:
            error = error.at(self.position(field=field, line=line, row=row))
        if self.errors == "raise":
            raise error
        self.problems.append(error)

    def require_text(self) -> None:
        """Raise :class:`~socialproj.ReadError` if the input starts with binary data.

        Text in UTF-16 or UTF-32 given as the ``encoding`` holds NULs: it is not binary.
        """
        if self.encoding and is_wide(self.encoding):
            return
        kind = binary_kind(self.head)
        if kind is not None:
            raise ReadError(f"is {kind}", position=Position(file=self.file), expected="a text file")

    def lines(self, stream: IO[bytes]) -> Iterator[tuple[int, str]]:
        """Decode the input line by line as ``(line number, text)``, keeping line ends.

        The encoding is the ``encoding`` option, else guessed from the first bytes
        (UTF-8 with or without BOM, UTF-16, cp1251). Binary junk is refused; an
        undecodable line, and a line longer than the format's ``max_line`` option
        (:data:`MAX_LINE` bytes if it has none), is reported with its place as a
        :meth:`problem` and left out, and the lines after it are read. Memory holds
        one line at a time.
        """
        self.require_text()
        encoding = self.text_encoding
        if carriage_returns_only(self.head) and not is_wide(encoding):
            stream = lines_ending_in_cr(stream)  # an old Mac file: a CR ends each line
        declared = MAX_LINE_OPTION.name in self.options  # else no option to name
        limit = self.options.get(MAX_LINE_OPTION.name) or MAX_LINE
        option = MAX_LINE_OPTION.name if declared else None
        for number, text in numbered_lines(
            stream, encoding, limit=limit, file=self.file, option=option
        ):
            if type(text) is str:
                yield number, text
            else:
                self.problem(text)  # raises, or records the line and goes on with the next

    #: What :meth:`decoder` decodes bytes that are not text to (a lone surrogate, which
    #: no text holds): find it in the text to report the bad bytes where they are.
    NOT_TEXT: ClassVar[str] = NOT_TEXT

    def decoder(self, encoding: str | None = None) -> codecs.IncrementalDecoder:
        """An incremental decoder for the input read in chunks (a format not read by line).

        ``encoding`` is the one the input declares, else :attr:`text_encoding`. Bytes
        that are not text in it decode to :attr:`NOT_TEXT` instead of raising, so the
        reader can report them in their record and read on. Raises :class:`ReadError`
        for an encoding no codec has.
        """
        name = encoding or self.text_encoding
        try:
            return marking_decoder(name)
        except LookupError:
            raise self._no_encoding(name) from None

    def _no_encoding(self, name: str) -> ReadError:
        return ReadError(
            f"cannot be decoded: there is no encoding named {name!r}",
            position=Position(file=self.file),
            expected="an encoding such as utf-8, cp1250 or cp1251",
        )

    def text(self, stream: IO[bytes], *, limit: int = 20_000_000) -> str:
        """The whole input as one string (for document formats), at most ``limit`` bytes."""
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise ReadError(
                f"is larger than {limit:,} bytes, too large for one document",
                position=Position(file=self.file),
            )
        self.require_text()
        encoding = self.text_encoding
        try:
            text = data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ReadError(
                f"bytes {data[exc.start : exc.start + 4]!r} are not valid {encoding}",
                position=Position(file=self.file, line=line),
                expected=f"text in {encoding}",
            ) from None
        mixed = next(mixed_lines(data, encoding, self.file), None)
        if mixed is not None:
            raise mixed
        nul = nul_error(text, self.file)
        if nul is not None:
            raise nul
        return text


@define
class WriteContext:
    """What a writer gets besides the records and the stream: file name, options, errors.

    A writer that cannot write a record as it is (a NUL character CSV cannot carry, a
    cell longer than readers accept) calls :meth:`problem` and goes on with the next
    record: the record is left out, never written changed. ``record`` is the number
    (from 1) of the record being written; :meth:`count` moves it on.
    """

    file: str | None = None
    options: dict[str, Any] = field(factory=dict)
    errors: ErrorPolicy = "raise"
    problems: list[RecordError] = field(factory=list)
    record: int = 0

    def count(self) -> int:
        """Move on to the next record; its number."""
        self.record += 1
        return self.record

    def problem(
        self,
        message: str,
        *,
        field: str | None = None,
        value: object = None,
        expected: str | None = None,
    ) -> None:
        """Refuse the record being written: raise, or (``errors="collect"``) keep it and go on.

        The error's place is the output and the record's number (as ``row``).
        """
        error = RecordError(
            f"record {self.record} cannot be written: {message}",
            position=Position(file=self.file, row=self.record or None, field=field),
            value=value,
            expected=expected,
        )
        if self.errors == "raise":
            raise error
        self.problems.append(error)
