"""Outputs: written whole or not at all, never over their own input, never refused later."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import socialproj
from socialproj import Project, RecordError, read, write

CLI = [sys.executable, "-m", "socialproj"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def _jsonl(path: Path, count: int) -> None:
    path.write_text(
        "".join(json.dumps({"title": {"en": f"project {n}"}}) + "\n" for n in range(count)),
        encoding="utf-8",
    )


def test_converting_a_file_onto_itself_is_refused_and_the_file_kept(tmp_path):
    data = tmp_path / "big.jsonl"
    _jsonl(data, 200)
    before = data.read_bytes()
    done = run("convert", str(data), str(data))
    assert done.returncode == 2 and "the output is the input" in done.stderr
    assert data.read_bytes() == before
    link = tmp_path / "link.jsonl"
    link.symlink_to(data)
    for args in ((str(link), str(data)), (str(data), str(link))):
        done = run("convert", *args)
        assert done.returncode == 2 and "the output is the input" in done.stderr
    assert data.read_bytes() == before


def test_a_folder_holding_the_output_is_read_without_it(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    _jsonl(folder / "a.jsonl", 3)
    for _ in range(2):  # the second run finds b.jsonl in the folder: it is left out
        done = run("convert", str(folder), str(folder / "b.jsonl"))
        assert done.returncode == 0, done.stderr
        assert len((folder / "b.jsonl").read_text().splitlines()) == 3


def test_an_unreadable_input_leaves_an_existing_output_as_it_was(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"junk" + bytes(range(32)) * 4)
    out = tmp_path / "out.csv"
    out.write_text("kept\n")
    done = run("convert", str(bad), str(out), "--from", "jsonl")
    assert done.returncode == 2
    assert "written to" not in done.stderr
    assert out.read_text() == "kept\n"
    missing = tmp_path / "new.csv"
    assert run("convert", str(bad), str(missing), "--from", "jsonl").returncode == 2
    assert not missing.exists()  # nor is a new one created


def test_an_error_while_writing_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n")

    def records():
        yield Project(title={"en": "a"})
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError):
        write(records(), out)
    assert out.read_text() == "kept\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_written_file_keeps_the_old_ones_permissions(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    out.chmod(0o640)
    write([Project(title={"en": "a"})], out)
    assert out.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.jsonl"
    write([Project(title={"en": "a"})], fresh)
    mask = os.umask(0)
    os.umask(mask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_device_is_written_directly(tmp_path):
    assert write([Project(title={"en": "a"})], os.devnull, "jsonl") == 1
    assert Path(os.devnull).exists()


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_conversion_leaves_the_old_output(tmp_path, how):
    source = tmp_path / "in.jsonl"
    _jsonl(source, 200_000)
    out = tmp_path / "out.csv"
    out.write_text("kept\n")
    process = subprocess.Popen(
        [*CLI, "convert", str(source), str(out), "-q"],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".part") for p in tmp_path.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    process.send_signal(how)
    _, err = process.communicate(timeout=60)
    assert process.returncode == (130 if how == signal.SIGINT else 143), err
    assert out.read_text() == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.csv"]


def test_a_full_disk_is_named_with_the_output(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    done = run(
        "convert",
        str(Path(__file__).parent / "data" / "layouts" / "robg-card" / "001.txt"),
        "/dev/full",
        "--to",
        "jsonl",
    )
    assert done.returncode == 2
    assert "/dev/full: No space left on device" in done.stderr


# -- what a writer writes, its reader reads ---------------------------------------------------


def test_the_csv_writer_refuses_a_nul_with_its_place_and_writes_the_rest():
    projects = [
        Project(title={"en": "a"}),
        Project(title={"en": "b\x00c"}),
        Project(extras={"key\x00": "v"}),
        Project(title={"en": "d"}),
    ]
    buffer = io.BytesIO()
    written = write(projects, buffer, "csv", errors="collect")
    assert written == 2
    assert [(p.position.row, p.position.field) for p in written.problems] == [
        (2, "title.en"),
        (3, "extras.key\x00"),
    ]
    assert "NUL character" in written.problems[0].message
    back = list(read(io.BytesIO(buffer.getvalue()), "csv"))
    assert [p.title.best() for p in back] == ["a", "d"]
    with pytest.raises(RecordError, match="record 2 cannot be written"):
        write(projects, io.BytesIO(), "csv")  # by default the first refusal raises


def test_a_cell_longer_than_readers_read_is_refused_unless_the_limit_is_raised():
    project = Project(summary={"en": "x" * 1_000_001})
    with pytest.raises(RecordError, match="1,000,001 characters, more than the 1,000,000"):
        write([project], io.BytesIO(), "csv")
    buffer = io.BytesIO()
    write([project], buffer, "csv", max_field="2M")
    [back] = read(io.BytesIO(buffer.getvalue()), "csv", max_field="2M")
    assert back == project


def test_a_jsonl_line_longer_than_readers_read_is_refused():
    project = Project(summary={"en": "x" * 2000})
    with pytest.raises(RecordError, match="more than the 1,024 readers take"):
        write([project], io.BytesIO(), "jsonl", max_line=1024)


def test_the_cli_reports_refused_records_and_exits_1(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"title": {"en": "ok"}})
        + "\n"
        + json.dumps({"title": {"en": "a\u0000b"}})
        + "\n"
    )
    out = tmp_path / "out.csv"
    done = run("convert", str(source), str(out))
    assert done.returncode == 1
    assert "record 2 cannot be written: it holds a NUL character" in done.stderr
    assert "1 project written to" in done.stderr and "1 refused" in done.stderr


def test_integers_past_64_bits_are_written_exactly_by_every_writer():
    project = Project(title={"en": "t"}, extras={"big": 2**70, "list": [-(2**66), 10**30]})
    for fmt in ("json", "jsonl", "csv"):
        buffer = io.BytesIO()
        write([project], buffer, fmt)
        assert list(read(io.BytesIO(buffer.getvalue()), fmt)) == [project], fmt


@pytest.mark.parametrize(
    "extras",
    [
        {"a": 5, "a:json": "[1]", "n:json": "2"},
        {"": "x"},
        {"": 5},
        {"k:text": "v", "k": "w", "k:text:text": ""},
        {" lead and trail ": "x", "dotted.key.": "y"},
    ],
)
def test_csv_carries_any_extras_key(extras):
    project = Project(
        title={"en": "t"},
        extras=extras,
        source=socialproj.Source(fields={"": "raw", "x:json": "r"}),
    )
    buffer = io.BytesIO()
    write([project], buffer, "csv")
    assert list(read(io.BytesIO(buffer.getvalue()), "csv")) == [project]
