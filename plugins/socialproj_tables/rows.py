"""Rows of cells to projects: what the CSV and workbook readers share.

A reader turns its input into a header and :data:`Row` tuples of cell texts; this module
finds where the columns go (canonical names, a mapping, or a recognised export), learns
the number style of the amounts from the first rows, and builds one project per row,
reporting each bad row with its place and going on with the next.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable, Generator, Iterator
from typing import Any, Final

import attrs

from socialproj import (
    MAX_LINE,
    MAX_LINE_OPTION,
    NumberStyle,
    Position,
    Project,
    ReadContext,
    ReadError,
    SocialprojError,
    TableColumns,
    record_batches,
)
from socialproj.mapping import (
    PRESETS,
    ColumnError,
    MappedBuilder,
    Preset,
    extras_names,
    total_row,
)
from socialproj.vocabulary import dictionary_words, fold, project_count_words

from .arrow_csv import Unsure, plain
from .arrow_rows import ColumnReader
from .builder import Builder
from .columns import is_canonical

__all__ = ["Row", "check_header", "preset_for", "read_rows"]

#: cells, first line, holds "'", characters, last line
Row = tuple[list[str], int, bool, int, int]

_SAMPLE: Final = 200  # rows looked at to learn the number style of amounts


def preset_for(header: list[str]) -> str | None:
    """The preset mapping (kohesio, isun) whose columns ``header`` holds, if one fits."""
    folded = {" ".join(h.split()).casefold() for h in header}
    best, hits = None, 0
    for name, mapping in PRESETS.items():
        count = sum(1 for column in mapping if column.casefold() in folded)
        if count > hits:
            best, hits = name, count
    return best if hits >= 3 else None


def check_header(header: list[str], context: ReadContext, line: int = 1) -> None:
    """Refuse a header naming a canonical column twice (which one would a value be?).

    Other columns may share a name (exports repeat "Amount"; ``Other `` and ``Other``
    trim to one): each is kept, the later ones under their column number. A mapping
    naming such a column is refused when it is read.
    """
    named = [h for h in header if h and is_canonical(h)]
    duplicates = sorted({h for h in named if named.count(h) > 1})
    if duplicates:
        raise ReadError(
            f"has the column(s) {', '.join(map(repr, duplicates))} more than once",
            position=Position(file=context.file, line=line),
        )


def read_rows(
    header: list[str],
    rows: Iterator[Row],
    context: ReadContext,
    *,
    header_line: int = 1,
    wrong_width: Callable[[Row, int], str] | None = None,
    unescape: Callable[[str], str] | None = None,
    learn: Callable[[list[str]], list[str]] | None = None,
    restyle: Callable[[Iterator[Row], NumberStyle | None], Iterator[Row]] | None = None,
    style: NumberStyle | None = None,
    batch_size: int | None = None,
    parsed: Callable[[], Iterator[Any]] | None = None,
    again: Callable[[], Iterator[Row]] | None = None,
) -> Iterator[Any]:
    """Yield one project per row of ``rows`` under ``header``; report the bad rows.

    ``wrong_width(row, width)`` says what is wrong with a row of another width than the
    header (rows of only empty cells are passed over); ``unescape`` undoes a writer's
    formula escaping in rows holding a ``'``. The number style of amounts is the
    ``decimal`` option's, else learned from the first rows' cells (``learn`` picks the
    cells to learn from), else ``style``; ``restyle`` sees the rows once it is known.

    With a ``batch_size``, the projects come as Arrow record batches of that many rows
    (the same records, the same problems): canonical rows are read column by column
    (:mod:`.arrow_rows`), a mapped list's records are turned into columns. ``parsed``
    gives the rows as pyarrow parsed them (:func:`.arrow_csv.parse_csv`), ``again`` the
    rows from the start once more, for when pyarrow's reading is not sure.
    """
    sample: list[Row] = []
    rest: Iterator[Row] = rows
    try:
        sample.extend(itertools.islice(rows, _SAMPLE))
    except SocialprojError as failure:  # the input goes bad early: its good rows first
        rest = _raising(failure)
    learned = [learn(item[0]) if learn else item[0] for item in sample]
    if context.columns_wanted:  # socialproj.columns(): the header and its first rows only
        context.columns = TableColumns(
            tuple(header), tuple(tuple(map(str, item[0])) for item in sample), header_line
        )
        return
    make = _builder(header, learned, context, header_line, style)
    all_rows: Iterator[Row] = itertools.chain(sample, rest)
    if restyle is not None:
        all_rows = restyle(all_rows, make.style)
    steps = _steps(all_rows, make, header, context, wrong_width, unescape)
    if batch_size is None:
        for step in steps:
            if isinstance(step, _Problem):
                step.report(context)
            else:
                project = make.attempt(step, context)
                if project is not None:
                    yield project
        return
    if make.canonical is None:  # a mapped list: its records, then their columns
        yield from record_batches(
            _objects(steps, make, context), batch_size=batch_size, refused=_refused(context)
        )
        return
    skip = 0
    if parsed is not None and again is not None and not context.problems and not context.notes:
        given = yield from _parsed_batches(parsed(), make, context, batch_size)
        if given is None:
            return
        # pyarrow was not sure of a row: the csv module reads on, after the rows given
        steps = _steps(again(), make, header, context, wrong_width, unescape)
        skip = given
    yield from _batches(_after(steps, skip), make, context, batch_size)


def _held(project: Project) -> Any | None:
    """The project as a one-record batch, or ``None`` if the Arrow schema cannot hold it."""
    refused: list[ValueError] = []
    one = list(record_batches([project], refused=lambda n, p, error: refused.append(error)))
    return None if refused or not one else one[0]


def _after(steps: Iterator[_Cells | _Problem], skip: int) -> Iterator[_Cells | _Problem]:
    """``steps`` after the first ``skip`` rows to build (given already)."""
    for step in steps:
        if skip and not isinstance(step, _Problem):
            skip -= 1
            continue
        yield step


def _parsed_batches(
    parsed: Iterator[Any], make: _Make, context: ReadContext, size: int
) -> Generator[Any, None, int | None]:
    """Batches of the rows pyarrow parsed; ``None`` at the end, or how many were given.

    A batch is given only when it is sure to be what the csv module would read and
    every row in it builds without a problem; at the first that is not, the number of
    records given so far is returned, for the csv module to read on from there.
    """
    import pyarrow as pa

    assert make.canonical is not None
    builder = make.canonical
    reader = ColumnReader(builder.plan, make.style)
    options = context.options
    max_line = options.get(MAX_LINE_OPTION.name) or MAX_LINE
    given = 0
    try:
        for strings in parsed:
            if not plain(strings, options["max_field"], max_line):
                return given
            batch, unsettled = reader.read_columns(strings.columns)
            if any(unsettled):
                order: list[int] = []
                built: list[Any] = []
                for at, unsure in enumerate(unsettled):
                    if not unsure:
                        order.append(at)
                        continue
                    cells = [column[at].as_py() or "" for column in strings.columns]
                    try:
                        project = builder.build(cells)
                    except (ValueError, TypeError):  # a problem: said with its place
                        return given
                    one = _held(project)
                    if one is None:
                        return given
                    order.append(batch.num_rows + len(built))
                    built.append(one)
                yield from _in_order(pa, batch, order, built)
            else:
                yield batch
            given += strings.num_rows
    except Unsure:
        return given
    return None


@attrs.frozen
class _Problem:
    """A bad row, reported in its turn: where it is and what :meth:`ReadContext.problem` says."""

    line: int
    row: int
    said: str
    more: dict[str, Any]

    def report(self, context: ReadContext) -> None:
        context.line, context.row = self.line, self.row
        context.problem(self.said, **self.more)


#: a row to build: its cells, its number among the data rows, the line it starts on
_Cells = tuple[list[str], int, int]


def _steps(
    rows: Iterator[Row],
    make: _Make,
    header: list[str],
    context: ReadContext,
    wrong_width: Callable[[Row, int], str] | None,
    unescape: Callable[[str], str] | None,
) -> Iterator[_Cells | _Problem]:
    """The rows to build and, in their places, the rows that are bad as they stand."""
    limit = context.options["max_field"]
    skip_totals = False
    if make.mapped:
        unescape = None  # a user's spreadsheet: its cells are what they say
        skip_totals = context.options.get("totals", "skip") == "skip"
    row = 0
    width = len(header)
    for item in rows:
        cells, line, quoted, size, _ = item
        row += 1
        context.line = line
        context.row = row
        if len(cells) != width:
            if not any(cells):
                continue  # a blank line
            said = wrong_width(item, width) if wrong_width else f"has {len(cells)} cells"
            yield _Problem(
                line, row, said, {"expected": f"{width} cell{'s' if width != 1 else ''}"}
            )
            continue
        if size > limit and any(len(c) > limit for c in cells):
            column = next(i for i, c in enumerate(cells) if len(c) > limit)
            yield _Problem(
                line,
                row,
                f"has a cell of {len(cells[column]):,} characters, more than the limit of "
                f"{limit:,}",
                {"field": header[column], "expected": "a shorter cell (max_field option)"},
            )
            continue
        if unescape is not None and quoted:
            cells = [unescape(c) if c[:1] == "'" else c for c in cells]
        if skip_totals and (label := total_row(cells)) is not None:
            context.note(
                f"a total row ({label!r}) left out; -o totals=keep reads it as a record",
                line=line,
                row=row,
            )
            continue
        yield cells, row, line


def _objects(
    steps: Iterator[_Cells | _Problem], make: _Make, context: ReadContext
) -> Iterator[Project]:
    for step in steps:
        if isinstance(step, _Problem):
            step.report(context)
        else:
            project = make.attempt(step, context)
            if project is not None:
                yield project


def _batches(
    steps: Iterator[_Cells | _Problem], make: _Make, context: ReadContext, size: int
) -> Iterator[Any]:
    """Batches of canonical rows read column by column; the rows it cannot settle built.

    Problems are reported in the order of the rows, as the object path reports them;
    with ``errors="raise"``, the records before the first bad row are given first.
    """
    import pyarrow as pa

    assert make.canonical is not None
    reader = ColumnReader(make.canonical.plan, make.style)
    while True:
        held: list[_Cells | _Problem] = []
        rows: list[list[str]] = []
        for step in steps:
            held.append(step)
            if not isinstance(step, _Problem):
                rows.append(step[0])
                if len(rows) >= size:
                    break
        if not held:
            return
        batch, unsettled = reader.read(rows) if rows else (None, [])
        if batch is not None and len(held) == len(rows) and not any(unsettled):
            yield batch  # every row settled, none bad: the batch as it is
            continue
        order: list[int] = []  # each record's place in the batch, then in ``built``
        built: list[Any] = []  # one-record batches of the rows built one by one
        failure: SocialprojError | None = None
        at = -1
        try:
            for step in held:
                if isinstance(step, _Problem):
                    step.report(context)
                    continue
                at += 1
                if not unsettled[at]:
                    order.append(at)
                    continue
                project = make.attempt(step, context)
                if project is None:
                    continue
                one = list(record_batches([project], refused=_refused(context)))
                if one and one[0].num_rows:
                    order.append(len(rows) + len(built))  # after the batch's rows
                    built.append(one[0])
        except SocialprojError as exc:  # errors="raise": the records before it first
            failure = exc
        yield from _in_order(pa, batch, order, built)
        if failure is not None:
            raise failure


def _in_order(pa: Any, batch: Any, order: list[int], built: list[Any]) -> Iterator[Any]:
    """The records of ``order`` as batches: runs of ``batch``'s rows, and the built ones.

    ``order`` numbers ``batch``'s rows first, then the ``built`` one-record batches.
    Slices, not a ``take`` across the two: their dictionaries differ, and slices keep
    each batch's arrays as they were made.
    """
    rows = batch.num_rows if batch is not None else 0
    start = None
    last = -2
    for at in [*order, -1]:
        if start is not None and (at != last + 1 or at >= rows or at < 0):
            yield batch.slice(start, last + 1 - start)
            start = None
        if 0 <= at < rows:
            if start is None:
                start = at
            last = at
        elif at >= rows:
            yield built[at - rows]


def _refused(context: ReadContext) -> Callable[[int, Project, ValueError], None]:
    """Reports a record the Arrow schema cannot hold, at the row just built."""

    def refused(number: int, project: Project, error: ValueError) -> None:
        context.problem(str(error), expected="amounts of at most 10 decimals")

    return refused


def _dictionary_columns(header: list[str]) -> tuple[str, str] | None:
    """A header's column naming columns and its column describing them, if it has both."""
    names, descriptions = dictionary_words()
    folded = [(fold(" ".join(cell.split())), " ".join(cell.split())) for cell in header]
    named = next((cell for key, cell in folded if key in names), None)
    described = next((cell for key, cell in folded if key in descriptions), None)
    return (named, described) if named is not None and described is not None else None


def _shown(names: list[str], most: int = 30) -> str:
    shown = ", ".join(repr(" ".join(name.split())) for name in names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _nearest(missing: list[str], header: list[str]) -> str:
    """The missing columns, each with the header's names nearest to it."""
    folded = {" ".join(name.split()).casefold(): name for name in header}
    said = []
    for name in missing:
        near = difflib.get_close_matches(" ".join(name.split()).casefold(), folded, 2, 0.6)
        hint = f" (nearest: {', '.join(repr(' '.join(folded[n].split())) for n in near)})"
        said.append(repr(name) + (hint if near else ""))
    return ", ".join(said)


def _raising(failure: SocialprojError) -> Iterator[Row]:
    """Raise ``failure`` where the rows would go on (after the rows read before it)."""
    raise failure
    yield  # a generator: it raises when the rows before are done


def _style(
    options: dict[str, Any],
    sample: list[list[str]],
    columns: list[int],
    default: NumberStyle | None,
) -> NumberStyle | None:
    if options["decimal"] is not None:
        return NumberStyle.for_decimal(options["decimal"])
    return NumberStyle.learn_numbers(_cells_of(sample, columns)) or default


def _cells_of(sample: list[list[str]], columns: list[int]) -> list[str]:
    """The filled cells of ``columns`` in the sample rows (what a number style is learned from)."""
    return [row[i] for row in sample for i in columns if i < len(row) and row[i]]


class _Make:
    """Turns rows into projects with either builder."""

    def __init__(self, build: Builder | MappedBuilder) -> None:
        self._build = build
        self.mapped = isinstance(build, MappedBuilder)
        self.canonical = build if isinstance(build, Builder) else None
        self.style = build.style

    def attempt(self, cells: _Cells, context: ReadContext) -> Project | None:
        """The project of a row, or ``None`` with its problem reported at its place."""
        context.line, context.row = cells[2], cells[1]
        try:
            return self(*cells)
        except ColumnError as exc:
            context.problem(
                exc.reason or "cannot be read",
                field=exc.column,
                value=exc.value,
                expected=exc.expected,
            )
        except (ValueError, TypeError) as exc:
            context.problem(str(exc))
        return None

    def __call__(self, cells: list[str], row: int, line: int) -> Project:
        if isinstance(self._build, MappedBuilder):
            return self._build.build(cells, row, line)
        return self._build.build(cells)


def _builder(
    header: list[str],
    sample: list[list[str]],
    context: ReadContext,
    header_line: int,
    default: NumberStyle | None,
) -> _Make:
    options = context.options
    mapping = options["mapping"]
    canonical = [i for i, name in enumerate(header) if is_canonical(name)]
    counting = next((name for name in header if fold(name) in project_count_words()), None)
    if counting is not None and (not mapping or isinstance(mapping, Preset)):
        raise ReadError(
            f"holds one row per beneficiary, place or programme, not per project: its column "
            f"{' '.join(counting.split())!r} counts each row's projects. A mapping of your "
            "own (-o mapping=…) reads its rows as records all the same",
            position=Position(file=context.file, line=header_line),
            expected="a list with one project per row",
        )
    if not mapping and not canonical:
        described = _dictionary_columns(header)
        if described is not None:
            raise ReadError(
                f"is a data dictionary, not a list of projects: its columns "
                f"{described[0]!r} and {described[1]!r} name and describe the columns of "
                "another file; read that file (a mapping of your own, -o mapping=…, reads "
                "this one's rows as records all the same)",
                position=Position(file=context.file, line=header_line),
                expected="a list with one project per row",
            )
        preset = preset_for(header)
        if preset is None:
            shown = ", ".join(repr(h) for h in header[:6])
            raise ReadError(
                f"has no socialproj columns ({shown}…): say where its columns go with a "
                f"mapping, for example -o mapping='Обща стойност=funding.total;Начало="
                f"period.start', or a preset ({', '.join(PRESETS)})",
                position=Position(file=context.file, line=header_line),
            )
        mapping = Preset(preset, PRESETS[preset])
    if mapping:
        try:
            mapped = MappedBuilder.from_options(
                header, mapping, options, file=context.file, format_name=context.format or "csv"
            )
        except ValueError as exc:
            raise ReadError(
                str(exc), position=Position(file=context.file, line=header_line)
            ) from None
        mapped.learn_style(options["decimal"], _cells_of(sample, mapped.money_columns()), default)
        if isinstance(mapping, Preset) and not mapped.targets:
            raise ReadError(
                f"has none of the columns of the {mapping.name!r} preset, so it is not the "
                f"export the preset reads; its columns are {_shown(header)}: write a "
                "mapping for them (socialproj formats csv lists the targets)",
                position=Position(file=context.file, line=header_line),
                expected=f"some of {_shown(list(mapping))}",
            )
        if mapped.missing and not isinstance(mapping, Preset):
            raise ReadError(
                f"has no column {_nearest(mapped.missing, header)} named in the mapping; "
                f"its columns are {_shown(header)}",
                position=Position(file=context.file, line=header_line),
                expected="every column the mapping names in the header",
            )
        return _Make(mapped)
    keys = extras_names([name if not is_canonical(name) else "" for name in header])
    named = [
        name if is_canonical(name) else f"extras.{key}"
        for name, key in zip(header, keys, strict=True)
    ]
    amount_columns = [i for i, name in enumerate(named) if name.endswith((".amount", ".rate"))]
    return _Make(Builder(named, _style(options, sample, amount_columns, default)))
