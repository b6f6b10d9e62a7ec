#!/usr/bin/env bash
# `make bench-heavy-site`: one busy site beside many ordinary ones (issue 14), release build,
# shipped configuration, durable private cluster.
#
# The server runs as shipped but for its rate budgets (raised: see start_server).
# 1. 1,000 ordinary sites and one heavy site; the heavy site's window is filled through the API
#    with 100,000 results (batches of 500, finishing over the last 20 hours).
# 2. Ordinary sites alone: POST /v1/results, one result per request over 32 connections; p99.
# 3. The same load beside a light site (one site with an empty window, uploading over 4
#    connections), so that the extra load itself is measured apart from the heavy window.
# 4. The same load, while the heavy site uploads one result per request over 4 connections of
#    its own (it shares a commit lane with half the ordinary sites); both p99s.
# 5. The server restarted (SIGTERM, start again): the heavy site's first upload, timed.
# Figures are printed side by side: ordinary p99 with / without the heavy site (target
# <= 1.2x), the heavy site's own p99 (target <= 50 ms), the cold first upload (target <= 1 s).
#
# Usage: scripts/bench-heavy-site.sh [duration, default 10s]
# Env:   PORT (18094) SITES (1000) HEAVY_RESULTS (100000) WRK_CONNECTIONS (32) PG_DIR SKIP_BUILD=1
set -euo pipefail

DURATION="${1:-10s}"
PORT="${PORT:-18094}"
SITES="${SITES:-1000}"
HEAVY_RESULTS="${HEAVY_RESULTS:-100000}"
CONNECTIONS="${WRK_CONNECTIONS:-32}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/bench/common.sh"

require_tools wrk curl python3

echo "building release" >&2
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$ROOT" && swift build -c release --scratch-path .build-release --product readiness >&2)

DATABASE_URL="$("$ROOT/scripts/dev-postgres.sh" start "$PG_DIR")"

# As shipped (the default log level, the log to a file), but for the budgets, raised so that
# the heavy site can be filled through the API and the load measures ingest, not refusals
# (the default is 288 results a day per agent and 20 requests a second per token).
start_server() {
    READINESS_RATE_UPLOADS_PER_INTERVAL=100000 READINESS_RATE_REQUESTS_PER_S=100000 READINESS_RATE_REQUEST_BURST=100000 \
    READINESS_MIGRATIONS_DIR="$ROOT/migrations" READINESS_LOG_FILE="$WORK/access.log" \
        DATABASE_URL="$DATABASE_URL" READINESS_OPENAPI_PATH="$ROOT/openapi/openapi.yaml" \
        "$ROOT/.build-release/release/readiness" serve --host 127.0.0.1 --port "$PORT" >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=($SERVER_PID)
    wait_for_port "$PORT"
}
start_server

for _ in $(seq 1 "$((SITES + 2))"); do new_token; done >"$WORK/tokens.txt"
HEAVY_TOKEN="$(tail -1 "$WORK/tokens.txt")"
LIGHT_TOKEN="$(tail -2 "$WORK/tokens.txt" | head -1)"
head -n "$SITES" "$WORK/tokens.txt" >"$WORK/ordinary.txt"
agent_tokens_sql "$WORK/tokens.txt" | psql -q "$DATABASE_URL" -v ON_ERROR_STOP=1 >/dev/null
tokens_lua() {  # $1 token file, $2 lua file
    { echo "TOKENS = {"; sed 's/.*/  "&",/' "$1"; echo "}"; echo "FIRST_STARTED_AT = $(date -u -d '-30 min' +%s)"; } >"$2"
}
tokens_lua "$WORK/ordinary.txt" "$WORK/ordinary.lua"
echo "$HEAVY_TOKEN" >"$WORK/heavy.txt"
tokens_lua "$WORK/heavy.txt" "$WORK/heavy.lua"
echo "$LIGHT_TOKEN" >"$WORK/light.txt"
tokens_lua "$WORK/light.txt" "$WORK/light.lua"

echo "filling the heavy site with $HEAVY_RESULTS results" >&2
python3 "$ROOT/scripts/bench/fill-heavy-site.py" "$PORT" "$HEAVY_TOKEN" "$HEAVY_RESULTS"
HEAVY_SITE="$(psql -qAt "$DATABASE_URL" -c "SELECT site_id FROM api_tokens WHERE token_hash = sha256(convert_to('$HEAVY_TOKEN', 'UTF8'))")"
psql -qAt "$DATABASE_URL" -c "SELECT 'heavy site window: ' || (assessment::jsonb->>'runs') || ' runs, ' ||
    (SELECT count(*) FROM site_window_buckets WHERE site_id = '$HEAVY_SITE') || ' stored buckets'
    FROM site_assessments WHERE site_id = '$HEAVY_SITE'" >&2

nonce() { head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
ingest() {  # $1 lua tokens, $2 connections, $3 duration, $4 output
    BENCH_TOKENS_LUA="$1" BENCH_RUN_NONCE="$(nonce)" wrk -t2 -c"$2" -d"$3" --latency -s "$ROOT/scripts/bench/ingest.lua" \
        "http://127.0.0.1:$PORT" >"$4"
}
ingest "$WORK/ordinary.lua" "$CONNECTIONS" 3s /dev/null  # warm-up: every ordinary site's window cached

echo "== ordinary sites alone" >&2
ingest "$WORK/ordinary.lua" "$CONNECTIONS" "$DURATION" "$WORK/alone.txt"
echo "== ordinary sites beside a light site (the same load from one site, its window empty)" >&2
ingest "$WORK/light.lua" 4 "$DURATION" "$WORK/light-run.txt" &
LIGHT_WRK=$!
ingest "$WORK/ordinary.lua" "$CONNECTIONS" "$DURATION" "$WORK/beside-light.txt"
wait "$LIGHT_WRK"
echo "== ordinary sites beside the heavy site" >&2
ingest "$WORK/heavy.lua" 4 "$DURATION" "$WORK/heavy-run.txt" &
HEAVY_WRK=$!
ingest "$WORK/ordinary.lua" "$CONNECTIONS" "$DURATION" "$WORK/beside.txt"
wait "$HEAVY_WRK"

echo "== restart" >&2
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
start_server
FIRST="$(python3 - "$WORK/heavy.txt" <<'PY'
import sys, uuid, datetime
now = datetime.datetime.now(datetime.timezone.utc)
f = lambda m: m.strftime("%Y-%m-%dT%H:%M:%S.000Z")
print('{"schema":"probe-result/v1","run_id":"%s","agent":{"version":"1.0.0","os":"linux","hostname":"heavy-1"},'
      '"started_at":"%s","finished_at":"%s","network":{"interface":"wired","proxy":{"present":false,"kind":"none","in_media_path":false},'
      '"vpn":{"present":false,"tunnel":"none","media_excluded":false}},"latency":[{"host":"media.chime.aws","protocol":"udp","samples":50,'
      '"rtt_ms":{"min":12.0,"p50":40.0,"p95":80.5,"max":120.1},"jitter_ms":3.0,"loss_pct":0.1}]}'
      % (uuid.uuid4(), f(now - datetime.timedelta(seconds=90)), f(now - datetime.timedelta(seconds=30))))
PY
)"
COLD="$(curl -s -o "$WORK/cold.json" -w '%{http_code} %{time_total}' -X POST -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $HEAVY_TOKEN" --data "$FIRST" "http://127.0.0.1:$PORT/v1/results")"

cat "$WORK/alone.txt" "$WORK/beside.txt" "$WORK/heavy-run.txt" >&2
field() { awk -v f="$1" '$1 == f { print $2; exit }'; }
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }'; }
ALONE="$(field 99% <"$WORK/alone.txt" | to_ms)"
BESIDE="$(field 99% <"$WORK/beside.txt" | to_ms)"
BESIDE_LIGHT="$(field 99% <"$WORK/beside-light.txt" | to_ms)"
LIGHT="$(field 99% <"$WORK/light-run.txt" | to_ms)"
HEAVY="$(field 99% <"$WORK/heavy-run.txt" | to_ms)"
errors() { awk '/Non-2xx/ { print $5 }' "$1"; }
rate() { awk '/Requests\/sec/ { print $2 }' "$1"; }
printf '\n%-52s %10s %12s %8s\n' "run" "p99 (ms)" "requests/s" "non-2xx"
printf '%-52s %10s %12s %8s\n' "ordinary sites alone ($SITES sites)" "$ALONE" "$(rate "$WORK/alone.txt")" "$(errors "$WORK/alone.txt")"
printf '%-52s %10s %12s %8s\n' "ordinary sites beside a light site (same load)" "$BESIDE_LIGHT" "$(rate "$WORK/beside-light.txt")" "$(errors "$WORK/beside-light.txt")"
printf '%-52s %10s %12s %8s\n' "light site's own uploads (empty window)" "$LIGHT" "$(rate "$WORK/light-run.txt")" "$(errors "$WORK/light-run.txt")"
printf '%-52s %10s %12s %8s\n' "ordinary sites beside the heavy site" "$BESIDE" "$(rate "$WORK/beside.txt")" "$(errors "$WORK/beside.txt")"
printf '%-52s %10s %12s %8s\n' "heavy site's own uploads ($HEAVY_RESULTS in window)" "$HEAVY" "$(rate "$WORK/heavy-run.txt")" "$(errors "$WORK/heavy-run.txt")"
printf 'ordinary p99 beside the heavy site / alone: %s (target <= 1.2; includes the CPU the extra load takes)\n' \
    "$(awk -v a="$BESIDE" -v b="$ALONE" 'BEGIN { printf "%.2f", a / b }')"
printf 'ordinary p99 beside the heavy site / beside the light site: %s (what the heavy window itself costs others)\n' \
    "$(awk -v a="$BESIDE" -v b="$BESIDE_LIGHT" 'BEGIN { printf "%.2f", a / b }')"
printf 'heavy site p99: %s ms (target <= 50)\n' "$HEAVY"
printf 'cold first upload of the heavy site after a restart: status %s, %s s (target <= 1)\n' ${COLD}
