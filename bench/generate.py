"""Synthetic data for the benchmarks, the same for every run (a fixed seed).

Projects with Latin and Cyrillic titles, one to eight partners, EU/national/own shares,
BGN/EUR/RON amounts, partial and full dates — written as canonical CSV, as a local-style
CSV (``198 660,00``, ``28.09.2016``, ``;``-separated), as JSON Lines, as an Excel
workbook and an OpenDocument spreadsheet (amounts as number cells), and as texts of the
three layout families.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import zipfile
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

import socialproj
from socialproj import (
    Duration,
    Funding,
    Identifier,
    Location,
    Money,
    PartialDate,
    Partner,
    Period,
    Programme,
    Project,
    Share,
)
from socialproj_tables.sheets import column_letters  # the reader's own cell references

SEED = 20261123

_LATIN = (
    "social",
    "inclusion",
    "cross-border",
    "cooperation",
    "services",
    "elderly",
    "people",
    "youth",
    "employment",
    "heritage",
    "tourism",
    "care",
    "network",
    "joint",
    "actions",
    "community",
    "centre",
    "support",
    "Danube",
    "region",
    "capacity",
    "innovation",
)
_CYRILLIC = (
    "социално",
    "включване",
    "патронажна",
    "грижа",
    "център",
    "услуги",
    "подкрепа",
    "достоен",
    "живот",
    "младежи",
    "заетост",
    "общност",
    "независим",
    "дом",
    "деца",
    "семейства",
    "достъп",
    "интеграция",
    "възрастни",
    "хора",
)
_TOWNS = (
    ("Ruse", "BG"),
    ("Vidin", "BG"),
    ("Silistra", "BG"),
    ("Dobrich", "BG"),
    ("Giurgiu", "RO"),
    ("Calarasi", "RO"),
    ("Constanta", "RO"),
    ("Dolj", "RO"),
    ("Strumica", "MK"),
    ("Kumanovo", "MK"),
    ("Edirne", "TR"),
    ("Xanthi", "GR"),
)
_ORGANISATIONS = ("Municipality of", "Association", "County Council")
_PROGRAMMES = (
    ({"en": "Interreg V-A Romania-Bulgaria"}, "2014TC16RFCB021", "ERDF"),
    ({"bg": "Оперативна програма „Развитие на човешките ресурси“"}, "2014BG05M9OP001", "ESF"),
    ({"en": "Interreg-IPA CBC Bulgaria-North Macedonia"}, "2014TC16I5CB006", "IPA"),
)
_CENT = Decimal("0.01")


def _words(rng: random.Random, vocabulary: tuple[str, ...], count: int) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(count))


def project(rng: random.Random, number: int) -> Project:
    """One synthetic project."""
    cyrillic = rng.random() < 0.5
    title = (
        {"bg": _words(rng, _CYRILLIC, rng.randint(3, 9)).capitalize()}
        if cyrillic
        else {"en": _words(rng, _LATIN, rng.randint(3, 9)).capitalize()}
    )
    if rng.random() < 0.3:
        title["en" if cyrillic else "bg"] = _words(rng, _LATIN if cyrillic else _CYRILLIC, 4)
    names, cci, fund = rng.choice(_PROGRAMMES)
    currency = rng.choice(("BGN", "EUR", "RON"))
    total = Decimal(rng.randint(2_000_000, 2_500_000_000)).scaleb(-2)
    eu = (total * Decimal("0.85")).quantize(_CENT, rounding=ROUND_HALF_UP)
    national = (total * Decimal("0.13")).quantize(_CENT, rounding=ROUND_HALF_UP)
    shares = [
        Share("eu", fund, Money(eu, currency)),
        Share("national", None, Money(national, currency)),
        Share("own", None, Money(total - eu - national, currency)),
    ]
    start = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randint(0, 3650))
    months = rng.randint(6, 48)
    if rng.random() < 0.8:
        period = Period.from_start(start, Duration(months))
        period = Period(period.start, period.end, Duration(months))
    else:
        period = Period(PartialDate(start.year, start.month), None, Duration(months))
    partners = []
    for index in range(rng.randint(1, 8)):
        town, country = rng.choice(_TOWNS)
        name = (
            f"Община {rng.choice(_CYRILLIC).capitalize()} {town}"
            if country == "BG" and rng.random() < 0.5
            else f"{rng.choice(_ORGANISATIONS)} {town} {index}"
        )
        partners.append(Partner(name, "lead" if index == 0 else "partner", country))
    places = [Location(*rng.choice(_TOWNS)) for _ in range(rng.randint(0, 3))]
    return Project(
        title=title,
        identifiers=[Identifier("ems", f"ROBG-{number}")],
        programme=Programme(names, cci),
        funding=Funding(Money(total, currency), shares),
        period=period,
        partners=partners,
        locations=places,
        status=rng.choice(("finalised", "ongoing", None)),
    )


def projects(count: int, seed: int = SEED) -> Iterator[Project]:
    """``count`` synthetic projects, always the same for the same seed."""
    rng = random.Random(seed)
    for number in range(count):
        yield project(rng, number)


def write_inputs(folder: Path, rows: int) -> dict[str, Path]:
    """Canonical CSV, local-style CSV and JSON Lines with ``rows`` projects each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "csv": folder / f"canonical-{rows}.csv",
        "local": folder / f"local-{rows}.csv",
        "jsonl": folder / f"projects-{rows}.jsonl",
    }
    if not paths["csv"].exists():
        socialproj.write(projects(rows), paths["csv"], "csv")
    if not paths["jsonl"].exists():
        socialproj.write(projects(rows), paths["jsonl"], "jsonl")
    if not paths["local"].exists():
        _localise(paths["csv"], paths["local"])
    return paths


def write_spreadsheets(folder: Path, rows: int) -> dict[str, Path]:
    """The canonical CSV's rows as an .xlsx workbook, an .ods spreadsheet and a web page.

    Written by hand, a row at a time, as spreadsheet programs store them: amounts as
    number cells, everything else as text (inline strings in the workbook); the page
    as a register's export writes it, one ``<td>`` a cell.
    """
    source = write_inputs(folder, rows)["csv"]
    paths = {kind: folder / f"canonical-{rows}.{kind}" for kind in ("xlsx", "ods", "html")}
    for kind, path in paths.items():
        if path.exists():
            continue
        with open(source, newline="", encoding="utf-8") as src:
            reader = csv.reader(src)
            if kind == "html":
                with open(path, "w", encoding="utf-8") as page:
                    _web_page(page, reader)
                continue
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                if kind == "xlsx":
                    _workbook(archive, reader)
                else:
                    _opendocument(archive, reader)
    return paths


def _web_page(page: IO[str], reader: Iterator[list[str]]) -> None:
    page.write('<html><head><meta charset="utf-8"></head><body>\n<table>\n')
    for number, cells in enumerate(reader):
        tag = "th" if number == 0 else "td"
        page.write("<tr>" + "".join(f"<{tag}>{escape(c)}</{tag}>" for c in cells) + "</tr>\n")
    page.write("</table>\n</body></html>\n")


_SHEET_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _workbook(archive: zipfile.ZipFile, reader: Iterator[list[str]]) -> None:
    archive.writestr("[Content_Types].xml", "<Types/>")
    archive.writestr(
        "_rels/.rels",
        f'<Relationships xmlns="{_PACKAGE}"><Relationship Id="r1" '
        f'Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    archive.writestr(
        "xl/workbook.xml",
        f'<workbook xmlns="{_SHEET_MAIN}" xmlns:r="{_OFFICE}"><sheets>'
        '<sheet name="Projects" sheetId="1" r:id="r1"/></sheets></workbook>',
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        f'<Relationships xmlns="{_PACKAGE}"><Relationship Id="r1" '
        f'Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    )
    with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
        sheet.write(f'<worksheet xmlns="{_SHEET_MAIN}"><sheetData>'.encode())
        _cells(sheet, reader, _xlsx_row)
        sheet.write(b"</sheetData></worksheet>")


def _xlsx_row(number: int, cells: list[str], amounts: set[int]) -> str:
    parts = [f'<row r="{number}">']
    for column, cell in enumerate(cells):
        if not cell:
            continue
        reference = f"{column_letters(column)}{number}"
        if column in amounts:
            parts.append(f'<c r="{reference}"><v>{cell}</v></c>')
        else:
            parts.append(f'<c r="{reference}" t="inlineStr"><is><t>{escape(cell)}</t></is></c>')
    parts.append("</row>")
    return "".join(parts)


_OPENDOCUMENT = " ".join(
    f'xmlns:{name}="urn:oasis:names:tc:opendocument:xmlns:{name}:1.0"'
    for name in ("office", "table", "text")
)


def _opendocument(archive: zipfile.ZipFile, reader: Iterator[list[str]]) -> None:
    archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
    with archive.open("content.xml", "w") as content:
        content.write(
            f"<office:document-content {_OPENDOCUMENT}><office:body><office:spreadsheet>"
            '<table:table table:name="Projects">'.encode()
        )
        _cells(content, reader, _ods_row)
        content.write(  # LibreOffice's filler of empty rows to the sheet's end
            b'<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
            b'table:number-columns-repeated="1024"/></table:table-row>'
            b"</table:table></office:spreadsheet></office:body></office:document-content>"
        )


def _ods_row(number: int, cells: list[str], amounts: set[int]) -> str:
    parts = ["<table:table-row>"]
    for column, cell in enumerate(cells):
        if not cell:
            parts.append("<table:table-cell/>")
        elif column in amounts:
            parts.append(
                f'<table:table-cell office:value-type="float" office:value="{cell}">'
                f"<text:p>{cell}</text:p></table:table-cell>"
            )
        else:
            parts.append(
                '<table:table-cell office:value-type="string">'
                f"<text:p>{escape(cell)}</text:p></table:table-cell>"
            )
    parts.append("</table:table-row>")
    return "".join(parts)


def _cells(
    out: IO[bytes],
    reader: Iterator[list[str]],
    write_row: Callable[[int, list[str], set[int]], str],
) -> None:
    """The header as text cells, then each row with its amounts as number cells."""
    header = next(reader)
    out.write(write_row(1, header, set()).encode())
    amounts = {i for i, name in enumerate(header) if name.endswith(".amount")}
    for number, cells in enumerate(reader, 2):
        out.write(write_row(number, cells, amounts).encode())


def _local_amount(text: str) -> str:
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{' '.join(groups)}" + (f",{frac}" if frac else "")


def _local_date(text: str) -> str:
    parts = text.split("-")
    return ".".join(reversed(parts))


def _localise(source: Path, target: Path) -> None:
    """The canonical CSV as a Bulgarian spreadsheet would save it."""
    with (
        open(source, newline="", encoding="utf-8") as src,
        open(target, "w", newline="", encoding="utf-8") as out,
    ):
        reader = csv.reader(src)
        writer = csv.writer(out, delimiter=";")
        header = next(reader)
        writer.writerow(header)
        amounts = [i for i, name in enumerate(header) if name.endswith(".amount")]
        dates = [i for i, name in enumerate(header) if name in ("period.start", "period.end")]
        for row in reader:
            for i in amounts:
                if row[i]:
                    row[i] = _local_amount(row[i])
            for i in dates:
                if row[i]:
                    row[i] = _local_date(row[i])
            writer.writerow(row)


# -- layout texts -------------------------------------------------------------------------------


def _amount_en(value: Decimal) -> str:
    return f"{value:,.2f}"


def _amount_continental(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _amount_bg(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


def layout_texts(fmt: str, count: int, seed: int = SEED) -> list[bytes]:
    """``count`` texts of a layout family, in the shapes the real ones take."""
    rng = random.Random(seed)
    make = {"robg-card": _card, "cbc-fiche": _fiche, "bg-news": _news}[fmt]
    return [make(rng, project(rng, n), n).encode("utf-8") for n in range(count)]


def _card(rng: random.Random, p: Project, n: int) -> str:
    total = p.funding.total.amount
    eu = p.funding.shares[0].amount.amount
    money = rng.choice((_amount_en, _amount_continental))
    partners = "\n".join(
        f"{'Lead beneficiary (LB)' if i == 0 else f'Beneficiary {i + 1} (B{i + 1})'}: {pt.name} "
        f"({socialproj.country_name(pt.country)})"
        for i, pt in enumerate(p.partners[:4])
    )
    period = p.period
    start = period.start.to_date() if period.start.is_full else dt.date(2018, 1, 1)
    end = period.computed_end or PartialDate(2020, 1, 1)
    return (
        f"{p.title.best('en')} - ROBG-{n}\n"
        "What's the goal?\n"
        "The project aims to increase the cooperation capacity of the institutions in the "
        "cross-border area.\n"
        "What's the budget?\n"
        f"{money(total)} euro, out of which {money(eu)} euro ERDF\n"
        "Who is doing it?\n"
        f"{partners}\n"
        "When is it happening?\n"
        f"Start date: {start:%d.%m.%Y}\n"
        f"End date: {end.latest():%d.%m.%Y}\n"
        f"Duration: {period.duration.months} months\n"
        "Where is it happening?\n"
        "Ruse, Vidin in Bulgaria\nGiurgiu in Romania\n"
        "How is it going to happen?\n"
        "• Joint studies and 12 workshops for 240 participants\n"
    )


def _fiche(rng: random.Random, p: Project, n: int) -> str:
    total = p.funding.total.amount
    eu = p.funding.shares[0].amount.amount
    lead, *others = p.partners
    start = p.period.start
    return (
        f"{p.title.best('en')}\n\n"
        f"Project code: CB006.1.{n % 90 + 10}.{n % 900 + 100}\n"
        f"Project title: {p.title.best('en')}\n"
        f"Budget: {total} €\n"
        f"EU co-financing: {eu} €\n"
        f"Start date: {start.earliest():%d.%m.%Y}\n"
        f"End date: {start.latest():%d.%m.%Y}\n"
        f"Project duration in months: {p.period.duration.months}\n"
        f"Lead partner: {lead.name}, {socialproj.country_name(lead.country)}\n"
        + "".join(f"Partners: {o.name}, {socialproj.country_name(o.country)}\n" for o in others[:1])
        + "Description: Creation of a cross-border network of social services.\n"
    )


def _news(rng: random.Random, p: Project, n: int) -> str:
    total = p.funding.total.amount
    start = p.period.start.earliest()
    town = rng.choice(("Белица", "Ловеч", "Сливен", "Тутракан"))
    return (
        f"Община {town} стартира проект „{p.title.best('bg', 'en')}“\n\n"
        f"Община {town} стартира изпълнението на проект „{p.title.best('bg', 'en')}“, "
        "финансиран по Оперативна програма „Развитие на човешките ресурси“ 2014-2020. "
        f"Общата стойност на проекта е {_amount_bg(total)} лв. Проектът е с продължителност "
        f"{p.period.duration.months} месеца, считано от {start:%d.%m.%Y} г. "
        "В дейностите ще бъдат включени 120 потребители над 65 години.\n"
    )
