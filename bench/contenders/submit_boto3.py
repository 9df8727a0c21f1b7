"""The hand-written boto3 script: pack the code, upload it, CreateTrainingJob.

    python submit_boto3.py JOB_NAME SOURCE_DIR BUCKET ROLE IMAGE

What a careful user writes without a framework: no credential check, no name
lookup, no retries beyond botocore's own.
"""

import io
import sys
import tarfile

import boto3

name, source_dir, bucket, role, image = sys.argv[1:6]
buffer = io.BytesIO()
with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
    tar.add(source_dir, arcname=".")
key = f"code/{name}/sourcedir.tar.gz"
boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=buffer.getvalue())
boto3.client("sagemaker").create_training_job(
    TrainingJobName=name,
    RoleArn=role,
    AlgorithmSpecification={"TrainingImage": image, "TrainingInputMode": "File"},
    HyperParameters={
        "epochs": "3",
        "sagemaker_program": '"train.py"',
        "sagemaker_submit_directory": f'"s3://{bucket}/{key}"',
    },
    OutputDataConfig={"S3OutputPath": f"s3://{bucket}/out"},
    ResourceConfig={
        "InstanceType": "ml.m5.large",
        "InstanceCount": 1,
        "VolumeSizeInGB": 30,
    },
    StoppingCondition={"MaxRuntimeInSeconds": 86400},
)
print(name)
