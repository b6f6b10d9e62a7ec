#!/usr/bin/env python3
"""The harness's client of the readiness API (scripts/e2e.sh), Python standard library only.

Tokens are read from files and sent only in the Authorization header; neither they nor
result bodies are printed.

    readiness-api.py policy NAME FILE
        Stores FILE as the next version of policy NAME; prints the version.
    readiness-api.py site NAME --policy P --users N --longest-call-s S --agent-token-file OUT
        Creates a site under policy P (newest version) and registers one agent; writes the
        agent's token to OUT (mode 0600); prints the site id.
    readiness-api.py check SITE --verdict V [--codes A,B] [--unknown C]
                           [--transport T] [--rate-kbps K] [--udp-timeout-s S] [--run-id-file F]
                           [--show FIGURE]
        Reads the site's assessment and compares it with the expectation. Prints one line,
        what the service returned (`verdict CODES [extras]`), then one line per mismatch;
        exits 1 on any mismatch. --codes is the exact set of findings whose status is fail or
        warn, --unknown the exact set of unknown ones. --show adds
        one of the assessment's figures (rtt_ms, jitter_ms, loss_pct) to the printed line.
    readiness-api.py reflector --ports P[,P...]
        Prints the reflector member of /readyz; exits 1 unless its ports are exactly P and
        none is unbound.

Environment: READINESS_URL (e.g. http://198.18.2.2:443), READINESS_ADMIN_TOKEN_FILE.
"""
import argparse
import json
import math
import os
import sys
import urllib.error
import urllib.request

# Capacity and bandwidth checks allow this much difference from the link's cap (issue 5).
RATE_TOLERANCE = 0.20


class APIError(Exception):
    pass


def call(method: str, path: str, body=None):
    url = os.environ["READINESS_URL"].rstrip("/") + path
    with open(os.environ["READINESS_ADMIN_TOKEN_FILE"]) as f:
        token = f.read().strip()
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        problem = error.read().decode(errors="replace")[:2000]
        raise APIError(f"{method} {path}: HTTP {error.code}: {problem}") from None


def cmd_policy(args) -> int:
    with open(args.file) as f:
        document = json.load(f)
    stored = call("POST", f"/v1/policies/{args.name}/versions", document)
    print(stored.get("version"))
    return 0


def cmd_reflector(args) -> int:
    """The reflector member of /readyz; exit 1 unless it listens on exactly --ports."""
    reflector = call("GET", "/readyz").get("reflector") or {}
    print(json.dumps(reflector, sort_keys=True))
    wanted = sorted(int(port) for port in args.ports.split(","))
    return 0 if reflector.get("ports") == wanted and not reflector.get("unbound_ports") else 1


def cmd_site(args) -> int:
    site = call("POST", "/v1/sites", {
        "name": args.name, "expected_users": args.users, "longest_call_s": args.longest_call_s,
        "policy": {"name": args.policy, "version": None},
    })
    created = call("POST", f"/v1/sites/{site['id']}/agents", {"name": f"{args.name}-agent"})
    descriptor = os.open(args.agent_token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as f:
        f.write(created["token"])
    print(site["id"])
    return 0


def split(codes: str) -> list:
    return [code for code in codes.split(",") if code]


def capacity_from(figures_up: float, figures_down: float, rule: dict, tier: str):
    """readiness-policy.md: floor(bandwidth / (profile x headroom)), the smaller direction."""
    profile = next(t["profile"] for t in rule["tiers"] if t["tier"] == tier)
    headroom = rule.get("headroom", 1.0)
    up = math.floor(figures_up / (profile["up_kbps"] * headroom))
    down = math.floor(figures_down / (profile["down_kbps"] * headroom))
    return min(up, down)


def cmd_check(args) -> int:
    assessment = call("GET", f"/v1/sites/{args.site}/assessment")
    findings = assessment.get("findings") or []
    codes = sorted(f["code"] for f in findings if f.get("status") in ("fail", "warn"))
    unknown = sorted(f["code"] for f in findings if f.get("status") == "unknown")
    got = [assessment.get("verdict") or "-", ",".join(codes) or "(none)"]
    if unknown:
        got.append("unknown:" + ",".join(unknown))
    mismatches = []

    if assessment.get("verdict") != args.verdict:
        mismatches.append(f"verdict {assessment.get('verdict')}, expected {args.verdict}")
    for label, seen, expected in (("findings", codes, split(args.codes)), ("unknown findings", unknown, split(args.unknown))):
        if seen != sorted(expected):
            mismatches.append(f"{label} {seen}, expected {sorted(expected)}")

    if args.show:
        figure = ((assessment.get("figures") or {}).get(args.show) or {}).get("value")
        got.append(f"{args.show}={round(figure, 1) if figure is not None else None}")

    if args.transport:
        got.append(f"transport={assessment.get('transport')}")
        if assessment.get("transport") != args.transport:
            mismatches.append(f"transport {assessment.get('transport')}, expected {args.transport}")

    if args.rate_kbps:
        figures = assessment.get("figures") or {}
        up = (figures.get("up_kbps") or {}).get("value")
        down = (figures.get("down_kbps") or {}).get("value")
        got.append(f"up={up} down={down}")
        for name, value in (("up", up), ("down", down)):
            if value is None or abs(value - args.rate_kbps) > RATE_TOLERANCE * args.rate_kbps:
                mismatches.append(f"{name} {value} kbps not within {RATE_TOLERANCE:.0%} of {args.rate_kbps}")
        if up is not None and down is not None:
            policy = assessment["policy"]
            document = call("GET", f"/v1/policies/{policy['name']}?version={policy['version']}")
            rule = next(r for r in document["rules"] if r["kind"] == "bandwidth")
            capacity = assessment.get("capacity") or {}
            got.append(f"capacity={capacity.get('optimal_users')}/{capacity.get('minimal_users')}")
            for tier in ("optimal", "minimal"):
                expected = capacity_from(up, down, rule, tier)
                if capacity.get(f"{tier}_users") != expected:
                    mismatches.append(f"capacity {tier} {capacity.get(f'{tier}_users')}, computed {expected}")

    if args.udp_timeout_s is not None:
        bounds = udp_timeout_bounds(args.run_id_file)
        got.append(f"udp_timeout=[{bounds.get('lower_bound_s')},{bounds.get('upper_bound_s')}]")
        lower, upper = bounds.get("lower_bound_s"), bounds.get("upper_bound_s")
        if lower is None or upper is None or not lower <= args.udp_timeout_s <= upper:
            mismatches.append(f"udp_timeout bounds [{lower}, {upper}] do not bracket {args.udp_timeout_s} s")

    print(" ".join(str(part) for part in got))
    for mismatch in mismatches:
        print(mismatch)
    return 1 if mismatches else 0


def udp_timeout_bounds(run_id_file) -> dict:
    """The stored result's udp_timeout section: the assessment keeps only the lower bound."""
    if not run_id_file:
        return {}
    with open(run_id_file) as f:
        run_id = f.read().strip()
    stored = call("GET", f"/v1/results/{run_id}")
    result = stored.get("result", stored)
    return result.get("udp_timeout") or {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    policy = commands.add_parser("policy")
    policy.add_argument("name")
    policy.add_argument("file")
    site = commands.add_parser("site")
    site.add_argument("name")
    site.add_argument("--policy", required=True)
    site.add_argument("--users", type=int, default=1)
    site.add_argument("--longest-call-s", type=int, default=20)
    site.add_argument("--agent-token-file", required=True)
    reflector = commands.add_parser("reflector")
    reflector.add_argument("--ports", required=True)
    check = commands.add_parser("check")
    check.add_argument("site")
    check.add_argument("--verdict", required=True)
    check.add_argument("--codes", default="")
    check.add_argument("--unknown", default="")
    check.add_argument("--transport")
    check.add_argument("--rate-kbps", type=float)
    check.add_argument("--udp-timeout-s", type=float)
    check.add_argument("--run-id-file")
    check.add_argument("--show", choices=["rtt_ms", "jitter_ms", "loss_pct"])
    args = parser.parse_args()
    try:
        return {"policy": cmd_policy, "site": cmd_site, "check": cmd_check, "reflector": cmd_reflector}[args.command](args)
    except APIError as error:
        print(error)
        return 2


if __name__ == "__main__":
    sys.exit(main())
