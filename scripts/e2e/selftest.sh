#!/usr/bin/env bash
# Proves the emulated link with standard tools, without the service or the agent: each
# impairment is switched on in the router and measured from the agent namespace with a UDP echo
# (udp-echo.py), curl against a small HTTP server (http-sink.py), and tinyproxy. When a
# scenario of `make e2e` fails, this says whether the network or the software is at fault.
#
#   scripts/e2e/selftest.sh      (root; about 45 s)
set -euo pipefail
. "$(dirname "$0")/common.sh"

netns_available >/dev/null || { echo "selftest: network namespaces are not available ($(netns_available || true))" >&2; exit 1; }
for tool in nft tc tinyproxy curl python3; do
    command -v "$tool" >/dev/null || { echo "selftest: $tool missing (scripts/install-deps.sh e2e)" >&2; exit 1; }
done

sweep_stale_namespaces
topology_up
ECHO="$SVC_IP:4000"
HTTP="http://$SVC_IP:8000"
ip netns exec "$NS_SVC" python3 "$E2E_DIR/udp-echo.py" serve "$ECHO" &
CLEANUP_HOOKS+=("kill $!")
ip netns exec "$NS_SVC" python3 "$E2E_DIR/http-sink.py" "$SVC_IP:8000" &
CLEANUP_HOOKS+=("kill $!")
wait_for_tcp "$NS_AGENT" "$SVC_IP" 8000

udp_rtt() { in_agent python3 "$E2E_DIR/udp-echo.py" rtt "$ECHO" "$@"; }
# curl's transfer speed in kbit/s for a download (GET) or an upload (POST) of BYTES.
download_kbps() { in_agent curl -sS -o /dev/null -w '%{speed_download}' "$HTTP/bytes/$1" | awk '{ printf "%.0f", $1 * 8 / 1000 }'; }
upload_kbps() {
    head -c "$1" /dev/zero >"$WORK/upload.bin"
    in_agent curl -sS -o /dev/null -w '%{speed_upload}' --data-binary @"$WORK/upload.bin" "$HTTP/" | awk '{ printf "%.0f", $1 * 8 / 1000 }'
}
verdict() { if "$@"; then echo pass; else echo FAIL; fi; }

log "clean link"
read -r _ _ loss _ p50 _ < <(udp_rtt --count 50 --interval-ms 5)
base_connect_s=$(in_agent curl -sS -o /dev/null -w '%{time_connect}' "$HTTP/bytes/1")
record "clean: UDP echo" "loss 0 %, p50 < 5 ms" "loss $loss %, p50 $p50 ms" "$(verdict eval 'within "$p50" 0 5 && [ "$loss" = 0.00 ]')"
BASE_MS=$p50

log "200 ms added round trip"
impair_delay 200
sleep 0.3
read -r _ _ loss _ p50 _ < <(udp_rtt --count 50 --interval-ms 5)
connect_s=$(in_agent curl -sS -o /dev/null -w '%{time_connect}' "$HTTP/bytes/1")
record "delay 200 ms: UDP echo" "p50 200..215 ms" "p50 $p50 ms (base $BASE_MS)" "$(verdict within "$p50" 200 215)"
# curl's connect time includes its own start-up; the clean link's connect time is subtracted.
added_ms=$(awk -v s="$connect_s" -v b="$base_connect_s" 'BEGIN { printf "%.1f", (s - b) * 1000 }')
record "delay 200 ms: TCP connect" "+200..215 ms" "+$added_ms ms" "$(verdict within "$added_ms" 200 215)"
impair_clear

log "3 % loss, agent to service"
impair_loss 3
read -r sent received loss _ < <(udp_rtt --count 2000 --interval-ms 2)
record "loss 3 %: UDP echo" "loss in [1, 5) %" "loss $loss % ($received/$sent)" "$(verdict within "$loss" 1 5)"
impair_clear

log "UDP blocked"
impair_block_udp
read -r _ _ loss _ < <(udp_rtt --count 20 --interval-ms 5)
status=$(in_agent curl -sS -o /dev/null -w '%{http_code}' "$HTTP/bytes/10" || true)
record "UDP blocked: UDP echo" "loss 100 %" "loss $loss %" "$(verdict [ "$loss" = 100.00 ])"
record "UDP blocked: TCP" "HTTP 200" "HTTP $status" "$(verdict [ "$status" = 200 ])"
impair_clear

log "NAT with a 10 s UDP idle timeout (about 20 s)"
impair_nat 10
outcome=$(in_agent python3 "$E2E_DIR/udp-echo.py" idle "$ECHO" --gaps 5,8,13,16 | tr '\n' ' ')
record "NAT 10 s: idle gaps" "5,8 survive; 13,16 expire" "$outcome" \
    "$(verdict [ "$outcome" = "5 survived 8 survived 13 expired 16 expired " ])"
impair_clear

log "5 Mbit/s cap"
impair_rate 5000
down=$(download_kbps 3000000)
up=$(upload_kbps 3000000)
record "rate 5 Mbit/s: download" "4000..6000 kbit/s" "$down kbit/s" "$(verdict within "$down" 4000 6000)"
record "rate 5 Mbit/s: upload" "4000..6000 kbit/s" "$up kbit/s" "$(verdict within "$up" 4000 6000)"
impair_clear

log "HTTP proxy that refuses upgrades"
impair_proxy
proxy=$PROXY_URL
ws=(-H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")
# The sink answers 101 and closes, so curl also reports an empty reply: only the status counts.
direct=$(in_agent curl -sS -o /dev/null -w '%{http_code}' "${ws[@]}" "$HTTP/ws" 2>/dev/null || true)
proxied=$(in_agent curl -sS -o /dev/null -w '%{http_code}' -x "$proxy" "${ws[@]}" "$HTTP/ws" || true)
tunnel=$(in_agent curl -sS -o /dev/null -w '%{http_connect}' -p -x "$proxy" "$HTTP/ws" 2>/dev/null || true)
plain=$(in_agent curl -sS -o /dev/null -w '%{http_code}' -x "$proxy" "$HTTP/bytes/10" || true)
record "proxy: upgrade direct" "101" "$direct" "$(verdict [ "$direct" = 101 ])"
record "proxy: upgrade via proxy" "not 101" "$proxied" "$(verdict [ "$proxied" != 101 ])"
record "proxy: CONNECT" "403" "$tunnel" "$(verdict [ "$tunnel" = 403 ])"
record "proxy: plain GET" "200" "$plain" "$(verdict [ "$plain" = 200 ])"
impair_clear

# Every scenario must start from a clean link: nothing left running or configured.
leftover="pids:$(ip netns pids "$NS_ROUTER" | wc -l) nft:$(in_router nft list ruleset | grep -c . || true)"
leftover="$leftover tc:$(ip netns exec "$NS_ROUTER" tc qdisc show | grep -c tbf || true)"
leftover="$leftover rules:$(ip -n "$NS_ROUTER" rule show | grep -c "lookup $DELAY_TABLE" || true)"
record "router after impair_clear" "pids:0 nft:0 tc:0 rules:0" "$leftover" "$(verdict [ "$leftover" = "pids:0 nft:0 tc:0 rules:0" ])"

print_table
echo "$(( ${#RESULTS[@]} - FAILED )) passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
