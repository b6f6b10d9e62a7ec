# Impairments of the emulated link, all inside the router namespace; sourced after
# topology.sh. Needs WORK (a scratch directory) and E2E_DIR (this folder).
#
# The kernel has no netem, so each impairment uses what it has:
#   delay, jitter   a userspace relay on a TUN device (delay-relay.py) fed by policy routing
#   loss            nftables `numgen random` on one direction
#   UDP blocked     nftables drop
#   NAT             nftables masquerade + the namespace's own UDP conntrack timeouts
#   rate cap        tc tbf on both router interfaces
#   HTTP proxy      tinyproxy listening on the router's agent-side address
# impair_clear undoes all of them; every scenario starts from a clean link.

RELAY_PID=""
PROXY_PID=""
PROXY_PORT=8888
PROXY_URL=""
# The kernel's defaults (nf_conntrack_proto_udp.c), restored after the NAT scenario.
CONNTRACK_UDP_TIMEOUT_DEFAULT=30
CONNTRACK_UDP_STREAM_DEFAULT=120

# Adds RTT_MS of round trip (half on each direction) and +/- JITTER_MS (half each way).
impair_delay() {
    local rtt_ms="$1" jitter_ms="${2:-0}"
    ip netns exec "$NS_ROUTER" nice -n "$E2E_NICE" python3 "$E2E_DIR/delay-relay.py" "$DELAY_IF" \
        --delay-ms "$(awk -v v="$rtt_ms" 'BEGIN { print v / 2 }')" \
        --jitter-ms "$(awk -v v="$jitter_ms" 'BEGIN { print v / 2 }')" 2>>"$WORK/delay-relay.log" &
    RELAY_PID=$!
    # Forwarded packets (those arriving from either side) go through the relay; packets the
    # relay writes back arrive on the TUN device, match neither rule and follow the main table.
    ip -n "$NS_ROUTER" rule add iif "$RT_AGENT_IF" lookup "$DELAY_TABLE" pref 100
    ip -n "$NS_ROUTER" rule add iif "$RT_SVC_IF" lookup "$DELAY_TABLE" pref 101
}

# Drops PCT % of the packets from the agent towards the service, chosen at random per packet.
impair_loss() {
    local pct="$1"
    in_router nft -f - <<NFT
table inet impair {
    chain forward {
        type filter hook forward priority filter; policy accept;
        iifname "$RT_AGENT_IF" numgen random mod 100 < $pct drop
    }
}
NFT
}

# Drops every UDP datagram in both directions, as a firewall that allows only TCP would.
impair_block_udp() {
    in_router nft -f - <<NFT
table inet impair {
    chain forward {
        type filter hook forward priority filter; policy accept;
        meta l4proto udp drop
    }
}
NFT
}

# Source NAT towards the service whose UDP mappings expire after TIMEOUT_S idle seconds; the
# timeouts are per network namespace, so the host's conntrack is untouched.
impair_nat() {
    local timeout_s="$1"
    in_router nft -f - <<NFT
table ip impair_nat {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "$RT_SVC_IF" masquerade
    }
}
NFT
    # The sysctls appear once the NAT table has loaded nf_conntrack into this namespace.
    in_router sysctl -qw "net.netfilter.nf_conntrack_udp_timeout=$timeout_s" \
        "net.netfilter.nf_conntrack_udp_timeout_stream=$timeout_s"
}

# Caps the link at KBIT kbit/s in each direction. tbf shapes egress only, so one qdisc per
# router interface: towards the agent (download) and towards the service (upload).
impair_rate() {
    local kbit="$1" dev
    for dev in "$RT_AGENT_IF" "$RT_SVC_IF"; do
        # burst: 10 full frames, enough for the timer granularity at this rate. latency: a
        # queue of 400 ms holds TCP's slow-start overshoot; at 100 ms the tail drops it caused
        # sometimes ended in a retransmission timeout, and a 4 s download read a third low
        # (3154 kbit/s; 2 of 8 curl downloads below 4100 there, none at 400 ms).
        ip netns exec "$NS_ROUTER" tc qdisc add dev "$dev" root tbf rate "${kbit}kbit" burst 15140 latency 400ms
    done
}

# An HTTP proxy on the router that forwards plain requests but refuses what a WebSocket needs
# through a proxy: CONNECT is allowed to no port, and tinyproxy drops the hop-by-hop
# `Connection`/`Upgrade` headers of forwarded requests (RFC 9110 §7.6.1), so no upgrade
# reaches the service. Sets PROXY_URL.
impair_proxy() {
    cat >"$WORK/tinyproxy.conf" <<CONF
User nobody
Group nogroup
Port $PROXY_PORT
Listen $ROUTER_AGENT_IP
Timeout 60
MaxClients 50
Allow 198.18.1.0/24
LogLevel Info
# Only a port nothing listens on may be tunnelled: every CONNECT the agent sends is refused.
ConnectPort 9
CONF
    ip netns exec "$NS_ROUTER" tinyproxy -d -c "$WORK/tinyproxy.conf" >>"$WORK/tinyproxy.log" 2>&1 &
    PROXY_PID=$!
    local _
    for _ in $(seq 1 50); do
        in_router bash -c "exec 3<>/dev/tcp/$ROUTER_AGENT_IP/$PROXY_PORT" 2>/dev/null && break
        sleep 0.1
    done
    PROXY_URL="http://$ROUTER_AGENT_IP:$PROXY_PORT"
}

stop_pid() {
    local pid="$1" _
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 30); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

impair_clear() {
    stop_pid "$RELAY_PID"
    RELAY_PID=""
    stop_pid "$PROXY_PID"
    PROXY_PID=""
    ip -n "$NS_ROUTER" rule del pref 100 2>/dev/null || true
    ip -n "$NS_ROUTER" rule del pref 101 2>/dev/null || true
    in_router nft flush ruleset
    ip netns exec "$NS_ROUTER" tc qdisc del dev "$RT_AGENT_IF" root 2>/dev/null || true
    ip netns exec "$NS_ROUTER" tc qdisc del dev "$RT_SVC_IF" root 2>/dev/null || true
    if in_router sysctl -n net.netfilter.nf_conntrack_udp_timeout >/dev/null 2>&1; then
        in_router sysctl -qw "net.netfilter.nf_conntrack_udp_timeout=$CONNTRACK_UDP_TIMEOUT_DEFAULT" \
            "net.netfilter.nf_conntrack_udp_timeout_stream=$CONNTRACK_UDP_STREAM_DEFAULT"
    fi
}

# One line that says what the router does now, for the log of each scenario.
impair_describe() {
    local rules qdiscs
    rules=$(in_router nft list ruleset 2>/dev/null | grep -cE 'drop|masquerade' || true)
    qdiscs=$(ip netns exec "$NS_ROUTER" tc qdisc show 2>/dev/null | grep -c tbf || true)
    echo "relay=${RELAY_PID:-none} proxy=${PROXY_PID:-none} nft_rules=$rules tbf=$qdiscs"
}
