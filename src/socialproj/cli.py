"""The ``socialproj`` command: convert, validate, and list formats.

::

    socialproj convert INPUT [OUTPUT] [--from F] [--to F] [-o key=value ...]
    socialproj validate INPUT [--from F] [--format text|json]
    socialproj formats

Exit codes: 0 when all is well, 1 when the data has problems (bad records, or findings
of severity error), 2 for a usage error or an input that cannot be read at all.
Messages name the file, the line or row and the field; bad input never prints a
traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from .errors import Position
    from .model import Project
    from .plugins.descriptors import Format, Option, Purpose
    from .readwrite import ProjectStream

__all__ = ["main"]

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


class _Usage(Exception):
    """A usage problem or unreadable input: exit 2 with this message."""


def _parser() -> argparse.ArgumentParser:
    from ._version import __version__

    parser = argparse.ArgumentParser(
        prog="socialproj",
        description="Read, check and convert records of publicly funded social projects.",
        epilog="Exit codes: 0 fine, 1 data problems, 2 usage or unreadable input.",
    )
    parser.add_argument("--version", action="version", version=f"socialproj {__version__}")
    parser.add_argument(
        "--strict-plugins",
        action="store_true",
        help="fail when a plugin cannot be loaded instead of skipping it",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--from",
            dest="source_format",
            metavar="FORMAT",
            help="the input format (default: from the file name, then the content)",
        )
        sub.add_argument(
            "-o",
            "--option",
            dest="options",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="a format option; prefix with from. or to. to pick a side",
        )
        sub.add_argument("--encoding", help="the input's text encoding (default: guessed)")
        sub.add_argument("--quiet", "-q", action="store_true", help="no progress display")

    convert = commands.add_parser(
        "convert",
        help="convert records from one format to another",
        description="Convert records. INPUT may be a file, a folder (every file in it) or "
        "'-' for standard input; OUTPUT a file or '-' (the default) for standard "
        "output. Bad records are reported on standard error and skipped.",
    )
    convert.add_argument("input", metavar="INPUT")
    convert.add_argument("output", metavar="OUTPUT", nargs="?", default="-")
    convert.add_argument(
        "--to",
        dest="target_format",
        metavar="FORMAT",
        help="the output format (default: from OUTPUT's name, else jsonl)",
    )
    convert.add_argument(
        "--provenance",
        action="store_true",
        help="record in each project's source where it was read (format, file, line, row)",
    )
    common(convert)

    validate = commands.add_parser(
        "validate",
        help="check records and report every finding",
        description="Check records and print every finding with its place, then a summary "
        "by code. Exits with 1 when errors were found.",
    )
    validate.add_argument("input", metavar="INPUT")
    validate.add_argument(
        "--format",
        dest="report_format",
        choices=("text", "json"),
        default="text",
        help="how to print the report (default: text)",
    )
    common(validate)

    def several(sub: argparse.ArgumentParser, output: str) -> None:
        """The arguments of the commands that read many inputs of any format together."""
        sub.add_argument("inputs", metavar="INPUT", nargs="+")
        sub.add_argument("-o", "--output", default="-", metavar="FILE", help=output)
        sub.add_argument(
            "--from", dest="source_format", metavar="FORMAT", help="the inputs' format"
        )
        sub.add_argument("--encoding", help="the inputs' text encoding (default: guessed)")

    linking = commands.add_parser(
        "link",
        help="find the records of one project across sources",
        description="Read every INPUT (files or folders, any readable format, mixed) and "
        "write one JSON object per line for each group of records judged to be one "
        "project: its members (where each was read), a score and the evidence of each "
        "comparison. Records left alone are not written.",
    )
    several(linking, "where to write the groups")

    merging = commands.add_parser(
        "merge",
        help="link the records of each project and merge them into one record",
        description="Read every INPUT as link does, and write one record per group of "
        "records of one project: each field from the preferred source that states it, "
        "texts, lists and extras joined, and every disagreement a merge.conflict finding "
        "keeping each value with its source.",
    )
    several(merging, "where to write the records")
    merging.add_argument(
        "--to", dest="target_format", metavar="FORMAT", help="the output format (default: jsonl)"
    )
    merging.add_argument(
        "--prefer",
        metavar="FORMATS",
        help="formats in order of preference, comma-separated (default: the order read)",
    )
    merging.add_argument(
        "--all", action="store_true", help="write the records no other matched too"
    )

    showing = commands.add_parser(
        "columns",
        help="show a table's columns, a sample value of each, and a draft mapping",
        description="Show the columns of a list (CSV, workbook, sheet, web page) as "
        "socialproj reads them, or the fields of JSON records as paths, with a sample value "
        "of each, then a draft mapping to fill in and pass with -o mapping=FILE.",
    )
    showing.add_argument("input", metavar="INPUT")
    common(showing)

    listing = commands.add_parser(
        "formats",
        help="list the installed formats, rate providers and extra checks",
        description="List the installed formats (with --format json: the formats and their "
        "options), then the rate providers and extra checks plugins add; or, given a "
        "format's name, that format and its options.",
    )
    listing.add_argument(
        "name", nargs="?", help="a format's name or alias: show it and its options"
    )
    listing.add_argument("--format", dest="report_format", choices=("text", "json"), default="text")
    return parser


def _encoding_option(args: argparse.Namespace) -> None:
    """``-o encoding=cp1250`` (as a reading option is written in Python) is ``--encoding``."""
    kept = []
    for option in getattr(args, "options", []):
        key, sep, value = option.partition("=")
        if sep and key.strip() in ("encoding", "from.encoding"):
            args.encoding = value.strip()
        else:
            kept.append(option)
    if hasattr(args, "options"):
        args.options = kept


class _Terminated(BaseException):
    """SIGTERM, raised where the program is so that outputs are cleaned up on the way out."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also used by ``python -m socialproj``)."""
    import signal

    args = _parser().parse_args(argv)
    _encoding_option(args)
    from .errors import SocialprojError

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)  # unwind: a half-written output goes
    try:
        if args.strict_plugins:
            from .plugins import host

            host().strict = True
        if args.command == "convert":
            return _convert(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "columns":
            return _columns(args)
        if args.command == "link":
            return _link(args)
        if args.command == "merge":
            return _merge(args)
        return _formats(args)
    except _Usage as exc:
        _error(str(exc))
        return EXIT_USAGE
    except SocialprojError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:  # an output that cannot be written: a full disk, no permission …
        _error(f"{exc.filename or 'output'}: {exc.strerror or exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except _Terminated:
        _error("terminated")
        return 143


def _error(message: str) -> None:
    print(f"socialproj: {message}", file=sys.stderr)


def _say_how_read(spec: str, stream: ProjectStream) -> None:
    """Tell the user an encoding told from the bytes, and what the reader left out."""
    used = stream.encoding
    if used is not None and used.how == "detected":
        _error(f"{spec}: read as {used.describe()}; name another with --encoding")
    for note in stream.notes:
        _error(f"note: {note}")


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


# -- options -------------------------------------------------------------------------------


def _split_options(
    pairs: list[str], reader: Format | None, writer: Format | None, *, guessed: bool = False
) -> tuple[dict[str, str], dict[str, str]]:
    """Assign ``-o key=value`` options to the reader, the writer, or both.

    An option goes to each side whose format takes it for that side (a reading option
    such as ``mapping`` to the reader alone). With a reader ``guessed`` from the inputs'
    names, an option both sides take goes to the writer alone, as it did before the
    reader was known (``from.`` reaches the reader).
    """
    from .plugins.descriptors import DOING

    read_options: dict[str, str] = {}
    write_options: dict[str, str] = {}
    sides: tuple[tuple[str, Purpose, Format | None, dict[str, str]], ...] = (
        ("to", "write", writer, write_options),
        ("from", "read", reader, read_options),
    )
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise _Usage(f"option {pair!r} is not KEY=VALUE")
        prefix, dot, name = key.partition(".")
        if dot and prefix in ("from", "to"):
            for side, purpose, fmt, bucket in sides:
                if side == prefix:
                    if fmt is None:
                        raise _Usage(f"{key}: {_UNKNOWN_INPUT}")
                    if not _takes(fmt, name, purpose):
                        raise _Usage(f"format {fmt.name!r} has no {DOING[purpose]} option {name!r}")
                    bucket[name] = value
            continue
        placed = False
        for _side, purpose, fmt, bucket in sides:
            if _takes(fmt, key, purpose) and not (placed and guessed):
                bucket[key] = value
                placed = True
        if not placed:
            raise _Usage(_unplaced(key, reader, writer))
    return read_options, write_options


_UNKNOWN_INPUT = "the input's format is not known: name it with --from"


def _takes(fmt: Format | None, name: str, purpose: Purpose) -> bool:
    return fmt is not None and any(
        option.name == name and option.applies_to(purpose) for option in fmt.options
    )


def _unplaced(key: str, reader: Format | None, writer: Format | None) -> str:
    """Why no side takes the option ``key``, and what would."""
    from .plugins.descriptors import DOING

    hint = f"; {_UNKNOWN_INPUT}" if reader is None else ""
    for fmt in (reader, writer):
        if fmt is None:
            continue
        for option in fmt.options:
            if option.name == key and option.applies != "both":
                doing = DOING[option.applies]
                return f"option {key!r} of format {fmt.name!r} is for {doing} only{hint}"
    offered = sorted({o.name for f in (reader, writer) if f for o in f.options})
    return (
        f"no format here takes the option {key!r} (options: {', '.join(offered) or 'none'}){hint}"
    )


# -- inputs --------------------------------------------------------------------------------


class _NothingRead(Exception):
    """Every input was unreadable and no record came: write nothing, keep the old output."""


def _inputs(spec: str, *, leave_out: str | None = None) -> list[str]:
    """The files to read: ``spec`` itself, or the files of a folder (hidden ones aside).

    ``leave_out`` is the output: a folder's files leave it out (the command would read
    what it writes), and an input that is the output is refused (it would be lost).
    """
    from .outputs import same_file

    if spec == "-":
        return ["-"]
    path = Path(spec)
    if path.is_dir():
        files = sorted(str(p) for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        if leave_out is not None:
            output = Path(leave_out).resolve()
            files = [f for f in files if Path(f).resolve() != output and not same_file(f, output)]
        if not files:
            raise _Usage(f"{spec}: the folder has no files")
        return files
    if not path.exists():
        raise _Usage(f"{spec}: no such file")
    if leave_out is not None and same_file(spec, leave_out):
        raise _Usage(
            f"{leave_out}: the output is the input {spec}: writing it would lose what it "
            "holds; write to another file"
        )
    return [spec]


def _input_format(name: str | None, inputs: list[str]) -> Format | None:
    """The ``--from`` format, else the one the inputs' names all point to, if they do.

    Knowing it lets ``-o`` options reach the reader without ``--from``. A file whose
    name says nothing (an unknown extension, an HTML page named ``.xls``) is told by its
    first bytes, as reading it will; standard input is told by content later.
    """
    from .errors import FormatError
    from .plugins import find_format
    from .readwrite import SNIFF_BYTES, choose_format

    if name:
        return find_format(name)
    found = set()
    for spec in inputs:
        if spec == "-":
            return None
        try:
            found.add(choose_format(None, file=spec, purpose="read").name)
        except FormatError:
            try:
                with open(spec, "rb") as handle:
                    head = handle.read(SNIFF_BYTES)
                found.add(choose_format(None, file=spec, head=head, purpose="read").name)
            except (OSError, FormatError):
                return None
    return find_format(found.pop()) if len(found) == 1 else None


def _read(
    spec: str,
    reader: Format | None,
    encoding: str | None,
    options: dict[str, Any],
    *,
    provenance: bool = False,
    batches: int = 0,
) -> ProjectStream:
    """Open one input, collecting its bad records (the commands report them all).

    ``batches``: read it as Arrow record batches of that many records at most (a
    :class:`~socialproj.BatchStream`).
    """
    from .readwrite import read, read_batches

    source = sys.stdin.buffer if spec == "-" else spec
    name = reader.name if reader else None
    if batches:
        return read_batches(
            source, name, errors="collect", encoding=encoding, batch_size=batches, **options
        )
    return read(source, name, errors="collect", encoding=encoding, provenance=provenance, **options)


class _Progress:
    """A one-line count on standard error, when it is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.count = 0
        self._last = 0.0

    def wrap(self, projects: Iterable[Project]) -> Iterator[Project]:
        for project in projects:
            self.count += 1
            self.show()
            yield project

    def wrap_batches(self, batches: Iterable[Any]) -> Iterator[Any]:
        """Count the records of Arrow record batches as they pass."""
        for batch in batches:
            self.count += batch.num_rows
            self.show()
            yield batch

    def show(self) -> None:
        """Show the count, five times a second at most."""
        if self.enabled:
            now = time.monotonic()
            if now - self._last > 0.2:
                self._last = now
                print(f"\r{self.count:,} projects", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.enabled and self._last:
            print("\r" + " " * 40 + "\r", end="", file=sys.stderr, flush=True)


# -- commands --------------------------------------------------------------------------------


def _convert(args: argparse.Namespace) -> int:
    from .errors import FormatError, ReadError, RecordError
    from .outputs import is_folder_target
    from .plugins import find_format
    from .readwrite import choose_format, write, write_batches

    output = args.output
    to_stdout = output == "-"
    inputs = _inputs(args.input, leave_out=None if to_stdout else output)
    reader = _input_format(args.source_format, inputs)
    guessed = reader is not None and not args.source_format
    if args.target_format:
        writer = choose_format(args.target_format, purpose="write")
    elif to_stdout:
        writer = find_format("jsonl")
    else:
        writer = choose_format(None, file=output, purpose="write")
    read_options, write_options = _split_options(args.options, reader, writer, guessed=guessed)
    problems: list[RecordError] = []
    fatal: list[ReadError] = []
    skipped: list[str] = []
    progress = _Progress(not args.quiet)

    # Parquet written to a file from inputs read without provenance: Arrow batches all the
    # way (a canonical CSV file is read column by column), the records otherwise
    bulk = writer.batch_writer is not None and not to_stdout and not args.provenance
    bulk = bulk and not is_folder_target(output)
    # a batch per row group: the writer writes each batch as its own row groups
    batch_size = int(writer.parse_options(write_options).get("row_group", 10_000)) if bulk else 0

    def records() -> Iterator[Any]:
        for spec in inputs:
            try:
                stream = _read(
                    spec,
                    reader,
                    args.encoding,
                    read_options,
                    provenance=args.provenance,
                    batches=batch_size if bulk else 0,
                )
                with stream:
                    yield from stream
                _say_how_read(spec, stream)
                problems.extend(stream.problems)
                for problem in stream.problems:
                    _error(str(problem))
            except ReadError as exc:
                fatal.append(exc)
                _error(str(exc))
            except FormatError as exc:
                if len(inputs) == 1:
                    raise
                skipped.append(spec)
                _error(f"{spec}: skipped: {exc}")
        if fatal and not progress.count and not problems:
            raise _NothingRead  # no output at all: the old file stays as it was

    if not to_stdout:
        folder = Path(output).parent
        if not folder.is_dir():
            raise _Usage(f"{output}: cannot write it: there is no folder {str(folder)!r}")
    target: Any = sys.stdout.buffer if to_stdout else output
    try:
        if bulk:
            count = write_batches(
                progress.wrap_batches(records()),
                target,
                writer.name,
                errors="collect",
                **write_options,
            )
        else:
            count = write(
                progress.wrap(records()), target, writer.name, errors="collect", **write_options
            )
    except _NothingRead:
        progress.done()
        return EXIT_USAGE
    progress.done()
    for problem in count.problems:
        _error(str(problem))
    if not args.quiet and not to_stdout:
        noun = "project" if count == 1 else "projects"
        refused = f", {len(count.problems):,} refused" if count.problems else ""
        print(f"{count:,} {noun} written to {output} ({writer.name}){refused}", file=sys.stderr)
    return EXIT_DATA if problems or fatal or count.problems else EXIT_OK


def _read_all(args: argparse.Namespace) -> tuple[list[Project], list[Position]]:
    """Every record of every input (files or folders, mixed formats), with where it starts.

    An input no format reads is skipped with a message; bad records are reported.
    """
    from .errors import FormatError, ReadError

    projects: list[Project] = []
    places: list[Position] = []
    leave_out = None if args.output == "-" else args.output
    for spec in args.inputs:
        for path in _inputs(spec, leave_out=leave_out):
            reader = _input_format(args.source_format, [path]) if args.source_format else None
            try:
                with _read(path, reader, args.encoding, {}, provenance=True) as stream:
                    for position, project in stream.positions():
                        places.append(position)
                        projects.append(project)
                    for problem in stream.problems:
                        _error(str(problem))
            except (ReadError, FormatError) as exc:
                _error(f"{path}: skipped: {exc}")
    return projects, places


def _merge(args: argparse.Namespace) -> int:
    from .linking import link
    from .merging import merge
    from .readwrite import choose_format, write

    projects, _ = _read_all(args)
    prefer = [name.strip() for name in (args.prefer or "").split(",") if name.strip()]

    def rank(project: Project) -> int:
        fmt = project.source.format if project.source else None
        return prefer.index(fmt) if fmt in prefer else len(prefer)

    groups = link(projects)
    grouped = {index for group in groups for index in group.members}
    merged = [merge(sorted((projects[i] for i in group.members), key=rank)) for group in groups]
    alone = [p for i, p in enumerate(projects) if i not in grouped] if args.all else []
    target = None if args.output == "-" else args.output
    writer = (
        choose_format(args.target_format, file=target, purpose="write")
        if (args.target_format or target)
        else choose_format("jsonl", purpose="write")
    )
    out = sys.stdout.buffer if target is None else target
    written = write([*merged, *alone], out, writer.name)
    print(
        f"{len(projects)} records read; {len(merged)} merged from {len(grouped)}; "
        f"{written:,} written",
        file=sys.stderr,
    )
    return EXIT_OK


def _link(args: argparse.Namespace) -> int:
    import json

    from .linking import link
    from .outputs import replacing

    projects, places = _read_all(args)
    groups = link(projects)
    lines = []
    for group in groups:
        where = {index: number for number, index in enumerate(group.members)}
        members = []
        for index in group.members:
            place = places[index]
            member = {"file": place.file, "line": place.line, "row": place.row}
            title = projects[index].title.best()
            members.append(
                {k: v for k, v in member.items() if v is not None}
                | ({"title": title} if title else {})
            )
        matches = [
            {
                "members": [where[match.left], where[match.right]],
                "score": match.score,
                "evidence": list(match.evidence),
            }
            for match in group.matches
        ]
        record = {"members": members, "score": group.score, "matches": matches}
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    text = "".join(lines).encode("utf-8")
    if args.output == "-":
        sys.stdout.buffer.write(text)
    else:
        with replacing(args.output) as out:
            out.write(text)
    linked = sum(len(group.members) for group in groups)
    print(
        f"{len(projects)} records read; {linked} of them in {len(groups)} groups", file=sys.stderr
    )
    return EXIT_OK


def _columns(args: argparse.Namespace) -> int:
    import json

    from .readwrite import columns

    reader = _input_format(args.source_format, [args.input])
    read_options, _ = _split_options(args.options, reader, None)
    source = sys.stdin.buffer if args.input == "-" else args.input
    name = reader.name if reader else None
    table = columns(source, name, encoding=args.encoding, **read_options)
    names = [" ".join(column.split()) for column in table.names]
    width = min(max((len(column) for column in names), default=0), 40)
    print(f"{args.input}: {len(names)} columns, the header on line {table.line}")
    for number, column in enumerate(names, 1):
        sample = " ".join(table.sample(number - 1).split())
        if len(sample) > 60:
            sample = sample[:59] + "…"
        print(f"{number:4}  {column:<{width}}  {sample}".rstrip())
    print()
    print("# a draft mapping: fill in the targets (the reference of the csv format lists them);")
    print('# "-" leaves a column out, and a column left unmapped is kept in extras')
    print("[mapping]")
    for column in table.names:
        print(f'{json.dumps(column, ensure_ascii=False)} = ""')
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    import json

    from .api import validate
    from .canonical import to_dict
    from .errors import ReadError, RecordError
    from .findings import Severity

    inputs = _inputs(args.input)
    reader = _input_format(args.source_format, inputs)
    read_options, _ = _split_options(args.options, reader, None)
    counts: Counter[str] = Counter()
    severities: Counter[str] = Counter()
    problems: list[RecordError] = []
    reports: list[dict[str, Any]] = []
    projects = 0
    unreadable = 0
    as_json = args.report_format == "json"
    out = sys.stdout
    for spec in inputs:
        try:
            stream = _read(spec, reader, args.encoding, read_options)
            with stream:
                for position, project in stream.positions():
                    projects += 1
                    findings = validate(project)
                    for finding in findings:
                        counts[finding.code] += 1
                        severities[finding.severity.value] += 1
                        if as_json:
                            reports.append(
                                {
                                    "file": position.file,
                                    "line": position.line,
                                    "row": position.row,
                                    **to_dict(finding),
                                }
                            )
                        else:
                            where = _where(position)
                            print(
                                f"{where}: {finding.severity.value}: {finding.code}: "
                                f"{finding.path}: {finding.message}",
                                file=out,
                            )
            _say_how_read(spec, stream)
            problems.extend(stream.problems)
        except ReadError as exc:
            unreadable += 1
            problems.append(exc)
    for problem in problems:
        if not as_json:
            print(f"{problem}", file=out)
    errors = severities[Severity.ERROR.value] + len(problems)
    if as_json:
        json.dump(
            {
                "projects": projects,
                "findings": reports,
                "problems": [str(p) for p in problems],
                "summary": {
                    "errors": errors,
                    "warnings": severities[Severity.WARNING.value],
                    "by_code": dict(sorted(counts.items())),
                },
            },
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
    else:
        print(file=out)
        print(
            f"{projects} project{'' if projects == 1 else 's'}: {errors} errors, "
            f"{severities['warning']} warnings"
            + (f", {len(problems)} unreadable records" if problems else ""),
            file=out,
        )
        for code, number in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {number:6d}  {code}", file=out)
    if unreadable == len(inputs) and projects == 0:
        return EXIT_USAGE
    return EXIT_DATA if errors else EXIT_OK


def _where(position: Any) -> str:
    parts = [position.file or "<input>"]
    if position.line is not None:
        parts.append(str(position.line))
    elif position.row is not None:
        parts.append(f"row {position.row}")
    return ":".join(parts)


def _formats(args: argparse.Namespace) -> int:
    import json

    from .plugins import formats, plugin_problems, rate_providers, validators

    found = formats()
    if args.name is not None:
        from .plugins import find_format

        found = (find_format(args.name),)
    if args.report_format == "json":
        described = [_described(f) for f in found]
        json.dump(
            described[0] if args.name else described, sys.stdout, indent=2, ensure_ascii=False
        )
        sys.stdout.write("\n")
    elif args.name is not None:
        _show_format(found[0])
        return EXIT_OK
    else:
        rows = [("name", "read/write", "extensions", "plugin", "description")]
        for f in found:
            mode = ("r" if f.reader else "-") + ("w" if f.writer else "-")
            if f.lossless:
                mode += " lossless"
            rows.append((f.name, mode, " ".join(f.extensions), f.plugin, f.description))
        _table(rows)
        providers = rate_providers()
        checks = validators()
        if providers:
            print("\nrate providers")
            _table(
                [("name", "plugin", "description")]
                + [(p.name, p.plugin, p.description) for p in providers]
            )
        if checks:
            print("\nextra checks")
            _table(
                [("name", "plugin", "codes", "description")]
                + [(v.name, v.plugin, " ".join(v.codes), v.description) for v in checks]
            )
    for problem in plugin_problems():
        _error(str(problem))
    return EXIT_OK


def _described(fmt: Format) -> dict[str, Any]:
    """A format as the JSON listing shows it."""
    return {
        "name": fmt.name,
        "aliases": list(fmt.aliases),
        "extensions": list(fmt.extensions),
        "reads": fmt.reader is not None,
        "writes": fmt.writer is not None,
        "lossless": fmt.lossless,
        "plugin": fmt.plugin,
        "description": fmt.description,
        "options": [
            {"name": o.name, "applies": o.applies, "help": o.help, "default": _plain(o.default)}
            for o in fmt.options
        ],
        **(
            {"mapping_targets": _targets()} if any(o.name == "mapping" for o in fmt.options) else {}
        ),
    }


def _targets() -> list[dict[str, str]]:
    from .mapping import MAPPING_TARGETS

    return [{"target": target, "holds": holds} for target, holds in MAPPING_TARGETS]


def _show_format(fmt: Format) -> None:
    """One format and its options, for ``socialproj formats NAME``."""
    aliases = f" (also {', '.join(fmt.aliases)})" if fmt.aliases else ""
    print(f"{fmt.name}{aliases}: {fmt.description}")
    does = " and ".join(
        word for word, able in (("reads", fmt.reader), ("writes", fmt.writer)) if able
    )
    facts = [does + (", losslessly" if fmt.lossless else "")]
    if fmt.extensions:
        facts.append(f"extensions {' '.join(fmt.extensions)}")
    facts.append(f"plugin {fmt.plugin}")
    print("; ".join(facts))
    if not fmt.options:
        print("\nno options")
        return
    print()
    _table(
        [("option", "for", "default", "help")]
        + [(o.name, o.applies, _shown_default(o), o.help) for o in fmt.options]
    )
    if any(o.name == "mapping" for o in fmt.options):
        from .mapping import MAPPING_TARGETS

        print("\nmapping targets (N is a position from 1; [] splits a cell on the split option)")
        _table([("target", "holds"), *MAPPING_TARGETS])


def _shown_default(option: Option) -> str:
    """An option's default as one would type it: ``no``, ``16M``, ``DMY``, nothing."""
    from .plugins.descriptors import parse_size

    default = option.default
    if default is None:
        return ""
    if isinstance(default, bool):
        return "yes" if default else "no"
    if option.parse is parse_size and isinstance(default, int):
        for unit in ("G", "M", "k"):
            scale = parse_size(f"1{unit}")
            if default % scale == 0:
                return f"{default // scale}{unit}"
    return str(_plain(default))


def _table(rows: Sequence[Sequence[str]]) -> None:
    """Print rows in columns; the last column is left ragged."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        print("  ".join([*cells, row[-1]]))


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int | bool) else str(value)


def run() -> NoReturn:
    """Entry point for ``python -m socialproj``."""
    sys.exit(main())
