"""What the three layout importers share: a record under construction, and text helpers.

Everything here is plain string code over single lines; the few regular expressions have
no nested repetition, so no input can make them backtrack.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any, Final

from socialproj import (
    Duration,
    Finding,
    Funding,
    Identifier,
    Location,
    Money,
    PartialDate,
    Partner,
    Period,
    Programme,
    Project,
    Role,
    Severity,
    Share,
    ShareSource,
    Source,
    Texts,
    country_code,
    guess_scheme,
)

#: Quotation marks, opening and closing, as documents type them.
QUOTES: Final = "\"'„“”«»‘’‚`"
OPENING: Final = '"„“«‘‚'
CLOSING: Final = "\"”“»’'"
DASHES: Final = "-–—‒−"
BULLETS: Final = "•●▪◦·-–—*v»>"

_SPACE = re.compile(r"[ \t\u00a0\u202f\u2009]+")


def squash(text: str) -> str:
    """Collapse runs of spaces (no-break ones too) and strip the ends."""
    return _SPACE.sub(" ", text).strip()


def is_markup(text: str) -> bool:
    """Whether ``text`` is markup (a web page, XML), not the plain text layouts are read from."""
    return text.lstrip("\ufeff \t\r\n").startswith("<")


def lines_of(text: str) -> list[str]:
    """The text's lines, squashed, empty ones kept (blank lines separate blocks)."""
    return [squash(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def strip_quotes(text: str) -> str:
    """Drop quotation marks around (or dangling at either end of) a title or name."""
    text = text.strip().strip(",;").strip()
    while text and text[0] in QUOTES and (text.count(text[0]) == 1 or text[-1] in QUOTES):
        text = text[1:].strip()
    while text and text[-1] in CLOSING and not _balanced_inside(text):
        text = text[:-1].strip()
    return text.strip(" ,;")


def _balanced_inside(text: str) -> bool:
    """Whether a closing quote at the end closes a quote opened inside the text."""
    last = text[-1]
    body = text[:-1]
    openers = {"”": "„“", "“": "„", "»": "«", "’": "‘‚", '"': '"', "'": "'"}.get(last, "")
    return any(ch in body for ch in openers)


def strip_bullet(line: str) -> str:
    """Drop a list bullet and the spaces after it."""
    stripped = line.lstrip()
    if stripped[:2] in ("v ", "- ", "– ", "* ", "• ", "● ") or stripped[:1] in "•●▪◦·":
        return stripped[1:].strip()
    return stripped


# -- codes ---------------------------------------------------------------------------------

# e-MS codes of the RO-BG programmes: ROBG-150, ROBG 150, ROBG – 150, RO-BG 150, ROBG00005, eMS 256
EMS_CODE: Final = re.compile(
    r"(?<![A-Za-z0-9])(?:R\s?O\s?[-–]?\s?B\s?G\s?[-–]?\s?\d{1,5}|eMS\s?(?:no\.?|№)?\s?\d{1,5})(?![0-9])",
    re.IGNORECASE,
)
# Bulgarian contract numbers (ISUN/UMIS), Cyrillic look-alikes allowed: the letters С/Р/О
_C = "[CСcс]"
ISUN_CODE: Final = re.compile(
    r"(?<![A-Za-z0-9А-Яа-я])B\s?G\s?\d{2,3}[A-ZА-Я0-9]{2,6}\d{3}-\d{1,2}\.\d{1,3}(?:\.\d{2})?"
    rf"-\d{{4}}(?:-{_C}\d{{1,4}})?(?![0-9])"
)
IPA_CODE: Final = re.compile(
    r"(?<![A-Za-z0-9])(?:CB\d{3}\.\d{1,2}\.\d{1,2}\.\d{3}|\d{4}CB\d{2}IPO\d{3}-\d{4}-\d-\d{1,4})(?![0-9])"
)
PROGRAMME_CODE: Final = re.compile(r"(?<![\d.])\d{1,2}\.\d\.\d\.\d{3}(?![\d.])")
CCI_CODE: Final = re.compile(
    r"(?<![A-Z0-9])(?:19|20)\d{2}[A-Z]{2}\d{2}[A-Z0-9]{2,5}\d{3}(?![A-Z0-9-])"
)


def find_codes(text: str) -> list[tuple[int, int, str]]:
    """Project codes in a line: ``(start, end, code as written)``, in order."""
    found: list[tuple[int, int, str]] = []
    for pattern in (ISUN_CODE, IPA_CODE, EMS_CODE, PROGRAMME_CODE):
        for match in pattern.finditer(text):
            if not any(s <= match.start() < e for s, e, _ in found):
                found.append((match.start(), match.end(), match.group().strip()))
    return sorted(found)


def identifier(code: str) -> Identifier:
    """An identifier for a code as written, its scheme told from its shape."""
    return Identifier(guess_scheme(code), code)


# -- partners and places -------------------------------------------------------------------

_TRAILING_AMOUNT: Final = re.compile(
    r"\s*[-–—]\s*(\d[\d.,\s\u00a0]{0,30}\d\s*(?:euro|eur|€|лв\.?|lei|ron))\s*\.?$", re.IGNORECASE
)


def split_partner(value: str) -> tuple[str, str | None, str | None, str | None]:
    """A partner line's value as ``(name, country code, city, amount text)``.

    Reads ``Name (Romania)``, ``Name(Romania)``, ``Name, Romania``, ``Name - 420,897.40
    euro`` and names with the country glued to them (``…MinoritySerbia, Pirot``). A
    country written only inside the name is not taken out of it.
    """
    text = value.strip().rstrip(";")
    amount = None
    match = _TRAILING_AMOUNT.search(text)
    if match:
        amount = match.group(1)
        text = text[: match.start()].strip()
    city = None
    country = None
    if text.endswith(")") and "(" in text:
        head, _, inside = text[:-1].rpartition("(")
        code = country_code(inside.strip())
        if code:
            return squash(head).rstrip(" ,–-"), code, None, amount
    if "," in text:
        head, _, tail = text.rpartition(",")
        code = country_code(tail.strip())
        if code and len(tail.strip()) > 1:
            name, glued, _ = split_glued_country(head.strip())
            # "Association “Open Hearts”, Bitola, North Macedonia": a town before the country
            before, comma, town = name.rpartition(",")
            words = town.split()
            if (
                comma
                and before.strip()
                and 0 < len(words) <= 2
                and all(w[:1].isupper() for w in words)
            ):
                return before.strip(), code, town.strip(), amount
            return name, code, None, amount
        name, glued, _ = split_glued_country(head.strip())
        if not glued:
            # "Община Елхово България, Елхово": the country after a space, then the town
            name, glued = _spaced_country(head.strip())
        if glued:
            return name, glued, tail.strip() or None, amount
    name, glued, _ = split_glued_country(text)
    if glued:
        return name, glued, city, amount
    return squash(text), country, city, amount


def split_glued_country(text: str) -> tuple[str, str | None, str]:
    """``"…MinoritySerbia"`` → ``("…Minority", "RS", "Serbia")``: a country glued to a name."""
    for size in range(min(len(text) - 1, 40), 3, -1):
        suffix = text[-size:]
        before = text[-size - 1]
        if not suffix[0].isupper() or not (before.islower() or before in QUOTES):
            continue
        code = country_code(suffix, codes=False)
        if code:
            return text[:-size].strip(), code, suffix
    return text, None, ""


# words after which a country belongs to the name ("Red Cross of Bulgaria")
_OF_WORDS: Final = frozenset(("of", "in", "the", "for", "на", "в", "във", "за", "de", "din", "și"))


def _spaced_country(text: str) -> tuple[str, str | None]:
    """``"Municipality of Bosilegrad Serbia"`` → ``("Municipality of Bosilegrad", "RS")``."""
    words = text.split()
    for size in (3, 2, 1):
        if len(words) <= size + 1:
            continue
        suffix = " ".join(words[-size:])
        if not suffix[:1].isupper() or words[-size - 1].casefold() in _OF_WORDS:
            continue
        code = country_code(suffix, codes=False)
        if code:
            return " ".join(words[:-size]), code
    return text, None


_IN_COUNTRY: Final = re.compile(r"(?:\s|(?<=[a-zăâîșțşţ]))in\s?([A-Z][a-zA-Zăâîșț]+)\s*\.?$")
_DASH_COUNTRY: Final = re.compile(r"\s[-–—]\s?([A-Za-z]{2,})\s*,?$")


def _split_outside_parens(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _own_country(part: str) -> tuple[str, str | None]:
    """A place and the country written right after it, if any."""
    match = _IN_COUNTRY.search(part)
    if match and country_code(match.group(1)):
        return part[: match.start()].strip(), country_code(match.group(1))
    if part.endswith(")") and "(" in part:
        head, _, inside = part[:-1].rpartition("(")
        code = country_code(inside)
        if code:
            return head.strip(), code
    dash = _DASH_COUNTRY.search(part)
    if dash and country_code(dash.group(1)):
        return part[: dash.start()].strip(), country_code(dash.group(1))
    return part, None


def split_places(line: str) -> list[tuple[str, str | None]]:
    """Places in a list line, each with the country the line gives (if any).

    ``Vidin, Veliko Tarnovo in Bulgaria``, ``Silistra (Bulgaria)``, ``Sofia, Veliko
    Tarnovo – Bg,``, ``Mehedinti, Dolj, Constanta, Romania``, ``Turnu Măgurelein Romania``,
    ``Ruse District (Bulgaria), Giurgiu County (Romania)``. A country written after the
    last place only applies to every place on the line.
    """
    text = strip_bullet(line).strip().rstrip(",;.")
    parts = [squash(p) for p in _split_outside_parens(text)]
    parts = [p.strip(" .;") for p in parts if p.strip(" .;")]
    read = [_own_country(p) for p in parts]
    line_country = None
    if read and read[-1][1] and not any(code for _, code in read[:-1]):
        line_country = read[-1][1]
    places: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for name, code in read:
        if not name:
            continue
        as_country = country_code(name, codes=False)
        if as_country and len(read) > 1:
            line_country = line_country or as_country
            continue
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        places.append((name, code))
    return [(name, code or line_country) for name, code in places]


_DURATION: Final = re.compile(
    r"(\d{1,3})\s?(?:months?|luni|месеца|месец|мес\.?|years?|години|година|ani)"
    r"(?:\s?(?:and|,|и|și|si)?\s?(\d{1,3})\s?(?:days?|zile|дни|дена))?",
    re.IGNORECASE,
)


def find_duration(text: str) -> tuple[Duration, str] | None:
    """The first "N months [and M days]" in a text, and the words it was read from."""
    match = _DURATION.search(text)
    if match is None:
        return None
    try:
        return Duration.parse(match.group()), match.group()
    except ValueError:
        return None


# -- the record under construction ---------------------------------------------------------


class Draft:
    """A record being read from a text: fields with their raw text, and findings."""

    def __init__(self, fmt: str, file: str | None, language: str) -> None:
        self.format = fmt
        self.file = file
        self.language = language
        self.fields: dict[str, str] = {}
        self.findings: list[Finding] = []
        self.title: str | None = None
        self.codes: list[str] = []
        self.programme: str | None = None
        self.cci: str | None = None
        self.total: Money | None = None
        self.shares: list[Share] = []
        self.partners: list[Partner] = []
        self.start: PartialDate | None = None
        self.end: PartialDate | None = None
        self.duration: Duration | None = None
        #: period fields worked out rather than read (a relative date and its reference)
        self.derived_period: set[str] = set()
        self.places: list[Location] = []
        self.summary: str | None = None
        self.results: list[str] = []
        self.status: str | None = None
        self.extras: dict[str, Any] = {}

    def raw(self, field: str, text: str) -> None:
        """Keep the text a field was read from."""
        text = text.strip().rstrip(",;").strip()
        if text and field not in self.fields:
            self.fields[field] = text

    def note(
        self,
        code: str,
        path: str,
        message: str,
        severity: Severity = Severity.WARNING,
        **data: object,
    ) -> None:
        """Record something odd found while reading."""
        self.findings.append(
            Finding(code, severity, path, message, {k: str(v) for k, v in data.items()})
        )

    def add_code(self, code: str) -> None:
        """A project code, once (compared as codes are)."""
        key = identifier(code)
        if all(identifier(c) != key for c in self.codes):
            self.codes.append(code)

    def add_place(self, name: str, country: str | None = None) -> None:
        """A place, once."""
        name = name.strip(" ,.;:")
        if name and all(
            p.name is None or p.name.casefold() != name.casefold() for p in self.places
        ):
            self.places.append(Location(name, country))

    def add_partner(self, partner: Partner) -> None:
        """A partner, once by name."""
        if all(p.name.casefold() != partner.name.casefold() for p in self.partners):
            self.partners.append(partner)

    @property
    def empty(self) -> bool:
        """Whether nothing a record holds was found."""
        return not (
            self.title
            or self.codes
            or self.total
            or self.shares
            or self.partners
            or self.start
            or self.end
            or self.duration
        )

    def project(self) -> Project:
        """The record, with its source and findings."""
        funding = Funding(self.total, self.shares) if self.total or self.shares else None
        programme = None
        if self.programme or self.cci:
            programme = Programme(
                {self.language: self.programme} if self.programme else {}, self.cci
            )
        return Project(
            title=Texts({self.language: self.title} if self.title else {}),
            identifiers=[identifier(code) for code in self.codes],
            programme=programme,
            funding=funding,
            period=Period(self.start, self.end, self.duration, frozenset(self.derived_period)),
            partners=sorted(self.partners, key=lambda p: p.role is not Role.LEAD),
            locations=self.places,
            status=self.status,
            summary=Texts({self.language: self.summary} if self.summary else {}),
            results=self.results,
            source=Source(self.format, self.file, 1, None, self.fields, self.findings),
            extras=self.extras,
        )


def eu_share(amount: Money | None, fund: str | None, rate: Any = None) -> Share:
    """The EU share."""
    return Share(ShareSource.EU, fund, amount, rate)


def role_of(text: str) -> Role:
    """The role a label states (re-exported for the importers)."""
    from socialproj import parse_role

    return parse_role(text)


def first(items: Iterable[Any]) -> Any:
    """The first item, or ``None``."""
    return next(iter(items), None)


# -- labelled lines ------------------------------------------------------------------------


class Labelled:
    """A ``Label: value`` line: the field it names, the label as written, and its value.

    ``lines`` holds the value's lines: the rest of the label's line, or, when that is
    empty, the lines after it up to the next label.
    """

    __slots__ = ("field", "index", "label", "lines")

    def __init__(self, index: int, field: str, label: str, lines: list[str]) -> None:
        self.index = index
        self.field = field
        self.label = label
        self.lines = lines

    @property
    def value(self) -> str:
        """The first line of the value."""
        return self.lines[0] if self.lines else ""


def fold_label(text: str) -> str:
    """A line folded for label matching."""
    return text.casefold().replace("’", "'").replace("\t", " ").strip()


_LABEL_INDEXES: dict[int, dict[str, list[str]]] = {}


@cache
def label_table(layout: str) -> dict[str, str]:
    """A layout's labels, every language's, from ``labels/<layout>.toml``: label → field.

    Adding a language's labels is adding its table to the file.
    """
    text = resources.files(__package__).joinpath("labels", f"{layout}.toml").read_text("utf-8")
    table: dict[str, str] = {}
    for items in tomllib.loads(text).values():
        for label, field in items.items():
            table.setdefault(str(label), str(field))
    return table


def _index_labels(labels: dict[str, str]) -> dict[str, list[str]]:
    """Labels by their first word, longest first (built once per label table)."""
    key = id(labels)
    index = _LABEL_INDEXES.get(key)
    if index is None:
        index = {}
        for label in sorted(labels, key=len, reverse=True):
            index.setdefault(label.split(None, 1)[0].rstrip(":"), []).append(label)
        _LABEL_INDEXES[key] = index
    return index


def _starts_a_value(text: str) -> bool:
    """Whether a label's text goes on into a value, not into the rest of a heading.

    ("Lead partner Municipality of X" is a value; "Beneficiaries of the Project" a heading.)
    """
    return bool(text) and (text[0].isupper() or text[0].isdigit() or text[0] in '„“"«(')


ValueCheck = Callable[[str, str], bool]
"""Whether a text reads as a value of a field: ``check(field, text)``."""


def read_labels(
    lines: list[str],
    labels: dict[str, str],
    *,
    bare: frozenset[str] = frozenset(),
    typed: ValueCheck | None = None,
    lists: frozenset[str] = frozenset(),
) -> list[Labelled]:
    """Every labelled line, with its value; ``labels`` maps a folded label to a field.

    A label must be followed by ``:`` (or a dash), or end its line; labels whose field is
    in ``bare`` may also be followed by their value after a space (``CCI Number 2007…``),
    and so may any label whose value ``typed(field, value)`` accepts as that field's kind
    of value (``Start Date Oct 10, 2017``, ``ERDF Contribution 956.564,93 €``: a date, an
    amount) — a label without a colon is only believed when its value says so. A label
    of a field in ``lists`` whose value starts on its own line keeps the lines below it
    up to the next label, while they read as entries (short, not sentences).
    """
    by_word = _index_labels(labels)
    found: list[tuple[int, str, str, str]] = []
    for index, line in enumerate(lines):
        folded = fold_label(strip_bullet(line) if line[:1] in "•●▪" else line)
        if not folded:
            continue
        first_word = folded.split(None, 1)[0].rstrip(":")
        for label in by_word.get(first_word, ()):
            if not folded.startswith(label):
                continue
            rest = folded[len(label) :]
            field = labels[label]
            if rest.lstrip().startswith("("):  # "Total budget (in €)", "Budget (EUR): 100"
                close = rest.find(")")
                after = rest[close + 1 :] if close >= 0 else ""
                if close >= 0 and (not after.strip() or after.lstrip().startswith(":")):
                    rest = after
            original = strip_bullet(line) if line[:1] in "•●▪" else line.strip()
            value = original[len(original) - len(rest) :].lstrip(" :–-\t").strip()
            if rest[:1] == " " and rest.endswith(":") and len(rest.split()) <= 4:
                # "Partners in the project:": the label's own words go on; the value is below
                found.append((index, field, line.strip(), ""))
                break
            bare_value = rest[:1] == " " and (
                (field in bare and _starts_a_value(value))
                or (typed is not None and bool(value) and typed(field, value))
            )
            if rest and rest[0] not in ":–-" and not bare_value and not rest.startswith(" :"):
                continue
            label_text = original[: len(original) - len(rest)]
            found.append((index, field, label_text, value))
            break
    result: list[Labelled] = []
    starts = [item[0] for item in found] + [len(lines)]
    for number, (index, field, label_text, value) in enumerate(found):
        following = [line for line in lines[index + 1 : starts[number + 1]] if line]
        if value:
            entries = [value]
            if field in lists:
                for line in following:
                    if len(line) > 200 or line.rstrip().endswith((".", ":")):
                        break
                    entries.append(line)
            result.append(Labelled(index, field, label_text, entries))
            continue
        result.append(Labelled(index, field, label_text, following))
    return result
