#!/usr/bin/env python3
"""Checks webhook deliveries with the Standard Webhooks reference verifier (PyPI
`standardwebhooks`), as a receiver would. Used by WebhookSignatureTests.

Input (a file named on the command line): a JSON array of deliveries, each
  {"secret": "whsec_...", "headers": {"webhook-id": ..., ...}, "body_base64": "...", "expect": true|false}
`expect` false says the secret must NOT verify (a rotated-out secret after its overlap).
Prints one line per delivery; exits 1 if any delivery verified other than expected, 2 when
the verifier is not installed (`pip install standardwebhooks`).
"""
import base64
import json
import sys

try:
    from standardwebhooks import Webhook
    from standardwebhooks.webhooks import WebhookVerificationError
except ImportError:
    print("standardwebhooks is not installed: pip install standardwebhooks", file=sys.stderr)
    sys.exit(2)


def main(path):
    with open(path) as handle:
        deliveries = json.load(handle)
    failures = 0
    for index, delivery in enumerate(deliveries):
        body = base64.b64decode(delivery["body_base64"])
        try:
            Webhook(delivery["secret"]).verify(body, delivery["headers"])
            verified = True
        except WebhookVerificationError:
            verified = False
        ok = verified == delivery.get("expect", True)
        failures += 0 if ok else 1
        print(f"{index} {delivery['headers'].get('webhook-id')} verified={verified} {'ok' if ok else 'UNEXPECTED'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
