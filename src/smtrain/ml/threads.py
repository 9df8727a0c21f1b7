"""How many threads the model libraries may use in one training run.

HistGradientBoosting, LightGBM and XGBoost parallelise with OpenMP, whose idle
threads spin-wait between parallel regions. On small data the regions are tiny,
so threads mostly wait, and on a machine busy with other work a spinning thread
holds a core its siblings need: 5-fold cross-validation of iris took 24 s with
two threads and 0.6 s with one (docs/benchmarks.md). Small data therefore gets
one thread. Larger data gets every CPU the process may use, counted as joblib
counts them (affinity and cgroup quota respected), where OpenMP would count the
host's cores even inside a container limited to a few.
"""

from __future__ import annotations

import joblib  # type: ignore[import-untyped]

# Tables with fewer cells than this train on one thread: a model fits in well
# under a second there, so more threads could only save milliseconds.
SMALL_TABLE_CELLS = 100_000


def thread_count(rows: int, columns: int) -> int:
    """Threads for a training table of ``rows`` by ``columns``."""
    if rows * columns < SMALL_TABLE_CELLS:
        return 1
    return max(1, int(joblib.cpu_count()))
