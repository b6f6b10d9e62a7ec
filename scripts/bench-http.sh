#!/usr/bin/env bash
# Compares our HTTP server with nginx on GET /healthz (same response bytes).
#
# Usage: scripts/bench-http.sh [duration per run, default 10s]
# Env:   OURS_PORT (18080) NGINX_PORT (18081) WRK_THREADS (2) WRK_CONNECTIONS (64)
#        ROUNDS (3): runs per server, alternating which goes first; the medians are compared,
#        because on a shared machine one run of each is mostly a measure of the neighbours.
#        SERVER_CMD to benchmark another binary (it must serve GET /healthz on $OURS_PORT);
#        SKIP_BUILD=1 to skip the release build.
set -euo pipefail

DURATION="${1:-10s}"
OURS_PORT="${OURS_PORT:-18080}"
NGINX_PORT="${NGINX_PORT:-18081}"
THREADS="${WRK_THREADS:-2}"
CONNECTIONS="${WRK_CONNECTIONS:-64}"
ROUNDS="${ROUNDS:-3}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/bench/common.sh"

# Prints "<req/s> <p99>" from wrk --latency output.
run_wrk() {
    local output
    output="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$1/healthz")"
    echo "$output" >&2
    local rps p99
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$output")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$output")"
    echo "$rps $p99"
}

require_tools wrk nginx

echo "building release" >&2
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$ROOT" && swift build -c release --scratch-path .build-release >&2)

# nginx: same body and content type, and the same 1000 requests per connection as ours.
start_nginx "$NGINX_PORT" 'location = /healthz { default_type application/json; return 200 '"'"'{"status":"ok"}'"'"'; }' 1000

SERVER_CMD="${SERVER_CMD:-$ROOT/.build-release/release/readiness serve --host 127.0.0.1 --port $OURS_PORT --no-database --log-level warning}"
$SERVER_CMD >"$WORK/ours.log" 2>&1 &
PIDS+=($!)

wait_for_port "$OURS_PORT"


# Warm-up (connection setup, page faults, lazy globals) is not measured.
wrk -t"$THREADS" -c"$CONNECTIONS" -d1s "http://127.0.0.1:$OURS_PORT/healthz" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d1s "http://127.0.0.1:$NGINX_PORT/healthz" >/dev/null
: >"$WORK/ours.txt"
: >"$WORK/nginx.txt"
for round in $(seq 1 "$ROUNDS"); do
    order=(ours nginx)
    [ $((round % 2)) = 0 ] && order=(nginx ours)
    for server in "${order[@]}"; do
        port="$OURS_PORT"
        [ "$server" = nginx ] && port="$NGINX_PORT"
        echo "== $server (port $port), round $round" >&2
        run_wrk "$port" >>"$WORK/$server.txt"
    done
done
OURS_RPS="$(awk '{ print $1 }' "$WORK/ours.txt" | median)"
NGINX_RPS="$(awk '{ print $1 }' "$WORK/nginx.txt" | median)"
# p99 of the last run of each (wrk prints units, so a median would need parsing).
OURS_P99="$(tail -n1 "$WORK/ours.txt" | awk '{ print $2 }')"
NGINX_P99="$(tail -n1 "$WORK/nginx.txt" | awk '{ print $2 }')"

RATIO="$(awk -v a="$OURS_RPS" -v b="$NGINX_RPS" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
printf '\n%-8s %12s %10s   (median of %s runs)\n' "server" "req/s" "p99" "$ROUNDS"
printf '%-8s %12s %10s\n' "ours" "$OURS_RPS" "$OURS_P99"
printf '%-8s %12s %10s\n' "nginx" "$NGINX_RPS" "$NGINX_P99"
printf 'ratio ours/nginx: %s\n' "$RATIO"
