#!/bin/sh
# exec replaces this shell, so smtrain runs as PID 1 and itself receives the
# SIGINT/SIGTERM the runner sends on cancel, and can stop the training job.
set -eu
exec smtrain action "$@"
