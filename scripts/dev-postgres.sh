#!/usr/bin/env bash
# A private PostgreSQL cluster for `make run`, `make test` and the benchmarks.
#
#   scripts/dev-postgres.sh start DIR [--fast]   create (first time) and start; prints the DATABASE_URL
#   scripts/dev-postgres.sh stop DIR             stop (fast shutdown)
#   scripts/dev-postgres.sh restart DIR          restart in place, same port (tests use it)
#   scripts/dev-postgres.sh url DIR              print the DATABASE_URL of a started cluster
#
# The cluster listens on a free loopback port only (no Unix socket: a deep checkout path could
# exceed the 107-byte socket path limit). PostgreSQL refuses to run as root, so as root the
# cluster belongs to the unprivileged `postgres` user (created by Debian's package).
# `--fast` turns fsync off: for throwaway test clusters only, never for benchmarks.
set -euo pipefail

die() { echo "dev-postgres: $*" >&2; exit 1; }

find_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null || true)
        [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) /usr/local/bin /usr/bin /opt/homebrew/bin; do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
    done
    return 1
}

BINDIR=$(find_bindir) || die "PostgreSQL server binaries not found: run 'make deps' (Debian, as root) or install PostgreSQL 14+ (apt-get install postgresql / brew install postgresql)."

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start|stop|restart|url DIR [--fast]"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
pgdata="$dir/pgdata"

url() { echo "postgresql://postgres@127.0.0.1:$(cat "$dir/port")/readiness"; }

pg_options() {
    local opts="-c listen_addresses=127.0.0.1 -p $(cat "$dir/port") -c unix_socket_directories=''"
    opts="$opts -c max_connections=200 -c shared_buffers=256MB"
    # A new WAL segment is otherwise written full of zeros (16 MB) by whichever backend needs it,
    # inside its commit: on a young cluster (no checkpoint yet has left segments to recycle) that
    # is one stall of several ms every ~2,400 stored results, and the ingest p99 showed it
    # (scripts/bench-api.sh: 31-49 ms with, 23-24 ms without). Off, the file is created sparse;
    # the WAL is still written and fsynced before every commit returns, so durability is the same.
    opts="$opts -c wal_init_zero=off"
    # Test clusters serve many small pools at once (one per live service under test, plus each
    # test's own pool and admin connection). A parallel `swift test` peaked at 823 client
    # backends (sampled from pg_stat_activity, 2026-12-05); at 500, 205 connections were refused
    # ("too many clients") and ~180 tests failed with "could not connect". 2000 leaves room.
    [ -f "$dir/fast" ] && opts="$opts -c fsync=off -c full_page_writes=off -c max_connections=2000"
    echo "$opts"
}

start() {
    if [ ! -f "$pgdata/PG_VERSION" ]; then
        [ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres; chown postgres "$dir"; }
        # Trust on loopback only: this cluster is private to one checkout and one machine.
        as_owner "$BINDIR/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    [ "${3:-}" = "--fast" ] && touch "$dir/fast"
    if as_owner "$BINDIR/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
        url; return
    fi
    # A port from an earlier run is reused while it is free, so a saved DATABASE_URL keeps working
    # (and a test that stops and starts a cluster keeps its URL). Checked with SO_REUSEADDR, as
    # PostgreSQL binds: the connections the stop closed linger in TIME_WAIT on this port, which
    # would fail a plain bind but do not stop PostgreSQL listening.
    if [ ! -f "$dir/port" ] || ! python3 -c "import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1',int(sys.argv[1]))); s.listen()" "$(cat "$dir/port")" 2>/dev/null; then
        free_port >"$dir/port"
    fi
    as_owner "$BINDIR/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 -o "$(pg_options)" start >/dev/null \
        || { tail -20 "$pgdata/server.log" >&2; die "PostgreSQL did not start"; }
    "$BINDIR/psql" "postgresql://postgres@127.0.0.1:$(cat "$dir/port")/postgres" -qAtc \
        "SELECT 1 FROM pg_database WHERE datname = 'readiness'" | grep -q 1 \
        || "$BINDIR/psql" "postgresql://postgres@127.0.0.1:$(cat "$dir/port")/postgres" -qc "CREATE DATABASE readiness" >/dev/null
    url
}

case "$cmd" in
    start) start "$@" ;;
    stop) as_owner "$BINDIR/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true ;;
    restart) as_owner "$BINDIR/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -m fast -w -t 60 -o "$(pg_options)" restart >/dev/null ;;
    url) url ;;
    *) die "unknown command $cmd" ;;
esac
