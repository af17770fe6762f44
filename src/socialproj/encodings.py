"""Telling the text encoding of an input from its first bytes, and saying how sure that is.

:func:`detect_encoding` looks, in order, for a byte-order mark, UTF-16 without one (text
whose every other byte is a NUL), UTF-8 (or ASCII), and last for one of the legacy
single-byte encodings European files come in (Windows code pages 1250–1257, ISO 8859,
KOI8, Mac Cyrillic, DOS 866). Those read any bytes without error, so each is tried and
what it reads is judged the way a reader would: do the letters form words of one
alphabet (:mod:`socialproj.vocabulary` has each language's), do quotation marks, dashes
and euro signs stand where such signs stand, are there control characters or stray
symbols. When the two likeliest readings are equally plausible, how often a language
uses their letters decides (each language's letter frequencies are in its vocabulary,
from CLDR), then charset-normalizer's measure of mess; when neither can, the answer is
marked unsure (:attr:`TextEncoding.sure` is false) and a reader refuses the input,
naming the candidates and how each reads a word, rather than guess.
"""

from __future__ import annotations

import codecs
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Final, Literal, TypeAlias

from attrs import frozen

__all__ = [
    "LEGACY_ENCODINGS",
    "TextEncoding",
    "detect_encoding",
    "encoding_name",
    "utf16_without_bom",
]

#: How an encoding was settled.
How: TypeAlias = Literal["given", "bom", "declared", "ascii", "utf-8", "detected", "guessed"]

#: The single-byte encodings detection chooses from.
LEGACY_ENCODINGS: Final = (
    "cp1250",
    "cp1251",
    "cp1252",
    "cp1253",
    "cp1254",
    "cp1257",
    "iso8859-2",
    "iso8859-4",
    "iso8859-5",
    "iso8859-7",
    "iso8859-9",
    "iso8859-13",
    "iso8859-15",
    "iso8859-16",
    "koi8-r",
    "koi8-u",
    "mac-cyrillic",
    "cp866",
)

_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: bytes of the lines that hold non-ASCII bytes, judged per candidate (the rest is the
#: same in every one of them)
_JUDGED: Final = 16384


@frozen
class TextEncoding:
    """An input's encoding, and how it was settled.

    ``how`` is ``"given"`` (by the user), ``"bom"``, ``"declared"`` (by the document,
    as a web page's ``<meta charset>``), ``"ascii"`` (only ASCII bytes so far),
    ``"utf-8"``, ``"detected"`` (a legacy encoding, told from the bytes) or
    ``"guessed"`` (the likeliest of several; :attr:`sure` is false). ``language`` is
    the language whose alphabet the detected text's letters are in, if one is.
    ``rivals`` are, for a guess, the other candidates and how each reads a word of the
    text, beside the guess's own reading first.
    """

    name: str
    how: How
    language: str | None = None
    rivals: tuple[tuple[str, str], ...] = ()

    @property
    def sure(self) -> bool:
        """Whether the encoding is settled (given, marked, valid UTF-8, or told apart)."""
        return self.how != "guessed"

    def describe(self) -> str:
        """How the encoding was settled, for a message: ``cp1250 (detected; Polish)``."""
        said = {"given": "as given", "bom": "byte-order mark", "declared": "as declared"}
        detail = said.get(self.how, self.how)
        if self.language:
            from .vocabulary import language

            detail += f"; {language(self.language).name} text"
        return f"{self.name} ({detail})"

    def unsure(self, most: int = 4) -> str:
        """Why the encoding is not settled: how the likeliest candidates read a word."""
        readings = ", ".join(f"{word!r} in {name}" for name, word in self.rivals[:most])
        more = " …" if len(self.rivals) > most else ""
        return f"its encoding cannot be told from its bytes: they read as {readings}{more}"


def encoding_name(name: str) -> str:
    """The codec name of an encoding (``"latin-1"`` → ``"iso8859-1"``), or ``LookupError``."""
    return codecs.lookup(name).name


def detect_encoding(head: bytes) -> TextEncoding:
    """The encoding of an input from its first bytes (see the module's description).

    Never raises: an encoding it cannot settle is returned with ``how="guessed"``.

        >>> detect_encoding("Zażółć gęślą jaźń, Łódź".encode("cp1250")).describe()
        'cp1250 (detected; Polish text)'
        >>> detect_encoding(b"plain ASCII").how
        'ascii'
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return TextEncoding(name, "bom")
    wide = utf16_without_bom(head)
    if wide is not None:
        return TextEncoding(wide, "detected")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return TextEncoding("utf-8", "utf-8")  # the sample cut a character in two
        if _mostly_utf8(head):
            return TextEncoding("utf-8", "utf-8")  # the bad bytes are reported where they are
        return _legacy(head)
    return TextEncoding("utf-8", "ascii" if head.isascii() else "utf-8")


def _mostly_utf8(head: bytes) -> bool:
    """UTF-8 with a few bad bytes: it still holds many valid multi-byte characters.

    Text in a legacy encoding almost never forms a valid UTF-8 sequence.
    """
    lenient = head.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for ch in lenient if ord(ch) > 127) - bad
    return good >= bad


def utf16_without_bom(head: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for text whose ASCII characters leave NULs between.

    ``None`` for anything else (UTF-16 with a byte-order mark included).
    """
    sample = head[:4096]
    if len(sample) < 8:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    for zeros, other, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) * 10 >= len(zeros) * 3 and other.count(0) * 50 <= len(other):
            try:
                sample.decode(name)
            except UnicodeDecodeError:
                return None
            return name
    return None


# -- judging what a legacy encoding reads -----------------------------------------------

_WORD: Final = re.compile(r"[^\W\d_]+")
_OPENING: Final = frozenset("„“«‘‚")
_CLOSING: Final = frozenset("”»’“‘")
_DASHES: Final = frozenset("–—")
_BY_NUMBERS: Final = frozenset("€°№§‰%")
_HARMLESS: Final = frozenset("•…©®™±×½¼¾²³µ·†\u00a0¡¿¨´")
# Latin letters that look like Greek or Cyrillic ones: typed into such words by mistake
# ("Aττική" with a Latin A), they are no sign of a wrong encoding
_LOOKALIKES: Final = frozenset("ABCEHIJKMNOPSTXYZaceijopsxyv")


@cache
def _alphabets() -> tuple[tuple[str, frozenset[str]], ...]:
    from .vocabulary import language, languages

    found = []
    for code in languages():
        letters = language(code).alphabet
        if letters:
            found.append((code, letters))
    return tuple(found)


@cache
def _one_letter_words() -> frozenset[str]:
    from .vocabulary import language, languages

    return frozenset().union(*(language(code).one_letter_words for code in languages()))


@cache
def _final_letters() -> frozenset[str]:
    from .vocabulary import language, languages

    return frozenset().union(*(language(code).word_final_letters for code in languages()))


@cache
def _letter_models() -> tuple[dict[str, float], ...]:
    """Each language's letters and the natural log of how often each occurs."""
    from .vocabulary import language, languages

    models = []
    for code in languages():
        counts = language(code).letters
        if counts:
            models.append({ch: math.log(count / 10000) for ch, count in counts.items()})
    return tuple(models)


#: the log frequency of a letter a language's model has not seen
_UNSEEN: Final = math.log(0.5 / 10000)
#: how much likelier (in nats a letter) one reading's letters must be to settle a tie
_LIKELIER: Final = 1.0


def _likelihood(text: str) -> tuple[float, int]:
    """How likely the Cyrillic and Greek letters of ``text`` are in the language they fit best.

    The mean log frequency of a letter (under the best language), and how many there are.
    Latin letters with diacritics are too rare in any text for their frequency to tell
    one reading from another; a whole alphabet of letters beyond ASCII can.
    """
    counts: dict[str, int] = {}
    for ch in text:
        if ch >= "\u0370" and ch.isalpha():
            low = ch.lower()[0]
            counts[low] = counts.get(low, 0) + 1
    total = sum(counts.values())
    if not total:
        return 0.0, 0
    best = max(
        sum(count * model.get(ch, _UNSEEN) for ch, count in counts.items())
        for model in _letter_models()
    )
    return best / total, total


def _script(ch: str) -> str:
    return unicodedata.name(ch, "?").split(" ", 1)[0]


def _camel(word: str) -> bool:
    """A capital after a small letter inside a word of letters beyond ASCII ("нАЫХМЮ")."""
    return any(
        low.islower() and high.isupper() and (low >= "\x80" or high >= "\x80")
        for low, high in itertools.pairwise(word)
    )


def _cover(letters: set[str]) -> tuple[int, int, str | None]:
    """Letters no alphabet has, how many alphabets the rest need, and the one if one does."""
    alphabets = _alphabets()
    stray = {ch for ch in letters if not any(ch in abc for _, abc in alphabets)}
    rest = letters - stray
    needed = 0
    first: str | None = None
    while rest:
        code, best = max(alphabets, key=lambda item: len(rest & item[1]))
        rest = rest - best
        needed += 1
        first = code if needed == 1 else None
    return len(stray), needed, first


def _judge(text: str) -> tuple[tuple[int, int, int], str | None]:
    """How implausible a reading is (lower is likelier), and its language if it has one.

    First what text never holds (control characters, stray symbols, letters of no
    alphabet, words mixing scripts or the letters of two languages, small letters before
    capitals, a word-final letter inside a word), then how many
    alphabets its letters need, then how badly its punctuation stands.
    """
    bad = 0
    punctuation = 0
    letters: set[str] = set()
    size = len(text)
    for index, ch in enumerate(text):
        if ch < "\x80":
            continue
        kind = unicodedata.category(ch)
        if kind[0] == "L":
            low = ch.lower()[0]  # "İ" is "i" and a combining dot
            if low >= "\x80":
                letters.add(low)
            continue
        if kind[0] == "C":
            bad += 1
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < size else " "
        if (
            (ch in _OPENING and (before.isspace() or before in "([/-") and after.isalnum())
            or (ch in _CLOSING and (before.isalnum() or before in ".!?)") and not after.isalnum())
            or (ch == "’" and before.isalpha() and after.isalpha())
            or (
                ch in _DASHES
                and not (before.isspace() and after.isalpha())
                and not (before.isalpha() and after.isspace())
            )
            or (ch == "€" and (before.isdigit() or after.isdigit() or " " in (before, after)))
            or (ch in _BY_NUMBERS and (before.isdigit() or after.isdigit() or after.isspace()))
        ):
            punctuation += 2
        elif ch in _HARMLESS:
            punctuation += 1
        elif ch in _OPENING or ch in _CLOSING or ch in _DASHES or ch in _BY_NUMBERS:
            punctuation -= 2  # a sign where no such sign stands: a letter misread
        else:
            bad += 1  # box drawing, modifier letters, maths: not in prose or lists
    single = _one_letter_words()
    final = _final_letters()
    for word in set(_WORD.findall(text)):
        if len(word) == 1:
            if word >= "\x80" and word.lower() not in single:
                punctuation -= 2
            continue
        high = {low[0] for ch in word if ch >= "\x80" and (low := ch.lower())[0] >= "\x80"}
        if not high:
            continue
        scripts = {_script(ch) for ch in high}
        if (
            len(scripts) > 1
            or _camel(word)
            or any(ch in final for ch in word[:-1])
            or (scripts != {"LATIN"} and any(ch < "\x80" and ch not in _LOOKALIKES for ch in word))
            or not any(high <= letters for _, letters in _alphabets())
        ):
            bad += 1  # a word mixing scripts, or the letters of two languages
    stray, alphabets, code = _cover(letters)
    return (bad + stray, alphabets, -punctuation), code


def _judged_part(head: bytes) -> bytes:
    """The lines of ``head`` that hold non-ASCII bytes, up to :data:`_JUDGED` bytes.

    Lines that are valid UTF-8 are left out: in a file that is not UTF-8 they are lines
    written in UTF-8 (a file of two encodings, reported line by line when read).
    """
    kept: list[bytes] = []
    size = 0
    for line in head.split(b"\n"):
        if not line.isascii() and not _valid_utf8(line):
            kept.append(line)
            size += len(line) + 1
            if size >= _JUDGED:
                break
    return b"\n".join(kept)


@cache
def _same_letters() -> dict[int, str]:
    """A translation table writing each group of equivalent letters as its first."""
    from .vocabulary import language, languages

    table: dict[int, str] = {}
    for code in languages():
        for group in language(code).equivalent_letters:
            for letter in group[1:]:
                table[ord(letter)] = group[0]
                table[ord(letter.upper())] = group[0].upper()
    return table


def _valid_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _legacy(head: bytes) -> TextEncoding:
    part = _judged_part(head)
    readings: dict[str, str] = {}  # text → the first encoding reading it so
    for name in LEGACY_ENCODINGS:
        try:
            text = part.decode(name)
        except UnicodeDecodeError:
            continue
        readings.setdefault(text, name)
    if not readings:
        return TextEncoding("utf-8", "utf-8")  # no legacy encoding reads it: report the bytes
    ranked = sorted((*_judge(text), name, text) for text, name in readings.items())
    best = ranked[0]
    if len(ranked) == 1 or best[0] < ranked[1][0]:
        return TextEncoding(best[2], "detected", best[1])
    tied = [item for item in ranked if item[0] == best[0]]
    same = _same_letters()
    if len({item[3].translate(same) for item in tied}) == 1:
        # the readings differ only in how they write a letter (ş or ș): the one writing
        # it the way the language does (a legacy encoding's ş stood for ș)
        chosen = next((item for item in tied if item[3].translate(same) == item[3]), best)
        return TextEncoding(chosen[2], "detected", chosen[1])
    likely = sorted(((*_likelihood(item[3]), item) for item in tied), key=lambda t: -t[0])
    if min(likely[0][1], likely[1][1]) >= 3 and likely[0][0] - likely[1][0] >= _LIKELIER:
        chosen = likely[0][2]
        return TextEncoding(chosen[2], "detected", chosen[1])
    settled = _by_mess(head, [item[2] for item in tied])
    if settled is not None:
        code = next(item[1] for item in tied if item[2] == settled)
        return TextEncoding(settled, "detected", code)
    rivals = _rival_words([(item[2], item[3]) for _, _, item in likely])
    return TextEncoding(best[2], "guessed", best[1], rivals)


def _by_mess(head: bytes, names: list[str]) -> str | None:
    """The one of ``names`` whose reading charset-normalizer finds clearly least messy."""
    from charset_normalizer import from_bytes

    matches = from_bytes(head, cp_isolation=[name.replace("-", "_") for name in names])
    scored = sorted((match.chaos, match.encoding) for match in matches)
    if not scored:
        return None
    best_chaos, best = scored[0]
    wanted = {encoding_name(name): name for name in names}
    chosen = wanted.get(encoding_name(best))
    if chosen is None:
        return None
    texts = {head.decode(name) for name in names}
    if len({head.decode(encoding) for _, encoding in scored}) < len(texts):
        return None  # charset-normalizer set one of the readings aside: no verdict on it
    best_text = head.decode(best)
    for chaos, encoding in scored[1:]:
        if head.decode(encoding) != best_text and chaos - best_chaos < 0.01:
            return None
    return chosen


def _rival_words(readings: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """For each reading, the first word where the readings differ, as that reading has it."""
    items = list(readings)
    words = [_WORD.findall(text) for _, text in items]
    for position, group in enumerate(zip(*words, strict=False)):
        if len(set(group)) > 1:
            return tuple((name, row[position]) for (name, _), row in zip(items, words, strict=True))
    return tuple((name, text[:20]) for name, text in items)
