"""botocore's data loader, handing clients the SageMaker model already parsed.

Spec validation reads SageMaker's service model itself (``smtrain.servicemodel``)
before any client exists; every session smtrain opens uses this one loader, so
the SageMaker client reuses that parsed model and the other clients' models
(STS, S3, Logs) are read once per process too.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore.loaders import Loader

from smtrain.servicemodel import (
    MODEL_TYPE,
    SERVICE,
    extra_data_paths,
    model_file,
    model_json,
)


class SharedModelLoader(Loader):  # type: ignore[misc]
    def load_service_model(
        self, service_name: str, type_name: str, api_version: str | None = None
    ) -> Any:
        ours = (service_name, type_name) == (SERVICE, MODEL_TYPE)
        if ours and api_version in (None, model_file().api_version):
            return model_json()
        return super().load_service_model(service_name, type_name, api_version)


@cache
def data_loader() -> SharedModelLoader:
    """The process's loader, searching where ``smtrain.servicemodel`` does."""
    return SharedModelLoader(extra_search_paths=[str(p) for p in extra_data_paths()])
