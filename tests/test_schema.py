"""The published JSON Schema describes what every format writes, and keeps up with the model."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

import socialproj
from socialproj import read, schema, to_dict, write
from socialproj.canonical import CLASSES, Kind, fields_of
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


def _definition(cls):
    """The schema's definition of a record class (a project is the schema itself)."""
    project = schema("project")
    if cls is socialproj.Project:
        return project
    name = cls.__name__[0].lower() + cls.__name__[1:]
    return project["$defs"][name]


def _ref(cls):
    return f"#/$defs/{cls.__name__[0].lower()}{cls.__name__[1:]}"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_the_schema_follows_the_field_table(cls):
    # the field table is the one home of the form's shape: the schema is held to it
    definition = _definition(cls)
    specs = fields_of(cls)
    assert list(definition["properties"]) == [spec.name for spec in specs]
    always = {spec.name for spec in specs if spec.required or spec.kind is Kind.COUNT}
    assert set(definition.get("required", ())) == always
    for spec in specs:
        prop = definition["properties"][spec.name]
        if spec.kind is Kind.ENUM:
            values = [member.value for member in spec.item if member is not spec.default]
            assert prop["enum"] == values, spec.name
        elif spec.kind is Kind.DERIVED:
            assert set(prop["items"]["enum"]) == spec.derivable, spec.name
        elif spec.kind is Kind.PART:
            assert prop["$ref"] == _ref(spec.item), spec.name
        elif spec.kind is Kind.LIST:
            assert prop["type"] == "array"
            assert prop["items"]["$ref"] == _ref(spec.item), spec.name
