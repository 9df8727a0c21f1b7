"""Making ``algo-1`` .. ``algo-N`` usable as names on this machine, without root.

SageMaker's instances reach each other by those names. Locally every host is
this machine, and ``/etc/hosts`` is root's to change (``HOSTALIASES`` does not
help either: glibc applies it only on the DNS path, which fails offline). So:

* Python code gets the names through a ``sitecustomize`` shim placed first on
  ``PYTHONPATH``: it makes ``socket.getaddrinfo`` / ``gethostbyname`` answer
  127.0.0.1 for the job's hosts, then runs any ``sitecustomize`` it shadowed.
* Native code (torch's TCPStore, MPI) resolves names itself, so for
  ``distribution: torchrun`` ``MASTER_ADDR`` is ``127.0.0.1``, not ``algo-1``.
"""

from __future__ import annotations

import socket
from pathlib import Path

from smtrain import contract

SHIM_FOLDER = ".hosts"

_SHIM = '''"""Written by smtrain local mode: this job's hosts resolve to 127.0.0.1."""
import importlib.machinery
import importlib.util
import json
import os
import socket
import sys

_HOSTS = frozenset(json.loads(os.environ.get("SM_HOSTS") or "[]"))
_LOOPBACK = "127.0.0.1"
_real_getaddrinfo = socket.getaddrinfo
_real_gethostbyname = socket.gethostbyname
_real_gethostbyname_ex = socket.gethostbyname_ex


def _getaddrinfo(host, *args, **kwargs):
    return _real_getaddrinfo(_LOOPBACK if host in _HOSTS else host, *args, **kwargs)


def _gethostbyname(host):
    return _LOOPBACK if host in _HOSTS else _real_gethostbyname(host)


def _gethostbyname_ex(host):
    if host in _HOSTS:
        return host, [], [_LOOPBACK]
    return _real_gethostbyname_ex(host)


def _run_shadowed_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


socket.getaddrinfo = _getaddrinfo
socket.gethostbyname = _gethostbyname
socket.gethostbyname_ex = _gethostbyname_ex
_run_shadowed_sitecustomize()
'''


def write_host_shim(job_dir: Path) -> Path:
    """Write the shim once per job; returns the folder to put on PYTHONPATH."""
    folder = job_dir / SHIM_FOLDER
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(_SHIM)
    return folder


def free_local_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def torchrun_variables(index: int, count: int, port: int) -> dict[str, str]:
    """What torchrun exports to a worker: one worker per host, host ``index``."""
    return {
        contract.MASTER_ADDR: "127.0.0.1",
        contract.MASTER_PORT: str(port),
        contract.WORLD_SIZE: str(count),
        contract.RANK: str(index),
        contract.LOCAL_RANK: "0",
        contract.LOCAL_WORLD_SIZE: "1",
        contract.GROUP_RANK: str(index),
        contract.ROLE_RANK: str(index),
        contract.ROLE_WORLD_SIZE: str(count),
    }
