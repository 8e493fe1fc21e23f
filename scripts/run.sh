#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the TernMQ DC/OS service on this machine:
# `ternmq-scheduler --local` deploys a 3-node cluster of brokers as local processes (the same
# svc.yml, plans and HTTP API as on DC/OS), starts HAProxy from the Edge-LB pool template as the
# single entry point, shows the deploy plan's progress and prints every endpoint with the DC/OS
# name it stands for. Options: scripts/local-options.json (the package's config.json options).
# Extra arguments go to the scheduler, e.g. `--entry-port mqtt=11883` when 1883 is taken.
# Ctrl-C stops the scheduler and the nodes; the next run relaunches them with their data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release ternmq ternmq-scheduler ternmq-cli ternmq-passwd
echo "Starting the local TernMQ service (state in .ternmq-local; add --log-level info for details)."
exec build/bin/ternmq-scheduler --spec svc.yml --local --options scripts/local-options.json \
  --state-dir .ternmq-local --api-port 8080 --stop-on-exit --log-level warning "$@"
