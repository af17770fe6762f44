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
- **sniffing** — the sniffer never raises, on anything;
- **determinism** — for every writer: the same projects give the same bytes.

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
from collections.abc import Iterable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialproj
from socialproj import Format, Project, SocialprojError, to_dict

from . import strategies as sps

__all__ = ["FormatConformanceError", "check_format"]


class FormatConformanceError(AssertionError):
    """A format that does not behave; the message lists each failed check."""


def _settings(examples: int, deadline: _dt.timedelta | None) -> settings:
    return settings(
        max_examples=examples,
        deadline=deadline,
        database=None,
        derandomize=True,
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


def check_format(
    name: str,
    *,
    examples: int = 60,
    projects: st.SearchStrategy[Project] | None = None,
    deadline: _dt.timedelta | None = _dt.timedelta(seconds=5),
) -> None:
    """Run every conformance check that applies to the installed format ``name``.

    ``projects`` replaces the generated projects (for a format that holds only some of
    the model); ``examples`` is how many Hypothesis examples each check runs.
    """
    fmt = socialproj.plugins.find_format(name)
    failures: list[str] = []
    strategy = sps.projects() if projects is None else projects

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

    if failures:
        raise FormatConformanceError(
            f"format {name!r} ({fmt.plugin}) failed {len(failures)} check(s):\n"
            + "\n".join(f"- {failure}" for failure in failures)
        )
