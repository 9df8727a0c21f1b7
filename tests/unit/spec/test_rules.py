"""Every rule, as a table: a change to a valid job, the key blamed, the message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from smtrain.errors import SpecError
from smtrain.loader import load_spec
from smtrain.rules import effective_max_wait, find_warnings

WriteSpec = Callable[..., Path]  # the write_spec fixture in conftest.py

ROLE = "arn:aws:iam::123456789012:role/SageMakerTraining"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1.0"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"

BAD: list[tuple[str, dict[str, Any], str, str]] = [
    # (case, changes to the valid base job, key blamed, message fragment)
    (
        "name pattern",
        {"job-name": "bad_name"},
        "job-name",
        "not a valid SageMaker name",
    ),
    ("name leading hyphen", {"job-name": "-abc"}, "job-name", "not a valid SageMaker"),
    ("name too long", {"job-name": "a" * 64}, "job-name", "not a valid SageMaker name"),
    (
        "prefix pattern",
        {"job-name-prefix": "my_prefix"},
        "job-name-prefix",
        "not a valid",
    ),
    (
        "prefix no room",
        {"job-name-prefix": "a" * 40},
        "job-name-prefix",
        "room for the",
    ),
    ("role missing", {"role-arn": None}, "role-arn", "is required to run on SageMaker"),
    (
        "role shape",
        {"role-arn": "arn:aws:iam::12:role/x"},
        "role-arn",
        "not an IAM role",
    ),
    (
        "role is a user",
        {"role-arn": "arn:aws:iam::123456789012:user/bob"},
        "role-arn",
        "not an IAM role",
    ),
    ("region shape", {"aws-region": "useast1"}, "aws-region", "not an AWS region"),
    ("no image", {"image-uri": None}, "image-uri", "is required"),
    (
        "image and framework",
        {"framework": "sklearn", "framework-version": "1.2-1"},
        "image-uri",
        "together with framework",
    ),
    ("image not a uri", {"image-uri": "my image"}, "image-uri", "not an image URI"),
    (
        "version without framework",
        {"framework-version": "1.2-1"},
        "framework-version",
        "without framework",
    ),
    (
        "framework without version",
        {"image-uri": None, "framework": "pytorch"},
        "framework-version",
        "is required with framework pytorch",
    ),
    (
        "unknown version",
        {"image-uri": None, "framework": "sklearn", "framework-version": "9.9"},
        "framework-version",
        "sklearn 9.9 is not a known training image",
    ),
    (
        "unknown py version",
        {
            "image-uri": None,
            "framework": "pytorch",
            "framework-version": "2.3.0",
            "py-version": "py27",
        },
        "py-version",
        "has no py27 image",
    ),
    (
        "unknown region",
        {
            "image-uri": None,
            "framework": "xgboost",
            "framework-version": "1.7-1",
            "aws-region": "xx-nowhere-1",
        },
        "aws-region",
        "no known xgboost image in xx-nowhere-1",
    ),
    (
        "sklearn on gpu",
        {
            "image-uri": None,
            "framework": "sklearn",
            "framework-version": "1.2-1",
            "instance-type": "ml.g5.xlarge",
        },
        "instance-type",
        "no gpu build",
    ),
    (
        "not ml instance",
        {"instance-type": "m5.large"},
        "instance-type",
        "not a SageMaker training instance type",
    ),
    (
        "count zero",
        {"instance-count": 0},
        "instance-count",
        "greater than or equal to 1",
    ),
    ("output missing", {"output-path": None}, "output-path", "is required"),
    ("output not s3", {"output-path": "/tmp/out"}, "output-path", "not an S3 URI"),
    (
        "bucket uppercase",
        {"output-path": "s3://My_Bucket/x"},
        "output-path",
        "not an S3 URI",
    ),
    ("code location", {"code-location": "https://x"}, "code-location", "not an S3 URI"),
    (
        "checkpoint uri",
        {"checkpoint-s3-uri": "s3:/b"},
        "checkpoint-s3-uri",
        "not an S3",
    ),
    (
        "channel uri",
        {"inputs": {"train": "data/train"}},
        "inputs.train.uri",
        "not an S3 URI",
    ),
    (
        "channel name",
        {"inputs": {"train data": "s3://my-bucket/t"}},
        "inputs.train data",
        "not a valid channel name",
    ),
    (
        "channel name long",
        {"inputs": {"c" * 65: "s3://my-bucket/t"}},
        "inputs." + "c" * 65,
        "not a valid channel name",
    ),
    (
        "too many channels",
        {"inputs": {f"c{i}": "s3://my-bucket/t" for i in range(21)}},
        "inputs",
        "at most 20",
    ),
    (
        "gzip in file mode",
        {"inputs": {"train": {"uri": "s3://my-bucket/t", "compression": "Gzip"}}},
        "inputs.train.compression",
        "Gzip needs input-mode Pipe",
    ),
    (
        "attribute names",
        {"inputs": {"train": {"uri": "s3://my-bucket/t", "attribute-names": "a,b"}}},
        "inputs.train.attribute-names",
        "AugmentedManifestFile",
    ),
    ("bad input mode", {"input-mode": "Stream"}, "input-mode", "must be one of"),
    (
        "volume kms",
        {"volume-kms-key-id": "not a key"},
        "volume-kms-key-id",
        "not a KMS key id",
    ),
    (
        "output kms arn",
        {"output-kms-key-id": "arn:aws:kms:us-east-1:123:key/x"},
        "output-kms-key-id",
        "not a KMS key id",
    ),
    (
        "subnets alone",
        {"subnets": ["subnet-0123abcd"]},
        "security-group-ids",
        "is required with subnets",
    ),
    (
        "groups alone",
        {"security-group-ids": "sg-0123abcd"},
        "subnets",
        "is required with security-group-ids",
    ),
    (
        "subnet shape",
        {"subnets": "subnet-0123abcd,vpc-1", "security-group-ids": "sg-0123abcd"},
        "subnets[1]",
        "not a valid id",
    ),
    (
        "too many groups",
        {
            "subnets": "subnet-0123abcd",
            "security-group-ids": [f"sg-0123abc{i}" for i in range(6)],
        },
        "security-group-ids",
        "at most 5",
    ),
    ("runtime ceiling", {"max-runtime": "29d"}, "max-runtime", "28 days"),
    ("runtime zero", {"max-runtime": 0}, "max-runtime", "28 days"),
    ("timeout zero", {"timeout": 0}, "timeout", "at least 1 second"),
    ("volume zero", {"volume-size": 0}, "volume-size", "greater than or equal to 1"),
    ("runtime text", {"max-runtime": "forever"}, "max-runtime", "expected a duration"),
    (
        "wait without spot",
        {"max-wait": "2h"},
        "max-wait",
        "only applies to managed spot",
    ),
    (
        "wait below runtime",
        {"use-spot": True, "max-runtime": "2h", "max-wait": "1h"},
        "max-wait",
        "must be at least max-runtime",
    ),
    (
        "keep alive too long",
        {"keep-alive-period": "7h"},
        "keep-alive-period",
        "at most",
    ),
    (
        "keep alive with spot",
        {"use-spot": True, "keep-alive-period": "10m"},
        "keep-alive-period",
        "cannot be used with use-spot",
    ),
    ("retries", {"max-retry-attempts": 31}, "max-retry-attempts", "less than or equal"),
    (
        "checkpoint path alone",
        {"checkpoint-local-path": "/opt/ml/checkpoints"},
        "checkpoint-local-path",
        "needs checkpoint-s3-uri",
    ),
    (
        "checkpoint path relative",
        {"checkpoint-s3-uri": "s3://my-bucket/ck", "checkpoint-local-path": "ck"},
        "checkpoint-local-path",
        "absolute container path",
    ),
    ("entry without source", {"entry-point": "train.py"}, "source-dir", "is required"),
    ("source without entry", {"source-dir": "code"}, "entry-point", "is required"),
    (
        "entry escapes",
        {"entry-point": "../train.py", "source-dir": "code"},
        "entry-point",
        "outside source-dir",
    ),
    (
        "entry missing",
        {"entry-point": "missing.py", "source-dir": "code"},
        "entry-point",
        "not a file in source-dir",
    ),
    (
        "source missing",
        {"entry-point": "train.py", "source-dir": "nowhere"},
        "source-dir",
        "is not a folder",
    ),
    (
        "torchrun on sklearn",
        {
            "image-uri": None,
            "framework": "sklearn",
            "framework-version": "1.2-1",
            "distribution": "torchrun",
            "entry-point": "train.py",
            "source-dir": "code",
        },
        "distribution",
        "torchrun needs the pytorch framework",
    ),
    (
        "mpi on xgboost",
        {
            "image-uri": None,
            "framework": "xgboost",
            "framework-version": "1.7-1",
            "distribution": "mpi",
            "entry-point": "train.py",
            "source-dir": "code",
        },
        "distribution",
        "not supported by the xgboost image",
    ),
    (
        "distribution without script",
        {"distribution": "torchrun"},
        "distribution",
        "needs a training script",
    ),
    (
        "too many hyperparameters",
        {"hyperparameters": {f"h{i}": i for i in range(101)}},
        "hyperparameters",
        "at most 100",
    ),
    (
        "hyperparameter key",
        {"hyperparameters": {"k" * 257: 1}},
        "hyperparameters.kkk",
        "longer than 256",
    ),
    (
        "hyperparameter value",
        {"hyperparameters": {"big": "v" * 2501}},
        "hyperparameters.big",
        "longer than 2500 characters",
    ),
    (
        "hyperparameter list value",
        {"hyperparameters": {"big": list(range(600))}},
        "hyperparameters.big",
        "longer than 2500 characters as text",
    ),
    (
        "hyperparameter null",
        {"hyperparameters": {"lr": None}},
        "hyperparameters.lr",
        "has no usable value",
    ),
    (
        "hyperparameter nan",
        {"hyperparameters": {"lr": [float("nan")]}},
        "hyperparameters.lr",
        "has no usable value",
    ),
    (
        "hyperparameter empty name",
        {"hyperparameters": {"": 1}},
        "hyperparameters",
        "has an entry with an empty name",
    ),
    (
        "tag prefix",
        {"tags": {"aws:owner": "me"}},
        "tags.aws:owner",
        "reserved aws: prefix",
    ),
    ("tag key long", {"tags": {"t" * 129: "v"}}, "tags.ttt", "not a valid name"),
    ("tag value long", {"tags": {"team": "v" * 257}}, "tags.team", "longer than 256"),
    (
        "tag characters",
        {"tags": {"team": "a#b"}},
        "tags.team",
        "characters AWS does not",
    ),
    (
        "too many tags",
        {"tags": {f"t{i}": "v" for i in range(51)}},
        "tags",
        "at most 50",
    ),
    (
        "environment name",
        {"environment": {"1BAD": "x"}},
        "environment.1BAD",
        "not a valid name",
    ),
    (
        "metric regex",
        {"metric-definitions": [{"name": "m", "regex": "(unclosed"}]},
        "metric-definitions[0].regex",
        "not a valid regex",
    ),
    (
        "metric group",
        {"metric-definitions": [{"name": "m", "regex": "loss"}]},
        "metric-definitions[0].regex",
        "no capture group",
    ),
    (
        "metric missing regex",
        {"metric-definitions": [{"name": "m"}]},
        "metric-definitions[0].regex",
        "is required",
    ),
    (
        "unknown key",
        {"instance-typ": "ml.m5.large"},
        "instance-typ",
        "did you mean 'instance-type'",
    ),
    (
        "on existing",
        {"on-existing-job": "replace"},
        "on-existing-job",
        "must be one of",
    ),
    ("flag text", {"wait": "maybe"}, "wait", "expected true or false"),
]


@pytest.mark.parametrize(
    ("changes", "key", "fragment"),
    [case[1:] for case in BAD],
    ids=[case[0] for case in BAD],
)
def test_bad_input_names_the_key_and_the_problem(
    write_spec: WriteSpec,
    script_dir: Path,
    changes: dict[str, Any],
    key: str,
    fragment: str,
) -> None:
    with pytest.raises(SpecError) as error:
        load_spec(write_spec(changes))
    matching = [p for p in error.value.problems if p.key.startswith(key)]
    assert matching, f"no problem for {key}: {error.value}"
    assert any(fragment in p.render() for p in matching), str(error.value)
    assert all(p.source and "job.yml" in p.source for p in matching)


def test_value_written_in_the_file_is_blamed_on_its_line(write_spec: WriteSpec) -> None:
    path = write_spec({"max-wait": "2h"})
    with pytest.raises(SpecError) as error:
        load_spec(path)
    lines = path.read_text().splitlines()
    wanted = next(i for i, line in enumerate(lines, 1) if line.startswith("max-wait"))
    assert error.value.problems[0].source == f"{path}:{wanted}"


@pytest.mark.parametrize(
    "changes",
    [
        {"local": True, "role-arn": None, "output-path": None, "image-uri": None},
        {
            "local": True,
            "role-arn": None,
            "output-path": "out",
            "inputs": {"t": "data"},
        },
    ],
)
def test_local_mode_needs_no_aws_settings(
    write_spec: WriteSpec, changes: dict[str, Any], tmp_path: Path
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "rows.csv").write_text("1\n")
    assert load_spec(write_spec(changes)).local is True


def test_kms_key_forms_are_accepted(write_spec: WriteSpec) -> None:
    for key in (
        KEY_ID,
        "alias/training",
        f"arn:aws:kms:us-east-1:123456789012:key/{KEY_ID}",
        "arn:aws:kms:us-east-1:123456789012:alias/training",
    ):
        spec = load_spec(
            write_spec({"volume-kms-key-id": key, "output-kms-key-id": key})
        )
        assert spec.volume_kms_key_id == key


def test_spot_max_wait_defaults_to_twice_the_runtime(write_spec: WriteSpec) -> None:
    spec = load_spec(write_spec({"use-spot": True, "max-runtime": "3h"}))
    assert effective_max_wait(spec) == 6 * 3600
    long_run = load_spec(write_spec({"use-spot": True, "max-runtime": "20d"}))
    assert effective_max_wait(long_run) == 28 * 86400
    assert effective_max_wait(load_spec(write_spec())) is None


def test_spot_without_checkpoints_warns(write_spec: WriteSpec) -> None:
    warnings = find_warnings(load_spec(write_spec({"use-spot": True})))
    assert any("checkpoint-s3-uri" in w for w in warnings)
    with_checkpoints = load_spec(
        write_spec({"use-spot": True, "checkpoint-s3-uri": "s3://my-bucket/ck"})
    )
    assert find_warnings(with_checkpoints) == []


def test_unknown_ml_instance_type_warns_with_the_reason(write_spec: WriteSpec) -> None:
    warnings = find_warnings(load_spec(write_spec({"instance-type": "ml.m5.larg"})))
    assert any("ml.m5.larg is unknown" in w for w in warnings)


def test_secret_looking_names_warn_without_their_values(write_spec: WriteSpec) -> None:
    spec = load_spec(
        write_spec(
            {
                "environment": {"DB_PASSWORD": "hunter2", "LOG_LEVEL": "info"},
                "hyperparameters": {"api_key": "abc123", "lr": 0.1},
            }
        )
    )
    warnings = find_warnings(spec)
    assert [w.split(" ")[0] for w in warnings] == [
        "environment.DB_PASSWORD",
        "hyperparameters.api_key",
    ]
    assert not any("hunter2" in w or "abc123" in w for w in warnings)


def test_script_mode_refuses_the_framework_hyperparameters(
    write_spec: WriteSpec, tmp_path: Path
) -> None:
    code = tmp_path / "code"
    code.mkdir()
    (code / "train.py").write_text("print('hi')\n")
    changes = {"source-dir": str(code), "entry-point": "train.py"}
    reserved = {"sagemaker_program": "evil.py", "sagemaker_region": "x", "lr": 1}

    with pytest.raises(SpecError) as error:
        load_spec(write_spec({**changes, "hyperparameters": reserved}))

    keys = [p.key for p in error.value.problems]
    assert keys == [
        "hyperparameters.sagemaker_program",
        "hyperparameters.sagemaker_region",
    ]
    assert "reserved" in error.value.problems[0].message
    # Without script mode the name is the image's business, not smtrain's.
    load_spec(write_spec({"hyperparameters": reserved}))
