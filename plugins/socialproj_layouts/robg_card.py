"""``robg-card``: project cards of the Interreg V-A / VI-A Romania–Bulgaria programmes.

A card is English text with question headings — "What's the goal? / What's the budget?
/ Who is doing it? / When is it happening? / Where is it happening?" or "What is the
purpose? / What is the budget? / Who implements the project? / What is the
implementation period? / Where it is implemented?" — which some copies lose, leaving
only blank lines. Every field is therefore also found by its line's shape: the budget
line ("… euro, out of which … euro ERDF"), partner lines ("Lead beneficiary (LB): Name
(Romania)"), date lines ("Start date: 10.12.2019") and place lines after them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Final

from socialproj import (
    AmbiguousAmount,
    Format,
    Money,
    NumberStyle,
    ParseError,
    Partner,
    Project,
    ReadContext,
    Sample,
    Share,
    ShareSource,
    hookimpl,
    normalize_fund,
    parse_date,
    parse_money,
)

from ._common import (
    CCI_CODE,
    EMS_CODE,
    Draft,
    find_codes,
    find_duration,
    is_markup,
    lines_of,
    role_of,
    split_partner,
    split_places,
    squash,
    strip_bullet,
    strip_quotes,
)
from .cbc_fiche import fiche_labels

FORMAT: Final = "robg-card"

_HEADINGS: Final = (
    (
        "goal",
        (
            "what's the goal",
            "what is the goal",
            "what is the purpose",
            "what's the purpose",
            "what is the objective",
            "what's the objective",
        ),
    ),
    ("budget", ("what's the budget", "what is the budget", "what is the project budget")),
    (
        "who",
        (
            "who is doing it",
            "who implements the project",
            "who implements it",
            "who is implementing",
            "who are the partners",
            "who is implementing the project",
        ),
    ),
    (
        "when",
        (
            "when is it happening",
            "what is the implementation period",
            "when does it happen",
            "implementation period",
        ),
    ),
    (
        "where",
        (
            "where is it happening",
            "where it is implemented",
            "where is it implemented",
            "where does it happen",
        ),
    ),
    ("how", ("how is it going to happen", "what will happen", "how will it happen")),
    (
        "results",
        (
            "what will be the results",
            "what are the results",
            "results (what",
            "what will be the result",
            "results",
        ),
    ),
    ("status", ("project status",)),
)

_ROLE_LINE: Final = re.compile(
    r"^(?P<role>(?:lead(?:ing)?\s+(?:beneficiary|partner)|beneficiary|partner|associated\s+partner"
    r"|beneficiar(?:ul)?(?:\s+lider)?|partener(?:ul)?)(?:\s*\d{1,2})?(?:\s*\([A-Za-z]{1,3}\d{0,2}\))?)"
    r"\s*:\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_DATE_LINE: Final = re.compile(
    r"^(?P<label>start\s+date|end\s+date|starting\s+date|ending\s+date|duration|period"
    r"|implementation\s+period)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_BUDGET_SPLIT: Final = re.compile(
    r"\b(?:out\s+of\s+which|from\s+which|of\s+which|din\s+care|whereof)\b|\band\b|;",
    re.IGNORECASE,
)
_NUMBER: Final = re.compile(r"\d[\d.,' \u00a0\u202f]*\d|\d")
_PROGRAMME: Final = re.compile(
    r"Interreg\s?(?:V|VI|IV)?\s?-?\s?A\s+Romania\s?[-–]\s?Bulgaria(?:\s+(?:Programme|\d{4}\s?[-–]\s?\d{4}))?",
    re.IGNORECASE,
)
_CURRENCY_WORDS: Final = ("euro", "eur", "€")
_PLACE_LABELS: Final = (
    "area",
    "place",
    "location",
    "region",
    "where",
    "county",
    "district",
    "municipalit",
    "eligible",
)


_KEYWORDS: Final = (
    ("budget", ("budget", "cost", "value", "money", "financ")),
    ("who", ("who ", "partner", "beneficiar")),
    ("where", ("where",)),
    ("when", ("when", "period", "duration", "timeline")),
    ("results", ("result", "contribution to the programme", "output")),
    ("how", ("how ", "activit", "will happen")),
    ("goal", ("goal", "purpose", "objective", "aim")),
)


def _heading(line: str) -> str | None:
    """The section a heading line opens, by its words; ``None`` for other lines."""
    if not line or len(line) > 100:
        return None
    folded = line.casefold().replace("’", "'").replace("`", "'").strip(" :|")
    if not folded or len(folded) > 100:
        return None
    for kind, phrases in _HEADINGS:
        for phrase in phrases:
            if folded.startswith(phrase) and (
                folded.endswith("?")
                or folded == phrase
                or (kind in ("status", "results") and len(folded) < 60)
            ):
                if kind == "results" and phrase == "results" and "?" not in folded:
                    continue  # "Results" alone inside a sentence is not a heading
                return kind
    if folded.endswith("?") and folded.split()[0] in (
        "what",
        "what's",
        "who",
        "when",
        "where",
        "how",
        "which",
    ):
        for kind, words in _KEYWORDS:
            if any(word in folded for word in words):
                return kind
    return None


_BUDGET_WORDS: Final = (
    "budget",
    "total",
    "value",
    "erdf",
    "fedr",
    "ipa",
    "co-financing",
    "cofinancing",
    "contribution",
    "cost",
)


def _is_budget_line(line: str) -> bool:
    folded = line.casefold()
    has_amount = any(word in folded for word in _CURRENCY_WORDS) and any(
        ch.isdigit() for ch in line
    )
    if not has_amount or folded.startswith("target") or "target at" in folded:
        return False
    return bool(_BUDGET_SPLIT.search(line)) or any(word in folded for word in _BUDGET_WORDS)


class _Card:
    def __init__(self, text: str, context: ReadContext) -> None:
        self.lines = lines_of(text)
        self.draft = Draft(FORMAT, context.file, "en")
        self.style = NumberStyle.learn(text)
        self.kinds = [_heading(line) for line in self.lines]

    def section(self, kind: str) -> list[str]:
        """The non-empty lines under a heading, up to the next heading."""
        try:
            start = self.kinds.index(kind)
        except ValueError:
            return []
        out = []
        for line, other in zip(self.lines[start + 1 :], self.kinds[start + 1 :], strict=True):
            if other is not None:
                break
            if line:
                out.append(line)
        return out

    def read(self) -> Draft:
        first_structure = len(self.lines)
        budget_at = None
        for index, line in enumerate(self.lines):
            if not line:
                continue
            if self.kinds[index] is not None or _ROLE_LINE.match(line) or _DATE_LINE.match(line):
                first_structure = min(first_structure, index)
            if budget_at is None and _is_budget_line(line):
                budget_at = index
                first_structure = min(first_structure, index)
        self.title_block(self.lines[:first_structure])
        self.budget(budget_at)
        self.partners()
        last_date = self.period()
        self.places(last_date)
        goal = self.section("goal")
        if goal:
            self.draft.summary = " ".join(goal)
        self.draft.results = [
            strip_bullet(line) for line in self.section("results") if line.strip(" |")
        ]
        status = [line for line in self.section("status") if line.strip(" |")]
        if status:
            self.draft.status = status[0]
        self.programme()
        return self.draft

    # -- title and codes -------------------------------------------------------------------

    def title_block(self, block: list[str]) -> None:
        draft = self.draft
        lines = [line for line in block if line and line.strip(" |")]
        # a sentence before the title (a preface naming the programme) is not the title
        lines = [line for line in lines if not (line.endswith(".") and len(line.split()) >= 8)]
        candidates: list[str] = []
        pending = ""
        for line in lines:
            stripped = line
            for start, end, code in reversed(find_codes(line)):
                draft.add_code(code)
                stripped = stripped[:start] + " " + stripped[end:]
            stripped = squash(stripped.replace("()", " ").replace("( )", " "))
            stripped = stripped.strip(" ,;:|-–—")
            if not stripped:
                continue
            if pending:
                stripped = f"{pending} {stripped}"
                pending = ""
            if stripped[0] in '"„“«' and not any(q in stripped[1:] for q in '"”“»'):
                pending = stripped  # a quoted title broken over two lines
                continue
            candidates.append(stripped)
        if pending:
            candidates.append(pending)
        if not candidates:
            return
        title = max(candidates, key=len) if len(candidates) > 1 else candidates[0]
        draft.raw("title", title)
        title = strip_quotes(title)
        # "Long title – ACRONYM" after the code was taken out
        for dash in (" – ", " - ", " — "):
            head, sep, tail = title.rpartition(dash)
            if (
                sep
                and head
                and len(tail) <= 20
                and tail.upper() == tail
                and any(c.isalpha() for c in tail)
            ):
                draft.extras["acronym"] = tail.strip()
                title = head.strip()
                break
        draft.title = strip_quotes(title)

    # -- budget ------------------------------------------------------------------------

    def budget(self, at: int | None) -> None:
        draft = self.draft
        lines = [
            line
            for line in self.section("budget")
            if any(ch.isdigit() for ch in line) and _is_budget_line(line)
        ]
        if not lines and at is not None:
            lines = [self.lines[at]]
            # labelled budget lines follow one another ("Total: …", "ERDF: …")
            for line in self.lines[at + 1 :]:
                if not line:
                    continue
                if not _is_budget_line(line) or _ROLE_LINE.match(line) or _DATE_LINE.match(line):
                    break
                lines.append(line)
        if not lines:
            return
        draft.raw("funding", " / ".join(lines))
        style = NumberStyle.learn(" ".join(lines)) or self.style
        currency = None
        position = 0
        for line in lines:
            for segment in _segments(line):
                match = _NUMBER.search(segment)
                if match is None:
                    continue
                around = segment[: match.start()] + " " + segment[match.end() :]
                words = around.replace(",", " ").replace(":", " ").replace(".", " ").split()
                unit = next((w for w in words if w.casefold() in _CURRENCY_WORDS), "")
                try:
                    money = parse_money(
                        f"{match.group().strip()} {unit}".strip(),
                        locale=style,
                        currency=currency or "EUR",
                    )
                except AmbiguousAmount as exc:
                    draft.note(
                        "import.amount.ambiguous", "$.funding", str(exc), text=segment.strip()
                    )
                    continue
                except ParseError:
                    continue
                currency = currency or money.currency
                self._assign(money, words, segment, position)
                position += 1

    def _assign(self, money: Money, words: list[str], segment: str, position: int) -> None:
        draft = self.draft
        rest = [w for w in words if w.casefold() not in _CURRENCY_WORDS]
        fund = next((normalize_fund(w) for w in rest if normalize_fund(w)), None)
        folded = f" {' '.join(rest).casefold()} "
        if fund is not None or " eu " in folded or "union" in folded or "european" in folded:
            draft.shares.append(Share(ShareSource.EU, fund, money))
            draft.raw("funding.shares.eu", segment.strip())
        elif "national" in folded or " state " in folded:
            draft.shares.append(Share(ShareSource.NATIONAL, None, money))
            draft.raw("funding.shares.national", segment.strip())
        elif " own " in folded:
            draft.shares.append(Share(ShareSource.OWN, None, money))
            draft.raw("funding.shares.own", segment.strip())
        elif draft.total is None and (
            position == 0 or any(w in folded for w in (" total", "budget", "value", "eligible"))
        ):
            draft.total = money
            draft.raw("funding.total", segment.strip())

    # -- partners ----------------------------------------------------------------------

    def partners(self) -> None:
        draft = self.draft
        for line in self.lines:
            match = _ROLE_LINE.match(strip_bullet(line))
            if not match:
                continue
            role_text = squash(match.group("role"))
            name, country, city, amount = split_partner(match.group("value"))
            name = strip_quotes(name) if name.count("“") + name.count("”") == 1 else name
            budget = None
            if amount:
                try:
                    budget = parse_money(amount, locale=NumberStyle.learn(amount) or self.style)
                except ParseError:
                    draft.note("import.amount.unreadable", "$.partners", f"cannot read {amount!r}")
            draft.add_partner(Partner(name, role_of(role_text), country, role_text, budget, city))
            draft.raw(f"partners.{len(draft.partners)}", line)

    # -- period ------------------------------------------------------------------------

    def period(self) -> int | None:
        draft = self.draft
        last = None
        for index, line in enumerate(self.lines):
            match = _DATE_LINE.match(line)
            if not match:
                continue
            label = match.group("label").casefold()
            value = match.group("value").strip().rstrip("*").strip()
            if not value:
                continue
            last = index
            try:
                if label.startswith(("start", "starting")) and draft.start is None:
                    draft.start = parse_date(value)
                    draft.raw("period.start", line)
                elif label.startswith(("end", "ending")) and draft.end is None:
                    draft.end = parse_date(value.rstrip("*"))
                    draft.raw("period.end", line)
                elif draft.duration is None and label in (
                    "duration",
                    "period",
                    "implementation period",
                ):
                    found = find_duration(value)
                    if found is None:
                        raise ParseError("is not a number of months", text=value)
                    draft.duration = found[0]
                    draft.raw("period.duration", line)
            except ParseError as exc:
                draft.note("import.period.unreadable", "$.period", str(exc), text=line)
        return last

    # -- places ------------------------------------------------------------------------

    def places(self, after: int | None) -> None:
        lines = self.section("where")
        if not lines and after is not None:
            # no heading: the short lines right after the dates name the places
            for line, kind in zip(self.lines[after + 1 :], self.kinds[after + 1 :], strict=True):
                if kind is not None:
                    break
                if not line or line.startswith("*"):
                    continue
                text = strip_bullet(line)
                label = line.split(":", 1)[0].casefold() if ":" in line else ""
                if label and not any(word in label for word in _PLACE_LABELS):
                    break
                if text != line or len(line) > 120 or len(line.split()) > 14:
                    break
                lines.append(line)
        for line in lines:
            if ":" in line:
                label, _, rest = line.partition(":")
                if len(label.split()) > 4:
                    continue
                line = rest
            for name, country in split_places(line):
                self.draft.add_place(name, country)
        if lines:
            self.draft.raw("locations", " / ".join(lines))

    # -- programme -----------------------------------------------------------------------

    def programme(self) -> None:
        text = "\n".join(self.lines)
        match = _PROGRAMME.search(text)
        if match:
            self.draft.programme = squash(match.group())
            self.draft.raw("programme.name", match.group())
        cci = CCI_CODE.search(text)
        if cci:
            self.draft.cci = cci.group()


def _segments(line: str) -> list[str]:
    """A budget line cut where one amount's words end and the next's begin."""
    pieces: list[str] = []
    for part in _BUDGET_SPLIT.split(line):
        pieces.extend(
            p for p in part.replace("(", "\n").replace(")", "\n").split("\n") if p.strip()
        )
    return pieces


def read_card(stream: IO[bytes], context: ReadContext) -> Iterator[Project]:
    """Yield the project a card describes."""
    text = context.text(stream)
    context.mark(line=1)
    if not text.strip():
        context.problem("is empty", expected="a Romania-Bulgaria project card")
        return
    draft = _Card(text, context).read()
    if draft.empty or (draft.total is None and not draft.partners and draft.start is None):
        context.problem(
            "does not read as a Romania-Bulgaria project card: no budget, partners or dates "
            "were found",
            expected="a card with 'What's the budget?', partner and date lines",
        )
        return
    yield draft.project()


def sniff_card(sample: Sample) -> bool:
    """Two card headings, or a card's budget, partner and date lines together."""
    if is_markup(sample.text):
        return False  # a web page: its tables are the html format's, its prose needs extracting
    lines = lines_of(sample.text[:20000])
    kinds = {k for k in map(_heading, lines) if k}
    structure = sum(
        (
            any(_is_budget_line(line) for line in lines),
            any(_ROLE_LINE.match(strip_bullet(line)) for line in lines),
            any(_DATE_LINE.match(line) for line in lines),
            any(EMS_CODE.search(line) for line in lines[:6]),
        )
    )
    if fiche_labels(sample.text) >= 2:
        return False  # a fiche, not a card
    return (
        len(kinds & {"goal", "budget", "who", "when", "where"}) >= 2 and structure >= 1
    ) or structure >= 3


@hookimpl
def socialproj_formats() -> Iterator[Format]:
    """The robg-card format."""
    yield Format(
        name=FORMAT,
        description="Interreg V-A/VI-A Romania-Bulgaria project cards (English text)",
        reader=read_card,
        sniff=sniff_card,
        aliases=("robg",),
    )
