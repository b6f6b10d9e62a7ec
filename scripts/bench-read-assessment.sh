#!/usr/bin/env bash
# GET /v1/sites/{id}/assessment against nginx serving a static file of the same size, same run.
#
# 1. A private PostgreSQL cluster, migrated by our release server, run as `make run` builds and
#    starts it (the default log level, a line per request, the log to a file).
# 2. SITES sites with one agent each; every agent uploads a few results through the API so each
#    site has a real stored assessment (~10 KB).
# 3. wrk: our GET (a read token, cycling over the sites, or one site with ONE_SITE=1), then nginx
#    on the same bytes with its default access log to a file; req/s, p99 and the ratio (target >= 0.5).
#
# Usage: scripts/bench-read-assessment.sh [duration, default 10s]
# Env:   PORT (18190) NGINX_PORT (18191) SITES (50) ONE_SITE (0) WRK_THREADS (2)
#        WRK_CONNECTIONS (64) READINESS_DB_MAX_CONNECTIONS (10) PG_DIR (temporary) SKIP_BUILD=1
#        SCRATCH (.build-release, as `make run`) KEEP=1 (leave server + nginx running until $WORK/keep is removed,
#        for perf or callgrind)
set -euo pipefail

DURATION="${1:-10s}"
PORT="${PORT:-18190}"
NGINX_PORT="${NGINX_PORT:-18191}"
SITES="${SITES:-50}"
THREADS="${WRK_THREADS:-2}"
CONNECTIONS="${WRK_CONNECTIONS:-64}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/bench/common.sh"
SCRATCH="${SCRATCH:-.build-release}"

require_tools wrk nginx

# Release only: a debug build says nothing about the target.
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "building release" >&2
    (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product readiness >&2)
fi
BIN="$ROOT/$SCRATCH/release/readiness"

DATABASE_URL="$("$ROOT/scripts/dev-postgres.sh" start "$PG_DIR")"
READINESS_MIGRATIONS_DIR="$ROOT/migrations" READINESS_LOG_FILE="$WORK/server-log.log" \
    READINESS_DB_MAX_CONNECTIONS="${READINESS_DB_MAX_CONNECTIONS:-10}" \
    DATABASE_URL="$DATABASE_URL" READINESS_OPENAPI_PATH="$ROOT/openapi/openapi.yaml" \
    "$BIN" serve --host 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_for_port "$PORT"

# Sites, agents and tokens straight into the database (tokens are stored as their SHA-256).
for _ in $(seq 1 "$SITES"); do new_token; done >"$WORK/tokens.txt"
READ_TOKEN="$(new_token)"
{ agent_tokens_sql "$WORK/tokens.txt"; cat <<SQL
INSERT INTO api_tokens (id, name, scope, token_hash)
    VALUES (gen_random_uuid(), 'bench-read', 'read', sha256(convert_to('$READ_TOKEN', 'UTF8')));
\copy (SELECT b.token || ' ' || b.site FROM bench_ids b ORDER BY n) TO '$WORK/pairs.txt'
SQL
} | psql -q "$DATABASE_URL" -v ON_ERROR_STOP=1 >/dev/null

# Three uploads per site through the API, so the stored assessments are the real thing.
STARTED="$(date -u -d '-5 min' +%Y-%m-%dT%H:%M:%SZ)"
FINISHED="$(date -u -d '-4 min' +%Y-%m-%dT%H:%M:%SZ)"
REACH="$(for i in $(seq -w 1 24); do printf '{"protocol":"tcp","host":"edge-%s.app.sococo.com","port":443,"reachable":true,"connect_ms":2%s.5},' "$i" "${i#0}"; done)"
while read -r token site; do
    for _ in 1 2 3; do
        run="$(cat /proc/sys/kernel/random/uuid)"
        body='{"schema":"probe-result/v1","run_id":"'$run'","agent":{"version":"1.0.0","os":"linux","hostname":"bench"},'
        body+='"started_at":"'$STARTED'","finished_at":"'$FINISHED'",'
        body+='"network":{"interface":"wired","proxy":{"present":false,"kind":"none","in_media_path":false},"vpn":{"present":false,"tunnel":"none","media_excluded":false}},'
        body+='"reachability":['$REACH'{"protocol":"udp","host":"media.chime.aws","port":3478,"reachable":true,"connect_ms":19.0}],'
        body+='"gateway":[{"kind":"websocket","host":"app.sococo.com","allowed":true,"via_proxy":false,"status":101}],'
        body+='"udp_timeout":{"lower_bound_s":3600,"probe_max_s":3600},'
        body+='"latency":[{"host":"media.chime.aws","protocol":"udp","samples":50,"rtt_ms":{"min":18.2,"p50":21.0,"p95":35.5,"max":60.1},"jitter_ms":2.4,"loss_pct":0.0}],'
        body+='"bandwidth":{"down_kbps":94000,"up_kbps":38000}}'
        curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            --data-binary "$body" "http://127.0.0.1:$PORT/v1/results"
    done
done <"$WORK/pairs.txt"

FIRST_SITE="$(awk 'NR == 1 { print $2 }' "$WORK/pairs.txt")"
if [ "${ONE_SITE:-0}" = 1 ]; then awk 'NR == 1 { print $2 }' "$WORK/pairs.txt"; else awk '{ print $2 }' "$WORK/pairs.txt"; fi >"$WORK/sites.txt"
curl -sf -H "Authorization: Bearer $READ_TOKEN" "http://127.0.0.1:$PORT/v1/sites/$FIRST_SITE/assessment" >"$WORK/assessment.json"
SIZE="$(wc -c <"$WORK/assessment.json")"

# wrk cycles over the sites; every request is a full 200 (no If-None-Match).
cat >"$WORK/read.lua" <<LUA
local token = "$READ_TOKEN"
local paths = {}
for site in io.lines("$WORK/sites.txt") do paths[#paths + 1] = "/v1/sites/" .. site .. "/assessment" end
local requests = {}
for i, path in ipairs(paths) do
    -- Formatted once at load time, before wrk sets its default Host: name it here.
    requests[i] = wrk.format("GET", path, { ["Host"] = "127.0.0.1:$PORT", ["Authorization"] = "Bearer " .. token })
end
local n = 0
function request()
    n = n + 1
    return requests[(n % #requests) + 1]
end
LUA

mkdir -p "$WORK/nginx/root"
cp "$WORK/assessment.json" "$WORK/nginx/root/assessment.json"
start_nginx "$NGINX_PORT" 'root '"$WORK"'/nginx/root; default_type application/json;'

if [ "${KEEP:-0}" = 1 ]; then
    touch "$WORK/keep"
    echo "server pid $SERVER_PID on :$PORT; wrk script $WORK/read.lua; rm $WORK/keep to go on" >&2
    while [ -e "$WORK/keep" ]; do sleep 1; done
fi

wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$WORK/read.lua" "http://127.0.0.1:$PORT" >/dev/null  # warm-up
echo "== GET assessment (ours)" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/read.lua" "http://127.0.0.1:$PORT" | tee "$WORK/get.txt" >&2
echo "== GET static (nginx)" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$NGINX_PORT/assessment.json" | tee "$WORK/nginx.txt" >&2

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
GET_RPS="$(awk '/Requests\/sec/ { print $2 }' "$WORK/get.txt")"
GET_P99="$(field 99% <"$WORK/get.txt")"
GET_ERRORS="$(awk '/Non-2xx/ { print $5 }' "$WORK/get.txt")"
NGINX_RPS="$(awk '/Requests\/sec/ { print $2 }' "$WORK/nginx.txt")"
NGINX_P99="$(field 99% <"$WORK/nginx.txt")"
printf '\n%-40s %12s %10s\n' "measurement" "req/s" "p99"
printf '%-40s %12s %10s\n' "GET assessment ($SIZE B, $(wc -l <"$WORK/sites.txt") sites)" "$GET_RPS" "$GET_P99"
printf '%-40s %12s %10s\n' "nginx static, same bytes" "$NGINX_RPS" "$NGINX_P99"
printf 'GET assessment / nginx: %s (target >= 0.5)   non-2xx: %s   load before: %s\n' \
    "$(ratio "$GET_RPS" "$NGINX_RPS")" "${GET_ERRORS:-0}" "$(cut -d' ' -f1-3 /proc/loadavg)"
