"""text/csv requests through the handler, as the SageMaker container calls it."""

from __future__ import annotations

import pytest

from smtrain.ml.artifact import LoadedModel
from smtrain.ml.inference_errors import RequestError

from .invoke import ADELIE, GENTOO, HEADER, invoke, labels, predictions


def test_header_less_rows_follow_the_metadata_feature_order(
    penguins: LoadedModel,
) -> None:
    assert penguins.feature_names == HEADER.split(",")

    assert labels(penguins, f"{ADELIE}\n{GENTOO}\n", "text/csv") == ["Adelie", "Gentoo"]


def test_probabilities_cover_every_class_and_confidence_is_the_largest(
    penguins: LoadedModel,
) -> None:
    (first,) = predictions(penguins, ADELIE, "text/csv")

    assert list(first["probabilities"]) == ["Adelie", "Chinstrap", "Gentoo"]
    assert sum(first["probabilities"].values()) == pytest.approx(1.0)
    assert first["confidence"] == max(first["probabilities"].values())


def test_header_with_bom_crlf_blank_lines_and_trailing_newline(
    penguins: LoadedModel,
) -> None:
    body = f"\ufeff{HEADER}\r\n\r\n{ADELIE}\r\n\n{GENTOO}\r\n\r\n".encode()

    assert labels(penguins, body, "text/csv") == ["Adelie", "Gentoo"]


def test_header_columns_are_matched_by_name_in_any_order(
    penguins: LoadedModel,
) -> None:
    names, values = HEADER.split(","), GENTOO.split(",")
    shuffled = list(reversed(range(len(names))))
    header = ",".join(names[i] for i in shuffled)
    row = ",".join(values[i] for i in shuffled)

    by_name = predictions(penguins, f"{header}\n{row}\n", "text/csv")

    assert by_name == predictions(penguins, GENTOO, "text/csv")


def test_extra_columns_such_as_the_target_are_ignored(penguins: LoadedModel) -> None:
    body = f"id,{HEADER},species\n7,{GENTOO},Adelie\n"

    assert labels(penguins, body, "text/csv") == ["Gentoo"]


def test_quoted_fields_with_commas_and_quotes(penguins: LoadedModel) -> None:
    quoted = '"Torgersen","39.1","18.7","181","3750","male","2007"'
    odd_island = '"Torgersen, north ""shore""",39.1,18.7,181,3750,male,2007'

    assert labels(penguins, quoted, "text/csv") == ["Adelie"]
    assert len(labels(penguins, odd_island, "text/csv")) == 1


def test_unseen_categories_and_empty_values_still_predict(
    penguins: LoadedModel,
) -> None:
    body = f"{HEADER}\nAtlantis,39.1,,181,,,2007\n,,,,,,\n"

    (first, empty) = predictions(penguins, body, "text/csv")

    assert first["label"] in {"Adelie", "Chinstrap", "Gentoo"}
    assert empty["confidence"] > 0


@pytest.mark.parametrize("missing", ["NaN", "nan", "NA", "null", " "])
def test_missing_number_spellings_are_missing_values(
    penguins: LoadedModel, missing: str
) -> None:
    body = f"Torgersen,39.1,{missing},181,3750,male,2007"

    assert len(labels(penguins, body, "text/csv")) == 1


def test_a_header_naming_too_few_columns_names_the_missing_ones(
    penguins: LoadedModel,
) -> None:
    with pytest.raises(RequestError) as refused:
        invoke(penguins, "island,bill_length_mm\nBiscoe,40\n", "text/csv")

    assert refused.value.status == 400
    for name in ("bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"):
        assert name in str(refused.value)
    assert "island," not in str(refused.value)


def test_a_header_less_row_of_the_wrong_width_states_the_expected_count(
    penguins: LoadedModel,
) -> None:
    with pytest.raises(
        RequestError, match=r"row 2 has 6 values; expected 7 in this order: island"
    ):
        invoke(penguins, f"{ADELIE}\nBiscoe,40,18,200,4000,male\n", "text/csv")


def test_a_row_wider_than_its_header_is_refused(penguins: LoadedModel) -> None:
    with pytest.raises(RequestError, match="row 1 has 8 values; the header names 7"):
        invoke(penguins, f"{HEADER}\n{ADELIE},extra\n", "text/csv")


def test_text_in_a_numeric_column_names_the_column_and_row(
    penguins: LoadedModel,
) -> None:
    body = f"{ADELIE}\nBiscoe,long,18,200,4000,male,2007\n"

    with pytest.raises(RequestError, match="'bill_length_mm' takes numbers; row 2"):
        invoke(penguins, body, "text/csv")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (f"{HEADER}\n", "no rows"),
        ("\n\n", "no rows"),
        (b"Torgersen,\xff\xfe,18.7\n", "not UTF-8"),
        (f"{HEADER},island\n{ADELIE},Dream\n", "duplicate column names: island"),
    ],
)
def test_unusable_csv_is_a_client_error(
    penguins: LoadedModel, body: str | bytes, reason: str
) -> None:
    with pytest.raises(RequestError, match=reason) as refused:
        invoke(penguins, body, "text/csv")

    assert refused.value.status == 400


def test_content_type_parameters_and_case_are_ignored(penguins: LoadedModel) -> None:
    assert labels(penguins, ADELIE, "Text/CSV; charset=utf-8") == ["Adelie"]
