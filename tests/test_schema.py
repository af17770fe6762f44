"""The published JSON Schema describes what every format writes, and keeps up with the model."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

import socialproj
from socialproj import read, schema, to_dict, write
from socialproj.testing import strategies as sps

from .conftest import DATA, SEEDS

PROJECT = Draft202012Validator(schema("project"))
REGISTRY = Registry().with_resource(
    "urn:socialproj:schema:1:project", Resource.from_contents(schema("project"))
)
DOCUMENT = Draft202012Validator(schema("document"), registry=REGISTRY)


def _json_ready(data):
    """Extras may hold exact Decimals; JSON readers see them as numbers."""
    return json.loads(socialproj.dumps_json(data))


def test_the_schemas_are_valid_draft_2020_12():
    Draft202012Validator.check_schema(schema("project"))
    Draft202012Validator.check_schema(schema("document"))


@given(sps.projects())
def test_every_canonical_project_validates(project):
    PROJECT.validate(_json_ready(to_dict(project)))


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
@given(projects=st.lists(sps.projects(), max_size=3))
def test_what_each_format_writes_validates(fmt, projects):
    buffer = io.BytesIO()
    write(projects, buffer, fmt)
    data = buffer.getvalue()
    if fmt == "json":
        DOCUMENT.validate(json.loads(data, parse_float=Decimal))
    elif fmt == "jsonl":
        for line in data.splitlines():
            PROJECT.validate(json.loads(line))
    for project in read(io.BytesIO(data), fmt):
        PROJECT.validate(_json_ready(to_dict(project)))


def test_what_the_layout_importers_read_validates():
    paths = sorted((DATA / "layouts").glob("*/*.txt")) + sorted(SEEDS.glob("*.txt"))
    for path in paths:
        for project in read(path, errors="collect"):
            PROJECT.validate(_json_ready(to_dict(project)))


def test_a_newer_document_is_refused_with_a_clear_message():
    newer = b'{"format":"socialproj","version":2,"projects":[]}'
    with pytest.raises(socialproj.ReadError, match="schema version 2"):
        list(read(io.BytesIO(newer), "json"))
    with pytest.raises(Exception, match="2 is greater than the maximum"):
        DOCUMENT.validate(json.loads(newer))


@pytest.mark.parametrize(
    ("definition", "cls"),
    [
        ("identifier", socialproj.Identifier),
        ("share", socialproj.Share),
        ("funding", socialproj.Funding),
        ("period", socialproj.Period),
        ("partner", socialproj.Partner),
        ("location", socialproj.Location),
        ("programme", socialproj.Programme),
        ("finding", socialproj.Finding),
        ("source", socialproj.Source),
        ("money", socialproj.Money),
        ("duration", socialproj.Duration),
    ],
)
def test_the_schema_names_every_field_of_the_model(definition, cls):
    properties = set(schema("project")["$defs"][definition]["properties"])
    assert properties == {field.name for field in attrs.fields(cls)}


def test_the_project_schema_names_every_field_of_a_project():
    assert set(schema("project")["properties"]) == {
        f.name for f in attrs.fields(socialproj.Project)
    }
