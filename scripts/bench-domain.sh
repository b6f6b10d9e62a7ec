#!/usr/bin/env bash
# Domain benchmark on one core: results scored per second and uploads decoded + validated
# per second, each with its target and the ratio to it.
# Usage: scripts/bench-domain.sh   (BENCH_ITERATIONS=n to change the loop size; BENCH_MODE=handler
# runs only the upload handler's per-result domain work, n results, e.g. under callgrind;
# `... readiness-bench-domain window` the lane's site refresh, `... group` one commit group's
# statement parameters: see Sources/readiness-bench-domain/{WindowWork,GroupWork}.swift)
# Pinned with taskset; on a loaded machine (other builds running) the figures drop, so
# compare runs made under the same load, or use `perf stat -e instructions`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-domain-release --product readiness-bench-domain
exec taskset -c 0 swift run -c release --skip-build --scratch-path .build-domain-release readiness-bench-domain
