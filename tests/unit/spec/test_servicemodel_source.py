"""smtrain reads SageMaker's model from botocore's files itself: the same file,
the same data and the same limits as botocore's own loader and ServiceModel."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import botocore.loaders
import botocore.session
import pytest

from smtrain import servicemodel
from smtrain.aws.models import data_loader

SOURCES = Path(__file__).resolve().parents[3] / "src" / "smtrain"
_NAMED_SHAPE = re.compile(r'(?:limits|enum_values)\("(\w+)"\)')


def _forget_the_model() -> None:
    for cached in (servicemodel.model_file, servicemodel.model_json):
        cached.cache_clear()
    servicemodel.limits.cache_clear()


@pytest.fixture
def fresh_model_cache() -> Iterator[None]:
    yield
    _forget_the_model()


def _shapes_named_in_source() -> set[str]:
    return {
        name
        for path in SOURCES.rglob("*.py")
        for name in _NAMED_SHAPE.findall(path.read_text())
    }


def test_model_json_is_what_botocores_loader_loads() -> None:
    loader = botocore.loaders.create_loader()
    version = loader.determine_latest_version("sagemaker", "service-2")

    assert servicemodel.model_file().api_version == version
    assert servicemodel.model_json() == loader.load_service_model(
        "sagemaker", "service-2", version
    )


def test_limits_match_botocores_shape_metadata() -> None:
    model = botocore.session.get_session().get_service_model("sagemaker")
    names = _shapes_named_in_source()

    assert {"TrainingJobName", "TrainingInstanceType"} <= names
    for name in names:
        shape = model.shape_for(name)
        ours = servicemodel.limits(name)
        assert (ours.min, ours.max) == (
            shape.metadata.get("min"),
            shape.metadata.get("max"),
        ), name
        enum = getattr(shape, "enum", None) or []
        assert servicemodel.enum_values(name) == tuple(enum), name


def test_a_model_on_aws_data_path_wins_as_in_botocore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_model_cache: None
) -> None:
    model = json.loads(json.dumps(servicemodel.model_json()))
    model["shapes"]["TrainingJobName"]["max"] = 40
    folder = tmp_path / "sagemaker" / "2099-01-01"
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(model))
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    _forget_the_model()
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")

    botocores = session.get_service_model("sagemaker")

    latest = loader.determine_latest_version("sagemaker", "service-2")
    assert latest == servicemodel.model_file().api_version == "2099-01-01"
    assert botocores.shape_for("TrainingJobName").metadata["max"] == 40
    assert servicemodel.limits("TrainingJobName").max == 40


def test_the_sagemaker_client_reuses_the_parsed_model() -> None:
    session = botocore.session.get_session()
    session.register_component("data_loader", data_loader())

    client = session.create_client(
        "sagemaker",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )

    assert client.meta.service_model._service_description is (servicemodel.model_json())
