"""Reading and writing records in any installed format.

:func:`read` streams :class:`~socialproj.Project` records from a path or file; memory
does not grow with the number of records. A bad record raises a
:class:`~socialproj.RecordError` naming the file, line or row, field, value and what
was expected — or, with ``errors="collect"``, is kept in :attr:`ProjectStream.problems`
while the good records keep coming. :func:`write` writes records in a format.

The format is chosen by the host, not by the plugins: an explicit name wins; else the
file name's extension; else the content, sniffed by every format. More than one
candidate is an error naming them, none an error listing the installed formats.
"""

from __future__ import annotations

import codecs
import functools
import io
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, Final, cast

import attrs

from . import fast
from .columnar import arrow_schema, from_arrow, record_batches
from .encodings import TextEncoding
from .errors import FormatError, OptionError, Position, ReadError, RecordError, expect
from .model import Project
from .outputs import is_folder_target, replacing, replacing_folder
from .plugins import host
from .plugins.contexts import ReadContext, TableColumns, WriteContext
from .plugins.descriptors import ErrorPolicy, Format, Purpose, Sample
from .textio import binary_kind

__all__ = [
    "SNIFF_BYTES",
    "BatchStream",
    "ProjectStream",
    "Written",
    "choose_format",
    "columns",
    "read",
    "read_batches",
    "write",
    "write_batches",
]

#: How many bytes of an input the format sniffers see.
SNIFF_BYTES = 65536

Source = str | os.PathLike[str] | IO[bytes] | IO[str]


class _Rewound(io.RawIOBase):
    """A non-seekable binary stream with its first bytes read ahead and put back."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            size = min(len(view), len(self._head))
            view[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(view))
        if not data:
            return 0
        view[: len(data)] = data
        return len(data)


class _Encoded(io.RawIOBase):
    """A text stream read as UTF-8 bytes, line by line (for text files given to ``read``)."""

    def __init__(self, text: IO[str]) -> None:
        super().__init__()
        self._text = text
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        while not self._pending:
            line = self._text.readline()
            if not line:
                return 0
            self._pending = line.encode("utf-8")
        size = min(len(view), len(self._pending))
        view[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _name_of(source: Any) -> str | None:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


def _open_input(source: Source, stack: ExitStack) -> tuple[IO[bytes], bytes, str | None]:
    """A binary stream positioned at the start, its first bytes, and its name."""
    name = _name_of(source)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.is_dir():
            raise ReadError(
                "is a folder; read the files in it one by one", position=Position(file=name)
            )
        try:
            stream: IO[bytes] = stack.enter_context(open(path, "rb"))  # noqa: SIM115
        except OSError as exc:
            raise ReadError(
                f"cannot be opened: {exc.strerror or exc}", position=Position(file=name)
            ) from None
    elif not hasattr(source, "read"):
        raise TypeError(
            f"read() reads a path or an open file, not {type(source).__name__} ({source!r})"
        )
    elif isinstance(source, io.TextIOBase) or (
        hasattr(source, "read")
        and isinstance(getattr(source, "encoding", None), str)
        and not hasattr(source, "buffer")
    ):
        stream = io.BufferedReader(_Encoded(source))  # type: ignore[arg-type]
    else:
        raw = getattr(source, "buffer", source)  # a text wrapper around bytes: use the bytes
        stream = raw  # type: ignore[assignment]
    if stream.seekable():
        start = stream.tell()
        head = stream.read(SNIFF_BYTES)
        stream.seek(start)
        return stream, head, name
    head = stream.read(SNIFF_BYTES)
    return io.BufferedReader(_Rewound(head, stream)), head, name


# an HTML page or table, as some systems export a "spreadsheet"
_HTML: Final = re.compile(rb"<(?:!doctype\s+html|html|table)[\s>]", re.IGNORECASE)


def choose_format(
    name: str | None = None,
    *,
    file: str | None = None,
    head: bytes = b"",
    purpose: Purpose = "read",
) -> Format:
    """The format for an input or output: by ``name``, else extension, else content.

    Raises :class:`~socialproj.FormatError` naming the candidates when more than one
    fits, or listing the installed formats when none does. ``purpose`` is ``"read"``
    or ``"write"``.
    """
    if purpose not in ("read", "write"):
        raise ValueError(f"purpose is 'read' or 'write', not {purpose!r}")
    plugin_host = host()
    able = [
        f
        for f in plugin_host.formats()
        if (f.reader if purpose == "read" else f.writer) is not None
    ]
    if name:
        fmt = plugin_host.find_format(name)
        if (fmt.reader if purpose == "read" else fmt.writer) is None:
            raise FormatError(
                f"format {fmt.name!r} cannot {purpose}; formats that can: "
                f"{', '.join(f.name for f in able)}"
            )
        return fmt
    sample = Sample(file, head)
    candidates = [f for f in able if sample.extension and sample.extension in f.extensions]
    unsettled = False  # the name fits several formats and the content none of them
    if len(candidates) > 1 and purpose == "read":
        sniffed = [f for f in candidates if _sniffs(f, sample)]
        unsettled = not sniffed and bool(head)
        candidates = sniffed or candidates
    if not candidates and purpose == "read" and head:
        candidates = [f for f in able if _sniffs(f, sample)]
    if len(candidates) == 1:
        return candidates[0]
    what = f"{file!r}" if file else "the input"
    if candidates and not (unsettled and _HTML.search(head[:4096])):
        raise FormatError(
            f"{what} could be in {len(candidates)} formats: "
            f"{', '.join(f.name for f in candidates)}; choose one (--from/--to, format=)"
        )
    how = "its name or content" if purpose == "read" else "its name"
    kind = binary_kind(head) if purpose == "read" else None
    if kind is not None:
        raise FormatError(f"cannot read {what}: it is {kind}")
    if purpose == "read" and _HTML.search(head[:4096]):
        raise FormatError(
            f"cannot read {what}: it looks like an HTML page (an export named .xls, as "
            "ISUN's predecessor UMIS writes them?); read its table with the html format "
            "(--from html, format='html')"
        )
    raise FormatError(
        f"cannot tell the format of {what} from {how}; choose one of: "
        f"{', '.join(f.name for f in able)}"
    )


def _sniffs(fmt: Format, sample: Sample) -> bool:
    if fmt.sniff is None:
        return False
    try:
        return bool(fmt.sniff(sample))
    except Exception:
        return False


class ProjectStream(Iterator[Project]):
    """The records of one input, read one at a time.

    Iterate it for :class:`~socialproj.Project` objects; :attr:`problems` holds the bad
    records reported so far when reading with ``errors="collect"``; :meth:`positions`
    iterates ``(position, project)`` pairs. Use it in a ``with`` block (or exhaust it) to
    close the input.
    """

    def __init__(
        self,
        fmt: Format,
        context: ReadContext,
        stack: ExitStack,
        stream: IO[bytes],
        *,
        provenance: bool = False,
    ) -> None:
        if fmt.reader is None:
            raise FormatError(f"format {fmt.name!r} cannot read")
        self.format = fmt
        self.context = context
        self._stack = stack
        self._closed = False
        self._records = fmt.reader(stream, context)
        if provenance:  # a function of its own: a bound method would make a cycle
            self._records = map(functools.partial(_located, fmt.name, context), self._records)

    @property
    def problems(self) -> list[Any]:
        """The bad records found so far (with ``errors="collect"``)."""
        return self.context.problems

    @property
    def notes(self) -> list[str]:
        """What the reader left out on purpose so far, each with its place (total rows)."""
        return self.context.notes

    @property
    def file(self) -> str | None:
        """The input's name, if it has one."""
        return self.context.file

    @property
    def encoding(self) -> TextEncoding | None:
        """How the input's text encoding was settled, once the reader settled it.

        ``None`` before the first record is read, and for formats that read no text
        (workbooks). ``encoding.how == "detected"`` means it was told from the bytes:
        worth saying to a user, who can name another with ``encoding=``.
        """
        return self.context.encoding_used

    def __iter__(self) -> ProjectStream:
        return self

    def __next__(self) -> Project:
        try:
            return next(self._records)
        except StopIteration:
            self.close()
            raise
        except BaseException:
            self.close()
            raise

    def positions(self) -> Iterator[tuple[Position, Project]]:
        """``(position, project)`` pairs: where each record starts in the input."""
        for project in self:
            yield (
                Position(file=self.context.file, line=self.context.line, row=self.context.row),
                project,
            )

    def close(self) -> None:
        """Close the input (files ``read`` opened itself); closing twice does nothing."""
        if not self._closed:
            self._closed = True
            self._stack.close()

    def __del__(self) -> None:
        # a stream dropped before its end closes its file, as a generator would; one that
        # is already closed does nothing, so interpreter shutdown finds nothing to do
        if not getattr(self, "_closed", True):
            self.close()

    def __enter__(self) -> ProjectStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _located(format_name: str, context: ReadContext, project: Project) -> Project:
    """``project`` with where it was read in ``source``, unless it names a place already.

    A record that states its own file, line or row (read back from a file an
    earlier conversion wrote) keeps them: they say where it came from first.
    """
    source = project.source
    if source is not None and (
        source.file is not None or source.line is not None or source.row is not None
    ):
        return project
    if context.file is None and context.line is None and context.row is None:
        return project
    located = fast.source(
        source.format if source is not None and source.format else format_name,
        context.file,
        context.line,
        context.row,
        source.fields if source is not None else fast.EMPTY,
        source.findings if source is not None else (),
    )
    return attrs.evolve(project, source=located)


def read(
    source: Source,
    format: str | None = None,
    *,
    errors: ErrorPolicy = "raise",
    encoding: str | None = None,
    provenance: bool = False,
    **options: Any,
) -> ProjectStream:
    """Read records from a path, binary file or text file, one at a time.

    ``format`` is a format name or alias (see :func:`formats`); without it the format
    is told from the file's extension, then its content. ``errors="raise"`` (default)
    raises the first bad record's :class:`~socialproj.RecordError`;
    ``errors="collect"`` keeps going and collects them in the stream's ``problems``.
    ``encoding`` names the input's text encoding; without it the encoding is detected
    (a byte-order mark, UTF-8, or a legacy encoding told from the bytes), and an input
    whose encoding cannot be told is refused (:attr:`ProjectStream.encoding` says how
    it was settled).
    ``provenance=True`` records in each project's ``source`` where it was read (the
    format, file, line and row), unless the record names a place of its own. Other
    keyword arguments are the format's options.

        >>> import io, socialproj
        >>> data = io.StringIO('{"title": {"en": "Danube2 Wheels"}}')
        >>> [p.title.best() for p in socialproj.read(data, "jsonl")]
        ['Danube2 Wheels']
    """
    return _open_stream(source, format, errors, encoding, provenance, False, options)


class BatchStream(ProjectStream):
    """Record batches being read from one input: :func:`read_batches` returns it.

    Iterate it for ``pyarrow.RecordBatch`` objects of :func:`~socialproj.arrow_schema`,
    each of up to ``batch_size`` records; everything else is as for a
    :class:`ProjectStream` (``problems``, ``notes``, ``encoding``, closing).
    """

    def __init__(
        self,
        fmt: Format,
        context: ReadContext,
        stack: ExitStack,
        stream: IO[bytes],
        *,
        batch_size: int,
    ) -> None:
        if fmt.reader is None:
            raise FormatError(f"format {fmt.name!r} cannot read")
        self.format = fmt
        self.context = context
        self._stack = stack
        self._closed = False
        batches: Iterator[Any]
        if fmt.batch_reader is not None:
            batches = fmt.batch_reader(stream, context, batch_size)
        else:
            batches = record_batches(
                fmt.reader(stream, context),
                batch_size=batch_size,
                refused=functools.partial(_refused, context),
            )
        self._records = batches

    def __next__(self) -> Any:
        return super().__next__()

    def positions(self) -> Iterator[tuple[Position, Project]]:
        """Not offered: a batch holds many records (:func:`read` gives each one's place)."""
        raise TypeError("a BatchStream gives batches, not records with their places")


def _refused(context: ReadContext, number: int, project: Project, error: ValueError) -> None:
    """A record just read that the Arrow schema cannot hold: a problem at its place."""
    context.problem(str(error), expected="amounts of at most 10 decimals")


def read_batches(
    source: Source,
    format: str | None = None,
    *,
    errors: ErrorPolicy = "raise",
    encoding: str | None = None,
    batch_size: int = 10_000,
    **options: Any,
) -> BatchStream:
    r"""Read records as Arrow record batches of :func:`~socialproj.arrow_schema`.

    Takes the arguments of :func:`read` (``provenance`` aside) and gives exactly the
    records :func:`read` gives, ``batch_size`` at a time, as ``pyarrow.RecordBatch``
    objects ready for DuckDB, Polars or a Parquet file. A format with a bulk path (the
    canonical CSV of the ``csv`` format) builds them column by column without a Python
    object per record; the others go through the records. A record the schema cannot
    hold (an amount of more than ten decimals) is a bad record like any other.

        >>> import io, socialproj
        >>> data = io.StringIO("title.en,funding.total.amount\nWheels,424.835\n")
        >>> batch = next(iter(socialproj.read_batches(data, "csv")))
        >>> batch.num_rows, str(batch.column("funding").field("total").field("amount")[0])
        (1, '424.8350000000')
    """
    if batch_size < 1:
        raise OptionError(f"batch_size is at least 1, not {batch_size!r}")
    if errors not in ("raise", "collect"):
        raise OptionError(f"errors must be 'raise' or 'collect', not {errors!r}")
    stack = ExitStack()
    try:
        stream, head, name = _open_input(source, stack)
        fmt = choose_format(format, file=name, head=head, purpose="read")
        context = ReadContext(
            file=name,
            options=fmt.parse_options(options, purpose="read"),
            errors=errors,
            encoding=encoding,
            head=head,
            format=fmt.name,
        )
        return BatchStream(fmt, context, stack, stream, batch_size=batch_size)
    except BaseException:
        stack.close()
        raise


def columns(
    source: Source, format: str | None = None, *, encoding: str | None = None, **options: Any
) -> TableColumns:
    r"""A table's columns as its format reads them, with its first rows: what to map.

    Takes the arguments of :func:`read`; the header is found as reading finds it (a
    title row above it passed over, a header over several rows joined). For JSON and
    JSON Lines, the columns are the paths of the first records' fields (``partners[].name``),
    the keys a mapping of JSON paths names. Raises :class:`~socialproj.FormatError` for a
    format that reads no table (texts).

        >>> import io, socialproj
        >>> table = socialproj.columns(io.StringIO("Titlu;Total\nDrum;1 000\n"), "csv")
        >>> table.names, table.sample(1)
        (('Titlu', 'Total'), '1 000')
    """
    stream = _open_stream(source, format, "collect", encoding, False, True, options)
    with stream:
        for _ in stream:
            pass
    found = stream.context.columns
    if found is None:
        raise FormatError(f"format {stream.format.name!r} reads no table with columns")
    return found


def _open_stream(
    source: Source,
    format: str | None,
    errors: ErrorPolicy,
    encoding: str | None,
    provenance: bool,
    columns_wanted: bool,
    options: dict[str, Any],
) -> ProjectStream:
    if errors not in ("raise", "collect"):
        raise OptionError(f"errors must be 'raise' or 'collect', not {errors!r}")
    stack = ExitStack()
    try:
        stream, head, name = _open_input(source, stack)
        fmt = choose_format(format, file=name, head=head, purpose="read")
        context = ReadContext(
            file=name,
            options=fmt.parse_options(options, purpose="read"),
            errors=errors,
            encoding=encoding,
            head=head,
            format=fmt.name,
            columns_wanted=columns_wanted,
        )
        return ProjectStream(fmt, context, stack, stream, provenance=provenance)
    except BaseException:
        stack.close()
        raise


class Written(int):
    """How many records :func:`write` wrote; ``problems`` are the records it refused.

    An ``int``, so that ``n = write(...)`` counts as it always did; with
    ``errors="collect"``, :attr:`problems` holds each refused record's
    :class:`~socialproj.RecordError` (its number and why), and the count leaves them out.
    """

    problems: list[RecordError]

    def __new__(cls, count: int, problems: list[RecordError] | None = None) -> Written:
        """The count, and the refused records' errors."""
        written = super().__new__(cls, count)
        written.problems = problems or []
        return written


def write(
    projects: Iterable[Project],
    target: str | os.PathLike[str] | IO[bytes] | IO[str],
    format: str | None = None,
    *,
    errors: ErrorPolicy = "raise",
    **options: Any,
) -> Written:
    """Write records to a path or file in a format; returns how many were written.

    ``format`` is a format name; without it the target's extension decides. Options
    are the format's own (see its reference). Writers stream: records are written as
    they come. A path is written to a temporary file beside it that replaces it only
    when everything was written: an error or an interruption leaves the old file as it
    was. A record the format cannot carry (a NUL character in CSV, a cell longer than
    its readers read) raises a :class:`~socialproj.RecordError` naming the record, or
    with ``errors="collect"`` is left out and kept in the result's ``problems``.

    A ``target`` that is a folder (one that exists, or a path ending in ``/``) is written
    as a dataset of files by a format that can (``parquet``: with ``partition_by``, one
    subfolder per value), in a new folder that replaces the old one only at the end.
    """
    if errors not in ("raise", "collect"):
        raise OptionError(f"errors must be 'raise' or 'collect', not {errors!r}")
    name = _name_of(target)
    fmt = choose_format(format, file=name, purpose="write")
    context = WriteContext(
        file=name, options=fmt.parse_options(options, purpose="write"), errors=errors
    )
    counted = _Counted(projects, context)
    if isinstance(target, str | os.PathLike) and is_folder_target(target):
        if fmt.folder_writer is None:
            raise FormatError(
                f"{name!r} is a folder, and format {fmt.name!r} writes files, not datasets in "
                "folders; name a file"
            )
        with replacing_folder(target) as folder:
            fmt.folder_writer(counted, folder, context)
        return Written(counted.count - len(context.problems), context.problems)
    writer = fmt.writer
    if writer is None:
        raise FormatError(f"format {fmt.name!r} cannot write")
    with ExitStack() as stack:
        if isinstance(target, str | os.PathLike):
            stream: IO[bytes] = stack.enter_context(replacing(target))
        elif isinstance(target, io.TextIOBase) or (
            isinstance(getattr(target, "encoding", None), str) and not hasattr(target, "buffer")
        ):
            stream = cast(IO[bytes], _TextSink(cast(IO[str], target)))
        else:
            raw = getattr(target, "buffer", None)
            if raw is not None:
                target.flush()
            stream = cast(IO[bytes], raw or target)
        writer(counted, stream, context)
        stream.flush()
    return Written(counted.count - len(context.problems), context.problems)


def write_batches(
    batches: Iterable[Any],
    target: str | os.PathLike[str] | IO[bytes] | IO[str],
    format: str | None = None,
    *,
    errors: ErrorPolicy = "raise",
    **options: Any,
) -> Written:
    """Write Arrow record batches of :func:`~socialproj.arrow_schema` in a format.

    The twin of :func:`read_batches`, with the arguments of :func:`write`. A format with
    a batch writer (``parquet``) writes the batches as they are; any other format (and
    a folder target) is given their records (:func:`~socialproj.from_arrow`).
    """
    if errors not in ("raise", "collect"):
        raise OptionError(f"errors must be 'raise' or 'collect', not {errors!r}")
    name = _name_of(target)
    fmt = choose_format(format, file=name, purpose="write")
    batch_writer = fmt.batch_writer
    folder = isinstance(target, str | os.PathLike) and is_folder_target(target)
    if batch_writer is None or folder or not isinstance(target, str | os.PathLike):
        return write(from_arrow(batches), target, fmt.name, errors=errors, **options)
    context = WriteContext(
        file=name, options=fmt.parse_options(options, purpose="write"), errors=errors
    )
    counted = _CountedBatches(batches)
    with replacing(target) as stream:
        batch_writer(counted, stream, context)
        stream.flush()
    return Written(counted.count - len(context.problems), context.problems)


class _CountedBatches(Iterator[Any]):
    """Batches passed on, each checked to be in the Arrow schema, their rows counted."""

    def __init__(self, batches: Iterable[Any]) -> None:
        self._it = iter(batches)
        self._schema = arrow_schema()
        self.count = 0

    def __next__(self) -> Any:
        batch = next(self._it)
        if not batch.schema.equals(self._schema, check_metadata=False):
            raise FormatError(
                "write_batches() writes record batches of socialproj.arrow_schema(), not "
                f"batches of {', '.join(batch.schema.names[:8])}"
            )
        self.count += batch.num_rows
        return batch

    def __iter__(self) -> _CountedBatches:
        return self


class _Counted(Iterator[Project]):
    def __init__(self, projects: Iterable[Project], context: WriteContext) -> None:
        self._it = iter(projects)
        self._context = context
        self.count = 0

    def __next__(self) -> Project:
        project = next(self._it)
        if type(project) is not Project:
            expect(project, Project, "write() writes Project records")
        self.count += 1
        self._context.record = self.count
        return project

    def __iter__(self) -> _Counted:
        return self


class _TextSink(io.RawIOBase):
    """Bytes written to it go, decoded as UTF-8, to a text stream."""

    def __init__(self, text: IO[str]) -> None:
        super().__init__()
        self._text = text
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._text.write(self._decoder.decode(chunk))
        return len(chunk)

    def flush(self) -> None:
        self._text.flush()
