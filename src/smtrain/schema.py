"""The job spec's JSON Schema, as editors and ``schema/input-schema.json`` see it."""

from __future__ import annotations

from typing import Any

from smtrain.spec import JobSpec


def spec_schema() -> dict[str, Any]:
    schema = JobSpec.model_json_schema(by_alias=True, mode="validation")
    # A channel may be just its URI (train: s3://bucket/prefix).
    channel = {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/Channel"}]}
    schema["properties"]["inputs"]["additionalProperties"] = channel
    # A range's type may be left out, and a plain list is a categorical range,
    # so an editor may not insist on exactly one match by type.
    ranges = schema["$defs"]["TuningSpec"]["properties"]["parameter-ranges"]
    ranges["additionalProperties"] = {
        "anyOf": [
            {"type": "array"},
            *(
                {"$ref": f"#/$defs/{kind}Range"}
                for kind in ("Integer", "Continuous", "Categorical")
            ),
        ]
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }
