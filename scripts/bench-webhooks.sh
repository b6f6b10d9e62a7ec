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
# 4. Ingest as bench-api measures it (scripts/bench/ingest.lua, DURATION per run, 64
#    connections), ROUNDS pairs: the subscription (now to every event type) disabled and
#    enabled, in alternating order; results/s of each, the medians and their ratio (the issue:
#    at most a 5 % drop), and the median of each round's own ratio (its two runs are next to
#    each other in time, so a slow drift of a shared machine falls on both). Twice: a steady network over INGEST_SITES sites (BENCH_STEADY=1:
#    results that change nothing, so what the outbox costs the hot path), and ingest.lua's
#    random measurements over all SITES sites (about every other result changes something;
#    those events are delivered on the same cores while ingest runs). The outbox is drained
#    before each run. Beside each rate, the service's and PostgreSQL's CPU per stored result
#    (from /proc, the run and then the delivery of the events it made), by kind of process:
#    when a run is far off its pair, it shows whose cost moved (on 2026-12-07 it moved with
#    the rate, so it is no steadier than the rate; it says where to look).
#
# Usage: scripts/bench-webhooks.sh [duration per ingest run, default 10s]
# Env:   SITES (10000) INGEST_SITES (200) ROUNDS (2) PORT (18094) RECEIVER_PORT (18095) WRK_THREADS (2) WRK_CONNECTIONS (64)
#        PG_DIR (a temporary directory) SKIP_BUILD=1
set -euo pipefail

DURATION="${1:-10s}"
SITES="${SITES:-10000}"
ROUNDS="${ROUNDS:-2}"
# The rounds alternate which side runs second (below); an even count gives each side the
# second place equally often.
[ $((ROUNDS % 2)) = 1 ] && { ROUNDS=$((ROUNDS + 1)); echo "ROUNDS rounded up to $ROUNDS (an even count balances the order)" >&2; }
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

# --- ingest with and without the subscription ----------------------------------------------------
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
CLOCK_TICKS="$(getconf CLK_TCK)"
# ms of CPU per result between two cluster_ticks files ($1, $2) for $3 results, in all and by
# kind. A process that started meanwhile counts from zero; one that ended meanwhile (the
# bench's own psql sessions, an autovacuum worker that finished) is not counted.
cpu_per_result() {
    awk -v n="$3" -v hz="$CLOCK_TICKS" 'NR == FNR { before[$1] = $2; next }
        { spent = $2 - (($1 in before) ? before[$1] : 0); all += spent; by[$3] += spent }
        END {
            if (n <= 0) { print "n/a"; exit }
            printf "%.3f (service %.3f, backends %.3f, autovacuum %.3f, background %.3f)", all * 1000 / hz / n,
                by["service"] * 1000 / hz / n, by["backend"] * 1000 / hz / n, by["autovacuum"] * 1000 / hz / n,
                by["background"] * 1000 / hz / n
        }' "$1" "$2"
}
# Prints results stored per second over wrk's measured duration, and leaves in
# $WORK/cpu-per-result the service's and PostgreSQL's CPU per stored result: the run and the
# delivery of the events it made (drained before the count ends).
ingest_run() {  # $1: 1 for a steady network
    local before after seconds tokens="$WORK/tokens.lua"
    [ "$1" = 1 ] && tokens="$WORK/tokens-ingest.lua"
    drain
    # Every run starts just after a checkpoint, so the full-page images written after one fall
    # on each run alike instead of on whichever run a timed checkpoint lands in.
    sql "CHECKPOINT"
    before="$(stored)"
    cluster_ticks >"$WORK/ticks-before"
    BENCH_STEADY="$1" BENCH_TOKENS_LUA="$tokens" BENCH_RUN_NONCE="$(nonce)" \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$ROOT/scripts/bench/ingest.lua" \
        "http://127.0.0.1:$PORT" >"$WORK/ingest.txt" 2>&1
    after="$(stored)"
    drain
    cluster_ticks >"$WORK/ticks-after"
    cpu_per_result "$WORK/ticks-before" "$WORK/ticks-after" "$((after - before))" >"$WORK/cpu-per-result"
    seconds="$(awk '/requests in/ { sub(/s,$/, "", $4); print $4 }' "$WORK/ingest.txt")"
    awk -v n="$((after - before))" -v s="$seconds" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print 0 }'
}
sql "UPDATE webhooks SET event_types = ARRAY['site.verdict_changed','site.finding_appeared','site.finding_cleared','site.stale','site.fresh'] WHERE id = '$WEBHOOK_ID'"
# bench-api's shape: INGEST_SITES (200) of the sites, each uploading many results a run.
{
    echo "TOKENS = {"
    head -n "${INGEST_SITES:-200}" "$WORK/tokens.txt" | sed 's/.*/  "&",/'
    echo "}"
    echo "FIRST_STARTED_AT = $(date -u -d '-15 min' +%s)"
} >"$WORK/tokens-ingest.lua"
drain
sql "UPDATE webhooks SET enabled = false WHERE id = '$WEBHOOK_ID'"
ingest_run 1 >/dev/null  # warm-up: the sites settle on the steady network's verdict
# Two workloads: a steady network over INGEST_SITES sites (results that change nothing: what
# the outbox costs the hot path) and ingest.lua's random measurements over all SITES sites (a
# site gets a result or two a run, and about every other result changes a finding or the
# verdict; those events are delivered on the same cores meanwhile).
declare -A OFF ON PAIRS EVENTS_PER_RESULT CPU_OFF CPU_ON CPU_PAIRS
for mode in steady random; do
    steady=0; [ "$mode" = steady ] && steady=1
    off=() on=() pairs=() cpu_off=() cpu_on=() cpu_pairs=() results=0 events=0
    if [ "$mode" = random ]; then
        # Warm-up, two runs: most sites take results of the random network before the rounds
        # (a site's first ones there change many of its findings: those events would fall on
        # the first round's second side; ingest.lua picks sites at random).
        drain
        sql "UPDATE webhooks SET enabled = false WHERE id = '$WEBHOOK_ID'"
        ingest_run 0 >/dev/null
        ingest_run 0 >/dev/null
        sql "UPDATE webhooks SET enabled = true WHERE id = '$WEBHOOK_ID'"
    fi
    for round in $(seq 1 "$ROUNDS"); do
        # Odd rounds without the subscription first, even rounds with it first: whatever the
        # second run of a pair pays (a checkpoint, autovacuum after the first run's rows) falls
        # on both sides alike.
        for side in $([ $((round % 2)) = 1 ] && echo "off on" || echo "on off"); do
            drain  # while enabled: a disabled subscription's pending events wait for it
            if [ "$side" = off ]; then
                sql "UPDATE webhooks SET enabled = false WHERE id = '$WEBHOOK_ID'"
                off+=("$(ingest_run "$steady")")
                cpu_off+=("$(cut -d' ' -f1 "$WORK/cpu-per-result")") cpu_off_detail="$(cat "$WORK/cpu-per-result")"
                sql "UPDATE webhooks SET enabled = true WHERE id = '$WEBHOOK_ID'"
            else
                results_before="$(stored)" events_before="$(sql 'SELECT count(*) FROM webhook_events')"
                on+=("$(ingest_run "$steady")")
                cpu_on+=("$(cut -d' ' -f1 "$WORK/cpu-per-result")") cpu_on_detail="$(cat "$WORK/cpu-per-result")"
                results_after="$(stored)" events_after="$(sql 'SELECT count(*) FROM webhook_events')"
                results=$((results + results_after - results_before))
                events=$((events + events_after - events_before))
            fi
        done
        pairs+=("$(ratio "${on[-1]}" "${off[-1]}")")
        # Inverted, so that like the rate's ratio, below 1 is what the subscription costs.
        cpu_pairs+=("$(ratio "${cpu_off[-1]}" "${cpu_on[-1]}")")
        echo "  $mode network, round $round: no subscription ${off[-1]} results/s, one subscription ${on[-1]} results/s ($((events_after - events_before)) events), ratio ${pairs[-1]}" >&2
        echo "    ms CPU a result: no subscription $cpu_off_detail; one subscription $cpu_on_detail; ratio ${cpu_pairs[-1]}" >&2
    done
    CPU_OFF[$mode]="$(printf '%s\n' "${cpu_off[@]}" | median) (${cpu_off[*]})"
    CPU_ON[$mode]="$(printf '%s\n' "${cpu_on[@]}" | median) (${cpu_on[*]})"
    CPU_PAIRS[$mode]="$(printf '%s\n' "${cpu_pairs[@]}" | median) (${cpu_pairs[*]})"
    OFF[$mode]="$(printf '%s\n' "${off[@]}" | median) (${off[*]})"
    ON[$mode]="$(printf '%s\n' "${on[@]}" | median) (${on[*]})"
    PAIRS[$mode]="$(printf '%s\n' "${pairs[@]}" | median) (${pairs[*]})"
    EVENTS_PER_RESULT[$mode]="$events events, $(ratio "$events" "$results") per result"
done
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
    printf 'ingest, %s network (ingest.lua, %s sites, %s, %s conns), results/s median (runs): no subscription %s; one subscription %s\n' \
        "$mode" "$sites" "$DURATION" "$CONNECTIONS" "${OFF[$mode]}" "${ON[$mode]}"
    printf '  with a subscription / without: %s (target >= 0.95); median of the rounds'"'"' own ratios %s   %s\n' \
        "$(ratio "${ON[$mode]%% *}" "${OFF[$mode]%% *}")" "${PAIRS[$mode]}" "${EVENTS_PER_RESULT[$mode]}"
    printf '  CPU per stored result, ms (service and PostgreSQL; the run and the delivery of its events): no subscription %s; one subscription %s\n' \
        "${CPU_OFF[$mode]}" "${CPU_ON[$mode]}"
    printf '  without / with (below 1: what the subscription costs, as above): %s; median of the rounds'"'"' own %s\n' \
        "$(ratio "${CPU_OFF[$mode]%% *}" "${CPU_ON[$mode]%% *}")" "${CPU_PAIRS[$mode]}"
done
printf 'events not delivered at the end: %s\n' "$FAILED"
