"""Framework image URIs per region, processor and Python version."""

from __future__ import annotations

import pytest

from smtrain.images import ImageLookupError, image_uri, known_versions


@pytest.mark.parametrize(
    ("args", "uri"),
    [
        (
            ("sklearn", "1.2-1", "us-east-1", "ml.m5.large"),
            "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
        ),
        (
            ("sklearn", "1.4-2", "eu-central-1", "ml.m5.large"),
            "492215442770.dkr.ecr.eu-central-1.amazonaws.com/sagemaker-scikit-learn:1.4-2-cpu-py3",
        ),
        (
            ("sklearn", "1.0-1", "eu-west-1", "ml.c5.xlarge"),
            "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.0-1-cpu-py3",
        ),
        (
            ("xgboost", "1.7-1", "us-west-2", "ml.g4dn.xlarge"),
            "246618743249.dkr.ecr.us-west-2.amazonaws.com/sagemaker-xgboost:1.7-1",
        ),
        (
            ("xgboost", "1.5-1", "cn-north-1", "ml.m5.large"),
            "450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-xgboost:1.5-1",
        ),
        (
            ("pytorch", "2.3.0", "us-east-1", "ml.p3.2xlarge"),
            "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.3.0-gpu-py311",
        ),
        (
            ("pytorch", "2.1.0", "af-south-1", "ml.m5.xlarge"),
            "626614931356.dkr.ecr.af-south-1.amazonaws.com/pytorch-training:2.1.0-cpu-py310",
        ),
        (
            ("tensorflow", "2.14.1", "eu-central-1", "ml.m5.xlarge"),
            "763104351884.dkr.ecr.eu-central-1.amazonaws.com/tensorflow-training:2.14.1-cpu-py310",
        ),
    ],
)
def test_known_images(args: tuple[str, str, str, str], uri: str) -> None:
    assert image_uri(*args) == uri


def test_unknown_version_lists_the_known_ones() -> None:
    with pytest.raises(ImageLookupError) as error:
        image_uri("pytorch", "0.1", "us-east-1", "ml.m5.large")
    assert error.value.key == "framework-version"
    assert all(v in error.value.hint for v in known_versions("pytorch"))


def test_unknown_region_lists_the_known_ones() -> None:
    with pytest.raises(ImageLookupError) as error:
        image_uri("sklearn", "1.2-1", "mars-north-1", "ml.m5.large")
    assert error.value.key == "aws-region"
    assert "us-east-1" in error.value.hint


def test_trainium_has_no_framework_image_here() -> None:
    with pytest.raises(ImageLookupError, match="no neuron build"):
        image_uri("pytorch", "2.3.0", "us-east-1", "ml.trn1.2xlarge")
