#!/usr/bin/env bash
# Installs every Debian package the build and the tests need. Idempotent: it asks apt only for
# what is missing, so a second run costs a dpkg query.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
  # libraries
  libboost1.81-dev libssl-dev libleveldb-dev nlohmann-json3-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # real peers for the integration tests: MQTT clients, mosquitto_passwd, HAProxy
  mosquitto-clients mosquitto python3 python3-paho-mqtt python3-pytest haproxy
  # package tests: mustache rendering, JSON Schema, YAML
  python3-pystache python3-jsonschema python3-yaml
  # processes and networking used by the test harness
  procps iproute2 openssl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node.js for MQTT.js (WebSocket tests): the machine's own if present, else Debian's.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { echo "setup: node/npm missing (run as root to install them)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
fi
# The JavaScript test clients, pinned by package-lock.json; installed once.
js_dir="$(dirname "$0")/../tests/integration/js"
if [ -f "$js_dir/package-lock.json" ] && [ ! -d "$js_dir/node_modules" ]; then
  (cd "$js_dir" && npm ci --no-audit --no-fund --silent)
fi
