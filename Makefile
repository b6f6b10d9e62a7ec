# The two commands: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help deps build run test e2e fuzz-api bench-http bench-domain bench-api bench-heavy-site bench-preview bench-webhooks clean

help:
	@echo "make run          serve on 127.0.0.1:8080 (a private PostgreSQL under .data/ unless DATABASE_URL is set)"
	@echo "make test         run every test against a throwaway PostgreSQL cluster (and make e2e where it can)"
	@echo "make e2e          scenario tests on emulated site networks (root: network namespaces)"
	@echo "make fuzz-api     schemathesis against openapi/openapi.yaml for a few minutes; fails on a 500"
	@echo "make bench-http   our HTTP server against nginx, same machine, same run"
	@echo "make bench-domain scoring and validation throughput on one core"
	@echo "make bench-api    ingest against pgbench, GET assessment against nginx, same cluster, same run"
	@echo "make bench-heavy-site  a site with 100,000 results beside 1,000 ordinary ones: upload p99s, cold restart"
	@echo "make bench-preview     a policy preview over 10,000 sites x 288 results (2.88 M): time and peak memory"
	@echo "make bench-webhooks    10,000 sites flip verdict at once: events/s to a loopback receiver; ingest with/without a subscription"

deps:
	@scripts/install-deps.sh run

# Release, as users run it (and as `make test` builds it, in the same scratch path).
build: deps
	swift build -c release --scratch-path .build-release --product readiness

run: build
	scripts/run.sh $(ARGS)

test:
	@scripts/install-deps.sh test
	scripts/test.sh

e2e:
	@scripts/install-deps.sh e2e
	scripts/e2e.sh

fuzz-api: deps
	scripts/fuzz-api.sh

bench-http: deps
	scripts/bench-http.sh

bench-domain:
	scripts/bench-domain.sh

bench-api: deps
	scripts/bench-api.sh

bench-heavy-site: deps
	scripts/bench-heavy-site.sh

bench-preview: deps
	scripts/bench-preview.sh

bench-webhooks: deps
	scripts/bench-webhooks.sh

clean:
	rm -rf .build .build-*
