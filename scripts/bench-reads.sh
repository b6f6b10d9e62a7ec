#!/usr/bin/env bash
# Read-side latency against the issue's targets, through the real HTTP server (release build):
#
#   fleet listing over 10,000 sites, a filtered page of 100     p99 <= 10 ms
#   one site's year of 5-minute results as daily buckets        p99 <= 25 ms
#
# 1. A durable private cluster (scripts/dev-postgres.sh start, fsync on), migrated by the
#    release `readiness migrate`.
# 2. In SQL: 10,000 sites (4 regions, 1 in 10 tagged hq) each with a current assessment, and
#    one more site with a year of results 5 minutes apart in one INSERT … SELECT (the
#    results trigger fills the hourly rollup, as it does for the ingest), then VACUUM ANALYZE.
# 3. `readiness serve`, then wrk with one connection (one request at a time: the latency a
#    user sees, not a queue) for DURATION per request kind, after a warm-up. wrk's --latency
#    percentiles come from every request of the run (hundreds to thousands, never < 200:
#    the script fails if fewer were made). The first call of each kind is timed on its own:
#    for the daily history it is the one that computes and keeps the year's past days
#    (history_days, migration 0011); every later call reads them back.
#
# Usage: scripts/bench-reads.sh [duration, default 15s]
# Env:   PORT (18095) SITES (10000) ROUNDS (3: runs per request kind; the median of their
#        p50 and p99 is printed) WRK_CONNECTIONS (1) PG_DIR (a temporary directory)
#        SKIP_BUILD=1 READINESS_BIN (default .build-release-reads/release/readiness)
#        MIGRATIONS_DIR (default migrations/: point both at another tree for a baseline)
set -euo pipefail

DURATION="${1:-15s}"
PORT="${PORT:-18095}"
SITES="${SITES:-10000}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${WRK_CONNECTIONS:-1}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/bench/common.sh"
SCRATCH="$ROOT/.build-release-reads"
BIN="${READINESS_BIN:-$SCRATCH/release/readiness}"
MIGRATIONS_DIR="${MIGRATIONS_DIR:-$ROOT/migrations}"

require_tools wrk

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "building release" >&2
    (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product readiness >&2)
fi

# --- 1. durable cluster, migrated by the release binary -----------------------------------------
DATABASE_URL="$("$ROOT/scripts/dev-postgres.sh" start "$PG_DIR")"
export DATABASE_URL READINESS_MIGRATIONS_DIR="$MIGRATIONS_DIR"
psql -qAt "$DATABASE_URL" -c "SHOW fsync" | sed 's/^/cluster fsync: /' >&2
"$BIN" migrate >&2

# --- 2. data -------------------------------------------------------------------------------------
# The year ends at the last UTC midnight, so the history request asks for 365 whole days.
YEAR_END="$(date -u +%Y-%m-%dT00:00:00Z)"
YEAR_START="$(date -u -d "$YEAR_END - 365 days" +%Y-%m-%dT%H:%M:%SZ)"
HISTORY_SITE="$(python3 -c 'import uuid; print(uuid.uuid4())')"
READ_TOKEN="rdy_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
echo "generating $SITES sites with assessments and a year of results for one site" >&2
psql -q "$DATABASE_URL" -v ON_ERROR_STOP=1 >/dev/null <<SQL
INSERT INTO api_tokens (id, name, scope, token_hash)
VALUES (gen_random_uuid(), 'bench-read', 'read', sha256(convert_to('$READ_TOKEN', 'UTF8')));

INSERT INTO sites (id, name, region, tags)
SELECT gen_random_uuid(), 'bench site ' || i, (ARRAY['emea', 'apac', 'amer', 'latam'])[1 + i % 4],
       CASE WHEN i % 10 = 0 THEN ARRAY['hq'] ELSE ARRAY['branch'] END
FROM generate_series(1, $SITES) AS i;

-- Verdicts spread evenly; a third of the sites blocked on UDP 3478; newest results up to
-- 30 hours old, so about a fifth of the fleet is stale under a 24-hour window.
INSERT INTO site_assessments (site_id, policy_name, policy_version, verdict, score, finding_codes,
    newest_result_at, assessment, etag, updated_at)
SELECT id, 'sococo', 1, (ARRAY['optimal', 'minimal', 'not_ready', 'insufficient_data'])[1 + h % 4], 40 + h % 60,
       CASE WHEN h % 3 = 0 THEN ARRAY['UDP_3478_BLOCKED'] ELSE '{}' END,
       now() - (h % 180) * interval '10 minutes',
       '{"mos": {"value": 4.2}, "transport": "udp_media_direct"}', md5(id::text), now()
FROM (SELECT id, abs(hashtext(id::text)) AS h FROM sites) AS s;

INSERT INTO sites (id, name, region) VALUES ('$HISTORY_SITE', 'bench history site', 'emea');
SELECT ensure_results_partition(m)
FROM generate_series(timestamptz '$YEAR_START', timestamptz '$YEAR_END', interval '1 month') AS m;
SELECT ensure_results_partition(timestamptz '$YEAR_END' - interval '1 microsecond');
-- Every 97th result is a not_ready one with a slow network; the rest vary a little.
INSERT INTO results (run_id, site_id, started_at, finished_at, received_at, body, policy_name, policy_version,
    verdict, score, mos, transport, rtt_ms, jitter_ms, loss_pct, down_kbps, up_kbps, assessment)
SELECT gen_random_uuid(), '$HISTORY_SITE', at, at + interval '90 seconds', at + interval '95 seconds',
       jsonb_build_object('schema', 'probe-result/v1', 'pad', repeat('x', 2000)), 'sococo', 1,
       CASE WHEN bad THEN 'not_ready' ELSE 'optimal' END, CASE WHEN bad THEN 35 ELSE 80 + i % 15 END, 4.1,
       'udp_media_direct', CASE WHEN bad THEN 480 ELSE 18 + i % 7 END, 2 + i % 3, CASE WHEN bad THEN 4.5 ELSE 0 END,
       90000 + (i * 37) % 8000, 38000 + (i * 13) % 2000, '{}'
FROM generate_series(0, 365 * 288 - 1) AS i,
     LATERAL (SELECT timestamptz '$YEAR_START' + i * interval '5 minutes' AS at, i % 97 = 0 AS bad) AS t;
SQL
psql -q "$DATABASE_URL" -c "VACUUM ANALYZE" >/dev/null
psql -qAt "$DATABASE_URL" -c "SELECT 'sites: ' || (SELECT count(*) FROM sites) || ', assessments: ' || (SELECT count(*) FROM site_assessments) || ', results: ' || (SELECT count(*) FROM results)" >&2

# --- 3. server and measurements ------------------------------------------------------------------
# As shipped: the default log level, the log to a file.
READINESS_LOG_FILE="$WORK/server-log.log" READINESS_OPENAPI_PATH="$ROOT/openapi/openapi.yaml" \
    "$BIN" serve --host 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
PIDS+=($!)
wait_for_port "$PORT"

cat >"$WORK/get.lua" <<'LUA'
-- GET BENCH_PATH with a read token; counts non-200 answers so a failing bench cannot pass.
local token, path = os.getenv("BENCH_READ_TOKEN"), os.getenv("BENCH_PATH")
function request() return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token }) end
LUA
export BENCH_READ_TOKEN="$READ_TOKEN"

# measure NAME PATH TARGET_MS: ROUNDS wrk runs; prints the median of the runs' p50 and p99.
RESULTS=()
measure() {
    local name="$1" path="$2" target="$3" status
    local first
    read -r status first < <(curl -s -o "$WORK/body" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $READ_TOKEN" "http://127.0.0.1:$PORT$path")
    [ "$status" = 200 ] || { echo "$name: HTTP $status: $(head -c 300 "$WORK/body")" >&2; exit 1; }
    # The first call is the one that finds nothing kept (the daily history computes and keeps
    # its whole past days then); the rounds below measure the calls after it.
    echo "  $name first call: $(awk -v s="$first" 'BEGIN { printf "%.2f", s * 1000 }') ms" >&2
    export BENCH_PATH="$path"
    wrk -t1 -c"$CONNECTIONS" -d3s -s "$WORK/get.lua" "http://127.0.0.1:$PORT" >/dev/null  # warm-up
    local p50s=() p99s=() n
    for round in $(seq 1 "$ROUNDS"); do
        wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/get.lua" "http://127.0.0.1:$PORT" >"$WORK/wrk.txt"
        grep -q 'Non-2xx' "$WORK/wrk.txt" && { cat "$WORK/wrk.txt" >&2; echo "$name: non-2xx answers" >&2; exit 1; }
        n="$(awk '/requests in/ { print $1 }' "$WORK/wrk.txt")"
        [ "$n" -ge 200 ] || { echo "$name: only $n requests in $DURATION; use a longer duration" >&2; exit 1; }
        p50s+=("$(ms "$(awk '$1 == "50%" { print $2 }' "$WORK/wrk.txt")")")
        p99s+=("$(ms "$(awk '$1 == "99%" { print $2 }' "$WORK/wrk.txt")")")
        echo "  $name round $round: $n requests, p50 ${p50s[-1]} ms, p99 ${p99s[-1]} ms" >&2
    done
    local p50 p99
    p50="$(printf '%s\n' "${p50s[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
    p99="$(printf '%s\n' "${p99s[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
    RESULTS+=("$(printf '%-46s %9s %9s %9s  %s' "$name" "$p50" "$p99" "<= $target" \
        "$(awk -v a="$p99" -v b="$target" 'BEGIN { print (a <= b) ? "met" : "MISSED" }')")")
}
# wrk prints 812.00us, 1.23ms or 1.05s: to milliseconds.
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'; }

echo "== measuring ($ROUNDS x $DURATION per request, $CONNECTIONS connection(s))" >&2
measure "fleet: verdict=not_ready, limit=100" "/v1/assessments?verdict=not_ready&limit=100" 10
measure "fleet: region=emea&finding=…, limit=100" "/v1/assessments?region=emea&finding=UDP_3478_BLOCKED&limit=100" 10
measure "history: a year of 5-min results, bucket=day" \
    "/v1/sites/$HISTORY_SITE/history?from=$YEAR_START&to=$YEAR_END&bucket=day" 25

printf '\n%-46s %9s %9s %9s\n' "request (median of $ROUNDS runs)" "p50 ms" "p99 ms" "target"
printf '%s\n' "${RESULTS[@]}"
