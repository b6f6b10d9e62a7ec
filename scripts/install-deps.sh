#!/usr/bin/env bash
# Installs what `make run` / `make test` need and is missing. On Debian as root it uses apt-get
# (and pip for the spec validator); elsewhere it says what to install and stops.
#   scripts/install-deps.sh run    PostgreSQL server + libpq headers + pkg-config
#   scripts/install-deps.sh test   the same, plus openapi-spec-validator
#   scripts/install-deps.sh e2e    the same as run, plus iproute2, nftables, tinyproxy, curl (make e2e)
set -euo pipefail
purpose=${1:-run}

missing_debs=()
have_pg_server() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; }
have_pg_server || missing_debs+=(postgresql)
command -v psql >/dev/null 2>&1 || missing_debs+=(postgresql-client)
[ -f /usr/include/postgresql/libpq-fe.h ] || pkg-config --exists libpq 2>/dev/null || missing_debs+=(libpq-dev)
[ -f /usr/include/openssl/ssl.h ] || pkg-config --exists libssl 2>/dev/null || missing_debs+=(libssl-dev)
[ -f /usr/include/zlib.h ] || pkg-config --exists zlib 2>/dev/null || missing_debs+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || missing_debs+=(pkg-config)
command -v python3 >/dev/null 2>&1 || missing_debs+=(python3)
if [ "$purpose" = e2e ]; then
    { command -v ip && command -v tc; } >/dev/null 2>&1 || missing_debs+=(iproute2)
    command -v nft >/dev/null 2>&1 || missing_debs+=(nftables)
    command -v tinyproxy >/dev/null 2>&1 || missing_debs+=(tinyproxy)
    command -v curl >/dev/null 2>&1 || missing_debs+=(curl)
fi
# The agent's TLS-probe tests make a certificate and serve it with the openssl command.
if [ "$purpose" = test ] && ! command -v openssl >/dev/null 2>&1; then missing_debs+=(openssl); fi

if [ ${#missing_debs[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "install-deps: installing ${missing_debs[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
    else
        echo "install-deps: missing ${missing_debs[*]}." >&2
        echo "  Debian/Ubuntu: sudo apt-get install ${missing_debs[*]}" >&2
        echo "  macOS:         brew install postgresql libpq pkg-config" >&2
        exit 1
    fi
fi

if [ "$purpose" = test ] && ! command -v openapi-spec-validator >/dev/null 2>&1; then
    echo "install-deps: installing openapi-spec-validator (PyPI)" >&2
    python3 -m pip install --quiet openapi-spec-validator \
        || { echo "install-deps: pip install openapi-spec-validator failed" >&2; exit 1; }
fi

# The Standard Webhooks reference verifier: WebhookSignatureTests checks deliveries with it.
if [ "$purpose" = test ] && ! python3 -c 'import standardwebhooks' >/dev/null 2>&1; then
    echo "install-deps: installing standardwebhooks (PyPI)" >&2
    python3 -m pip install --quiet standardwebhooks \
        || { echo "install-deps: pip install standardwebhooks failed" >&2; exit 1; }
fi

command -v swift >/dev/null 2>&1 || { echo "install-deps: Swift 6 toolchain not found on PATH (https://swift.org/install)" >&2; exit 1; }
