#!/usr/bin/env bash
# The one test command (README, .ci/run): installs what is missing, builds, and runs every test:
#   1. release build (warnings as errors): unit and integration tests
#   2. AddressSanitizer + UndefinedBehaviorSanitizer build: unit and integration tests again
#   3. libFuzzer run of the packet decoder, bounded in time
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

jobs=${TERNMQ_JOBS:-$(nproc)}
failed=0

echo "== release build"
bash scripts/build.sh release
echo "== release: unit and integration tests"
(cd build && ctest -j "$jobs" --output-on-failure -L 'unit|integration') || failed=1

echo "== asan+ubsan build"
bash scripts/build.sh asan
echo "== asan+ubsan: unit and integration tests"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest -j "$jobs" --output-on-failure -L 'unit|integration') || failed=1

echo "== fuzz build"
bash scripts/build.sh fuzz decoder_fuzz
echo "== fuzz: decoder"
(cd build-fuzz && ctest --output-on-failure -L fuzz) || failed=1

if [ "$failed" -ne 0 ]; then
  echo "test.sh: FAILED (see the sections above)"
  exit 1
fi
echo "test.sh: all test stages passed"
