#!/bin/sh
# exec, so smtrain is PID 1's only child-free process and receives the SIGINT /
# SIGTERM the runner sends on cancel; it then stops the training job.
set -eu
exec smtrain action "$@"
