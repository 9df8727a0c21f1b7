"""Value types shared by the job-spec models: durations, flags, text maps and lists.

Each parses the forms users write (``90m``, ``"true"``, comma-separated text) and
describes itself in the JSON Schema. ``SpecModel`` is the base of every section.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    WithJsonSchema,
)

_DURATION = re.compile(
    r"^\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s?)?\s*$"
)
_DURATION_UNITS = (86400, 3600, 60, 1)


def parse_duration(value: Any) -> Any:
    """Seconds from ``5400``, ``"5400"``, ``"90m"``, ``"2h"``, ``"1d"``, ``"1h30m"``."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 3600, 90m, 2h or 1d")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip():
        match = _DURATION.match(value.lower())
        if match and any(match.groups()):
            parts = (int(g or 0) for g in match.groups())
            return sum(n * unit for n, unit in zip(parts, _DURATION_UNITS, strict=True))
    raise ValueError("expected a duration such as 3600, 90m, 2h or 1d")


def parse_bool(value: Any) -> Any:
    """Only true/false (any case) as text; YAML's own booleans pass through.

    ``yes``/``on``/``1`` are refused on purpose: in a CI config they are more often
    a typo than an intent, and GitHub's own boolean inputs are ``true``/``false``.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError("expected true or false")


def refuse_bool(value: Any) -> Any:
    """Whole numbers as pydantic reads them, except true/false.

    Pydantic would take ``instance-count: true`` as 1; a boolean where a count
    belongs is a mistake to point out, not a number to guess.
    """
    if isinstance(value, bool):
        raise ValueError("must be a whole number, not true or false")
    return value


def parse_list(value: Any) -> Any:
    """A YAML list, or comma-separated text as action inputs give it."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def scalars_as_text(value: Any) -> Any:
    """``{OMP_NUM_THREADS: 4}`` -> ``{"OMP_NUM_THREADS": "4"}``; booleans as true/false.

    Environment variables and tags are text on the wire, and writing a number
    unquoted in YAML is too common to refuse.
    """
    if not isinstance(value, dict):
        return value
    return {k: _scalar_text(v) for k, v in value.items()}


def _scalar_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


_duration_schema = WithJsonSchema(
    {
        "anyOf": [
            {"type": "integer", "minimum": 0},
            {
                "type": "string",
                "pattern": r"^\s*(\d+d)?\s*(\d+h)?\s*(\d+m)?\s*(\d+s?)?\s*$",
            },
        ],
        "description": "Seconds, or a duration such as 90m, 2h, 1d.",
    }
)
_bool_schema = WithJsonSchema(
    {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": ["true", "false"]}]}
)

Duration = Annotated[int, BeforeValidator(parse_duration), _duration_schema]
Flag = Annotated[bool, BeforeValidator(parse_bool), _bool_schema]
Count = Annotated[int, BeforeValidator(refuse_bool)]
TextMap = Annotated[
    dict[str, str],
    BeforeValidator(scalars_as_text),
    WithJsonSchema(
        {
            "type": "object",
            "additionalProperties": {"type": ["string", "number", "boolean"]},
        }
    ),
]
TextList = Annotated[
    list[str],
    BeforeValidator(parse_list),
    WithJsonSchema(
        {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}
    ),
]
# Hyperparameter values keep their YAML type until rendering turns them into text.
HyperparameterValue = Annotated[
    Any,
    PlainSerializer(lambda v: v),
    WithJsonSchema(
        {"type": ["string", "number", "boolean", "array", "object", "null"]}
    ),
]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class SpecModel(BaseModel):
    """Shared settings: kebab-case aliases, unknown keys refused, values frozen."""

    model_config = ConfigDict(
        alias_generator=_kebab,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
    )
