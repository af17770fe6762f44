"""The socialproj command, end to end in a subprocess, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import socialproj
from socialproj import Duration, Funding, Money, Partner, Period, Project, write

PROJECTS = [
    Project(
        title={"en": "Cross Border Cooperation Mechanism"},
        funding=Funding(Money("671561.63", "EUR")),
        period=Period("2017-09-23", "2019-11-22", Duration(27)),
        partners=[Partner("County Agency Constanta", "lead", "RO")],
    ),
    Project(
        title={"bg": "Център за социални услуги"},
        funding=Funding(Money("198660.00", "BGN")),
        partners=[Partner("Община Долни чифлик", "lead", "Narnia")],
    ),
]


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    process = subprocess.run(
        [sys.executable, "-m", "socialproj", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    assert "Traceback" not in process.stderr, process.stderr
    return process


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "projects.jsonl"
    write(PROJECTS, path)
    return path


def test_help_and_version():
    helped = run("--help")
    assert helped.returncode == 0
    assert "convert" in helped.stdout and "validate" in helped.stdout and "formats" in helped.stdout
    version = run("--version")
    assert version.stdout.strip() == f"socialproj {socialproj.__version__}"


def test_formats_lists_plugin_and_version():
    listed = run("formats")
    assert listed.returncode == 0
    assert f"socialproj {socialproj.__version__}" in listed.stdout
    for name in ("csv", "json", "jsonl"):
        assert f"\n{name} " in "\n" + listed.stdout
    rate_section = listed.stdout.split("\nrate providers\n", 1)[1]
    assert "\necb " in rate_section and "ECB euro reference rates" in rate_section
    as_json = json.loads(run("formats", "--format", "json").stdout)
    csv_format = next(f for f in as_json if f["name"] == "csv")
    assert csv_format["lossless"] and "delimiter" in [o["name"] for o in csv_format["options"]]
    assert {o["name"]: o["applies"] for o in csv_format["options"]}["bom"] == "write"


def test_formats_shows_one_format_and_what_each_option_is_for():
    shown = run("formats", "tsv")  # an alias names the format
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("csv (also tsv): CSV")
    plugin = f"plugin socialproj {socialproj.__version__}"
    assert lines[1] == f"reads and writes, losslessly; extensions .csv .tsv; {plugin}"
    targets_at = lines.index(next(line for line in lines if line.startswith("mapping targets")))
    rows = {line.split()[0]: line.split()[1:3] for line in lines[3 : targets_at - 1]}
    assert rows["option"] == ["for", "default"]
    targets = [line.split("  ")[0] for line in lines[targets_at + 2 :]]
    assert "funding.total" in targets and "partners.N.FIELD, partners[].FIELD" in targets
    assert rows["mapping"][0] == "read" and rows["bom"] == ["write", "no"]
    assert rows["dates"] == ["read", "DMY"] and rows["formulas"] == ["both", "escape"]
    assert run("formats", "robg-card").stdout.endswith("\nno options\n")
    as_json = json.loads(run("formats", "xlsx", "--format", "json").stdout)
    assert as_json["name"] == "xlsx" and not as_json["writes"]
    assert {o["applies"] for o in as_json["options"]} == {"read"}
    assert {"target": "period.start, period.end"}.items() <= as_json["mapping_targets"][11].items()
    assert "mapping_targets" not in json.loads(run("formats", "parquet", "--format", "json").stdout)
    missing = run("formats", "docx")
    assert missing.returncode == 2 and "no format named 'docx'" in missing.stderr


def test_convert_to_csv_and_back_is_lossless(jsonl: Path, tmp_path: Path):
    csv_path = tmp_path / "projects.csv"
    done = run("convert", str(jsonl), str(csv_path))
    assert done.returncode == 0, done.stderr
    assert "2 projects written" in done.stderr
    back = run("convert", str(csv_path), "-", "--to", "jsonl")
    assert back.returncode == 0
    assert back.stdout == jsonl.read_text(encoding="utf-8")


def test_convert_reads_stdin_and_writes_stdout(jsonl: Path):
    done = run("convert", "-", "--from", "jsonl", "--to", "csv", stdin=jsonl.read_bytes())
    assert done.returncode == 0
    assert done.stdout.startswith("title.en,title.bg,")


def test_convert_with_provenance_records_where_each_project_was_read(jsonl: Path, tmp_path: Path):
    csv_path = tmp_path / "projects.csv"
    run("convert", "-q", str(jsonl), str(csv_path))
    done = run("convert", "-q", "--provenance", str(csv_path), "-")
    assert done.returncode == 0, done.stderr
    sources = [json.loads(line)["source"] for line in done.stdout.splitlines()]
    assert sources == [
        {"format": "csv", "file": str(csv_path), "line": 2, "row": 1},
        {"format": "csv", "file": str(csv_path), "line": 3, "row": 2},
    ]
    # converted again, the records keep the place they were first read from
    again = tmp_path / "again.jsonl"
    again.write_text(done.stdout, encoding="utf-8")
    kept = run("convert", "-q", "--provenance", str(again), "-")
    assert kept.stdout == done.stdout


def test_convert_a_folder_and_pass_options(jsonl: Path, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(PROJECTS[:1], folder / "a.json")
    write(PROJECTS[1:], folder / "b.jsonl")
    out = tmp_path / "all.csv"
    done = run("convert", str(folder), str(out), "-o", "delimiter=;")
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and lines[0].startswith("title.en;title.bg;")


def test_validate_prints_every_finding_with_its_place_and_a_summary(jsonl: Path):
    done = run("validate", str(jsonl))
    assert done.returncode == 1  # partner country 'Narnia' is an error
    out = done.stdout
    assert f"{jsonl}:1: warning: period.duration.mismatch: $.period.duration: 27 months" in out
    assert f"{jsonl}:2: error: partner.country.unknown: $.partners[0].country" in out
    assert "2 projects: 1 errors, 1 warnings" in out
    assert "partner.country.unknown" in out.split("\n\n")[-1]


def test_validate_as_json(jsonl: Path):
    report = json.loads(run("validate", str(jsonl), "--format", "json").stdout)
    assert report["projects"] == 2
    assert report["summary"]["by_code"] == {
        "partner.country.unknown": 1,
        "period.duration.mismatch": 1,
    }
    assert (
        report["findings"][0]["line"] == 1
        and report["findings"][0]["data"]["measured"] == "26 months"
    )


def test_clean_data_exits_zero(tmp_path: Path):
    path = tmp_path / "ok.jsonl"
    write([Project(partners=[Partner("A", "lead", "BG")])], path)
    assert run("validate", str(path)).returncode == 0


def test_bad_records_exit_1_and_name_file_line_and_field(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"title": {"en": "ok"}}\n{"funding": {"total": {"amount": "1,5"}}}\n', encoding="utf-8"
    )
    done = run("convert", str(path), "-q")
    assert done.returncode == 1
    assert done.stdout.count("\n") == 1  # the good record still comes through
    assert f"{path}, line 2" in done.stderr and "$.funding.total" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["convert", "nowhere.jsonl"], "no such file"),
        (["convert", "{junk}"], "binary data"),
        (["convert", "{jsonl}", "-", "--to", "docx"], "no format named 'docx'"),
        (["convert", "{jsonl}", "-", "--to", "xlsx"], "format 'xlsx' cannot write"),
        (
            ["convert", "{jsonl}", "-", "-o", "colour=red"],
            "no format here takes the option 'colour'",
        ),
        (["convert", "{jsonl}", "-", "--to", "csv", "-o", "delimiter=::"], "delimiter"),
        (["validate", "{empty_json}"], "empty"),
        (["convert", "{jsonl}", "{tmp}/no/such/folder/out.csv"], "there is no folder"),
        (
            ["convert", "{jsonl}", "{tmp}", "--to", "csv"],
            "is a folder, and format 'csv' writes files",
        ),
    ],
)
def test_usage_errors_and_unreadable_input_exit_2(args, message, jsonl: Path, tmp_path: Path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 10)
    empty_json = tmp_path / "empty.json"
    empty_json.write_bytes(b"")
    filled = [a.format(junk=junk, jsonl=jsonl, empty_json=empty_json, tmp=tmp_path) for a in args]
    done = run(*filled)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert message in done.stderr + done.stdout


def test_argument_errors_are_usage_errors():
    assert run("convert").returncode == 2
    assert run("frobnicate").returncode == 2


def test_the_installed_command_starts(jsonl: Path):
    script = Path(sys.executable).parent / "socialproj"
    if not script.exists():
        pytest.skip("the console script is not installed next to this interpreter")
    done = subprocess.run(
        [str(script), "validate", str(jsonl)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1 and "period.duration.mismatch" in done.stdout


def test_reader_options_reach_a_reader_the_input_names_without_from(tmp_path):
    sheet = tmp_path / "export.csv"
    sheet.write_text("Проект;Обща стойност\nГрижа;118 003,24\n", encoding="utf-8")
    mapping = "mapping=Проект=title.bg;Обща стойност=funding.total"
    done = run(
        "convert", str(sheet), str(tmp_path / "out.jsonl"), "-o", mapping, "-o", "currency=BGN"
    )
    assert done.returncode == 0, done.stderr
    assert '"funding":{"total":{"amount":"118003.24"' in (tmp_path / "out.jsonl").read_text()
    # an option both formats take goes to the output; from. sends it to the input
    out = tmp_path / "out.csv"
    done = run("convert", str(tmp_path / "out.jsonl"), str(out))
    done = run("convert", str(out), str(tmp_path / "tabs.csv"), "-o", "delimiter=tab")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "tabs.csv").read_text().startswith("title.bg\tfunding.total.amount\t")
    done = run("convert", str(out), str(tmp_path / "x.csv"), "-o", "from.delimiter=;")
    assert done.returncode == 2 and "has a one-column header holding ','" in done.stderr
    # a reading option goes to the reader even when the output's format takes it too
    done = run("convert", str(sheet), str(tmp_path / "mapped.csv"), "-o", mapping)
    assert done.returncode == 0, done.stderr
    assert "funding.total.amount" in (tmp_path / "mapped.csv").read_text(encoding="utf-8")
    # ... and a writing option to the writer, even when the input's format is the same
    done = run("convert", str(out), str(tmp_path / "bom.csv"), "-o", "bom=yes")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "bom.csv").read_bytes().startswith(b"\xef\xbb\xbftitle.bg")
    # an option for the other side is named as such
    done = run("validate", str(out), "-o", "bom=yes")
    assert done.returncode == 2 and "option 'bom' of format 'csv' is for writing only" in (
        done.stderr
    )
    done = run("convert", str(out), str(tmp_path / "y.csv"), "-o", "to.mapping=isun")
    assert done.returncode == 2 and "format 'csv' has no writing option 'mapping'" in done.stderr
    # standard input has no name: its reader options still need --from
    done = run("convert", "-", "-", "-o", "currency=BGN", stdin=b"x\n1\n")
    assert done.returncode == 2 and "the input's format is not known: name it with --from" in (
        done.stderr
    )


@pytest.mark.parametrize("option", ["encoding=cp1250", "from.encoding=cp1250"])
def test_the_encoding_may_be_given_as_a_reading_option_too(tmp_path, option):
    path = tmp_path / "pl.csv"
    path.write_bytes("title.pl\nZażółć gęślą jaźń\n".encode("cp1250"))
    done = run("convert", str(path), "-", "-o", option)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == {"pl": "Zażółć gęślą jaźń"}


def test_convert_to_parquet_reads_canonical_csv_in_batches_and_reports_its_bad_rows(
    tmp_path: Path,
) -> None:
    """The bulk path, as a user meets it: the same messages, the good rows written."""
    pytest.importorskip("pyarrow")
    source = tmp_path / "list.csv"
    rows = "".join(f"P{n},{n}.50,EUR\n" for n in range(30))
    source.write_text(
        "title.en,funding.total.amount,funding.total.currency\n" + rows + "Bad,12 ,EURO\n"
    )
    target = tmp_path / "list.parquet"
    done = run("convert", str(source), str(target), "-o", "row_group=8")
    by_records = run("convert", str(source), str(tmp_path / "list.jsonl"))
    assert done.returncode == by_records.returncode == 1
    assert "line 32" in done.stderr and "EURO" in done.stderr
    problems = [line for line in done.stderr.splitlines() if "line 32" in line]
    assert problems == [line for line in by_records.stderr.splitlines() if "line 32" in line]
    assert "30 projects written" in done.stderr
    assert list(socialproj.read(target)) == list(socialproj.read(tmp_path / "list.jsonl"))
