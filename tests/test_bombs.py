"""Containers built to take all memory: huge cells, style sheets, repeated rows and columns.

Each is written as a small compressed file, streamed (the test never holds the bomb),
and read in a child process whose peak memory is measured: a record or an error with
its place, in memory that does not grow with the bomb.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CHUNK = b"A" * (1 << 20)

#: reads a file as the command line would and says what came and how much memory it took
_READER = """
import json, resource, sys
import socialproj
stream = socialproj.read(sys.argv[1], errors="collect")
count, fatal = 0, None
try:
    for _ in stream:
        count += 1
except socialproj.SocialprojError as exc:
    fatal = str(exc)
print(json.dumps({
    "records": count,
    "problems": [str(p) for p in stream.problems][:5],
    "fatal": fatal,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def _measure(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _READER, str(path)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _baseline(tmp_path: Path) -> float:
    """What reading a tiny workbook costs: the interpreter and socialproj themselves."""
    path = tmp_path / "tiny.xlsx"
    _xlsx(path, iter([b'<row r="1"><c r="A1" t="inlineStr"><is><t>title.en</t></is></c></row>']))
    return float(_measure(path)["peak_mb"])  # type: ignore[arg-type]


def _xlsx(
    path: Path,
    sheet: Iterator[bytes],
    *,
    strings: Iterator[bytes] | None = None,
    styles: Iterator[bytes] | None = None,
) -> None:
    """A workbook whose sheet data, shared strings and styles are streamed in parts."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_RELS}"><Relationship Id="r1" '
            f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_RELS}">'
            f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rS" Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rT" Type="{_DOC}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            for piece in sheet:
                part.write(piece)
            part.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<sst xmlns="{_MAIN}">'.encode())
            for piece in strings or iter(()):
                part.write(piece)
            part.write(b"</sst>")
        with archive.open("xl/styles.xml", "w", force_zip64=True) as part:
            part.write(f'<styleSheet xmlns="{_MAIN}">'.encode())
            for piece in styles or iter(()):
                part.write(piece)
            part.write(b"</styleSheet>")


def _huge(mebibytes: int) -> Iterator[bytes]:
    for _ in range(mebibytes):
        yield _CHUNK


def _header_and(row: Iterator[bytes]) -> Iterator[bytes]:
    yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>title.en</t></is></c></row>'
    yield from row
    yield b'<row r="3"><c r="A3" t="inlineStr"><is><t>after</t></is></c></row>'


@pytest.mark.slow
def test_an_xlsx_inline_cell_of_200_mib_is_a_fault_in_bounded_memory(tmp_path):
    path = tmp_path / "bomb.xlsx"
    cell = iter(
        [b'<row r="2"><c r="A2" t="inlineStr"><is><t>', *_huge(200), b"</t></is></c></row>"]
    )
    _xlsx(path, _header_and(cell))
    assert path.stat().st_size < 2_000_000
    got = _measure(path)
    assert got["records"] == 1  # the row after it
    assert "cell A2 holds 209,715,200 characters, more than the limit" in got["problems"][0]
    # measured 2026-12-02: 29.6 MB, as for a tiny workbook (before: 426 MB; 2.1 GB for 1 GiB)
    assert got["peak_mb"] < _baseline(tmp_path) + 120, got


@pytest.mark.slow
def test_an_xlsx_shared_string_of_200_mib_is_a_fault_in_bounded_memory(tmp_path):
    path = tmp_path / "bomb.xlsx"
    strings = iter([b"<si><t>x</t></si><si><t>", *_huge(200), b"</t></si>"])
    sheet = iter([b'<row r="2"><c r="A2" t="s"><v>1</v></c></row>'])
    _xlsx(path, _header_and(sheet), strings=strings)
    got = _measure(path)
    assert got["records"] == 1
    assert "cell A2 holds 209,715,200 characters" in got["problems"][0]
    assert got["peak_mb"] < _baseline(tmp_path) + 120, got


@pytest.mark.slow
def test_an_xlsx_attribute_of_200_mib_is_refused_before_it_is_held(tmp_path):
    path = tmp_path / "bomb.xlsx"
    cell = iter([b'<row r="2"><c r="A2" t="inlineStr" x="', *_huge(200), b'"/></row>'])
    _xlsx(path, _header_and(cell))
    got = _measure(path)
    assert "a tag runs past" in str(got["fatal"])
    assert got["peak_mb"] < _baseline(tmp_path) + 120, got


def test_an_xlsx_of_five_million_number_formats_is_refused_at_once(tmp_path):
    path = tmp_path / "styles.xlsx"

    def formats() -> Iterator[bytes]:
        yield b"<numFmts>"
        for number in range(0, 5_000_000, 1000):
            yield b"".join(
                b'<numFmt numFmtId="%d" formatCode="0.00"/>' % n
                for n in range(number, number + 1000)
            )
        yield b"</numFmts>"

    _xlsx(path, _header_and(iter(())), styles=formats())
    got = _measure(path)
    assert "its style sheet has more than 65,536 number formats" in str(got["fatal"])
    assert got["peak_mb"] < _baseline(tmp_path) + 80, got


def _ods(path: Path, rows: str) -> None:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    content = (
        f'<office:document-content xmlns:office="{office}" xmlns:table="{table}" '
        f'xmlns:text="{text}"><office:body><office:spreadsheet><table:table table:name="S">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>title.en'
        "</text:p></table:table-cell></table:table-row>"
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content)


@pytest.mark.parametrize("columns", [1, 100])
def test_an_ods_row_repeated_16_million_times_is_refused_not_read(tmp_path, columns):
    path = tmp_path / "repeat.ods"
    cell = (
        f'<table:table-cell table:number-columns-repeated="{columns}" '
        'office:value-type="string"><text:p>x</text:p></table:table-cell>'
    )
    _ods(path, f'<table:table-row table:number-rows-repeated="16000000">{cell}</table:table-row>')
    assert path.stat().st_size < 2000
    got = _measure(path)
    assert got["records"] == 0
    assert "repeated 16,000,000 times: more than 1,048,576 repeated rows" in str(got["fatal"])
    assert got["peak_mb"] < _baseline(tmp_path) + 40, got


def test_an_ods_row_repeated_a_thousand_times_is_a_thousand_records(tmp_path):
    path = tmp_path / "repeat.ods"
    _ods(
        path,
        '<table:table-row table:number-rows-repeated="1000"><table:table-cell '
        'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
        '<table:table-row table:number-rows-repeated="16000000"><table:table-cell/>'
        "</table:table-row>",
    )
    got = _measure(path)
    assert got["records"] == 1000 and not got["fatal"] and not got["problems"]
