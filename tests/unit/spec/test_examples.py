"""Every example job validates, renders a request botocore accepts, and its
schema comment points at the generated schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from smtrain.loader import load_spec
from smtrain.names import deterministic_job_name
from smtrain.render import OPERATION, render_training_job
from smtrain.rules_aws import is_s3_uri
from smtrain.servicemodel import validate_request
from smtrain.spec import JobSpec

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted(
    [*(ROOT / "examples").glob("**/job.yml"), *(ROOT / "examples").glob("*.yml")]
)
SCHEMA_COMMENT = "# yaml-language-server: $schema="


def remote_overrides(spec: JobSpec) -> list[str]:
    """What a user adds to run a local-only example on SageMaker instead."""
    overrides = ["local=false"]
    if spec.role_arn is None:
        overrides.append("role-arn=arn:aws:iam::123456789012:role/SageMakerTraining")
    if spec.output_path is None or not is_s3_uri(spec.output_path):
        overrides.append("output-path=s3://example-bucket/output")
    for name, channel in spec.inputs.items():
        if not is_s3_uri(channel.uri):
            overrides.append(f"inputs.{name}.uri=s3://example-bucket/{name}/")
    if spec.image_uri is None and spec.framework is None:
        overrides += ["framework=sklearn", "framework-version=1.2-1"]
    return overrides


def example_id(path: Path) -> str:
    return path.parent.name if path.name == "job.yml" else path.stem


def test_the_examples_exist() -> None:
    names = {example_id(path) for path in EXAMPLES}
    assert {
        "xgboost-builtin",
        "custom-container",
        "sklearn-script",
        "pytorch-distributed",
        "spot-checkpoints",
        "vpc-kms-isolation",
        "hyperparameter-tuning",
        "penguins",
    } <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=example_id)
def test_example_validates_and_renders(path: Path) -> None:
    spec = load_spec(path)
    if spec.local:
        spec = load_spec(path, overrides=remote_overrides(spec))
    name = spec.job_name or deterministic_job_name(spec)
    request = render_training_job(spec, name)
    validate_request(OPERATION, request)
    assert request["TrainingJobName"] == name
    json.dumps(request)  # what `smtrain render` prints


@pytest.mark.parametrize("path", EXAMPLES, ids=example_id)
def test_example_points_editors_at_the_schema(path: Path) -> None:
    first_line = path.read_text().splitlines()[0]
    assert first_line.startswith(SCHEMA_COMMENT)
    schema_path = (path.parent / first_line.removeprefix(SCHEMA_COMMENT)).resolve()
    assert schema_path == ROOT / "schema" / "input-schema.json"
    schema = json.loads(schema_path.read_text())
    jsonschema.validate(yaml.safe_load(path.read_text()), schema)
