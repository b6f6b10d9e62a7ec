# The emulated site network, sourced by scripts/e2e.sh and scripts/e2e/selftest.sh.
#
#   agent ns                 router ns                        svc ns
#   eth0 198.18.1.2/24 ── to-agent 198.18.1.1 | to-svc 198.18.2.1 ── eth0 198.18.2.2/24
#
# Three network namespaces joined by two veth pairs; the router forwards between them and is
# where every impairment lives (impairments.sh). The addresses come from 198.18.0.0/15, the
# block IANA reserves for benchmarking network devices (RFC 2544 appendix C, RFC 6890): it is
# never routed on the Internet nor used by a real LAN, and it exists only inside these
# namespaces. Neither end has a default route, so nothing a probe sends can leave them.
#
# Set E2E_ID (unique per run, e.g. the harness's PID) before sourcing.

: "${E2E_ID:?E2E_ID must be set before sourcing topology.sh}"
NS_PREFIX="rdy-e2e-"
NS_AGENT="${NS_PREFIX}${E2E_ID}-agent"
NS_ROUTER="${NS_PREFIX}${E2E_ID}-router"
NS_SVC="${NS_PREFIX}${E2E_ID}-svc"
AGENT_IP=198.18.1.2
ROUTER_AGENT_IP=198.18.1.1
ROUTER_SVC_IP=198.18.2.1
SVC_IP=198.18.2.2
# The router's interfaces, named for where they lead.
RT_AGENT_IF=to-agent
RT_SVC_IF=to-svc
DELAY_IF=delay0
DELAY_TABLE=100

in_agent() { ip netns exec "$NS_AGENT" "$@"; }
in_router() { ip netns exec "$NS_ROUTER" "$@"; }
in_svc() { ip netns exec "$NS_SVC" "$@"; }

# Fails (without side effects) when this machine cannot create network namespaces: not root,
# no iproute2, or a sandbox that forbids unshare(CLONE_NEWNET).
netns_available() {
    [ "$(id -u)" = 0 ] || { echo "not root"; return 1; }
    command -v ip >/dev/null 2>&1 || { echo "no ip (iproute2)"; return 1; }
    local probe="${NS_PREFIX}probe-$$"
    ip netns add "$probe" 2>/dev/null || { echo "ip netns add is not permitted here"; return 1; }
    ip netns del "$probe"
}

topology_up() {
    local ns
    for ns in "$NS_AGENT" "$NS_ROUTER" "$NS_SVC"; do
        ip netns add "$ns"
        ip -n "$ns" link set lo up
    done
    ip -n "$NS_ROUTER" link add "$RT_AGENT_IF" type veth peer name eth0 netns "$NS_AGENT"
    ip -n "$NS_ROUTER" link add "$RT_SVC_IF" type veth peer name eth0 netns "$NS_SVC"

    ip -n "$NS_AGENT" addr add "$AGENT_IP/24" dev eth0
    ip -n "$NS_ROUTER" addr add "$ROUTER_AGENT_IP/24" dev "$RT_AGENT_IF"
    ip -n "$NS_ROUTER" addr add "$ROUTER_SVC_IP/24" dev "$RT_SVC_IF"
    ip -n "$NS_SVC" addr add "$SVC_IP/24" dev eth0
    ip -n "$NS_AGENT" link set eth0 up
    ip -n "$NS_ROUTER" link set "$RT_AGENT_IF" up
    ip -n "$NS_ROUTER" link set "$RT_SVC_IF" up
    ip -n "$NS_SVC" link set eth0 up
    ip -n "$NS_AGENT" route add 198.18.2.0/24 via "$ROUTER_AGENT_IP"
    ip -n "$NS_SVC" route add 198.18.1.0/24 via "$ROUTER_SVC_IP"

    in_router sysctl -qw net.ipv4.ip_forward=1
    # Packets come back out of the delay device with sources that route elsewhere.
    in_router sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
    # The delay device stays up; policy rules send traffic into it only while a delay is on.
    ip -n "$NS_ROUTER" tuntap add dev "$DELAY_IF" mode tun
    in_router sysctl -qw "net.ipv4.conf.$DELAY_IF.rp_filter=0"
    ip -n "$NS_ROUTER" link set "$DELAY_IF" up
    ip -n "$NS_ROUTER" route add default dev "$DELAY_IF" table "$DELAY_TABLE"
}

# Kills what still runs inside a namespace (only processes this harness started there), then
# deletes it. Safe to call for namespaces that do not exist.
namespace_down() {
    local ns="$1" pids
    ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$ns" || return 0
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    if [ -n "$pids" ]; then
        kill $pids 2>/dev/null || true
        for _ in $(seq 1 30); do
            pids=$(ip netns pids "$ns" 2>/dev/null || true)
            [ -z "$pids" ] && break
            sleep 0.1
        done
        [ -n "$pids" ] && kill -KILL $pids 2>/dev/null || true
    fi
    ip netns del "$ns" 2>/dev/null || true
}

topology_down() {
    namespace_down "$NS_AGENT"
    namespace_down "$NS_ROUTER"
    namespace_down "$NS_SVC"
}

# Namespaces (and, with WORK_PREFIX set, scratch directories) left by an earlier run that was
# killed outright (SIGKILL skips its traps): their names carry the PID of a harness that no
# longer exists.
sweep_stale_namespaces() {
    local ns pid dir
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^${NS_PREFIX}[0-9]*-" || true); do
        pid=${ns#"$NS_PREFIX"}
        pid=${pid%%-*}
        if [ "$pid" != "$E2E_ID" ] && ! kill -0 "$pid" 2>/dev/null; then
            echo "e2e: removing namespace $ns left by an earlier run" >&2
            namespace_down "$ns"
        fi
    done
    [ -n "${WORK_PREFIX:-}" ] || return 0
    for dir in "$WORK_PREFIX"[0-9]*.*; do
        [ -d "$dir" ] || continue
        pid=${dir#"$WORK_PREFIX"}
        pid=${pid%%.*}
        if [ "$pid" != "$E2E_ID" ] && ! kill -0 "$pid" 2>/dev/null; then
            echo "e2e: removing $dir left by an earlier run" >&2
            rm -rf "$dir"
        fi
    done
}
