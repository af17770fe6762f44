"""The plugin host: discovery, a plugin for one test, broken plugins, conflicts, detection order."""

from __future__ import annotations

import io
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

import socialproj
from socialproj import Format, FormatError, Option, PluginError, Project, choose_format, read
from socialproj.plugins import PluginHost, PluginLoadWarning


def test_builtin_formats_load_through_entry_points_sorted_by_name():
    names = [f.name for f in socialproj.formats()]
    assert names == sorted(names)
    assert {"csv", "json", "jsonl"} <= set(names)
    for fmt in socialproj.formats():
        if fmt.name in ("csv", "json", "jsonl"):
            assert fmt.plugin == f"socialproj {socialproj.__version__}"
            assert fmt.lossless
            assert fmt.description


class _Shout:
    """A test format: one title per line, written in capitals."""

    @staticmethod
    def read(stream, context):
        for number, line in context.lines(stream):
            context.mark(line=number)
            if line.strip():
                yield Project(title={"en": line.strip()})

    @staticmethod
    def write(projects, stream, context):
        for project in projects:
            stream.write((project.title.best("en") or "").upper().encode() + b"\n")

    @socialproj.hookimpl
    def socialproj_formats(self):
        yield Format(
            "shout",
            "titles in capitals, one per line",
            self.read,
            self.write,
            extensions=(".shout",),
            sniff=lambda sample: sample.text.startswith("SHOUT"),
        )


@pytest.fixture
def shout():
    with socialproj.registered(_Shout(), "test-shout") as name:
        yield name


def test_a_plugin_registered_for_one_test(shout, tmp_path):
    assert "shout" in [f.name for f in socialproj.formats()]
    assert socialproj.plugins.find_format("shout").plugin.startswith("test-shout")
    target = tmp_path / "out.shout"
    socialproj.write([Project(title={"en": "danube2 wheels"})], target)
    assert target.read_text() == "DANUBE2 WHEELS\n"
    assert [p.title.best() for p in read(target)] == ["DANUBE2 WHEELS"]


def test_a_long_line_in_a_format_without_max_line_names_no_option_it_lacks(shout):
    data = b"short\n" + b"x" * (socialproj.MAX_LINE + 10) + b"\nafter\n"
    stream = read(io.BytesIO(data), "shout", errors="collect")
    assert [p.title.best() for p in stream] == ["short", "after"]
    [problem] = stream.problems
    assert problem.position.line == 2 and "is longer than" in str(problem)
    assert "max_line" not in str(problem)  # shout has no such option to set
    jsonl = read(
        io.BytesIO(b'{"title": {"en": "x"}}\n' * 2), "jsonl", max_line=10, errors="collect"
    )
    assert not list(jsonl) and "set max_line higher" in str(jsonl.problems[0])


def test_the_plugin_is_gone_after_the_test():
    assert "shout" not in [f.name for f in socialproj.formats()]


def test_explicit_name_wins_over_extension_and_content(shout, tmp_path):
    path = tmp_path / "titles.shout"
    path.write_text('{"title": {"en": "x"}}\n')
    assert choose_format("jsonl", file=str(path)).name == "jsonl"
    assert choose_format(None, file=str(path), head=path.read_bytes()).name == "shout"


def test_extension_wins_over_content_then_content_decides(shout):
    assert choose_format(None, file="a.jsonl", head=b"SHOUT\n").name == "jsonl"
    assert choose_format(None, file="a.txt", head=b"SHOUT\n").name == "shout"
    assert choose_format(None, file=None, head=b'{"title": {"en": "x"}}\n').name == "jsonl"


def test_no_candidate_lists_what_is_available():
    with pytest.raises(FormatError) as caught:
        choose_format(None, file="notes.txt", head=b"plain prose about nothing")
    assert "csv" in str(caught.value) and "jsonl" in str(caught.value)
    with pytest.raises(FormatError, match="no format named 'docx'"):
        choose_format("docx")


def test_several_candidates_is_an_error_naming_them():
    class Greedy:
        @socialproj.hookimpl
        def socialproj_formats(self):
            for name in ("greedy-a", "greedy-b"):
                yield Format(name, "claims everything", lambda s, c: iter(()), sniff=lambda s: True)

    with socialproj.registered(Greedy(), "test-greedy"), pytest.raises(FormatError) as caught:
        choose_format(None, file=None, head=b"anything at all")
    assert "greedy-a" in str(caught.value) and "greedy-b" in str(caught.value)


def test_a_sniffer_that_raises_counts_as_no():
    class Broken:
        @socialproj.hookimpl
        def socialproj_formats(self):
            def sniff(sample):
                raise RuntimeError("bug")

            yield Format("broken-sniff", "x", lambda s, c: iter(()), sniff=sniff)

    with socialproj.registered(Broken(), "test-broken-sniff"):
        assert choose_format(None, head=b'{"title": {"en": "x"}}\n').name == "jsonl"


def test_a_name_or_alias_conflict_names_both_providers():
    class Clash:
        @socialproj.hookimpl
        def socialproj_formats(self):
            yield Format("my-csv", "clashes by alias", lambda s, c: iter(()), aliases=("tsv",))

    with socialproj.registered(Clash(), "test-clash"), pytest.raises(PluginError) as caught:
        socialproj.formats()
    message = str(caught.value)
    assert "'tsv'" in message and "test-clash" in message and "socialproj" in message


def test_results_do_not_depend_on_registration_order():
    def plugin(name):
        class One:
            @socialproj.hookimpl
            def socialproj_formats(self):
                yield Format(name, name, lambda s, c: iter(()))

        return One()

    orders = []
    for first, second in (("zz-one", "aa-two"), ("aa-two", "zz-one")):
        host = PluginHost(entry_points=False)
        host.register(plugin(first), first)
        host.register(plugin(second), second)
        orders.append([f.name for f in host.formats()])
    assert orders[0] == orders[1] == ["aa-two", "zz-one"]


def test_a_hook_that_raises_is_reported_and_skipped():
    class Faulty:
        @socialproj.hookimpl
        def socialproj_formats(self):
            raise RuntimeError("cannot build my formats")

    host = PluginHost(entry_points=False)
    host.register(Faulty(), "test-faulty")
    with pytest.warns(PluginLoadWarning, match="test-faulty.*cannot build my formats"):
        assert host.formats() == ()
    assert host.problems[0].plugin == "test-faulty"


@pytest.fixture
def broken_distribution(tmp_path, monkeypatch):
    """A distribution whose socialproj entry point cannot be imported."""
    dist = tmp_path / "socialproj_broken-9.9.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: socialproj-broken\nVersion: 9.9\n")
    (dist / "entry_points.txt").write_text(
        textwrap.dedent("""
        [socialproj]
        broken = socialproj_does_not_exist
        """)
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_a_plugin_that_fails_to_import_is_skipped_with_its_name_and_version(broken_distribution):
    host = PluginHost()
    with pytest.warns(PluginLoadWarning) as caught:
        names = [f.name for f in host.formats()]
    message = str(caught[0].message)
    assert "'broken'" in message and "socialproj-broken 9.9" in message
    assert "socialproj_does_not_exist" in message
    assert {"csv", "json", "jsonl"} <= set(names)  # the good plugins still load


def test_strict_setting_raises_instead(broken_distribution, monkeypatch):
    with pytest.raises(PluginError, match=r"socialproj-broken 9\.9"):
        PluginHost(strict=True).formats()
    monkeypatch.setenv("SOCIALPROJ_STRICT_PLUGINS", "1")
    with pytest.raises(PluginError):
        PluginHost().formats()


@pytest.fixture
def misspelt_distribution(tmp_path, monkeypatch):
    """A distribution whose plugin marks ``socialproj_format`` (one letter short)."""
    dist = tmp_path / "socialproj_misspelt-1.0.dist-info"
    dist.mkdir()
    metadata = "Metadata-Version: 2.1\nName: socialproj-misspelt\nVersion: 1.0\n"
    (dist / "METADATA").write_text(metadata)
    (dist / "entry_points.txt").write_text("[socialproj]\nmisspelt = socialproj_misspelt\n")
    (tmp_path / "socialproj_misspelt.py").write_text(
        textwrap.dedent("""
        import socialproj

        @socialproj.hookimpl
        def socialproj_format():
            yield socialproj.Format("never", "never seen", writer=lambda p, s, c: None)
        """)
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_a_misspelt_hook_is_a_problem_not_silence(misspelt_distribution):
    host = PluginHost()
    with pytest.warns(PluginLoadWarning, match="socialproj_format is no socialproj hook"):
        names = [f.name for f in host.formats()]
    assert "never" not in names and {"csv", "json"} <= set(names)
    [problem] = host.problems
    assert (problem.plugin, problem.distribution, problem.version) == (
        "misspelt",
        "socialproj-misspelt",
        "1.0",
    )
    assert "socialproj_formats" in problem.error  # the hooks it may have meant
    assert "misspelt" not in dict(host.plugin_names())
    with pytest.raises(PluginError, match="socialproj_format is no socialproj hook"):
        PluginHost(strict=True).formats()


def test_registering_a_plugin_with_a_wrong_hook_is_refused_at_once():
    class Misspelt:
        @socialproj.hookimpl
        def socialproj_validator(self):
            return ()

    class Unmarked:
        def socialproj_validators(self):  # no @hookimpl: pluggy would pass it over
            return ()

    host = PluginHost(entry_points=False)
    with pytest.raises(PluginError, match="socialproj_validator is no socialproj hook"):
        host.register(Misspelt(), "test-misspelt")
    with pytest.raises(PluginError, match="socialproj_validators is not marked"):
        host.register(Unmarked(), "test-unmarked")
    assert host.plugin_names() == []  # neither stays registered


def test_the_examples_of_the_hooks_work_as_written():
    # each hook's docstring has an example plugin: run it, register it, use what it gives
    from socialproj.plugins import specs

    for hook in ("socialproj_formats", "socialproj_rate_providers", "socialproj_validators"):
        example = textwrap.dedent(getattr(specs, hook).__doc__.split("::", 1)[1])
        module = type(sys)(f"example_{hook}")
        exec(compile(example, f"<{hook} example>", "exec"), module.__dict__)
        with socialproj.registered(module, f"example-{hook}"):
            if hook == "socialproj_formats":
                buffer = io.BytesIO()
                socialproj.write([Project(title={"en": "Roads"})], buffer, "markdown")
                assert buffer.getvalue() == b"- Roads\n"
            elif hook == "socialproj_rate_providers":
                converted = socialproj.convert(
                    socialproj.Money("10", "EUR"), "RSD", on="2024-01-02", provider="example"
                )
                assert converted.money == socialproj.Money("1172", "RSD")
            else:
                codes = [f.code for f in socialproj.validate(Project())]
                assert "example.title.missing" in codes


def test_format_descriptors_check_themselves():
    with pytest.raises(ValueError, match="lower case"):
        Format("CSV", "x", lambda s, c: iter(()))
    with pytest.raises(ValueError, match="neither reads nor writes"):
        Format("nothing", "x")
    with pytest.raises(ValueError, match="start with a dot"):
        Format("x", "x", lambda s, c: iter(()), extensions=("csv",))


def test_options_say_whether_they_are_for_reading_or_writing():
    with pytest.raises(ValueError, match="applies to 'read', 'write' or 'both'"):
        Option("x", "x", applies="sometimes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="has a writing option but no writer"):
        Format("x", "x", lambda s, c: iter(()), options=(Option("y", "y", applies="write"),))
    with pytest.raises(ValueError, match="has a reading option but no reader"):
        Format("x", "x", writer=lambda p, s, c: None, options=(Option("y", "y", applies="read"),))
    mapping, bom, formulas = (
        next(o for o in choose_format("csv").options if o.name == name)
        for name in ("mapping", "bom", "formulas")
    )
    assert (mapping.applies_to("read"), mapping.applies_to("write")) == (True, False)
    assert (bom.applies_to("read"), bom.applies_to("write")) == (False, True)
    assert formulas.applies_to("read") and formulas.applies_to("write")


def test_choosing_a_format_for_a_purpose_that_is_neither_is_refused():
    with pytest.raises(ValueError, match="purpose is 'read' or 'write', not 'wrte'"):
        choose_format("csv", purpose="wrte")  # type: ignore[arg-type]


def test_an_option_given_to_the_side_it_is_not_for_is_refused():
    # before options said which side they are for, these were silently ignored
    with pytest.raises(socialproj.OptionError, match="'decimal' of format 'csv' is for reading"):
        socialproj.write([Project()], io.BytesIO(), "csv", decimal=",")
    with pytest.raises(socialproj.OptionError, match="'bom' of format 'csv' is for writing"):
        read(io.BytesIO(b"title.en\nx\n"), "csv", bom=True)
    assert socialproj.write([Project()], io.BytesIO(), "csv", formulas="keep") == 1
    assert len(list(read(io.BytesIO(b"title.en\nx\n"), "csv", formulas="keep"))) == 1


def test_unknown_options_are_refused_by_name():
    with pytest.raises(socialproj.OptionError, match="no option 'colour'"):
        read(io.BytesIO(b""), "jsonl", colour="red")
    with pytest.raises(socialproj.OptionError, match="delimiter"):
        read(io.BytesIO(b"a,b\n"), "csv", delimiter="::")


def test_sizes_are_read_with_their_units():
    from socialproj import parse_size

    assert parse_size(1_000) == parse_size("1_000") == parse_size(" 1000 ") == 1000
    assert parse_size("64k") == parse_size("64 KiB") == 65_536
    assert parse_size("16M") == parse_size("16mib") == 16 * 1024 * 1024
    assert parse_size("20MB") == 20_000_000 and parse_size("1G") == 1024**3
    for bad in ("", "0", "-5", "1.5M", "1e6", "16X", "M", "\u0661\u0662"):
        with pytest.raises(ValueError, match="size"):
            parse_size(bad)
    for wrong in (True, 1.5, None):
        with pytest.raises(TypeError):
            parse_size(wrong)
    with pytest.raises(socialproj.OptionError, match="'max_line' of format 'jsonl'"):
        read(io.BytesIO(b""), "jsonl", max_line="lots")


def test_every_hook_is_specified_typed_and_documented():
    from socialproj.plugins import specs as hookspecs

    hooks = [name for name in dir(hookspecs) if name.startswith("socialproj_")]
    assert hooks == ["socialproj_formats", "socialproj_rate_providers", "socialproj_validators"]
    tests = (
        Path(__file__).read_text()
        + (Path(__file__).parent / "test_rates.py").read_text()
        + (Path(__file__).parent / "test_validation.py").read_text()
    )
    for hook in hooks:
        assert getattr(hookspecs, hook).__doc__
        assert f"def {hook}(" in tests  # every hook has a test plugin implementing it


def test_plugin_names_report_distribution_and_version():
    names = dict(socialproj.plugins.host().plugin_names())
    assert names["json"] == f"socialproj {socialproj.__version__}"


def test_warnings_from_plugins_do_not_leak_into_normal_runs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        PluginHost().formats()
    assert "socialproj_does_not_exist" not in sys.modules


def test_an_html_page_named_as_a_workbook_is_read_as_a_web_page():
    page = b"<html><head><meta charset=utf-8></head><body><table><tr><td>x</td></tr>"
    for head in (page, b"\xef\xbb\xbf<!DOCTYPE html>\n" + page, b"<TABLE border=1>\r\n<TR>"):
        assert choose_format(None, file="report.xls", head=head).name == "html"
    # markup after a line of text is not told by content: the message names the format
    with pytest.raises(FormatError, match=r"looks like an HTML page .* the html format"):
        choose_format(None, file="report.xls", head=b"Report of 2016\r\n<table><tr>")
    # a CSV cell holding markup is still a CSV file
    assert (
        choose_format(None, file="x.csv", head=b"title.en,status\n<table> ok,ongoing\n").name
        == "csv"
    )
