-- wrk script: exactly one POST /v1/results per site, every site at once (bench-webhooks). Each
-- wrk thread takes every THREADS-th token of TOKENS (from the file the script writes), so no
-- site gets two. The result is ReadFixtures' network with BENCH_RTT ms round trips: 21 meets
-- every optimal rule of the default policy, 500 fails a minimal one (not_ready), so a round at
-- 21 and then one at 500 flips every site's verdict. BENCH_STARTED_AT (Unix seconds) dates
-- the round; BENCH_RUN_NONCE (8 hex digits) keeps its run ids apart from another round's.
-- Once a thread's sites are done it sends a GET /healthz every 10 s (wrk cannot stop early;
-- the script stops wrk when every result is stored).
dofile(os.getenv("BENCH_TOKENS_LUA"))
local nonce = os.getenv("BENCH_RUN_NONCE") or "00000000"
local rtt = tonumber(os.getenv("BENCH_RTT") or "21")
local started_at = tonumber(os.getenv("BENCH_STARTED_AT") or "0")

local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("thread_number", threads)
end

local next_index
local stride
-- wrk calls request() once on the first thread's state before the run, to check it (a
-- request that is never sent): that call must not take a site.
local checked
function init(args)
    next_index = thread_number
    stride = tonumber(os.getenv("BENCH_THREADS") or "1")
    checked = thread_number ~= 1
end

local template = '{"schema":"probe-result/v1","run_id":"%s","agent":{"version":"1.0.0","os":"linux","hostname":"bench-%d"},'
    .. '"started_at":"%s","finished_at":"%s",'
    .. '"network":{"interface":"wired","proxy":{"present":false,"kind":"none","in_media_path":false},"vpn":{"present":false,"tunnel":"none","media_excluded":true}},'
    .. '"reachability":[{"protocol":"tcp","host":"example.org","port":443,"reachable":true,"connect_ms":20},'
    .. '{"protocol":"udp","host":"reflector.example.net","port":443,"reachable":true,"connect_ms":19},'
    .. '{"protocol":"tcp","host":"app.sococo.com","port":443,"reachable":true,"connect_ms":21},'
    .. '{"protocol":"tcp","host":"media.chime.aws","port":443,"reachable":true,"connect_ms":21},'
    .. '{"protocol":"udp","host":"media.chime.aws","port":3478,"reachable":true,"connect_ms":20}],'
    .. '"gateway":[{"kind":"websocket","host":"app.sococo.com","allowed":true,"via_proxy":false,"status":101},'
    .. '{"kind":"webrtc","host":"media.chime.aws","allowed":true,"via_proxy":false}],'
    .. '"tls_inspection":[{"host":"app.sococo.com","intercepted":false,"issuer":"Amazon RSA 2048 M02"}],'
    .. '"udp_timeout":{"lower_bound_s":3600,"upper_bound_s":null,"probe_max_s":3600},'
    .. '"latency":[{"host":"media.chime.aws","protocol":"udp","samples":50,'
    .. '"rtt_ms":{"min":%.1f,"p50":%.1f,"p95":%.1f,"max":%.1f},"jitter_ms":2.4,"loss_pct":0.0}],'
    .. '"bandwidth":{"down_kbps":94000,"up_kbps":38000}}'

local function timestamp(seconds)
    return os.date("!%Y-%m-%dT%H:%M:%S.000Z", seconds)
end

function request()
    if not checked then
        checked = true
        return wrk.format("GET", "/healthz")
    end
    local index = next_index
    if index > #TOKENS then
        return wrk.format("GET", "/healthz")
    end
    next_index = next_index + stride
    local run_id = string.format("%s-%04x-4000-8000-%012x", nonce, thread_number, index)
    local body = string.format(template, run_id, index, timestamp(started_at), timestamp(started_at + 90),
        rtt - 2, rtt, rtt + 10, rtt + 20)
    return wrk.format("POST", "/v1/results", {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. TOKENS[index],
    }, body)
end

function delay()
    if next_index > #TOKENS then return 10000 end
    return 0
end
