"""The SageMaker Python SDK v3: ``ModelTrainer(...).train(wait=False)``.

    python submit_sdk3.py JOB_NAME SOURCE_DIR BUCKET ROLE IMAGE

Run with the SDK v3 venv (bench/requirements-sdk3.txt). The job name is
ModelTrainer's own (JOB_NAME as base_job_name plus a time stamp).
"""

import sys

from sagemaker.core.helper.session_helper import Session
from sagemaker.core.shapes import OutputDataConfig
from sagemaker.core.training.configs import Compute, SourceCode
from sagemaker.train.model_trainer import ModelTrainer

name, source_dir, bucket, role, image = sys.argv[1:6]
trainer = ModelTrainer(
    training_image=image,
    role=role,
    base_job_name=name,
    source_code=SourceCode(source_dir=source_dir, entry_script="train.py"),
    compute=Compute(instance_type="ml.m5.large", instance_count=1),
    output_data_config=OutputDataConfig(s3_output_path=f"s3://{bucket}/out"),
    hyperparameters={"epochs": 3},
    sagemaker_session=Session(default_bucket=bucket),
)
trainer.train(wait=False, logs=False)
print(name)
