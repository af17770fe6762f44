"""The ``markdown`` format: project records as a Markdown table (write only).

One row per project, with the columns people scan a list of projects for. Cells are
escaped (``|`` and line breaks), amounts keep their exact decimals, and the same
records always give the same table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

import socialproj
from socialproj import Format, Money, Option, Project, Role, WriteContext

__all__ = ["COLUMNS", "write_markdown"]

#: The table's columns: a heading and how to fill its cell from a project.
COLUMNS = (
    "Title",
    "Codes",
    "Programme",
    "Total",
    "EU share",
    "Period",
    "Lead partner",
    "Partners",
    "Places",
)


def _money(value: Money | None) -> str:
    if value is None:
        return ""
    return socialproj.format_money(value, "en")


def _cells(project: Project, language: str) -> list[str]:
    funding = project.funding
    period = project.period
    dates = ""
    if period is not None:
        dates = " – ".join(str(d) for d in (period.start, period.end) if d is not None)
        if period.duration is not None:
            dates = f"{dates} ({period.duration})".strip()
    lead = project.lead
    others = [p for p in project.partners if p.role is not Role.LEAD]
    eu = funding.amount_of("eu") if funding else None
    return [
        project.title.best(language, "en") or "",
        ", ".join(ident.value for ident in project.identifiers),
        (project.programme.name.best(language, "en") or project.programme.cci or "")
        if project.programme
        else "",
        _money(funding.total) if funding else "",
        _money(eu),
        dates,
        f"{lead.name} ({lead.country})" if lead and lead.country else (lead.name if lead else ""),
        "; ".join(f"{p.name} ({p.country})" if p.country else p.name for p in others),
        ", ".join(place.name for place in project.locations if place.name),
    ]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def write_markdown(projects: Iterable[Project], stream: IO[bytes], context: WriteContext) -> None:
    """Write a Markdown table, one project per row, as the projects come."""
    language = context.options["language"]
    stream.write(("| " + " | ".join(COLUMNS) + " |\n").encode("utf-8"))
    stream.write(("|" + "---|" * len(COLUMNS) + "\n").encode("utf-8"))
    for project in projects:
        row = "| " + " | ".join(_escape(cell) for cell in _cells(project, language)) + " |\n"
        stream.write(row.encode("utf-8"))


@socialproj.hookimpl
def socialproj_formats() -> Iterator[Format]:
    """The markdown format."""
    yield Format(
        name="markdown",
        description="a Markdown table of projects, one row each (write only)",
        writer=write_markdown,
        extensions=(".md", ".markdown"),
        aliases=("md",),
        options=(
            Option(
                "language",
                "the language to prefer for titles and names",
                str,
                "en",
                applies="write",
            ),
        ),
    )
