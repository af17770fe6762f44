"""``bg-news``: Bulgarian news items and municipal press releases about EU-funded projects.

News is prose, so every field is read from the words around it, and a value is taken
only when those words say what it is:

- the title is a quoted name right after "проект"/"проекта" (never the programme's or a
  procedure's quoted name), or a ``Наименование:`` label;
- amounts are the total when "стойност", "размер", "бюджет" or "безвъзмездна финансова
  помощ" stand before them, the EU or national share when "европейско финансиране" or
  "национално" stand after them; other amounts (costs of a ramp, a prize) are left alone;
- dates are the start or end only after "стартира на", "считано от", "ще приключи на",
  "в периода от … до …", "началото … краят …" or a date label — not contract, meeting or
  publication dates; a relative date ("3 юли т. г.") resolves only with the
  ``reference_date`` option;
- the duration is a number of months after "продължителност", "срок" or "в продължение на";
- partners are named by "Бенефициент е …", "в партньорство с …", "Партньор по проекта е
  …"; a municipality or association that starts, carries out, signs or receives the
  project is its lead ("Община А и Община Б (Северна Македония) изпълняват …": А leads);
- places are settlements the text puts the project in, "гр. …", "селата А, Б и В", and
  the partners' municipalities.

Public-register records (UMIS/ISUN: ``Номер на проект от ИСУН:``, ``Бенефициент:`` …) are
read by their labels.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from typing import IO, Final

from socialproj import (
    AmbiguousAmount,
    Duration,
    Format,
    Money,
    NumberStyle,
    Option,
    ParseError,
    Partner,
    Project,
    ReadContext,
    RelativeDateError,
    Role,
    Sample,
    Severity,
    Share,
    ShareSource,
    country_code,
    find_fund,
    hookimpl,
    normalize_fund,
    parse_date,
    parse_money,
    scan_amounts,
    subdivision,
)

from ._common import (
    EMS_CODE,
    IPA_CODE,
    ISUN_CODE,
    PROGRAMME_CODE,
    Draft,
    Labelled,
    find_duration,
    is_markup,
    label_table,
    lines_of,
    read_labels,
    squash,
    strip_quotes,
)
from .cbc_fiche import sniff_fiche
from .engine import Engine, cues, fill, language_of
from .robg_card import sniff_card

FORMAT: Final = "bg-news"

_LABELS: Final = label_table("bg-news")  # labels/bg-news.toml

# -- words around values -------------------------------------------------------------------

_TOTAL_BEFORE: Final = (
    "стойност",
    "размер",
    "бюджет",
    "безвъзмездна финансова помощ",
    "бфп",
    "финансиране в размер",
    "сумата от",
    "на обща стойност",
    "общата сума",
    "възлиза на",
    "възлизат на",
    "финансов ресурс",
    "инвестиция",
)
_EU_AROUND: Final = (
    "европейско финансиране",
    "европейски средства",
    "от европейския",
    "от ес",
    "от европейския съюз",
    "европейско съфинансиране",
    "от ефрр",
    "от есф",
    "от кохезионния",
    "европейската част",
    "европейско и",
    "европейско,",
    "са от европейския",
    "са от ес",
    "от инструмента за предприсъединителна помощ",
    "са от инструмента за предприсъединителна помощ",
    "от ипп",
    "са от ипп",
)
_NATIONAL_AROUND: Final = (
    "национално",
    "от републиканския бюджет",
    "от държавния бюджет",
    "национален бюджет",
    "национални средства",
)
_OWN_AROUND: Final = (
    "собствен принос",
    "собствено съфинансиране",
    "собствени средства",
    "от общинския бюджет",
)

_MONTHS: Final = "януари|февруари|март|април|май|юни|юли|август|септември|октомври|ноември|декември"
_DATE: Final = re.compile(
    rf"\b(\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|\d{{1,2}}\s(?:{_MONTHS})\s\d{{4}}"
    rf"|\d{{1,2}}\s(?:{_MONTHS})\s?т\.\s?г\.|(?:{_MONTHS})\s\d{{4}})(?:\s?г\.?)?",
    re.IGNORECASE,
)
_START_CUES: Final = (
    "стартира на",
    "стартирал на",
    "стартирала на",
    "стартираха на",
    "стартира от",
    "започна на",
    "започва на",
    "започнало на",
    "считано от",
    "начало на",
    "с начална дата",
    "стартирането",
    "стартът е",
    "стартирал",
    "стартира",
    "започна",
    "в периода от",
    "за периода от",
    "периода от",
    "от датата",
    "началото на проекта е",
    "началото е",
)
_END_CUES: Final = (
    "ще приключи на",
    "приключи на",
    "приключва на",
    "приключване на",
    "с крайна дата",
    "край на",
    "ще продължи до",
    "продължава до",
    "срок до",
    "краят на проекта е",
    "краят му –",
    "краят –",
    "краят му е",
    "приключи",
    "приключва",
    "до",
)
_DURATION_CUES: Final = (
    "продължителност",
    "ще продължи",
    "продължава",
    "срок за реализация",
    "срокът за реализация",
    "срок за изпълнение",
    "срокът за изпълнение",
    "срокът на изпълнение",
    "срок на изпълнение",
    "срокът на проекта",
    "срок на проекта",
    "в продължение на",
)
_TITLE_CUES: Final = ("проект", "проекта", "проектът", "project", "проекти")
_NOT_TITLE_CUES: Final = (
    "програма",
    "процедура",
    "процедурата",
    "ос",
    "схема",
    "схемата",
    "компонент",
    "мярка",
    "операция",
    "наръчник",
    "конференция",
    "сдружение",
    "фондация",
    "цел",
    "асоциация",
    "фирма",
    "дружество",
    "ООД",
    "ЕООД",
    "АД",
    "центъра",
    "център",
    "дейност",
    "дейността",
    "кампания",
    "кампанията",
    "обучение",
    "клуб",
    "читалище",
)
_OPENERS: Final = {"„": '“”"', '"': '"”“', "“": '”"', "«": "»", "”": '”"'}
_PROGRAMME_NAMES: Final = re.compile(
    r"Оперативна\s+програма\s+за\s+храни(?:\s+и/или\s+основно\s+материално\s+подпомагане)?|"
    r"Програма(?:та)?\s+за\s+храни\s+и\s+основно\s+материално\s+подпомагане(?:\s?\d{4}\s?[-–]\s?\d{4})?|"
    r"(?:Оперативна\s+програма|ОП|ОПРЧР|Програма(?:та)?\s+за\s+[а-я ]{3,60}?|"
    r"Програма(?:та)?)\s?[„\"“][^„\"“”\n]{3,120}[“”\"](?:\s?\(ОПРЧР\))?"
    r"(?:\s?\d{4}\s?[-–]\s?\d{4}\s?(?:г\.?)?)?",
)
_COUNTRY_PAIR: Final = (
    r"[А-ЯA-Z][а-яa-z]+(?:\s[А-ЯA-Z][а-яa-z]+)?\s?[-–]\s?[А-ЯA-Z][а-яa-z]+(?:\s[А-ЯA-Z][а-яa-z]+)?"
)
_INTERREG: Final = re.compile(
    r"(?:ИНТЕРРЕГ|Интеррег|INTERREG|Interreg)(?:\s?[-–]?\s?(?:V-?A|VI-?A|IV-?A|ИПП|IPA|V|VI|IV)){0,2}"
    rf"\s{_COUNTRY_PAIR}(?:\s\d{{4}}\s?[-–]\s?\d{{4}}(?:\s?г\.)?)?",
)
# first words of two-word place names whose second word is written in lower case
_NAME_PREFIXES: Final = (
    "Долни|Долна|Долно|Горни|Горна|Горно|Крива|Сливо|Две|Бели|Бяла|Нова|Нови|Ново|Стара|"
    "Стари|Старо|Велико|Малко|Голямо|Средно|Черни|Червен|Дълги|Кула|Баня|Свети|Св\\.|"
    # two-word names written with two capitals ("Гоце Делчев", "Турну Мъгуреле")
    "Гоце|Елин|Генерал|Никола|Велики|Цар|Полски|Братя|Георги|Турну|Сапарева|Бобов|Павел|"
    "Минерални"
)
# a municipality's name: one word (a second only after the first words above), so that
# "Община Ловеч Страцимир Петков" is "Община Ловеч" and not the mayor
_MUNICIPALITY_NAME: Final = rf"(?:(?:{_NAME_PREFIXES})\s[а-яА-Я][а-я]+|[А-Я][а-я]+(?:-[а-я]+)?)"
_MUNICIPALITY: Final = re.compile(rf"\b([Оо]бщина)\s({_MUNICIPALITY_NAME})")
_PLACE_CUES: Final = re.compile(
    r"(?:създаден[аои]?|изграден[аои]?|открит[аои]?|откриват|открива|ще бъде създаден[аои]?|"
    r"ще бъде изграден[аои]?|се намира|разположен[аои]?|реализира|изпълнява)"
    r"(?:\s[а-я]{3,}){0,2}\sв(?:ъв)?\s"
    r"((?:гр\.\s?|град\s|с\.\s?|село\s)?[А-Я][а-я]+(?:\s[а-я]{3,}\b(?<!\bза)(?<!\bна))?)",
)
_OPENING_PLACE: Final = re.compile(
    r"(?:^|[.!?]\s)В(?:ъв)?\s([А-Я][а-я]+(?:\s[А-Я][а-я]+)?)\s(?:стартира|започна|откриха|откриват|"
    r"отвори|беше открит[аои]?|ще бъде открит[аои]?|беше създаден[аои]?)\b"
)
_SETTLEMENT_LIST: Final = re.compile(
    r"\b(?:селата|градовете|населените места)\s"
    r"((?:[А-Я][а-я]+(?:\s[А-Яа-я][а-я]{2,})?(?:,\s|\sи\s))+"
    r"[А-Я][а-я]+(?:\s(?:[А-Я][а-я]{2,}|[а-я]{3,}\b(?<!\bза)(?<!\bна)(?<!\bпри)(?<!\bс)))?)"
)
_IN_PLACE: Final = re.compile(r"(?:^|(?<=[\s„(]))[Вв](?:ъв)?\s([А-Я][а-я]+(?:\s[А-Я][а-я]+)?)")
_SETTLEMENT: Final = re.compile(r"\b(?:гр\.|град|с\.|село)\s?([А-Я][а-я]+(?:\s[А-Я][а-я]+)?)")
_REGIONS_LIST: Final = re.compile(r"област(?:и|та)?[^(\n]{0,60}\(([^)\n]{3,200})\)")
_COUNTRY_ADJECTIVES: Final = re.compile(
    r"\b(италианск|румънск|гръцк|турск|сръбск|македонск|северномакедонск|българск|германск|"
    r"испанск|френск|полск|унгарск|хърватск|австрийск|португалск)(?:ата|ия|ият|а|ото|о|ите|и)\b",
    re.IGNORECASE,
)
_ORGANISATION: Final = re.compile(
    r"((?:[Оо]бщина|[Аа]генция(?:та)?|[Сс]друж(?:ение|ението)|[Фф]ондация(?:та)?|[Мм]инистерство(?:то)?|"
    r"[Дд]ирекция(?:та)?|[Уу]ниверситет(?:ът)?|[Оо]бластна администрация|[Нн]ационална(?:та)?|"
    r"[Сс]толична община|[Чч]италище(?:то)?|[Аа]социация(?:та)?|[Цц]ентър|[Сс]ъюз(?:ът)?|"
    r"[Кк]амара(?:та)?|[Бб]олница(?:та)?|[Дд]ружество(?:то)?|[Ии]нститут(?:ът)?)"
    r"[^,.;:()\n]{0,90})",
)


def _window_before(text: str, at: int, size: int = 90) -> str:
    return text[max(0, at - size) : at].casefold()


def _window_after(text: str, at: int, size: int = 60) -> str:
    return text[at : at + size].casefold().lstrip(" –-—,")


def _reference(value: object) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))


class _News:
    def __init__(self, text: str, context: ReadContext) -> None:
        self.text = squash(text.replace("\n", " \n ")).replace(" \n ", "\n")
        self.flat = " ".join(self.text.split())
        self.lines = lines_of(text)
        self.context = context
        self.draft = Draft(FORMAT, context.file, language_of(text))
        self.style = NumberStyle.learn(self.flat)
        self.reference = context.options.get("reference_date")

    def read(self) -> Draft:
        labels = read_labels(self.lines, _LABELS)
        handled = {item.field for item in labels}
        for item in labels:
            self._label(item)
        if self.draft.title is None:
            self.title()
        if not self.draft.codes:
            self.codes()
        if self.draft.programme is None:
            self.programme()
        if self.draft.total is None and not self.draft.shares:
            self.money()
        if not handled & {"start", "end"}:
            self.dates()
        if self.draft.duration is None:
            self.duration()
        self.partners()
        fill(self.draft, Engine(self.text, self.style))
        self.places()
        return self.draft

    # -- labels --------------------------------------------------------------------------

    def _label(self, item: Labelled) -> None:
        draft = self.draft
        value = item.value.strip()
        if not value or value.strip("-—–. ") == "":
            return
        field = item.field
        if field == "code":
            codes = [m.group() for m in ISUN_CODE.finditer(value)] or [value.split()[0]]
            for code in codes:
                draft.add_code(code.strip())
            draft.raw("identifiers", value)
        elif field == "title":
            if len(value) > 3 and draft.title is None:
                draft.title = strip_quotes(value)
                draft.raw("title", value)
        elif field in ("lead", "partners"):
            for name in re.split(r";|\sи\s(?=[А-Я])", value):
                name = _clean_name(name)
                if name:
                    draft.add_partner(
                        Partner(
                            name,
                            Role.LEAD if field == "lead" else Role.PARTNER,
                            None,
                            squash(item.label),
                        )
                    )
            draft.raw(f"partners.{field}", value)
        elif field == "programme":
            name = value.split("==>")[-1].strip()
            fund = normalize_fund(value.split("==>")[0]) if "==>" in value else None
            if fund:
                draft.extras.setdefault("fund", fund)
            draft.programme = name
            draft.raw("programme.name", value)
        elif field in ("start", "end"):
            self._date_value(field, value, item.label)
        elif field == "duration":
            if value.isdigit():
                draft.duration = Duration(int(value))
            else:
                found = find_duration(value)
                if found:
                    draft.duration = found[0]
            draft.raw("period.duration", value)
        elif field in ("total", "grant", "eu", "national", "own"):
            money = self._money(value, f"$.funding.{field}")
            if money is None:
                return
            if field == "total" or (field == "grant" and draft.total is None):
                draft.total = money
                draft.raw("funding.total", value)
            elif field in ("eu", "national", "own"):
                draft.shares.append(Share(ShareSource(field), None, money))
                draft.raw(f"funding.shares.{field}", value)
        elif field == "status":
            draft.status = value
        elif field == "places":
            leaves = [line for line in item.lines if line]
            if leaves:
                draft.add_place(leaves[-1].strip(), None)
                draft.raw("locations", " / ".join(leaves))
        elif field == "summary":
            draft.summary = " ".join(item.lines)

    def _money(self, text: str, path: str) -> Money | None:
        try:
            money = parse_money(text.rstrip("."), locale=self.style)
        except AmbiguousAmount as exc:
            self.draft.note("import.amount.ambiguous", path, str(exc), text=text)
            return None
        except ParseError:
            found = scan_amounts(text, locale=self.style)
            if not found or found[0].money is None:
                return None
            money = found[0].money
        if money.qualifier is not None:
            self.draft.note(
                "import.amount.approximate",
                path,
                f"{text!r} is stated as {money.qualifier.value.replace('_', ' ')}",
                text=text,
            )
        return money

    # -- title and codes -------------------------------------------------------------------

    def title(self) -> None:
        for start, end, inner in _quoted(self.flat):
            before = self.flat[max(0, start - 70) : start]
            # drop a code and "№" between the word "проект" and the quote
            if any(ch.isdigit() for ch in before):
                for pattern in (ISUN_CODE, PROGRAMME_CODE, EMS_CODE, IPA_CODE):
                    before = pattern.sub(" ", before)
            words = re.sub(r"[№:–—\-\s]+$", "", before.replace("\u00a0", " ")).split()
            if not words:
                continue
            last = words[-1].casefold().strip(",.")
            if last in _TITLE_CUES and len(inner.split()) >= 2:
                if words[-2:-1] and words[-2].casefold() in _NOT_TITLE_CUES:
                    continue
                self.draft.title = strip_quotes(inner)
                self.draft.raw("title", self.flat[start:end])
                return

    def codes(self) -> None:
        upper = self.flat.upper()
        if "BG" in upper.replace(" ", ""):
            for match in ISUN_CODE.finditer(self.flat):
                self.draft.add_code(squash(match.group()))
        if "RO" in upper or "EMS" in upper:
            for match in EMS_CODE.finditer(self.flat):
                self.draft.add_code(match.group())
        if "CB" in upper:
            for match in IPA_CODE.finditer(self.flat):
                self.draft.add_code(match.group())
        for match in PROGRAMME_CODE.finditer(self.flat):
            before = _window_before(self.flat, match.start(), 25)
            if "проект" in before or "№" in before or "project" in before:
                self.draft.add_code(match.group())
        if self.draft.codes:
            self.draft.raw("identifiers", ", ".join(self.draft.codes))

    # -- programme ------------------------------------------------------------------------

    def programme(self) -> None:
        candidates = list(_PROGRAMME_NAMES.finditer(self.flat))
        candidates += list(_INTERREG.finditer(self.flat))
        if not candidates:
            return
        best = min(candidates, key=lambda m: m.start())
        name = best.group().strip()
        for prefix in (
            "Програмата за трансгранично сътрудничество ",
            "програмата за трансгранично сътрудничество ",
        ):
            name = name.removeprefix(prefix)
        if name.startswith(("Програмата ", "програмата ")):
            name = "Програма " + name.split(" ", 1)[1]
        self.draft.programme = name
        self.draft.raw("programme.name", best.group())

    # -- money -----------------------------------------------------------------------------

    def money(self) -> None:
        draft = self.draft
        for found in scan_amounts(self.flat, locale=self.style):
            before = _window_before(self.flat, found.start)
            near_before = _window_before(self.flat, found.start, 45)
            after = _window_after(self.flat, found.end)
            if found.money is None:
                if any(cue in near_before for cue in _TOTAL_BEFORE):
                    draft.note(
                        "import.amount.ambiguous",
                        "$.funding.total",
                        found.error or "",
                        text=found.text,
                    )
                continue
            money = found.money
            source = None
            if any(
                after.startswith(cue) or after[:40].find(cue) in (0, 3, 4) for cue in _EU_AROUND
            ) or near_before.rstrip().endswith(tuple(f"{c} в размер на" for c in _EU_AROUND)):
                source = ShareSource.EU
            elif (
                any(cue in after[:35] for cue in _NATIONAL_AROUND)
                or "национално съфинансиране" in near_before[-40:]
            ):
                source = ShareSource.NATIONAL
            elif any(cue in after[:35] for cue in _OWN_AROUND) or any(
                cue in near_before[-40:] for cue in _OWN_AROUND
            ):
                source = ShareSource.OWN
            if source is not None:
                if all(s.source is not source for s in draft.shares):
                    fund = None
                    if source is ShareSource.EU:
                        # the fund named after the amount, before the next number
                        named = _window_after(self.flat, found.end, 140)
                        fund = find_fund(re.split(r"\d", named, maxsplit=1)[0])
                    draft.shares.append(Share(source, fund, money))
                    draft.raw(f"funding.shares.{source.value}", found.text)
                continue
            if draft.total is None and _project_total(near_before, before):
                if any(word in before[-60:] for word in ("от които", "като")):
                    continue
                draft.total = money
                draft.raw("funding.total", found.text)
            if money.qualifier is not None and draft.total is money:
                draft.note(
                    "import.amount.approximate",
                    "$.funding.total",
                    f"{found.text!r} is stated as {money.qualifier.value.replace('_', ' ')}",
                    text=found.text,
                )

    # -- dates -----------------------------------------------------------------------------

    def dates(self) -> None:
        text = self.flat
        matches = list(_DATE.finditer(text))
        for index, match in enumerate(matches):
            before = _window_before(text, match.start(), 45).rstrip()
            # "в периода от X до Y": both dates
            # "в периода X – Y" without "от" only when the project or its work is the subject
            # (not "фокус групи … в периода декември 2018-януари 2019 г.")
            spanned = before.endswith((" от",)) or (
                before.endswith(("периода", "период"))
                and ("изпълн" in before or "проект" in before)
            )
            if spanned and index + 1 < len(matches):
                following = matches[index + 1]
                between = text[match.end() : following.start()].casefold().strip()
                if between in ("до", "г. до", "г до", "-", "–", "—") or between.endswith(
                    (" до", " –", " -", " —")
                ):
                    self._date_value("start", match.group(), before[-25:])
                    self._date_value("end", following.group(), between)
                    continue
            if (
                self.draft.start is None
                and _cued(before, _START_CUES)
                and not _cued(before, ("договор", "подписан"))
            ):
                self._date_value("start", match.group(), before[-30:])
            elif (
                self.draft.end is None
                and _cued(before, _END_CUES)
                and not _cued(before, ("дата на публикуване",))
            ):
                self._date_value("end", match.group(), before[-30:])

    def _date_value(self, field: str, value: str, cue: str) -> None:
        draft = self.draft
        if getattr(draft, field) is not None:
            return
        reference = _reference(self.reference)
        try:
            date = parse_date(value.strip(" ,."), reference_date=reference)
        except RelativeDateError:
            draft.note(
                "import.date.relative",
                f"$.period.{field}",
                f"the {field} {value.strip()!r} is relative to when the text was written; "
                f"pass the reference_date option to read it",
                text=value.strip(),
            )
            return
        except ParseError as exc:
            draft.note("import.period.unreadable", f"$.period.{field}", str(exc), text=value)
            return
        if reference is not None and ("т. г" in value or "т.г" in value):
            draft.note(
                "import.date.resolved",
                f"$.period.{field}",
                f"{value.strip()!r} read as {date} with the reference date {reference}",
                Severity.INFO,
                text=value.strip(),
            )
            draft.derived_period.add(field)
        setattr(draft, field, date)
        draft.raw(f"period.{field}", f"{cue.strip()} {value}".strip())

    def duration(self) -> None:
        folded = self.flat.casefold()
        for cue in _DURATION_CUES:
            at = folded.find(cue)
            while at >= 0:
                window = self.flat[at : at + 90]
                found = find_duration(window)
                if found is not None:
                    # the duration must follow the cue within the same clause
                    offset = window.find(found[1])
                    if "." not in window[:offset] or window[:offset].count(".") <= 1:
                        self.draft.duration = found[0]
                        self.draft.raw("period.duration", window[: offset + len(found[1])])
                        return
                at = folded.find(cue, at + 1)

    # -- partners ---------------------------------------------------------------------------

    def partners(self) -> None:
        text = self.flat
        draft = self.draft
        patterns = (
            (r"[Бб]енефициент(?:ът)?(?: по проекта)?\s(?:е|са)\s", Role.LEAD),
            (r"[Бб]енефициенти(?: по [Пп]роекта)?\s(?:са)\s", Role.PARTNER),
            (r"[Вв]одещ(?:ият)? партньор(?: по проекта)?\s(?:е)\s", Role.LEAD),
            (r"[Пп]артньор(?:и)?(?: по проекта)?\s(?:е|са|ще бъде|–|-)\s", Role.PARTNER),
            (r"в партньорство с(?:ъс)?\s", Role.PARTNER),
            (r"като водещ партньор,?\sи\s", Role.PARTNER),
            (r"съвместно с(?:ъс)?\s", Role.PARTNER),
        )
        for pattern, role in patterns:
            for match in re.finditer(pattern, text):
                tail = text[match.end() : match.end() + 250]
                for name, country, town in _names(tail):
                    draft.add_partner(
                        Partner(name, role, country, squash(match.group()), None, town)
                    )
                    draft.raw(f"partners.{len(draft.partners)}", f"{match.group()}{name}")
        if not any(p.role is Role.LEAD for p in draft.partners):
            self._lead_from_actor()

    def _lead_from_actor(self) -> None:
        """The lead when no label names it: who starts, carries out or signs the project."""
        text = self.flat
        title = self.draft.title or ""
        body = text.replace(title, " " * len(title)) if title else text
        organisation = (
            rf"(?:[Оо]бщина\s(?:град\s)?{_MUNICIPALITY_NAME}"
            r"|(?:[Сс]дружение|[Фф]ондация|[Аа]социация|[Чч]италище)\s„[^“”\"]{3,80}[“”\"]"
            r"|[Оо]бластна администрация(?:\s[А-Я][а-я]+)?|[А-Я][а-я]+ община)"
        )
        actor = re.compile(
            rf"(?:(?:[Кк]метът на|[Кк]мета на)\s)?({organisation})[^.]{{0,80}}?\s(?:стартира|"
            r"стартираше|изпълнява|реализира|подписа|сключи|започна|спечели|кандидатства|"
            r"продължава|осъществява|получи|представи|ще предоставя)\b"
            r"|\b(?:изпълнява(?:н[аои]?)?|реализира(?:н[аои]?)?|осъществява(?:н[аои]?)?)"
            rf" от ({organisation})"
        )
        # "Община А и Община Б (Северна Македония) изпълняват …": the first leads
        pair = re.search(
            rf"({organisation})\sи\s({organisation})(?:\s\(([^)]{{3,40}})\))?\s(?:изпълняват|"
            r"реализират|стартираха|подписаха|започнаха|осъществяват)\b",
            body,
        )
        if pair:
            where = pair.group(3)
            country = country_code(where, codes=False) if where else None
            self.draft.add_partner(Partner(_clean_name(pair.group(1)), Role.LEAD, None, None))
            self.draft.add_partner(Partner(_clean_name(pair.group(2)), Role.PARTNER, country, None))
            self.draft.raw("partners.lead", pair.group())
            return
        match = actor.search(body)
        name = _clean_name(next(g for g in match.groups() if g)) if match else ""
        if not name:
            # by lines, so that a headline does not run into the first sentence
            lined = " \n ".join(" ".join(line.split()) for line in self.text.splitlines())
            name = _subject_of(
                lined.replace(title, " " * len(title)) if title else lined,
                (
                    " е водещ партньор",
                    " като водещ партньор",
                    " е бенефициент",
                    " е водеща организация",
                ),
            )
        if name and name.casefold() != "община":
            self.draft.add_partner(Partner(name, Role.LEAD, None, None))
            self.draft.raw("partners.lead", match.group() if match else name)
            return
        counts: dict[str, int] = {}
        for found in _MUNICIPALITY.finditer(body):
            if found.group(2).casefold().startswith("община"):
                continue
            key = f"община {found.group(2)}"
            counts[key] = counts.get(key, 0) + 1
        taken = {p.name.casefold() for p in self.draft.partners}
        frequent = [n for n, count in counts.items() if count >= 2 and n.casefold() not in taken]
        if len(frequent) == 1:
            self.draft.add_partner(Partner(frequent[0], Role.LEAD, None, None))

    # -- places ------------------------------------------------------------------------------

    def places(self) -> None:
        draft = self.draft
        text = self.flat
        for match in _PLACE_CUES.finditer(text):
            name = match.group(1).strip()
            if not country_code(name, codes=False) and not name.startswith(
                ("Заседателната", "Рамките")
            ):
                draft.add_place(_settlement(name))
        for match in _REGIONS_LIST.finditer(text):
            for part in re.split(r",|\sи\s", match.group(1)):
                part = part.strip()
                if part and part[0].isupper() and len(part.split()) <= 3:
                    draft.add_place(part)
        for match in _OPENING_PLACE.finditer(text):
            draft.add_place(match.group(1))
        for match in _IN_PLACE.finditer(text):  # "В Ямбол изграждат …": a place the
            name = match.group(1)  # gazetteer knows, not any capitalised word after "в"
            if subdivision(name, "BG") is None:
                name = name.split()[0]
            if subdivision(name, "BG") is not None:
                draft.add_place(name)
        for match in _SETTLEMENT.finditer(text):
            draft.add_place(match.group(1))
        for match in _SETTLEMENT_LIST.finditer(text):
            for part in re.split(r",\s|\sи\s", match.group(1)):
                draft.add_place(part.strip())
        for partner in draft.partners:
            found = _MUNICIPALITY.search(partner.name)
            if found:
                draft.add_place(f"община {found.group(2)}", partner.country)
        if draft.title:
            for found in _MUNICIPALITY.finditer(draft.title):
                draft.add_place(f"{found.group(1)} {found.group(2)}")
        if draft.places:
            draft.raw("locations", ", ".join(p.name or "" for p in draft.places))


_PROJECT_WIDE: Final = (
    "обща стойност",
    "общата стойност",
    "общ бюджет",
    "общият бюджет",
    "безвъзмездна",
    "бфп",
    "общият размер",
    "общия размер",
)


_OWN_SENTENCE_TOTAL: Final = re.compile(
    r"(?:^|[.!?]\s)(?:бюджетът|стойността|размерът)(?:\sму|\sна договора)?\s"
    r"(?:е|възлиза на)(?:\sв размер на)?\s?$"
)


def _project_total(near: str, wide: str) -> bool:
    """Whether the words before an amount make it the project's total."""
    if not any(cue in near for cue in _TOTAL_BEFORE):
        return False
    if any(cue in near for cue in _PROJECT_WIDE):
        return True
    # "… потребители. Бюджетът е …": a sentence of its own about the text's subject
    if _OWN_SENTENCE_TOTAL.search(near):
        return True
    # "Стойността на проекта е", "проект „…“ на стойност": the project must be the subject
    return "проект" in wide[-90:] and not any(
        word in near
        for word in (
            "на обучението",
            "на услугата",
            "на участник",
            "на ремонта",
            "на билета",
            "на наградата",
        )
    )


def _settlement(name: str) -> str:
    for prefix in ("гр. ", "гр.", "град ", "с. ", "с.", "село "):
        if name.startswith(prefix):
            return name[len(prefix) :].strip()
    return name


def _cued(before: str, cues: tuple[str, ...]) -> bool:
    tail = before[-40:]
    return any(tail.endswith(cue) or f"{cue} " in tail[-len(cue) - 12 :] for cue in cues)


_OPENING_MARK: Final = re.compile('[„"“«”]')
_CLOSING_MARKS: Final = {
    opener: re.compile(f"[{re.escape(closers)}]") for opener, closers in _OPENERS.items()
}


def _quoted(text: str) -> Iterator[tuple[int, int, str]]:
    """Quoted spans: ``(start, end, inner text)``, with „…“, „…”, "…", "…”, «…», “…”."""
    position = 0
    while True:
        opening = _OPENING_MARK.search(text, position)
        if opening is None:
            return
        start = opening.start()
        closing = _CLOSING_MARKS[text[start]].search(text, start + 1, start + 300)
        if closing is None:
            position = start + 1
            continue
        end = closing.start()
        inner = text[start + 1 : end].strip()
        if inner:
            yield start, end + 1, inner
        position = end + 1


def _subject_of(text: str, phrases: tuple[str, ...]) -> str:
    """The subject of "X е водещ партньор": the clause before the phrase."""
    for phrase in phrases:
        at = text.find(phrase)
        if at > 0:
            clause = text[max(0, at - 90) : at]
            for stop in (". ", "; ", ": ", "\n"):
                clause = clause.rsplit(stop, 1)[-1]
            clause = clause.strip()
            if clause[:1].isupper():
                return _clean_name(clause)
    return ""


def _clean_name(text: str) -> str:
    name = text.strip(" ,.;:–-")
    for stop in (
        " в партньорство",
        " съвместно с",
        " като ",
        " чрез ",
        " на стойност",
        " от българска",
        " от румънска",
        " с адрес",
        " (",
        " – ",
    ):
        at = name.find(stop)
        if at > 3:
            name = name[:at]
    return name.strip(" ,.;:–-")


_ORGANISATION_WORDS: Final = (
    "община",
    "сдружение",
    "фондация",
    "агенция",
    "дирекция",
    "университет",
    "министерство",
    "администрация",
    "съвет",
    "център",
    "асоциация",
    "читалище",
    "камара",
    "институт",
    "болница",
    "училище",
    "градина",
    "музей",
    "дружество",
    "ООД",
    "ЕООД",
    "АД",
    "съюз",
    "инспекция",
    "служба",
    "клуб",
    "организация",
)


def _is_town(part: str) -> bool:
    """A short part naming a town after an organisation ("„Иновация”, Симитли")."""
    folded = part.casefold()
    return len(part.split()) <= 2 and not any(w.casefold() in folded for w in _ORGANISATION_WORDS)


def _names(tail: str) -> Iterator[tuple[str, str | None, str | None]]:
    """Organisation names at the start of a clause, with their country and town."""
    clause = re.split(r"\.(?:\s|$)|;|,\s?а\s|,?\sв партньорство|,?\sсъвместно с", tail, maxsplit=1)[
        0
    ]
    parts = re.split(r",\s(?=[а-яА-Я]*\s?[А-Я])|\sи\s(?=(?:[а-я]+\s)?[А-Я„\"])", clause)
    for index, part in enumerate(parts):
        part = part.strip()
        if not part:
            continue
        town = None
        if index + 1 < len(parts) and _is_town(parts[index + 1].strip()) and not _is_town(part):
            town = parts[index + 1].strip().rstrip(".")
        country = None
        adjective = _COUNTRY_ADJECTIVES.search(part[:40])
        if adjective and adjective.start() < 3:
            country = country_code(adjective.group())
            part = part[adjective.end() :].strip()
        side = re.search(r"от (българска|румънска|гръцка|турска|сръбска|македонска) страна", part)
        if side:
            country = country_code(side.group(1))
        origin = re.search(r"\sот\s((?:Република\s)?[А-Я][а-я]+(?:\s[А-Я][а-я]+)?)", part)
        if origin and country_code(origin.group(1), codes=False):
            country = country or country_code(origin.group(1), codes=False)
            part = part[: origin.start()]
        paren = re.search(r"\(([А-Я][а-я]+(?:\s[А-Я][а-я]+)?)\)", part)
        if paren and country_code(paren.group(1), codes=False):
            country = country or country_code(paren.group(1), codes=False)
        name = _clean_name(part)
        name = re.sub(r"\s\([А-ЯA-Z]{2,8}\)$", "", name)
        name = (
            strip_quotes(name) if name.count("„") + name.count("“") + name.count("”") == 1 else name
        )
        if len(name) < 4 or not (name[0].isupper() or name.startswith(("община", "сдружение"))):
            return  # the list of names has ended ("…, в партньорство със …")
        if index > 0 and _is_town(part) and not country:
            continue  # the town of the organisation before it
        yield name, country, town


def read_news(stream: IO[bytes], context: ReadContext) -> Iterator[Project]:
    """Yield the project a news item is about."""
    text = context.text(stream)
    context.mark(line=1)
    if not text.strip():
        context.problem("is empty", expected="a news item about a project")
        return
    draft = _News(text, context).read()
    if draft.empty:
        context.problem(
            "does not read as news about a funded project: no project title, code, amount, "
            "partner or period was found",
            expected="Bulgarian text about an EU-funded project",
        )
        return
    yield draft.project()


def sniff_news(sample: Sample) -> bool:
    """Prose about a funded project, in a language of the cue files (not a fiche or a card).

    A text is news when it names a project and its funding in the words of its language
    (``cues/<language>.toml``, ``[news]``): "проект" with "безвъзмездна", "project" with
    "Interreg". Labelled pages are the fiche's, card headings the card's.
    """
    if is_markup(sample.text):
        return False  # a web page: its tables are the html format's, its prose needs extracting
    text = sample.text[:30000]
    folded = text.casefold()
    words = cues()
    if not any(w in folded for w in words.news_project) or not any(
        w in folded for w in words.news_funding
    ):
        return False
    # a page of labels is a fiche, unless a national contract number says otherwise
    if "исун" in folded or ISUN_CODE.search(text) is not None:
        return True
    return not sniff_fiche(sample) and not sniff_card(sample)


@hookimpl
def socialproj_formats() -> Iterator[Format]:
    """The bg-news format."""
    yield Format(
        name=FORMAT,
        description="Bulgarian news items and press releases about EU-funded projects (prose)",
        reader=read_news,
        sniff=sniff_news,
        aliases=("news",),
        options=(
            Option(
                "reference_date",
                "the day the text was written (YYYY-MM-DD), to read "
                "relative dates such as '3 юли т. г.'",
                _reference,
                applies="read",
            ),
        ),
    )
