# Shared by scripts/e2e.sh and scripts/e2e/selftest.sh: sourced, never run.
#
# After sourcing: ROOT (the checkout), E2E_DIR (this folder), E2E_ID, WORK (a scratch directory
# readable by the cluster's user), the topology (topology.sh) and impairments (impairments.sh),
# CLEANUP_HOOKS (commands run first on exit, last added first), and the result table
# (record / print_table / failures). Every exit path - success, failure, Ctrl-C, SIGTERM -
# runs e2e_cleanup, which removes the namespaces, what runs in them and WORK.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E_DIR="$ROOT/scripts/e2e"
E2E_ID=$$
# The PID in the name lets a later run remove what a killed one left (sweep_stale_namespaces).
WORK_PREFIX="${TMPDIR:-/tmp}/readiness-e2e-"
WORK="$(mktemp -d "$WORK_PREFIX$E2E_ID.XXXXXX")"
chmod 755 "$WORK"  # dev-postgres.sh runs the cluster as the postgres user when we are root
CLEANUP_HOOKS=()
# The emulated link (the delay relay), the service and the measuring agent run ahead of other
# work: on a shared 2-core machine a build can otherwise hold a process off the CPU for
# hundreds of milliseconds, which a latency series reads as delay and loss on the link.
E2E_NICE=-10
RESULTS=()
FAILED=0

# shellcheck source=topology.sh
. "$E2E_DIR/topology.sh"
# shellcheck source=impairments.sh
. "$E2E_DIR/impairments.sh"

e2e_cleanup() {
    local status=$? i
    trap - EXIT INT TERM
    set +e
    for ((i = ${#CLEANUP_HOOKS[@]} - 1; i >= 0; i--)); do
        eval "${CLEANUP_HOOKS[$i]}" >/dev/null 2>&1
    done
    impair_clear >/dev/null 2>&1
    topology_down
    if [ -n "${E2E_KEEP_WORK:-}" ]; then
        # Renamed out of the pattern that later runs sweep.
        mv "$WORK" "${WORK/readiness-e2e-/readiness-e2e-kept-}" && echo "e2e: kept ${WORK/readiness-e2e-/readiness-e2e-kept-}" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap e2e_cleanup EXIT
# An interrupt still runs the EXIT trap, with the conventional 128+signal status.
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "e2e: $*" >&2; }

# record NAME EXPECTED GOT pass|FAIL
record() {
    RESULTS+=("$1"$'\t'"$2"$'\t'"$3"$'\t'"$4")
    [ "$4" = pass ] || FAILED=$((FAILED + 1))
}

print_table() {
    local row
    {
        printf 'scenario\texpected\tgot\tresult\n'
        for row in "${RESULTS[@]}"; do printf '%s\n' "$row"; done
    } | awk -F '\t' '
        { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > width[i]) width[i] = length($i) } rows = NR }
        END { for (r = 1; r <= rows; r++) printf "%-*s  %-*s  %-*s  %s\n", width[1], cell[r, 1], width[2], cell[r, 2], width[3], cell[r, 3], cell[r, 4] }'
}

# A float comparison for checks: `within VALUE LOW HIGH` succeeds when LOW <= VALUE < HIGH.
within() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v + 0 >= lo && v + 0 < hi) }'; }

wait_for_tcp() {
    local ns="$1" host="$2" port="$3" _
    for _ in $(seq 1 300); do
        ip netns exec "$ns" bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null && return 0
        sleep 0.1
    done
    log "nothing listening on $host:$port in $ns"
    return 1
}
