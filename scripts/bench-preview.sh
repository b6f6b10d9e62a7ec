#!/usr/bin/env bash
# `make bench-preview`: POST /v1/policies/{policy_name}/preview over a fleet (issue 17), release
# build, private cluster. Target: 10,000 sites with a day of 5-minute results each (288 a site,
# 2.88 M results) previewed in at most 3 s, with the server's peak memory printed.
#
# 1. The server starts (migrations, the default policy `sococo` v1); one result goes through
#    the API to a template site, so its stored `window_entry` and body are the service's own.
# 2. SITES sites are seeded with SQL (INSERT … SELECT, a chunk of sites per statement): RUNS
#    results each, one every 5 minutes up to now, each with the template's entry and body and its
#    own median RTT (20 to 320 ms by site, a few ms of spread by run) written into the entry's
#    RTT field. Seeding with SQL rather than the API keeps it to minutes.
# 3. The candidate is the stored document with the RTT limits tightened (optimal < 100 ms,
#    minimal <= 200 ms): thresholds only, so every site is judged from its stored entries and no
#    body is read (the script checks `results_read_from_bodies` is 0). ROUNDS previews are
#    timed with curl; the server's VmHWM (peak resident memory) is read before and after.
#
# The request deadline is raised to 60 s for the run, so that a slow preview is measured rather
# than cut off at the shipped 10 s.
#
# Usage: scripts/bench-preview.sh
# Env:   SITES (10000) RUNS (288) ROUNDS (5) PORT (18095) CHUNK (500 sites a statement) PG_DIR SKIP_BUILD=1
set -euo pipefail

SITES="${SITES:-10000}"
RUNS="${RUNS:-288}"
ROUNDS="${ROUNDS:-5}"
PORT="${PORT:-18095}"
CHUNK="${CHUNK:-500}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/bench/common.sh"

require_tools curl python3

echo "building release" >&2
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$ROOT" && swift build -c release --scratch-path .build-release --product readiness >&2)

DATABASE_URL="$("$ROOT/scripts/dev-postgres.sh" start "$PG_DIR")"
# As shipped (the default log level, the log to a file) but for the request deadline: past the
# default 10 s a slow run would be cut short with a 503, and the figure printed says whether it fits.
READINESS_MIGRATIONS_DIR="$ROOT/migrations" READINESS_LOG_FILE="$WORK/server-log.log" READINESS_REQUEST_DEADLINE_S=60 \
    DATABASE_URL="$DATABASE_URL" READINESS_OPENAPI_PATH="$ROOT/openapi/openapi.yaml" \
    "$ROOT/.build-release/release/readiness" serve --host 127.0.0.1 --port "$PORT" >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=($SERVER_PID)
wait_for_port "$PORT"
BASE="http://127.0.0.1:$PORT"

ADMIN="$(new_token)"
AGENT="$(new_token)"
psql -q "$DATABASE_URL" -v ON_ERROR_STOP=1 >/dev/null <<SQL
INSERT INTO sites (id, name) VALUES ('00000000-0000-4000-8000-000000000000', 'template');
INSERT INTO agents (id, site_id, name) VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000000', 'template');
INSERT INTO api_tokens (id, name, scope, site_id, agent_id, token_hash) VALUES
    (gen_random_uuid(), 'bench admin', 'admin', NULL, NULL, sha256(convert_to('$ADMIN', 'UTF8'))),
    (gen_random_uuid(), 'bench agent', 'agent', '00000000-0000-4000-8000-000000000000',
     '00000000-0000-4000-8000-000000000001', sha256(convert_to('$AGENT', 'UTF8')));
SQL

# The template result: healthy, RTT 21 ms (replaced per seeded run in the entry).
python3 - >"$WORK/template.json" <<'PY'
import datetime, json, uuid
now = datetime.datetime.now(datetime.timezone.utc)
f = lambda m: m.strftime("%Y-%m-%dT%H:%M:%S.000Z")
print(json.dumps({
    "schema": "probe-result/v1", "run_id": str(uuid.uuid4()),
    "agent": {"version": "1.0.0", "os": "linux", "hostname": "bench-pc"},
    "started_at": f(now - datetime.timedelta(seconds=120)), "finished_at": f(now - datetime.timedelta(seconds=30)),
    "network": {"interface": "wired", "proxy": {"present": False, "kind": "none", "in_media_path": False},
                "vpn": {"present": False, "tunnel": "none", "media_excluded": False}},
    "reachability": [
        {"protocol": "tcp", "host": "app.sococo.com", "port": 443, "reachable": True, "connect_ms": 21.4},
        {"protocol": "udp", "host": "reflector.example.net", "port": 443, "reachable": True, "connect_ms": 19.0},
        {"protocol": "tcp", "host": "media.chime.aws", "port": 443, "reachable": True, "connect_ms": 20.0},
        {"protocol": "udp", "host": "media.chime.aws", "port": 3478, "reachable": True, "connect_ms": 19.0}],
    "gateway": [{"kind": "websocket", "host": "app.sococo.com", "allowed": True, "via_proxy": False, "status": 101},
                {"kind": "webrtc", "host": "media.chime.aws", "allowed": True, "via_proxy": False}],
    "tls_inspection": [{"host": "app.sococo.com", "intercepted": False, "issuer": "Amazon RSA 2048 M02"}],
    "udp_timeout": {"lower_bound_s": 3600, "probe_max_s": 3600},
    "latency": [{"host": "media.chime.aws", "protocol": "udp", "samples": 50,
                 "rtt_ms": {"min": 18.2, "p50": 21.0, "p95": 35.5, "max": 60.1}, "jitter_ms": 2.4, "loss_pct": 0}],
    "bandwidth": {"down_kbps": 94000, "up_kbps": 38000}}))
PY
STATUS="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $AGENT" \
    --data @"$WORK/template.json" "$BASE/v1/results")"
[ "$STATUS" = 201 ] || [ "$STATUS" = 202 ] || [ "$STATUS" = 200 ] || { echo "template upload answered $STATUS" >&2; exit 1; }
curl -s -H "Authorization: Bearer $ADMIN" "$BASE/v1/policies/sococo" >"$WORK/policy.json"
psql -qAt "$DATABASE_URL" -c "SELECT window_entry FROM results WHERE site_id = '00000000-0000-4000-8000-000000000000'" >"$WORK/entry.txt"

# The seeding statement: the template's entry split around its RTT field (the document's rtt
# rule's position; the built-in DNS rule comes last), and the candidate document.
python3 - "$WORK" "$SITES" "$RUNS" "$CHUNK" >"$WORK/seed.sql" <<'PY'
import json, sys
work, sites, runs, chunk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
policy = json.load(open(f"{work}/policy.json"))
entry = open(f"{work}/entry.txt").read().rstrip("\n")
line, _, host = entry.partition("\n")
fields = line.split(";")
rtt = next(i for i, rule in enumerate(policy["rules"]) if rule["kind"] == "rtt")
assert fields[rtt].startswith("m"), fields[rtt]
prefix = ";".join(fields[:rtt]) + ";m"
suffix = ";" + ";".join(fields[rtt + 1:]) + ("\n" + host if host else "")
for rule in policy["rules"]:
    if rule["kind"] == "rtt":
        for tier in rule["tiers"]:
            tier["limit"]["value"] = 100 if tier["tier"] == "optimal" else 200
json.dump(policy, open(f"{work}/candidate.json", "w"))
q = lambda text: "$q$" + text + "$q$"
print("SELECT ensure_results_partition(now()), ensure_results_partition(now() - interval '1 day'),"
      " ensure_results_partition(now() - interval '2 days');")
print(f"CREATE TEMP TABLE bench_sites AS SELECT n, gen_random_uuid() AS id FROM generate_series(1, {sites}) AS n;")
print("INSERT INTO sites (id, name, region) SELECT id, 'bench ' || n, CASE WHEN n % 2 = 0 THEN 'emea' ELSE 'apac' END FROM bench_sites;")
print("CREATE TEMP TABLE bench_body AS SELECT body FROM results WHERE site_id = '00000000-0000-4000-8000-000000000000';")
for start in range(1, sites + 1, chunk):
    print(f"""INSERT INTO results (run_id, site_id, started_at, finished_at, received_at, body, policy_name, policy_version,
    verdict, score, rtt_ms, window_entry)
SELECT gen_random_uuid(), s.id, t.at - interval '90 seconds', t.at, t.at, b.body, 'sococo', 1, 'optimal', 90, t.rtt,
    {q(prefix)} || t.rtt::text || {q(suffix)}
FROM bench_sites s CROSS JOIN bench_body b
CROSS JOIN LATERAL (SELECT now() - interval '30 seconds' - g * interval '5 minutes' AS at,
                           (20 + (s.n % 200) * 1.5 + g % 5)::double precision AS rtt
                    FROM generate_series(0, {runs - 1}) AS g) AS t
WHERE s.n BETWEEN {start} AND {min(start + chunk - 1, sites)};""")
print("VACUUM ANALYZE results;")
PY

echo "seeding $SITES sites x $RUNS results with SQL" >&2
SEED_START=$(date +%s)
psql -q "$DATABASE_URL" -v ON_ERROR_STOP=1 -f "$WORK/seed.sql" >/dev/null
echo "seeded in $(( $(date +%s) - SEED_START )) s: $(psql -qAt "$DATABASE_URL" -c 'SELECT count(*) FROM results') results" >&2

hwm() { awk '/VmHWM/ { print $2 / 1024 " MB" }' "/proc/$SERVER_PID/status"; }
rss() { awk '/VmRSS/ { print $2 / 1024 " MB" }' "/proc/$SERVER_PID/status"; }
echo "server before: resident $(rss), peak $(hwm)" >&2
TIMES=()
for round in $(seq 1 "$ROUNDS"); do
    TIME="$(curl -s -o "$WORK/preview.json" -w '%{http_code} %{time_total}' -X POST -H 'Content-Type: application/json' \
        -H "Authorization: Bearer $ADMIN" --data @"$WORK/candidate.json" "$BASE/v1/policies/sococo/preview?limit=100")"
    echo "round $round: status ${TIME% *}, ${TIME#* } s" >&2
    [ "${TIME% *}" = 200 ] || { cat "$WORK/preview.json" >&2; exit 1; }
    TIMES+=("${TIME#* }")
done
python3 - "$WORK/preview.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
print(f"sites {p['sites']}, changed {p['changed_sites']}, results read from bodies {p['results_read_from_bodies']}")
print(f"verdicts before {p['verdicts_before']}")
print(f"verdicts after  {p['verdicts_after']}")
assert p["results_read_from_bodies"] == 0, "a threshold-only candidate read bodies"
PY
BEST="$(printf '%s\n' "${TIMES[@]}" | sort -n | head -1)"
MEDIAN="$(printf '%s\n' "${TIMES[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")"
RATIO="$(python3 -c "import sys; print(f'{float(sys.argv[1]) / 3:.2f}')" "$MEDIAN")"
printf 'preview of %s sites x %s results: best %s s, median %s s, %sx the 3 s target (load average %s)\n' \
    "$SITES" "$RUNS" "$BEST" "$MEDIAN" "$RATIO" "$(cut -d' ' -f1 /proc/loadavg)"
printf 'server memory after: resident %s, peak (VmHWM) %s\n' "$(rss)" "$(hwm)"
