"""Finding the records of one project across sources: blocking, comparisons, groups.

:func:`link` compares records only within blocks — records that share a project code,
an acronym or rare title words — so a long list costs little more than its blocks. Two
records are one project when a project code matches (look-alike letters, spaces,
dashes and contract suffixes aside: ``ROBG-150`` ≡ ``ROBG – 150``), or when their
titles agree enough and a second sign agrees too (the acronym, a partner, the amount).
Partners alone never link: the same municipalities run many projects. Each group says
why, comparison by comparison.

Titles are compared across languages and scripts as concepts and stems: the vocabulary's
words of project titles in each language (``[concepts]``), the rest transliterated by the
official systems and cut to their first five letters, so that inflected forms meet.
Partners are compared with their legal forms left out, amounts after the fixed euro
rates. Nothing is merged yet.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from typing import Final

from attrs import frozen

from .codes import code_key, strip_contract_suffix
from .model import Project
from .money import Money
from .rates import fixed_rate
from .vocabulary import concept_words, fold, legal_form_words, transliterate

__all__ = ["Group", "Match", "link", "partner_key"]

#: the score from which two records are one project
THRESHOLD: Final = 0.7
_WORD: Final = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
# how many first letters of a word (in Latin letters) stand for it: inflections meet
_STEM: Final = 5

_ACRONYM: Final = re.compile(r"\b[A-Z][A-Z0-9]{2,}(?:[-–][A-Z0-9]+)*\b")
# a block larger than this says nothing (a word every title has)
_MAX_BLOCK: Final = 50
# acronyms that are programmes' or funds', not a project's
_NOT_ACRONYMS: Final = frozenset(
    {"ROBG", "INTERREG", "ERDF", "ESF", "IPA", "CBC", "EU", "EUR", "BGN", "RON", "MKD"}
)


@frozen
class Match:
    """Why two records were judged one project: their positions, the score, the evidence."""

    left: int
    right: int
    score: float
    evidence: tuple[str, ...]


@frozen
class Group:
    """Records judged to be one project: their positions in the input, and the matches."""

    members: tuple[int, ...]
    matches: tuple[Match, ...]

    @property
    def score(self) -> float:
        """The weakest match that holds the group together."""
        return min(match.score for match in self.matches)


@frozen
class _Keys:
    codes: frozenset[str]
    words: frozenset[str]
    acronyms: frozenset[str]
    partners: frozenset[str]
    total: Decimal | None
    currency: str | None


def _latin(word: str) -> str:
    return fold(transliterate(word))


@cache
def _stems() -> dict[str, str]:
    """The first letters of each concept word, in Latin letters → its concept.

    Single words set the stems; a compound ("socio-economic", "cross border") adds the
    stem of its first part only where no single word set it. A stem two concepts share
    says nothing and is left out.
    """
    words = concept_words()
    single: dict[str, set[str]] = defaultdict(set)
    compound: dict[str, set[str]] = defaultdict(set)
    for word in words:
        parts = _latin(word).replace("-", " ").split()
        table = single if len(parts) == 1 else compound
        for concept in words[word].values():
            table[parts[0][:_STEM]].add(concept)
    for stem, concepts in compound.items():
        single.setdefault(stem, concepts)
    return {stem: next(iter(concepts)) for stem, concepts in single.items() if len(concepts) == 1}


def _tokens(text: str, leave_out: frozenset[str] = frozenset()) -> list[str]:
    """The words of ``text`` as concepts where the vocabulary knows them, else as stems."""
    stems = _stems()
    tokens = []
    for word in _WORD.findall(text.replace("-", " ")):
        latin = _latin(word)
        if latin in leave_out:
            continue
        concept = stems.get(latin[:_STEM])
        tokens.append(f"={concept}" if concept else latin[:_STEM])
    return tokens


def _title_tokens(titles: Iterable[str]) -> frozenset[str]:
    """A title's tokens: "Cross Border Cooperation" and "трансгранично сътрудничество" meet."""
    return frozenset(token for title in titles for token in _tokens(title))


@cache
def _legal_forms() -> frozenset[str]:
    return frozenset(_latin(form) for form in legal_form_words())


def partner_key(name: str) -> str:
    """A partner's name as tokens, its legal form left out (Община Силистра: Silistra).

    >>> partner_key("Община Силистра") == partner_key("Silistra Municipality")
    True
    """
    tokens = _tokens(name, _legal_forms()) or _tokens(name)
    return " ".join(sorted(set(tokens)))


def _in_euro(money: Money | None) -> tuple[Decimal | None, str | None]:
    """An amount in euro where a fixed rate converts it, else as it is, with its currency."""
    if money is None:
        return None, None
    if money.currency not in (None, "EUR"):
        rate = fixed_rate(money.currency)
        if rate is not None:
            return money.amount / rate.value, "EUR"
    return money.amount, money.currency


def _keys(project: Project) -> _Keys:
    codes = frozenset(
        key
        for identifier in project.identifiers
        if len(key := code_key(strip_contract_suffix(identifier.value))) >= 5
    )
    titles = list(project.title.values())
    acronyms = frozenset(
        code_key(found)
        for title in titles
        for found in _ACRONYM.findall(title)
        if code_key(found) not in _NOT_ACRONYMS and not any(ch.isdigit() for ch in found[:1])
    )
    partners = frozenset(
        key for partner in project.partners if partner.name and (key := partner_key(partner.name))
    )
    total, currency = _in_euro(project.funding.total if project.funding else None)
    return _Keys(codes, _title_tokens(titles), acronyms, partners, total, currency)


def _compare(a: _Keys, b: _Keys) -> tuple[float, tuple[str, ...]]:
    shared_codes = a.codes & b.codes
    if shared_codes:
        return 1.0, tuple(f"the project code {code}" for code in sorted(shared_codes))
    evidence: list[str] = []
    score = 0.0
    if a.words and b.words:
        overlap = len(a.words & b.words) / len(a.words | b.words)
        if overlap >= 0.3:
            score += overlap
            evidence.append(f"titles share {overlap:.0%} of their words")
    acronyms = a.acronyms & b.acronyms
    if acronyms:
        score += 0.5
        evidence.append(f"the acronym {', '.join(sorted(acronyms))}")
    if score == 0.0:
        return 0.0, ()  # partners and amounts alone never link
    partners = a.partners & b.partners
    if partners:
        score += 0.2
        evidence.append(f"the partner {sorted(partners)[0]}")
    if (
        a.total is not None
        and b.total is not None
        and a.currency == b.currency
        and abs(a.total - b.total) <= max(Decimal("0.05"), abs(a.total) * Decimal("0.00001"))
    ):
        score += 0.3
        evidence.append(f"the total {a.total.quantize(Decimal('0.01'))} {a.currency}")
    return min(score, 1.0), tuple(evidence)


def link(records: Iterable[Project], *, threshold: float = THRESHOLD) -> list[Group]:
    """The groups of two or more records that are one project, each with its matches.

    ``members`` are positions in ``records`` (from 0). Records left alone are in no group.

        >>> from socialproj import Identifier, Project
        >>> card = Project(title={"en": "HERCULT"}, identifiers=[Identifier("ems", "ROBG-491")])
        >>> news = Project(title={"bg": "Проект"}, identifiers=[Identifier(None, "ROBG – 491")])
        >>> [(group.members, group.matches[0].evidence) for group in link([card, news])]
        [((0, 1), ('the project code ROBG491',))]
    """
    keys = [_keys(project) for project in records]
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        for code in key.codes:
            blocks[("code", code)].append(index)
        for acronym in key.acronyms:
            blocks[("acronym", acronym)].append(index)
        for word in key.words:
            blocks[("word", word)].append(index)
        for partner in key.partners:
            blocks[("partner", partner)].append(index)
    candidates: set[tuple[int, int]] = set()
    for members in blocks.values():
        if 1 < len(members) <= _MAX_BLOCK:
            candidates.update(
                (a, b) for i, a in enumerate(members) for b in members[i + 1 :] if a != b
            )
    matches = []
    for a, b in sorted(candidates):
        score, evidence = _compare(keys[a], keys[b])
        if score >= threshold:
            matches.append(Match(a, b, round(score, 3), evidence))
    return _groups(len(keys), matches)


def _groups(count: int, matches: Sequence[Match]) -> list[Group]:
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for match in matches:
        parent[root(match.left)] = root(match.right)
    members: dict[int, list[int]] = defaultdict(list)
    for index in range(count):
        members[root(index)].append(index)
    by_root: dict[int, list[Match]] = defaultdict(list)
    for match in matches:
        by_root[root(match.left)].append(match)
    return [
        Group(tuple(indexes), tuple(by_root[top]))
        for top, indexes in sorted(members.items(), key=lambda item: item[1][0])
        if len(indexes) > 1
    ]
