"""Response formats by Accept, content-type refusal and the regression model."""

from __future__ import annotations

import csv
import io
import json

import pytest

from smtrain.ml.artifact import LoadedModel
from smtrain.ml.inference_errors import (
    UnsupportedAcceptError,
    UnsupportedContentTypeError,
)

from .invoke import ADELIE, GENTOO, invoke

TWO_ROWS = f"{ADELIE}\n{GENTOO}\n"
DIABETES_ROW = "0.038,0.05,0.062,0.022,-0.044,-0.035,-0.043,-0.003,0.02,-0.018"


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/json"),
        ("", "application/json"),
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("application/json", "application/json"),
        ("text/csv", "text/csv"),
        ("text/*", "text/csv"),
        ("application/jsonlines", "application/jsonlines"),
        ("application/x-ndjson", "application/jsonlines"),
        ("image/png, text/csv;q=0.5, application/json;q=0.9", "application/json"),
        ("application/json;q=0, text/csv", "text/csv"),
    ],
)
def test_accept_chooses_the_format(
    penguins: LoadedModel, accept: str | None, media: str
) -> None:
    assert invoke(penguins, ADELIE, "text/csv", accept)[1] == media


@pytest.mark.parametrize("accept", ["image/png", "application/json;q=0", "text/html"])
def test_an_accept_naming_no_supported_format_is_406(
    penguins: LoadedModel, accept: str
) -> None:
    with pytest.raises(UnsupportedAcceptError, match="accept one of") as refused:
        invoke(penguins, ADELIE, "text/csv", accept)

    assert refused.value.status == 406


@pytest.mark.parametrize("content_type", [None, "", "application/xml", "text/plain"])
def test_an_unknown_content_type_is_415(
    penguins: LoadedModel, content_type: str | None
) -> None:
    with pytest.raises(UnsupportedContentTypeError, match="send one of") as refused:
        invoke(penguins, ADELIE, content_type)

    assert refused.value.status == 415


def test_csv_output_is_label_confidence_then_one_probability_per_class(
    penguins: LoadedModel,
) -> None:
    text, _ = invoke(penguins, TWO_ROWS, "text/csv", "text/csv")

    rows = list(csv.reader(io.StringIO(text)))
    assert [row[0] for row in rows] == ["Adelie", "Gentoo"]
    for row in rows:
        probabilities = [float(v) for v in row[2:]]
        assert len(probabilities) == 3
        assert float(row[1]) == max(probabilities)


def test_json_lines_output_has_one_object_per_row(penguins: LoadedModel) -> None:
    text, _ = invoke(penguins, TWO_ROWS, "text/csv", "application/jsonlines")

    lines = text.splitlines()
    assert [json.loads(line)["label"] for line in lines] == ["Adelie", "Gentoo"]
    assert text.endswith("\n")


def test_regression_answers_values_in_every_format(diabetes: LoadedModel) -> None:
    body = f"{DIABETES_ROW}\n{DIABETES_ROW}\n"

    as_json, _ = invoke(diabetes, body, "text/csv", "application/json")
    as_csv, _ = invoke(diabetes, body, "text/csv", "text/csv")
    as_lines, _ = invoke(diabetes, body, "text/csv", "application/jsonlines")

    values = [p["value"] for p in json.loads(as_json)["predictions"]]
    assert len(values) == 2
    assert 25 < values[0] < 346  # inside the diabetes target's range
    assert [float(v) for v in as_csv.splitlines()] == values
    assert [json.loads(line)["value"] for line in as_lines.splitlines()] == values


def test_regression_json_records_by_name(diabetes: LoadedModel) -> None:
    names = diabetes.feature_names
    record = dict(zip(names, map(float, DIABETES_ROW.split(",")), strict=True))

    as_record, _ = invoke(diabetes, json.dumps(record), "application/json")
    as_row, _ = invoke(diabetes, DIABETES_ROW, "text/csv")

    assert as_record == as_row
