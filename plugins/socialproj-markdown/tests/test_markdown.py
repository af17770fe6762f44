import io

import socialproj
from socialproj import Duration, Funding, Money, Partner, Period, Project, Share


def table(projects, **options):
    buffer = io.BytesIO()
    socialproj.write(projects, buffer, "markdown", **options)
    return buffer.getvalue().decode("utf-8")


def test_writes_one_row_per_project(markdown):
    project = Project(
        title={"en": "Cross | border", "bg": "Трансгранично"},
        funding=Funding(
            Money("671561.63", "EUR"), [Share("eu", "ERDF", Money("570827.37", "EUR"))]
        ),
        period=Period("2017-09-23", "2019-11-22", Duration(27)),
        partners=[Partner("County Agency", "lead", "RO"), Partner("ASA", "partner", "BG")],
    )
    lines = table([project]).splitlines()
    assert lines[0].startswith("| Title | Codes |")
    assert lines[2] == (
        "| Cross \\| border |  |  | 671,561.63 EUR | 570,827.37 EUR | 2017-09-23 – 2019-11-22 "
        "(27 months) | County Agency (RO) | ASA (BG) |  |"
    )
    assert "| Трансгранично |" in table([project], language="bg")


def test_the_format_conforms(markdown, check_format):
    check_format("markdown")


def test_it_is_found_by_extension(markdown):
    assert socialproj.choose_format(None, file="report.md", purpose="write").name == "markdown"
