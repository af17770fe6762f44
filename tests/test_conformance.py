"""Every built-in format passes the conformance kit plugin authors use."""

from __future__ import annotations

import pytest

import socialproj
from socialproj import Format, Project
from socialproj.testing.conformance import FormatConformanceError

BUILT_IN = ["bg-news", "cbc-fiche", "csv", "json", "jsonl", "robg-card"]


def test_every_built_in_format_is_covered_here():
    built_in = {f.name for f in socialproj.formats() if f.plugin.startswith("socialproj ")}
    assert built_in <= set(BUILT_IN)


@pytest.mark.parametrize("name", BUILT_IN)
def test_built_in_format_conforms(name, check_format):
    check_format(name)


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
    with pytest.raises(FormatConformanceError) as caught:
        check_format("lossy", examples=20)
    message = str(caught.value)
    assert "round trip" in message and "sniffer" in message
