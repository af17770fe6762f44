"""``cbc-fiche``: fiches of IPA and cross-border programmes (BG-MK, BG-TR, BG-RS, GR-MK, GR-BG).

A fiche is a list of ``Label: value`` lines — or ``Label:value``, or a label alone on a
line with its value below — with English or Bulgarian labels: ``Project code``,
``Project title``, ``Budget``, ``EU co-financing``, ``Start date``, ``Lead Partner``,
``Partners`` …; ``ID на проекта``, ``Име на проекта``, ``Бюджет``, ``Съ-финансиране от ЕС``,
``Начало на проекта`` … Partner entries may glue the country and town to the name
(``"Ravnovesie" AssociationБългария, Бургас``), and an end may be stated only in a
sentence ("successfully accomplished in September 2012").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Final

from socialproj import (
    AmbiguousAmount,
    Duration,
    Format,
    NumberStyle,
    ParseError,
    Partner,
    Project,
    ReadContext,
    Role,
    Sample,
    Share,
    ShareSource,
    country_code,
    hookimpl,
    normalize_fund,
    normalize_rate,
    parse_date,
    parse_money,
    scan_amounts,
)

from ._common import (
    CCI_CODE,
    ISUN_CODE,
    Draft,
    Labelled,
    find_codes,
    find_duration,
    fold_label,
    is_markup,
    label_table,
    lines_of,
    read_labels,
    split_partner,
    split_places,
    squash,
    strip_bullet,
    strip_quotes,
)
from .engine import Engine, fill, role_mark

FORMAT: Final = "cbc-fiche"

_LABELS: Final = label_table("cbc-fiche")  # labels/cbc-fiche.toml
_BARE: Final = frozenset({"cci", "lead", "partners", "total"})
_MONEY_FIELDS: Final = frozenset({"total", "eu", "national", "grant", "own"})
_LISTS: Final = frozenset({"partners"})
# labels a card or a news item does not have: two of them make a fiche
_STRONG: Final = frozenset(
    {
        "code",
        "acronym",
        "cci",
        "call",
        "priority",
        "action",
        "total",
        "eu",
        "rate",
        "months",
        "title",
    }
)
_CHROME: Final = frozenset(
    (
        "финансирани проекти",
        "funded projects",
        "projects funded",
        "проекти",
        "projects",
        "project fiche",
    )
)
_FINISHED: Final = re.compile(
    r"\b(?:accomplished|completed|finali[sz]ed|finished|ended|concluded|приключ\w*|завърш\w*)"
    r"\s+(?:on|in|at|на|през)\s+([^.;\n]{4,30})",
    re.IGNORECASE,
)
_PLACE_WORDS: Final = re.compile(
    r"\b(?:municipalit(?:y|ies)\s+of|община|общините|in)\s+", re.IGNORECASE
)


def _place_names(text: str) -> list[str]:
    """Places a title or a name states.

    "municipalities of Belitsa and Makedonska Kamenica", "routes in Kirklareli and
    Tsarevo", "Tsarevo Municipality".
    """
    found: list[str] = []
    for match in _PLACE_WORDS.finditer(text[:2000]):
        words = text[match.end() : match.end() + 200].split()
        current: list[str] = []
        for word in words:
            clean = word.strip(",;.()\"'„“”")
            if clean and clean[0].isupper() and not country_code(clean, codes=False):
                current.append(clean)
                if word.endswith((",", ";", ".")):
                    found.append(" ".join(current))
                    current = []
                continue
            if current:
                found.append(" ".join(current))
                current = []
            if clean.casefold() not in ("and", "и", "şi", "și", ""):
                break
        if current:
            found.append(" ".join(current))
    for word_index, word in enumerate(text.split()):
        if word.casefold().strip(",.") in ("municipality", "община") and word_index > 0:
            before = text.split()[word_index - 1].strip(',."„“”')
            if before[:1].isupper():
                found.append(before)
    return [name for name in found if len(name) > 2]


class _Fiche:
    def __init__(self, text: str, context: ReadContext) -> None:
        self.lines = lines_of(text)
        self.text = text
        self.draft = Draft(FORMAT, context.file, "bg" if _mostly_cyrillic(text) else "en")
        self.style = NumberStyle.learn(text)
        self.labels = read_labels(self.lines, _LABELS, bare=_BARE, typed=typed_value, lists=_LISTS)

    def read(self) -> Draft:
        draft = self.draft
        for item in self.labels:
            handler = getattr(self, f"_{item.field}", None)
            if handler is not None and item.lines:
                handler(item)
            elif item.lines and item.field in (
                "call",
                "priority",
                "objective",
                "action",
                "type",
                "intervention",
                "acronym",
            ):
                draft.extras.setdefault(item.field, item.value)
                draft.raw(item.field, item.value)
        if draft.title is None:
            self._title_from_heading()
        self._bullets_as_partners()
        self._places_from_names()
        if draft.end is None:
            match = _FINISHED.search(self.text)
            if match:
                try:
                    draft.end = parse_date(match.group(1).strip())
                    draft.raw("period.end", match.group())
                except ParseError:
                    pass
        fill(draft, Engine(self.text, self.style), labelled=bool(self.labels))
        return draft

    # -- fields --------------------------------------------------------------------------

    def _title(self, item: Labelled) -> None:
        self.draft.raw("title", item.value)
        for _, _, code in find_codes(item.value):
            self.draft.add_code(code)
        self.draft.title = strip_quotes(item.value)

    def _code(self, item: Labelled) -> None:
        value = item.value.strip()
        if value and value.strip("-—–. ") and value.casefold() not in ("n/a", "-"):
            self.draft.add_code(value.split()[0] if " " in value and find_codes(value) else value)
            self.draft.raw("identifiers", item.value)

    def _cci(self, item: Labelled) -> None:
        match = CCI_CODE.search(item.value.upper())
        if match:
            self.draft.cci = match.group()
            self.draft.raw("programme.cci", item.value)

    def _programme(self, item: Labelled) -> None:
        self.draft.programme = item.value
        self.draft.raw("programme.name", item.value)

    def _money(self, item: Labelled, path: str):  # type: ignore[no-untyped-def]
        try:
            money = parse_money(item.value, locale=self.style, currency=_currency_of(item.label))
        except AmbiguousAmount as exc:
            self.draft.note("import.amount.ambiguous", path, str(exc), text=item.value)
            return None
        except ParseError as exc:
            self.draft.note("import.amount.unreadable", path, str(exc), text=item.value)
            return None
        self.draft.raw(path[2:], item.value)
        if money.qualifier is not None:
            self.draft.note("import.amount.approximate", path, f"{item.value!r} is approximate")
        return money

    def _total(self, item: Labelled) -> None:
        if self.draft.total is None:
            self.draft.total = self._money(item, "$.funding.total")

    def _eu(self, item: Labelled) -> None:
        money = self._money(item, "$.funding.shares.eu")
        if money is None:
            return
        fund = normalize_fund(item.label.split()[0]) if item.label else None
        existing = self._share(ShareSource.EU)
        if existing is not None:
            self.draft.shares[self.draft.shares.index(existing)] = Share(
                ShareSource.EU, existing.fund or fund, money, existing.rate
            )
        else:
            self.draft.shares.append(Share(ShareSource.EU, fund if fund != "ESF" else None, money))

    def _national(self, item: Labelled) -> None:
        money = self._money(item, "$.funding.shares.national")
        if money is not None:
            self.draft.shares.append(Share(ShareSource.NATIONAL, None, money))

    def _rate(self, item: Labelled) -> None:
        try:
            rate = normalize_rate(item.value.replace(" ", ""))
        except (ValueError, TypeError) as exc:
            self.draft.note("import.rate.unreadable", "$.funding.shares", str(exc), text=item.value)
            return
        self.draft.raw("funding.shares.eu.rate", item.value)
        existing = self._share(ShareSource.EU)
        if existing is not None:
            self.draft.shares[self.draft.shares.index(existing)] = Share(
                ShareSource.EU, existing.fund, existing.amount, rate
            )
        else:
            self.draft.shares.append(Share(ShareSource.EU, None, None, rate))

    def _share(self, source: ShareSource) -> Share | None:
        return next((s for s in self.draft.shares if s.source is source), None)

    def _months(self, item: Labelled) -> None:
        value = item.value.strip()
        if value.isdigit():
            self.draft.duration = Duration(int(value))
            self.draft.raw("period.duration", item.value)
        else:
            self._duration(item)

    def _duration(self, item: Labelled) -> None:
        found = find_duration(item.value)
        if found is not None and self.draft.duration is None:
            self.draft.duration = found[0]
            self.draft.raw("period.duration", item.value)

    def _start(self, item: Labelled) -> None:
        self._date(item, "start")

    def _end(self, item: Labelled) -> None:
        self._date(item, "end")

    def _date(self, item: Labelled, field: str) -> None:
        if getattr(self.draft, field) is not None:
            return
        try:
            setattr(self.draft, field, parse_date(item.value))
            self.draft.raw(f"period.{field}", item.value)
        except ParseError as exc:
            self.draft.note(
                "import.period.unreadable", f"$.period.{field}", str(exc), text=item.value
            )

    def _status(self, item: Labelled) -> None:
        self.draft.status = item.value
        self.draft.raw("status", item.value)

    def _lead(self, item: Labelled) -> None:
        self._partner_lines(item, Role.LEAD)

    def _partners(self, item: Labelled) -> None:
        self._partner_lines(item, Role.PARTNER)

    def _partner_lines(self, item: Labelled, role: Role) -> None:
        for line in item.lines:
            entry = strip_bullet(line).strip(" ;")
            if not entry or len(entry) > 200:
                continue
            for part in _entries(entry):
                part, marked = role_mark(part)
                name, country, city, _ = split_partner(part)
                if not name:
                    continue
                self.draft.add_partner(
                    Partner(
                        strip_quotes(name) if name.endswith(("”", "“")) else name,
                        marked or role,
                        country,
                        squash(item.label),
                        None,
                        city,
                    )
                )
                self.draft.raw(f"partners.{len(self.draft.partners)}", line)
                if city:
                    self.draft.add_place(city, country)

    def _places(self, item: Labelled) -> None:
        for line in item.lines:
            for name, country in split_places(line):
                self.draft.add_place(name, country)
        self.draft.raw("locations", " / ".join(item.lines))

    def _results(self, item: Labelled) -> None:
        self.draft.results = [strip_bullet(line) for line in item.lines if line.strip()]

    def _summary(self, item: Labelled) -> None:
        kept = [line for line in item.lines if not line.startswith(("•", "●"))]
        if kept and self.draft.summary is None:
            self.draft.summary = " ".join(kept)

    # -- what has no label ---------------------------------------------------------------------

    def _title_from_heading(self) -> None:
        first_label = self.labels[0].index if self.labels else len(self.lines)
        for line in self.lines[:first_label]:
            if not line or fold_label(line) in _CHROME or len(line) < 8:
                continue
            self.draft.raw("title", line)
            self.draft.title = strip_quotes(line)
            return

    def _bullets_as_partners(self) -> None:
        """Bulleted organisation lines without a label (the label was lost with the page)."""
        covered = {
            i
            for item in self.labels
            if item.field in ("partners", "lead", "results")
            for i in range(item.index, item.index + len(item.lines) + 2)
        }
        for index, line in enumerate(self.lines):
            if index in covered or not line.startswith(("•", "●", "▪")):
                continue
            name, country, city, _ = split_partner(strip_bullet(line))
            if country and name:
                self.draft.add_partner(
                    Partner(
                        strip_quotes(name) if name.endswith(("”", "“")) else name,
                        Role.PARTNER,
                        country,
                        None,
                        None,
                        city,
                    )
                )
                self.draft.raw(f"partners.{len(self.draft.partners)}", line)
                if city:
                    self.draft.add_place(city, country)

    def _places_from_names(self) -> None:
        texts = [self.draft.title or ""] + [p.name for p in self.draft.partners]
        for text in texts:
            for name in _place_names(text):
                self.draft.add_place(name)


def typed_value(field: str, text: str) -> bool:
    """Whether ``text`` reads as a value of ``field``: an amount, a date, a code, a number.

    Lets a label stand without its colon (``Start Date Oct 10, 2017``) when what follows
    it is the kind of value the label announces; fields whose values are free text are
    not checked here (their labels need a colon, or the ``_BARE`` list).
    """
    if field in _MONEY_FIELDS:
        found = scan_amounts(text[:80])
        return bool(found) and found[0].start <= 2 and found[0].money is not None
    if field in ("start", "end"):
        try:
            parse_date(text.strip(" .,"))
        except ParseError:
            return False
        return True
    if field == "code":
        return len(text) <= 40 and any(ch.isdigit() for ch in text)
    if field == "months":
        return text.strip().isdigit()
    if field == "duration":
        return find_duration(text) is not None
    if field == "rate":
        return text.strip().endswith("%") and any(ch.isdigit() for ch in text)
    return False


def _entries(text: str) -> list[str]:
    """Partner entries on one line, separated by ';' (commas belong to names and towns)."""
    return [part.strip() for part in text.split(";") if part.strip()]


def _currency_of(label: str) -> str | None:
    folded = label.casefold()
    if "€" in folded or "eur" in folded:
        return "EUR"
    return None


def _mostly_cyrillic(text: str) -> bool:
    letters = [ch for ch in text[:4000] if ch.isalpha()]
    return bool(letters) and sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff") * 2 > len(
        letters
    )


def read_fiche(stream: IO[bytes], context: ReadContext) -> Iterator[Project]:
    """Yield the project a fiche describes."""
    text = context.text(stream)
    context.mark(line=1)
    if not text.strip():
        context.problem("is empty", expected="a project fiche")
        return
    fiche = _Fiche(text, context)
    draft = fiche.read()  # a page whose labels were lost is read from its prose
    if draft.empty or (not fiche.labels and draft.title is None):
        context.problem(
            "does not read as a project fiche: "
            + (
                "no title, code, budget, partners or dates"
                if fiche.labels
                else "it has no 'Label: value' lines, and its prose names no project"
            ),
            expected="'Label: value' lines such as 'Project code:', 'Budget:' or "
            "'Начало на проекта:'",
        )
        return
    yield draft.project()


def fiche_labels(text: str) -> int:
    """How many labels only a fiche has (used by the other layouts' sniffers too)."""
    lines = lines_of(text[:20000])
    return len(
        {item.field for item in read_labels(lines, _LABELS, bare=_BARE, typed=typed_value)}
        & _STRONG
    )


def sniff_fiche(sample: Sample) -> bool:
    """At least three fiche labels, two of them ones only fiches have."""
    if is_markup(sample.text):
        return False  # a web page: its tables are the html format's, its prose needs extracting
    lines = lines_of(sample.text[:20000])
    labels = read_labels(lines, _LABELS, bare=_BARE, typed=typed_value)
    fields = {item.field for item in labels}
    folded = sample.text[:20000].casefold()
    if "исун" in folded or "източник на финансиране" in folded:
        return False  # a Bulgarian public register record, read by bg-news
    if ISUN_CODE.search(sample.text[:20000]):
        return False  # a national programme's contract number: not a cross-border fiche
    return len(fields & _STRONG) >= 2 and len(fields) >= 3


@hookimpl
def socialproj_formats() -> Iterator[Format]:
    """The cbc-fiche format."""
    yield Format(
        name=FORMAT,
        description="fiches of IPA and cross-border programmes: 'Label: value' lines, en or bg",
        reader=read_fiche,
        sniff=sniff_fiche,
        aliases=("fiche",),
    )
