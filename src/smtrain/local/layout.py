"""The job root of a local run: one ``/opt/ml`` tree per instance.

SageMaker gives every instance its own ``/opt/ml``. Locally each host gets the same
tree under the job root, ``<local-root>/<job>/algo-1/``, ``algo-2/`` ..., so two
instances that both write ``model/model.pkl`` do not overwrite each other mid-run;
their trees are merged when the archives are packed, as SageMaker merges them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from smtrain import contract, names
from smtrain.errors import Problem, SpecError
from smtrain.spec import JobSpec

_TREE_DIRS = (
    contract.INPUT_CONFIG_DIR,
    contract.INPUT_DATA_DIR,
    contract.MODEL_DIR,
    contract.OUTPUT_DATA_DIR,
    contract.OUTPUT_INTERMEDIATE_DIR,
    contract.CODE_DIR,
)


@dataclass(frozen=True)
class HostTree:
    """The ``/opt/ml`` of one instance, rooted somewhere on this machine."""

    host: str
    root: Path

    def path(self, relative: str) -> Path:
        """The local path of a contract path such as ``contract.MODEL_DIR``."""
        return self.root / relative

    def channel_dir(self, channel: str) -> Path:
        return self.root / contract.INPUT_DATA_DIR / channel

    def write_json(self, relative: str, content: Any) -> None:
        self.path(relative).write_text(json.dumps(content, indent=2) + "\n")


@dataclass(frozen=True)
class JobLayout:
    """Where one local run keeps everything: the job folder and each host's tree."""

    job_name: str
    jobs_root: Path
    job_dir: Path
    hosts: tuple[HostTree, ...]
    # The name asked for; job_name differs when that folder already existed.
    requested_name: str = ""

    @property
    def host_names(self) -> list[str]:
        return [tree.host for tree in self.hosts]


def jobs_root(spec: JobSpec, cwd: Path) -> Path:
    """``local-root`` made absolute against the working directory."""
    root = Path(spec.local_root).expanduser()
    return root if root.is_absolute() else cwd / root


def create_layout(spec: JobSpec, cwd: Path, now: datetime | None = None) -> JobLayout:
    """Claim a fresh job folder and create every host's tree inside it.

    The name is ``job-name``, else the one a remote run would generate
    (``smtrain.names``). When that folder already exists (a re-run of a named job
    or of a workflow step), ``on-existing-job: fail`` raises ``SpecError``; else
    it gets ``-2``, ``-3``... as ``new-name`` does remotely. A finished local run
    has nothing to attach to, so ``attach`` picks a new name too.
    """
    root = jobs_root(spec, cwd)
    root.mkdir(parents=True, exist_ok=True)
    base = spec.job_name or names.default_job_name(spec, now=now)
    name, job_dir = _claim_folder(root, base, spec.on_existing_job)
    hosts = tuple(
        HostTree(host, job_dir / host)
        for host in map(contract.host_name, range(spec.instance_count))
    )
    for tree in hosts:
        _create_tree(tree, with_checkpoints=_uses_checkpoints(spec))
    return JobLayout(name, root, job_dir, hosts, requested_name=base)


def _claim_folder(root: Path, base: str, policy: str) -> tuple[str, Path]:
    for attempt in range(1, 1000):
        name = base if attempt == 1 else names.with_suffix(base, attempt)
        try:
            (root / name).mkdir()
        except FileExistsError:
            if policy == "fail":
                raise SpecError([_exists_problem(root / name)]) from None
            continue
        return name, root / name
    raise FileExistsError(f"no free job folder for {base} under {root}")


def _exists_problem(job_dir: Path) -> Problem:
    return Problem(
        "on-existing-job",
        f"local job {job_dir.name} already exists at {job_dir}",
        hint="choose another job-name, remove that folder, "
        "or set on-existing-job: new-name",
    )


def _uses_checkpoints(spec: JobSpec) -> bool:
    return bool(spec.checkpoint_s3_uri or spec.checkpoint_local_path)


def _create_tree(tree: HostTree, *, with_checkpoints: bool) -> None:
    for relative in _TREE_DIRS:
        tree.path(relative).mkdir(parents=True, exist_ok=True)
    if with_checkpoints:
        tree.path(contract.CHECKPOINTS_DIR).mkdir()
