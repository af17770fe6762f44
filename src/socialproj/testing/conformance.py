"""Check that a format plugin behaves the way socialproj and its users rely on.

:func:`check_format` runs, for one installed format:

- **round trip** — for formats that declare ``lossless=True``: writing generated projects
  and reading them back gives the same projects (scale of amounts, partial dates,
  Cyrillic text, empty lists and extras included);
- **bad bytes** — for every reader: arbitrary bytes give records or a
  :class:`~socialproj.SocialprojError` that names a place in the input, never another
  exception, and in reasonable time;
- **damaged output** — for formats that read what they write: the written bytes cut
  short at any point, or with one byte changed (a truncated download, a bad disk), give
  records or such an error too;
- **records before the damage** — for lossless formats that write record after record
  (the bytes for the first projects begin the bytes for all of them, as in JSON Lines):
  a byte damaged after the first projects does not lose or change them;
- **hostile values** — for lossless formats: projects holding anything a program may
  put in a record (NUL, lone surrogates, control characters, odd extras keys, integers
  past 64 bits, a field past a reader's limit) are written and read back unchanged, or
  refused by the writer with the record's number — never written so that the reader
  refuses them or reads them differently;
- **damaged containers** — for every reader: inputs built to take all memory or time
  (a line of 20 MB, a quoted cell of 200 000 lines, a zip whose part inflates to
  200 MB, XML repeating a row millions of times or holding a 64 MB attribute) give
  records or a placed error, in bounded time and memory;
- **damaged samples** — for every reader given ``samples`` (real inputs of the format):
  each cut short, with bytes changed, dropped or repeated (inside a zip's parts, for a
  zip) gives records or a placed error: a fuzz test that knows the format's shape;
- **sniffing** — the sniffer never raises, on anything;
- **determinism** — for every writer: the same projects give the same bytes;
- **batches** — for formats with a ``batch_reader``: written projects, damaged or not, read
  as Arrow batches give the records and the problems that reading them one by one gives.

It raises :class:`FormatConformanceError` listing what failed, with Hypothesis's smallest
failing example. Use it from a test::

    from socialproj.testing.conformance import check_format

    def test_my_format_conforms():
        check_format("my-format")

or through the pytest plugin's ``check_format`` fixture.
"""

from __future__ import annotations

import datetime as _dt
import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import socialproj
from socialproj import Format, Project, SocialprojError, to_dict

from . import strategies as sps

__all__ = ["FormatConformanceError", "check_format", "damaged_containers"]


class FormatConformanceError(AssertionError):
    """A format that does not behave; the message lists each failed check."""


def _settings(examples: int, deadline: _dt.timedelta | None, *, shrink: bool = True) -> settings:
    """Settings for one check; ``shrink=False`` reports the first failing example as found.

    (Shrinking a hostile project takes minutes; its first failing form says enough.)
    """
    phases = tuple(Phase) if shrink else (Phase.explicit, Phase.reuse, Phase.generate)
    return settings(
        max_examples=examples,
        deadline=deadline,
        database=None,
        derandomize=True,
        phases=phases,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
    )


#: what a damaged byte becomes: nothing, syntax, a line break, bytes no text has
_DAMAGE = st.sampled_from([b"", *(bytes([c]) for c in b'{}[]",;|\\x1\n\r\xff\x00')])


def _write(fmt: Format, projects: Iterable[Project]) -> bytes:
    buffer = io.BytesIO()
    socialproj.write(projects, buffer, fmt.name)
    return buffer.getvalue()


def _check_placed(problem: SocialprojError) -> None:
    """A reader's error names its place: a line, row or column, or the whole input."""
    if not isinstance(problem, socialproj.RecordError):
        raise FormatConformanceError(
            f"the reader let a {type(problem).__name__} escape instead of reporting a "
            f"bad record with ReadContext.problem: {problem}"
        )
    position = problem.position
    if (
        position.line is None
        and position.row is None
        and position.column is None
        and not isinstance(problem, socialproj.ReadError)  # about the whole input
    ):
        raise FormatConformanceError(f"a reported problem names no place: {problem}")


def _read_bytes(fmt: Format, data: bytes) -> list[Project]:
    stream = socialproj.read(io.BytesIO(data), fmt.name, errors="collect")
    projects = list(stream)
    for problem in stream.problems:
        _check_placed(problem)
    return projects


def _hostile_round_trip(fmt: Format, items: list[Project]) -> None:
    """Write hostile projects: each comes back as it was, or was refused with its number."""
    buffer = io.BytesIO()
    written = socialproj.write(items, buffer, fmt.name, errors="collect")
    refused = set()
    for problem in written.problems:
        row = problem.position.row
        if row is None or not 1 <= row <= len(items):
            raise FormatConformanceError(f"a refused record is not named by its number: {problem}")
        refused.add(row)
    kept = [p for number, p in enumerate(items, 1) if number not in refused]
    stream = socialproj.read(io.BytesIO(buffer.getvalue()), fmt.name, errors="collect")
    try:
        back = list(stream)
    except SocialprojError as error:
        raise FormatConformanceError(f"the reader refused what the writer wrote: {error}") from None
    if stream.problems or [to_dict(p) for p in back] != [to_dict(p) for p in kept]:
        raise FormatConformanceError(
            f"what the writer wrote (refusing {sorted(refused)}) was read back "
            f"{'with problems ' + str(stream.problems[:2]) if stream.problems else 'changed'}:"
            f"\n  wrote {[to_dict(p) for p in kept]}\n  read  {[to_dict(p) for p in back]}"
        )


def _streamed_zip(members: dict[str, Callable[[], Iterator[bytes]]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, pieces in members.items():
            with archive.open(name, "w", force_zip64=True) as part:
                for piece in pieces():
                    part.write(piece)
    return buffer.getvalue()


def _repeat(piece: bytes, times: int) -> Callable[[], Iterator[bytes]]:
    def pieces() -> Iterator[bytes]:
        block = piece * max(1, (1 << 20) // len(piece))
        for _ in range(times * len(piece) // len(block)):
            yield block

    return pieces


def _once(*pieces: bytes) -> Callable[[], Iterator[bytes]]:
    return lambda: iter(pieces)


def damaged_containers() -> dict[str, bytes]:
    """Inputs built to take all memory or time, by what each is (a few MB each).

    Every reader meets them all: the XML and zip ones are bombs for spreadsheet
    readers, the long line and cell for text readers, and each is junk to the others.
    """
    ods = b"application/vnd.oasis.opendocument.spreadsheet"
    repeated_row = (
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
        b'office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        b'<office:spreadsheet><table:table table:name="S"><table:table-row>'
        b'<table:table-cell office:value-type="string"><text:p>title.en</text:p>'
        b"</table:table-cell></table:table-row>"
        b'<table:table-row table:number-rows-repeated="16000000"><table:table-cell '
        b'table:number-columns-repeated="1000" office:value-type="string"><text:p>x'
        b"</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>"
        b"</office:body></office:document-content>"
    )
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    return {
        "a line of 20 MB": b"title.en\n" + b"A" * 20_000_000 + b"\n",
        "a quoted cell of 200 000 lines": b'title.en\n"' + b"x\n" * 200_000 + b'"\nafter\n',
        "a zip part inflating to 200 MB": _streamed_zip(
            {"mimetype": _once(ods), "content.xml": _repeat(b"<a>", 200 << 20)}
        ),
        "a row repeated 16 million times": _streamed_zip(
            {"mimetype": _once(ods), "content.xml": _once(repeated_row)}
        ),
        "an attribute of 64 MB": _streamed_zip(
            {
                "xl/workbook.xml": _once(b"<workbook/>"),
                "xl/worksheets/sheet1.xml": lambda: iter(
                    [sheet + b'<sheetData><row r="1" x="', *_repeat(b"a", 64 << 20)(), b'"/>']
                ),
            }
        ),
        "XML nested a million deep": b"<html><table>" + b"<tr><td>" * 1_000_000,
    }


def _read_within(fmt: Format, data: bytes, seconds: float, megabytes: int, what: str) -> None:
    """Read ``data``: records or placed errors, in ``seconds`` and ``megabytes`` (Python's).

    Memory is measured with tracemalloc, which slows a reader that allocates much by a
    factor that depends on the machine (five to eight for a parser's small objects): a
    read that takes too long while traced is timed again untraced, and that time is the
    one held to ``seconds``. A traced read is given up past ten times ``seconds``.
    """
    tracemalloc.start()
    try:
        took = _read(fmt, data, seconds * 10, what)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    if took > seconds:
        took = _read(fmt, data, seconds, what)
    if took > seconds:
        raise FormatConformanceError(f"{what}: reading it took {took:.1f} s (at most {seconds})")
    if peak > megabytes << 20:
        raise FormatConformanceError(
            f"{what}: reading it held {peak / 2**20:.0f} MB (at most {megabytes})"
        )


def _read(fmt: Format, data: bytes, seconds: float, what: str) -> float:
    """Read ``data`` to its end (records, or a placed error); the seconds it took."""
    started = time.perf_counter()
    try:
        stream = socialproj.read(io.BytesIO(data), fmt.name, errors="collect")
        for _ in stream:
            if time.perf_counter() - started > seconds:
                raise FormatConformanceError(f"{what}: reading it took over {seconds} s")
        for problem in stream.problems:
            _check_placed(problem)
    except FormatConformanceError:
        raise
    except SocialprojError as error:
        _check_placed(error)
    return time.perf_counter() - started


def _mutated(data: bytes, draw: st.DataObject) -> bytes:
    """``data`` cut, with a byte changed, a slice dropped or repeated; inside a zip's part."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts = {info.filename: archive.read(info) for info in archive.infolist()}
        except Exception:  # a sample that is no good zip: mutate its bytes
            parts = {}
        if parts:
            name = draw.draw(st.sampled_from(sorted(parts)), label="part")
            parts[name] = _mutated(parts[name], draw)
            return _streamed_zip({n: _once(content) for n, content in parts.items()})
    if not data:
        return data
    size = len(data)
    how = draw.draw(st.sampled_from(["cut", "change", "drop", "repeat"]), label="damage")
    at = draw.draw(st.integers(0, size - 1), label="at")
    if how == "cut":
        return data[:at]
    if how == "change":
        return data[:at] + bytes([draw.draw(st.integers(0, 255), label="byte")]) + data[at + 1 :]
    length = draw.draw(st.integers(1, min(size - at, 4096)), label="length")
    if how == "drop":
        return data[:at] + data[at + length :]
    times = draw.draw(st.integers(2, 50), label="times")
    return data[:at] + data[at : at + length] * times + data[at + length :]


def _outcome(data: bytes, fmt: Format, batched: bool) -> tuple[list[Any], list[str], str | None]:
    """What reading gives: the records as Arrow rows, the problems, the fatal error.

    Record by record, a record the Arrow schema cannot hold is counted as the problem
    ``"(not held in Arrow)"``; the batches report it at its place instead.
    """
    rows: list[Any] = []
    fatal = None
    unheld: list[str] = []
    if batched:
        stream: Any = socialproj.read_batches(
            io.BytesIO(data), fmt.name, errors="collect", batch_size=3
        )
    else:
        stream = socialproj.read(io.BytesIO(data), fmt.name, errors="collect")
    try:
        with stream:
            if batched:
                batches = list(stream)
            else:

                def refused(number: int, project: Project, error: ValueError) -> None:
                    unheld.append("(not held in Arrow)")

                batches = list(socialproj.record_batches(stream, refused=refused))
            rows = [row for batch in batches for row in batch.to_pylist()]
    except SocialprojError as error:
        fatal = str(error)
    said = [str(p) for p in stream.problems]
    if batched:  # the records Arrow cannot hold, told apart as the other way tells them
        said = [
            "(not held in Arrow)" if "amounts of at most 10 decimals" in text else text
            for text in said
        ]
    return rows, sorted(said + unheld), fatal


def _same_batches(fmt: Format, data: bytes) -> None:
    """Reading ``data`` as Arrow batches gives what reading it record by record gives."""
    try:
        by_record = _outcome(data, fmt, batched=False)
    except SocialprojError:  # refused at once: so must the batches be
        try:
            _outcome(data, fmt, batched=True)
        except SocialprojError:
            return
        raise FormatConformanceError("read() refused the input, read_batches() did not") from None
    by_batch = _outcome(data, fmt, batched=True)
    if by_batch != by_record:
        raise FormatConformanceError(
            f"read_batches() and read() differ:\n  batches {by_batch}\n  records {by_record}"
        )


def check_format(
    name: str,
    *,
    examples: int = 60,
    projects: st.SearchStrategy[Project] | None = None,
    deadline: _dt.timedelta | None = _dt.timedelta(seconds=5),
    samples: Iterable[bytes] = (),
    hostile: st.SearchStrategy[Project] | None = None,
) -> None:
    """Run every conformance check that applies to the installed format ``name``.

    ``projects`` replaces the generated projects (for a format that holds only some of
    the model); ``hostile`` the hostile ones (:func:`~socialproj.testing.strategies.
    hostile_projects`); ``examples`` is how many Hypothesis examples each check runs;
    ``samples`` are real inputs of the format for the fuzz test of damaged samples.
    """
    fmt = socialproj.plugins.find_format(name)
    failures: list[str] = []
    strategy = sps.projects() if projects is None else projects
    hostile_strategy = sps.hostile_projects() if hostile is None else hostile
    seeds = list(samples)

    def run(title: str, test: object) -> None:
        try:
            test()  # type: ignore[operator]
        except Exception as exc:
            failures.append(f"{title}: {type(exc).__name__}: {exc}")

    if fmt.lossless and fmt.reader is not None and fmt.writer is not None:

        @_settings(examples, deadline)
        @given(st.lists(strategy, max_size=4))
        def round_trip(items: list[Project]) -> None:
            back = list(socialproj.read(io.BytesIO(_write(fmt, items)), fmt.name))
            if [to_dict(p) for p in back] != [to_dict(p) for p in items]:
                raise FormatConformanceError(
                    f"write then read changed the projects:\n  wrote {[to_dict(p) for p in items]}"
                    f"\n  read  {[to_dict(p) for p in back]}"
                )

        run("round trip", round_trip)

    if fmt.reader is not None:

        @_settings(examples * 2, deadline)
        @given(st.binary(max_size=2000) | st.text(max_size=500).map(lambda t: t.encode("utf-8")))
        def bad_bytes(data: bytes) -> None:
            try:
                _read_bytes(fmt, data)
            except FormatConformanceError:
                raise
            except SocialprojError as error:  # a fatal error: the input cannot be read on
                _check_placed(error)

        run("arbitrary bytes", bad_bytes)

    if fmt.reader is not None and fmt.writer is not None:

        @_settings(examples, deadline)
        @given(st.lists(strategy, min_size=1, max_size=3), st.data())
        def damaged(items: list[Project], data: st.DataObject) -> None:
            written = _write(fmt, items)
            cut = bytearray(written[: data.draw(st.integers(0, len(written)), label="cut at")])
            if cut and data.draw(st.booleans(), label="change a byte"):
                where = data.draw(st.integers(0, len(cut) - 1), label="byte")
                cut[where] = data.draw(st.integers(0, 255), label="to")
            try:
                _read_bytes(fmt, bytes(cut))
            except FormatConformanceError:
                raise
            except SocialprojError as error:
                _check_placed(error)

        run("damaged output", damaged)

    if fmt.lossless and fmt.reader is not None and fmt.writer is not None:

        @_settings(examples, deadline)
        @given(st.lists(strategy, min_size=2, max_size=4), st.data())
        def before_damage(items: list[Project], data: st.DataObject) -> None:
            written = _write(fmt, items)
            kept = data.draw(st.integers(1, len(items) - 1), label="projects before")
            prefix = _write(fmt, items[:kept])
            if not written.startswith(prefix) or len(prefix) == len(written):
                return  # not record after record: a header or a frame made from them all
            at = data.draw(st.integers(len(prefix), len(written) - 1), label="damaged byte")
            damaged = written[:at] + data.draw(_DAMAGE, label="replaced by") + written[at + 1 :]
            stream = socialproj.read(io.BytesIO(damaged), fmt.name, errors="collect")
            got: list[Project] = []
            try:
                got.extend(stream)  # what came before an error stays
            except SocialprojError as error:
                _check_placed(error)
            if [to_dict(p) for p in got[:kept]] != [to_dict(p) for p in items[:kept]]:
                raise FormatConformanceError(
                    f"a byte damaged after the first {kept} projects lost or changed them: "
                    f"read {len(got)} projects ({len(stream.problems)} problems)"
                )

        run("records before the damage", before_damage)

    if fmt.lossless and fmt.reader is not None and fmt.writer is not None:

        @_settings(examples, deadline, shrink=False)
        @given(st.lists(hostile_strategy, max_size=4))
        def hostile_values(items: list[Project]) -> None:
            _hostile_round_trip(fmt, items)

        run("hostile values", hostile_values)

    if fmt.reader is not None:

        def containers() -> None:
            for what, data in damaged_containers().items():
                _read_within(fmt, data, seconds=60, megabytes=256, what=what)

        run("damaged containers", containers)

    if fmt.reader is not None and seeds:

        @_settings(examples * 2, deadline)
        @given(st.sampled_from(seeds), st.data())
        def damaged_samples(sample: bytes, data: st.DataObject) -> None:
            try:
                _read_bytes(fmt, _mutated(sample, data))
            except FormatConformanceError:
                raise
            except SocialprojError as error:
                _check_placed(error)

        run("damaged samples", damaged_samples)

    if fmt.sniff is not None:

        @_settings(examples * 2, deadline)
        @given(st.binary(max_size=3000), st.sampled_from([None, "x.txt", "x.csv", "x.json"]))
        def sniffing(data: bytes, file: str | None) -> None:
            fmt.sniff(socialproj.Sample(file, data))  # type: ignore[misc]

        run("sniffer", sniffing)

    if fmt.writer is not None:

        @_settings(max(10, examples // 3), deadline)
        @given(st.lists(strategy, max_size=3))
        def determinism(items: list[Project]) -> None:
            if _write(fmt, items) != _write(fmt, items):
                raise FormatConformanceError("the same projects were written as different bytes")

        run("deterministic writing", determinism)

    if fmt.batch_reader is not None and fmt.writer is not None:

        @_settings(examples, deadline)
        @given(st.lists(strategy, min_size=1, max_size=4), st.booleans(), st.data())
        def batches(items: list[Project], damage: bool, data: st.DataObject) -> None:
            written = _write(fmt, items)
            if damage:
                written = _mutated(written, data)
            _same_batches(fmt, written)

        run("batches", batches)

    if failures:
        raise FormatConformanceError(
            f"format {name!r} ({fmt.plugin}) failed {len(failures)} check(s):\n"
            + "\n".join(f"- {failure}" for failure in failures)
        )
