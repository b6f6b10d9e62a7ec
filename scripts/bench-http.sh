#!/usr/bin/env bash
# Compares our HTTP server with nginx on GET /healthz (same response bytes).
#
# Usage: scripts/bench-http.sh [duration per run, default 10s]
#        scripts/bench-http.sh --instructions [requests, default 20000]
#
# The first form runs wrk against both servers and prints req/s, p99, their ratio and each
# server's CPU time per request (user+system, steadier than req/s on a shared machine), twice:
#   headline: each as it ships. Ours is the release build `make run` builds (.build-release),
#             with a database (a private cluster), the default log level (one info line per
#             request) and the log written to a file; nginx with its default access log (the
#             combined format, written to a file).
#   variant:  logs off on both (ours --log-level warning, nginx access_log off).
# The second counts user-space instructions per request under valgrind's callgrind, with a
# fixed number of requests from a small client (no database), logs on as shipped and logs off:
# repeatable however busy the machine is.
#
# Env:   OURS_PORT (18080) NGINX_PORT (18081) WRK_THREADS (2) WRK_CONNECTIONS (64)
#        ROUNDS (3): runs per server, alternating which goes first; the medians are compared,
#        because on a shared machine one run of each is mostly a measure of the neighbours.
#        INSTRUCTION_CONNECTIONS (16): client connections for --instructions; CALLGRIND_KEEP
#        (a directory) keeps their profiles.
#        READINESS_BIN to benchmark another build of `readiness`; SKIP_BUILD=1 to skip the build.
#        PG_DIR (a temporary directory): the cluster's directory.
set -euo pipefail

MODE=throughput
if [ "${1:-}" = --instructions ]; then
    MODE=instructions
    shift
fi
DURATION="${1:-10s}"
REQUESTS="${1:-20000}"
OURS_PORT="${OURS_PORT:-18080}"
NGINX_PORT="${NGINX_PORT:-18081}"
THREADS="${WRK_THREADS:-2}"
CONNECTIONS="${WRK_CONNECTIONS:-64}"
ROUNDS="${ROUNDS:-3}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/bench/common.sh"

# Our listeners use SO_REUSEPORT, so a server already on the port (another checkout's `make
# run`, say) would silently take part of the load; refuse instead.
require_free_port() {
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
        echo "port $1 is already in use; set OURS_PORT / NGINX_PORT" >&2
        exit 1
    fi
}

# user+system CPU ticks of the given processes and all their threads.
cpu_ticks() {
    local total=0 pid stat fields
    for pid in "$@"; do
        for stat in /proc/"$pid"/task/*/stat; do
            read -ra fields <<<"$(sed 's/.*) //' "$stat" 2>/dev/null || echo)"
            [ ${#fields[@]} -gt 12 ] && total=$((total + fields[11] + fields[12]))
        done
    done
    echo "$total"
}

# Prints "<req/s> <p99> <CPU µs per request>" from one wrk run against port $1, with the CPU
# time of the processes in $2 (space-separated pids).
run_wrk() {
    local before after output
    # shellcheck disable=SC2086
    before="$(cpu_ticks $2)"
    output="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$1/healthz")"
    # shellcheck disable=SC2086
    after="$(cpu_ticks $2)"
    echo "$output" >&2
    awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
        /requests in/ { requests = $1 }
        /Requests\/sec/ { rps = $2 }
        $1 == "99%" { p99 = $2 }
        END { printf "%s %s %.2f\n", rps, p99, (requests > 0 ? ticks / hz * 1e6 / requests : 0) }' <<<"$output"
}

ours_binary() {
    if [ -n "${READINESS_BIN:-}" ]; then echo "$READINESS_BIN"; return; fi
    # The build `make run` runs (and `make test` checks).
    [ "${SKIP_BUILD:-0}" = 1 ] || (cd "$ROOT" && swift build -c release --scratch-path .build-release --product readiness >&2)
    echo "$ROOT/.build-release/release/readiness"
}

# --- instructions per request under callgrind -----------------------------------------------------

# A fixed number of keep-alive GET /healthz requests over a few connections, each sent when the
# previous response has arrived (as wrk does); reconnects when the server closes a connection.
write_driver() {
    cat >"$WORK/drive.py" <<'PY'
import selectors, socket, sys
port, total, conns = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port
selector = selectors.DefaultSelector()
unsent, answered, buffers = total, 0, {}

def open_and_send():
    global unsent
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffers[sock] = b""
    selector.register(sock, selectors.EVENT_READ)
    unsent -= 1
    sock.sendall(request)

for _ in range(min(conns, total)):
    open_and_send()
while answered < total:
    for key, _ in selector.select():
        sock = key.fileobj
        data = sock.recv(65536)
        if not data:
            sys.exit("connection closed before its response")
        buffer, closing = buffers[sock] + data, False
        while (end := buffer.find(b"\r\n\r\n")) >= 0:
            head = buffer[:end].lower()
            at = head.find(b"\r\ncontent-length:")
            stop = head.find(b"\r\n", at + 2)
            length = int(head[at + 17:stop if stop >= 0 else len(head)])
            if len(buffer) < end + 4 + length:
                break
            if not head.startswith(b"http/1.1 200"):
                sys.exit("unexpected response: %r" % head[:40])
            buffer = buffer[end + 4 + length:]
            answered += 1
            if b"\r\nconnection: close" in head:
                closing = True
            elif unsent > 0:
                unsent -= 1
                sock.sendall(request)
        buffers[sock] = buffer
        if closing:
            selector.unregister(sock)
            sock.close()
            del buffers[sock]
            if unsent > 0:
                open_and_send()
PY
}

# Valgrind 3.19 writes into the signal mask given to rt_sigsuspend, which libdispatch (our main
# thread's run loop) passes from read-only memory; valgrind then crashes. Preloaded, this hands
# the call a writable copy.
write_sigsuspend_shim() {
    cat >"$WORK/sigsuspend.c" <<'C'
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, 8);
}
C
    gcc -O2 -shared -fPIC -o "$WORK/sigsuspend.so" "$WORK/sigsuspend.c"
}

# Runs "$@" under callgrind on port $1 (shifted off): warm-up outside the count, then $REQUESTS
# requests counted; prints instructions per request.
count_instructions() {
    local port="$1" name="$2"
    shift 2
    LD_PRELOAD="$WORK/sigsuspend.so" valgrind --tool=callgrind --instr-atstart=no \
        --callgrind-out-file="$WORK/$name.callgrind" "$@" >"$WORK/$name.valgrind.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    for _ in $(seq 1 1200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.25
    done
    python3 "$WORK/drive.py" "$port" 2000 "$CONNECTIONS"
    callgrind_control --instr=on "$pid" >/dev/null 2>&1
    python3 "$WORK/drive.py" "$port" "$REQUESTS" "$CONNECTIONS"
    callgrind_control --instr=off "$pid" >/dev/null 2>&1
    # Dumped now (to $name.callgrind.1), so the count does not depend on how the server exits:
    # under valgrind nginx sometimes needs a second SIGTERM.
    callgrind_control --dump=measured "$pid" >/dev/null 2>&1
    for _ in $(seq 1 30); do
        kill -TERM "$pid" 2>/dev/null || break
        sleep 1
        kill -0 "$pid" 2>/dev/null || break
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    # CALLGRIND_KEEP=<dir> keeps the profiles, for callgrind_annotate --inclusive=yes.
    [ -n "${CALLGRIND_KEEP:-}" ] && mkdir -p "$CALLGRIND_KEEP" && cp "$WORK/$name.callgrind.1" "$CALLGRIND_KEEP/$name.callgrind"
    callgrind_annotate "$WORK/$name.callgrind.1" 2>/dev/null \
        | awk -v n="$REQUESTS" '/PROGRAM TOTALS/ { gsub(",", "", $1); printf "%.0f\n", $1 / n }'
}

if [ "$MODE" = instructions ]; then
    CONNECTIONS="${INSTRUCTION_CONNECTIONS:-16}"
    require_tools valgrind python3 nginx gcc
    require_free_port "$OURS_PORT"
    require_free_port "$NGINX_PORT"
    BINARY="$(ours_binary)"
    # Valgrind 3.19 cannot read the DWARF 5 the Swift toolchain writes; the symbol table is enough.
    strip --strip-debug -o "$WORK/readiness" "$BINARY"
    write_driver
    write_sigsuspend_shim
    # As shipped first (the default log level, the log to a file; nginx's default access log),
    # then logs off on both.
    OURS_ON="$(READINESS_LOG_FILE="$WORK/ours-cg.log" count_instructions "$OURS_PORT" ours-on "$WORK/readiness" \
        serve --host 127.0.0.1 --port "$OURS_PORT" --no-database)"
    OURS="$(count_instructions "$OURS_PORT" ours "$WORK/readiness" serve --host 127.0.0.1 --port "$OURS_PORT" \
        --no-database --log-level warning)"
    for logs in on off; do
        mkdir -p "$WORK/nginx-cg-$logs/logs"
        access_log="access_log $WORK/nginx-cg-$logs/logs/access.log;"
        [ "$logs" = off ] && access_log="access_log off;"
        cat >"$WORK/nginx-cg-$logs/nginx.conf" <<CONF
worker_processes 1;
master_process off;
daemon off;
pid $WORK/nginx-cg-$logs/nginx.pid;
error_log $WORK/nginx-cg-$logs/logs/error.log warn;
events { worker_connections 4096; }
http {
    $access_log
    keepalive_requests 1000;
    client_body_temp_path $WORK/nginx-cg-$logs/body;
    proxy_temp_path $WORK/nginx-cg-$logs/proxy;
    fastcgi_temp_path $WORK/nginx-cg-$logs/fastcgi;
    uwsgi_temp_path $WORK/nginx-cg-$logs/uwsgi;
    scgi_temp_path $WORK/nginx-cg-$logs/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location = /healthz { default_type application/json; return 200 '{"status":"ok"}'; }
    }
}
CONF
    done
    NGINX_ON="$(count_instructions "$NGINX_PORT" nginx-on "$(command -v nginx || echo /usr/sbin/nginx)" \
        -p "$WORK/nginx-cg-on" -c "$WORK/nginx-cg-on/nginx.conf")"
    NGINX="$(count_instructions "$NGINX_PORT" nginx "$(command -v nginx || echo /usr/sbin/nginx)" \
        -p "$WORK/nginx-cg-off" -c "$WORK/nginx-cg-off/nginx.conf")"
    printf '\n%-8s %18s %18s   (user-space instructions per request, %s requests, %s connections; no database)\n' \
        "server" "logs on (shipped)" "logs off" "$REQUESTS" "$CONNECTIONS"
    printf '%-8s %18s %18s\n' "ours" "$OURS_ON" "$OURS" "nginx" "$NGINX_ON" "$NGINX"
    awk -v a="$OURS_ON" -v b="$NGINX_ON" -v c="$OURS" -v d="$NGINX" 'BEGIN {
        if (b > 0) printf "ratio ours/nginx, logs on:  %.2f\n", a / b
        if (d > 0) printf "ratio ours/nginx, logs off: %.2f\n", c / d }'
    exit 0
fi

# --- throughput against nginx ---------------------------------------------------------------------

require_tools wrk nginx psql
require_free_port "$OURS_PORT"
require_free_port "$NGINX_PORT"

echo "building release" >&2
BINARY="$(ours_binary)"
DATABASE_URL="$("$ROOT/scripts/dev-postgres.sh" start "$PG_DIR")"
HEALTHZ='location = /healthz { default_type application/json; return 200 '"'"'{"status":"ok"}'"'"'; }'

# Ours as `make run` starts it, over the cluster; $1: "on" (the default log level) or "off".
# The log goes to a file either way (what is left of it with logs off: start and stop lines).
start_ours() {
    local level=()
    [ "$1" = off ] && level=(--log-level warning)
    DATABASE_URL="$DATABASE_URL" READINESS_MIGRATIONS_DIR="$ROOT/migrations" READINESS_LOG_FILE="$WORK/ours-$1.log" \
        "$BINARY" serve --host 127.0.0.1 --port "$OURS_PORT" "${level[@]}" >"$WORK/ours-$1.out" 2>&1 &
    OURS_PID=$!
    PIDS+=("$OURS_PID")
    wait_for_port "$OURS_PORT"
}

# Runs ROUNDS alternating wrk runs of both servers with logs $1 (on/off); sets the medians
# OURS_RPS NGINX_RPS OURS_CPU NGINX_CPU, the last p99s, and the lines each log file holds.
measure() {
    local logs="$1"
    start_ours "$logs"
    # nginx: same body and content type, and the same 1000 requests per connection as ours.
    NGINX_ACCESS_LOG="$logs" start_nginx "$NGINX_PORT" "$HEALTHZ" 1000
    local nginx_pids
    nginx_pids="$(cat "$WORK/nginx/nginx.pid") $(pgrep -P "$(cat "$WORK/nginx/nginx.pid")" | tr '\n' ' ')"
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
            pids="$OURS_PID"
            if [ "$server" = nginx ]; then
                port="$NGINX_PORT"
                pids="$nginx_pids"
            fi
            echo "== $server (port $port), logs $logs, round $round" >&2
            run_wrk "$port" "$pids" >>"$WORK/$server.txt"
        done
    done
    # Stopped before counting: ours writes what it still buffers on SIGTERM.
    stop_server "$OURS_PID"
    stop_server "$NGINX_PID"
    OURS_RPS="$(awk '{ print $1 }' "$WORK/ours.txt" | median)"
    NGINX_RPS="$(awk '{ print $1 }' "$WORK/nginx.txt" | median)"
    OURS_CPU="$(awk '{ print $3 }' "$WORK/ours.txt" | median)"
    NGINX_CPU="$(awk '{ print $3 }' "$WORK/nginx.txt" | median)"
    # p99 of the last run of each (wrk prints units, so a median would need parsing).
    OURS_P99="$(tail -n1 "$WORK/ours.txt" | awk '{ print $2 }')"
    NGINX_P99="$(tail -n1 "$WORK/nginx.txt" | awk '{ print $2 }')"
    OURS_LINES="$(wc -l <"$WORK/ours-$logs.log")"
    NGINX_LINES="$( [ -f "$WORK/nginx/logs/access.log" ] && wc -l <"$WORK/nginx/logs/access.log" || echo 0)"
    rm -f "$WORK/nginx/logs/access.log"
}

report() {
    printf '%-8s %12s %10s %14s %12s\n' "ours" "$OURS_RPS" "$OURS_P99" "$OURS_CPU" "$OURS_LINES"
    printf '%-8s %12s %10s %14s %12s\n' "nginx" "$NGINX_RPS" "$NGINX_P99" "$NGINX_CPU" "$NGINX_LINES"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

measure on
HEADLINE="$(report)"
RATIO_ON="$(ratio "$OURS_RPS" "$NGINX_RPS")"
measure off
VARIANT="$(report)"
RATIO_OFF="$(ratio "$OURS_RPS" "$NGINX_RPS")"

printf '\nGET /healthz, median of %s runs of %s, wrk -t%s -c%s\n' "$ROUNDS" "$DURATION" "$THREADS" "$CONNECTIONS"
printf '\nheadline, as shipped: ours with its database, log level info, log to a file; nginx with its access log to a file\n'
printf '%-8s %12s %10s %14s %12s\n' "server" "req/s" "p99" "CPU µs/req" "log lines"
echo "$HEADLINE"
printf '\nvariant, logs off: ours --log-level warning (database on), nginx access_log off\n'
printf '%-8s %12s %10s %14s %12s\n' "server" "req/s" "p99" "CPU µs/req" "log lines"
echo "$VARIANT"
printf '\nratio ours/nginx, logs on (as shipped): %s (target >= 1.0)\n' "$RATIO_ON"
printf 'ratio ours/nginx, logs off:            %s\n' "$RATIO_OFF"
