-- wrk script: POST /v1/results, one ~3 KB probe result per request, each with its own run_id
-- and its own measurements and times, spread over the agents of many sites (one site each).
-- TOKENS and FIRST_STARTED_AT (Unix seconds) come from the file scripts/bench-api.sh writes;
-- each request starts 1 ms after the thread's previous one and lasts a minute, so every upload
-- is newer than its site's last, as in production (a site's current assessment then takes a
-- new newest_result_at on every upload, and its row's indexes see that). BENCH_RUN_NONCE
-- (8 hex digits, new per wrk invocation) keeps run_ids of the warm-up and the measured run apart.
dofile(os.getenv("BENCH_TOKENS_LUA"))
local nonce = os.getenv("BENCH_RUN_NONCE") or "00000000"

local next_thread = 0
function setup(thread)
    next_thread = next_thread + 1
    thread:set("thread_number", next_thread)
end

local counter = 0
local steady = os.getenv("BENCH_STEADY") == "1"
function init(args)
    math.randomseed(os.time() * 1000 + (thread_number or 0))
end

local reach = {}
for i = 1, 24 do
    reach[#reach + 1] = string.format(
        '{"protocol":"tcp","host":"edge-%02d.app.sococo.com","port":443,"reachable":true,"connect_ms":%d.5}', i, 20 + i)
end
local reachability = table.concat(reach, ",")

-- %s run_id, %d hostname, %s started_at, %s finished_at, %.1f rtt p50, %.1f jitter, %.2f loss, %d down, %d up
local template = '{"schema":"probe-result/v1","run_id":"%s","agent":{"version":"1.0.0","os":"linux","hostname":"bench-%d"},'
    .. '"started_at":"%s","finished_at":"%s",'
    .. '"network":{"interface":"wired","proxy":{"present":false,"kind":"none","in_media_path":false},"vpn":{"present":false,"tunnel":"none","media_excluded":false}},'
    .. '"reachability":[' .. reachability .. ',{"protocol":"udp","host":"media.chime.aws","port":3478,"reachable":true,"connect_ms":19.0}],'
    .. '"gateway":[{"kind":"websocket","host":"app.sococo.com","allowed":true,"via_proxy":false,"status":101}],'
    .. '"udp_timeout":{"lower_bound_s":3600,"probe_max_s":3600},'
    .. '"latency":[{"host":"media.chime.aws","protocol":"udp","samples":50,"rtt_ms":{"min":12.0,"p50":%.1f,"p95":80.5,"max":120.1},"jitter_ms":%.1f,"loss_pct":%.2f}],'
    .. '"bandwidth":{"down_kbps":%d,"up_kbps":%d}}'

-- Millisecond times: offset_ms after FIRST_STARTED_AT.
local function timestamp(offset_ms)
    return os.date("!%Y-%m-%dT%H:%M:%S", FIRST_STARTED_AT + math.floor(offset_ms / 1000)) .. string.format(".%03dZ", offset_ms % 1000)
end

function request()
    counter = counter + 1
    -- Unique by construction: run nonce, wrk thread, per-thread counter.
    local run_id = string.format("%s-%04x-4000-8000-%012x", nonce, thread_number or 0, counter)
    local index = math.random(1, #TOKENS)
    local body
    if steady then
        -- The same network every time (BENCH_STEADY=1): after a site's first few results its
        -- verdict and findings stop changing, as a healthy fleet's do.
        body = string.format(template, run_id, index, timestamp(counter), timestamp(counter + 60000), 30.0, 2.0, 0.0, 100000, 50000)
    else
        body = string.format(template, run_id, index, timestamp(counter), timestamp(counter + 60000), 15 + math.random() * 60, math.random() * 8,
            math.random() * 0.5, math.random(20000, 200000), math.random(5000, 80000))
    end
    if counter == 1 and thread_number == 1 then io.stderr:write("result body bytes: " .. #body .. "\n") end
    return wrk.format("POST", "/v1/results", {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. TOKENS[index],
    }, body)
end
