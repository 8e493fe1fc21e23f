#!/usr/bin/env bash
# The main job: installs what is missing, builds, and starts one broker on 127.0.0.1:1883 from
# the sample ternmq.conf. (The 3-node local cluster arrives with the scheduler.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release ternmq
cat <<'MSG'
Starting ternmq with ./ternmq.conf. Try, from another shell:
  mosquitto_sub -h 127.0.0.1 -p 1883 -t 'demo/#' -v
  mosquitto_pub -h 127.0.0.1 -p 1883 -t demo/hello -m 'hello from ternmq'
Stop with Ctrl-C (SIGTERM/SIGINT); SIGHUP reloads ternmq.conf.
MSG
exec build/bin/ternmq --config ternmq.conf "$@"
