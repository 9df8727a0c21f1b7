"""docs/configuration.md documents every key with the model's default."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from smtrain.spec import Channel, JobSpec

DOC = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"
ROW = re.compile(
    r"^\| `(?P<key>[a-z0-9-]+)` \| [^|]+ \| (?P<default>[^|]+) \| [^|]+ \| .+\|$"
)


def documented_rows() -> list[tuple[str, str]]:
    rows = (ROW.match(line) for line in DOC.read_text().splitlines())
    return [(m["key"], m["default"].strip()) for m in rows if m]


def default_text(value: Any) -> str:
    """How the docs write a default: `text`, true/false, numbers, {}, [] or —."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict | list):
        return f"`{value!r}`"
    return f"`{value}`"


def model_defaults(model: type[BaseModel]) -> dict[str, str]:
    return {
        field.alias or name: "—"
        if field.is_required()
        else default_text(field.get_default(call_default_factory=True))
        for name, field in model.model_fields.items()
    }


@pytest.mark.parametrize("model", [JobSpec, Channel])
def test_every_key_is_documented_with_its_default(model: type[BaseModel]) -> None:
    documented = documented_rows()
    for key, default in model_defaults(model).items():
        # distribution and input-mode are keys of both the job and a channel.
        assert (key, default) in documented, f"{key} (default {default}) undocumented"


def test_no_key_is_documented_that_the_model_lacks() -> None:
    known = set(model_defaults(JobSpec)) | set(model_defaults(Channel))
    assert {key for key, _ in documented_rows()} <= known
