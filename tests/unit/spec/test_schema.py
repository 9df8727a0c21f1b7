"""schema/input-schema.json is generated from the model and kept current."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from smtrain.schema import spec_schema
from smtrain.spec import spec_keys

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "schema" / "input-schema.json"


def test_schema_file_is_current() -> None:
    stored = json.loads(SCHEMA_FILE.read_text())
    assert stored == spec_schema(), (
        "schema/input-schema.json is stale: run "
        "`PYTHONPATH=src python -m smtrain schema > schema/input-schema.json`"
    )


def test_schema_lists_every_key_with_a_description() -> None:
    properties = spec_schema()["properties"]
    assert sorted(properties) == sorted(spec_keys())
    assert all(p.get("description") for p in properties.values())


@pytest.mark.parametrize(
    "document",
    [
        {"inputs": {"train": "s3://b/p", "test": {"uri": "s3://b/t"}}},
        {"environment": {"OMP_NUM_THREADS": 4}, "tags": {"team": "ml"}},
        {"max-runtime": "2h", "use-spot": "true", "subnets": "subnet-1,subnet-2"},
    ],
)
def test_schema_accepts_what_the_loader_accepts(document: dict[str, object]) -> None:
    jsonschema.validate(document, spec_schema())


def test_schema_refuses_unknown_keys() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"instance-typ": "ml.m5.large"}, spec_schema())
