#!/usr/bin/env bash
# `make run`: serve on READINESS_HOST:READINESS_PORT (default 127.0.0.1:8080). Without DATABASE_URL
# a private cluster under .data/postgres is created (first time), started, and stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(swift build -c release --scratch-path .build-release --show-bin-path)/readiness
if [ -z "${DATABASE_URL:-}" ]; then
    DATABASE_URL=$(scripts/dev-postgres.sh start .data/postgres)
    export DATABASE_URL
    trap 'scripts/dev-postgres.sh stop .data/postgres' EXIT
    echo "run: private PostgreSQL cluster in .data/postgres ($DATABASE_URL)" >&2
fi
# Not exec: the trap above must stop the cluster when the server exits.
"$bin" serve "$@" &
server=$!
trap 'kill -TERM $server 2>/dev/null || true' INT TERM
wait $server || status=$?
exit ${status:-0}
