#!/usr/bin/env bash
# Property-based fuzzing of the API against openapi/openapi.yaml with schemathesis (PyPI):
# generated requests, valid and invalid, for every operation; answers checked for server
# errors and for status codes, content types and bodies the spec does not document.
#
# 1. A private cluster (scripts/dev-postgres.sh start --fast) and the debug `readiness serve`.
# 2. An admin token (`readiness token create`), and a site with an agent and its token.
# 3. Two schemathesis runs (in the scratch directory, which takes their cache), DURATION each: every operation but the probes with the admin token
#    (revoking tokens and agents left out: the run would revoke its own credentials and then
#    see only 401s); then what agents call (uploads, their plan, the probes) with the agent's.
#
# Not part of `make test`: it runs for minutes and its generated cases differ on every run
# (the seed is printed). `ResponseConformanceTests` is the deterministic check in the suite.
#
# Known and accepted answers schemathesis reports:
# - QUERY (and other unknown methods) get 501 Not Implemented, as RFC 9110 §9.1 asks for a
#   method the server does not recognize; schemathesis counts any 5xx as a server error.
# - Cross-member rules the schema cannot say (`from` before `to`, a policy that must exist,
#   `expires_at` in the future, a cursor this service issued) answer 400/422 to requests
#   schemathesis generated as valid.
#
# Usage: scripts/fuzz-api.sh [duration per run, default 120s]
# Env:   PORT (18097) SKIP_BUILD=1
set -euo pipefail

DURATION="${1:-120s}"
PORT="${PORT:-18097}"
# shellcheck source=bench/common.sh
source "$(dirname "$0")/bench/common.sh"

command -v st >/dev/null || python3 -m pip install --quiet schemathesis
[ "${SKIP_BUILD:-0}" = 1 ] || (cd "$ROOT" && swift build --product readiness >&2)

DATABASE_URL="$("$ROOT/scripts/dev-postgres.sh" start "$PG_DIR" --fast)"
export DATABASE_URL READINESS_MIGRATIONS_DIR="$ROOT/migrations" READINESS_OPENAPI_PATH="$ROOT/openapi/openapi.yaml"
READINESS_LOG_LEVEL=warning "$ROOT/.build/debug/readiness" serve --host 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
PIDS+=($!)
wait_for_port "$PORT"
BASE="http://127.0.0.1:$PORT"

ADMIN="$("$ROOT/.build/debug/readiness" token create --scope admin --name fuzz 2>/dev/null | tail -1)"
SITE="$(curl -sf -X POST "$BASE/v1/sites" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d '{"name": "fuzz site"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')"
AGENT="$(curl -sf -X POST "$BASE/v1/sites/$SITE/agents" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d '{"name": "fuzz agent"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')"

CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance
echo "== admin: every operation but the probes" >&2
(cd "$WORK" && st run "$ROOT/openapi/openapi.yaml" -u "$BASE" -H "Authorization: Bearer $ADMIN" --checks "$CHECKS" \
    --max-time "${DURATION%s}" -w 2 --exclude-path-regex '^/v1/probe/' \
    --exclude-operation-id revokeToken --exclude-operation-id revokeAgent) 2>&1 | tee "$WORK/admin.txt" >&2 || true
echo "== agent: uploads, the plan, the probes" >&2
(cd "$WORK" && st run "$ROOT/openapi/openapi.yaml" -u "$BASE" -H "Authorization: Bearer $AGENT" --checks "$CHECKS" \
    --max-time "${DURATION%s}" -w 2 --include-path-regex '^/v1/(results|agent/plan|probe/(download|upload))') \
    2>&1 | tee "$WORK/agent.txt" >&2 || true

# schemathesis' own exit status counts the accepted answers above as failures; the verdict
# here is what is never accepted: a 500 answered, or an error the server did not handle.
status=0
if grep -h -A4 "^\[500\]" "$WORK/admin.txt" "$WORK/agent.txt" >"$WORK/500.txt"; then
    echo "FAIL: 500 answers (schemathesis' reproductions above):" >&2
    cat "$WORK/500.txt" >&2
    status=1
fi
if grep -q "unhandled error" "$WORK/server.log"; then
    echo "FAIL: the server logged unhandled errors:" >&2
    grep "unhandled error" "$WORK/server.log" | sort | uniq -c >&2
    status=1
fi
[ "$status" = 0 ] && echo "fuzz-api: no 500 and no unhandled error (other findings above are for reading)" >&2
exit "$status"
