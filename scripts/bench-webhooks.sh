#!/usr/bin/env bash
# `make bench-webhooks`: 10,000 sites change verdict at once and every event reaches a receiver;
# then ingest with and without a subscription active (issue 16).
#
# 1. A durable private PostgreSQL cluster; our release server as `make run` starts it (the
#    default log level, the log to a file), with READINESS_WEBHOOK_ALLOW_PRIVATE=true (the
#    receiver is on loopback) and the upload budgets raised, as bench-api does.
# 2. The receiver: nginx answering every POST 204 at once (`return 204`), its access log
#    recording each request's arrival time (msec) and webhook-id. A fast receiver, so the
#    figure is the sender's.
# 3. SITES (10,000) sites, each with an agent: a first result each (21 ms round trips:
#    optimal) with no subscription; then one `standard` subscription to site.verdict_changed
#    (made through POST /v1/webhooks); then one result each at once (500 ms: not_ready), every
#    site flipping. Printed: the ingest rate of that burst, the delivered events/s, the time
#    until the last of the SITES events arrived, and the anchor: the same receiver's rate for
#    the same requests from `wrk` (what the loopback and nginx allow).
# 4. Ingest as bench-api measures it (scripts/bench/ingest.lua, 64 connections) with the
#    subscription (now to every event type) off and on: one run per workload cut in PHASES
#    phases of PHASE_SECONDS, switched in ABBA order (off on on off ...), so that both sides
#    see the same machine seconds apart (see phased_run). Printed per phase (stderr): its
#    results/s, events and CPU per result; then the median of the adjacent pairs' own ratios
#    with a 90 % bootstrap interval (the issue: at most a 5 % drop), the ratio of the means,
#    events per result, and the service's and PostgreSQL's CPU per stored result per side
#    (from /proc, by kind of process). Twice: a steady network over INGEST_SITES sites
#    (BENCH_STEADY=1: results that change nothing, so what the outbox costs the hot path),
#    and ingest.lua's random measurements over all SITES sites (about every other result
#    changes something; those events are delivered on the same cores while ingest runs).
#
# Usage: scripts/bench-webhooks.sh [seconds per phase, default 5]
# Env:   SITES (10000) INGEST_SITES (200) PHASES (40, whole ABBA blocks of 4) SKIP_S (0.25: the
#        start of each phase left out of its count) PORT (18094) RECEIVER_PORT (18095)
#        WRK_THREADS (2) WRK_CONNECTIONS (64) PG_DIR (a temporary directory) SKIP_BUILD=1
set -euo pipefail

SITES="${SITES:-10000}"
PORT="${PORT:-18094}"
RECEIVER_PORT="${RECEIVER_PORT:-18095}"
THREADS="${WRK_THREADS:-2}"
CONNECTIONS="${WRK_CONNECTIONS:-64}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/bench/common.sh"

require_tools wrk nginx curl

echo "building release" >&2
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$ROOT" && swift build -c release --scratch-path .build-release --product readiness >&2)

DATABASE_URL="$("$ROOT/scripts/dev-postgres.sh" start "$PG_DIR")"
sql() { psql -qAt "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "$1"; }
now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# --- receiver ------------------------------------------------------------------------------------
NGINX_LOG_FORMAT='$msec $status $http_webhook_id' start_nginx "$RECEIVER_PORT" 'location /hook { return 204; }'
RECEIVED="$WORK/nginx/logs/access.log"
# Distinct webhook-ids received, and the first and last arrival (Unix seconds, ms).
received_ids() { awk '$3 != "-" { print $3 }' "$RECEIVED" | sort -u | wc -l; }

# --- server --------------------------------------------------------------------------------------
READINESS_RATE_UPLOADS_PER_INTERVAL=100000 READINESS_RATE_REQUESTS_PER_S=1000 READINESS_RATE_REQUEST_BURST=20000 \
READINESS_WEBHOOK_ALLOW_PRIVATE=true \
READINESS_MIGRATIONS_DIR="$ROOT/migrations" READINESS_LOG_FILE="$WORK/server-log.log" READINESS_DB_MAX_CONNECTIONS=16 \
    DATABASE_URL="$DATABASE_URL" READINESS_OPENAPI_PATH="$ROOT/openapi/openapi.yaml" \
    "$ROOT/.build-release/release/readiness" serve --host 127.0.0.1 --port "$PORT" >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=($SERVER_PID)
wait_for_port "$PORT"

echo "seeding $SITES sites, agents and tokens" >&2
# Tokens as new_token makes them (rdy_ + 32 random bytes, base64url), made in one process:
# 10,000 new_token calls take minutes of subprocesses.
python3 - "$SITES" "$WORK/tokens.txt" <<'PY'
import base64, os, sys
with open(sys.argv[2], "w") as out:
    for _ in range(int(sys.argv[1])):
        out.write("rdy_" + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=") + "\n")
PY
{
    echo "TOKENS = {"
    sed 's/.*/  "&",/' "$WORK/tokens.txt"
    echo "}"
    echo "FIRST_STARTED_AT = $(date -u -d '-15 min' +%s)"
} >"$WORK/tokens.lua"
agent_tokens_sql "$WORK/tokens.txt" | psql -q "$DATABASE_URL" -v ON_ERROR_STOP=1 >/dev/null
ADMIN_TOKEN="$(new_token)"
sql "INSERT INTO api_tokens (id, name, scope, token_hash) VALUES (gen_random_uuid(), 'bench-admin', 'admin', sha256(convert_to('$ADMIN_TOKEN', 'UTF8')))"
export BENCH_TOKENS_LUA="$WORK/tokens.lua" BENCH_THREADS="$THREADS"
nonce() { head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
stored() { sql 'SELECT count(*) FROM results'; }

# One result per site at once (scripts/bench/flip.lua); returns when all are stored, or when
# the count stopped growing for 10 s (then fewer are, and the figures say so).
upload_round() {  # $1: round trip ms, $2: started_at (Unix seconds)
    local target=$(($(stored) + SITES)) last=-1 still=0 count
    BENCH_RUN_NONCE="$(nonce)" BENCH_RTT="$1" BENCH_STARTED_AT="$2" \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d600s -s "$ROOT/scripts/bench/flip.lua" "http://127.0.0.1:$PORT" >"$WORK/flip.txt" 2>&1 &
    local wrk_pid=$!
    PIDS+=($wrk_pid)
    while true; do
        count="$(stored)"
        [ "$count" -ge "$target" ] && break
        if [ "$count" = "$last" ]; then still=$((still + 1)); else still=0; last="$count"; fi
        [ "$still" -ge 50 ] && { echo "uploads stalled at $count of $target stored" >&2; break; }
        sleep 0.2
    done
    kill -INT "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" 2>/dev/null || true
}

echo "== first result of every site (optimal), no subscription" >&2
upload_round 21 "$(date -u -d '-40 min' +%s)"
sql "SELECT verdict || ': ' || count(*) FROM site_assessments GROUP BY verdict" | sed 's/^/  /' >&2

curl -sf -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook\",\"event_types\":[\"site.verdict_changed\"],\"format\":\"standard\"}" \
    "http://127.0.0.1:$PORT/v1/webhooks" >"$WORK/webhook.json"
WEBHOOK_ID="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["webhook"]["id"])' "$WORK/webhook.json")"

echo "== every site flips to not_ready at once; one standard subscription to site.verdict_changed" >&2
FLIP_STARTED="$(now)"
BURST_FROM="$(sql 'SELECT now()')"
upload_round 500 "$(date -u -d '-30 min' +%s)"
INGESTED_AT="$(now)"
EVENTS="$(sql "SELECT count(*) FROM webhook_events WHERE webhook_id = '$WEBHOOK_ID'")"
echo "  $EVENTS events enqueued; waiting for the receiver" >&2
for _ in $(seq 1 3000); do
    [ "$(received_ids)" -ge "$EVENTS" ] && break
    sleep 0.2
done
DELIVERED_AT="$(now)"
BURST_STORED="$(sql "SELECT count(*) FROM results WHERE received_at >= '$BURST_FROM'")"
BURST_SPAN="$(sql "SELECT EXTRACT(EPOCH FROM max(received_at) - min(received_at)) FROM results WHERE received_at >= '$BURST_FROM'")"
BURST_RATE="$(awk -v n="$BURST_STORED" -v s="$BURST_SPAN" 'BEGIN { if (s > 0) printf "%.0f", (n - 1) / s; else print "n/a" }')"
ARRIVALS="$(awk '$3 != "-" { print $1 }' "$RECEIVED" | sort -g | sed -n '1p;$p' | tr '\n' ' ')"
FIRST_ARRIVAL="${ARRIVALS%% *}"; LAST_ARRIVAL="$(echo "$ARRIVALS" | awk '{ print $2 }')"
RECEIVED_IDS="$(received_ids)"
RECEIVED_REQUESTS="$(awk '$3 != "-"' "$RECEIVED" | wc -l)"
DELIVERY_RATE="$(awk -v n="$RECEIVED_IDS" -v a="$FIRST_ARRIVAL" -v b="$LAST_ARRIVAL" 'BEGIN { if (b > a) printf "%.0f", (n - 1) / (b - a); else print "n/a" }')"
ALL_ARRIVED_S="$(awk -v a="$FLIP_STARTED" -v b="$LAST_ARRIVAL" 'BEGIN { printf "%.1f", b - a }')"
AFTER_INGEST_S="$(awk -v a="$INGESTED_AT" -v b="$LAST_ARRIVAL" 'BEGIN { printf "%.1f", b - a }')"
sql "SELECT state || ': ' || count(*) FROM webhook_events GROUP BY state" | sed 's/^/  outbox /' >&2
echo "  burst: $BURST_STORED results at $BURST_RATE/s; $RECEIVED_IDS of $EVENTS events received at $DELIVERY_RATE/s, the last ${ALL_ARRIVED_S} s after the first upload" >&2

# The anchor: the same receiver, the same kind of request (a signed ~1.7 KB body, on kept-alive
# connections as the worker sends them), from wrk over 8 connections.
python3 - "$WORK" <<'PY'
import json, sys
body = json.dumps({"type": "site.verdict_changed", "timestamp": "2026-12-05T00:00:00.000Z", "data": {"pad": "x" * 1600}})
open(sys.argv[1] + "/anchor.lua", "w").write(
    'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n'
    'wrk.headers["webhook-id"] = "-"\n' % json.dumps(body))
PY
wrk -t2 -c8 -d5s -s "$WORK/anchor.lua" "http://127.0.0.1:$RECEIVER_PORT/hook" >"$WORK/anchor.txt" 2>&1
ANCHOR_RPS="$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$WORK/anchor.txt")"

# --- ingest with and without the subscription, interleaved ----------------------------------------
drain() {
    for _ in $(seq 1 3000); do
        [ "$(sql "SELECT count(*) FROM webhook_events WHERE state = 'pending'")" = 0 ] && return
        sleep 0.2
    done
    echo "the outbox did not drain" >&2
}
# CPU clock ticks so far of the service and of every process of the PostgreSQL cluster, one
# "pid ticks kind" line each (kind: service, backend, autovacuum, or background for the
# postmaster and PostgreSQL's other processes).
cluster_ticks() {
    python3 - "$SERVER_PID" "$(head -n 1 "$PG_DIR/pgdata/postmaster.pid")" <<'PY'
import os, sys
server, postmaster = sys.argv[1], sys.argv[2]
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        stat = open(f"/proc/{pid}/stat").read()
        title = open(f"/proc/{pid}/cmdline").read().replace("\0", " ")
    except OSError:
        continue
    fields = stat[stat.rindex(")") + 2:].split()  # from field 3 (state): ppid is 4, utime 14, stime 15
    if pid not in (server, postmaster) and fields[1] != postmaster:
        continue
    kind = ("service" if pid == server else "autovacuum" if "autovacuum worker" in title
            else "backend" if "127.0.0.1(" in title else "background")
    print(pid, int(fields[11]) + int(fields[12]), kind)
PY
}
set_subscription() { sql "UPDATE webhooks SET enabled = $1 WHERE id = '$WEBHOOK_ID'"; }
# A warm-up: one run of ingest.lua with the subscription off, nothing measured.
warm_up() {  # $1: 1 for a steady network, $2: the tokens file, $3: duration
    set_subscription false
    BENCH_STEADY="$1" BENCH_TOKENS_LUA="$2" BENCH_RUN_NONCE="$(nonce)" \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" -s "$ROOT/scripts/bench/ingest.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1
    set_subscription true
}
# One run of ingest.lua through PHASES phases of PHASE_SECONDS, the subscription switched off
# and on between them in ABBA order (off on on off, off on on off, ...). Writes one line per
# phase to $3: side, start and end (Unix seconds), and the files of its CPU ticks at start and
# end. Why one run cut in phases rather than runs of their own: on this shared machine the
# rate of a 20 s run moves by 15-30 % from one run to the next, a slow drift and bursts
# alike; phases seconds apart, in an order that gives each side the earlier and the later
# place equally, see the same machine, and many of them average the bursts out. A phase's
# events are delivered within it (the worker's pause is 200 ms); those pending when the
# subscription goes off wait for its next phase on, so the delivery is paid for on that side.
phased_run() {  # $1: 1 for a steady network, $2: the tokens file, $3: the phases file
    local side start i
    drain
    sql "CHECKPOINT"
    # Longer than the phases will take (each adds its switch and two /proc reads); stopped after the last.
    BENCH_STEADY="$1" BENCH_TOKENS_LUA="$2" BENCH_RUN_NONCE="$(nonce)" \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((2 * PHASES * PHASE_SECONDS + 60))s" -s "$ROOT/scripts/bench/ingest.lua" \
        "http://127.0.0.1:$PORT" >"$WORK/ingest.txt" 2>&1 &
    local wrk_pid=$!
    PIDS+=($wrk_pid)
    sleep 2  # wrk's connections are open and busy before the first phase
    : >"$3"
    for i in $(seq 0 $((PHASES - 1))); do
        case $((i % 4)) in 0 | 3) side=off ;; *) side=on ;; esac
        set_subscription "$([ "$side" = on ] && echo true || echo false)"
        start="$(now)"
        cluster_ticks >"$3.ticks-$i-start"
        sleep "$PHASE_SECONDS"
        cluster_ticks >"$3.ticks-$i-end"
        echo "$side $start $(now) $3.ticks-$i-start $3.ticks-$i-end" >>"$3"
    done
    kill -INT "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" 2>/dev/null || true
    set_subscription true
}
# Counts each phase's stored results and the events written meanwhile (by received_at and the
# event's created_at, from SKIP_S after its start: the switch and the commits under way as it
# happened) and appends them to its line.
count_phases() {  # $1: the phases file
    local side start end ticks_start ticks_end
    while read -r side start end ticks_start ticks_end; do
        echo "$side $start $end $ticks_start $ticks_end" \
            "$(sql "SELECT count(*) FROM results WHERE received_at >= to_timestamp($start + $SKIP_S) AND received_at < to_timestamp($end)")" \
            "$(sql "SELECT count(*) FROM webhook_events WHERE webhook_id = '$WEBHOOK_ID' AND created_at >= to_timestamp($start + $SKIP_S) AND created_at < to_timestamp($end)")"
    done <"$1" >"$1.counted"
}
# The figures of one phased run: per phase to stderr; then the rates' means per side, the
# median of the adjacent pairs' own ratios (off-on and on-off: each pair is seconds apart) with
# a 90 % bootstrap interval of that median (fixed seed: the same input prints the same
# interval), events per result, and the service's and PostgreSQL's CPU per stored result per
# side, by kind of process.
phase_figures() {  # $1: the counted phases file, $2: the label
    python3 - "$1" "$2" "$SKIP_S" "$(getconf CLK_TCK)" <<'PY'
import random, statistics, sys
path, label, skip, hz = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
def ticks(path):
    out = {}
    for line in open(path):
        pid, spent, kind = line.split()
        out[pid] = (int(spent), kind)
    return out
phases = []
for line in open(path):
    side, start, end, t0, t1, results, events = line.split()
    seconds = float(end) - float(start) - skip
    before, after = ticks(t0), ticks(t1)
    cpu = {}
    for pid, (spent, kind) in after.items():
        cpu[kind] = cpu.get(kind, 0) + spent - before.get(pid, (0, kind))[0]
    phases.append(dict(side=side, rate=int(results) / seconds, results=int(results), events=int(events), cpu=cpu))
for number, p in enumerate(phases, 1):
    cpu = sum(p["cpu"].values()) * 1000 / hz / p["results"] if p["results"] else float("nan")
    print(f"    {label} phase {number:2} {p['side']:>3}: {p['rate']:6.0f} results/s, {p['events']:5} events, {cpu:.3f} ms CPU a result", file=sys.stderr)
pairs = []
for a, b in zip(phases[0::2], phases[1::2]):
    on, off = (a, b) if a["side"] == "on" else (b, a)
    if off["rate"] > 0 and on["rate"] > 0:
        pairs.append(on["rate"] / off["rate"])
    else:
        print(f"  a pair with a phase of no results left out (wrk stopped early?)", file=sys.stderr)
rng = random.Random(16)
medians = sorted(statistics.median(rng.choices(pairs, k=len(pairs))) for _ in range(2000))
sides = {s: [p for p in phases if p["side"] == s] for s in ("off", "on")}
mean_rate = {s: statistics.mean(p["rate"] for p in ps) for s, ps in sides.items()}
def cpu_text(ps):
    results = sum(p["results"] for p in ps)
    by = {}
    for p in ps:
        for kind, spent in p["cpu"].items():
            by[kind] = by.get(kind, 0) + spent
    ms = lambda spent: spent * 1000 / hz / results
    total = ms(sum(by.values()))
    parts = ", ".join(f"{kind} {ms(by.get(kind, 0)):.3f}" for kind in ("service", "backend", "autovacuum", "background"))
    return total, f"{total:.3f} ({parts})"
cpu_off, text_off = cpu_text(sides["off"])
cpu_on, text_on = cpu_text(sides["on"])
on_results = sum(p["results"] for p in sides["on"])
on_events = sum(p["events"] for p in sides["on"])
print(f"  results/s, mean of {len(sides['off'])} phases each: no subscription {mean_rate['off']:.0f}; one subscription {mean_rate['on']:.0f}")
print(f"  with a subscription / without: median of {len(pairs)} adjacent pairs' ratios {statistics.median(pairs):.3f} "
      f"(90 % bootstrap interval {medians[100]:.3f}-{medians[1899]:.3f}; target >= 0.95); ratio of the means {mean_rate['on'] / mean_rate['off']:.3f}")
print(f"  pairs: {' '.join(f'{p:.2f}' for p in pairs)}")
print(f"  {on_events} events while on, {on_events / on_results if on_results else 0:.2f} per result")
print(f"  CPU per stored result, ms (service and PostgreSQL, the phases' own): no subscription {text_off}; one subscription {text_on}; "
      f"without / with {cpu_off / cpu_on:.3f} (below 1: what the subscription costs)")
PY
}
PHASE_SECONDS="${1:-5}"
PHASES="${PHASES:-40}"
[ $((PHASES % 4)) = 0 ] || { PHASES=$(((PHASES / 4 + 1) * 4)); echo "PHASES rounded up to $PHASES (whole ABBA blocks)" >&2; }
SKIP_S="${SKIP_S:-0.25}"
sql "UPDATE webhooks SET event_types = ARRAY['site.verdict_changed','site.finding_appeared','site.finding_cleared','site.stale','site.fresh'] WHERE id = '$WEBHOOK_ID'"
# bench-api's shape: INGEST_SITES (200) of the sites, each uploading many results a run.
{
    echo "TOKENS = {"
    head -n "${INGEST_SITES:-200}" "$WORK/tokens.txt" | sed 's/.*/  "&",/'
    echo "}"
    echo "FIRST_STARTED_AT = $(date -u -d '-15 min' +%s)"
} >"$WORK/tokens-ingest.lua"
drain
# Two workloads: a steady network over INGEST_SITES sites (results that change nothing: what
# the outbox costs the hot path) and ingest.lua's random measurements over all SITES sites (a
# site gets a result or two a minute, and about every other result changes a finding or the
# verdict; those events are delivered on the same cores meanwhile). Each is warmed up first
# with the subscription off: on the steady network the sites settle on its verdict; on the
# random one most sites take its results before the phases (a site's first results there
# change many of its findings).
warm_up 1 "$WORK/tokens-ingest.lua" 10s
echo "== ingest, steady network: $PHASES phases of ${PHASE_SECONDS}s, the subscription off and on in turn" >&2
phased_run 1 "$WORK/tokens-ingest.lua" "$WORK/phases-steady"
warm_up 0 "$WORK/tokens.lua" 40s
echo "== ingest, random network: $PHASES phases of ${PHASE_SECONDS}s, the subscription off and on in turn" >&2
phased_run 0 "$WORK/tokens.lua" "$WORK/phases-random"
for mode in steady random; do count_phases "$WORK/phases-$mode"; done
drain
FAILED="$(sql "SELECT count(*) FROM webhook_events WHERE state <> 'delivered'")"

printf '\n%-58s %12s\n' "measurement" "figure"
printf '%-58s %12s\n' "burst: results stored (one per site, every verdict flips)" "$BURST_STORED"
printf '%-58s %12s\n' "burst: ingest, results/s (received_at span)" "$BURST_RATE"
printf '%-58s %12s\n' "burst: events enqueued / distinct webhook-ids received" "$EVENTS / $RECEIVED_IDS"
printf '%-58s %12s\n' "burst: requests received (duplicates: retries)" "$RECEIVED_REQUESTS"
printf '%-58s %12s\n' "burst: delivered events/s (first to last arrival)" "$DELIVERY_RATE"
printf '%-58s %12s\n' "anchor: nginx, same requests from wrk, 8 conns (req/s)" "$ANCHOR_RPS"
printf '%-58s %12s\n' "burst: seconds from the first upload to the last arrival" "$ALL_ARRIVED_S"
printf '%-58s %12s\n' "burst: seconds from the last upload stored to it" "$AFTER_INGEST_S"
printf 'delivered events/s / receiver anchor: %s   delivered events/s / burst ingest results/s: %s\n' \
    "$(ratio "$DELIVERY_RATE" "$ANCHOR_RPS")" "$(ratio "$DELIVERY_RATE" "$BURST_RATE")"
for mode in steady random; do
    sites="$SITES"; [ "$mode" = steady ] && sites="${INGEST_SITES:-200}"
    printf 'ingest, %s network (ingest.lua, %s sites, %s conns; one run, %s phases of %ss, the subscription off and on in ABBA order):\n' \
        "$mode" "$sites" "$CONNECTIONS" "$PHASES" "$PHASE_SECONDS"
    phase_figures "$WORK/phases-$mode.counted" "$mode"
done
printf 'events not delivered at the end: %s\n' "$FAILED"
