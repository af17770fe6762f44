"""The extraction engine under the text layouts: candidates, cue words, scores, picks.

A layout reads what its labels and headings say; what a text says only in prose is
found here, the same way for every layout and language. For each kind of field the
engine finds every candidate in the whole text — every amount with a currency, every
date and range of dates, every organisation named with a role, every programme name —
reads the cue words around it from ``cues/<language>.toml`` (all languages at once:
texts mix them), scores it, and picks per field:

- an amount is the total, the EU or national share or the own contribution only when
  cue words in its clause say so; words that make it someone else's (a partner's share,
  a unit cost, a prize) make it a distractor, whatever else stands near it;
- a date is the start or the end only after a start or end cue, and a range of dates is
  the period after a period cue or when it stands alone on its line; publication, event
  and contract dates are distractors;
- an organisation is a partner only with a role mark beside it (``(lead partner)``) or
  words that introduce partners before it in its sentence;
- a programme is a name holding a programme word and a head word (Interreg, IPA …).

Two candidates of the same field with different values and scores too close to tell
apart are an ambiguity: the field stays empty and a finding names both, never a guess.
Adding a language is adding its cue file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any, Final

from attrs import frozen

from socialproj import (
    Money,
    NumberStyle,
    ParseError,
    Partner,
    Role,
    Share,
    ShareSource,
    country_code,
    find_fund,
    parse_date,
    scan_amounts,
    settlement,
    subdivision,
)
from socialproj.vocabulary import month_words

from ._common import Draft, squash, strip_quotes

#: how much closer to the best a second value's score must come to make a pick a guess
CLOSE: Final = 0.08
_MONEY_ROLES: Final = ("total", "eu", "national", "own")
_SENTENCE_END: Final = re.compile(r"[.!?](?:\s+|$)(?=[^\s\d,.])|\n\s*\n")


@frozen
class Cues:
    """Cue words of every language, by kind of field (see ``cues/en.toml``)."""

    amounts: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    dates: dict[str, tuple[str, ...]]
    lead_marks: tuple[str, ...]
    partner_marks: tuple[str, ...]
    introduce: tuple[str, ...]
    organisation_types: tuple[str, ...]
    programme_words: tuple[str, ...]
    programme_heads: tuple[str, ...]
    programme_generic: tuple[str, ...]
    place_before: tuple[str, ...]
    place_countries: tuple[str, ...]
    news_project: tuple[str, ...]
    news_funding: tuple[str, ...]


def cue_languages() -> tuple[str, ...]:
    """The languages with a cue file."""
    folder = resources.files(__package__).joinpath("cues")
    return tuple(sorted(item.name[:-5] for item in folder.iterdir() if item.name.endswith(".toml")))


@cache
def _cue_file(code: str) -> dict[str, Any]:
    """One language's cue file, read and parsed once."""
    text = resources.files(__package__).joinpath("cues", f"{code}.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def cues() -> Cues:
    """The cue words of every language's file, merged (longest first within each list)."""
    amounts: dict[str, tuple[list[str], list[str]]] = {}
    dates: dict[str, list[str]] = {}
    lists: dict[str, list[str]] = {}
    for code in cue_languages():
        data = _cue_file(code)
        for role, words in data.get("amounts", {}).items():
            before, after = amounts.setdefault(role, ([], []))
            before += words.get("before", [])
            after += words.get("after", [])
        for role, words in data.get("dates", {}).items():
            dates.setdefault(role, []).extend(words.get("before", []))
        for section, key in (
            ("partners", "lead_marks"),
            ("partners", "partner_marks"),
            ("partners", "introduce"),
            ("organisations", "types"),
            ("programmes", "words"),
            ("programmes", "heads"),
            ("programmes", "generic"),
            ("places", "before"),
            ("places", "countries"),
            ("news", "project"),
            ("news", "funding"),
        ):
            lists.setdefault(f"{section}.{key}", []).extend(data.get(section, {}).get(key, []))

    def ordered(words: list[str]) -> tuple[str, ...]:
        return tuple(sorted(set(words), key=lambda w: (-len(w), w)))

    return Cues(
        amounts={r: (ordered(b), ordered(a)) for r, (b, a) in amounts.items()},
        dates={r: ordered(w) for r, w in dates.items()},
        lead_marks=ordered(lists["partners.lead_marks"]),
        partner_marks=ordered(lists["partners.partner_marks"]),
        introduce=ordered(lists["partners.introduce"]),
        organisation_types=ordered(lists["organisations.types"]),
        programme_words=ordered(lists["programmes.words"]),
        programme_heads=ordered(lists["programmes.heads"]),
        programme_generic=ordered(lists["programmes.generic"]),
        place_before=ordered(lists["places.before"]),
        place_countries=tuple(dict.fromkeys(lists["places.countries"])),
        news_project=ordered(lists["news.project"]),
        news_funding=ordered(lists["news.funding"]),
    )


@cache
def _language_words() -> dict[str, frozenset[str]]:
    """Each language's own words in its cues (of four letters or more), to tell its texts by."""
    words: dict[str, set[str]] = {}
    for code in cue_languages():
        data = _cue_file(code)
        found: set[str] = set()
        for section in ("amounts", "dates"):
            for role in data.get(section, {}).values():
                for key in ("before", "after"):
                    found |= {w for w in role.get(key, []) if len(w) >= 4}
        for section in ("partners", "news"):
            for value in data.get(section, {}).values():
                found |= {w for w in value if len(w) >= 4}
        words[code] = {
            token for phrase in found for token in _WORD.findall(phrase) if len(token) >= 4
        }
    counted: dict[str, int] = {}
    for found in words.values():
        for token in found:
            counted[token] = counted.get(token, 0) + 1
    # a word two languages share ("проект", "interreg") tells neither
    return {code: frozenset(t for t in found if counted[t] == 1) for code, found in words.items()}


def language_of(text: str) -> str:
    """The language of the cue files whose own words a text holds most (``en`` if none).

    >>> language_of("Проектът е на стойност 100 000 лв. и ще приключи на 1.1.2020")
    'bg'
    """
    tokens = _WORD.findall(text[:6000].casefold())
    counts = {
        code: sum(len(token) for token in tokens if token in words)
        for code, words in _language_words().items()
    }
    best = max(counts, key=lambda code: counts[code], default="en")
    return best if counts.get(best) else "en"


@frozen
class Candidate:
    """A value found in a text for a field, with the words that made it so."""

    field: str
    value: Any
    text: str
    start: int
    score: float
    cue: str = ""


def _has_word(window: str, cue: str, at_end: bool) -> int:
    """Where ``cue`` stands in ``window`` as whole words (the last or first place); -1."""
    finder = window.rfind if at_end else window.find
    at = finder(cue)
    while at >= 0:
        before_ok = at == 0 or not window[at - 1].isalnum() or not cue[0].isalnum()
        end = at + len(cue)
        after_ok = end >= len(window) or not window[end].isalnum() or not cue[-1].isalnum()
        if before_ok and after_ok:
            return at
        at = window.rfind(cue, 0, at) if at_end else window.find(cue, at + 1)
    return -1


_WORD: Final = re.compile(r"\w+")


@cache
def _cue_index(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Cues by their first word, so that a window is searched only for cues it may hold."""
    index: dict[str, list[str]] = {}
    for cue in words:
        first = _WORD.search(cue)
        index.setdefault(first.group() if first else "", []).append(cue)
    return {word: tuple(cues) for word, cues in index.items()}


def _cues_in(tokens: frozenset[str], words: tuple[str, ...]) -> Iterator[str]:
    index = _cue_index(words)
    yield from index.get("", ())
    for word in tokens:
        yield from index.get(word, ())


def cue_score(
    before: str,
    after: str,
    words: tuple[tuple[str, ...], tuple[str, ...]],
    tokens: tuple[frozenset[str], frozenset[str]] | None = None,
) -> tuple[float, str]:
    """How strongly the words before and after a value make it a role, and the cue.

    A cue scores more the more words it has and the nearer it stands: a cue before the
    value counts across the clause, a cue after it only right after it, in the same
    phrase (not across a comma or a bracket).
    """
    best, found = 0.0, ""
    before_cues, after_cues = words
    if tokens is None:
        tokens = (frozenset(_WORD.findall(before)), frozenset(_WORD.findall(after[:90])))
    if before:
        for cue in _cues_in(tokens[0], before_cues):
            at = _has_word(before, cue, at_end=True)
            if at >= 0:
                distance = len(before) - (at + len(cue))
                score = (1 + 0.15 * cue.count(" ")) * max(0.2, 1 - distance / 140)
                if score > best or (score == best and len(cue) > len(found)):
                    best, found = score, cue
    if after:
        head = after[:90]
        for cue in _cues_in(tokens[1], after_cues):
            at = _has_word(head, cue, at_end=False)
            if 0 <= at <= 30 and not any(mark in after[:at] for mark in ",;()"):
                score = (1 + 0.15 * cue.count(" ")) * (1 - at / 60)
                if score > best or (score == best and len(cue) > len(found)):
                    best, found = score, cue
    return best, found


def _clause_before(text: str, at: int, floor: int, size: int = 140) -> str:
    window = text[max(floor, at - size) : at]
    cut = 0
    for match in _SENTENCE_END.finditer(window):
        cut = match.end()
    return " ".join(window[cut:].casefold().split()) + (" " if window[-1:].isspace() else "")


def _clause_after(text: str, at: int, ceiling: int, size: int = 80) -> str:
    window = text[at : min(ceiling, at + size)]
    match = _SENTENCE_END.search(window)
    if match:
        window = window[: match.start()]
    return " ".join(window.casefold().split()).lstrip(" –-—")


class Engine:
    """The candidates of one text. ``text`` keeps its lines; ``style`` its numbers'."""

    def __init__(self, text: str, style: NumberStyle | None = None) -> None:
        self.text = "\n".join(squash(line) for line in text.splitlines())
        self.style = style if style is not None else NumberStyle.learn(self.text)
        self.cues = cues()

    # -- amounts -------------------------------------------------------------------------

    def amounts(self) -> list[Candidate]:
        """Every amount with a role its cue words give it (``other``: a distractor)."""
        found = scan_amounts(self.text, locale=self.style)
        result: list[Candidate] = []
        for index, item in enumerate(found):
            floor = found[index - 1].end if index else 0
            ceiling = found[index + 1].start if index + 1 < len(found) else len(self.text)
            before = _clause_before(self.text, item.start, floor)
            after = _clause_after(self.text, item.end, ceiling)
            tokens = (frozenset(_WORD.findall(before)), frozenset(_WORD.findall(after[:90])))
            scores = {
                role: cue_score(before, after, words, tokens)
                for role, words in self.cues.amounts.items()
            }
            part = scores.pop("part", (0.0, ""))
            if part[0] > 0 and "total" in scores:
                scores["total"] = (0.0, "")
            other = scores.pop("other", (0.0, ""))
            role, (score, cue) = max(scores.items(), key=lambda kv: kv[1][0])
            if other[0] > 0 and other[0] >= score:
                role, score, cue = "other", other[0], other[1]
            if score <= 0:
                continue
            value: Money | None = item.money
            if value is None:
                result.append(Candidate(role, None, item.text, item.start, score, item.error or ""))
                continue
            fund = None
            if role == "eu":
                fund = find_fund(after) or find_fund(before[-60:])
            result.append(Candidate(role, (value, fund), item.text, item.start, score, cue))
        return result

    # -- dates ---------------------------------------------------------------------------

    def dates(self) -> list[Candidate]:
        """Dates and ranges of dates with the role their cue words give them.

        A range yields a ``period`` candidate whose value is ``(start, end)``; a single date
        a ``start``, ``end`` or ``other`` candidate.
        """
        matches = list(_dates_in(self.text))
        result: list[Candidate] = []
        index = 0
        while index < len(matches):
            start, end, first = matches[index]
            floor = matches[index - 1][1] if index else 0
            before = _clause_before(self.text, start, floor, 70)
            other = cue_score(before, "", (self.cues.dates.get("other", ()), ()))
            if index + 1 < len(matches):
                n_start, n_end, second = matches[index + 1]
                between = self.text[end:n_start].casefold().strip()
                if _RANGE_JOIN.fullmatch(between):
                    pair = _read_pair(first, second)
                    if pair is not None:
                        score, cue = max(
                            cue_score(before, "", (self.cues.dates.get("period", ()), ())),
                            cue_score(before, "", (self.cues.dates.get("start", ()), ())),
                        )
                        line_start = self.text.rfind("\n", 0, start) + 1
                        line_end = self.text.find("\n", n_end)
                        line = self.text[line_start : line_end if line_end >= 0 else None]
                        alone = not line.replace(self.text[start:n_end], "").strip(" :–-")
                        if alone:
                            score, cue = max((score, cue), (0.6, "a line of its own"))
                        if other[0] >= score > 0 or (score == 0 and other[0] > 0):
                            result.append(
                                Candidate(
                                    "other", pair, self.text[start:n_end], start, other[0], other[1]
                                )
                            )
                        elif score > 0:
                            result.append(
                                Candidate("period", pair, self.text[start:n_end], start, score, cue)
                            )
                        index += 2
                        continue
            value = _read_one(first)
            if value is not None:
                scores = {
                    role: cue_score(before, "", (self.cues.dates.get(role, ()), ()))
                    for role in ("start", "end")
                }
                role, (score, cue) = max(scores.items(), key=lambda kv: kv[1][0])
                if other[0] >= score and other[0] > 0:
                    role, score, cue = "other", other[0], other[1]
                if score > 0:
                    result.append(Candidate(role, value, first, start, score, cue))
            index += 1
        return result

    # -- organisations -------------------------------------------------------------------

    def partners(self) -> list[Candidate]:
        """Organisations named with a role: a mark beside them or partner words before."""
        result: list[Candidate] = []
        text = self.text
        for start, end, name in self._organisations():
            after = text[end : end + 40]
            mark = _ROLE_MARK.match(after)
            role, cue = _marked_role(mark.group(1), self.cues) if mark else (None, "")
            if role is None:
                # the words that introduce partners stand right before the name (or head
                # the list it stands in): "съвместно с ВМА, а … от Столична община" is not
                before = _clause_before(text, start, 0, 45)
                heading = _heading_before(text, start)
                score, cue = cue_score(before + " " + heading, "", (self.cues.introduce, ()))
                if score <= 0:
                    continue
                leads = cue_score(before[-40:], "", (self.cues.lead_marks, ()))
                role = (
                    Role.LEAD if leads[0] > 0 and " partner" not in before[-12:] else Role.PARTNER
                )
                if role is Role.LEAD and any(p.value[1] is Role.LEAD for p in result):
                    role = Role.PARTNER
            after_mark = end + (mark.end() if mark else 0)
            country = _country_after(text[after_mark : after_mark + 40])
            result.append(
                Candidate("partner", (name, role, country), text[start:end], start, 1.0, cue)
            )
        return result

    def _organisations(self) -> Iterator[tuple[int, int, str]]:
        pattern = _organisation_pattern(self.cues.organisation_types)
        stops = _first_words(self.cues.organisation_types)
        taken: list[tuple[int, int]] = []
        for match in pattern.finditer(self.text):
            start, end = _expand_name(self.text, match.start(), match.end(), stops=stops)
            if any(s <= start < e or s < end <= e for s, e in taken):
                continue
            name = self.text[start:end].strip(" ,")
            if name.casefold().startswith("the "):
                name, start = name[4:], start + 4
            if len(name.split()) < 2 or "\n" in name:
                continue
            taken.append((start, end))
            yield start, end, name

    # -- places --------------------------------------------------------------------------

    def places(self) -> list[Candidate]:
        """Towns and provinces the gazetteers know, after words that put the project there.

        ``in the area of Vratsa and Piatra-Olt``, ``в Шабла``: each name is looked up
        (towns of the national registers, ISO 3166-2 subdivisions); a name they do not
        know, or know more than once, is left out rather than guessed.
        """
        result: list[Candidate] = []
        cues_ = "|".join(re.escape(c) for c in self.cues.place_before)
        if not cues_:
            return result
        pattern = re.compile(
            rf"(?<!\w)(?:{cues_})\s((?:[A-ZА-Я][\w’'-]+)(?:\s[A-ZА-Я][\w’'-]+)?"
            rf"(?:(?:,\s|\s(?:and|и|и на)\s)[A-ZА-Я][\w’'-]+(?:\s[A-ZА-Я][\w’'-]+)?)*)",
            re.IGNORECASE,
        )
        for match in pattern.finditer(self.text):
            if not match.group(1)[:1].isupper():
                continue
            for name in re.split(r",\s|\s(?:and|и|и на)\s", match.group(1)):
                place = _known_place(name, self.cues.place_countries)
                if place is None and " " in name:
                    name = name.split()[0]
                    place = _known_place(name, self.cues.place_countries)
                if place is not None:
                    result.append(Candidate("place", place, name, match.start(1), 1.0, ""))
        return result

    # -- programmes ----------------------------------------------------------------------

    def programmes(self) -> list[Candidate]:
        """Programme names: a span of name words holding a programme word and a head word."""
        result: list[Candidate] = []
        words = "|".join(re.escape(w) for w in self.cues.programme_words)
        for match in re.finditer(rf"(?<!\w)(?:{words})(?!\w)", self.text, re.IGNORECASE):
            start, end = _expand_name(self.text, match.start(), match.end(), programme=True)
            name = self.text[start:end].strip(" ,.;:")
            folded = name.casefold()
            heads = [h for h in self.cues.programme_heads if _has_word(folded, h, False) >= 0]
            if not heads or len(name) < 12 or "\n" in name:
                continue
            generic = set(self.cues.programme_words) | set(self.cues.programme_generic)
            if all(word in generic for word in folded.split()):
                continue  # "Оперативна програма", "Interreg programme": which one is not said
            if _UNCERTAIN_END.match(self.text[end : end + 40]):
                continue  # "Оперативна програма Развитие на човешките …": where it ends is unsure
            head = min(heads, key=lambda h: folded.find(h))
            score = 1.0 + 0.1 * len(heads) + (0.3 if folded.find(head) == 0 else 0.0)
            result.append(Candidate("programme", name, name, start, score, head))
        return result


# -- dates as written ------------------------------------------------------------------------


@cache
def _month_pattern() -> str:
    return trie_pattern([name for name in month_words() if len(name) >= 3])


# a name followed by a connector and a word in lower case goes on, but how far is unsure
_UNCERTAIN_END: Final = re.compile(r"\s(?:на|за|of|for|и|and|в|in)\s[a-zа-я]")
_RANGE_JOIN: Final = re.compile(r"(?:г\.?\s*)?(?:[-–—]|to|until|till|до|-\s*до|and)\s*")


_YEAR: Final = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _dates_in(text: str) -> Iterator[tuple[int, int, str]]:
    """Every date as written, found around the years (cheap to find) of the text."""
    pattern = _date_regex(_month_pattern())
    last_end = 0
    for year in _YEAR.finditer(text):
        if year.start() < last_end:
            continue
        low = max(last_end, year.start() - 40)
        for match in pattern.finditer(text, low, min(len(text), year.end() + 8)):
            if match.end() >= year.end():
                last_end = match.end()
                yield match.start(), match.end(), match.group()
                break


@cache
def _date_regex(months: str) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w./-])(?:"
        r"\d{4}-\d{2}-\d{2}"
        r"|\d{1,2}[./]\d{1,2}[./]\d{4}"
        rf"|\d{{1,2}}(?:st|nd|rd|th)?\.?\s(?:{months})\.?,?\s\d{{4}}"
        rf"|(?:{months})\.?\s\d{{1,2}}(?:st|nd|rd|th)?,?\s\d{{4}}"
        rf"|(?:{months})\.?,?\s\d{{4}}"
        r")(?!\d)(?:\s?г\.)?",
        re.IGNORECASE,
    )


_NUMERIC: Final = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_ORDINAL: Final = re.compile(r"(\d)(?:st|nd|rd|th)\b")


def _read_one(text: str, order: str = "DMY") -> Any:
    cleaned = _ORDINAL.sub(r"\1", text.strip(" ,.")).replace(" г.", "").strip()
    try:
        return parse_date(cleaned, order=order)  # type: ignore[arg-type]
    except ParseError:
        return None


def _read_pair(first: str, second: str) -> tuple[Any, Any] | None:
    """Two dates of a range, month first when either of them proves it (04/30/2022)."""
    order = "DMY"
    for text in (first, second):
        numeric = _NUMERIC.search(text)
        if numeric and int(numeric.group(1)) <= 12 < int(numeric.group(2)):
            order = "MDY"
    start, end = _read_one(first, order), _read_one(second, order)
    if start is None or end is None or str(end) < str(start):
        return None
    return start, end


# -- names as written ----------------------------------------------------------------------

_JOINERS: Final = frozenset({"and", "и", "și", "si"})
_CONNECTORS: Final = frozenset({"of", "for", "and", "the", "на", "за", "и", "de", "du", "din"})
_ROLE_MARK: Final = re.compile(r"\s?\(([^()\n]{1,30})\)")
#: the same mark ending an entry of a list ("Region of Western Macedonia (Lead Partner)")
_ENDING_MARK: Final = re.compile(r"\s?\(([^()\n]{1,30})\)\s*$")


@cache
def _first_words(types: tuple[str, ...]) -> frozenset[str]:
    return frozenset(t.split()[0] for t in types)


def trie_pattern(words: list[str] | tuple[str, ...]) -> str:
    """A regular expression matching any of ``words``, their common prefixes factored out.

    An alternation of hundreds of names is tried name by name at every position of a
    text; factored into a trie it is tried letter by letter.

        >>> trie_pattern(["may", "march", "mar"])
        'ma(?:r(?:ch)?|y)'
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [
            re.escape(letter) + render(child) for letter, child in sorted(node.items()) if letter
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
        return body

    return render(trie)


@cache
def _organisation_pattern(types: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{trie_pattern(types)})(?!\w)", re.IGNORECASE)


_QUOTED: Final = r"(?:„|“|”|\"|«|'')[^„“”\"«»\n]{1,100}?(?:“|”|\"|»|'')"
_TOKEN: Final = re.compile(rf"{_QUOTED}|[\w’'.-]+")


_LONGEST_NAME: Final = 200
_LAST_TOKEN: Final = re.compile(r"([\w’'.-]+|„[^“”\"\n]{1,60}[“”\"])$")


def _capitalised(token: str) -> bool:
    return token[:1].isupper() or token[:1].isdigit() or token[:1] in "„“”\"«'"


def _expand_name(
    text: str, start: int, end: int, programme: bool = False, stops: frozenset[str] = frozenset()
) -> tuple[int, int]:
    """The span of a name around one of its words: capitalised words and their connectors.

    A connector ("and", "и") does not join a word in ``stops``: the word that begins
    another organisation's name ("Община А и Сдружение Б" are two).
    """
    # to the left: capitalised words (and numbers) right before, one space apart
    left = start
    while start - left < _LONGEST_NAME:
        low = max(0, left - 80)
        window = text[low:left]
        if not window.endswith(" ") or window.endswith("  "):
            break
        match = _LAST_TOKEN.search(window[:-1])
        if not match or not _capitalised(match.group(1)) or match.group(1).endswith("."):
            break
        left = low + match.start(1)
    # to the right: capitalised words, connectors followed by one, quoted names, years
    right = end
    while right - end < _LONGEST_NAME:
        rest = text[right : right + 120]
        match = _TOKEN.match(rest.lstrip(" ")) if rest[:1] == " " else None
        if match is None and programme:
            match = re.match(_QUOTED, rest)
        if programme:
            dash = re.match(r"\s?[-–—]\s?(?=[A-ZА-Я„“\"])", rest)
            joined = _TOKEN.match(rest[dash.end() :]) if dash else None
            if dash and joined:  # "Romania - Bulgaria", "Greece – North Macedonia"
                right += dash.end() + len(joined.group().rstrip("."))
                continue
        if not match:
            break
        token = match.group()
        offset = len(rest) - len(rest.lstrip(" "))
        if token.casefold() in _CONNECTORS:
            nxt = _TOKEN.match(rest[offset + len(token) :].lstrip(" "))
            if (
                not nxt
                or not _capitalised(nxt.group())
                or nxt.group().casefold() in _CONNECTORS
                or (token.casefold() in _JOINERS and nxt.group().casefold() in stops)
            ):
                break
            right += offset + len(token)
            continue
        if not _capitalised(token) and not (programme and re.fullmatch(r"\d{4}-\d{4}", token)):
            break
        right += offset + len(token.rstrip("."))
        if token.endswith("."):
            break
    return left, right


def _heading_before(text: str, at: int) -> str:
    """The line that ends with ':' above the list an entry stands in, if it is near."""
    above = text[max(0, at - 300) : at]
    lines = above.splitlines()
    for line in reversed(lines[:-1]):
        if line.rstrip().endswith(":"):
            return " ".join(line.casefold().split())
        if not line.strip() or line.lstrip()[:1] in "•●▪-–":
            continue
        break
    return ""


def _country_after(text: str) -> str | None:
    match = re.match(
        r"\s?(?:in|from|\(|-|–|,)\s?(?:the\s)?([A-ZА-Я][\w.]+(?:\s[A-ZА-Я][\w.]+)?)", text
    )
    if not match:
        return None
    return country_code(match.group(1).rstrip(")."), codes=False)


def role_mark(entry: str) -> tuple[str, Role | None]:
    """An entry without the role mark it ends with, and the role the mark gives.

    >>> role_mark("Region of Western Macedonia (Lead Partner)")
    ('Region of Western Macedonia', <Role.LEAD: 'lead'>)
    """
    match = _ENDING_MARK.search(entry)
    if match is None:
        return entry, None
    role, _ = _marked_role(match.group(1), cues())
    return (entry[: match.start()].rstrip(), role) if role is not None else (entry, None)


def _marked_role(mark: str, known: Cues) -> tuple[Role | None, str]:
    """The role the words of a mark in parentheses give (``Lead Partner``), and the cue."""
    word = " ".join(mark.casefold().split())
    if word in known.lead_marks:
        return Role.LEAD, word
    if word in known.partner_marks:
        return Role.PARTNER, word
    return None, ""


def _known_place(name: str, countries: tuple[str, ...]) -> tuple[str, str | None] | None:
    """A name the gazetteers of ``countries`` know once: a town, else a subdivision."""
    towns = [t for c in countries if (t := settlement(name, c, kind="town")) is not None]
    areas = [a for c in countries if (a := subdivision(name, c)) is not None]
    if len(towns) == 1:
        return name, towns[0].country
    if not towns and len(areas) == 1:
        return name, areas[0].country
    return None


# -- filling a draft ---------------------------------------------------------------------


def _best(
    candidates: list[Candidate], key: Any = None
) -> tuple[Candidate | None, Candidate | None]:
    """The best candidate, and a rival whose different value scores too close to it."""
    if not candidates:
        return None, None
    key = key or (lambda c: c.value)
    groups: dict[Any, list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(key(candidate), []).append(candidate)
    ranked = sorted(
        (
            (max(c.score for c in group) + 0.1 * (len(group) - 1), group[0])
            for group in groups.values()
        ),
        key=lambda pair: -pair[0],
    )
    best_score, best = ranked[0]
    if len(ranked) > 1 and best_score - ranked[1][0] < CLOSE:
        return best, ranked[1][1]
    return best, None


def _ambiguous(draft: Draft, path: str, one: Candidate, two: Candidate) -> None:
    draft.note(
        "import.ambiguous",
        path,
        f"the text gives two values for this field with the same weight: {one.text!r} "
        f"(after {one.cue!r}) and {two.text!r} (after {two.cue!r}); neither is taken",
        text=f"{one.text} / {two.text}",
    )


def fill(draft: Draft, engine: Engine, *, labelled: bool = False) -> None:
    """Fill what a layout's labels left empty from the engine's picks.

    A ``labelled`` layout (a fiche) has its partners and places under labels: the prose
    is searched for them only when the labels gave none.
    """
    _fill_money(draft, engine)
    _fill_dates(draft, engine)
    if draft.programme is None:
        best, _ = _best(engine.programmes())
        if best is not None:
            draft.programme = strip_quotes(best.value) if best.value[:1] in '„“"' else best.value
            draft.raw("programme.name", best.text)
    if not (labelled and draft.places):
        for candidate in engine.places():
            name, country = candidate.value
            draft.add_place(name, country)
    if labelled and draft.partners:
        return
    known = {p.name.casefold() for p in draft.partners}
    for candidate in engine.partners():
        name, role, country = candidate.value
        if any(name.casefold() in other or other in name.casefold() for other in known):
            continue  # a partner the layout read already, or one of its spellings
        if role is Role.LEAD and any(p.role is Role.LEAD for p in draft.partners):
            role = Role.PARTNER
        draft.add_partner(Partner(name, role, country, candidate.cue or None))
        draft.raw(f"partners.{len(draft.partners)}", candidate.text)
        known.add(name.casefold())


def _fill_money(draft: Draft, engine: Engine) -> None:
    have = {share.source for share in draft.shares}
    if draft.total is not None and {ShareSource.EU, ShareSource.NATIONAL} <= have:
        return
    amounts = [c for c in engine.amounts() if c.field in _MONEY_ROLES]
    noted = {finding.data.get("text") for finding in draft.findings}
    for candidate in amounts:
        if candidate.value is None and candidate.text not in noted:
            draft.note(  # an amount a role's words point at, that could not be read
                "import.amount.ambiguous",
                f"$.funding.{candidate.field}",
                candidate.cue,
                text=candidate.text,
            )
    amounts = [c for c in amounts if c.value is not None]
    key = lambda c: (c.value[0].amount, c.value[0].currency)  # noqa: E731
    if draft.total is None:
        best, rival = _best([c for c in amounts if c.field == "total"], key)
        if rival is not None and best is not None:
            _ambiguous(draft, "$.funding.total", best, rival)
        elif best is not None:
            draft.total = best.value[0]
            draft.raw("funding.total", best.text)
    for role in ("eu", "national", "own"):
        source = ShareSource(role)
        if source in have:
            continue
        best, rival = _best([c for c in amounts if c.field == role], key)
        if rival is not None and best is not None:
            _ambiguous(draft, f"$.funding.shares.{role}", best, rival)
        elif best is not None:
            money, fund = best.value
            if (
                draft.total is not None
                and money.currency == draft.total.currency
                and money.amount > draft.total.amount
            ):
                continue  # a share above the total is not this project's share
            draft.shares.append(Share(source, fund, money))
            draft.raw(f"funding.shares.{role}", best.text)


def _fill_dates(draft: Draft, engine: Engine) -> None:
    if draft.start is not None and draft.end is not None:
        return
    dates = engine.dates()
    periods = [c for c in dates if c.field == "period"]
    best, rival = _best(periods)
    if rival is not None and best is not None:
        _ambiguous(draft, "$.period", best, rival)
        return
    if best is not None and draft.start is None and draft.end is None:
        draft.start, draft.end = best.value
        draft.raw("period.start", best.text)
        return
    for role in ("start", "end"):
        if getattr(draft, role) is not None:
            continue
        best, rival = _best([c for c in dates if c.field == role], lambda c: str(c.value))
        if rival is not None and best is not None:
            _ambiguous(draft, f"$.period.{role}", best, rival)
        elif best is not None:
            setattr(draft, role, best.value)
            draft.raw(f"period.{role}", f"{best.cue} {best.text}")


__all__ = [
    "CLOSE",
    "Candidate",
    "Cues",
    "Engine",
    "cue_languages",
    "cue_score",
    "cues",
    "fill",
    "language_of",
    "role_mark",
]
