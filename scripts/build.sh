#!/usr/bin/env bash
# Configures and builds one flavour of the tree with Ninja and ccache.
#   scripts/build.sh release   -> build/        (warnings as errors; the binaries in build/bin)
#   scripts/build.sh asan      -> build-asan/   (AddressSanitizer + UndefinedBehaviorSanitizer)
#   scripts/build.sh fuzz      -> build-fuzz/   (clang, libFuzzer targets)
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
jobs=${TERNMQ_JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Paths relative to the checkout, so that another clone of the tree (CI's fresh one) hits the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
case "$flavour" in
  release) dir=build; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DTERNMQ_WERROR=ON) ;;
  asan) dir=build-asan; args=(-DCMAKE_BUILD_TYPE=Debug -DTERNMQ_WERROR=ON -DTERNMQ_SANITIZE=ON) ;;
  fuzz) dir=build-fuzz; args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DTERNMQ_FUZZ=ON
                              -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++) ;;
  *) echo "build.sh: unknown flavour '$flavour' (release|asan|fuzz)" >&2; exit 2 ;;
esac
shift || true
cmake -S . -B "$dir" -G Ninja "${args[@]}" >/dev/null
ninja -C "$dir" -j "$jobs" "$@"
