"""The built-in formats: lossless round trips, streaming, and every kind of bad input."""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import io
import itertools
import re
import tracemalloc
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialproj
from socialproj import (
    Funding,
    Money,
    Partner,
    Project,
    ReadError,
    RecordError,
    read,
    to_dict,
    write,
)
from socialproj.canonical import Kind, fields_of
from socialproj.testing import strategies as sps

from .conftest import DATA, ROOT

LOSSLESS = ["json", "jsonl", "csv"]


def round_trip(projects, fmt, **options):
    buffer = io.BytesIO()
    write(projects, buffer, fmt, **options)
    buffer.seek(0)
    return list(read(buffer, fmt)), buffer.getvalue()


@pytest.mark.parametrize("fmt", LOSSLESS)
@given(projects=st.lists(sps.projects(), max_size=4))
def test_round_trip_is_lossless(fmt, projects):
    back, _ = round_trip(projects, fmt)
    assert back == projects
    assert [to_dict(p) for p in back] == [to_dict(p) for p in projects]


@pytest.mark.parametrize("fmt", LOSSLESS)
def test_zero_projects_round_trip(fmt):
    assert round_trip([], fmt)[0] == []


@pytest.mark.parametrize("fmt", LOSSLESS)
def test_writing_is_deterministic(fmt):
    projects = [
        Project(title={"bg": "Център", "en": "Centre"}, extras={"b": 1, "a": Decimal("2.50")})
    ]
    assert round_trip(projects, fmt)[1] == round_trip(projects, fmt)[1]


def _rows(n):
    for i in range(n):
        yield Project(
            title={"en": f"Project {i}"},
            funding=Funding(Money(f"{i}.50", "EUR")),
            partners=[Partner(f"Municipality {i}", "lead", "BG")],
        )


@pytest.mark.parametrize("fmt", LOSSLESS)
def test_reading_streams_memory_does_not_grow_with_records(fmt, tmp_path):
    path = tmp_path / f"many.{fmt}"
    peaks = []
    for n in (2_000, 20_000):
        write(_rows(n), path, fmt)
        gc.collect()
        tracemalloc.start()
        count = sum(1 for _ in read(path))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert count == n
    assert peaks[1] < peaks[0] * 1.5 + 256 * 1024, peaks


# -- JSON ------------------------------------------------------------------------------------


def test_json_document_has_a_version_and_newer_ones_are_refused():
    _, data = round_trip([Project(title={"en": "x"})], "json")
    assert data.startswith(b'{"format":"socialproj","version":1,"projects":[')
    newer = b'{"format":"socialproj","version":2,"projects":[]}'
    with pytest.raises(ReadError, match="schema version 2"):
        list(read(io.BytesIO(newer), "json"))


def test_json_bare_list_and_other_documents():
    assert len(list(read(io.BytesIO(b'[{"title": {"en": "a"}}, {}]'), "json"))) == 2
    with pytest.raises(ReadError, match="'geojson' document"):
        list(read(io.BytesIO(b'{"format": "geojson"}'), "json"))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_empty_file_is_a_clear_error(fmt):
    with pytest.raises(ReadError, match="empty"):
        list(read(io.BytesIO(b""), fmt))


def test_an_empty_json_lines_file_holds_no_records():
    assert list(read(io.BytesIO(b""), "jsonl")) == []
    assert list(read(io.BytesIO(b"\n\n"), "jsonl")) == []


def test_truncated_json_lines_keeps_the_good_records_and_names_the_line():
    data = b'{"title": {"en": "a"}}\n{"title": {"en": "b"}}\n{"title": {"en": "c'
    stream = read(io.BytesIO(data), "jsonl", errors="collect")
    assert [p.title.best() for p in stream] == ["a", "b"]
    [problem] = stream.problems
    assert problem.position.line == 3 and "cut off" in str(problem)
    with pytest.raises(RecordError, match="line 3"):
        list(read(io.BytesIO(data), "jsonl"))


def test_truncated_json_document_says_where():
    _, data = round_trip([Project(title={"en": "a"}), Project(title={"en": "b"})], "json")
    stream = read(io.BytesIO(data[:-20]), "json")
    with pytest.raises(ReadError, match=r"line 3.*cut off"):
        list(stream)


def test_a_bad_record_names_line_field_and_problem():
    data = b'{"title": {"en": "a"}}\n{"funding": {"total": {"amount": "1,5", "currency": "EUR"}}}\n'
    with pytest.raises(RecordError) as caught:
        list(read(io.BytesIO(data), "jsonl"))
    text = str(caught.value)
    assert "line 2" in text and "$.funding.total" in text and "'1,5'" in text


def test_a_line_longer_than_max_line_is_reported_and_the_others_are_read():
    good = b'{"title": {"en": "a"}}\n'
    long = b'{"title": {"en": "' + b"x" * 5_000 + b'"}}\n'
    stream = read(io.BytesIO(good + long + good), "jsonl", errors="collect", max_line="4k")
    assert [p.title.best() for p in stream] == ["a", "a"]
    [problem] = stream.problems
    assert problem.position.line == 2
    assert "longer than 4,096 bytes" in str(problem) and "max_line" in str(problem)
    assert len(list(read(io.BytesIO(good + long), "jsonl", max_line=6_000))) == 2
    with pytest.raises(ReadError, match="line 2: is longer than 4,096 bytes"):
        list(read(io.BytesIO(good + long), "jsonl", max_line="4k"))


def test_a_line_too_long_to_read_is_skipped_without_holding_it():
    # an 8 MB line (a binary dump, a file without line breaks): memory stays near the
    # limit, not near the line
    data = b'{"title": {"en": "a"}}\n' + b"x" * 8_000_000 + b'\n{"title": {"en": "b"}}\n'
    gc.collect()
    tracemalloc.start()
    stream = read(io.BytesIO(data), "jsonl", errors="collect", max_line="64k")
    titles = [p.title.best() for p in stream]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert titles == ["a", "b"] and len(stream.problems) == 1
    assert peak < 3_000_000, peak


def test_a_json_document_project_longer_than_max_record_is_reported_and_passed():
    doc = b'{"format": "socialproj", "version": 1, "projects": [{"title": {"en": "a"}}, '
    doc += b'{"title": {"en": "' + b"x" * 8_000_000 + b'"}}, {"title": {"en": "c"}}]}'
    with pytest.raises(RecordError, match="line 1, column 77: holds a value longer than 100,000"):
        list(read(io.BytesIO(doc), "json", max_record=100_000))
    gc.collect()
    tracemalloc.start()
    stream = read(io.BytesIO(doc), "json", errors="collect", max_record=100_000)
    titles = [p.title.best() for p in stream]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert titles == ["a", "c"]
    assert peak < 2_000_000, peak  # the long project is passed a block at a time
    [problem] = stream.problems
    assert "max_record" in str(problem)
    assert len(list(read(io.BytesIO(doc), "json"))) == 3


def _document(*records: bytes) -> bytes:
    return (
        b'{"format": "socialproj", "version": 1, "projects": [\n' + b",\n".join(records) + b"\n]}"
    )


def test_a_json_document_project_that_is_not_json_is_reported_and_the_rest_read():
    records = [b'{"title": {"en": "p%d"}}' % i for i in range(20_000)]
    records[1] = b'{"title": {"en": tru}}'
    records[3] = b'{"title": {"en": "x"}, "status": NaN}'
    records[5] = b'{"title": {"en": "' + b'\\"[{' * 50_000 + b'"}}'  # escapes and brackets
    records[7] = b'{"extras": {"x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}}"
    stream = read(io.BytesIO(_document(*records)), "json", errors="collect", max_record="64k")
    titles = [p.title.best() for p in stream]
    assert titles == [f"p{i}" for i in range(20_000) if i not in (1, 3, 5, 7)]
    assert [(p.position.line, p.position.column, p.message) for p in stream.problems] == [
        (3, 18, "is not valid JSON: a value is missing"),  # the place of the mistake
        (5, 1, "is not valid JSON (NaN is no JSON number)"),
        (7, 1, "holds a value longer than 65,536 characters"),
        (9, 1, "nests lists or objects too deeply to read"),
    ]


def test_a_json_document_mistake_is_found_where_it_is_not_after_max_record():
    # the mistake is reported as soon as it is read: not as a 16 MiB project at the end
    records = [b'{"title": {"en": "p%d"}}' % i for i in range(100_000)]
    records[0] = b'{"title": {"en": "p0"}, "status": "a" "b"}'
    stream = read(io.BytesIO(_document(*records)), "json", errors="collect", max_record="1M")
    assert sum(1 for _ in stream) == 99_999
    [problem] = stream.problems
    assert (problem.position.line, problem.message) == (
        2,
        "is not valid JSON: a ',' is missing",
    )


def test_a_json_document_project_with_bytes_that_are_not_text_is_reported_alone():
    doc = b'[{"title": {"en": "a"}},\n{"title": {"bg": "\xd0\x9e\xff"}},\n{"title": {"en": "c"}}]'
    stream = read(io.BytesIO(doc), "json", errors="collect")
    assert [p.title.best() for p in stream] == ["a", "c"]  # the bad byte once ended the read
    [problem] = stream.problems
    assert (problem.position.line, problem.position.column) == (2, 20)
    assert problem.message.startswith("bytes b'\\xff' are not valid utf-8")


@pytest.mark.parametrize("encoding", ["utf-16", "cp1251", "utf-8-sig"])
def test_a_json_document_is_read_in_the_encoding_other_readers_find(encoding):
    # Windows PowerShell writes UTF-16 with a BOM; old Bulgarian systems write cp1251
    text = '{"format": "socialproj", "version": 1, "projects": [{"title": {"bg": "Община"}}]}'
    [project] = read(io.BytesIO(text.encode(encoding)), "json")
    assert project.title.best() == "Община"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"title": {"en": "a"}}] x', "line 1, column 26: has more after the document"),
        ('{"format": "socialproj" "version": 1}', "found '\"' (expected ',' or '}'"),
        ('{"format": "socialproj", "projects": []', "is cut off (expected ',' or '}'"),
    ],
)
def test_a_json_document_frame_is_checked_to_its_end(text, message):
    with pytest.raises(ReadError, match=re.escape(message)):
        list(read(io.BytesIO(text.encode()), "json"))


#: what a byte of a file is replaced by: nothing, syntax, a line break, bytes no text has
_DAMAGE = st.sampled_from([b"", *(bytes([c]) for c in b'{}[]",;\\x1\n\r\xff\x00'), b"NaN"])


def _record_ends(fmt: str, written: bytes) -> list[int]:
    """Where each record of a file the writer wrote ends: the offset just past it."""
    lines = written.split(b"\n")[:-1]
    line_ends = list(itertools.accumulate(len(line) + 1 for line in lines))
    if fmt == "json":  # a project a line, after the document's first line
        ends = [end - 1 - line.endswith(b",") for end, line in zip(line_ends, lines, strict=True)]
        return ends[1:-1]  # just past each project's "}"
    if fmt == "jsonl":
        return line_ends
    reader = csv.reader(io.StringIO(written.decode("utf-8"), newline=""))
    return [line_ends[reader.line_num - 1] for _ in reader][1:]  # a cell may hold a line break


@pytest.mark.parametrize("fmt", LOSSLESS)
@given(projects=st.lists(sps.projects(), min_size=1, max_size=4), data=st.data())
def test_a_damaged_file_yields_every_record_before_the_damage(fmt, projects, data):
    buffer = io.BytesIO()
    write(projects, buffer, fmt)
    written = buffer.getvalue()
    ends = _record_ends(fmt, written)
    assert len(ends) == len(projects)
    # a part of the file (the header, a record, the end), then a byte in it: drawing the
    # byte from the whole file would damage the header nearly every time
    bounds = [0, *ends, len(written)]
    part = data.draw(st.integers(0, len(bounds) - 2), label="damaged part")
    if bounds[part] == bounds[part + 1]:
        part -= 1  # no text after the last record
    at = data.draw(st.integers(bounds[part], bounds[part + 1] - 1), label="damaged byte")
    damaged = written[:at] + data.draw(_DAMAGE, label="replaced by") + written[at + 1 :]
    before = sum(1 for end in ends if end <= at)
    stream = read(io.BytesIO(damaged), fmt, errors="collect")
    got: list[socialproj.Project] = []
    # a file that cannot be read on ends with a placed error; anything else fails the test
    with contextlib.suppress(socialproj.SocialprojError):
        got.extend(stream)  # keeps what came before the error
    assert got[:before] == projects[:before]


def test_json_numbers_are_never_floats():
    data = b'{"extras": {"budget": 5816165.49, "rate": 0.85}}\n'
    [project] = read(io.BytesIO(data), "jsonl")
    assert project.extras["budget"] == Decimal("5816165.49")
    assert type(project.extras["rate"]) is Decimal
    buffer = io.BytesIO()
    write([project], buffer, "jsonl")
    assert buffer.getvalue() == b'{"extras":{"budget":5816165.49,"rate":0.85}}\n'


def test_json_lines_numbers_read_exactly_wherever_they_are():
    big = 123456789012345678901234567890
    lines = [
        b'{"funding": {"total": {"amount": "9933.00", "currency": "BGN"}}}',
        b'{"funding": {"total": {"amount": 9933.00, "currency": "BGN"}}}',
        b'{"extras": {"big": %d, "tiny": 1e-30, "huge": 1e400}}' % big,
        b'{"title": {"en": "NaN is no amount"}, "extras": {"x": NaN}}',
    ]
    stream = read(io.BytesIO(b"\n".join(lines)), "jsonl", errors="collect")
    first, second, third = stream
    assert str(first.funding.total.amount) == str(second.funding.total.amount) == "9933.00"
    assert third.extras["big"] == big
    assert third.extras["tiny"] == Decimal("1E-30") and third.extras["huge"] == Decimal("1E+400")
    [problem] = stream.problems
    assert problem.position.line == 4 and "NaN is no JSON number" in str(problem)


def test_json_lines_starting_with_a_nan_are_still_told_apart_and_reported():
    data = b'{"title": {"en": "a"}, "extras": {"x": NaN}}\n{"title": {"en": "b"}}\n'
    stream = read(io.BytesIO(data), errors="collect")  # the format is found by sniffing
    assert [p.title.best() for p in stream] == ["b"]
    assert "NaN is no JSON number" in str(stream.problems[0])


def test_json_numbers_where_text_belongs_are_kept_as_written_or_refused():
    lines = [
        b'{"status": 1.10, "partners": [{"name": 12345, "city": 2.500}]}',
        b'{"status": true}',
        b'{"status": null, "partners": [{"name": "A", "country": false}]}',
    ]
    stream = read(io.BytesIO(b"\n".join(lines)), "jsonl", errors="collect")
    [first] = stream  # the other two lines are problems
    assert first.status == "1.10"  # not the float's "1.1"
    assert first.partners[0].name == "12345" and first.partners[0].city == "2.500"
    assert [(p.position.line, "expected text, not" in str(p)) for p in stream.problems] == [
        (2, True),
        (3, True),
    ]


def test_csv_json_cells_with_nan_or_infinity_are_reported_not_written_as_null():
    # the standard library read them as floats, which JSON Lines then wrote as null
    text = "title.en,extras.x:json\na,NaN\nb,[-Infinity]\nc,1.50\n"
    stream = csv_read(text, errors="collect")
    [kept] = stream
    assert kept.extras == {"x": Decimal("1.50")}
    assert [(p.position.row, "no NaN or Infinity" in str(p)) for p in stream.problems] == [
        (1, True),
        (2, True),
    ]


@pytest.mark.parametrize("depth", [150, 300, 100_000])
def test_deeply_nested_values_are_placed_errors_and_what_is_read_can_be_written(depth):
    nested = "[" * depth + "1" + "]" * depth
    records = ['{"title": {"en": "ok"}}', f'{{"extras": {{"x": {nested}}}}}', '{"status": "ok2"}']
    inputs = {
        "csv": f'title.en,extras.x:json\nok,[1]\nbad,"{nested}"\nok2,[2]\n',
        "jsonl": "\n".join(records) + "\n",
        "json": "[" + ", ".join(records) + "]",
    }
    for fmt, text in inputs.items():
        stream = read(io.BytesIO(text.encode()), fmt, errors="collect")
        projects = list(stream)
        if depth <= 200:
            assert len(projects) == 3 and not stream.problems
        else:
            assert len(projects) == 2
            [problem] = stream.problems
            assert problem.position.line in (1, 2, 3) and "deep" in str(problem)
        for out in ("csv", "jsonl", "json"):
            buffer = io.BytesIO()
            write(projects, buffer, out)
            assert list(read(io.BytesIO(buffer.getvalue()), out)) == projects


# -- bad inputs for every reader ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", LOSSLESS)
def test_binary_junk_is_a_clear_error(fmt):
    junk = bytes(range(256)) * 40
    with pytest.raises(ReadError, match="binary"):
        list(read(io.BytesIO(junk), fmt))


@pytest.mark.parametrize(
    ("head", "said"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "a zip archive (an .xlsx or .ods workbook?)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an old Office file (an .xls workbook?)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x1f\x8b\x08\x00", "gzip-compressed, not text; decompress it first"),
    ],
)
def test_a_workbook_pdf_or_archive_is_named_with_what_to_do(head, said):
    data = head + b"title.en\n" * 10
    for fmt in ("csv", "json", "robg-card"):
        with pytest.raises(ReadError, match=re.escape(f"<input>: is {said}")):
            list(read(io.BytesIO(data), fmt))
    if head.startswith(b"\xd0\xcf"):  # told by content: the xls format's, which says why not
        with pytest.raises(ReadError, match="is not a readable workbook"):
            list(read(io.BytesIO(data)))
        return
    with pytest.raises(socialproj.FormatError, match=re.escape(f"it is {said}")):
        read(io.BytesIO(data))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_stray_nul_byte_is_a_bad_line_not_a_binary_file(encoding):
    text = "title.en,status\na,ok\nb\x00,ok\nc,ok\n"
    stream = read(io.BytesIO(text.encode(encoding)), "csv", errors="collect")
    assert [p.title.best() for p in stream] == ["a", "c"]
    [problem] = stream.problems
    assert (problem.position.line, problem.position.column) == (3, 2)
    assert "NUL byte" in str(problem)
    lines = b'{"title": {"en": "a"}}\n{"title": {"en": "b\x00"}}\n'
    stream = read(io.BytesIO(lines), "jsonl", errors="collect")
    assert len(list(stream)) == 1 and "NUL byte" in str(stream.problems[0])


def test_a_nul_byte_in_a_document_is_placed():
    card = (ROOT / "examples" / "seeds").glob("*.txt")
    text = next(iter(sorted(card))).read_bytes()
    damaged = text[:200] + b"\x00" + text[200:]
    line = text[:200].count(b"\n") + 1
    with pytest.raises(ReadError, match=f"line {line}, column [0-9]+: holds a NUL byte"):
        list(read(io.BytesIO(damaged)))


def test_three_bad_rows_in_ten_thousand():
    lines = [b'{"title": {"en": "p%d"}}' % i for i in range(10_000)]
    for bad in (17, 5000, 9999):
        lines[bad] = b'{"title": 5}' if bad != 5000 else b'{"period": {"start": "2019-13"}}'
    stream = read(io.BytesIO(b"\n".join(lines)), "jsonl", errors="collect")
    assert sum(1 for _ in stream) == 9_997
    assert [p.position.line for p in stream.problems] == [18, 5001, 10000]
    assert all(p.position.file is None or p.position.line for p in stream.problems)


def test_wrong_encoding_is_named_with_line_and_column_and_reading_goes_on():
    data = (
        '{"title": {"bg": "Център"}}\n'.encode()
        + b'{"title": {"bg": "\xff\xfe"}}\n'
        + b'{"title": {"en": "c"}}\n'
    )
    stream = read(io.BytesIO(data), "jsonl", errors="collect")
    assert [p.title.best() for p in stream] == ["Център", "c"]
    [problem] = stream.problems
    assert problem.position.line == 2 and problem.position.column == 19
    assert "cp1251" in str(problem)


# -- CSV ---------------------------------------------------------------------------------------


def csv_read(text, encoding="utf-8", **options):
    return read(
        io.BytesIO(text.encode(encoding) if isinstance(text, str) else text), "csv", **options
    )


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_separators_are_detected(delimiter):
    text = delimiter.join(["title.bg", "funding.total.amount", "funding.total.currency"]) + "\n"
    text += delimiter.join(["Център", "198660.00", "BGN"]) + "\n"
    [project] = csv_read(text)
    assert project.funding.total == Money("198660.00", "BGN")


def test_csv_with_bom_cp1251_and_decimal_comma():
    text = "title.bg;funding.total.amount;funding.total.currency;period.start\n"
    text += 'Център;"198 660,00";BGN;28.09.2016\nДруг;9933,5;BGN;2016-10-01\n'
    for data in (text.encode("utf-8-sig"), text.encode("cp1251")):
        projects = list(csv_read(data))
        assert str(projects[0].funding.total.amount) == "198660.00"
        assert str(projects[1].funding.total.amount) == "9933.5"
        assert projects[0].title.best() == "Център"
        assert str(projects[0].period.start) == "2016-09-28"


def test_csv_decimal_comma_can_be_stated():
    text = "funding.total.amount;funding.total.currency\n1,234;EUR\n"
    with pytest.raises(RecordError, match=r"could be 1234 or 1\.234"):
        list(csv_read(text))
    assert str(next(csv_read(text, decimal=",")).funding.total.amount) == "1.234"


def test_csv_header_only_has_no_records():
    assert list(csv_read("title.en,status\n")) == []


def test_csv_wrong_delimiter_is_named():
    text = "title.en;funding.total.amount\nx;1.00\n"
    with pytest.raises(ReadError, match="';'-separated"):
        list(csv_read(text, delimiter=","))


def test_csv_rows_with_the_wrong_number_of_cells_are_bad_records():
    text = "title.en,status\na,closed\nb,closed,extra\nc,open\n"
    stream = csv_read(text, errors="collect")
    assert [p.title.best() for p in stream] == ["a", "c"]
    [problem] = stream.problems
    assert problem.position.row == 2 and problem.position.line == 3
    assert "3 cells, the header 2" in str(problem)


def test_csv_a_quote_never_closed_is_named_with_the_lines_it_took():
    text = 'title.en,status\na,ok\n"b,ok\nc,ok\nd,ok\n'
    stream = csv_read(text, errors="collect")
    assert [p.title.best() for p in stream] == ["a"]
    [problem] = stream.problems
    assert problem.position.line == 3
    assert (
        "quoted cell from line 3 that is never closed: it runs to the end of the file (line 5)"
        in str(problem)
    )
    # a quoted cell that rightly holds line breaks is no problem
    [project] = csv_read('title.en,status\n"two\nlines",ok\n')
    assert project.title.best() == "two\nlines"


def test_csv_a_10_mb_field_is_refused_and_the_good_rows_come_through():
    big = "x" * 10_000_000
    text = f"title.en,status\na,open\n{big},open\nc,open\n"
    stream = csv_read(text, errors="collect")
    assert [p.title.best() for p in stream] == ["a", "c"]
    [problem] = stream.problems
    assert "10,000,000 characters" in str(problem) and "'title.en'" in str(problem)


def test_csv_a_long_cell_of_short_lines_is_refused_too():
    # every line of the quoted cell is short; the cell is not
    cell = "\n".join(["ten chars."] * 30)
    text = f'title.en,status\n"{cell}",open\nc,open\n'
    stream = csv_read(text, errors="collect", max_field=100)
    assert [p.title.best() for p in stream] == ["c"]
    [problem] = stream.problems
    assert "329 characters" in str(problem) and problem.position.line == 2


def test_csv_in_utf16_excel_unicode_text_is_read_line_by_line():
    # Excel's "Unicode text": UTF-16 LE with a byte order mark, tab-separated
    text = "title.bg\tfunding.total.amount\tfunding.total.currency\r\n"
    text += "Център за деца\t198660.00\tBGN\r\n" + "Грижа\t1.50\tEUR\r\n"
    [first, second] = csv_read(text, encoding="utf-16")
    assert first.title.best() == "Център за деца"
    assert second.funding.total == Money("1.50", "EUR")
    long = text + "x" * 3_000 + "\t1\tEUR\r\n" + "Край\t2\tEUR\r\n"
    stream = csv_read(long, encoding="utf-16", errors="collect", max_line=1_000)
    assert [p.title.best() for p in stream] == ["Център за деца", "Грижа", "Край"]
    [problem] = stream.problems
    assert problem.position.line == 4 and "1,000 characters" in str(problem)


def test_csv_in_utf16_with_a_broken_character_names_its_line():
    head = "title.en\tstatus\r\nA\topen\r\n".encode("utf-16-le")
    broken = b"\x00\xd8B\x00\r\x00\n\x00"  # a lone surrogate, then "B"
    after = "C\tclosed\r\n".encode("utf-16-le")
    stream = csv_read(codecs.BOM_UTF16_LE + head + broken + after, errors="collect")
    assert [p.title.best() for p in stream] == ["A", "C"]
    [problem] = stream.problems
    assert problem.position.line == 3 and "not valid utf-16 at column 1" in str(problem)


def test_a_utf16_read_ended_by_an_error_closes_cleanly(tmp_path):
    # the reader stops at the header while its line generator waits; the generator is
    # finalised after the file was closed, and must not fail then
    path = tmp_path / "unicode.txt"
    path.write_bytes("Name\tValue\r\nx\t1\r\n".encode("utf-16"))
    with pytest.raises(ReadError, match="has no socialproj columns"):
        list(read(path, "csv"))
    gc.collect()


def test_csv_in_utf16_streams(tmp_path):
    # it used to be decoded whole: memory grew with the file
    peaks = []
    for n in (10, 2_000, 20_000):  # the first run loads the plugins
        path = tmp_path / f"unicode-{n}.txt"
        rows = "".join(f"Project {i}\t{i}.50\tEUR\r\n" for i in range(n))
        path.write_bytes(
            ("title.en\tfunding.total.amount\tfunding.total.currency\r\n" + rows).encode("utf-16")
        )
        gc.collect()
        tracemalloc.start()
        count = sum(1 for _ in read(path, "csv"))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert count == n
    assert peaks[2] < peaks[1] * 1.5 + 256 * 1024, peaks


def test_csv_a_blank_amount_beside_a_qualifier_is_a_placed_error():
    # a cell of spaces reached the decimal module and ended the run with a traceback
    text = "title.en,funding.total.amount,funding.total.qualifier\na, ,approximately\nb,1,\n"
    stream = csv_read(text, errors="collect")
    assert [p.title.best() for p in stream] == ["b"]
    [problem] = stream.problems
    assert problem.position.row == 1 and problem.position.field == "funding.total.amount"


def test_csv_a_code_of_spaces_is_reported_not_kept():
    # the fast path kept Identifier(None, " "), a record no reader could take back
    text = "title.en,identifiers.1.value,partners.1.name,partners.1.identifiers.1.value\n"
    text += 'a, ,P,X1\nb,X2,P," "\nc,X3,P,X4\n'
    stream = csv_read(text, errors="collect")
    assert [p.title.best() for p in stream] == ["c"]
    assert [p.position.row for p in stream.problems] == [1, 2]
    assert all("non-empty value" in str(p) for p in stream.problems)


def test_csv_cell_errors_name_row_column_value_and_expectation():
    text = "title.en,funding.total.amount,funding.total.currency\na,12x,EUR\n"
    with pytest.raises(RecordError) as caught:
        list(csv_read(text))
    error = caught.value
    assert error.position.row == 1 and error.position.line == 2
    assert error.position.field == "funding.total.amount" and error.value == "12x"
    assert "1234.50" in str(error)


@given(st.lists(sps.projects(), min_size=2, max_size=6))
def test_csv_rows_waiting_for_the_header_may_go_to_a_file(projects):
    # the writer keeps rows in memory up to a size, then in a temporary file: both the same
    from socialproj_tables import csv_format

    in_memory, _ = round_trip(projects, "csv")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_format, "_SPOOL_IN_MEMORY", 200)
        spilled, _ = round_trip(projects, "csv")
    assert in_memory == spilled == projects


def test_csv_rows_past_the_memory_limit_go_to_a_temporary_file(monkeypatch):
    import tempfile

    from socialproj_tables import csv_format

    opened = []
    make = tempfile.TemporaryFile
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda: opened.append(1) or make())
    monkeypatch.setattr(csv_format, "_SPOOL_IN_MEMORY", 200)
    projects = [Project(title={"bg": "я" * 150}, status=str(i)) for i in range(5)]
    back, _ = round_trip(projects, "csv")
    assert back == projects and opened == [1]


def test_csv_formulas_are_neutralised_and_restored():
    projects = [
        Project(
            title={"en": '=HYPERLINK("http://x")'},
            status="@sum",
            results=["+1+2", "-2", "'quoted", "-12.50", "\tcmd"],
        )
    ]
    back, data = round_trip(projects, "csv")
    assert back == projects
    text = data.decode()
    assert "'=HYPERLINK" in text and "'@sum" in text and "'+1+2" in text and "'\tcmd" in text
    assert ",-2," in text and ",-12.50," in text  # plain numbers are not formulas
    assert "''quoted" in text  # a leading apostrophe is itself protected
    _, raw = round_trip(projects, "csv", formulas="keep")
    assert "'=HYPERLINK" not in raw.decode()


def test_csv_keeps_unknown_columns_as_extras():
    text = "title.en,Notes from the office\na,call back\n"
    [project] = csv_read(text)
    assert project.extras == {"Notes from the office": "call back"}


def test_csv_keeps_keys_that_begin_or_end_with_a_space_and_trims_column_names():
    # found by the workbook's round-trip property: the header "extras.0 " was trimmed
    partner = Partner("Municipality", "lead", extras={"tel ": "1"})
    projects = [Project(extras={"0 ": "0", " a": "1"}, partners=(partner,))]
    back, _ = round_trip(projects, "csv")
    assert back == projects
    # a hand-edited header's stray spaces are not part of a column's name
    [project] = csv_read(" title.en ,status \nRoads,ongoing\n")
    assert (project.title["en"], project.status) == ("Roads", "ongoing")


def test_csv_without_socialproj_columns_asks_for_a_mapping():
    with pytest.raises(ReadError, match="mapping"):
        list(csv_read("Project,Money\na,1\n"))


def test_csv_mapping_reads_a_users_spreadsheet():
    text = (
        "Проект;Обща стойност;БФП;Начало;Продължителност (месеци);Бенефициент;Бележка\n"
        "Център за социални услуги;198 660,00 лв.;188 727;01.10.2016;18;Община Долни чифлик;-\n"
        "Патронажна грижа;118 003,24;N/A;2021-10-01;15 месеца;Община Джебел;ok\n"
    )
    mapping = (
        "Проект=title.bg;Обща стойност=funding.total;БФП=funding.eu;Начало=period.start;"
        "Продължителност (месеци)=period.duration;Бенефициент=lead.name"
    )
    first, second = csv_read(text, mapping=mapping, currency="BGN")
    assert first.title.best() == "Център за социални услуги"
    assert first.funding.total == Money("198660.00", "BGN")
    assert first.funding.amount_of("eu") == Money("188727", "BGN")
    assert str(first.period.start) == "2016-10-01" and first.period.duration.months == 18
    assert (
        first.partners[0].name == "Община Долни чифлик" and first.partners[0].role.value == "lead"
    )
    assert first.source.format == "csv" and first.source.row == 1 and first.source.line == 2
    assert first.source.fields["funding.total"] == "198 660,00 лв."
    assert first.extras == {"Бележка": "-"}
    assert second.funding.total == Money("118003.24", "BGN")
    assert second.funding.shares == ()  # "N/A" is a placeholder, not an amount
    [placeholder] = [f for f in second.source.findings if f.code == "import.placeholder"]
    assert placeholder.path == "$.funding.shares" and placeholder.data["column"] == "БФП"


def test_csv_mapping_splits_lists_and_reports_misaligned_ones():
    text = 'Name,Partners,Countries\nx,"A|B|C","BG|RO"\n'
    [project] = csv_read(
        text, mapping="Name=title;Partners=partners[].name;Countries=partners[].country"
    )
    assert [p.name for p in project.partners] == ["A", "B", "C"]
    assert all(p.country is None for p in project.partners)
    assert [f.code for f in project.source.findings] == ["import.lists.misaligned"]


@pytest.mark.parametrize(
    ("split", "cell"),
    [(r"\n", '"A\nB"'), (" / ", "A / B"), ("\\t", '"A\tB"'), (";;", "A;;B")],
)
def test_the_split_option_takes_escapes_and_separators_of_several_characters(split, cell):
    mapping = "Name=title;Partners=partners[].name"
    [project] = csv_read(f"Name,Partners\nx,{cell}\n", mapping=mapping, split=split)
    assert [p.name for p in project.partners] == ["A", "B"]


def test_every_target_the_reference_lists_is_one_a_mapping_takes():
    from socialproj.mapping import MAPPING_TARGETS, load_mapping

    examples = {"LANG": "en", "N": "2", "SOURCE": "eu", "FIELD": "name", "KEY": "note"}
    for listed, _ in MAPPING_TARGETS:
        first, *more = [target.strip() for target in listed.split(",")]
        for target in (
            first,
            *(first.rsplit(".", 1)[0] + t if t.startswith(".") else t for t in more),
        ):
            concrete = re.sub(r"\b(LANG|N|SOURCE|FIELD|KEY)\b", lambda m: examples[m[1]], target)
            assert load_mapping({"Column": concrete}) == {"Column": concrete}, target
    with pytest.raises(ValueError, match="not a mapping target"):
        load_mapping({"Column": "funding.sum"})


def test_an_empty_split_option_is_refused():
    with pytest.raises(socialproj.OptionError, match="separator is empty"):
        list(csv_read("Name,Partners\nx,A\n", mapping="Partners=partners[].name", split=""))


@pytest.mark.parametrize("kind", [Kind.TEXT, Kind.TEXTS], ids=lambda kind: kind.value)
def test_every_text_field_of_a_project_is_a_mapping_target_by_its_name(kind):
    names = [spec.name for spec in fields_of(Project) if spec.kind is kind]
    assert names  # status; title and summary
    header = ",".join(f"C{i}" for i in range(len(names)))
    row = ",".join(f"v{i}" for i in range(len(names)))
    mapping = ";".join(f"C{i}={name}" for i, name in enumerate(names))
    [project] = csv_read(f"{header}\n{row}\n", mapping=mapping, language="mk")
    for i, name in enumerate(names):
        value = getattr(project, name)
        assert (value == {"mk": f"v{i}"}) if kind is Kind.TEXTS else (value == f"v{i}"), name


def test_a_mapping_of_ones_own_must_name_columns_the_file_has():
    with pytest.raises(RecordError, match=r"'Totl'.*named in the mapping"):
        list(csv_read("Title,Total\nx,1 EUR\n", mapping="Title=title;Totl=funding.total"))


def test_a_preset_maps_the_columns_a_file_has_and_keeps_the_rest():
    text = (
        "Номер на договор;Бенефициент;Обща стойност;Начало\n"
        "BG05M9OP001-6.002-0199-C01;Община Джебел;118 003,24;01.10.2021\n"
    )
    [project] = csv_read(text, mapping="isun", currency="BGN")
    assert project.identifiers[0].value == "BG05M9OP001-6.002-0199-C01"
    assert project.partners[0].name == "Община Джебел" and project.partners[0].role.value == "lead"
    assert project.funding.total == Money("118003.24", "BGN")
    assert project.extras == {"Начало": "01.10.2021"}  # not an ISUN column: kept as it is
    kohesio = "Operation_Name_English,Total_Eligible_Expenditure_amount\nDanube2Wheels,1250000.00\n"
    [operation] = csv_read(kohesio, mapping="kohesio", currency="EUR")
    assert operation.title["en"] == "Danube2Wheels"
    assert str(operation.funding.total.amount) == "1250000.00"


def test_an_export_with_a_preset_s_headers_is_read_without_the_option():
    path = ROOT / "examples" / "spreadsheet" / "projects-bg.csv"
    projects = list(read(path, "csv", currency="BGN"))
    assert len(projects) == 3
    assert projects[0].title["bg"].startswith("Подкрепа за достоен живот")
    assert projects[0].funding.total == Money("499777.91", "BGN")
    assert projects[0].extras["Начало"] == "01.10.2016"  # not an ISUN column


def test_a_file_with_none_of_a_preset_s_columns_is_refused():
    with pytest.raises(RecordError, match="none of the columns of the 'kohesio' preset"):
        list(csv_read("Title,Total\nx,1 EUR\n", mapping="kohesio"))


def test_csv_mapping_targets_are_checked():
    with pytest.raises(socialproj.OptionError, match="not a mapping target"):
        list(csv_read("a,b\n1,2\n", mapping="a=funding.everything"))


def test_csv_reads_a_real_romanian_list_with_a_mapping(tmp_path):
    mapping = {
        "Cod SMIS": "identifier",
        "Titlu": "title.ro",
        "Beneficiar": "lead.name",
        "FEDR": "funding.eu",
        "member state amount": "funding.national",
        "own contribution": "funding.own",
        "total amount": "funding.total",
        " County ": "locations[].name",
    }
    path = ROOT / "examples" / "lists" / "cleaning_romania.first250.csv"
    projects = list(read(path, "csv", mapping=mapping, currency="RON", errors="collect"))
    assert len(projects) == 250
    first = projects[0]
    assert first.identifiers[0].value == "6987"
    assert first.funding.total == Money("3628302", "RON")
    assert first.funding.amount_of("eu") == Money("1752091", "RON")
    assert first.extras["Region"] == "Centru"
    findings = socialproj.validate(first)
    assert "funding.shares.sum_mismatch" in [f.code for f in findings]  # ineligible costs


def test_csv_reads_croatian_amounts_and_dates_with_a_mapping():
    mapping = {
        "Naziv projekta": "title.hr",
        "Korisnik": "lead.name",
        "Datum ugovaranja": "period.start",
        "Zaključni datum provedbe aktivnosti": "period.end",
        "Bespovratna sredstva": "funding.eu",
        "Ukupno prihvatljivi troškovi": "funding.total",
    }
    path = DATA / "tabular" / "ESIF_Croatia_2007-2020.first150.csv"
    projects = list(read(path, "csv", mapping=mapping))
    assert len(projects) == 150
    assert projects[0].funding.total == Money("5172338.50", "HRK")
    assert str(projects[0].period.end) == "2016-06-17"
    assert "\n" in projects[0].extras["Opis projekta"]  # multi-line quoted cells survive


@pytest.mark.parametrize(
    ("target", "path"),
    [
        ("title.bg", "$.title"),
        ("funding.total", "$.funding.total"),
        ("funding.national.amount", "$.funding.shares"),
        ("period.duration.months", "$.period.duration"),
        ("programme.name.en", "$.programme.name"),
        ("lead.country", "$.partners"),
        ("partners[].name", "$.partners"),
        ("identifier", "$.identifiers"),
        ("extras.Бележка", "$.extras"),
    ],
)
def test_a_placeholder_finding_points_where_the_value_would_have_gone(target, path):
    [project] = csv_read("Колона,Проект\nN/A,x\n", mapping=f"Колона={target};Проект=status")
    [finding] = project.source.findings
    assert finding.code == "import.placeholder" and finding.path == path


def test_provenance_says_where_each_record_was_read_and_keeps_an_earlier_place():
    text = (
        "title.en,source.fields.title,source.file,source.line\na,A as written,,\nb,,cards.txt,14\n"
    )
    first, second = csv_read(text, provenance=True)
    assert first.source == socialproj.Source(
        "csv", None, line=2, row=1, fields={"title": "A as written"}
    )
    assert second.source == socialproj.Source(None, "cards.txt", line=14)  # read before
    plain = list(csv_read(text))
    assert plain[0].source == socialproj.Source(fields={"title": "A as written"})
    lines = b'{"title": {"en": "a"}}\n\n{"title": {"en": "b"}}\n'
    located = read(io.BytesIO(lines), "jsonl", provenance=True)
    assert [(p.source.format, p.source.line, p.source.row) for p in located] == [
        ("jsonl", 1, None),
        ("jsonl", 3, None),
    ]


def test_a_stream_with_provenance_dropped_early_is_freed_at_once(tmp_path):
    # no reference cycle: its file closes when the last reference goes, not at a gc pass
    import weakref

    path = tmp_path / "two.jsonl"
    path.write_bytes(b'{"title": {"en": "a"}}\n{"title": {"en": "b"}}\n')
    stream = read(path, provenance=True)
    assert next(stream).source.line == 1
    gone = weakref.ref(stream)
    del stream
    assert gone() is None


# -- random cells: reading never fails but with a placed error, and what it reads survives --

_CANONICAL_COLUMNS = [
    "title.en", "identifiers.1.scheme", "identifiers.1.value", "programme.cci",
    "funding.total.amount", "funding.total.currency", "funding.total.qualifier",
    "funding.shares.1.source", "funding.shares.1.amount.amount",
    "funding.shares.1.amount.currency", "funding.shares.1.rate", "funding.shares.1.derived",
    "period.start", "period.end", "period.duration.months", "partners.1.name",
    "partners.1.role", "partners.1.budget.amount", "partners.1.budget.currency",
    "locations.1.nuts", "status", "results.1", "source.line", "source.fields.title",
    "source.findings.1.severity", "source.findings.1.path", "extras.Foo", "extras.bar:json",
]  # fmt: skip
_MAPPING_TARGETS = [
    "title.bg", "status", "identifier", "programme.cci", "funding.total", "funding.eu",
    "funding.eu.rate", "funding.national.amount", "period.start", "period.duration",
    "lead.name", "lead.country", "partners[].name", "partners[].country",
    "locations[].name", "results[]", "extras.Бележка", "-",
]  # fmt: skip
_CELLS = st.sampled_from(
    ["", " ", "x", "1", "1.50", "-2", "--1", "1-000", "198 660,00 лв.", "136,363", "N/A",
     "около 5 млн. лв.", "EUR", "BGN", "eu", "lead", "Водещ партньор", "B2", "2019-02-03",
     "2019-13", "03.02.2019", "3 юли т. г.", "15 месеца", "85%", "0.85", "amount", "info",
     "$", "$.x", "[1]", '{"a":1}', "A|B|C", "BG|RO", "=cmd", "'=x", "true"]
) | st.text(max_size=5)  # fmt: skip


def _csv_bytes(header, rows):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _read_all(raw, **options):
    try:
        return list(read(io.BytesIO(raw), "csv", errors="collect", **options))
    except ReadError:  # the whole input cannot be read (NUL bytes: binary): said so
        return []


def _survives(projects):
    for project in projects:
        socialproj.validate(project)
        buffer = io.BytesIO()
        write([project], buffer, "jsonl")
        assert list(read(io.BytesIO(buffer.getvalue()), "jsonl")) == [project]


@given(
    st.lists(st.sampled_from(_CANONICAL_COLUMNS), min_size=1, max_size=8, unique=True),
    st.data(),
)
def test_canonical_csv_with_random_cells_reads_or_reports(header, data):
    rows = [[data.draw(_CELLS) for _ in header] for _ in range(3)]
    _survives(_read_all(_csv_bytes(header, rows)))


@given(st.lists(st.sampled_from(_MAPPING_TARGETS), min_size=1, max_size=6), st.data())
def test_a_mapped_spreadsheet_with_random_cells_reads_or_reports(targets, data):
    header = [f"column {i}" for i in range(len(targets))]
    mapping = ";".join(f"{h}={t}" for h, t in zip(header, targets, strict=True))
    rows = [[data.draw(_CELLS) for _ in header] for _ in range(3)]
    _survives(_read_all(_csv_bytes(header, rows), mapping=mapping, currency="BGN"))


def test_a_csv_file_going_bad_in_its_first_rows_still_yields_the_rows_before_it():
    # the reader looks ahead at the first rows to learn their number style; an error met
    # there is raised where it is, after the good rows before it
    data = b"title.en,status\na,ok\nb,ok\nc\xff,ok\nd,ok\n"
    got = []
    with pytest.raises(RecordError, match=r"line 4.*not valid utf-8"):
        got.extend(read(io.BytesIO(data), "csv", encoding="utf-8"))
    assert [p.title.best() for p in got] == ["a", "b"]


# -- CSV read as it is written, with every mistake reported (issue 16) -----------------------


def test_csv_text_after_a_closing_quote_is_reported_not_silently_joined():
    stream = csv_read('title.en,status\n"x"y,1\nok,2\n', errors="collect")
    assert [p.title.best() for p in stream] == ["ok"]
    [problem] = stream.problems
    assert problem.position.line == 2
    assert "has text after a closing quote" in problem.message


def _peak_reading(data: bytes) -> tuple[list[str], list[Exception], int]:
    import tracemalloc

    tracemalloc.start()
    try:
        stream = read(io.BytesIO(data), "csv", errors="collect")
        titles = [p.title.best() for p in stream]
        return titles, stream.problems, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_csv_a_quoted_cell_of_100_000_lines_is_one_error_in_bounded_memory():
    peaks = []
    for width in (11, 200, 400):  # 1.1 MB, 20 MB, 40 MB of one cell's lines
        cell = ("y" * (width - 1) + "\n") * 100_000
        data = f'title.en,status\ngood,1\n"{cell}",2\nafter,3\n'.encode()
        del cell
        titles, problems, peak = _peak_reading(data)
        assert titles == ["good", "after"]
        [problem] = problems
        assert problem.position.line == 3
        peaks.append(peak)
    # measured 2026-12-02: 9, 21 and 21 MB: past four times max_field the cell's lines
    # are passed over, so twice the cell takes no more
    assert peaks[2] < peaks[1] * 1.2 and peaks[2] < 50_000_000, peaks


def test_csv_columns_that_trim_to_one_name_are_kept_apart():
    [project] = csv_read("title.en,Other ,Other,Other\nt,a,b,c\n")
    assert dict(project.extras) == {"Other": "a", "Other (3)": "b", "Other (4)": "c"}


def test_csv_a_mapping_naming_a_column_the_header_has_twice_is_refused():
    with pytest.raises(ReadError, match=r"'amount' in columns 1, 2"):
        list(csv_read("Amount,amount ,Name\n1,2,x\n", mapping="Amount=funding.total"))


def test_csv_a_mapped_amount_with_a_leading_decimal_mark_is_read():
    [project] = csv_read("Amount\n.50 EUR\n", mapping="Amount=funding.total")
    assert project.funding.total == Money("0.50", "EUR")


# -- the CSV columns are the field table's paths (issue 17) -----------------------------------


def _column_names():
    from socialproj.canonical import FIELDS, Kind, walk

    for path, spec in walk():
        if spec.kind in (Kind.PART, Kind.LIST):
            continue
        # a list's items are numbered; lines are numbered; free keys end the name
        parts, cls = [], socialproj.Project
        for name in path:
            here = next(s for s in FIELDS[cls] if s.name == name)
            parts.append(name)
            if here.kind in (Kind.LIST, Kind.LINES):
                parts.append("1")
            if here.kind in (Kind.TEXTS, Kind.STRINGS, Kind.EXTRAS):
                parts.append("key")
            if here.item is not None and here.kind in (Kind.PART, Kind.LIST):
                cls = here.item
        yield ".".join(parts)


def test_every_field_of_the_table_is_a_csv_column_in_the_table_s_order():
    from socialproj_tables.columns import Columns, is_canonical

    names = list(_column_names())
    assert all(is_canonical(name) for name in names)
    assert "partners.1.identifiers.1.value" in names and "source.findings.1.data.key" in names
    columns = Columns()
    assert sorted(names, key=columns.sort_key) == names  # walk() is the table's order
    assert not is_canonical("partners.1.nickname") and not is_canonical("results.0")
