"""Reading amounts of money from what documents write, and writing them back.

:func:`parse_money` reads one amount (``"198 660,00 лв."``, ``"€ 28,890,790.79"``,
``"1,2 млн. лв."``, ``"близо 532 хил. лв."``); :func:`scan_amounts` finds every amount in
a longer text; :class:`NumberStyle` says which marks a document uses for decimals and
thousands, and :meth:`NumberStyle.learn` works it out once for a whole document.

The one rule that needs care: a lone separator before exactly three digits (``136,363``,
``1.234``) may be a decimal mark or a thousands separator. Without a locale or a learned
style to settle it, :class:`~socialproj.AmbiguousAmount` is raised — a wrong amount is
never returned. Everything here is plain string code: no regular expression can be made
to backtrack (the one pattern, for runs of digits, matches a run one way only), and no
locale library is consulted per value.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Final

from attrs import frozen

from .currencies import currency_from_word
from .errors import AmbiguousAmount, ParseError, expect
from .money import Money, Qualifier, plain
from .vocabulary import fold

__all__ = [
    "STYLES",
    "FoundAmount",
    "NumberStyle",
    "format_money",
    "parse_amount",
    "parse_money",
    "scan_amounts",
]

_DIGITS: Final = frozenset("0123456789")
#: Characters used to group thousands that can never be a decimal mark.
_SPACES: Final = frozenset(" \u00a0\u202f\u2009\u2007")
_APOSTROPHES: Final = frozenset("'’")
_GROUP_ONLY: Final = _SPACES | _APOSTROPHES
_MARKS: Final = frozenset(".,")
_SEPARATORS: Final = _GROUP_ONLY | _MARKS
_MINUS: Final = frozenset("-−")  # ASCII hyphen-minus and U+2212 MINUS SIGN
_SYMBOLS: Final = frozenset("€$£₺¥₴₽")


@frozen
class NumberStyle:
    """The marks a document uses: ``decimal`` (``"."`` or ``","``) and ``group``.

    ``group`` is ``","``, ``"."``, a space (plain, no-break U+00A0 or narrow no-break
    U+202F), an apostrophe, or ``""`` for none. Only ``decimal`` matters for reading;
    ``group`` is used for writing.

        >>> NumberStyle.for_locale("bg")
        NumberStyle(decimal=',', group=' ', name='space-comma')
    """

    decimal: str
    group: str
    name: str = ""

    def __attrs_post_init__(self) -> None:
        if self.decimal not in _MARKS:
            raise ValueError(f"decimal mark must be '.' or ',', not {self.decimal!r}")
        if self.group == self.decimal or (self.group and self.group not in _SEPARATORS):
            raise ValueError(f"{self.group!r} cannot group thousands with {self.decimal!r}")

    @classmethod
    def for_decimal(cls, decimal: str) -> NumberStyle:
        """The style of numbers whose decimal mark is ``decimal`` (the ``decimal`` option).

        ``","`` writes no grouping (``1234,5``: a dot would be ambiguous), ``"."`` groups
        with commas (``1,234.5``).
        """
        return cls(decimal, "" if decimal == "," else ",")

    @classmethod
    def for_locale(cls, locale: str | NumberStyle) -> NumberStyle:
        """The style of a locale (``"bg"``, ``"en_GB"``, ``"de-CH"``) or a style's name."""
        if isinstance(locale, NumberStyle):
            return locale
        expect(locale, str, "a locale is a language code, a style name or a NumberStyle")
        key = locale.strip()
        if key in STYLES:
            return STYLES[key]
        lang, _, region = key.replace("-", "_").partition("_")
        lang, region = lang.lower(), region.upper()
        if (lang, region) in _REGIONAL:
            return STYLES[_REGIONAL[lang, region]]
        if lang in _LANGUAGE_STYLES:
            return STYLES[_LANGUAGE_STYLES[lang]]
        raise ValueError(
            f"unknown locale {locale!r}: use a language code such as 'bg', 'en', 'ro', 'de', "
            f"a style name ({', '.join(sorted(STYLES))}) or a NumberStyle"
        )

    @classmethod
    def learn(cls, text: str) -> NumberStyle | None:
        """The decimal mark a whole document uses, learned from its unambiguous amounts.

        Only numbers next to a currency word count (``5.087 km`` says nothing about
        money). Returns ``None`` when the document gives no evidence or contradicts
        itself; pass the result as ``locale`` to :func:`parse_money`.

            >>> NumberStyle.learn("671.561,63 euro, from which 570.827,37 euro FEDR").decimal
            ','
        """
        return _style_of(text[start:end] for start, end in _money_tokens(text))

    @classmethod
    def learn_numbers(cls, values: Iterable[str]) -> NumberStyle | None:
        """The decimal mark a column of bare numbers uses (``"1 234,56"``, ``"1,234.56"``).

        Like :meth:`learn`, but every value counts (a spreadsheet column of amounts has
        no currency words); ``None`` without evidence or with contradicting evidence.

            >>> NumberStyle.learn_numbers(["1 234,56", "98,10", "17"]).decimal
            ','
        """
        spans = ((value, _number_span(value)) for value in values)
        return _style_of(value[span[0] : span[1]] for value, span in spans if span is not None)

    def format(self, amount: Decimal) -> str:
        """Write ``amount`` in this style, keeping its scale: ``1 234,50``."""
        text = plain(amount)
        sign = ""
        if text.startswith("-"):
            sign, text = "-", text[1:]
        whole, _, frac = text.partition(".")
        if self.group and len(whole) > 3:
            head = len(whole) % 3 or 3
            parts = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
            whole = self.group.join(parts)
        return f"{sign}{whole}{self.decimal}{frac}" if frac else f"{sign}{whole}"


def _style_of(numbers: Iterable[str]) -> NumberStyle | None:
    """The style the numbers' unambiguous decimal marks agree on; ``None`` if none or both."""
    votes = {".": 0, ",": 0}
    for number in numbers:
        mark = _decimal_evidence(number)
        if mark:
            votes[mark] += 1
    if votes["."] and votes[","]:
        return None
    if votes["."]:
        return STYLES["en"]
    if votes[","]:
        return STYLES["space-comma"]
    return None


#: Named styles; every one can be read back by :func:`parse_money` given the style.
STYLES: Final[dict[str, NumberStyle]] = {
    style.name: style
    for style in (
        NumberStyle(".", ",", "en"),
        NumberStyle(",", ".", "continental"),
        NumberStyle(",", " ", "space-comma"),
        NumberStyle(".", " ", "space-dot"),
        NumberStyle(",", "\u00a0", "nbsp-comma"),
        NumberStyle(",", "\u202f", "narrow-nbsp-comma"),
        NumberStyle(".", "", "plain-dot"),
        NumberStyle(",", "", "plain-comma"),
        NumberStyle(".", "'", "swiss"),
    )
}

_LANGUAGE_STYLES: Final = {
    **dict.fromkeys(("en", "ga", "mt", "he", "ja", "zh", "ko", "th", "hi"), "en"),
    **dict.fromkeys(
        (
            "bg",
            "fr",
            "cs",
            "sk",
            "pl",
            "ru",
            "uk",
            "hu",
            "fi",
            "sv",
            "nb",
            "no",
            "lt",
            "lv",
            "et",
            "sq",
        ),
        "space-comma",
    ),
    **dict.fromkeys(
        ("de", "ro", "mk", "sr", "hr", "sl", "bs", "el", "tr", "it", "es", "pt", "nl", "da", "id"),
        "continental",
    ),
}
_REGIONAL: Final = {("de", "CH"): "swiss", ("it", "CH"): "swiss", ("fr", "CH"): "swiss"}


# -- words around a number -------------------------------------------------------------

# The words (currency words, scale words such as "млн.", qualifiers such as "около") are
# each language's, in socialproj.vocabulary; a word meaning different things in
# different languages ("mil") is read in the language the amount's other words or the
# locale point to, and refused when nothing settles it.

_QUALIFIER_OF: Final = {member.value: member for member in Qualifier}
#: dashes that are a minus sign when they stand right before the digits
_DASH_MINUS: Final = frozenset("–—")
_ALL_MINUS: Final = _MINUS | _DASH_MINUS


def _languages(locale: str | NumberStyle | None) -> tuple[str, ...]:
    """The language a locale names (``"bg"``, ``"en_GB"`` → ``"en"``), to settle words."""
    if not isinstance(locale, str):
        return ()
    from .vocabulary import languages

    code = locale.strip().replace("_", "-")
    if code in languages():
        return (code,)
    lang = code.split("-", 1)[0].lower()
    return (lang,) if lang in languages() else ()


_POWERS: Final = {3: "a thousand", 6: "a million", 9: "a billion"}


def _scale(word: str, prefer: tuple[str, ...], text: str) -> int | None:
    """The power of ten a scale word multiplies by, ``None`` if it is none."""
    from .vocabulary import AmbiguousWord, language, scale_words

    try:
        return scale_words().meaning(word, prefer)
    except AmbiguousWord as exc:
        said = "; ".join(
            f"{_POWERS.get(power, f'10^{power}')} in "
            f"{', '.join(language(code).name for code in codes)}"
            for power, codes in exc.meanings.items()
        )
        raise ParseError(f"{word!r} means {said}: name the language (locale=)", text=text) from None


def _qualifier(phrase: str, prefer: tuple[str, ...], text: str) -> Qualifier | None:
    from .vocabulary import AmbiguousWord, qualifier_words

    try:
        found = qualifier_words().meaning(phrase, prefer)
    except AmbiguousWord as exc:
        raise ParseError(f"{exc} (locale=)", text=text) from None
    return None if found is None else _QUALIFIER_OF[found]


def _currency_of(word: str, prefer: tuple[str, ...], text: str) -> str | None:
    """The ISO code a word names; a word naming several in different languages is refused."""
    code = currency_from_word(word, languages=prefer)
    if code is None:
        from .currencies import currency_meanings

        meanings = currency_meanings(word)
        if len(meanings) > 1:
            from .vocabulary import language

            said = "; ".join(
                f"{c} in {', '.join(language(code).name for code in codes)}"
                for c, codes in meanings.items()
            )
            raise ParseError(f"{word!r} names {said}: name the language (locale=)", text=text)
    return code


def _lookalike_note(word: str) -> str:
    from .codes import lookalikes

    hint = lookalikes(word)
    return f" ({hint})" if hint and any(ch.isascii() for ch in word) else ""


def _word_languages(words: Iterable[str]) -> tuple[str, ...]:
    """The languages a currency word among ``words`` is written in (to read the others in).

    Only a word whose languages agree on what it means tells: ``lei`` (Romanian) does,
    ``kr`` (Danish or Swedish krone) does not, nor does a code in capitals (``EUR``).
    """
    from .vocabulary import COMMON, currency_words

    table = currency_words()
    found: list[str] = []
    for word in words:
        if word.isupper() and len(word) == 3:
            continue
        meanings = table.get(fold(word), {})
        if len(set(meanings.values())) == 1:
            found.extend(code for code in meanings if code != COMMON)
    return tuple(dict.fromkeys(found))


def _words(text: str) -> list[str]:
    """Split text around a number into folded words and currency signs."""
    words: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            words.append("".join(current))
            current.clear()

    for ch in text:
        if ch.isalpha() or (ch in "-'’" and current):
            current.append(ch)
        elif ch == "." and current:
            flush()  # "млн." and "лв." end with a dot that belongs to the word
        elif ch in _SYMBOLS or ch in _DASH_MINUS:
            flush()
            words.append(ch)
        elif ch.isspace() or ch in ",;:()*/\u00a0\u202f" or ch == ".":
            flush()
        else:
            flush()
            words.append(ch)  # anything else must be explained or the text is refused
    flush()
    return words


def _read_words(
    words: list[str], text: str, *, before: bool, prefer: tuple[str, ...]
) -> tuple[str | None, Qualifier | None, int, bool]:
    """Currency, qualifier, scale exponent and sign from the words beside a number.

    A minus sign (``-``, ``−``, ``–``, ``—``) counts only as the last word before the
    number; anywhere else a dash is refused rather than read or dropped.
    """
    currency: str | None = None
    qualifier: Qualifier | None = None
    scale = 0
    negative = False
    i = 0
    folded = [fold(w) for w in words]
    while i < len(words):
        word = folded[i]
        if before:
            found = None
            for size in (3, 2):
                if i + size <= len(words):
                    found = _qualifier(" ".join(folded[i : i + size]), prefer, text)
                    if found is not None:
                        qualifier = found
                        i += size
                        break
            if found is not None:
                continue
        unit = _scale(word, prefer, text) if not before and scale == 0 else None
        found_code = _currency_of(words[i], prefer, text) if unit is None else None
        if found_code is not None:
            if currency is not None and currency != found_code:
                raise ParseError("names two different currencies", text=text)
            currency = found_code
        elif unit is not None:
            scale = unit
        elif before and (quality := _qualifier(word, prefer, text)) is not None:
            qualifier = quality
        elif before and words[i] in _ALL_MINUS and i == len(words) - 1:
            negative = True
        elif word == "%":
            raise ParseError("is a percentage, not an amount of money", text=text)
        else:
            said = (
                "a dash away from the digits (is it a minus sign?)"
                if words[i] in _ALL_MINUS
                else f"cannot read {words[i]!r} as part of an amount" + _lookalike_note(words[i])
            )
            raise ParseError(
                said if words[i] not in _ALL_MINUS else f"has {said}",
                text=text,
                expected="a number with an optional currency, scale word or qualifier",
            )
        i += 1
    return currency, qualifier, scale, negative


# -- the number itself -----------------------------------------------------------------


# digits with single separators between them; a separator is never a digit, so a run
# matches one way only and the pattern cannot backtrack
_NUMBER_RUN: Final = re.compile("[0-9](?:[.,'’ \u00a0\u202f\u2009\u2007]?[0-9])*")


def _number_span(text: str, start: int = 0) -> tuple[int, int] | None:
    """The first run of digits and single separators between digits, from ``start``.

    A number in scientific notation (``4.729375062E7``) is one run with its exponent.
    """
    match = _NUMBER_RUN.search(text, start)
    if match is None:
        return None
    end = match.end()
    tail = _EXPONENT.match(text, end)
    if tail is not None and _SCIENTIFIC.fullmatch(text, match.start(), tail.end()):
        end = tail.end()
    return match.start(), end


def _split(token: str) -> tuple[list[str], list[str]]:
    """Digit runs and the separators between them."""
    runs: list[str] = []
    seps: list[str] = []
    current = []
    for ch in token:
        if ch in _DIGITS:
            current.append(ch)
        else:
            runs.append("".join(current))
            current = []
            seps.append(ch)
    runs.append("".join(current))
    return runs, seps


def _decimal_evidence(token: str) -> str | None:
    """The decimal mark a number proves its document uses, if it proves one."""
    runs, seps = _split(token)
    marks = [s for s in seps if s in _MARKS]
    if not marks:
        return None
    last = marks[-1]
    if len(set(marks)) == 2:
        return last
    if len(marks) >= 2:  # repeated: the mark groups, so the other one is the decimal
        return "," if last == "." else "."
    tail = runs[-1] if seps[-1] == last else None
    if tail is not None and len(tail) != 3:
        return last
    return None


# what spreadsheets and programs write for numbers: 4.729375062E7 (a dot, no grouping)
_SCIENTIFIC: Final = re.compile(r"\d{1,17}(?:\.\d{1,17})?[eE](?P<exponent>[+-]?\d{1,3})")
_EXPONENT: Final = re.compile(r"[eE][+-]?\d{1,3}(?!\w)")
_MAX_EXPONENT: Final = 20


def _scientific(token: str, exponent: int, quoted: str) -> Decimal:
    """``4.729375062E7`` as the exact ``47293750.62`` (its digits, none added or lost)."""
    if abs(exponent) > _MAX_EXPONENT:
        raise ParseError(
            f"has the exponent {exponent}, beyond what an amount can have",
            text=quoted,
            expected=f"an exponent from -{_MAX_EXPONENT} to {_MAX_EXPONENT}",
        )
    value = Decimal(token)
    places = max(0, -int(value.as_tuple().exponent))
    return value.quantize(Decimal(1).scaleb(-places))


def parse_amount(
    token: str,
    *,
    style: NumberStyle | None = None,
    text: str | None = None,
    strict: bool = False,
) -> Decimal:
    """Read a number written with grouping and a decimal mark: ``"4,769,687.25"``, ``"-1 234,50"``.

    ``style`` settles a lone separator before exactly three digits; without one such
    a number raises :class:`AmbiguousAmount`. Grouping must be regular (groups of three).
    With ``strict``, ``style`` is how every number is written (a column whose style was
    stated or learned): a number whose decimal mark is another (``288.11`` in a column
    written ``1 234,56``) raises :class:`ParseError` instead of being read its own way.
    Scientific notation, as programs write numbers, is read exactly:

        >>> parse_amount("4.729375062E7"), parse_amount("1E-2")
        (Decimal('47293750.62'), Decimal('0.01'))
    """
    quoted = text if text is not None else token
    if not token:
        raise ParseError("is empty", text=quoted, expected="a number")
    if token[:1] in _MINUS and len(token) > 1:
        if token[1:2] in _MINUS:  # "--1" is no number, not a double negative
            raise ParseError("has two minus signs", text=quoted, expected="a number")
        return parse_amount(token[1:], style=style, text=quoted, strict=strict).copy_negate()
    scientific = _SCIENTIFIC.fullmatch(token)
    if scientific is not None:
        return _scientific(token, int(scientific["exponent"]), quoted)
    runs, seps = _split(token)
    if not seps:
        return Decimal(token)
    if not all(runs):
        raise ParseError("has separators that are not between digits", text=quoted)
    for sep in seps:
        if sep not in _SEPARATORS:  # "1-000", "1e500": no grouping, no number
            raise ParseError(
                f"holds {sep!r}, which is not part of a number",
                text=quoted,
                expected="digits grouped by '.', ',', spaces or apostrophes",
            )
    marks = [s for s in seps if s in _MARKS]
    decimal_at: int | None = None  # index into seps of the decimal mark
    if marks:
        last = marks[-1]
        last_at = len(seps) - 1 - seps[::-1].index(last)
        if last_at != len(seps) - 1:
            raise ParseError("has a thousands separator after its decimal mark", text=quoted)
        kinds = set(marks)
        if len(kinds) == 2:
            decimal_at = last_at
            if marks.count(last) > 1:
                raise ParseError("has two decimal marks", text=quoted)
        elif len(marks) > 1:
            if style is not None and style.decimal == last and all(s in _MARKS for s in seps):
                raise ParseError(
                    f"repeats {last!r}, which is the decimal mark in the {style.name or 'given'} "
                    "style",
                    text=quoted,
                )
            decimal_at = None
        elif any(s in _GROUP_ONLY for s in seps[:-1]):
            decimal_at = last_at  # "1 234,567": spaces group, so the comma is the decimal
        elif len(runs[-1]) != 3 or len(runs[0]) > 3 or runs[0] == "0":
            decimal_at = last_at
        elif style is not None:
            decimal_at = last_at if style.decimal == last else None
        else:
            other = "," if last == "." else "."
            raise AmbiguousAmount(
                f"could be {runs[0]}{runs[1]} or {runs[0]}.{runs[1]}: the lone {last!r} "
                f"may group thousands or mark decimals; pass locale (for example "
                f"'en' or 'bg') or a NumberStyle whose decimal mark is {last!r} or {other!r}",
                text=quoted,
                readings=(f"{runs[0]}{runs[1]}", f"{runs[0]}.{runs[1]}"),
                mark=last,
            )
    if (
        strict
        and style is not None
        and decimal_at is not None
        and seps[decimal_at] != style.decimal
    ):
        raise ParseError(
            f"writes {seps[decimal_at]!r} as its decimal mark, where the amounts are written "
            f"with {style.decimal!r}",
            text=quoted,
        )
    group_runs = runs if decimal_at is None else runs[:-1]
    if len(group_runs) > 1:
        if len(group_runs[0]) > 3 or any(len(r) != 3 for r in group_runs[1:]):
            raise ParseError(
                "has irregular thousands groups",
                text=quoted,
                expected="groups of three digits, like 1 234 567",
            )
        group_seps = seps if decimal_at is None else seps[:-1]
        if len(set(group_seps)) > 1 and not set(group_seps) <= _SPACES:
            raise ParseError("mixes different thousands separators", text=quoted)
    whole = "".join(group_runs)
    if decimal_at is None:
        return Decimal(whole)
    return Decimal(f"{whole}.{runs[-1]}")


def parse_money(
    text: str,
    *,
    locale: str | NumberStyle | None = None,
    currency: str | None = None,
    strict: bool = False,
) -> Money:
    """Read one amount of money as documents write it.

    Reads English, continental and space-grouped numbers (no-break and narrow no-break
    spaces included), a currency sign, code or word before or after the number
    (``€``, ``EUR``, ``euro``, ``евро``, ``лв.``, ``лева``, ``lei``, ``денари`` …), scale
    words (``1,2 млн. лв.``, ``532 хил. лв.``) and qualifiers (``близо``, ``около``,
    ``над``, ``around``), which are kept in :attr:`Money.qualifier`.

    ``locale`` (a language code, a style name or a :class:`NumberStyle`) settles a lone
    separator before three digits, and a word meaning different things in different
    languages (``mil``); ``currency`` is used when the text names none; ``strict`` holds
    the number to ``locale``'s decimal mark (see :func:`parse_amount`). The sign is
    never dropped: ``-500``, ``–500`` (a dash right before the digits) and the
    accountant's ``(1 000,00)`` are negative, and a dash or separator that could be a
    sign or a decimal is refused; ``.50 EUR`` is fifty cents.
    Raises :class:`AmbiguousAmount` or :class:`ParseError`, whose messages quote ``text``.

        >>> parse_money("198 660,00 лв.")
        Money('198660.00', 'BGN')
        >>> parse_money("€ 28,890,790.79")
        Money('28890790.79', 'EUR')
        >>> parse_money("близо 532 хил. лв.")
        Money('532000', 'BGN', qualifier='approximately')
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_money reads text, not {type(text).__name__}")
    style = None if locale is None else NumberStyle.for_locale(locale)
    body = text.strip()
    accounting = _in_parentheses(body)
    if accounting:
        sign = body[: len(body) - len(body.lstrip("".join(_ALL_MINUS)))]
        body = sign + body[len(sign) + 1 : -1]
    span = _number_span(body)
    if span is None:
        raise ParseError(
            "has no number in it", text=text, expected="an amount such as 1 234,56 лв."
        )
    start, end = span
    token = body[start:end]
    before = body[:start]
    after = body[end:]
    if before[-1:] in _MARKS:  # ".50 EUR", "€,99": a decimal mark with no digits before
        mark = before[-1]
        if not _leading_mark(body, start):
            raise ParseError(f"has a {mark!r} right before its digits", text=text)
        if style is not None and style.decimal != mark:
            raise ParseError(
                f"starts with {mark!r}, which is not the decimal mark of the "
                f"{style.name or 'given'} style",
                text=text,
            )
        token = f"0{mark}{token}"
        before = before[:-1]
    negative = False
    if before[-1:] in _ALL_MINUS:  # "-500", "−500", "–500": the sign right before the digits
        negative = True
        before = before[:-1]
    after = _whole_suffix(after, text)
    if _number_span(after) is not None:
        raise ParseError("holds more than one number", text=text, expected="a single amount")
    before_words, after_words = _words(before), _words(after)
    prefer = _languages(locale) or _word_languages(before_words + after_words)
    cur_before, qualifier, _, neg_word = _read_words(before_words, text, before=True, prefer=prefer)
    cur_after, _, scale, _ = _read_words(after_words, text, before=False, prefer=prefer)
    if cur_before and cur_after and cur_before != cur_after:
        raise ParseError("names two different currencies", text=text)
    amount = parse_amount(token, style=style, text=text, strict=strict)
    if scale:
        amount = amount.scaleb(scale)
        if amount.as_tuple().exponent > 0:  # type: ignore[operator]
            amount = amount.quantize(Decimal(1))
    signs = negative + neg_word + accounting
    if signs > 1:
        raise ParseError("has two minus signs", text=text, expected="a single sign")
    if signs:
        amount = amount.copy_negate()
    code = cur_before or cur_after or currency
    if code is not None and currency_from_word(code) is None and code != currency:
        raise ParseError(f"names an unknown currency {code!r}", text=text)
    try:
        return Money(amount, code, qualifier)
    except ValueError as exc:  # an unknown currency passed as the default
        raise ParseError(str(exc), text=text) from None


def _in_parentheses(body: str) -> bool:
    """Whether a whole amount stands in parentheses: ``(1 000,00)`` is negative in accounts."""
    body = body.lstrip("".join(_ALL_MINUS))  # "-(500)": two signs, refused by the caller
    return (
        body[:1] == "("
        and body[-1:] == ")"
        and body.count("(") == 1
        and body.count(")") == 1
        and _number_span(body) is not None
    )


def _whole_suffix(after: str, text: str) -> str:
    """The words after a number, checked for a separator that would change it.

    ``100,-`` and ``100,–`` (no decimals, as prices write it) are the whole number; a
    comma or a dot after the digits otherwise (``1 ,``, ``1,``, ``1 .``) is refused, as
    is a dot between the digits and a word (``500.лв``). A dot at the very end is a
    full stop.
    """
    for ending in (",-", ",–", ",—", ".-", ".–"):
        if after.startswith(ending):
            return after[len(ending) :]
    spaced = after.lstrip("".join(_SPACES))
    mark = spaced[:1]
    if mark == "," or (mark == "." and spaced[1:].strip() and spaced is after):
        raise ParseError(
            f"has a {mark!r} after its last digit",
            text=text,
            expected="a number whose separators stand between digits",
        )
    if mark == "." and spaced is not after:
        raise ParseError(f"has a {mark!r} after its last digit", text=text)
    return after


def format_money(
    money: Money,
    style: str | NumberStyle = "en",
    *,
    currency: str = "code",
    before: bool = False,
) -> str:
    """Write ``money`` in a number style, with its currency as a code, sign or word.

    ``currency`` is ``"code"`` (``EUR``), ``"symbol"`` (``€`` where there is one),
    ``"word"`` (``euro``, ``лв.``, ``lei``) or ``"none"``; ``before`` puts it first.
    Qualifiers are written as English words (``around``, ``over`` …). What this writes,
    :func:`parse_money` reads back to the same amount and scale when given the style.

        >>> format_money(Money("198660.00", "BGN"), "space-comma", currency="word")
        '198 660,00 лв.'
    """
    expect(money, Money, "format_money() writes Money")
    number_style = NumberStyle.for_locale(style)
    number = number_style.format(money.amount)
    label = ""
    if money.currency is not None and currency != "none":
        if currency == "code":
            label = money.currency
        elif currency == "symbol":
            label = _SYMBOL_OF.get(money.currency, money.currency)
        elif currency == "word":
            label = _WORD_OF.get(money.currency, money.currency)
        else:
            raise ValueError(
                f"currency must be 'code', 'symbol', 'word' or 'none', not {currency!r}"
            )
    text = f"{label} {number}" if before and label else f"{number} {label}" if label else number
    if money.qualifier is not None:
        text = f"{_QUALIFIER_WORD[money.qualifier]} {text}"
    return text


_SYMBOL_OF: Final = {"EUR": "€", "USD": "$", "GBP": "£", "TRY": "₺", "JPY": "¥", "UAH": "₴"}
_WORD_OF: Final = {
    "EUR": "euro",
    "BGN": "лв.",
    "RON": "lei",
    "MKD": "денари",
    "RSD": "динара",
    "HRK": "kn",
    "PLN": "zł",
}
_QUALIFIER_WORD: Final = {
    Qualifier.APPROXIMATELY: "around",
    Qualifier.MORE_THAN: "over",
    Qualifier.LESS_THAN: "under",
    Qualifier.UP_TO: "up to",
    Qualifier.AT_LEAST: "at least",
}


# -- finding amounts in longer texts ---------------------------------------------------


@frozen
class FoundAmount:
    """An amount found in a text: where, the text as written, and what it reads as.

    ``money`` is ``None`` when the number could not be read (``error`` says why, for
    example an ambiguous separator).
    """

    start: int
    end: int
    text: str
    money: Money | None
    error: str | None = None


# "1 096 788, 07 лв.": a number, its decimal mark, a space, then one or two digits
_TORN: Final = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0.]\d{3})*[,.] (?=\d)")


def _money_tokens(text: str) -> Iterator[tuple[int, int]]:
    """Spans of numbers that stand next to a currency word or sign."""
    for start, end, _, _ in _candidates(text):
        yield start, end


def _candidates(text: str) -> Iterator[tuple[int, int, int, int]]:
    """Numbers with a currency beside them: (number start, number end, span start, span end)."""
    n = len(text)
    for match in _NUMBER_RUN.finditer(text):
        start, end = match.span()
        if start > 0 and (text[start - 1].isalpha() or text[start - 1] in "_/"):
            continue  # part of a code such as ROBG-150 or BG05M9OP001
        if end < n and text[end].isalpha() and not _unit_at(text, end):
            continue
        span_start, span_end = _currency_around(text, start, end)
        if span_start is None or span_end is None:
            continue
        if any(ch in _SPACES for ch in text[start:end]):
            regular, _ = _regular_start(text, start, end)  # "2019 200 000 лв.": not 2019…
            if regular != start:
                start = regular
                span_start = _qualifier_start(text, start)
        if _leading_mark(text, start):  # ".50 EUR": the mark is the number's
            start -= 1
            span_start = min(span_start, start)
        yield start, end, span_start, span_end


def _leading_mark(text: str, start: int) -> bool:
    """Whether a decimal mark with no digits before it begins the number at ``start``.

    Only after a space, a sign or the start: "проекта.500" ends a sentence.
    """
    if start < 1 or text[start - 1] not in _MARKS:
        return False
    ahead = text[start - 2] if start >= 2 else " "
    return ahead.isspace() or ahead in _SYMBOLS or ahead in _ALL_MINUS or ahead == "("


def _regular_start(text: str, start: int, end: int) -> tuple[int, int]:
    """Skip leading digit runs that cannot start a space-grouped number ("2019 200 000")."""
    token = text[start:end]
    runs, seps = _split(token)
    offset = 0
    k = 0
    while k < len(seps) and seps[k] in _SPACES and len(runs[k]) > 3:
        offset += len(runs[k]) + 1
        k += 1
    return start + offset, end


def _is_scale(word: str) -> bool:
    from .vocabulary import scale_words

    return fold(word) in scale_words()


def _unit_at(text: str, pos: int) -> bool:
    """Whether a currency or scale word starts at ``pos`` ("566403.14€", "5m", "1,2млн")."""
    word = _word_at(text, pos)
    return bool(word) and (currency_from_word(word) is not None or _is_scale(word))


def _word_at(text: str, pos: int) -> str:
    end = pos
    while end < len(text) and (text[end].isalpha() or text[end] in _SYMBOLS):
        if text[end] in _SYMBOLS:
            return text[end] if end == pos else text[pos:end]
        end += 1
    return text[pos:end]


def _currency_around(text: str, start: int, end: int) -> tuple[int | None, int | None]:
    """Extend a number to its qualifier, scale word and currency; ``None`` if no currency.

    The currency is a word or code after the number (``1,2 млн. лв.``, ``566403.14€``) or
    a sign or capital code before it (``€ 28,890,790.79``, ``EUR 5 000``).
    """
    n = len(text)
    scale_stop = None
    j = _skip_spaces(text, end)
    word = _word_at(text, j)
    if word and _is_scale(word) and (len(word) > 1 or j == end):
        scale_stop = j + len(word)
        if scale_stop < n and text[scale_stop] == ".":
            scale_stop += 1
        j = _skip_spaces(text, scale_stop)
        word = _word_at(text, j)
    if word and currency_from_word(word) is not None:
        stop = j + len(word)
        if stop < n and text[stop] == "." and word.casefold() in ("лв", "ден", "дин"):
            stop += 1
        if stop == n or not text[stop].isalpha():
            return _qualifier_start(text, start), stop
    k = start - 1
    while k >= 0 and text[k] in _SPACES:
        k -= 1
    if k >= 0 and text[k] in _MINUS:  # "€ -5"
        k -= 1
        while k >= 0 and text[k] in _SPACES:
            k -= 1
    stop = scale_stop or end
    if k >= 0 and text[k] in _SYMBOLS:
        return _qualifier_start(text, k), stop
    if k >= 2 and text[k - 2 : k + 1].isupper() and text[k - 2 : k + 1].isalpha():
        code = text[k - 2 : k + 1]
        if (k - 3 < 0 or not text[k - 3].isalpha()) and currency_from_word(code) is not None:
            return _qualifier_start(text, k - 2), stop
    return None, None


def _skip_spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in _SPACES:
        i += 1
    return i


_HEAD_WORD: Final = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _qualifier_start(text: str, start: int) -> int:
    """Move ``start`` back over a qualifier word or phrase standing right before it.

    The words right before the number (up to three, a final dot allowed: "approx.") are
    looked up as a phrase, the longest first.
    """
    from .vocabulary import qualifier_words

    head = text[max(0, start - 40) : start]
    offset = start - len(head)
    words = list(_HEAD_WORD.finditer(head))
    if not words or head[words[-1].end() :].strip(" .\u00a0\u202f"):
        return start
    table = qualifier_words()
    for size in (3, 2, 1):
        if size > len(words):
            continue
        chosen = words[-size:]
        gaps = [head[a.end() : b.start()] for a, b in itertools.pairwise(chosen)]
        if any(gap.strip() for gap in gaps):
            continue
        if fold(" ".join(word.group() for word in chosen)) in table:
            begin = chosen[0].start()
            if begin == 0 and offset and text[offset - 1].isalpha():
                continue  # the window cut a longer word
            return offset + begin
    return start


def scan_amounts(text: str, *, locale: str | NumberStyle | None = None) -> list[FoundAmount]:
    """Every amount of money in ``text``: numbers with a currency word or sign beside them.

    ``locale`` settles ambiguous separators (use ``NumberStyle.learn(text)`` to learn the
    document's style once); bare numbers without a currency are not amounts, so
    population counts, lengths and years are left alone. Ambiguous or malformed amounts
    are returned with ``money=None`` and an ``error``, never dropped.

        >>> text = "4,769,687.25 euro, out of which 4,054,234.14 euro ERDF"
        >>> [str(found.money) for found in scan_amounts(text)]
        ['4769687.25 EUR', '4054234.14 EUR']
    """
    style = None if locale is None else NumberStyle.for_locale(locale)
    found: list[FoundAmount] = []
    for start, end, span_start, span_end in _candidates(text):
        low = max(0, start - 40)
        torn = _TORN.search(text[low : start + 1])
        if torn is not None and low + torn.end() == start and end - start <= 3:
            snippet = text[low + torn.start() : span_end]
            found.append(
                FoundAmount(
                    low + torn.start(),
                    span_end,
                    snippet,
                    None,
                    f"a space after the decimal mark tears {snippet!r} in two; "
                    f"it is not read (expected the number without the space)",
                )
            )
            continue
        snippet = text[span_start:span_end]
        try:
            money = parse_money(snippet, locale=style)
        except ParseError as exc:
            found.append(FoundAmount(span_start, span_end, snippet, None, str(exc)))
        else:
            found.append(FoundAmount(span_start, span_end, snippet, money))
    return found
