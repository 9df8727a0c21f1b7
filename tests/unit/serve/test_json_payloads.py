"""application/json and application/jsonlines requests through the handler."""

from __future__ import annotations

import json
from typing import Any

import pytest

from smtrain.ml.artifact import LoadedModel
from smtrain.ml.inference_errors import RequestError

from .invoke import ADELIE, GENTOO, HEADER, invoke, labels

NAMES = HEADER.split(",")


def _values(row: str) -> list[Any]:
    return [float(v) if v[0].isdigit() else v for v in row.split(",")]


def _record(row: str) -> dict[str, Any]:
    return dict(zip(NAMES, _values(row), strict=True))


TWO_ROW_SHAPES = {
    "list of records": [_record(ADELIE), _record(GENTOO)],
    "instances of records": {"instances": [_record(ADELIE), _record(GENTOO)]},
    "instances of value lists": {"instances": [_values(ADELIE), _values(GENTOO)]},
    "split columns and data": {
        "columns": NAMES,
        "data": [_values(ADELIE), _values(GENTOO)],
        "index": [0, 1],
    },
    "list of value lists": [_values(ADELIE), _values(GENTOO)],
}


@pytest.mark.parametrize("shape", TWO_ROW_SHAPES)
def test_every_json_shape_gives_the_same_predictions(
    penguins: LoadedModel, shape: str
) -> None:
    body = json.dumps(TWO_ROW_SHAPES[shape])

    assert labels(penguins, body, "application/json") == ["Adelie", "Gentoo"]


@pytest.mark.parametrize(
    "document",
    [_record(GENTOO), _values(GENTOO), {"instances": _values(GENTOO)}],
    ids=["one record", "one value list", "instances of one value list"],
)
def test_a_single_row_json_payload(penguins: LoadedModel, document: Any) -> None:
    assert labels(penguins, json.dumps(document), "application/json") == ["Gentoo"]


def test_json_numbers_as_text_nulls_and_unseen_categories(
    penguins: LoadedModel,
) -> None:
    record = {**_record(ADELIE), "bill_length_mm": "39.1", "sex": None}
    unseen = {**_record(ADELIE), "island": "Atlantis", "year": None}

    found = labels(penguins, json.dumps([record, unseen]), "application/json")

    assert found[0] == "Adelie"
    assert len(found) == 2


def test_records_may_omit_keys_another_record_has(penguins: LoadedModel) -> None:
    partial = {k: v for k, v in _record(ADELIE).items() if k != "body_mass_g"}

    found = labels(penguins, json.dumps([_record(GENTOO), partial]), "application/json")

    assert found[0] == "Gentoo"


def test_json_records_missing_a_feature_everywhere_are_refused(
    penguins: LoadedModel,
) -> None:
    record = {k: v for k, v in _record(ADELIE).items() if k not in ("sex", "year")}

    with pytest.raises(RequestError, match="missing columns: sex, year"):
        invoke(penguins, json.dumps(record), "application/json")


def test_json_lines_of_records_and_of_value_lists(penguins: LoadedModel) -> None:
    records = f"{json.dumps(_record(ADELIE))}\n\n{json.dumps(_record(GENTOO))}\n"
    value_lists = "\n".join(json.dumps(_values(r)) for r in (ADELIE, GENTOO))

    assert labels(penguins, records, "application/jsonlines") == ["Adelie", "Gentoo"]
    assert labels(penguins, value_lists, "application/x-jsonlines") == [
        "Adelie",
        "Gentoo",
    ]


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ('{"island": "Biscoe",', "application/json", "the body is not valid JSON"),
        ("42", "application/json", "must be a list of records"),
        ("[]", "application/json", "no rows"),
        ('{"instances": []}', "application/json", "no rows"),
        ('[{"island": "Biscoe"}, ["Biscoe"]]', "application/json", "mixes records"),
        ('{"island": {"name": "Biscoe"}}', "application/json", "nested dict"),
        ('{"columns": "island", "data": []}', "application/json", "list of column"),
        (
            '{"columns": ["island"], "data": [[1, 2]]}',
            "application/json",
            "row 1 has 2",
        ),
        ('[["Biscoe", 1]]', "application/json", "expected 7 in this order"),
        ('{"island": "Biscoe"}\n{oops', "application/jsonlines", "JSON line 2"),
        ('"Biscoe"\n', "application/jsonlines", "one record object"),
        ("[" * 100_000, "application/json", "the body is nested too deeply"),
        ("[" * 100_000 + "\n", "application/jsonlines", "nested too deeply"),
        ('{"body_mass_g": ' + "9" * 5000 + "}", "application/json", "4300 digits"),
    ],
)
def test_unusable_json_is_a_client_error(
    penguins: LoadedModel, body: str, content_type: str, reason: str
) -> None:
    with pytest.raises(RequestError, match=reason) as refused:
        invoke(penguins, body, content_type)

    assert refused.value.status == 400


@pytest.mark.parametrize("mass", ["9" * 401, '"inf"', '"-Infinity"', "1e999", "NaN"])
def test_infinite_numbers_are_missing_values_as_in_training(
    penguins: LoadedModel, mass: str
) -> None:
    # Duplicate JSON keys keep the last: the record's own mass is replaced.
    body = json.dumps(_record(ADELIE))[:-1] + f', "body_mass_g": {mass}}}'
    missing = json.dumps({**_record(ADELIE), "body_mass_g": None})

    assert invoke(penguins, body, "application/json") == invoke(
        penguins, missing, "application/json"
    )


def test_a_numeric_feature_refuses_a_json_boolean(penguins: LoadedModel) -> None:
    record = {**_record(ADELIE), "body_mass_g": True}

    with pytest.raises(RequestError, match="'body_mass_g' takes numbers"):
        invoke(penguins, json.dumps(record), "application/json")


def test_the_toolkit_passes_utf8_bodies_as_text(penguins: LoadedModel) -> None:
    body = json.dumps(_record(GENTOO))

    assert invoke(penguins, body, "application/json") == invoke(
        penguins, body.encode(), "application/json"
    )
