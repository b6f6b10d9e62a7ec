-- wrk script: POST /v1/results, one ~3 KB probe result per request, each with a fresh run_id,
-- spread over many agents (one site each). TOKENS and STARTED_AT come from bench/tokens.lua,
-- written by scripts/bench-api.sh.
dofile(os.getenv("BENCH_TOKENS_LUA"))

local counter = 0
local prefix

function setup(thread)
    thread:set("thread_seed", math.random(1, 2^30))
end

function init(args)
    math.randomseed(thread_seed or os.time())
    prefix = string.format("%08x", math.random(0, 2^31 - 1))
end

local reach = {}
for i = 1, 24 do
    reach[#reach + 1] = string.format(
        '{"protocol":"tcp","host":"edge-%02d.app.sococo.com","port":443,"reachable":true,"connect_ms":%d.5}', i, 20 + i)
end
local reachability = table.concat(reach, ",")

local template = '{"schema":"probe-result/v1","run_id":"%s","agent":{"version":"1.0.0","os":"linux","hostname":"bench-%d"},'
    .. '"started_at":"' .. STARTED_AT .. '","finished_at":"' .. FINISHED_AT .. '",'
    .. '"network":{"interface":"wired","proxy":{"present":false,"kind":"none","in_media_path":false},"vpn":{"present":false,"tunnel":"none","media_excluded":false}},'
    .. '"reachability":[' .. reachability .. ',{"protocol":"udp","host":"media.chime.aws","port":3478,"reachable":true,"connect_ms":19.0}],'
    .. '"gateway":[{"kind":"websocket","host":"app.sococo.com","allowed":true,"via_proxy":false,"status":101}],'
    .. '"udp_timeout":{"lower_bound_s":3600,"probe_max_s":3600},'
    .. '"latency":[{"host":"media.chime.aws","protocol":"udp","samples":50,"rtt_ms":{"min":18.2,"p50":21.0,"p95":35.5,"max":60.1},"jitter_ms":2.4,"loss_pct":0.0}],'
    .. '"bandwidth":{"down_kbps":94000,"up_kbps":38000}}'

function request()
    counter = counter + 1
    -- A UUID-shaped id unique per thread (random prefix) and per request (counter).
    local tail = string.format("%012x", counter)
    local run_id = prefix .. "-" .. string.format("%04x", math.random(0, 65535)) .. "-4000-8000-" .. tail
    local index = math.random(1, #TOKENS)
    local body = string.format(template, run_id, index)
    return wrk.format("POST", "/v1/results", {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. TOKENS[index],
    }, body)
end
