"""Reading the spreadsheets people already have, through a column mapping.

A mapping names, for some of a file's columns, where their values go::

    {"Обща стойност": "funding.total", "Европейско финансиране": "funding.eu",
     "Начало": "period.start", "Бенефициент": "lead.name",
     "Продължителност (месеци)": "period.duration"}

Targets (``N`` is a 1-based list position; ``[]`` splits a cell on the ``split`` option
into one list item per part):

{targets}

Columns the mapping does not name are kept in ``extras`` under their header. Cells
holding a placeholder (``-``, ``N/A``, ``заличен`` …) are read as "not stated" and
noted in the record's findings. Every record keeps the raw text of each mapped cell in
``source.fields``.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from .amounts import NumberStyle, parse_amount, parse_money
from .canonical import Kind, fields_of
from .codes import normalize_fund
from .countries import country_code
from .currencies import is_currency
from .dates import parse_date
from .errors import AmbiguousAmount
from .findings import Finding, Severity
from .jsonmapping import Cell
from .jsonvalues import dumps_json, json_problem
from .model import (
    Funding,
    Identifier,
    Location,
    Partner,
    Programme,
    Project,
    Role,
    Share,
    ShareSource,
    Source,
    normalize_rate,
    parse_role,
)
from .money import Money, decimal_text
from .periods import Duration, Period
from .plugins.descriptors import Option
from .texts import Texts
from .vocabulary import fold, total_words


class ColumnError(ValueError):
    """A cell that cannot be read: which column, what it holds, what was expected."""

    def __init__(self, column: str, value: str, expected: str, reason: str = "") -> None:
        self.column = column
        self.value = value
        self.expected = expected
        self.reason = reason
        super().__init__(reason or f"cannot read {value!r} in {column}")


def extras_names(header: list[str]) -> list[str]:
    """The extras key of each column: its name, or ``column N`` for an empty one.

    A name taken by a column before it is followed by the column's number, ``(N)``.
    """
    names: list[str] = []
    seen: set[str] = set()
    for index, name in enumerate(header):
        name = name.strip() or f"column {index + 1}"
        while name in seen:
            name = f"{name} ({index + 1})"
        seen.add(name)
        names.append(name)
    return names


#: The targets a mapping's columns go to, with what each holds (the module's table, and
#: what ``socialproj formats csv`` lists). ``N`` is a list position from 1; ``[]`` splits
#: a cell on the ``split`` option into one item per part.
MAPPING_TARGETS: Final = (
    ("title, title.LANG", "the title (the language option for the plain form)"),
    ("summary, summary.LANG", "the summary (every field in languages is a target so)"),
    ("status", "the status as written (every text field of a project is a target by its name)"),
    ("identifier, identifiers[]", "project codes; the scheme is guessed from their shape"),
    ("identifiers.N.value, .scheme", "a project code and its scheme"),
    ("programme.name, .cci, .period", "the programme"),
    ("programme.funds[]", "the programme's funds (FEDR, ESF+ …)"),
    ("funding.total", "an amount with or without currency (198 660,00 лв.)"),
    ("funding.total.amount, .currency", "a bare number and its currency code"),
    ("funding.SOURCE", "a share's amount; SOURCE is eu, national, regional, own, private or other"),
    ("funding.SOURCE.rate, .fund", "its rate (85, 85,00 %) and fund (FEDR)"),
    ("period.start, period.end", "dates (28.09.2016, 2016-09-28, юли 2018)"),
    ("period.duration", "18 месеца, 48 months and 22 days, or a number of months"),
    ("lead.name, .country, .city, .budget", "the lead partner"),
    ("partners.N.FIELD, partners[].FIELD", "partners: name, role, country, city, budget"),
    ("locations.N.FIELD, locations[].FIELD", "places: name, country, nuts"),
    ("results[], results.N", "result lines"),
    ("extras.KEY", "kept under a name of your choice"),
    ("-", "the column left out"),
)


def _rst_table(rows: tuple[tuple[str, str], ...]) -> str:
    """``rows`` as a simple reStructuredText table, each target in literal quotes."""
    cells = [
        (", ".join(f"``{t.strip()}``" for t in target.split(",")), text) for target, text in rows
    ]
    width = max(len(target) for target, _ in cells) + 2
    rule = "=" * (width - 2) + "  " + "=" * max(len(text) for _, text in cells)
    return "\n".join([rule, *(f"{target:<{width}}{text}" for target, text in cells), rule])


__doc__ = (__doc__ or "").replace("{targets}", _rst_table(MAPPING_TARGETS))

#: The project fields a column maps to by their name alone: text in languages, text as written.
_IN_LANGUAGES: Final = frozenset(f.name for f in fields_of(Project) if f.kind is Kind.TEXTS)
_AS_WRITTEN: Final = frozenset(f.name for f in fields_of(Project) if f.kind is Kind.TEXT)

__all__ = [
    "MAPPING_OPTIONS",
    "MAPPING_TARGETS",
    "PRESETS",
    "ColumnError",
    "ColumnMapping",
    "MappedBuilder",
    "Preset",
    "extras_names",
    "load_mapping",
    "total_row",
]

#: Ready-made mappings for exports people commonly have.
PRESETS: Final[dict[str, dict[str, str]]] = {
    # Kohesio's list of operations (2014-2020), see DOMAIN.md; multi-values joined by "|"
    "kohesio": {
        "Operation_Unique_Identifier": "identifiers[]",
        "Operation_Name_English": "title.en",
        "Operation_Name_Programme_Language": "title",
        "Operation_Start_Date": "period.start",
        "Operation_End_Date": "period.end",
        "Total_Eligible_Expenditure_amount": "funding.total",
        "Project_EU_Budget": "funding.eu",
        "Cofinancing_Rate": "funding.eu.rate",
        "Fund_Code": "funding.eu.fund",
        "Beneficiary_Name": "partners[].name",
        "Beneficiary_Country": "partners[].country",
        "NUTS3_Code": "locations[].nuts",
        "Programme_Code": "programme.cci",
    },
    # ISUN 2020 / UMIS exports of Bulgarian EU-funds projects
    "isun": {
        "Номер на проект": "identifier",
        "Номер на договор": "identifier",
        "Наименование на проекта": "title.bg",
        "Наименование": "title.bg",
        "Програма": "programme.name",
        "Оперативна програма": "programme.name",
        "Бенефициент": "lead.name",
        "Обща стойност": "funding.total",
        "Собствено съфинансиране от бенефициента": "funding.own",
        "Продължителност (месеци)": "period.duration",
        "Начална дата": "period.start",
        "Дата на приключване": "period.end",
        "Статус": "status",
        "Място на изпълнение": "locations[].name",
    },
}

#: Cell texts that mean "no data here".
PLACEHOLDERS: Final = frozenset(
    (
        "-",
        "--",
        "---",
        "—",
        "–",
        "n/a",
        "n.a.",
        "na",
        "none",
        "null",
        "nil",
        "?",
        "н/д",
        "нд",
        "няма",
        "заличен",
        "заличена",
        "заличено",
        "---",
        "…",
        "...",
    )
)

_SOURCES: Final = {s.value: s for s in ShareSource}
_PARTNER_FIELDS: Final = ("name", "role", "country", "city", "budget")
_LOCATION_FIELDS: Final = ("name", "country", "nuts")


class Preset(dict[str, str]):
    """A ready-made mapping; a file need hold only some of its columns (at least one).

    A preset names every column the exports it is made for may have, under each of
    their spellings, so no single file holds them all.
    """

    def __init__(self, name: str, pairs: Mapping[str, str]) -> None:
        super().__init__(pairs)
        self.name = name


class ColumnMapping(dict[str, str]):
    """A mapping of columns to targets, with the values a whole file shares.

    ``constants`` maps targets to one value for every row (``"programme.cci" =
    "2014TC16RFCB014"``, ``"funding.eu.fund" = "ERDF"``): what a list does not repeat on
    each row because it is true of all of them. ``currency`` there is the currency of
    amounts that state none, as the ``currency`` option is (which wins when given).
    """

    def __init__(self, pairs: Mapping[str, str], constants: Mapping[str, str]) -> None:
        super().__init__(pairs)
        self.constants = dict(constants)


def load_mapping(value: object) -> dict[str, str]:
    """A mapping from a dict, a preset name, a JSON or TOML file, or ``"col=target;…"``.

    Every target is checked here, so that a wrong one is reported before reading starts.
    A file may add ``constants`` (a TOML ``[constants]`` table, or a JSON object
    ``{"mapping": {…}, "constants": {…}}``): see :class:`ColumnMapping`.
    """
    pairs = _load_pairs(value)
    for column, target in pairs.items():
        if target != "-":
            _Target(column, target)
    for target, constant in getattr(pairs, "constants", {}).items():
        if target == "currency":
            _constant_currency(constant)
        else:
            _Target(f"[constants] {target}", target)
    return pairs


def _load_pairs(value: object) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(value, os.PathLike):  # a pathlib.Path to a mapping file
        value = os.fspath(value)
    if not isinstance(value, str):
        raise ValueError(
            f"a mapping is a dict, a preset, a file or 'column=target;…', not {value!r}"
        )
    if value in PRESETS:
        return Preset(value, PRESETS[value])
    path = Path(value)
    if path.suffix.lower() in (".json", ".toml") and path.is_file():
        text = path.read_text(encoding="utf-8")
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{value} is not valid JSON: {json_problem(exc)}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{value} is not valid TOML: {exc}") from None
        constants: object = {}
        if isinstance(data, dict) and ("mapping" in data or path.suffix.lower() == ".toml"):
            constants = data.get("constants", {})
            data = data.get("mapping", data if path.suffix.lower() == ".json" else {})
        if not isinstance(data, dict):
            raise ValueError(f"{value}: the mapping file must hold an object of column: target")
        if not isinstance(constants, dict):
            raise ValueError(f"{value}: its constants must be a table of target = value")
        return ColumnMapping(
            {str(k): str(v) for k, v in data.items()},
            {str(k): str(v) for k, v in constants.items()},
        )
    pairs = {}
    for part in value.split(";"):
        if not part.strip():
            continue
        column, sep, target = part.rpartition("=")
        if not sep or not column.strip():
            raise ValueError(
                f"{part!r} is not column=target (or use a preset: {', '.join(PRESETS)}, "
                f"or a .json/.toml file)"
            )
        pairs[column.strip()] = target.strip()
    return pairs


_ESCAPES: Final = {"\\n": "\n", "\\t": "\t", "\\r": "\r", "\\\\": "\\"}


def _separator(value: object) -> str:
    r"""The ``split`` option: its text, with ``\n``, ``\t``, ``\r`` and ``\\`` read.

    >>> _separator(r"\n"), _separator(" / "), _separator(r"\\n")
    ('\n', ' / ', '\\n')
    """
    text = str(value)
    if not text:
        raise ValueError("the separator is empty: give the text that parts a cell's items")
    return re.sub(r"\\[ntr\\]", lambda m: _ESCAPES[m.group()], text)


def _decimal(value: object) -> str | None:
    if value is None or value == "" or value == "auto":
        return None
    if value not in (".", ","):
        raise ValueError(f"the decimal mark is '.' or ',', not {value!r}")
    return str(value)


def _currency(value: object) -> str | None:
    if value is None or value == "":
        return None
    code = str(value).strip().upper()
    if not is_currency(code):
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return code


def _order(value: object) -> str:
    text = str(value).upper()
    if text not in ("DMY", "MDY", "YMD"):
        raise ValueError("dates is DMY, MDY or YMD")
    return text


#: The reading options of every format that reads through a mapping (csv, xlsx, ods,
#: html, json, jsonl): how its amounts, dates and lists are written, and what to do with
#: a cell that cannot be read.
MAPPING_OPTIONS: Final = (
    Option(
        "decimal",
        "decimal mark of amounts: '.' or ',' (default: learned from the values)",
        _decimal,
        applies="read",
    ),
    Option("currency", "currency of amounts that state none (ISO code)", _currency, applies="read"),
    Option(
        "dates",
        "order of numeric dates such as 03/12/2020: DMY, MDY or YMD",
        _order,
        "DMY",
        applies="read",
    ),
    Option(
        "mapping",
        "where columns (or a JSON record's paths) go: a preset (kohesio, isun), a .json/.toml "
        "file, or 'column=target;…'",
        load_mapping,
        applies="read",
    ),
    Option(
        "language",
        "language code of mapped titles and summaries",
        str,
        "und",
        applies="read",
    ),
    Option(
        "split",
        "separator inside cells mapped to lists such as partners[].name: any text, with "
        "\\n for a line break and \\t for a tab",
        _separator,
        "|",
        applies="read",
    ),
    Option(
        "bad_cells",
        "a mapped cell that cannot be read: 'keep' its record, the field left empty and "
        "the cell in its findings (import.cell.unreadable), or 'drop' the row, reported",
        str,
        "keep",
        ("keep", "drop"),
        applies="read",
    ),
)


def _constant_currency(value: str) -> str:
    code = value.strip().upper()
    if not is_currency(code):
        raise ValueError(f"[constants] currency: {value!r} is not an ISO 4217 currency code")
    return code


def _fold(header: str) -> str:
    return " ".join(header.split()).casefold()


def total_row(cells: list[str]) -> str | None:
    """The first cell of a list's total or subtotal row (``Общо``, ``TOTAL:``), else ``None``.

    The cell is a total word of one of the vocabulary's languages, alone or before a colon;
    or, written in capitals, the start of a short label (``TOTAL PROGRAMME``).

        >>> total_row(["", "Ukupno:", "", "1.000,00"]), total_row(["Total care", "x"])
        ('Ukupno:', None)
    """
    first = next((cell.strip() for cell in cells if cell.strip()), "")
    if not first or len(first) > 60:
        return None
    words = total_words()
    folded = fold(first).rstrip(":*").strip()
    if folded in words or (fold(first.split(":")[0]) in words and ":" in first):
        return first
    if first.isupper() and any(folded.startswith(f"{word} ") for word in words):
        return first
    return None


class _Target:
    """One mapped column: where it goes and how its text is read."""

    __slots__ = ("column", "field", "group", "index", "key", "split", "target")

    def __init__(self, column: str, target: str) -> None:
        self.column = column
        self.target = target
        self.split = "[]" in target
        text = target.replace("[]", "")
        parts = text.split(".")
        head = parts[0]
        self.group = head
        self.index: int | None = None
        self.key = ""
        self.field = ""
        if head in _IN_LANGUAGES:
            self.key = ".".join(parts[1:])
            return
        if head == "extras" and len(parts) > 1:
            self.key = target[len("extras.") :]
            return
        if (head in _AS_WRITTEN or head == "identifier") and len(parts) == 1:
            return
        if head == "identifiers":
            if self.split and len(parts) in (1, 2):
                self.field = parts[1] if len(parts) == 2 else "value"
                return
            if len(parts) == 3 and parts[2] in ("value", "scheme"):
                self.index, self.field = _position(parts[1], target), parts[2]
                return
        if (
            head == "programme"
            and len(parts) == 2
            and parts[1] in ("name", "cci", "period", "funds")
        ):
            self.field = parts[1]
            return
        if head == "programme" and len(parts) == 3 and parts[1] == "name":
            self.field, self.key = "name", parts[2]
            return
        if head == "funding" and len(parts) in (2, 3):
            source = parts[1]
            if source == "total" and (len(parts) == 2 or parts[2] in ("amount", "currency")):
                self.key = "total"
                self.field = parts[2] if len(parts) == 3 else "money"
                return
            if source in _SOURCES and (
                len(parts) == 2 or parts[2] in ("amount", "currency", "rate", "fund")
            ):
                self.key = source
                self.field = parts[2] if len(parts) == 3 else "money"
                return
        if head == "period" and len(parts) in (2, 3):
            if len(parts) == 2 and parts[1] in ("start", "end", "duration"):
                self.field = parts[1]
                return
            if parts[1] == "duration" and parts[2] in ("months", "days"):
                self.field = f"duration.{parts[2]}"
                return
        if head == "lead" and len(parts) == 2 and parts[1] in _PARTNER_FIELDS:
            self.group, self.index, self.field = "partners", 0, parts[1]
            return
        if head in ("partners", "locations"):
            fields = _PARTNER_FIELDS if head == "partners" else _LOCATION_FIELDS
            if self.split and len(parts) == 2 and parts[1] in fields:
                self.field = parts[1]
                return
            if len(parts) == 3 and parts[2] in fields:
                self.index, self.field = _position(parts[1], target), parts[2]
                return
        if head == "results" and ((self.split and len(parts) == 1) or len(parts) == 2):
            self.index = _position(parts[1], target) if len(parts) == 2 else None
            return
        raise ValueError(
            f"column {column!r}: {target!r} is not a mapping target (see the csv format's "
            f"reference: title, funding.total, funding.eu, period.start, lead.name, "
            f"partners[].name, extras.KEY, - …)"
        )

    @property
    def path(self) -> str:
        """Where the column's value goes in the canonical form, as a finding's path."""
        if self.group == "programme":
            return f"$.programme.{self.field}"
        if self.group == "funding":
            return "$.funding.total" if self.key == "total" else "$.funding.shares"
        if self.group == "period":
            return f"$.period.{self.field.split('.')[0]}"
        if self.group == "identifier":
            return "$.identifiers"
        return f"$.{self.group}"


def _rate_reader(number: Decimal | None) -> Callable[[str], Decimal]:
    """How a rate cell is read: its text, or the JSON number it came from."""
    if number is None:
        return normalize_rate
    return lambda _text: normalize_rate(number)


def _source_key(fields: dict[str, str], target: _Target) -> str:
    """The key of a mapped cell's raw text in ``source.fields`` (its target, once)."""
    name = target.target
    return name if name not in fields else f"{name} <{target.column}>"


def _placeholder(target: _Target, text: str) -> Finding:
    return Finding(
        "import.placeholder",
        Severity.INFO,
        target.path,
        f"column {target.column!r} holds the placeholder {text!r}, read as not stated",
        {"column": target.column, "text": text},
    )


def _position(text: str, target: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{target!r}: list positions start at 1")
    return int(text)


def _expected_amounts(style: NumberStyle | None, *, stated: bool) -> tuple[str, str]:
    """What an amount cell and a bare number cell should hold, naming the option to use.

    ``style`` is the one stated (``stated``) or learned, which every cell must follow;
    ``None`` when none is settled.
    """
    examples = ("an amount such as 1 234,56 лв.", "a number such as 1 234,56")
    if style is None:
        said = "(-o decimal and -o currency say how they are written)"
        return f"{examples[0]} {said}", f"{examples[1]} {said}"
    mark, other = style.decimal, "," if style.decimal == "." else "."
    how = "as stated by -o decimal" if stated else "as the first rows write them"
    expected = (
        f"an amount with the decimal mark {mark!r}, {how}; -o decimal={other} if the file "
        f"writes {other!r}"
    )
    return expected, expected


class MappedBuilder:
    """Builds projects from rows of a user's spreadsheet, following a mapping."""

    def __init__(
        self,
        header: list[str],
        mapping: Mapping[str, str],
        *,
        style: NumberStyle | None,
        currency: str | None,
        date_order: str,
        language: str,
        split: str,
        file: str | None,
        format_name: str = "csv",
        bad_cells: str = "keep",
    ) -> None:
        folded = {_fold(k): v for k, v in mapping.items()}
        in_header = [_fold(h) for h in header]
        unknown = sorted(set(folded) - set(in_header))
        self.missing = [k for k in mapping if _fold(k) in unknown]
        twice = {name for name in in_header if name in folded and in_header.count(name) > 1}
        if twice:
            where = "; ".join(
                f"{name!r} in columns "
                + ", ".join(str(i + 1) for i, other in enumerate(in_header) if other == name)
                for name in sorted(twice)
            )
            raise ValueError(
                f"the header has a column the mapping names more than once ({where}): "
                "which one is meant? Rename one of them"
            )
        self.header = header
        self.targets: list[tuple[int, _Target]] = []
        self.extras: list[tuple[int, str]] = []
        keys = extras_names(header)
        for index, column in enumerate(header):
            target = folded.get(in_header[index])
            if target == "-":
                continue
            if target is None:
                self.extras.append((index, keys[index]))
            else:
                self.targets.append((index, _Target(column, target)))
        # a mapping's constants are read as cells after the row's own, in every row
        constants = dict(getattr(mapping, "constants", {}))
        stated_currency = constants.pop("currency", None)
        self.constants = list(constants.values())
        for number, target in enumerate(constants):
            self.targets.append((len(header) + number, _Target(f"[constants] {target}", target)))
        self.style = style
        #: whether every amount must be written in ``style`` (see :meth:`learn_style`)
        self.strict = False
        # what an unreadable amount cell is told it should hold (set with the style)
        self._expected = _expected_amounts(None, stated=False)
        self.currency = currency or (stated_currency and _constant_currency(stated_currency))
        self.date_order = date_order
        self.language = language
        self.split = split
        self.file = file
        self.format_name = format_name
        self.bad_cells = bad_cells
        # the findings of the row being built, and where the cell being read goes
        self._findings: list[Finding] | None = None
        self._where = "$"

    @classmethod
    def from_options(
        cls,
        header: list[str],
        mapping: Mapping[str, str],
        options: Mapping[str, Any],
        *,
        file: str | None,
        format_name: str,
    ) -> MappedBuilder:
        """A builder set up by a format's :data:`MAPPING_OPTIONS` (its style learned later)."""
        return cls(
            header,
            mapping,
            style=None,
            currency=options["currency"],
            date_order=options["dates"],
            language=options["language"],
            split=options["split"],
            bad_cells=options["bad_cells"],
            file=file,
            format_name=format_name,
        )

    def learn_style(
        self, decimal: str | None, texts: Sequence[str], default: NumberStyle | None = None
    ) -> None:
        """Settle how the amounts are written: by ``decimal``, ``texts`` or ``default``.

        ``decimal`` is the option's value; else the style is learned from ``texts`` (the
        first rows' amount cells); else it is ``default``.

        A style stated or learned holds in every cell (``strict``): an amount written with
        the other decimal mark is a finding, not read its own way. With contradicting
        evidence nothing is learned, and an amount whose lone separator could be either is
        reported.
        """
        if decimal is not None:
            self.style = NumberStyle.for_decimal(decimal)
        else:
            self.style = NumberStyle.learn_numbers(texts)
        self.strict = self.style is not None
        self._expected = _expected_amounts(self.style, stated=decimal is not None)
        if self.style is None:
            self.style = default

    def money_columns(self) -> list[int]:
        """The columns holding amounts (to learn their number style from)."""
        return [
            index
            for index, target in self.targets
            if (target.group == "funding" and target.field in ("money", "amount"))
            or target.field == "budget"
        ]

    # -- cells ------------------------------------------------------------------------

    def _read(self, column: str, text: str, parse: Callable[[str], Any], expected: str) -> Any:
        """``parse(text)``; a cell it cannot read is a finding on the record, left empty.

        With ``bad_cells="drop"`` (or before the first row) it raises :class:`ColumnError`
        instead, and the row is reported and left out.
        """
        try:
            return parse(text)
        except (ValueError, TypeError) as exc:
            reason = getattr(exc, "reason", str(exc))
            if isinstance(exc, AmbiguousAmount) and exc.readings and exc.mark:
                other = "," if exc.mark == "." else "."
                reason = (
                    f"{text!r} could be {exc.readings[0]} or {exc.readings[1]}: the lone "
                    f"{exc.mark!r} may group thousands or mark decimals"
                )
                expected = (
                    f"an amount whose decimal mark is known: -o decimal={exc.mark} "
                    f"or -o decimal={other} says which"
                )
            if self.bad_cells == "drop" or self._findings is None:
                raise ColumnError(column, text, expected, reason) from None
            self._findings.append(
                Finding(
                    "import.cell.unreadable",
                    Severity.ERROR,
                    self._where,
                    f"column {column!r}: {reason}; left empty (expected {expected})",
                    {"column": column, "text": text, "expected": expected},
                )
            )
            return None

    def _money(self, column: str, text: str | Decimal) -> Money:
        if isinstance(text, Decimal):  # a JSON number: exact as it is
            return Money(text, self.currency)
        return self._read(  # type: ignore[no-any-return]
            column,
            text,
            lambda t: parse_money(t, locale=self.style, currency=self.currency, strict=self.strict),
            self._expected[0],
        )

    def _duration(self, column: str, text: str) -> Duration:
        if text.strip().isdigit():
            return Duration(int(text.strip()))
        return self._read(column, text, Duration.parse, "a duration such as 18 месеца")  # type: ignore[no-any-return]

    def _typed(
        self, raw: Decimal | list[str | Decimal], target: _Target, findings: list[Finding]
    ) -> tuple[str, Decimal | None, list[Any]] | None:
        """A JSON field's cell: its text, its number, and its values (``None``: empty).

        Items of a list keep their places ("" for one that is empty or a placeholder), so
        that the lists of one group (partners' names and towns) stay aligned.
        """
        keep_numbers = target.field in ("money", "amount", "rate", "budget")
        if isinstance(raw, Decimal):
            text = decimal_text(raw)
            return text, raw, [raw if keep_numbers else text]
        values: list[Any] = []
        for item in raw:
            if isinstance(item, Decimal):
                values.append(item if keep_numbers else decimal_text(item))
                continue
            item = item.strip()
            if item.casefold() in PLACEHOLDERS:
                findings.append(_placeholder(target, item))
                item = ""
            values.append(item)
        if all(value == "" for value in values):
            return None
        if target.group not in ("partners", "locations", "extras"):
            values = [value for value in values if value != ""]
        text = dumps_json([v if isinstance(v, str) else decimal_text(v) for v in raw]).decode()
        return text, None, values

    # -- the record ----------------------------------------------------------------------

    def build(
        self,
        cells: Sequence[Cell],
        row: int,
        line: int,
        kept: Mapping[str, Any] | None = None,
    ) -> Project:
        """The project one row describes (with its raw cells in ``source.fields``).

        A cell is text, or, from a JSON record (:class:`~socialproj.jsonmapping.JSONPaths`),
        an exact number or a list of values. ``kept`` are fields of the record no column
        maps, for its ``extras``.
        """
        width = len(self.header)
        if self.constants:
            cells = [*cells[:width], *[""] * (width - len(cells)), *self.constants]
        in_languages: dict[str, dict[str, str]] = {name: {} for name in _IN_LANGUAGES}
        as_written: dict[str, str] = {}
        identifiers: list[Identifier] = []
        numbered_ids: dict[int, dict[str, str]] = {}
        programme: dict[str, Any] = {"name": {}, "funds": []}
        money: dict[str, dict[str, Any]] = {}
        period: dict[str, Any] = {}
        partners: dict[int, dict[str, Any]] = {}
        split_partners: dict[str, list[Any]] = {}
        locations: dict[int, dict[str, str]] = {}
        split_locations: dict[str, list[str]] = {}
        results: list[tuple[int, str]] = []
        listed_results: list[str] = []
        extras: dict[str, Any] = {}
        fields: dict[str, str] = {}
        findings: list[Finding] = []
        self._findings = findings  # where _read puts what it cannot read
        for index, target in self.targets:
            raw = cells[index] if index < len(cells) else ""
            path = target.column
            number: Decimal | None = None
            values: list[Any]
            if isinstance(raw, str):
                text = raw.strip()
                if not text:
                    continue
                if index < width:  # what the source says (not the mapping's constants)
                    key = target.target
                    fields[key if key not in fields else _source_key(fields, target)] = raw
                if text.casefold() in PLACEHOLDERS:
                    findings.append(_placeholder(target, text))
                    continue
                values = [v.strip() for v in text.split(self.split)] if target.split else [text]
                values = [v for v in values if v]
            else:  # a JSON record's field: an exact number, or a list of values
                typed = self._typed(raw, target, findings)
                if typed is None:
                    continue
                text, number, values = typed
                fields[_source_key(fields, target)] = text
            group, field = target.group, target.field
            self._where = target.path
            if group in _IN_LANGUAGES:
                in_languages[group][target.key or self.language] = text
            elif group in _AS_WRITTEN:
                as_written[group] = text
            elif group == "extras":
                extras[target.key] = raw
            elif group == "identifier" or (group == "identifiers" and target.split):
                identifiers.extend(Identifier.guess(v) for v in values)
            elif group == "identifiers":
                numbered_ids.setdefault(target.index or 1, {})[field] = text
            elif group == "programme":
                if field == "funds":
                    programme["funds"].extend(normalize_fund(v) or v for v in values)
                elif field == "name":
                    programme["name"][target.key or self.language] = text
                else:
                    programme[field] = text
            elif group == "funding":
                slot = money.setdefault(target.key, {})
                if field == "money":
                    slot["money"] = self._money(path, text if number is None else number)
                elif field == "amount":
                    slot["amount"] = number
                    if number is None:
                        slot["amount"] = self._read(
                            path,
                            text,
                            lambda t: parse_amount(t, style=self.style, strict=self.strict),
                            self._expected[1],
                        )
                elif field == "currency":
                    slot["currency"] = text.upper()
                elif field == "rate":
                    slot["rate"] = self._read(
                        path,
                        text,
                        _rate_reader(number),
                        "a rate such as 85 or 85,00 %",
                    )
                elif field == "fund":
                    slot["fund"] = normalize_fund(text) or text
            elif group == "period":
                if field in ("start", "end"):
                    period[field] = self._read(
                        path,
                        text,
                        lambda t: parse_date(t, order=self.date_order),  # type: ignore[arg-type]
                        "a date such as 28.09.2016",
                    )
                elif field == "duration":
                    period["duration"] = self._duration(path, text)
                else:
                    period[field] = self._read(path, text, int, "a whole number")
            elif group == "partners":
                if target.split:
                    split_partners[field] = values
                else:
                    partners.setdefault(target.index or 0, {})[field] = (
                        number if number is not None and field == "budget" else text
                    )
            elif group == "locations":
                if target.split:
                    split_locations[field] = values
                else:
                    locations.setdefault(target.index or 1, {})[field] = text
            elif group == "results":
                if target.split:
                    listed_results.extend(values)
                else:
                    results.append((target.index or 1, text))
        for index, name in self.extras:
            value = cells[index] if index < len(cells) else ""
            if not isinstance(value, str) or value.strip():
                extras[name] = value
        if kept:
            extras = {**kept, **extras}
        for _, spec in sorted(numbered_ids.items()):
            if spec.get("value"):
                identifiers.append(Identifier(spec.get("scheme") or None, spec["value"]))
        named: dict[str, Any] = {name: Texts(texts) for name, texts in in_languages.items()}
        named.update(as_written)
        return Project(
            identifiers=identifiers,
            programme=Programme(
                programme["name"],
                programme.get("cci"),
                programme.get("period"),
                programme["funds"],
            ),
            funding=self._funding(money),
            period=self._period(period),
            partners=self._partners(partners, split_partners, findings),
            locations=self._locations(locations, split_locations, findings),
            results=[text for _, text in sorted(results)] + listed_results,
            source=Source(self.format_name, self.file, line, row, fields, findings),
            extras=extras,
            **named,
        )

    def _funding(self, money: dict[str, dict[str, Any]]) -> Funding | None:
        total = None
        shares = []
        for key, slot in money.items():
            value = slot.get("money")
            if value is None and slot.get("amount") is not None:
                value = Money(slot["amount"], slot.get("currency") or self.currency)
            elif value is not None and slot.get("currency") and value.currency is None:
                value = Money(value.amount, slot["currency"], value.qualifier)
            if key == "total":
                total = value
            elif value is not None or slot.get("rate") is not None or slot.get("fund"):
                shares.append(Share(_SOURCES[key], slot.get("fund"), value, slot.get("rate")))
        return Funding(total, shares) if total is not None or shares else None

    def _period(self, period: dict[str, Any]) -> Period | None:
        period = {part: value for part, value in period.items() if value is not None}
        duration = period.get("duration")
        if duration is None and ("duration.months" in period or "duration.days" in period):
            duration = Duration(period.get("duration.months", 0), period.get("duration.days", 0))
        if not period:
            return None
        return Period(period.get("start"), period.get("end"), duration)

    def _partners(
        self,
        numbered: dict[int, dict[str, Any]],
        split: dict[str, list[Any]],
        findings: list[Finding],
    ) -> list[Partner]:
        rows = [numbered[k] for k in sorted(numbered)]
        if split:
            names = split.get("name", [])
            for field, items in split.items():
                if field != "name" and len(items) != len(names):
                    findings.append(
                        Finding(
                            "import.lists.misaligned",
                            Severity.ERROR,
                            "$.partners",
                            f"{len(names)} partner names but {len(items)} values for {field}: "
                            f"{field} left out (the raw cells are kept in source.fields)",
                            {"names": str(len(names)), field: str(len(items))},
                        )
                    )
            rows.extend(
                {f: split[f][i] for f in split if len(split[f]) == len(names) and split[f][i] != ""}
                | {"name": name}
                for i, name in enumerate(names)
            )
        partners: list[Partner] = []
        for position, values in enumerate(rows):
            if not str(values.get("name") or "").strip():
                said = ", ".join(f"{k} {v!r}" for k, v in values.items() if k != "name")
                findings.append(
                    Finding(
                        "import.partner.unnamed",
                        Severity.WARNING,
                        f"$.partners[{len(partners)}]",
                        f"a partner with no name ({said}) left out",
                        {k: str(v) for k, v in values.items() if k != "name"},
                    )
                )
                continue
            lead = position == 0 and 0 in numbered
            role_text = values.get("role")
            role = parse_role(role_text) if role_text else (Role.LEAD if lead else Role.PARTNER)
            country = values.get("country")
            code = country_code(country) if country else None
            self._where = f"$.partners[{len(partners)}].budget"
            stated = values.get("budget")
            budget = self._money("budget", stated) if stated not in (None, "") else None
            partners.append(
                Partner(
                    values.get("name", ""),
                    role,
                    code or country,
                    role_text,
                    budget,
                    values.get("city"),
                )
            )
        return partners

    def _locations(
        self,
        numbered: dict[int, dict[str, str]],
        split: dict[str, list[str]],
        findings: list[Finding],
    ) -> list[Location]:
        rows = [numbered[k] for k in sorted(numbered)]
        if split:
            longest = max(len(v) for v in split.values())
            for field, items in split.items():
                if len(items) != longest:
                    findings.append(
                        Finding(
                            "import.lists.misaligned",
                            Severity.ERROR,
                            "$.locations",
                            f"place lists of different lengths: {field} has {len(items)} "
                            f"of {longest}",
                            {field: str(len(items)), "longest": str(longest)},
                        )
                    )
            rows.extend(
                {f: v[i] for f, v in split.items() if i < len(v) and v[i] != ""}
                for i in range(longest)
            )
        places = []
        for values in rows:
            country = values.get("country")
            code = country_code(country) if country else None
            places.append(Location(values.get("name"), code or country, values.get("nuts")))
        return places
