"""The ``json`` and ``jsonl`` formats: canonical projects as JSON, lossless both ways.

``jsonl`` (JSON Lines, ``.jsonl``/``.ndjson``) holds one canonical project per line.
``json`` (``.json``) is one document::

    {"format": "socialproj", "version": 1, "projects": [
    {...},
    {...}
    ]}

Both stream in both directions: a project is decoded, or written, one at a time. The
document's ``version`` lets a reader refuse a document written for a newer schema. A
bare JSON list of canonical projects is read too. Numbers are never read as floats.

Other producers' JSON (keep.eu's projects, a portal's dump) is read through the
``mapping`` option, whose keys are JSON paths (:mod:`socialproj.jsonmapping`): a file
holding one object is one record, a list one record per item, and ``records=KEY`` names
the top-level field whose list holds them; in ``jsonl``, every line is a record.
"""

from __future__ import annotations

import bisect
import codecs
import difflib
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any, NoReturn

import orjson

import socialproj
from socialproj import (
    JSON_DECODER,
    MAX_LINE,
    MAX_LINE_OPTION,
    Dumper,
    Format,
    JSONConstantError,
    MappedBuilder,
    Option,
    Position,
    Project,
    ReadContext,
    ReadError,
    RecordError,
    Sample,
    StructureError,
    TableColumns,
    WriteContext,
    dumps_json,
    from_dict,
    hookimpl,
    json_problem,
    lone_surrogate,
    parse_size,
)
from socialproj.jsonmapping import JSONPaths, record_paths
from socialproj.mapping import MAPPING_OPTIONS, ColumnError

#: The schema version this plugin writes and the newest it reads.
VERSION = socialproj.SCHEMA_VERSION


def _not_a_number(exc: JSONConstantError) -> str:
    return f"is not valid JSON ({exc.name} is no JSON number)"


_WHITESPACE = frozenset(" \t\r\n")
_TOO_DEEP = "nests lists or objects too deeply to read"
_NOT_SO_DEEP = "JSON nested at most a few hundred levels"


def _record(data: Any, context: ReadContext, line: str | None = None) -> Project | None:
    """The record in decoded JSON, or ``None`` after reporting why there is none.

    ``line`` is the text ``data`` was decoded from by orjson, which reads numbers as
    floats: a record holding one is decoded again with exact decimals.
    """
    if not isinstance(data, dict):
        context.problem(
            "is not a JSON object",
            value=data if not isinstance(data, list | dict) else None,
            expected="a canonical project object",
        )
        return None
    try:
        try:
            return from_dict(data)  # type: ignore[no-any-return]
        except StructureError as exc:
            if line is not None and _holds_float(data):
                return _record(JSON_DECODER.decode(line), context)
            context.problem(
                "; ".join(exc.problems),
                expected="a canonical socialproj project",
            )
    except RecursionError:
        context.problem(_TOO_DEEP, expected=_NOT_SO_DEEP)
    return None


def _ends_early(exc: json.JSONDecodeError, text: str) -> bool:
    """Whether a decoding error comes from the text ending, not from a wrong character."""
    return exc.msg.startswith("Unterminated") or exc.pos >= len(text.rstrip())


# -- JSON Lines ---------------------------------------------------------------------------


def _holds_float(data: Any) -> bool:
    if type(data) is float:
        return True
    if type(data) is dict:
        return any(_holds_float(v) for v in data.values())
    if type(data) is list:
        return any(_holds_float(v) for v in data)
    return False


def read_jsonl(stream: IO[bytes], context: ReadContext) -> Iterator[Project]:
    """Yield one project per non-empty line (through the ``mapping`` option, if given)."""
    if context.columns_wanted:
        _columns(_exact(_decoded_lines(stream, context)), context)
        return
    if context.options.get("mapping"):
        yield from _Mapped(context).read(_exact(_decoded_lines(stream, context)))
        return
    for data, by_orjson in _decoded_lines(stream, context):
        project = _record(data, context, by_orjson)
        if project is not None:
            yield project


def _exact(lines: Iterator[tuple[Any, str | None]]) -> Iterator[Any]:
    """Each line's value with exact numbers (decoded again where orjson made a float)."""
    for data, by_orjson in lines:
        yield JSON_DECODER.decode(by_orjson) if by_orjson and _holds_float(data) else data


def _decoded_lines(stream: IO[bytes], context: ReadContext) -> Iterator[tuple[Any, str | None]]:
    """Each non-empty line's value, and its text if orjson decoded it (bad lines reported)."""
    decode = JSON_DECODER.decode
    quick = orjson.loads
    for number, line in context.lines(stream):
        if not line.strip():
            continue
        context.mark(line=number)
        # orjson decodes twice as fast as the standard library; a line it cannot
        # decode is decoded again the careful way, for the standard library's message
        # (and its reading of NaN, lone surrogates, …)
        try:
            data = quick(line)
            by_orjson: str | None = line
        except orjson.JSONDecodeError:
            by_orjson = None
        if by_orjson is None:
            try:
                data = decode(line)
            except RecursionError:
                context.problem(_TOO_DEEP, expected=_NOT_SO_DEEP)
                continue
            except JSONConstantError as exc:
                context.problem(_not_a_number(exc), expected="JSON numbers only")
                continue
            except json.JSONDecodeError as exc:
                truncated = not line.endswith("\n") and _ends_early(exc, line)
                context.problem(
                    "is cut off (the input ends inside this record)"
                    if truncated
                    else f"is not valid JSON: {json_problem(exc, lines=False)}",
                    value=line.rstrip("\r\n"),
                    expected="one complete JSON object per line",
                )
                continue
            except _NOT_DECODED as exc:  # a number of more digits than Python reads
                context.problem(f"is not readable: {exc}", expected=_FEW_DIGITS)
                continue
            half = lone_surrogate(data)
            if half:  # orjson refuses them; the standard library decodes them
                context.problem(f"holds {half!r}, {_HALF}", expected="text")
                continue
        yield data, by_orjson


#: what a JSON decoder raises besides JSONDecodeError: too many digits for an int
_NOT_DECODED: tuple[type[Exception], ...] = (ValueError,)
_HALF = "half of a UTF-16 pair (a lone surrogate), which is no character"
_FEW_DIGITS = "numbers of at most 4300 digits"


def write_jsonl(projects: Iterable[Project], stream: IO[bytes], context: WriteContext) -> None:
    """Write one canonical project per line, as they come.

    A project whose line would be longer than ``max_line`` (what the reader reads) is
    refused with its number, not written.
    """
    write = stream.write
    dump = Dumper()
    limit = context.options.get(MAX_LINE_OPTION.name) or MAX_LINE
    for project in projects:
        try:
            line = dumps_json(dump(project), newline=True)
        except ValueError as exc:  # a lone surrogate, an endless number: no JSON for it
            context.problem(str(exc), expected="text and numbers JSON can hold")
            continue
        if len(line) > limit:
            _refuse_long(context, len(line), limit, "bytes", "max_line")
            continue
        write(line)


def _refuse_long(context: WriteContext, size: int, limit: int, unit: str, option: str) -> None:
    """Refuse a project too long for the reader to read back."""
    context.problem(
        f"it takes {size:,} {unit}, more than the {limit:,} readers take",
        expected=f"projects of at most {limit:,} {unit}; raise {option} to write and read it",
    )


def sniff_jsonl(sample: Sample) -> bool:
    """A first line that is a complete JSON object and is not a socialproj document."""
    text = sample.text.lstrip()
    first, newline, _ = text.partition("\n")
    if not first.startswith("{") or (not newline and len(sample.head) >= 65536):
        return False
    try:
        data = JSON_DECODER.decode(first)
    except JSONConstantError:
        return True  # an object whose fault is a NaN: the reader reports it with its line
    except json.JSONDecodeError:
        return False
    return isinstance(data, dict) and "projects" not in data


# -- JSON document --------------------------------------------------------------------------


_IN_STRING = re.compile(r'["\\]')
_STRUCTURE = re.compile(r'["\[\]{}]')
_SCALAR_END = re.compile(r"[\s,\]}]")
_ESCAPED = re.compile("[\udc80-\udcff]")  # a byte surrogateescape could not decode


class _Unreadable(Exception):
    """A project the document holds but that cannot be decoded; the read goes on past it."""

    def __init__(self, error: RecordError) -> None:
        super().__init__(error)
        self.error = error


class _Scanner:
    """Reads JSON values one at a time from a text stream decoded in chunks."""

    def __init__(self, stream: IO[bytes], encoding: str, file: str | None, limit: int) -> None:
        self._stream = stream
        self._limit = limit  # the longest value, in characters
        # bytes that are not valid text become lone surrogates, which decoding never
        # gives otherwise: the project holding them is reported, the others are read
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="surrogateescape")
        self._encoding = encoding
        self._bad: list[int] = []  # buffer positions of such bytes, in order
        self._file = file
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self._lines_before = 0  # newlines in the text dropped from the buffer
        self._counted = (0, 0)  # (position, newlines before it) in the buffer
        self._first = True

    def line(self, pos: int | None = None) -> int:
        """The line number of a buffer position."""
        at = self.pos if pos is None else pos
        counted, lines = self._counted
        if at < counted:
            counted = lines = 0
        # positions mostly move forward: count from the last one, not from the start
        lines += self.buffer.count("\n", counted, at)
        self._counted = (at, lines)
        return self._lines_before + lines + 1

    def _fill(self, size: int = 1 << 16) -> bool:
        if self.eof:
            return False
        chunk = self._stream.read(max(size, 1 << 16))
        try:
            text = self._decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:  # UTF-16 bytes surrogateescape cannot keep
            raise ReadError(
                f"bytes {exc.object[exc.start : exc.start + 4]!r} are not valid {self._encoding}",
                position=Position(file=self._file, line=self.line(len(self.buffer))),
            ) from None
        if self._first:
            text = text.lstrip("\ufeff")
            self._first = False
        if chunk and self.pos > 65536:  # drop what has been read, counting its lines
            self._lines_before += self.buffer.count("\n", 0, self.pos)
            self._counted = (0, 0)
            self._bad = [i - self.pos for i in self._bad if i >= self.pos]
            self.buffer = self.buffer[self.pos :]
            self.pos = 0
        start = len(self.buffer)
        self._bad += [start + found.start() for found in _ESCAPED.finditer(text)]
        self.buffer += text
        if not chunk:
            self.eof = True
            return bool(text)
        return True

    def _bad_in(self, start: int, end: int) -> int | None:
        """The first position of a byte that is not valid text between start and end."""
        bad = self._bad  # in order: positions are added as text is read
        index = bisect.bisect_left(bad, start)
        return bad[index] if index < len(bad) and bad[index] < end else None

    def _not_text(self, at: int) -> str:
        run = self.buffer[at : at + 4]
        raw = bytes(ord(c) - 0xDC00 for c in run if "\udc80" <= c <= "\udcff")
        hint = " (is the file in cp1251? pass encoding='cp1251')"
        return f"bytes {raw!r} are not valid {self._encoding}" + (
            hint if self._encoding.replace("_", "-").lower().startswith("utf-8") else ""
        )

    def skip(self) -> str:
        """Skip whitespace; the next character, or ``""`` at the end."""
        while True:
            buffer, pos = self.buffer, self.pos
            while pos < len(buffer) and buffer[pos] in _WHITESPACE:
                pos += 1
            self.pos = pos
            if pos < len(buffer):
                return buffer[pos]
            if not self._fill():
                return ""

    def take(self, char: str, expected: str) -> None:
        """Consume ``char`` or report what was found instead."""
        found = self.skip()
        if found != char:
            self.fail(f"found {found!r}" if found else "ends too early", expected)
        self.pos += 1

    def value(self, item: bool = False) -> Any:
        """Decode the next complete JSON value.

        A value that cannot be decoded ends the read with a :class:`ReadError`; with
        ``item``, one that cannot be decoded on its own (bad JSON inside it, too long,
        too deep) raises :class:`_Unreadable` instead, and :meth:`pass_value` goes past it.
        """
        self.skip()
        while True:
            try:
                value, end = JSON_DECODER.raw_decode(self.buffer, self.pos)
            except RecursionError:
                self._unreadable(item, _TOO_DEEP, _NOT_SO_DEEP)
            except JSONConstantError as exc:
                self._unreadable(item, _not_a_number(exc), "JSON numbers only")
            except json.JSONDecodeError as exc:
                bad = self._bad_in(self.pos, exc.pos + 1) if self._bad else None
                if bad is not None:  # a byte that is not text: say so, not "not JSON"
                    self._unreadable(item, self._not_text(bad), f"text in {self._encoding}", bad)
                if self.eof or self._decided(exc):
                    if self.eof and _ends_early(exc, self.buffer):
                        self.fail("is cut off (the input ends inside a project)", "a JSON value")
                    self._unreadable(
                        item,
                        f"is not valid JSON: {json_problem(exc, lines=False).split(' (')[0]}",
                        "a JSON value",
                        exc.pos,
                    )
                held = len(self.buffer) - self.pos
                if held > self._limit:
                    self._unreadable(item, *self._too_long())
                # read as much again as the value holds so far: decoding is retried
                # from its start, so a long value costs a few retries, not one per block
                self._fill(held)
                continue
            except ValueError as exc:  # a number of more digits than Python reads
                self._unreadable(item, f"is not readable: {exc}", _FEW_DIGITS)
            if (
                end == len(self.buffer)
                and not self.eof
                and not isinstance(value, dict | list | str)
            ):
                self._fill()  # a number at the end of the buffer may go on
                continue
            if end - self.pos > self._limit:
                self._unreadable(item, *self._too_long())
            bad = self._bad_in(self.pos, end) if self._bad else None
            if bad is not None:
                self._unreadable(item, self._not_text(bad), f"text in {self._encoding}", bad)
            half = lone_surrogate(value, self.buffer, self.pos, end)
            if half:
                self._unreadable(item, f"holds {half!r}, {_HALF}", "text")
            self.pos = end
            return value

    def _decided(self, exc: json.JSONDecodeError) -> bool:
        """Whether a decoding error stands whatever text comes after the buffer.

        An error well before the buffer's end does: JSON is decided character by
        character. One near the end may be a number or ``true`` cut in two, and an
        unterminated string is reported where it starts.
        """
        return not exc.msg.startswith("Unterminated") and exc.pos < len(self.buffer) - 16

    def _too_long(self) -> tuple[str, str]:
        limit = f"{self._limit:,} characters"
        return (
            f"holds a value longer than {limit}",
            f"at most {limit} a project; set max_record higher to read it",
        )

    def _unreadable(
        self, item: bool, message: str, expected: str, pos: int | None = None
    ) -> NoReturn:
        if not item:
            self.fail(message, expected, pos)
        raise _Unreadable(RecordError(message, position=self.position(pos), expected=expected))

    def pass_value(self) -> None:
        """Move past the value at the position without decoding it.

        Only strings and brackets are followed, a block at a time, so a value of any
        length or depth is passed in the memory of one block.
        """
        first = self.skip()
        pos = self.pos
        if first not in ('"', "[", "{"):  # a number or a word ends where a delimiter is
            while (found := _SCALAR_END.search(self.buffer, pos)) is None:
                self.pos = len(self.buffer)
                if not self._fill():
                    return
                pos = self.pos
            self.pos = found.start()
            return
        depth = 0
        in_string = False
        while True:
            buffer = self.buffer
            found = (_IN_STRING if in_string else _STRUCTURE).search(buffer, pos)
            if found is None:
                self.pos = len(buffer)
            elif found.group() == "\\":
                if found.end() < len(buffer):
                    pos = found.end() + 1  # past the escaped character
                    continue
                self.pos = found.start()  # the escaped character is in the next block
            else:
                pos = found.end()
                char = found.group()
                if char == '"':
                    in_string = not in_string
                else:
                    depth += 1 if char in "[{" else -1
                if depth == 0 and not in_string:
                    self.pos = pos
                    return
                continue
            if not self._fill():
                self.fail("is cut off (the input ends inside a project)", "a JSON value")
            pos = self.pos

    def position(self, pos: int | None = None) -> Position:
        """The file, line and column of a buffer position (by default, the current one)."""
        at = self.pos if pos is None else pos
        line_start = self.buffer.rfind("\n", 0, at) + 1
        return Position(file=self._file, line=self.line(at), column=at - line_start + 1)

    def fail(self, message: str, expected: str, pos: int | None = None) -> NoReturn:
        """End the read with an error at ``pos`` (by default, the current position)."""
        at = self.pos if pos is None else pos
        if at in self._bad:
            message, expected = self._not_text(at), f"text in {self._encoding}"
        raise ReadError(message, position=self.position(pos), expected=expected)


def read_json(stream: IO[bytes], context: ReadContext) -> Iterator[Project]:
    """Yield the projects of a socialproj JSON document (or a bare list), one at a time."""
    context.require_text()
    scanner = _Scanner(stream, context.text_encoding, context.file, context.options["max_record"])
    first = scanner.skip()
    if first == "":
        raise ReadError(
            "is empty",
            position=Position(file=context.file),
            expected="a socialproj JSON document or a JSON list",
        )
    if context.columns_wanted:
        _columns(_foreign(scanner, context, first), context)
        return
    if context.options.get("mapping"):
        yield from _Mapped(context).read(_foreign(scanner, context, first))
        return
    if first == "[":
        yield from _items(scanner, context)
    else:
        yield from _document(scanner, context)
    _at_end(scanner)


def _at_end(scanner: _Scanner) -> None:
    if scanner.skip() != "":
        scanner.fail("has more after the document", "the end of the file")


def _foreign(scanner: _Scanner, context: ReadContext, first: str) -> Iterator[Any]:
    """The records of another producer's document, one at a time.

    They are the document's object, its list's items, or the items of the list under
    the ``records`` option's top-level field.
    """
    key = context.options.get("records")
    if first == "[":
        yield from _values(scanner, context)
    elif not key:
        context.mark(line=scanner.line())
        yield scanner.value()
    else:
        scanner.take("{", "a JSON object")
        others: list[str] = []
        seen = False
        while scanner.skip() != "}":
            name = scanner.value()
            scanner.take(":", "':' after a key")
            if name == key and scanner.skip() == "[":
                seen = True
                yield from _values(scanner, context)
            else:
                others.append(repr(name))
                scanner.pass_value()
            after = scanner.skip()
            if after == ",":
                scanner.pos += 1
            elif after != "}":
                scanner.fail(f"found {after!r}" if after else "is cut off", "',' or '}'")
        scanner.pos += 1
        if not seen:
            raise ReadError(
                f"has no list under the top-level field {key!r} (the records option); "
                f"its fields are {', '.join(others) or 'none'}",
                position=Position(file=context.file),
                expected="the field whose list holds the records",
            )
    _at_end(scanner)


def _document(scanner: _Scanner, context: ReadContext) -> Iterator[Project]:
    """The projects of a ``{"format": "socialproj", ...}`` document."""
    scanner.take("{", "a JSON object or list")
    version: object = None
    seen_projects = False
    while True:
        if scanner.skip() == "}":
            scanner.pos += 1
            break
        line = scanner.line()
        key = scanner.value()
        scanner.take(":", "':' after a key")
        if key == "projects":
            if version is not None:
                _check_version(version, context)
            if scanner.skip() != "[":
                scanner.fail("'projects' is not a list", "a list of projects")
            seen_projects = True
            yield from _items(scanner, context)
        elif key == "version":
            version = scanner.value()
            if seen_projects:
                _check_version(version, context)
        elif key == "format":
            name = scanner.value()
            if name != "socialproj":
                raise ReadError(
                    f"is a {name!r} document, not a socialproj one",
                    position=Position(file=context.file, line=line),
                    expected='"format": "socialproj"',
                )
        else:
            scanner.value()
            context.problem(
                f"has an unknown top-level field {key!r}",
                line=line,
                expected="format, version and projects",
            )
        after = scanner.skip()
        if after == ",":
            scanner.pos += 1
        elif after != "}":
            scanner.fail(f"found {after!r}" if after else "is cut off", "',' or '}' between fields")


def _check_version(version: object, context: ReadContext) -> None:
    if type(version) is not int or version < 1:
        raise ReadError(
            f"has version {version!r}",
            position=Position(file=context.file),
            expected="a positive whole number",
        )
    if version > VERSION:
        raise ReadError(
            f"was written for schema version {version}; socialproj "
            f"{socialproj.__version__} reads versions up to {VERSION}: upgrade socialproj",
            position=Position(file=context.file),
        )


def _items(scanner: _Scanner, context: ReadContext) -> Iterator[Project]:
    for data in _values(scanner, context):
        project = _record(data, context)
        if project is not None:
            yield project


def _values(scanner: _Scanner, context: ReadContext) -> Iterator[Any]:
    """The decoded items of the list at the position (an unreadable one is reported)."""
    scanner.take("[", "a list")
    if scanner.skip() == "]":
        scanner.pos += 1
        return
    while True:
        context.mark(line=scanner.line())
        try:
            data = scanner.value(item=True)
        except _Unreadable as exc:
            context.problem(exc.error)
            scanner.pass_value()
        else:
            yield data
        after = scanner.skip()
        scanner.pos += 1
        if after == "]":
            return
        if after != ",":
            scanner.pos -= 1
            scanner.fail(
                f"found {after!r}" if after else "is cut off", "',' or ']' between projects"
            )


#: records whose amounts written as text teach the number style of the others
_LEARN_FROM = 50


def _columns(values: Iterator[Any], context: ReadContext) -> None:
    """What ``socialproj columns`` shows of JSON records: their fields' paths, as columns.

    The paths of the first records' fields (the keys a mapping names), with each
    record's value under them; a list's values are joined by ``"; "``.
    """
    line = 1  # the first record's
    records: list[dict[str, Any]] = []
    for data in itertools.islice(values, _LEARN_FROM):
        if _is_record(data):
            if not records:
                line = context.line or 1
            records.append(data)
    if not records:
        raise ReadError(
            "holds no JSON object among its first records, so it has no fields to map",
            position=Position(file=context.file),
            expected="records: JSON objects (the records option names the list holding them)",
        )
    names = list(dict.fromkeys(path for record in records for path in record_paths(record)))
    paths = JSONPaths(dict.fromkeys(names, "-"))
    rows = []
    for record in records:
        cells, _ = paths.cells(record)
        rows.append(
            tuple(
                ("; ".join(map(str, cell)) if any(cell) else "")
                if isinstance(cell, list)
                else str(cell)
                for cell in cells
            )
        )
    context.columns = TableColumns(tuple(names), tuple(rows), line)


class _Mapped:
    """Other producers' records, each read through the ``mapping`` option's JSON paths."""

    def __init__(self, context: ReadContext) -> None:
        options = context.options
        mapping = options["mapping"]
        self._context = context
        try:
            self._paths = JSONPaths(mapping)
            self._build = MappedBuilder.from_options(
                self._paths.columns,
                mapping,
                options,
                file=context.file,
                format_name=context.format or "json",
            )
        except ValueError as exc:
            raise ReadError(str(exc), position=Position(file=context.file)) from None

    def read(self, values: Iterator[Any]) -> Iterator[Project]:
        """One project per record of ``values``; what is no record is reported."""
        context = self._context
        head: list[tuple[Any, int | None]] = []
        for data in values:  # the first records, to learn from
            head.append((data, context.line))
            if len(head) == _LEARN_FROM:
                break
        cells = [(self._paths.cells(data), line) for data, line in head if _is_record(data)]
        self._learn([cell for (row, _), _ in cells for cell in row])
        if cells:
            self._fits(next(data for data, _ in head if _is_record(data)))
        row = 0
        for data, line in itertools.chain(head, ((data, context.line) for data in values)):
            row += 1
            context.mark(line=line, row=row)
            if not _is_record(data):
                context.problem(
                    "is not a JSON object",
                    value=data if not isinstance(data, list | dict) else None,
                    expected="a record: a JSON object the mapping's paths read",
                )
                continue
            row_cells, kept = self._paths.cells(data)
            try:
                yield self._build.build(row_cells, row, line or 0, kept)
            except ColumnError as exc:
                context.problem(
                    exc.reason or "cannot be read",
                    field=exc.column,
                    value=exc.value,
                    expected=exc.expected,
                )
            except (ValueError, TypeError) as exc:
                context.problem(str(exc))

    def _learn(self, cells: list[Any]) -> None:
        """The number style of text amounts: the option's, or the first records' (learned)."""
        money = set(self._build.money_columns())
        width = len(self._paths.columns)
        texts = [
            item
            for index, cell in enumerate(cells)
            if index % width in money
            for item in (cell if isinstance(cell, list) else [cell])
            if isinstance(item, str) and item
        ]
        self._build.learn_style(self._context.options["decimal"], texts)

    def _fits(self, first: dict[str, Any]) -> None:
        """Refuse a mapping none of whose paths the first records hold; note the others."""
        unseen = self._paths.unseen()
        if not unseen:
            return
        shown = ", ".join(map(repr, unseen[:12])) + (" …" if len(unseen) > 12 else "")
        if len(unseen) < len(self._paths.columns):
            self._context.note(
                f"the mapping's {shown} are in none of the first {_LEARN_FROM} records"
            )
            return
        fields = record_paths(first)
        hints = []
        for key in unseen[:6]:
            near = difflib.get_close_matches(key, fields, 1, 0.6)
            if near:
                hints.append(f"{key!r} (nearest: {near[0]!r})")
        raise ReadError(
            f"holds none of the fields the mapping names ({shown}), so the mapping is not "
            f"for these records; their fields are {_listed(fields)}"
            + (f". Nearest: {'; '.join(hints)}" if hints else ""),
            position=Position(file=self._context.file),
            expected="records holding the mapping's JSON paths",
        )


def _is_record(data: Any) -> bool:
    return isinstance(data, dict)


def _listed(names: list[str], most: int = 30) -> str:
    shown = ", ".join(map(repr, names[:most]))
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def write_json(projects: Iterable[Project], stream: IO[bytes], context: WriteContext) -> None:
    """Write a socialproj JSON document, one project per line, as they come."""
    write = stream.write
    write(b'{"format":"socialproj","version":%d,"projects":[' % VERSION)
    separator = b"\n"
    dump = Dumper()
    limit = context.options.get("max_record") or MAX_LINE
    for project in projects:
        try:
            data = dumps_json(dump(project))
        except ValueError as exc:
            context.problem(str(exc), expected="text and numbers JSON can hold")
            continue
        if len(data) > limit and len(data.decode("utf-8")) > limit:
            _refuse_long(context, len(data.decode("utf-8")), limit, "characters", "max_record")
            continue
        write(separator)
        write(data)
        separator = b",\n"
    write(b"\n]}\n")


def sniff_json(sample: Sample) -> bool:
    """A JSON object naming the socialproj format, or a list of objects."""
    text = sample.text.lstrip()
    if text.startswith("["):
        return text[1:].lstrip()[:1] in ("{", "]")
    head = text[:200].replace(" ", "")
    return text.startswith("{") and '"format":"socialproj"' in head


@hookimpl
def socialproj_formats() -> Iterator[Format]:
    """The JSON and JSON Lines formats."""
    yield Format(
        name="json",
        description="socialproj JSON document: a version and a list of canonical projects",
        reader=read_json,
        writer=write_json,
        extensions=(".json",),
        sniff=sniff_json,
        lossless=True,
        options=(
            *MAPPING_OPTIONS,
            Option(
                "records",
                "reading through a mapping: the top-level field whose list holds the "
                "records (by default the document is one record, or a list of them)",
                str,
                applies="read",
            ),
            Option(
                "max_record",
                "longest project, in characters: a longer one is reported and passed "
                "(reading) or refused (writing)",
                parse_size,
                MAX_LINE,
            ),
        ),
    )
    yield Format(
        name="jsonl",
        description="JSON Lines: one canonical project per line",
        reader=read_jsonl,
        writer=write_jsonl,
        extensions=(".jsonl", ".ndjson"),
        aliases=("ndjson", "json-lines"),
        sniff=sniff_jsonl,
        lossless=True,
        options=(*MAPPING_OPTIONS, MAX_LINE_OPTION),
    )
