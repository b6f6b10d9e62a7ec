#!/usr/bin/env bash
# The agent's bandwidth probe against a known link: the service, its database and the agent run
# in a private network namespace whose loopback is shaped by tc-tbf to RATE (default 5 Mbit/s);
# the agent's down/up figures must land within 20 % of it. Needs root (ip netns, tc). Nothing
# leaves the namespace: it has no interface but its own loopback.
#
#   scripts/bench-agent-bandwidth.sh [RATE_KBIT]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RATE_KBIT=${1:-5000}
SECONDS_PER_DIRECTION=${BANDWIDTH_SECONDS:-8}
[ "$(id -u)" = 0 ] || { echo "bench-agent-bandwidth: needs root (ip netns, tc)" >&2; exit 1; }
command -v tc >/dev/null && command -v ip >/dev/null || { echo "bench-agent-bandwidth: needs iproute2" >&2; exit 1; }

NS="rdy-agent-bw-$$"
WORK="$(mktemp -d)"
chmod 755 "$WORK"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
    [ -d "$WORK/pg/pgdata" ] && ip netns exec "$NS" "$ROOT/scripts/dev-postgres.sh" stop "$WORK/pg" >/dev/null 2>&1 || true
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
in_ns() { ip netns exec "$NS" "$@"; }

cd "$ROOT"
swift build --product readiness >/dev/null
swift build --product readiness-agent >/dev/null
BIN="$(swift build --show-bin-path)"

ip netns add "$NS"
# MTU 1500 so each packet fits tbf's bucket; burst of ~4 packets keeps the cap honest.
in_ns ip link set lo up mtu 1500
in_ns tc qdisc add dev lo root tbf rate "${RATE_KBIT}kbit" burst 6000 latency 200ms

url=$(in_ns scripts/dev-postgres.sh start "$WORK/pg" --fast)
export DATABASE_URL="$url" READINESS_REFLECTOR_LISTEN=off READINESS_LOG_LEVEL=warning
in_ns "$BIN/readiness" migrate >/dev/null
admin=$(in_ns "$BIN/readiness" token create --scope admin --name bandwidth-bench 2>/dev/null)
in_ns "$BIN/readiness" serve --port 18181 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do in_ns curl -sf http://127.0.0.1:18181/healthz >/dev/null && break; sleep 0.1; done

api() { in_ns curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' "$@"; }
site=$(api -X POST http://127.0.0.1:18181/v1/sites -d '{"name": "bandwidth bench", "expected_users": 10}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
token=$(api -X POST "http://127.0.0.1:18181/v1/sites/$site/agents" -d '{"name": "bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

echo "agent: bandwidth against a ${RATE_KBIT} kbit/s tc-tbf cap, ${SECONDS_PER_DIRECTION} s per direction" >&2
in_ns env READINESS_AGENT_TOKEN="$token" "$BIN/readiness-agent" run --server http://127.0.0.1:18181 --dry-run --quiet \
    --spool "$WORK/spool" --latency-samples 5 --udp-timeout-max-s 0 --bandwidth-seconds "$SECONDS_PER_DIRECTION" >"$WORK/result.json"

python3 - "$WORK/result.json" "$RATE_KBIT" <<'PY'
import json, sys
bandwidth = json.load(open(sys.argv[1]))["bandwidth"]
cap = float(sys.argv[2])
ok = True
for key in ("down_kbps", "up_kbps"):
    value = bandwidth[key]
    ratio = value / cap
    within = 0.8 <= ratio <= 1.2
    ok &= within
    print(f"{key:10} {value:8.0f} kbps  cap {cap:.0f}  ratio {ratio:.2f}  {'ok' if within else 'OUT OF ±20 %'}")
sys.exit(0 if ok else 1)
PY
