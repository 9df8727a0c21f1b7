"""The job spec's JSON Schema, as editors and ``schema/input-schema.json`` see it."""

from __future__ import annotations

from typing import Any

from smtrain.spec import JobSpec


def spec_schema() -> dict[str, Any]:
    schema = JobSpec.model_json_schema(by_alias=True, mode="validation")
    # A channel may be just its URI (train: s3://bucket/prefix).
    channel = {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/Channel"}]}
    schema["properties"]["inputs"]["additionalProperties"] = channel
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }
