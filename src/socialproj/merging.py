"""One record from the records of one project, with each field's source and every conflict.

:func:`merge` takes the records :func:`~socialproj.link` grouped, in the order of
preference (the first wins a disagreement), and makes one :class:`~socialproj.Project`:

- a field only one source states is taken from it;
- texts in languages are joined language by language;
- lists (codes, partners, places, results) are joined, the same item once (a code
  whatever its spelling, a partner whatever its legal form);
- extras are joined key by key;
- where sources state different values, the first source's is taken and a
  ``merge.conflict`` finding keeps every value with its source: nothing a source stated
  is lost.

The merged record's ``source`` has the format ``merge`` and a ``merge.provenance``
finding naming, for each field, the source it was taken from; the members' own findings
follow, each marked with its source.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from .canonical import to_dict
from .canonical.table import Kind, fields_of
from .codes import code_key, strip_contract_suffix
from .findings import Finding, Severity
from .jsonvalues import dumps_json
from .linking import partner_key
from .model import Project, Source
from .texts import Texts
from .vocabulary import fold

__all__ = ["merge", "source_label"]

#: the fields a merge makes itself
_OWN: Final = frozenset({"source"})


def source_label(project: Project) -> str:
    """Where a record was read, as a merge names it: ``card.txt:1``, ``list.csv row 7``."""
    source = project.source
    if source is None:
        return "?"
    where = source.file or source.format or "?"
    if source.row is not None:
        return f"{where} row {source.row}"
    if source.line is not None:
        return f"{where}:{source.line}"
    return where


def _same_key(kind_name: str) -> Callable[[Any], Any]:
    if kind_name == "identifiers":
        return lambda item: code_key(strip_contract_suffix(item.value))
    if kind_name == "partners":
        return lambda item: partner_key(item.name) or fold(item.name)
    if kind_name == "locations":
        return lambda item: fold(item.name or "") or item
    return lambda item: item


def _shown(value: Any) -> str:
    if hasattr(type(value), "__attrs_attrs__"):
        return dumps_json(to_dict(value)).decode("utf-8")
    return str(value)


def merge(records: Sequence[Project]) -> Project:
    """One project from ``records`` of one project, the first preferred where they differ.

    >>> from socialproj import Duration, Period, Project, Source
    >>> card = Project(title={"en": "Social Patronage"}, period=Period(duration=Duration(27)),
    ...                source=Source("robg-card", "card.txt", line=1))
    >>> news = Project(title={"bg": "Социален патронаж"}, period=Period(duration=Duration(24)),
    ...                source=Source("bg-news", "news.txt", line=1))
    >>> merged = merge([card, news])
    >>> dict(merged.title), merged.period.duration.months
    ({'en': 'Social Patronage', 'bg': 'Социален патронаж'}, 27)
    >>> [f.code for f in merged.source.findings]
    ['merge.conflict', 'merge.provenance']
    """
    if not records:
        raise ValueError("merge() needs at least one record")
    labels = [source_label(record) for record in records]
    values: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    findings: list[Finding] = []
    for spec in fields_of(Project):
        name = spec.name
        if name in _OWN:
            continue
        stated = [
            (label, getattr(record, name))
            for label, record in zip(labels, records, strict=True)
            if getattr(record, name)
        ]
        if not stated:
            continue
        if spec.kind in (Kind.TEXTS, Kind.EXTRAS):
            joined: dict[str, Any] = {}
            taken: dict[str, str] = {}
            for label, value in stated:
                for key, text in value.items():
                    if key not in joined:
                        joined[key], taken[key] = text, label
                    elif joined[key] != text:
                        findings.append(
                            _conflict(f"$.{name}.{key}", [(taken[key], joined[key]), (label, text)])
                        )
            values[name] = Texts(joined) if spec.kind is Kind.TEXTS else joined
            provenance[name] = ", ".join(dict.fromkeys(taken.values()))
        elif spec.kind in (Kind.LIST, Kind.LINES):
            key = _same_key(name)
            seen: dict[Any, Any] = {}
            froms: list[str] = []
            for label, value in stated:
                for item in value:
                    if key(item) not in seen:
                        seen[key(item)] = item
                        froms.append(label)
            values[name] = tuple(seen.values())
            provenance[name] = ", ".join(dict.fromkeys(froms))
        else:
            first_label, first = stated[0]
            values[name] = first
            provenance[name] = first_label
            others = [(label, value) for label, value in stated[1:] if value != first]
            if others:
                findings.append(_conflict(f"$.{name}", [(first_label, first), *others]))
    members_findings = [
        Finding(f.code, f.severity, f.path, f"{f.message} (in {label})", f.data)
        for label, record in zip(labels, records, strict=True)
        if record.source is not None
        for f in record.source.findings
    ]
    findings.append(
        Finding(
            "merge.provenance",
            Severity.INFO,
            "$",
            f"merged from {len(records)} records: {', '.join(labels)}",
            provenance,
        )
    )
    source = Source("merge", None, None, None, {}, (*findings, *members_findings))
    return Project(**values, source=source)


def _conflict(path: str, stated: list[tuple[str, Any]]) -> Finding:
    said = "; ".join(f"{label}: {_shown(value)}" for label, value in stated)
    return Finding(
        "merge.conflict",
        Severity.WARNING,
        path,
        f"the sources disagree, the first is taken: {said}",
        {label: _shown(value) for label, value in stated},
    )
