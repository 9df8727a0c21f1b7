"""``action.yml`` and the docs' input and output tables, generated from the model.

Every JobSpec key is an input whose declared default is the empty string:
the runner passes every declared input, and an input overrides the YAML file,
so any other default would silently win over the user's file. The effective
default (the file's value, else the model's) is stated in the description.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from smtrain.github.inputs import AUTH_INPUTS, CONFIG_INPUT
from smtrain.github.outputs import OUTPUT_DESCRIPTIONS
from smtrain.layers import STRUCTURED_KEYS
from smtrain.spec import JobSpec

ACTION_NAME = "SageMaker Training Job (smtrain)"
# The Marketplace lists at most 125 characters of it.
ACTION_DESCRIPTION = (
    "Train on SageMaker from a YAML file: validate offline, OIDC auth, "
    "stream logs, step outputs and a job summary."
)
BRANDING = {"icon": "cpu", "color": "orange"}
_CONFIG_DESCRIPTION = (
    "Path of the job spec YAML file, relative to the workspace; "
    "inputs override its keys."
)
_HEADER = (
    "# Generated from the JobSpec model by scripts/generate-action-metadata.py;\n"
    "# edit src/smtrain/spec.py or src/smtrain/github/ and regenerate.\n"
)


def input_descriptions() -> dict[str, str]:
    """Every input, in action.yml order, with its one-line description."""
    described = {CONFIG_INPUT: _CONFIG_DESCRIPTION}
    for name, info in JobSpec.model_fields.items():
        key = info.alias or name
        described[key] = _spec_description(key, info)
    return described | AUTH_INPUTS


def _spec_description(key: str, info: FieldInfo) -> str:
    text = (info.description or "").rstrip(".") + "."
    if key in STRUCTURED_KEYS:
        text += " YAML or JSON, may span lines."
    return f"{text} Default: {_effective_default(info)}."


def _effective_default(info: FieldInfo) -> str:
    value: Any = info.default
    if value is PydanticUndefined or value is None or value in ({}, []):
        return "the file's value, else unset"
    if isinstance(value, bool):
        value = str(value).lower()
    return f"the file's value, else {value}"


def action_metadata() -> dict[str, Any]:
    inputs = {
        name: {"description": text, "required": False, "default": ""}
        for name, text in input_descriptions().items()
    }
    outputs = {
        name: {"description": text} for name, text in OUTPUT_DESCRIPTIONS.items()
    }
    return {
        "name": ACTION_NAME,
        "description": ACTION_DESCRIPTION,
        "author": "smtrain developers",
        "branding": BRANDING,
        "inputs": inputs,
        "outputs": outputs,
        "runs": {"using": "docker", "image": "Dockerfile"},
    }


def render_action_yml() -> str:
    body = yaml.safe_dump(
        action_metadata(), sort_keys=False, width=4096, allow_unicode=True
    )
    return _HEADER + body


def markdown_tables() -> str:
    """The inputs and outputs tables of docs/action.md (and the README)."""
    lines = ["| input | description |", "| --- | --- |"]
    lines += [f"| `{k}` | {_cell(v)} |" for k, v in input_descriptions().items()]
    lines += ["", "| output | description |", "| --- | --- |"]
    lines += [f"| `{k}` | {_cell(v)} |" for k, v in OUTPUT_DESCRIPTIONS.items()]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
