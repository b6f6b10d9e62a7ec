#!/usr/bin/env python3
"""Fills one site's freshness window through the API, as a busy agent fleet would: COUNT
results (batches of 500, the most a request may hold) finishing over the last 20 hours, from
50 agent hostnames, with varied measurements. Usage: fill-heavy-site.py PORT TOKEN COUNT"""
import http.client
import json
import random
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

port, token, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
now = datetime.now(timezone.utc)


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def result(index):
    finished = now - timedelta(seconds=60 + (count - index) * (20 * 3600 / count))
    return {
        "schema": "probe-result/v1", "run_id": str(uuid.uuid4()),
        "agent": {"version": "1.0.0", "os": "linux", "hostname": f"heavy-{index % 50}"},
        "started_at": stamp(finished - timedelta(seconds=60)), "finished_at": stamp(finished),
        "network": {"interface": "wired", "proxy": {"present": False, "kind": "none", "in_media_path": False},
                    "vpn": {"present": False, "tunnel": "none", "media_excluded": False}},
        "reachability": [{"protocol": "tcp", "host": "app.sococo.com", "port": 443, "reachable": True, "connect_ms": 21.5},
                         {"protocol": "udp", "host": "media.chime.aws", "port": 3478, "reachable": True, "connect_ms": 19.0}],
        "gateway": [{"kind": "websocket", "host": "app.sococo.com", "allowed": True, "via_proxy": False, "status": 101}],
        "udp_timeout": {"lower_bound_s": 3600, "probe_max_s": 3600},
        "latency": [{"host": "media.chime.aws", "protocol": "udp", "samples": 50,
                     "rtt_ms": {"min": 12.0, "p50": round(15 + random.random() * 60, 1), "p95": 80.5, "max": 120.1},
                     "jitter_ms": round(random.random() * 8, 1), "loss_pct": round(random.random() * 0.5, 2)}],
        "bandwidth": {"down_kbps": random.randint(20000, 200000), "up_kbps": random.randint(5000, 80000)},
    }


connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
started = time.monotonic()
done = 0
while done < count:
    size = min(500, count - done)
    body = json.dumps({"results": [result(done + i) for i in range(size)]})
    connection.request("POST", "/v1/results", body=body,
                       headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    response.read()
    if response.status not in (200, 201):
        sys.exit(f"fill: upload answered {response.status}")
    done += size
print(f"heavy site filled: {done} results in {time.monotonic() - started:.1f} s", file=sys.stderr)
