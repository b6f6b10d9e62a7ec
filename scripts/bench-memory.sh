#!/usr/bin/env bash
# Resident memory of `readiness serve` before and after rounds of abusive uploads, and whether
# it is given back: issue 14 measured 35 MB before and 193 MB after, never returned.
#
# Usage: scripts/bench-memory.sh [rounds, default 5]
#
# Each round, PARALLEL clients at once each send: a 16 MiB JSON body (read whole, parsed,
# answered 422), a gzip bomb (64 KiB that inflates past 16 MiB: 413 once inflated), and a head
# announcing 20 MiB (413 before the body is read). Prints VmRSS before, right after, and
# SETTLE seconds after the last round.
#
# Env:   PORT (18095) PARALLEL (4) SETTLE (2)
#        SERVER_BIN to measure another build (default .build-release/release/readiness);
#        SKIP_BUILD=1 to skip the release build.
set -euo pipefail

ROUNDS="${1:-5}"
PORT="${PORT:-18095}"
PARALLEL="${PARALLEL:-4}"
SETTLE="${SETTLE:-2}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/bench/common.sh"
SERVER_BIN="${SERVER_BIN:-$ROOT/.build-release/release/readiness}"

if [ "${SKIP_BUILD:-0}" != 1 ] && [ "$SERVER_BIN" = "$ROOT/.build-release/release/readiness" ]; then
    echo "building release" >&2
    (cd "$ROOT" && swift build -c release --scratch-path .build-release --product readiness >&2)
fi

DATABASE_URL="$("$ROOT/scripts/dev-postgres.sh" start "$PG_DIR" --fast)"
READINESS_MIGRATIONS_DIR="$ROOT/migrations" READINESS_LOG_FILE="$WORK/server-log.log" DATABASE_URL="$DATABASE_URL" \
    READINESS_OPENAPI_PATH="$ROOT/openapi/openapi.yaml" \
    "$SERVER_BIN" serve --host 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=($SERVER_PID)
wait_for_port "$PORT"

# One site, one agent, its token (stored as its SHA-256).
TOKEN="rdy_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
psql -q "$DATABASE_URL" -v ON_ERROR_STOP=1 >/dev/null <<SQL
INSERT INTO sites (id, name) VALUES ('11111111-1111-4111-8111-111111111111', 'memory bench');
INSERT INTO agents (id, site_id, name) VALUES ('22222222-2222-4222-8222-222222222222', '11111111-1111-4111-8111-111111111111', 'bench');
INSERT INTO api_tokens (id, name, scope, site_id, agent_id, token_hash)
    VALUES (gen_random_uuid(), 'bench', 'agent', '11111111-1111-4111-8111-111111111111',
            '22222222-2222-4222-8222-222222222222', sha256(convert_to('$TOKEN', 'UTF8')));
SQL

rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

load() {
    python3 - "$PORT" "$TOKEN" "$1" "$PARALLEL" <<'PY'
import gzip, http.client, json, socket, sys, threading, uuid
port, token, rounds, parallel = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
auth = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
big = json.dumps({"schema": "probe-result/v1", "pad": "x" * (16 * 1024 * 1024 - 64)}).encode()
bomb = gzip.compress(b" " * (64 * 1024 * 1024), compresslevel=9)
statuses, lock = {}, threading.Lock()

def post(body, extra=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("POST", "/v1/results", body=body, headers={**auth, **(extra or {})})
    status = connection.getresponse().status
    connection.close()
    return status

def oversized():
    # A head announcing 20 MiB: answered 413 before any of the body is read.
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(f"POST /v1/results HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {20 * 1024 * 1024}\r\n\r\n".encode())
        reply = s.recv(4096).split(b" ")
        return int(reply[1]) if len(reply) > 1 else 0

def client():
    for work in (lambda: post(big), lambda: post(bomb, {"Content-Encoding": "gzip"}), oversized):
        status = work()
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

def small():
    run = str(uuid.uuid4())
    body = json.dumps({"schema": "probe-result/v1", "run_id": run}).encode()
    return post(body)

if rounds == 0:
    for _ in range(20): small()  # warm-up: ordinary (refused) uploads, caches filled
    sys.exit(0)
for _ in range(rounds):
    threads = [threading.Thread(target=client) for _ in range(parallel)]
    for t in threads: t.start()
    for t in threads: t.join()
print("answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())), file=sys.stderr)
PY
}

load 0
BEFORE="$(rss_mb)"
echo "== $ROUNDS rounds of $PARALLEL clients: 16 MiB body, gzip bomb, 20 MiB head" >&2
load "$ROUNDS"
AFTER="$(rss_mb)"
sleep "$SETTLE"
SETTLED="$(rss_mb)"
echo "RSS before: $BEFORE MB   right after: $AFTER MB   ${SETTLE} s later: $SETTLED MB"
