"""The JSON Schemas (Draft 2020-12) of socialproj's canonical form and JSON document.

>>> schema("project")["$id"]
'urn:socialproj:schema:1:project'
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any, Final

__all__ = ["SCHEMA_VERSION", "schema"]

#: The version of the canonical form this socialproj writes, and the newest it reads.
SCHEMA_VERSION: Final = 1


@cache
def _load(name: str) -> dict[str, Any]:
    text = files(__package__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def schema(name: str = "project") -> dict[str, Any]:
    """The JSON Schema of a canonical ``"project"`` or of a JSON ``"document"`` (a copy)."""
    if name not in ("project", "document"):
        raise ValueError(f"no schema named {name!r}: 'project' or 'document'")
    return json.loads(json.dumps(_load(name)))  # type: ignore[no-any-return]
