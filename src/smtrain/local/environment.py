"""The variables a framework container's training toolkit gives the script.

Like the toolkit, the training environment is read back from the host's
``input/config`` files rather than from the spec, so what the script sees in
``SM_*`` always agrees with what it would read from the files.
"""

from __future__ import annotations

import json
import os
import shutil

# Not a finding (B404): counts GPUs with nvidia-smi.
import subprocess  # nosec B404
from collections.abc import Mapping
from typing import Any

from smtrain import contract
from smtrain.local.hyperparameters import (
    decode_hyperparameters,
    render_env_value,
    split_hyperparameters,
    to_command_arguments,
)
from smtrain.local.layout import HostTree


def training_environment(tree: HostTree, job_name: str) -> dict[str, Any]:
    """The toolkit's ``Environment`` for one host: the ``SM_TRAINING_ENV`` object."""
    stored = _read_json(tree, contract.HYPERPARAMETERS_FILE)
    user, framework = split_hyperparameters(decode_hyperparameters(stored))
    resources = _read_json(tree, contract.RESOURCE_CONFIG_FILE)
    data_config = _read_json(tree, contract.INPUT_DATA_CONFIG_FILE)
    program = str(framework.get(contract.HP_PROGRAM, ""))
    hosts: list[str] = resources["hosts"]
    group = resources["current_group_name"]
    groups = {g["instance_group_name"]: g for g in resources["instance_groups"]}
    distributed = bool(framework.get(contract.HP_TORCH_DISTRIBUTED))
    distribution_groups = [group] if distributed else []
    return {
        "additional_framework_parameters": {
            k: v for k, v in framework.items() if k not in _TOOLKIT_OWN
        },
        "channel_input_dirs": {
            name: str(tree.channel_dir(name)) for name in data_config
        },
        "current_host": resources["current_host"],
        "current_instance_group": group,
        "current_instance_group_hosts": hosts,
        "current_instance_type": resources["current_instance_type"],
        "distribution_hosts": hosts if distributed else [],
        "distribution_instance_groups": distribution_groups,
        "framework_module": None,
        "hosts": hosts,
        "hyperparameters": user,
        "input_config_dir": str(tree.path(contract.INPUT_CONFIG_DIR)),
        "input_data_config": data_config,
        "input_dir": str(tree.path(contract.INPUT_DIR)),
        "instance_groups": list(groups),
        "instance_groups_dict": groups,
        "is_hetero": len(groups) > 1,
        "is_master": resources["current_host"] == hosts[0],
        "job_name": job_name,
        "log_level": framework.get(contract.HP_CONTAINER_LOG_LEVEL, 20),
        "master_hostname": hosts[0],
        "model_dir": str(tree.path(contract.MODEL_DIR)),
        "module_dir": str(framework.get(contract.HP_SUBMIT_DIRECTORY, "")),
        "module_name": program.removesuffix(".py"),
        "network_interface_name": resources["network_interface_name"],
        "num_cpus": os.cpu_count() or 1,
        "num_gpus": count_gpus(),
        "output_data_dir": str(tree.path(contract.OUTPUT_DATA_DIR)),
        "output_dir": str(tree.path(contract.OUTPUT_DIR)),
        "output_intermediate_dir": str(tree.path(contract.OUTPUT_INTERMEDIATE_DIR)),
        "resource_config": resources,
        "user_entry_point": program,
    }


# The reserved hyperparameters the toolkit consumes itself; every other
# ``sagemaker_*`` one is passed on as an "additional framework parameter".
_TOOLKIT_OWN = frozenset(
    {
        contract.HP_PROGRAM,
        contract.HP_SUBMIT_DIRECTORY,
        contract.HP_REGION,
        contract.HP_CONTAINER_LOG_LEVEL,
        contract.HP_JOB_NAME,
        contract.HP_TUNING_OBJECTIVE,
        contract.HP_ENABLE_METRICS,
        contract.HP_S3_OUTPUT,
        contract.HP_DEFAULT_MODULE_NAME,
    }
)


def toolkit_variables(env: Mapping[str, Any], region: str) -> dict[str, str]:
    """Every variable the toolkit exports, rendered as it renders them."""
    hyperparameters: dict[str, Any] = env["hyperparameters"]
    values: dict[str, Any] = {
        contract.SM_HOSTS: env["hosts"],
        contract.SM_NETWORK_INTERFACE_NAME: env["network_interface_name"],
        contract.SM_HPS: hyperparameters,
        contract.SM_USER_ENTRY_POINT: env["user_entry_point"],
        contract.SM_FRAMEWORK_PARAMS: env["additional_framework_parameters"],
        contract.SM_RESOURCE_CONFIG: env["resource_config"],
        contract.SM_INPUT_DATA_CONFIG: env["input_data_config"],
        contract.SM_OUTPUT_DATA_DIR: env["output_data_dir"],
        contract.SM_CHANNELS: sorted(env["channel_input_dirs"]),
        contract.SM_CURRENT_HOST: env["current_host"],
        contract.SM_CURRENT_INSTANCE_TYPE: env["current_instance_type"],
        contract.SM_CURRENT_INSTANCE_GROUP: env["current_instance_group"],
        contract.SM_CURRENT_INSTANCE_GROUP_HOSTS: env["current_instance_group_hosts"],
        contract.SM_INSTANCE_GROUPS: env["instance_groups"],
        contract.SM_INSTANCE_GROUPS_DICT: env["instance_groups_dict"],
        contract.SM_DISTRIBUTION_INSTANCE_GROUPS: env["distribution_instance_groups"],
        contract.SM_IS_HETERO: env["is_hetero"],
        contract.SM_MODULE_NAME: env["module_name"],
        contract.SM_LOG_LEVEL: env["log_level"],
        contract.SM_FRAMEWORK_MODULE: env["framework_module"],
        contract.SM_INPUT_DIR: env["input_dir"],
        contract.SM_INPUT_CONFIG_DIR: env["input_config_dir"],
        contract.SM_OUTPUT_DIR: env["output_dir"],
        contract.SM_NUM_CPUS: env["num_cpus"],
        contract.SM_NUM_GPUS: env["num_gpus"],
        contract.SM_MODEL_DIR: env["model_dir"],
        contract.SM_MODULE_DIR: env["module_dir"],
        contract.SM_TRAINING_ENV: dict(env),
        contract.SM_USER_ARGS: to_command_arguments(hyperparameters),
        contract.SM_OUTPUT_INTERMEDIATE_DIR: env["output_intermediate_dir"],
    }
    for channel, path in env["channel_input_dirs"].items():
        for name in _spellings(contract.SM_CHANNEL_PREFIX, channel):
            values[name] = path
    for key, value in hyperparameters.items():
        for name in _spellings(contract.SM_HP_PREFIX, key):
            values[name] = value
    rendered = {name: render_env_value(value) for name, value in values.items()}
    rendered.update(_platform_variables(env, region))
    return rendered


def _spellings(prefix: str, name: str) -> set[str]:
    """The toolkit's name (``SM_HP_LEARNING-RATE``) and a shell-safe one.

    The toolkit only upper-cases, so a hyphen stays in the variable name, which
    no shell can expand; the underscore twin is what ``smtrain.contract`` names.
    """
    toolkit = prefix + name.upper()
    return {toolkit, toolkit.replace("-", "_")}


def _platform_variables(env: Mapping[str, Any], region: str) -> dict[str, str]:
    """Set by SageMaker itself (job name) or by the toolkit for the framework."""
    return {
        contract.TRAINING_JOB_NAME: env["job_name"],
        contract.SAGEMAKER_JOB_NAME: env["job_name"],
        contract.CURRENT_HOST: env["current_host"],
        contract.SAGEMAKER_REGION: region,
    }


def count_gpus() -> int:
    """GPUs as the toolkit counts them: ``nvidia-smi --list-gpus`` lines."""
    nvidia_smi = shutil.which("nvidia-smi")
    if not nvidia_smi:
        return 0
    try:
        # Not a finding (B603): nvidia-smi from PATH, argv.
        listing = subprocess.run(  # nosec B603
            [nvidia_smi, "--list-gpus"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return 0
    return sum(1 for line in listing.splitlines() if line.startswith("GPU "))


def _read_json(tree: HostTree, relative: str) -> Any:
    return json.loads(tree.path(relative).read_text())
