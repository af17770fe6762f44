"""Findings: what a check or an importer noticed about a record, said plainly.

A :class:`Finding` has a stable dotted ``code`` (``period.duration.mismatch``) that
programs can rely on, a ``severity``, a ``path`` into the canonical form
(``$.period.duration``) and a message with the numbers in it. ``data`` holds the same
numbers as strings, for programs.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from attrs import field, frozen

from ._choices import choice
from .errors import expect
from .texts import FrozenDict, text_dict

__all__ = ["Finding", "Severity"]


class Severity(StrEnum):
    """How much a finding matters: an ``error`` makes the record wrong, a ``warning`` odd."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_as_severity = choice(Severity, "severity")


def _severity(value: object) -> Severity:
    return _as_severity(value)


def _path(value: str) -> str:
    if not isinstance(value, str) or not value.startswith("$"):
        raise ValueError(f"a finding's path starts at the record root '$', not {value!r}")
    return value


def _words(value: str) -> str:
    expect(value, str, "expected text")
    return value


def _text_data(value: Mapping[str, str] | None) -> FrozenDict[str, str]:
    """A finding's data as text to text; empty texts are left out (they state nothing)."""
    data = text_dict(value, "a finding's data", " (finding() turns values into text)")
    if any(not text for text in data.values()):
        return FrozenDict({key: text for key, text in data.items() if text})
    return data


@frozen
class Finding:
    """One problem or oddity in one record.

    >>> finding = Finding("period.duration.mismatch", "warning", "$.period.duration",
    ...                   "27 months stated, 26 months by the dates")
    >>> print(finding)
    warning: $.period.duration: 27 months stated, 26 months by the dates [period.duration.mismatch]
    """

    code: str = field(converter=_words)
    severity: Severity = field(converter=_severity)
    path: str = field(converter=_path)
    message: str = field(converter=_words)
    data: FrozenDict[str, str] = field(factory=FrozenDict, converter=_text_data, eq=True)

    @property
    def is_error(self) -> bool:
        """Whether this finding makes the record wrong (rather than odd)."""
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.path}: {self.message} [{self.code}]"


def finding(
    code: str,
    severity: Severity,
    path: str,
    message: str,
    data: Mapping[str, object] | None = None,
) -> Finding:
    """Build a finding, turning the values in ``data`` into strings."""
    return Finding(
        code,
        severity,
        path,
        message,
        FrozenDict({k: str(v) for k, v in (data or {}).items()}),
    )
