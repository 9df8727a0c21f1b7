"""The training runtime that runs inside the training container (extra ``ml``).

``python -m smtrain.ml.train`` (or ``smtrain-train``) reads the SageMaker
training-container contract, trains a preprocessed, cross-validated model and
writes it with ``smtrain.ml.artifact``. Nothing here imports boto3 or the
orchestrator's AWS code; ``docs/training-runtime.md`` describes the whole runtime.
"""
