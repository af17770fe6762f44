"""The fast path of the canonical CSV reader: one generated function per header.

For a header, :func:`compile_builder` writes and compiles a function that builds a
record from a row's cells by position, with the trusted constructors of
:mod:`socialproj.fast` and a few small helpers. It handles the cells it can check
cheaply (plain decimals, ISO dates, known enum values, ISO currency codes) and raises
on anything else; the detailed builder then reads that row again and either explains
the bad cell or builds the record the slow way. The two must give the same records —
the round-trip property tests hold them to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from socialproj import (
    Duration,
    NumberStyle,
    PartialDate,
    Project,
    Role,
    fast,
    is_currency,
    loads_json,
    normalize_rate,
    parse_amount,
    parse_date,
)
from socialproj.fast import iso_date

__all__ = ["compile_builder"]

_DIGITS: Final = frozenset("0123456789")
# values remembered before a cache starts over: bounded, so memory stays flat
_CACHE_SIZE: Final = 2048
_DATES_CACHED: Final = 16384  # every day of 45 years: a file's dates fit, in ~3 MB
_PLAIN: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# numbers in a known style: optional groups of three with one separator, then the decimals
_LOCAL: Final = {
    ",": re.compile(
        r"-?(?:[1-9][0-9]{0,2}(?:(?P<g>[ \u00a0\u202f.'])[0-9]{3}(?:(?P=g)[0-9]{3})*)?"
        r"|[0-9]+)(?:,[0-9]+)?"
    ),
    ".": re.compile(
        r"-?(?:[1-9][0-9]{0,2}(?:(?P<g>[ \u00a0\u202f,'])[0-9]{3}(?:(?P=g)[0-9]{3})*)?"
        r"|[0-9]+)(?:\.[0-9]+)?"
    ),
}
_GROUPS: Final = {",": " \u00a0\u202f.'", ".": " \u00a0\u202f,'"}  # what _LOCAL accepts
_PERIOD_FIELDS: Final = frozenset(("start", "end", "duration"))
_SHARE_FIELDS: Final = frozenset(("amount", "rate"))
_FUNDING_FIELDS: Final = frozenset(("total",))


def _currency_codes() -> frozenset[str]:
    """The ISO codes a cell may hold as they are (the rest go through the slow path)."""
    from socialproj.currencies import HISTORIC_CURRENCIES, _active

    return frozenset(_active()) | frozenset(HISTORIC_CURRENCIES)


def _house_style(style: NumberStyle) -> tuple[Callable[[str], Any], str]:
    """A matcher of the numbers ``style`` writes, with its own group mark only, and the mark.

    A simpler, faster ``_LOCAL``: every text it matches, ``_LOCAL`` matches too, and
    reads the same way (drop the mark, make the decimal mark a point).
    """
    decimal = re.escape(style.decimal)
    mark = style.group if style.group in _GROUPS[style.decimal] else ""
    if not mark:
        return re.compile(rf"-?[0-9]+(?:{decimal}[0-9]+)?").fullmatch, ""
    group = re.escape(mark)
    pattern = rf"-?(?:[1-9][0-9]{{0,2}}(?:{group}[0-9]{{3}})+|[0-9]+)(?:{decimal}[0-9]+)?"
    return re.compile(pattern).fullmatch, mark


def _helpers(style: NumberStyle | None) -> dict[str, Any]:
    """The functions the generated code calls, bound to a file's number style."""
    # canonical cells; a file with a style reads every amount in that style (in a
    # decimal-comma file "1.000" is a thousand)
    plain = _PLAIN.fullmatch
    local = _LOCAL[style.decimal].fullmatch if style is not None else None
    comma = style is not None and style.decimal == ","
    # the file's own marks first: most of its amounts are written that way
    house, mark = _house_style(style) if style is not None else (None, "")

    def in_style(text: str, group: str) -> Decimal:
        """An amount that matched the file's style: drop its group mark, point decimals."""
        if group:
            text = text.replace(group, "")
        return Decimal(text.replace(",", ".") if comma else text)

    def amount(text: str) -> Decimal:
        if house is not None and local is not None:
            # the file's own style (plain numbers included), regular groups of one
            # separator: "198 660,00", "1,250.50", "-12"; its own group mark first
            if house(text):
                return in_style(text, mark)
            found = local(text)
            if found is not None:
                return in_style(text, found["g"] or "")
        elif plain(text):
            return Decimal(text)
        return parse_amount(text.strip(), style=style)

    def money(text: str, currency: str, qualifier: str) -> Any:
        if not text:
            if currency or qualifier:
                raise ValueError("a currency or qualifier without an amount")
            return None
        if currency and not is_currency(currency):
            raise ValueError(currency)
        return fast.money(
            amount(text), currency or None, fast.QUALIFIERS[qualifier] if qualifier else None
        )

    dates: dict[str, PartialDate] = {}

    def date(text: str) -> PartialDate:
        # records are immutable, so one date object serves every row that writes it
        found = dates.get(text)
        if found is not None:
            return found
        if len(dates) > _DATES_CACHED:
            dates.clear()
        found = dates[text] = _date(text)
        return found

    def _date(text: str) -> PartialDate:
        if len(text) == 10 and text[2] == "." and text[5] == ".":  # 28.09.2016 (day first)
            try:
                return iso_date(f"{text[6:]}-{text[3:5]}-{text[:2]}")
            except ValueError:
                pass
        try:
            return iso_date(text)
        except ValueError:
            return parse_date(text)

    def code(text: str) -> str:
        # a code of spaces is no code: the detailed builder says so
        if text.isspace():
            raise ValueError(text)
        return text

    def whole(text: str) -> int:
        if not _DIGITS.issuperset(text):
            raise ValueError(text)
        return int(text)

    def derived(text: str, allowed: frozenset[str]) -> frozenset[str]:
        if not text:
            return fast.EMPTY_SET
        names = frozenset(text.split())
        if not names <= allowed:
            raise ValueError(text)
        return names

    def rate(text: str) -> Decimal:
        return normalize_rate(text)

    # one object for equal values: programmes, places and durations repeat across rows
    shared: dict[Any, Any] = {}

    def keep(key: Any, value: Any) -> Any:
        """Remember ``value`` as the object for ``key`` (looked up with ``_shared_get``)."""
        if len(shared) > _CACHE_SIZE:
            shared.clear()
        shared[key] = value
        return value

    return {
        "_money_new": fast.money,
        "_Decimal": Decimal,
        "_plain_cell": plain,
        "_house": house,
        "_GROUP": mark,
        "_CODES": _currency_codes(),
        "_shared_get": shared.get,
        "_keep": keep,
        "_amount": amount,
        "_money": money,
        "_date": date,
        "_code": code,
        "_whole": whole,
        "_derived": derived,
        "_rate": rate,
        "_json": loads_json,
        "_identifier": fast.identifier,
        "_programme": fast.programme,
        "_share": fast.share,
        "_funding": fast.funding,
        "_duration": fast.duration,
        "_period": fast.period,
        "_partner": fast.partner,
        "_location": fast.location,
        "_finding": fast.finding,
        "_source": fast.source,
        "_project": fast.project,
        "_ROLES": fast.ROLES,
        "_SOURCES": fast.SOURCES,
        "_SEVERITIES": fast.SEVERITIES,
        "_PARTNER": Role.PARTNER,
        "_texts": fast.texts,
        "_frozen": fast.frozen,
        "_Duration": Duration,
        "_PERIOD_FIELDS": _PERIOD_FIELDS,
        "_SHARE_FIELDS": _SHARE_FIELDS,
        "_FUNDING_FIELDS": _FUNDING_FIELDS,
        "EMPTY_SET": fast.EMPTY_SET,
        "_EMPTY": fast.EMPTY,
        "_EMPTY_TEXTS": fast.EMPTY_TEXTS,
    }


def _any(indexes: list[int]) -> str:
    return " or ".join(f"c[{i}]" for i in indexes) or "False"


def _opt(index: int | None) -> str:
    return f"(c[{index}] or None)" if index is not None else "None"


def _cell(index: int | None) -> str:
    return f"c[{index}]" if index is not None else "''"


def _money_expr(where: dict[str, Any], prefix: str, styled: bool) -> str:
    amount, currency, qualifier = (
        where.get(prefix + part) for part in ("amount", "currency", "qualifier")
    )
    present = [i for i in (amount, currency, qualifier) if i is not None]
    if not present:
        return "None"  # the header has no such amount
    call = f"_money({_cell(amount)}, {_cell(currency)}, {_cell(qualifier)})"
    if amount is not None and currency is not None and qualifier is None:
        # the common case, inline: an amount and a known currency code
        a, k = f"c[{amount}]", f"c[{currency}]"
        if styled:  # written in the file's decimal-comma style: "198 660,00"
            fast_path = (
                f"_money_new(_Decimal({a}.replace(_GROUP, '').replace(',', '.')), {k}, None) "
                f"if {a} and _house({a}) and {k} in _CODES"
            )
        else:  # canonical: a plain decimal
            fast_path = (
                f"_money_new(_Decimal({a}), {k}, None) "
                f"if {a} and _plain_cell({a}) and {k} in _CODES"
            )
        return f"({fast_path} else ({call} if {a} or {k} else None))"
    return f"({call} if {_any(present)} else None)"


def _shared(key: str, name: str, make: str, indent: str, add: Callable[[str], None]) -> None:
    """Statements setting ``name`` to the object shared for ``key``, made by ``make``."""
    add(f"{indent}key = {key}")
    add(f"{indent}{name} = _shared_get(key)")
    add(f"{indent}if {name} is None: {name} = _keep(key, {make})")


def _extras_expr(
    entries: list[tuple[int, str, str, bool]], out: list[str], indent: str, name: str
) -> str:
    """Statements filling a dict of extras; the expression for the frozen result."""
    if not entries:
        return "_EMPTY"
    out.append(f"{indent}{name} = {{}}")
    for index, _column, key, is_json in entries:
        value = f"_json(c[{index}])" if is_json else f"c[{index}]"
        out.append(f"{indent}if c[{index}]: {name}[{key!r}] = {value}")
    return f"_frozen({name})"


def _derived_expr(index: int | None, allowed: str) -> str:
    return f"_derived(c[{index}], {allowed})" if index is not None else "EMPTY_SET"


def _tuple_expr(indexes: list[int]) -> str:
    if not indexes:
        return "()"
    return f"tuple(v for v in ({', '.join(f'c[{i}]' for i in indexes)},) if v)"


def compile_builder(
    plan: dict[str, Any], style: NumberStyle | None
) -> Callable[[list[str]], Project]:
    """The fast build function for a header's plan (see ``columns.Builder``)."""
    out = ["def build(c):"]
    add = out.append
    # in a decimal-comma file amounts are rarely plain: go to the file's style at once
    styled = style is not None and style.decimal == ","
    # texts
    text_exprs = {}
    for name in ("title", "summary"):
        if not plan[name]:
            text_exprs[name] = "_EMPTY_TEXTS"
            continue
        add(f"    {name} = {{}}")
        for index, lang in plan[name]:
            add(f"    if c[{index}]: {name}[{lang!r}] = c[{index}]")
        text_exprs[name] = f"_texts({name})"
    # identifiers
    add("    identifiers = []")
    for _, where in sorted(plan["identifiers"].items()):
        value, scheme = where.get("value"), where.get("scheme")
        if value is None:
            add(f"    if {_cell(scheme)}: raise ValueError('scheme without a code')")
            continue
        add(
            f"    if c[{value}]: identifiers.append(_identifier({_opt(scheme)}, _code(c[{value}])))"
        )
        if scheme is not None:
            add(f"    elif c[{scheme}]: raise ValueError('scheme without a code')")
    # programme
    spec = plan["programme"]
    names = spec.get("name", [])
    funds = [i for _, i in plan["funds"]]
    used = [i for i, _ in names] + funds + [spec[k] for k in ("cci", "period") if k in spec]
    add("    programme = None")
    if used:
        add(f"    if {_any(used)}:")
        key = ", ".join(f"c[{i}]" for i in used)
        _shared(f"('programme', {key},)", "programme", "_make_programme(c)", "        ", add)
        helper = ["def _make_programme(c):", "    pname = {}"]
        helper += [f"    if c[{index}]: pname[{lang!r}] = c[{index}]" for index, lang in names]
        helper.append(
            f"    return _programme(_texts(pname), {_opt(spec.get('cci'))}, "
            f"{_opt(spec.get('period'))}, {_tuple_expr(funds)})"
        )
        out[0:0] = helper
    # funding
    add(f"    total = {_money_expr(plan['total'], '', styled)}")
    add("    shares = []")
    for _, where in sorted(plan["shares"].items()):
        cells = list(where.values())
        add(f"    if {_any(cells)}:")
        source = where.get("source")
        if source is None:
            add("        raise ValueError('a share without its source')")
            continue
        rate = where.get("rate")
        rate_expr = f"(_rate(c[{rate}]) if c[{rate}] else None)" if rate is not None else "None"
        add(
            f"        shares.append(_share(_SOURCES[c[{source}]], {_opt(where.get('fund'))}, "
            f"{_money_expr(where, 'amount.', styled)}, {rate_expr}, "
            f"{_derived_expr(where.get('derived'), '_SHARE_FIELDS')}))"
        )
    add(f"    fderived = {_derived_expr(plan['funding_derived'], '_FUNDING_FIELDS')}")
    add("    funding = None")
    add("    if total is not None or shares or fderived:")
    add("        funding = _funding(total, tuple(shares), fderived)")
    # period
    where = plan["period"]
    add("    period = None")
    if where:
        start, end = where.get("start"), where.get("end")
        months, days = where.get("duration.months"), where.get("duration.days")
        add(f"    if {_any([i for i in (start, end, months, days) if i is not None])}:")
        add("        duration = None")
        add(f"        if {_cell(months)} or {_cell(days)}:")
        _shared(
            f"('duration', {_cell(months)}, {_cell(days)})",
            "duration",
            f"_duration(_whole(c[{months}]) if {_cell(months)} else 0, "
            f"_whole(c[{days}]) if {_cell(days)} else 0)",
            "            ",
            add,
        )
        add(
            f"        period = _period("
            f"_date(c[{start}]) if {_cell(start)} else None, "
            f"_date(c[{end}]) if {_cell(end)} else None, duration, "
            f"{_derived_expr(where.get('derived'), '_PERIOD_FIELDS')})"
        )
    # partners
    add("    partners = []")
    for number, where in sorted(plan["partners"].items()):
        simple = [i for k, i in where.items() if isinstance(i, int)]
        nested = [i for ident in where["identifiers"].values() for i in ident.values()]
        nested += [entry[0] for entry in where["extras"]]
        add(f"    if {_any(simple + nested)}:")
        pids = "()"
        if where["identifiers"]:
            add("        pids = []")
            pids = "tuple(pids)"
        for _, ident in sorted(where["identifiers"].items()):
            if "value" in ident:
                add(
                    f"        if c[{ident['value']}]: pids.append(_identifier("
                    f"{_opt(ident.get('scheme'))}, _code(c[{ident['value']}])))"
                )
        pextras = _extras_expr(where["extras"], out, "        ", "pextras")
        role = where.get("role")
        role_expr = (
            f"(_ROLES[c[{role}]] if c[{role}] else _PARTNER)" if role is not None else "_PARTNER"
        )
        add(
            f"        partners.append(_partner({_cell(where.get('name'))}, {role_expr}, "
            f"{_opt(where.get('country'))}, {_opt(where.get('role_text'))}, "
            f"{_money_expr(where, 'budget.', styled)}, {_opt(where.get('city'))}, {pids}, "
            f"{pextras}))"
        )
        del number
    # locations
    add("    locations = []")
    for _, where in sorted(plan["locations"].items()):
        cells = list(where.values())
        key = ", ".join(_cell(where.get(k)) for k in ("name", "country", "nuts"))
        add(f"    if {_any(cells)}:")
        _shared(
            f"('location', {key})",
            "place",
            f"_location({_opt(where.get('name'))}, {_opt(where.get('country'))}, "
            f"{_opt(where.get('nuts'))})",
            "        ",
            add,
        )
        add("        locations.append(place)")
    # results
    results = [i for _, i in plan["results"]]
    add(f"    results = {_tuple_expr(results)}")
    # source
    where = plan["source"]
    fields = plan["fields"]
    finding_cells = [
        i for spec in plan["findings"].values() for k, i in spec.items() if k != "data"
    ]
    finding_cells += [i for spec in plan["findings"].values() for i, _ in spec["data"]]
    used = list(where.values()) + [i for i, _ in fields] + finding_cells
    add("    source = None")
    if used:
        add(f"    if {_any(used)}:")
        add("        sfields = {}")
        for index, key in fields:
            add(f"        if c[{index}]: sfields[{key!r}] = c[{index}]")
        add("        sfindings = []")
        for _, spec in sorted(plan["findings"].items()):
            cells = [i for k, i in spec.items() if k != "data"] + [i for i, _ in spec["data"]]
            add(f"        if {_any(cells)}:")
            add("            fdata = {}")
            for index, key in spec["data"]:
                add(f"            if c[{index}]: fdata[{key!r}] = c[{index}]")
            severity = spec.get("severity")
            path = spec.get("path")
            add(f"            fpath = {_cell(path)} or '$'")
            add("            if fpath[0] != '$': raise ValueError('finding path')")
            add(
                f"            sfindings.append(_finding({_cell(spec.get('code'))}, "
                f"_SEVERITIES[c[{severity}]] if {_cell(severity)} else _SEVERITIES['info'], fpath, "
                f"{_cell(spec.get('message'))}, _frozen(fdata)))"
            )
        line, row = where.get("line"), where.get("row")
        add(
            f"        source = _source({_opt(where.get('format'))}, "
            f"{_opt(where.get('file'))}, "
            f"_whole(c[{line}]) if {_cell(line)} else None, "
            f"_whole(c[{row}]) if {_cell(row)} else None, "
            "_frozen(sfields), tuple(sfindings))"
        )
    extras = _extras_expr(plan["extras"], out, "    ", "extras")
    status = plan["status"]
    add(
        f"    return _project({text_exprs['title']}, tuple(identifiers), programme, funding, "
        f"period, tuple(partners), tuple(locations), {_opt(status)}, {text_exprs['summary']}, "
        f"results, source, {extras})"
    )
    namespace = _helpers(style)
    exec("\n".join(out), namespace)
    build: Callable[[list[str]], Project] = namespace["build"]
    return build
