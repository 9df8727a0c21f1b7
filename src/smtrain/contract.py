"""Names of the SageMaker training-container contract.

SageMaker lays every training job out under ``/opt/ml`` and the training toolkit
exports ``SM_*`` variables describing it. The local runner reproduces both; the
``smtrain.ml`` runtime reads them. Keeping every name here means the two sides
cannot drift apart. ``docs/contract.md`` documents each one.

This module is pure: no AWS, no third-party imports, safe for ``smtrain.ml``.
"""

from __future__ import annotations

from pathlib import PurePosixPath

BASE_DIR = PurePosixPath("/opt/ml")

# Paths relative to the job root (``/opt/ml`` on SageMaker).
INPUT_DIR = "input"
INPUT_CONFIG_DIR = "input/config"
INPUT_DATA_DIR = "input/data"
HYPERPARAMETERS_FILE = "input/config/hyperparameters.json"
INPUT_DATA_CONFIG_FILE = "input/config/inputdataconfig.json"
RESOURCE_CONFIG_FILE = "input/config/resourceconfig.json"
MODEL_DIR = "model"
OUTPUT_DIR = "output"
OUTPUT_DATA_DIR = "output/data"
OUTPUT_INTERMEDIATE_DIR = "output/intermediate"
FAILURE_FILE = "output/failure"
CODE_DIR = "code"
CHECKPOINTS_DIR = "checkpoints"

# Environment variables the training toolkit exports to the user's script.
SM_MODEL_DIR = "SM_MODEL_DIR"
SM_CHANNELS = "SM_CHANNELS"
SM_CHANNEL_PREFIX = "SM_CHANNEL_"
SM_HPS = "SM_HPS"
SM_HP_PREFIX = "SM_HP_"
SM_HOSTS = "SM_HOSTS"
SM_CURRENT_HOST = "SM_CURRENT_HOST"
SM_CURRENT_INSTANCE_TYPE = "SM_CURRENT_INSTANCE_TYPE"
SM_NUM_CPUS = "SM_NUM_CPUS"
SM_NUM_GPUS = "SM_NUM_GPUS"
SM_INPUT_DIR = "SM_INPUT_DIR"
SM_INPUT_CONFIG_DIR = "SM_INPUT_CONFIG_DIR"
SM_INPUT_DATA_CONFIG = "SM_INPUT_DATA_CONFIG"
SM_OUTPUT_DIR = "SM_OUTPUT_DIR"
SM_OUTPUT_DATA_DIR = "SM_OUTPUT_DATA_DIR"
SM_OUTPUT_INTERMEDIATE_DIR = "SM_OUTPUT_INTERMEDIATE_DIR"
SM_RESOURCE_CONFIG = "SM_RESOURCE_CONFIG"
SM_TRAINING_ENV = "SM_TRAINING_ENV"
SM_USER_ARGS = "SM_USER_ARGS"
SM_USER_ENTRY_POINT = "SM_USER_ENTRY_POINT"
SM_MODULE_NAME = "SM_MODULE_NAME"
SM_MODULE_DIR = "SM_MODULE_DIR"
SM_LOG_LEVEL = "SM_LOG_LEVEL"
SM_NETWORK_INTERFACE_NAME = "SM_NETWORK_INTERFACE_NAME"
SM_FRAMEWORK_MODULE = "SM_FRAMEWORK_MODULE"
SM_FRAMEWORK_PARAMS = "SM_FRAMEWORK_PARAMS"
SM_CURRENT_INSTANCE_GROUP = "SM_CURRENT_INSTANCE_GROUP"
SM_CURRENT_INSTANCE_GROUP_HOSTS = "SM_CURRENT_INSTANCE_GROUP_HOSTS"
SM_INSTANCE_GROUPS = "SM_INSTANCE_GROUPS"
SM_INSTANCE_GROUPS_DICT = "SM_INSTANCE_GROUPS_DICT"
SM_DISTRIBUTION_INSTANCE_GROUPS = "SM_DISTRIBUTION_INSTANCE_GROUPS"
SM_IS_HETERO = "SM_IS_HETERO"

# Set by the platform or the toolkit for the script, outside the SM_ family.
TRAINING_JOB_NAME = "TRAINING_JOB_NAME"
CURRENT_HOST = "CURRENT_HOST"
SAGEMAKER_JOB_NAME = "SAGEMAKER_JOB_NAME"
SAGEMAKER_REGION = "SAGEMAKER_REGION"

# What torchrun exports to each worker (distribution: torchrun).
MASTER_ADDR = "MASTER_ADDR"
MASTER_PORT = "MASTER_PORT"
WORLD_SIZE = "WORLD_SIZE"
RANK = "RANK"
LOCAL_RANK = "LOCAL_RANK"
LOCAL_WORLD_SIZE = "LOCAL_WORLD_SIZE"
GROUP_RANK = "GROUP_RANK"
ROLE_RANK = "ROLE_RANK"
ROLE_WORLD_SIZE = "ROLE_WORLD_SIZE"

# Reserved hyperparameters the framework containers read in script mode.
HP_PROGRAM = "sagemaker_program"
HP_SUBMIT_DIRECTORY = "sagemaker_submit_directory"
HP_REGION = "sagemaker_region"
HP_CONTAINER_LOG_LEVEL = "sagemaker_container_log_level"
HP_JOB_NAME = "sagemaker_job_name"
HP_TORCH_DISTRIBUTED = "sagemaker_torch_distributed_enabled"
HP_ENABLE_METRICS = "sagemaker_enable_cloudwatch_metrics"
HP_S3_OUTPUT = "sagemaker_s3_output"
HP_DEFAULT_MODULE_NAME = "default_user_module_name"
# Every hyperparameter with this prefix is the framework's, not the script's.
HP_RESERVED_PREFIX = "sagemaker_"
HP_TUNING_OBJECTIVE = "_tuning_objective_metric"

# The single instance group SageMaker reports for a homogeneous cluster.
HOMOGENEOUS_GROUP = "homogeneousCluster"

# Archive names SageMaker uses for code and results.
SOURCE_ARCHIVE = "sourcedir.tar.gz"
MODEL_ARCHIVE = "model.tar.gz"
OUTPUT_ARCHIVE = "output.tar.gz"

# CloudWatch Logs group that holds one stream per training instance.
LOG_GROUP = "/aws/sagemaker/TrainingJobs"


def channel_env_name(channel: str) -> str:
    """``SM_CHANNEL_TRAIN`` for channel ``train`` (hyphens become underscores)."""
    return SM_CHANNEL_PREFIX + channel.upper().replace("-", "_")


def hyperparameter_env_name(name: str) -> str:
    """``SM_HP_LEARNING_RATE`` for hyperparameter ``learning-rate``."""
    return SM_HP_PREFIX + name.upper().replace("-", "_")


def host_name(index: int) -> str:
    """``algo-1`` for the first instance, as SageMaker names hosts."""
    return f"algo-{index + 1}"
