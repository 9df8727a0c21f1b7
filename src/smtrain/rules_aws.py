"""Rules about AWS resources named in the spec: role, S3, KMS, VPC, region.

Shapes only: nothing here calls AWS. A role that does not exist or a bucket the
role cannot read is for SageMaker to report.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

from smtrain.errors import Problem
from smtrain.servicemodel import limits
from smtrain.spec import JobSpec

_S3_URI = re.compile(r"s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/.*)?", re.DOTALL)
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
_KMS_KEY = re.compile(
    r"(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
)
_KMS_ARN = re.compile(
    r"arn:aws[a-z\-]*:kms:[a-z0-9\-]+:\d{12}:(key/(?P<key>.+)|alias/.+)"
)
_KMS_ALIAS = re.compile(r"alias/[a-zA-Z0-9:/_\-]+")
_SUBNET = re.compile(r"subnet-[0-9a-f]{8,17}")
_SECURITY_GROUP = re.compile(r"sg-[0-9a-f]{8,17}")
_S3_HINT = (
    "write s3://bucket/prefix; bucket names are 3-63 lowercase letters, digits, "
    "dots and hyphens"
)
_LOCAL_HINT = "upload the data to S3, or run with local: true"
# A local folder stands in for an S3 prefix, and is refused alike when empty.
EMPTY_CHANNEL = "SageMaker fails a job whose input channel has no objects"
FILL_CHANNEL = "put the channel's data there, or fix the path"


def region_of(spec: JobSpec) -> str | None:
    """aws-region, else the region the AWS SDK would pick from the environment."""
    return (
        spec.aws_region
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
    )


def is_s3_uri(value: str) -> bool:
    return _S3_URI.fullmatch(value) is not None


def local_source(uri: str) -> Path | None:
    """The path of a local or ``file://`` location; None for S3."""
    if uri.startswith("s3://"):
        return None
    if uri.startswith("file://"):
        return Path(unquote(urlparse(uri).path))
    return Path(uri).expanduser()


def _holds_files(folder: Path) -> bool:
    return any(entry.is_file() for entry in folder.rglob("*"))


def check_role(spec: JobSpec) -> Iterator[Problem]:
    shape = limits("RoleArn")
    if spec.role_arn is None:
        if not spec.local:
            yield Problem(
                "role-arn",
                "is required to run on SageMaker",
                hint="set the ARN of an IAM role SageMaker can assume, or local: true",
            )
    elif not shape.matches(spec.role_arn):
        yield Problem(
            "role-arn",
            f"{spec.role_arn!r} is not an IAM role ARN",
            hint="e.g. arn:aws:iam::123456789012:role/SageMakerTraining",
        )
    if spec.aws_region is not None and not _REGION.fullmatch(spec.aws_region):
        yield Problem(
            "aws-region",
            f"{spec.aws_region!r} is not an AWS region",
            hint="e.g. us-east-1 or eu-west-1",
        )


def check_s3_locations(spec: JobSpec) -> Iterator[Problem]:
    if spec.output_path is None:
        if not spec.local:
            yield Problem(
                "output-path",
                "is required to run on SageMaker",
                hint="set the S3 prefix for model.tar.gz, s3://bucket/prefix",
            )
    elif not spec.local or spec.output_path.startswith("s3:"):
        yield from _s3("output-path", spec.output_path)
    for key, value in (
        ("code-location", spec.code_location),
        ("checkpoint-s3-uri", spec.checkpoint_s3_uri),
    ):
        if value is not None:
            yield from _s3(key, value)
    for name, channel in spec.inputs.items():
        key = f"inputs.{name}.uri"
        if not spec.local or channel.uri.startswith("s3:"):
            yield from _s3(key, channel.uri)
            continue
        path = local_source(channel.uri)
        if path is not None and not path.exists():
            yield Problem(
                key,
                f"{path} does not exist",
                hint="give an existing folder or file, a file:// URI or an s3:// URI",
            )
        elif path is not None and path.is_dir() and not _holds_files(path):
            message = f"{path} holds no files; {EMPTY_CHANNEL}"
            yield Problem(key, message, hint=FILL_CHANNEL)


def _s3(key: str, value: str) -> Iterator[Problem]:
    shape = limits("S3Uri")
    if not is_s3_uri(value):
        hint = _S3_HINT if value.startswith("s3:") else _LOCAL_HINT
        yield Problem(key, f"{value!r} is not an S3 URI", hint=hint)
    elif shape.max is not None and len(value) > shape.max:
        yield Problem(key, f"is longer than {shape.max} characters")


def check_kms_keys(spec: JobSpec) -> Iterator[Problem]:
    for key, value in (
        ("volume-kms-key-id", spec.volume_kms_key_id),
        ("output-kms-key-id", spec.output_kms_key_id),
    ):
        if value is not None and not _is_kms_key(value):
            yield Problem(
                key,
                f"{value!r} is not a KMS key id, key ARN, alias or alias ARN",
                hint="e.g. 1234abcd-12ab-34cd-56ef-1234567890ab or alias/my-key",
            )


def _is_kms_key(value: str) -> bool:
    arn = _KMS_ARN.fullmatch(value)
    if arn:
        return (
            arn.group("key") is None or _KMS_KEY.fullmatch(arn.group("key")) is not None
        )
    return bool(_KMS_KEY.fullmatch(value) or _KMS_ALIAS.fullmatch(value))


def check_vpc(spec: JobSpec) -> Iterator[Problem]:
    if bool(spec.subnets) != bool(spec.security_group_ids):
        missing = "security-group-ids" if spec.subnets else "subnets"
        yield Problem(
            missing,
            f"is required with {'subnets' if spec.subnets else 'security-group-ids'}",
            hint="a VPC job needs both subnets and security-group-ids",
        )
    checks = (
        ("subnets", spec.subnets, _SUBNET, "Subnets", "subnet-0123abcd"),
        (
            "security-group-ids",
            spec.security_group_ids,
            _SECURITY_GROUP,
            "VpcSecurityGroupIds",
            "sg-0123abcd",
        ),
    )
    for key, values, pattern, shape, example in checks:
        count = limits(shape).max
        if count is not None and len(values) > count:
            yield Problem(key, f"has {len(values)} entries; at most {count}")
        for index, value in enumerate(values):
            if not pattern.fullmatch(value):
                yield Problem(
                    f"{key}[{index}]",
                    f"{value!r} is not a valid id",
                    hint=f"e.g. {example}",
                )
