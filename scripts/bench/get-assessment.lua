-- wrk script: GET one site's current assessment with a read token (from BENCH_READ_TOKEN).
local token = os.getenv("BENCH_READ_TOKEN")
function request()
    return wrk.format("GET", os.getenv("BENCH_ASSESSMENT_PATH"), { ["Authorization"] = "Bearer " .. token })
end
