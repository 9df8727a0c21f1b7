"""AWS prebuilt training image URIs for framework + framework-version.

The catalogue lives in ``data/framework-images.json``: for each framework the
ECR repository, tag format, processors and known versions with their Python
tags, and the account that publishes the images in each region. A version or
region outside it is refused with the known ones listed; image-uri takes any
other image.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

_GPU_FAMILY = re.compile(r"ml\.(p\d|g\d)")
_ACCELERATOR_FAMILY = re.compile(r"ml\.(trn|inf)\d")


class ImageLookupError(ValueError):
    """No known image for the request; ``key`` is the spec key to fix."""

    def __init__(self, key: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.key = key
        self.hint = hint


@cache
def catalogue() -> dict[str, Any]:
    text = resources.files("smtrain").joinpath("data/framework-images.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def known_versions(framework: str) -> list[str]:
    return list(catalogue()["frameworks"].get(framework, {}).get("versions", {}))


def versions_hint(framework: str) -> str:
    return f"known {framework} versions: {', '.join(known_versions(framework))}"


def processor_for(instance_type: str) -> str:
    """``gpu`` for P and G instances, ``neuron`` for Trainium/Inferentia, else cpu."""
    if _GPU_FAMILY.match(instance_type):
        return "gpu"
    if _ACCELERATOR_FAMILY.match(instance_type):
        return "neuron"
    return "cpu"


def image_uri(
    framework: str,
    version: str,
    region: str,
    instance_type: str,
    py_version: str | None = None,
) -> str:
    """The training image URI, e.g. ``683313688378.dkr.ecr...:1.2-1-cpu-py3``."""
    entry = catalogue()["frameworks"][framework]
    py_versions: list[str] = entry["versions"].get(version, [])
    if not py_versions:
        raise ImageLookupError(
            "framework-version",
            f"{framework} {version} is not a known training image",
            versions_hint(framework) + "; or set image-uri",
        )
    py = _py_version(framework, version, py_versions, py_version)
    processor = _processor(framework, entry["processors"], instance_type)
    account = _account(framework, entry["registry"], region)
    tag = entry["tag"].format(version=version, processor=processor, py=py)
    domain = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"{account}.dkr.ecr.{region}.{domain}/{entry['repository']}:{tag}"


def _py_version(
    framework: str, version: str, known: list[str], wanted: str | None
) -> str:
    if wanted is None:
        return known[-1]
    if wanted not in known:
        raise ImageLookupError(
            "py-version",
            f"{framework} {version} has no {wanted} image",
            f"use {' or '.join(known)}, or leave py-version unset",
        )
    return wanted


def _processor(framework: str, processors: list[str], instance_type: str) -> str:
    processor = processor_for(instance_type)
    if processor not in processors:
        raise ImageLookupError(
            "instance-type",
            f"{framework} images have no {processor} build for {instance_type}",
            f"use a {' or '.join(processors)} instance type, or set image-uri",
        )
    return processor


def _account(framework: str, registry: str, region: str) -> str:
    accounts: dict[str, str] = catalogue()["registries"][registry]
    if region not in accounts:
        raise ImageLookupError(
            "aws-region",
            f"no known {framework} image in {region}",
            f"{framework} images are known in {', '.join(sorted(accounts))}; "
            "or set image-uri",
        )
    return accounts[region]
