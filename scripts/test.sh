#!/usr/bin/env bash
# `make test`: a throwaway PostgreSQL cluster, the spec check, `swift test`, teardown; then the
# end-to-end scenarios (scripts/e2e.sh) when the whole suite runs (no arguments) on a machine
# that can create network namespaces. READINESS_E2E=0 leaves them out.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/readiness-test-pg.XXXXXX")
cleanup() { scripts/dev-postgres.sh stop "$dir" || true; rm -rf "$dir"; }
trap cleanup EXIT
url=$(scripts/dev-postgres.sh start "$dir" --fast)
export READINESS_TEST_DATABASE_URL="${url%/readiness}/postgres"
export READINESS_TEST_PG_DIR="$dir"
echo "test: throwaway PostgreSQL cluster at $READINESS_TEST_DATABASE_URL" >&2

echo "test: validating openapi/openapi.yaml" >&2
openapi-spec-validator openapi/openapi.yaml

# What users build and run: release executables of the whole package (its own scratch path, so
# the debug test build beside it is not thrown away). Swift 6.3.1 once crashed building the
# agent in release while every debug build passed; only a release build can see that.
echo "test: release build of the whole package (.build-release)" >&2
swift build -c release --scratch-path .build-release

swift build --build-tests
# In parallel, at most 16 tests at a time (Swift Testing's experimental width setting, read
# from the environment): about 90 s on this 2-core machine, against ~240 s one at a time
# (`scripts/test.sh --no-parallel`). Unbounded, nearly all ~860 tests start at once: some
# hundred live services, databases and agents compete for two cores, and a burst of
# PostgreSQL connects outlasts their 5 s timeout. What made it pass: blocking test I/O on
# dedicated threads instead of the cooperative pool, service clocks and deadline clocks the
# tests move, waits that are about an event rather than a time, and conditions scoped to the
# test's own database (pg_stat_activity is cluster-wide). 2026-12-06: ten full runs in a row
# passed (docs/architecture.md).
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-16}"
swift test --skip-build --parallel "$@"

if [ $# -gt 0 ]; then
    echo "test: e2e scenarios skipped: only a filtered run of swift test was asked for" >&2
elif [ "${READINESS_E2E:-1}" = 0 ]; then
    echo "test: e2e scenarios skipped: READINESS_E2E=0" >&2
elif reason=$(scripts/e2e.sh --check 2>&1); then
    scripts/e2e.sh
else
    echo "test: e2e scenarios skipped: $reason" >&2
fi
