# Shared by the scripts/bench-*.sh benchmarks: sourced, never run.
#
# After sourcing: ROOT (the checkout), WORK (a scratch directory removed on exit, readable by
# the cluster's user), PIDS (background processes killed on exit; append with PIDS+=($!)),
# PG_DIR (a private cluster under WORK unless set; stopped on exit when started).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d)"
chmod 755 "$WORK"  # dev-postgres.sh runs the cluster as another user when we are root
PG_DIR="${PG_DIR:-$WORK/pg}"
PIDS=()
# The benchmarks measure HTTP; the STUN reflector `readiness serve` starts by default would take
# UDP 3478, which `make run` or another benchmark on this machine may hold.
export READINESS_REFLECTOR_LISTEN="${READINESS_REFLECTOR_LISTEN:-off}"
# The read benchmarks drive one read token at thousands of requests a second, far past the
# default request budget (20 a second per token, READINESS_RATE_REQUESTS_PER_S): their servers
# run with it off unless a script sets it (bench-api and bench-heavy-site do, for their uploads).
export READINESS_RATE_REQUESTS_PER_S="${READINESS_RATE_REQUESTS_PER_S:-0}"

# A token as the service issues them: rdy_ and 32 random bytes, base64url.
new_token() { echo "rdy_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; }

# SQL giving each token of the file $1 (one a line) a site, an agent and an agent token of its
# own, straight into the database (tokens are stored as their SHA-256). Leaves the temporary
# table bench_ids (n, token, site, agent) for further statements in the same psql session.
agent_tokens_sql() {
    cat <<SQL
CREATE TEMP TABLE bench_tokens (n serial, token text);
\copy bench_tokens (token) FROM '$1'
CREATE TEMP TABLE bench_ids AS SELECT n, token, gen_random_uuid() AS site, gen_random_uuid() AS agent FROM bench_tokens;
INSERT INTO sites (id, name) SELECT site, 'bench ' || n FROM bench_ids;
INSERT INTO agents (id, site_id, name) SELECT agent, site, 'bench' FROM bench_ids;
INSERT INTO api_tokens (id, name, scope, site_id, agent_id, token_hash)
    SELECT gen_random_uuid(), 'bench', 'agent', site, agent, sha256(convert_to(token, 'UTF8')) FROM bench_ids;
SQL
}

bench_cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    [ -d "$PG_DIR/pgdata" ] && "$ROOT/scripts/dev-postgres.sh" stop "$PG_DIR" >/dev/null 2>&1
    rm -rf "$WORK"
}
trap bench_cleanup EXIT INT TERM

# Installs the Debian packages that provide the named commands, when they are missing.
require_tools() {
    local missing=() tool
    for tool in "$@"; do
        case "$tool" in
            nginx) command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light) ;;
            pgbench) command -v pgbench >/dev/null || missing+=(postgresql-contrib) ;;
            *) command -v "$tool" >/dev/null || missing+=("$tool") ;;
        esac
    done
    [ ${#missing[@]} -eq 0 ] && return
    echo "installing ${missing[*]}" >&2
    apt-get install -y "${missing[@]}" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
}

wait_for_port() {
    for _ in $(seq 1 200); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "nothing listening on port $1" >&2
    return 1
}

# Starts nginx in the foreground of a background job (its pid in NGINX_PID) with the given
# `server { ... }` body listening on 127.0.0.1:$1; $3 caps requests per connection. The access log
# is on, as nginx ships (the combined format, one write(2) per request, to
# $WORK/nginx/logs/access.log), unless NGINX_ACCESS_LOG=off: the anchor runs as it is deployed,
# as ours does. NGINX_LOG_FORMAT='...' logs in that format instead (a receiver that timestamps
# what it got: bench-webhooks).
start_nginx() {
    local port="$1" server_body="$2" keepalive_requests="${3:-100000}"
    local nginx access_log="access_log $WORK/nginx/logs/access.log;"
    [ -n "${NGINX_LOG_FORMAT:-}" ] && access_log="log_format bench '$NGINX_LOG_FORMAT'; access_log $WORK/nginx/logs/access.log bench;"
    [ "${NGINX_ACCESS_LOG:-on}" = off ] && access_log="access_log off;"
    nginx="$(command -v nginx || echo /usr/sbin/nginx)"
    mkdir -p "$WORK/nginx/logs"
    cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    $access_log
    keepalive_requests $keepalive_requests;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$port;
        $server_body
    }
}
CONF
    "$nginx" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
    NGINX_PID=$!
    PIDS+=($!)
    wait_for_port "$port"
}

# Stops a background server started by the script (SIGTERM, then waits for it to drain).
stop_server() {
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# The value after a key in wrk --latency output: `field 99% <wrk.txt`.
field() { awk -v key="$1" '$1 == key { print $2 }'; }

# The median of numbers on standard input, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
