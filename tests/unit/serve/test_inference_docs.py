"""docs/inference.md documents every serve setting and error status we answer."""

from __future__ import annotations

import re
from pathlib import Path

from smtrain.commands.serve import SETTINGS
from smtrain.ml.inference_errors import (
    PayloadTooLargeError,
    RequestError,
    UnsupportedAcceptError,
    UnsupportedContentTypeError,
)

DOC = (Path(__file__).resolve().parents[3] / "docs" / "inference.md").read_text()


def test_every_setting_has_a_row_with_its_variable_and_default() -> None:
    for setting in SETTINGS.values():
        row = re.search(rf"^\| `{setting.option}`.*$", DOC, re.MULTILINE)

        assert row, setting.option
        assert f"`{setting.variable}`" in row.group(0)
        if setting.option != "--workers":
            assert f"`{setting.default():g}`" in row.group(0)


def test_every_client_error_status_is_documented() -> None:
    errors = [
        RequestError,
        UnsupportedContentTypeError,
        UnsupportedAcceptError,
        PayloadTooLargeError,
    ]

    for error in errors:
        assert re.search(rf"^\| {error.status} \|", DOC, re.MULTILINE), error.status
