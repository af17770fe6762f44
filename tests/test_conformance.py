"""Every built-in format passes the conformance kit plugin authors use."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import strategies as st

import socialproj
from socialproj import Format, Project
from socialproj.testing import strategies as sps
from socialproj.testing.conformance import FormatConformanceError

BUILT_IN = [
    "bg-news",
    "cbc-fiche",
    "csv",
    "html",
    "json",
    "jsonl",
    "ods",
    "parquet",
    "robg-card",
    "xls",
    "xlsx",
]


def test_every_built_in_format_is_covered_here():
    built_in = {f.name for f in socialproj.formats() if f.plugin.startswith("socialproj ")}
    assert built_in <= set(BUILT_IN)


ROOT = Path(__file__).resolve().parents[1]
#: real inputs of each format, damaged by the kit's fuzz test (the writers' own output
#: is damaged for the formats that write)
SAMPLES = {
    "csv": [
        "examples/spreadsheet/projects-bg.csv",
        "examples/lists/cleaning_romania.first250.csv",
    ],
    "xlsx": ["examples/spreadsheet/projects-bg.xlsx"],
    "xls": ["tests/data/tabular/eubfr-budg-projects.xls"],
    "ods": ["examples/spreadsheet/projects-bg.ods"],
    "html": [
        "examples/spreadsheet/projects-bg.xls",
        "tests/data/tabular/opOperationalProgramms.xls",
    ],
    "robg-card": [
        "tests/data/layouts/robg-card/001.txt",
        "examples/seeds/003_3270b39fb2e9a5f9.txt",
    ],
    "cbc-fiche": [
        "tests/data/layouts/cbc-fiche/001.txt",
        "examples/seeds/000_05d4cec36791c612.txt",
    ],
    "bg-news": ["tests/data/layouts/bg-news/001.txt", "examples/seeds/004_78d633e9fed709b8.txt"],
}


def _samples(name: str) -> list[bytes]:
    return [(ROOT / path).read_bytes() for path in SAMPLES.get(name, [])]


@pytest.mark.parametrize("name", BUILT_IN)
def test_built_in_format_conforms(name, check_format):
    check_format(name, samples=_samples(name))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["csv", "json", "jsonl"])
def test_built_in_lossless_formats_carry_hostile_values_or_refuse_them(name):
    # a thousand lists of hostile projects a format: NUL, lone surrogates, control
    # characters, odd extras keys, integers past 64 bits, fields past max_field
    from hypothesis import given, settings

    from socialproj.testing.conformance import _hostile_round_trip

    fmt = socialproj.plugins.find_format(name)

    @settings(max_examples=1000, deadline=None, database=None, derandomize=True)
    @given(st.lists(sps.hostile_projects(), max_size=4))
    def hostile(items):
        _hostile_round_trip(fmt, items)

    hostile()


class _Lossy:
    """A format that claims a lossless round trip but drops partners, and chokes on bad bytes."""

    @staticmethod
    def read(stream, context):
        for number, line in context.lines(stream):
            context.mark(line=number)
            if line.startswith("\xff"):
                raise KeyError("a bug")  # not a socialproj error
            yield Project(title={"en": line.rstrip("\n")} if line.strip() else {})

    @staticmethod
    def write(projects, stream, context):
        for project in projects:
            stream.write((project.title.best() or "").replace("\n", " ").encode() + b"\n")

    @socialproj.hookimpl
    def socialproj_formats(self):
        yield Format(
            "lossy",
            "drops everything but the title",
            self.read,
            self.write,
            lossless=True,
            sniff=lambda sample: sample.head[0] == ord("L"),
        )


def test_the_kit_catches_a_format_that_breaks_its_promises(socialproj_plugin, check_format):
    socialproj_plugin(_Lossy(), "test-lossy")
    cheap = st.builds(Project, title=sps.texts(), partners=st.lists(sps.partners(), max_size=2))
    with pytest.raises(FormatConformanceError) as caught:
        check_format("lossy", examples=20, projects=cheap)
    message = str(caught.value)
    assert "round trip" in message and "sniffer" in message


class _Unplaced:
    """A reader that lets a socialproj error escape instead of reporting the record's place."""

    @staticmethod
    def read(stream, context):
        for _number, line in context.lines(stream):
            if line.strip():
                raise socialproj.StructureError([f"cannot use {line!r}"])
            yield Project()

    @socialproj.hookimpl
    def socialproj_formats(self):
        yield Format("unplaced", "names no place", self.read)


def test_the_kit_wants_bad_records_reported_with_their_place(socialproj_plugin, check_format):
    socialproj_plugin(_Unplaced(), "test-unplaced")
    with pytest.raises(FormatConformanceError, match="let a StructureError escape"):
        check_format("unplaced", examples=10)


class _Fragile:
    """Reads its own output, but crashes on it cut short (and ignores anything else)."""

    @staticmethod
    def read(stream, context):
        data = stream.read()
        if data.startswith(b"BEGIN\n"):
            count = int(data.split(b"\n")[1])  # a bug: a cut file raises ValueError/IndexError
            if not data.endswith(b"END\n"):
                raise KeyError("END")
            for _ in range(count):
                yield Project()

    @staticmethod
    def write(projects, stream, context):
        stream.write(b"BEGIN\n%d\nEND\n" % len(list(projects)))

    @socialproj.hookimpl
    def socialproj_formats(self):
        yield Format("fragile", "breaks when cut short", self.read, self.write)


def test_the_kit_cuts_and_damages_a_format_s_own_output(socialproj_plugin, check_format):
    socialproj_plugin(_Fragile(), "test-fragile")
    with pytest.raises(FormatConformanceError) as caught:
        check_format("fragile", examples=20, projects=st.just(Project()))
    message = str(caught.value)
    assert "damaged output" in message and "arbitrary bytes" not in message


class _Hoarding:
    """JSON Lines that checks every line before yielding any: one bad line costs them all."""

    @staticmethod
    def read(stream, context):
        projects = []
        for number, line in context.lines(stream):
            try:
                projects.append(socialproj.from_dict(socialproj.loads_json(line)))
            except (ValueError, socialproj.StructureError):
                raise socialproj.ReadError(
                    "is not a project", position=socialproj.Position(line=number)
                ) from None
        yield from projects

    @staticmethod
    def write(projects, stream, context):
        for project in projects:
            stream.write(socialproj.dumps_json(socialproj.to_dict(project), newline=True))

    @socialproj.hookimpl
    def socialproj_formats(self):
        yield Format("hoarding", "holds every record back", self.read, self.write, lossless=True)


def test_the_kit_wants_the_records_before_a_damaged_byte(socialproj_plugin, check_format):
    socialproj_plugin(_Hoarding(), "test-hoarding")
    cheap = st.builds(Project, title=sps.texts(), status=st.sampled_from(["open", "closed"]))
    with pytest.raises(FormatConformanceError) as caught:
        check_format("hoarding", examples=30, projects=cheap)
    message = str(caught.value)
    assert "records before the damage" in message and "lost or changed them" in message
    assert "round trip" not in message and "damaged output" not in message


class _Skipping:
    """Title lines; its batch reader leaves out every second record (a bug)."""

    @staticmethod
    def read(stream, context):
        for number, line in context.lines(stream):
            context.mark(line=number)
            yield Project(title={"en": line.rstrip("\n")} if line.strip() else {})

    @classmethod
    def read_batches(cls, stream, context, batch_size):
        kept = [p for n, p in enumerate(cls.read(stream, context)) if n % 2 == 0]
        yield from socialproj.record_batches(kept, batch_size=batch_size)

    @staticmethod
    def write(projects, stream, context):
        for project in projects:
            stream.write((project.title.best() or "").replace("\n", " ").encode() + b"\n")

    @socialproj.hookimpl
    def socialproj_formats(self):
        yield Format(
            "skipping",
            "loses records in batches",
            self.read,
            self.write,
            batch_reader=self.read_batches,
        )


def test_the_kit_holds_a_batch_reader_to_its_reader(socialproj_plugin, check_format):
    pytest.importorskip("pyarrow")
    socialproj_plugin(_Skipping(), "test-skipping")
    plain = st.builds(Project, title=st.just({"en": "Wheels"}))
    with pytest.raises(FormatConformanceError) as caught:
        check_format("skipping", examples=10, projects=plain)
    assert "batches: " in str(caught.value) and "read_batches() and read() differ" in str(
        caught.value
    )
