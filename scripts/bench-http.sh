#!/usr/bin/env bash
# Compares our HTTP server with nginx on GET /healthz (same response bytes).
#
# Usage: scripts/bench-http.sh [duration, default 10s]
# Env:   OURS_PORT (18080) NGINX_PORT (18081) WRK_THREADS (2) WRK_CONNECTIONS (64)
#        SERVER_CMD to benchmark another binary (it must serve GET /healthz on $OURS_PORT);
#        SKIP_BUILD=1 to skip the release build.
set -euo pipefail

DURATION="${1:-10s}"
OURS_PORT="${OURS_PORT:-18080}"
NGINX_PORT="${NGINX_PORT:-18081}"
THREADS="${WRK_THREADS:-2}"
CONNECTIONS="${WRK_CONNECTIONS:-64}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

install_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    [ ${#missing[@]} -eq 0 ] && return
    echo "installing ${missing[*]}" >&2
    apt-get install -y "${missing[@]}" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
}

wait_for_port() {
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "nothing listening on port $1" >&2
    return 1
}

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

install_tools
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

echo "building release" >&2
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$ROOT" && swift build -c release --scratch-path .build-release >&2)

# nginx: same body and content type; access log off, as ours logs below its level.
mkdir -p "$WORK/nginx/logs"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location = /healthz {
            default_type application/json;
            return 200 '{"status":"ok"}';
        }
    }
}
CONF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)

SERVER_CMD="${SERVER_CMD:-$ROOT/.build-release/release/readiness serve --host 127.0.0.1 --port $OURS_PORT --no-database}"
$SERVER_CMD >"$WORK/ours.log" 2>&1 &
PIDS+=($!)

wait_for_port "$NGINX_PORT"
wait_for_port "$OURS_PORT"

echo "== ours (port $OURS_PORT)" >&2
read -r OURS_RPS OURS_P99 < <(run_wrk "$OURS_PORT")
echo "== nginx (port $NGINX_PORT)" >&2
read -r NGINX_RPS NGINX_P99 < <(run_wrk "$NGINX_PORT")

RATIO="$(awk -v a="$OURS_RPS" -v b="$NGINX_RPS" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
printf '\n%-8s %12s %10s\n' "server" "req/s" "p99"
printf '%-8s %12s %10s\n' "ours" "$OURS_RPS" "$OURS_P99"
printf '%-8s %12s %10s\n' "nginx" "$NGINX_RPS" "$NGINX_P99"
printf 'ratio ours/nginx: %s\n' "$RATIO"
