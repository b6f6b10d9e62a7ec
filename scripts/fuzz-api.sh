#!/usr/bin/env bash
# Property-based fuzzing of the API against openapi/openapi.yaml with schemathesis (PyPI):
# generated requests, valid and invalid, for every operation; answers checked for server
# errors and for status codes, content types and bodies the spec does not document.
#
# 1. A private cluster (scripts/dev-postgres.sh start --fast) and the debug `readiness serve`.
# 2. An admin token (`readiness token create`).
# 3. Two schemathesis runs (in the scratch directory, which takes their cache), DURATION each:
#    - admin: every operation but what only an agent may call (the probes, its plan, uploads:
#      an admin token gets 403 there by design). Revoking tokens and agents is left out: the run
#      would revoke its own credentials and then see only 401s.
#    - agent: what agents call (uploads, their plan, the probes, reading results back), with the
#      token of an agent registered only after the admin run ended, on a site of its own. The
#      admin run must not be able to reach it: schemathesis reuses ids it saw in answers (a
#      site listed by `GET /v1/sites`) as path parameters of later requests, and archiving a
#      site (`DELETE /v1/sites/{id}`) revokes its agents' tokens. A site made before the admin
#      run was archived by it, and the agent run then saw nothing but 401s.
# 4. The verdict: no 500, no unhandled error in the server's log, and no operation of either
#    run that answered only 401/403 (schemathesis' "Authentication failed" warning): an
#    operation never tested past authentication is a run that checked nothing there.
#
# Not part of `make test`: it runs for minutes and its generated cases differ on every run
# (the seed is printed). `ResponseConformanceTests` is the deterministic check in the suite.
#
# Known and accepted answers schemathesis reports:
# - QUERY (and other unknown methods) get 501 Not Implemented, as RFC 9110 §9.1 asks for a
#   method the server does not recognize; schemathesis counts any 5xx as a server error.
# - The HTTP layer's own refusals (e.g. 414 for a generated query over 8 KiB) on operations that
#   do not list them: `info.description` says any operation may answer them.
# - "Runtime Error" entries are schemathesis' (its generator failing inside Hypothesis), not
#   answers of the server.
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

CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance
echo "== admin: every operation but the agent's own" >&2
(cd "$WORK" && st run "$ROOT/openapi/openapi.yaml" -u "$BASE" -H "Authorization: Bearer $ADMIN" --checks "$CHECKS" \
    --max-time "${DURATION%s}" -w 2 --exclude-path-regex '^/v1/probe/' \
    --exclude-operation-id getAgentPlan --exclude-operation-id uploadResults \
    --exclude-operation-id revokeToken --exclude-operation-id revokeAgent) 2>&1 | tee "$WORK/admin.txt" >&2 || true

# The agent's site and token, made now that the admin run can no longer archive or revoke them.
SITE="$(curl -sf -X POST "$BASE/v1/sites" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d '{"name": "fuzz agent site"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')"
AGENT="$(curl -sf -X POST "$BASE/v1/sites/$SITE/agents" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d '{"name": "fuzz agent"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')"

# The status a GET answers with this token: a run's credentials must work before and after it.
answers() { curl -s -o /dev/null -w '%{http_code}' "$BASE$1" -H "Authorization: Bearer $2"; }
admin_after="$(answers /v1/sites "$ADMIN")"
agent_before="$(answers /v1/agent/plan "$AGENT")"
echo "== agent: uploads, the plan, the probes, results read back" >&2
(cd "$WORK" && st run "$ROOT/openapi/openapi.yaml" -u "$BASE" -H "Authorization: Bearer $AGENT" --checks "$CHECKS" \
    --max-time "${DURATION%s}" -w 2 --include-path-regex '^/v1/(results|agent/plan|probe/(download|upload))') \
    2>&1 | tee "$WORK/agent.txt" >&2 || true
agent_after="$(answers /v1/agent/plan "$AGENT")"

# schemathesis' own exit status counts the accepted answers above as failures; the verdict
# here is what is never accepted: a 500 answered, an error the server did not handle, or an
# operation that was never tested past authentication.
status=0
for check in "admin token after its run:$admin_after" "agent token before its run:$agent_before" "agent token after its run:$agent_after"; do
    if [ "${check##*:}" != 200 ]; then
        echo "FAIL: the ${check%:*} answered ${check##*:}, not 200" >&2
        status=1
    fi
done
for phase in admin agent; do
    if ! grep -q "Operations: .* selected" "$WORK/$phase.txt"; then
        echo "FAIL: the $phase run did not start (its output above)" >&2
        status=1
    fi
    # "Authentication failed: N operations returned only 401/403 responses", then the list.
    if grep -q "returned only 401/403" "$WORK/$phase.txt"; then
        echo "FAIL: the $phase run has operations that answered only 401/403, so they were not tested:" >&2
        sed -n '/^Authentication failed/,/^💡/p' "$WORK/$phase.txt" >&2
        status=1
    fi
done
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
[ "$status" = 0 ] && echo "fuzz-api: no 500, no unhandled error, every operation tested past authentication (other findings above are for reading)" >&2
exit "$status"
