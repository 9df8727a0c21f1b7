"""The job spec's JSON Schema, as editors and ``schema/input-schema.json`` see it."""

from __future__ import annotations

from typing import Any

from smtrain.spec import JobSpec


def spec_schema() -> dict[str, Any]:
    schema = JobSpec.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }
