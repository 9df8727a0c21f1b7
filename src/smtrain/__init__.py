"""smtrain: SageMaker training jobs from a YAML file, in CI or on this machine."""

__version__ = "0.1.0"
