"""The three files SageMaker writes to ``/opt/ml/input/config`` before training."""

from __future__ import annotations

import os
from typing import Any

from smtrain import contract, render
from smtrain.local.layout import HostTree, JobLayout
from smtrain.spec import JobSpec


def job_region(spec: JobSpec) -> str:
    """The region the job would run in; empty when none is configured."""
    return (
        spec.aws_region
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION", "")
    )


def hyperparameters_file(spec: JobSpec, job_name: str, code_dir: str) -> dict[str, str]:
    """Exactly what smtrain's CreateTrainingJob request would send.

    ``sagemaker_submit_directory`` is the ``sourcedir.tar.gz`` S3 URI on SageMaker;
    locally the code is already unpacked, so it names the host's code folder.
    """
    return render.hyperparameters(spec, job_name, code_dir, job_region(spec) or None)


def input_data_config(spec: JobSpec) -> dict[str, dict[str, str]]:
    """One entry per channel, with the keys SageMaker writes."""
    config: dict[str, dict[str, str]] = {}
    for name, channel in spec.inputs.items():
        entry = {
            "TrainingInputMode": channel.input_mode or spec.input_mode,
            "S3DistributionType": channel.distribution,
            "RecordWrapperType": "None",
        }
        if channel.content_type:
            entry["ContentType"] = channel.content_type
        if channel.compression:
            entry["CompressionType"] = channel.compression
        config[name] = entry
    return config


def resource_config(spec: JobSpec, hosts: list[str], current: str) -> dict[str, Any]:
    """What ``resourceconfig.json`` says on instance ``current``."""
    return {
        "current_host": current,
        "current_instance_type": spec.instance_type,
        "current_group_name": contract.HOMOGENEOUS_GROUP,
        "hosts": hosts,
        "instance_groups": [
            {
                "instance_group_name": contract.HOMOGENEOUS_GROUP,
                "instance_type": spec.instance_type,
                "hosts": hosts,
            }
        ],
        "network_interface_name": "eth0",
    }


def write_config_files(spec: JobSpec, layout: JobLayout) -> None:
    """Write the three config files into every host's tree."""
    for tree in layout.hosts:
        _write_host_config(spec, layout, tree)


def _write_host_config(spec: JobSpec, layout: JobLayout, tree: HostTree) -> None:
    code_dir = str(tree.path(contract.CODE_DIR))
    tree.write_json(
        contract.HYPERPARAMETERS_FILE,
        hyperparameters_file(spec, layout.job_name, code_dir),
    )
    tree.write_json(contract.INPUT_DATA_CONFIG_FILE, input_data_config(spec))
    tree.write_json(
        contract.RESOURCE_CONFIG_FILE,
        resource_config(spec, layout.host_names, tree.host),
    )
