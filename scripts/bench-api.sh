#!/usr/bin/env bash
# `make bench-api`: durable ingest and cached reads against baselines measured in the same run.
#
# 1. A durable private PostgreSQL cluster (fsync and synchronous_commit on).
# 2. pgbench, 8 clients, one ~3 KB row inserted per transaction: the single-row commit rate,
#    and what a row costs the cluster and pgbench in CPU.
# 3. Our release server as `make run` starts it (the default log level, the log to a file): POST /v1/results with one ~3 KB result per request over 64
#    connections (distinct run_ids and measurements, agents of many sites); results/s counted
#    as rows stored during the measured run, p99, ratio to (2), and the server's CPU per result
#    (steadier than results/s when the machine is shared: compare that across runs).
# 4. GET /v1/sites/{id}/assessment against nginx serving a static file of the same size, with
#    its default access log to a file.
#
# Usage: scripts/bench-api.sh [duration, default 10s]
# Env:   INGEST_ONLY=1: measure ingest only (no GET runs)
#        PORT (18090) NGINX_PORT (18091; pick others if another checkout benches at once) SITES (200) WRK_THREADS (2) WRK_CONNECTIONS (64)
#        PG_DIR (a temporary directory) SKIP_BUILD=1
#        PERF_DATA=FILE: `perf record` the server and PostgreSQL (call graphs) during the measured ingest run
set -euo pipefail

DURATION="${1:-10s}"
PORT="${PORT:-18090}"
NGINX_PORT="${NGINX_PORT:-18091}"
SITES="${SITES:-200}"
THREADS="${WRK_THREADS:-2}"
CONNECTIONS="${WRK_CONNECTIONS:-64}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/bench/common.sh"

require_tools wrk pgbench nginx

echo "building release" >&2
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$ROOT" && swift build -c release --scratch-path .build-release --product readiness >&2)

# --- 1. durable cluster --------------------------------------------------------------------------
DATABASE_URL="$("$ROOT/scripts/dev-postgres.sh" start "$PG_DIR")"
ADMIN_URL="${DATABASE_URL%/readiness}/postgres"
psql -qAt "$ADMIN_URL" -c "SHOW fsync; SHOW synchronous_commit;" | tr '\n' ' ' | sed 's/^/cluster fsync, synchronous_commit: /' >&2; echo >&2

# The cluster's CPU (postmaster and every child, i.e. the pool's backends, WAL writer,
# checkpointer), in clock ticks: with ours, how the two cores are shared out per stored result.
# Children that exited (pgbench's backends) count through the postmaster's cutime and cstime.
postgres_ticks() {
    local postmaster
    postmaster="$(head -1 "$PG_DIR/pgdata/postmaster.pid")"
    { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$postmaster/stat"
      cat $(pgrep -P "$postmaster" | sed 's|.*|/proc/&/stat|') 2>/dev/null | awk '{ print $14 + $15 }'; } | awk '{ t += $1 } END { print t }'
}
ms_per() { awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v n="$2" 'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "n/a" }'; }

# --- 2. pgbench baseline -------------------------------------------------------------------------
psql -q "$ADMIN_URL" -c "DROP TABLE IF EXISTS bench_rows; CREATE TABLE bench_rows (id bigserial PRIMARY KEY, body jsonb NOT NULL);"
cat >"$WORK/insert.sql" <<'SQL'
INSERT INTO bench_rows (body) VALUES (jsonb_build_object('pad', repeat('x', 3000), 'n', random()));
SQL
PGBENCH_SECONDS="${DURATION%s}"
ANCHOR_PG_TICKS_BEFORE="$(postgres_ticks)"
TIMEFORMAT='%U %S'
{ time pgbench -n -c 8 -j 2 -T "$PGBENCH_SECONDS" -f "$WORK/insert.sql" "$ADMIN_URL" >"$WORK/pgbench.txt" 2>&1; } 2>"$WORK/pgbench-time.txt"
PG_TPS="$(awk '/^tps = / { print $3; exit }' "$WORK/pgbench.txt")"
# The anchor's own CPU per row, the cluster's and pgbench's: what a row costs there.
ANCHOR_ROWS="$(psql -qAt "$ADMIN_URL" -c 'SELECT count(*) FROM bench_rows')"
ANCHOR_PG_MS="$(ms_per "$(($(postgres_ticks) - ANCHOR_PG_TICKS_BEFORE))" "$ANCHOR_ROWS")"
ANCHOR_CLIENT_MS="$(tail -1 "$WORK/pgbench-time.txt" | awk -v n="$ANCHOR_ROWS" '{ if (n > 0) printf "%.3f", ($1 + $2) * 1000 / n; else print "n/a" }')"

# --- 3. our server -------------------------------------------------------------------------------
# As shipped (the default log level, a line per request, the log to a file), but for the
# budgets, raised so that throughput is measured, not refusals: each of the SITES agents
# uploads thousands of results a minute here, where the default budget is 12 an hour. The
# request budget stays on (1000 a second per token), so its leases' round trips are in the figures.
# The GET runs (section 4) restart it with the request budget off: one read token sends tens of
# thousands of requests a second there.
start_server() {  # $1: requests a second per token (0: off)
    READINESS_RATE_UPLOADS_PER_INTERVAL=100000 READINESS_RATE_REQUESTS_PER_S="$1" READINESS_RATE_REQUEST_BURST=20000 \
    READINESS_MIGRATIONS_DIR="$ROOT/migrations" READINESS_LOG_FILE="$WORK/server-log.log" READINESS_DB_MAX_CONNECTIONS=16 \
        DATABASE_URL="$DATABASE_URL" READINESS_OPENAPI_PATH="$ROOT/openapi/openapi.yaml" \
        "$ROOT/.build-release/release/readiness" serve --host 127.0.0.1 --port "$PORT" >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=($SERVER_PID)
    wait_for_port "$PORT"
}
start_server 1000

# Sites, agents and tokens straight into the database: tokens are stored as their SHA-256.
{
    echo "TOKENS = {"
    for i in $(seq 1 "$SITES"); do
        token="$(new_token)"
        echo "  \"$token\","
        printf "%s\n" "$token" >>"$WORK/tokens.txt"
    done
    echo "}"
    echo "FIRST_STARTED_AT = $(date -u -d '-30 min' +%s)"
} >"$WORK/tokens.lua"
agent_tokens_sql "$WORK/tokens.txt" | psql -q "$DATABASE_URL" -v ON_ERROR_STOP=1 >/dev/null
READ_TOKEN="$(new_token)"
psql -q "$DATABASE_URL" -c "INSERT INTO api_tokens (id, name, scope, token_hash) VALUES (gen_random_uuid(), 'bench-read', 'read', sha256(convert_to('$READ_TOKEN', 'UTF8')))"

export BENCH_TOKENS_LUA="$WORK/tokens.lua"
nonce() { head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
BENCH_RUN_NONCE="$(nonce)" wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$ROOT/scripts/bench/ingest.lua" \
    "http://127.0.0.1:$PORT" >/dev/null  # warm-up
stored() { psql -qAt "$DATABASE_URL" -c 'SELECT count(*) FROM results'; }
STORED_BEFORE="$(stored)"
# CPU seconds the server used (utime + stime, in clock ticks): on a machine shared with other
# work, CPU per result is steadier than results/s.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
wal_lsn() { psql -qAt "$DATABASE_URL" -c 'SELECT pg_current_wal_lsn()'; }
WAL_BEFORE="$(wal_lsn)"; echo "WAL at the start of the measured ingest: $WAL_BEFORE" >&2
TICKS_BEFORE="$(server_ticks)"
PG_TICKS_BEFORE="$(postgres_ticks)"
echo "== POST /v1/results" >&2
if [ -n "${PERF_DATA:-}" ]; then
    # The server and the cluster's processes (postgres CPU shows as its own command).
    perf record -F 499 -g -p "$SERVER_PID,$(pgrep -d, -P "$(head -1 "$PG_DIR/pgdata/postmaster.pid")")" \
        -o "$PERF_DATA" -- sleep "${DURATION%s}" >/dev/null 2>&1 &
    PIDS+=($!)
fi
# wrk's own CPU too: the load generator shares the two cores with the server and the cluster.
{ time BENCH_RUN_NONCE="$(nonce)" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/scripts/bench/ingest.lua" \
    "http://127.0.0.1:$PORT" >"$WORK/ingest.txt"; } 2>"$WORK/wrk-time.txt"
cat "$WORK/ingest.txt" >&2
INGEST_RPS="$(awk '/Requests\/sec/ { print $2 }' "$WORK/ingest.txt")"
INGEST_P99="$(field 99% <"$WORK/ingest.txt")"
INGEST_ERRORS="$(awk '/Non-2xx/ { print $5 }' "$WORK/ingest.txt")"
TICKS_AFTER="$(server_ticks)"
PG_TICKS_AFTER="$(postgres_ticks)"
STORED="$(stored)"
# WAL written per stored result: what the disk and the WAL writer see of each result.
WAL_BYTES="$(psql -qAt "$DATABASE_URL" -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$WAL_BEFORE')")"
WAL_PER_RESULT="$(awk -v b="$WAL_BYTES" -v n="$((STORED - STORED_BEFORE))" 'BEGIN { if (n > 0) printf "%.0f", b / n; else print "n/a" }')"
WRK_CPU_MS="$(tail -1 "$WORK/wrk-time.txt" | awk -v n="$((STORED - STORED_BEFORE))" '{ if (n > 0) printf "%.3f", ($1 + $2) * 1000 / n; else print "n/a" }')"
SERVER_CPU_MS="$(ms_per "$((TICKS_AFTER - TICKS_BEFORE))" "$((STORED - STORED_BEFORE))")"
PG_CPU_MS="$(ms_per "$((PG_TICKS_AFTER - PG_TICKS_BEFORE))" "$((STORED - STORED_BEFORE))")"
# Results/s counts rows that really landed (a replay answered 200 would not add one), over
# wrk's own measured duration.
INGEST_SECONDS="$(awk '/requests in/ { sub(/s,$/, "", $4); print $4 }' "$WORK/ingest.txt")"
INGEST_STORED_PS="$(awk -v n="$((STORED - STORED_BEFORE))" -v s="$INGEST_SECONDS" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print 0 }')"

# --- 4. GET assessment vs nginx static (skipped with INGEST_ONLY=1) ------------------------------
GET_RPS=0 GET_P99=- NGINX_RPS=0
if [ "${INGEST_ONLY:-0}" != 1 ]; then
    kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
    start_server 0
    SITE="$(psql -qAt "$DATABASE_URL" -c 'SELECT site_id FROM site_assessments LIMIT 1')"
    export BENCH_READ_TOKEN="$READ_TOKEN" BENCH_ASSESSMENT_PATH="/v1/sites/$SITE/assessment"
    curl -sf -H "Authorization: Bearer $READ_TOKEN" "http://127.0.0.1:$PORT$BENCH_ASSESSMENT_PATH" >"$WORK/assessment.json"
    mkdir -p "$WORK/nginx/root"
    cp "$WORK/assessment.json" "$WORK/nginx/root/assessment.json"
    ASSESSMENT_BYTES="$(wc -c <"$WORK/assessment.json")"
    start_nginx "$NGINX_PORT" 'root '"$WORK"'/nginx/root; default_type application/json;'
    echo "== GET assessment (ours)" >&2
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/scripts/bench/get-assessment.lua" "http://127.0.0.1:$PORT" | tee "$WORK/get.txt" >&2
    echo "== GET static (nginx)" >&2
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$NGINX_PORT/assessment.json" | tee "$WORK/nginx.txt" >&2
    GET_RPS="$(awk '/Requests\/sec/ { print $2 }' "$WORK/get.txt")"
    GET_P99="$(field 99% <"$WORK/get.txt")"
    GET_ERRORS="$(awk '/Non-2xx/ { print $5 }' "$WORK/get.txt")"
    NGINX_RPS="$(awk '/Requests\/sec/ { print $2 }' "$WORK/nginx.txt")"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
printf '\n%-44s %12s %10s\n' "measurement" "per second" "p99"
printf '%-44s %12s %10s\n' "pgbench, 1 row per tx, 8 clients (rows/s)" "$PG_TPS" "-"
printf '%-44s %12s %10s\n' "POST /v1/results, $CONNECTIONS conns (results/s)" "$INGEST_STORED_PS" "$INGEST_P99"
printf '%-44s %12s\n' "  (wrk responses/s, incl. any non-2xx)" "$INGEST_RPS"
printf '%-44s %12s %10s\n' "GET assessment (${ASSESSMENT_BYTES:-0} B)" "$GET_RPS" "$GET_P99"
printf '%-44s %12s\n' "nginx static, same size" "$NGINX_RPS"
printf 'INGEST results/s / pgbench rows/s: %s (target >= 1.5)   p99: %s (target <= 25ms)\n' \
    "$(ratio "$INGEST_STORED_PS" "$PG_TPS")" "$INGEST_P99"
printf '  non-2xx uploads: %s   rows stored in the measured run: %s   sites: %s   server CPU per result: %s ms\n' \
    "${INGEST_ERRORS:-0}" "$((STORED - STORED_BEFORE))" "$SITES" "$SERVER_CPU_MS"
printf '  PostgreSQL CPU per result: %s ms   wrk CPU per result: %s ms   WAL per result: %s B\n' "$PG_CPU_MS" "$WRK_CPU_MS" "$WAL_PER_RESULT"
# The CPU the target leaves per result: at 1.5x pgbench's rate, the machine's cores shared by
# everything that handles one result (our server, the cluster, wrk). When ingest is CPU-bound,
# as here, results/s cannot pass cores / (CPU per result), whatever the batching.
CORES="$(nproc)"
printf '  pgbench, CPU per row: PostgreSQL %s ms, pgbench %s ms\n' "$ANCHOR_PG_MS" "$ANCHOR_CLIENT_MS"
printf '  CPU per result, all three: %s ms; the target leaves %s ms (%s cores at 1.5x pgbench)\n' \
    "$(awk -v a="$SERVER_CPU_MS" -v b="$PG_CPU_MS" -v c="$WRK_CPU_MS" 'BEGIN { printf "%.3f", a + b + c }')" \
    "$(awk -v n="$CORES" -v r="$PG_TPS" 'BEGIN { if (r > 0) printf "%.3f", n * 1000 / (1.5 * r); else print "n/a" }')" "$CORES"
printf 'GET assessment / nginx: %s (target >= 0.5)   non-2xx: %s (the read token'"'"'s request budget off)\n' \
    "$(ratio "$GET_RPS" "$NGINX_RPS")" "${GET_ERRORS:-0}"
