"""Why a training run stopped, each reason carrying the exit code ``train`` uses.

The tree::

    TrainingError (exit 1)       the run cannot produce a model
    ├── HyperparameterError (2)  a hyperparameter is unknown or has a bad value
    ├── DataError (1)            a channel is missing, empty, unreadable or unusable
    └── ArtifactError (1)        a model folder is missing, tampered with or untrusted

``smtrain.ml.train`` writes the message to ``output/failure`` and exits with the
code; nothing else in the runtime exits.
"""

from __future__ import annotations


class TrainingError(Exception):
    """Base of every failure the runtime reports on purpose."""

    exit_code = 1


class HyperparameterError(TrainingError):
    """A hyperparameter is unknown or has a value the runtime cannot use."""

    exit_code = 2


class DataError(TrainingError):
    """The input data cannot be read or cannot train a model."""


class ArtifactError(TrainingError):
    """A model folder cannot be loaded safely."""
