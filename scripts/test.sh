#!/usr/bin/env bash
# `make test`: a throwaway PostgreSQL cluster, the spec check, `swift test`, teardown.
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

swift build --build-tests
swift test --skip-build "$@"
