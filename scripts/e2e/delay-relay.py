#!/usr/bin/env python3
"""Delay and jitter for every forwarded packet, UDP and TCP alike, without netem.

The kernel on our machines has no sch_netem, so the router namespace routes forwarded packets
into a TUN device (policy routing, see impairments.sh); this relay reads each IP packet from
the device, holds it for DELAY +/- JITTER milliseconds and writes it back, and the kernel
forwards it on towards its destination. It works like toxiproxy's latency toxic, one layer
lower, so a single relay covers UDP, TCP and ICMP in both directions.

Packets leave in the order they arrived (a release time never precedes the previous one):
jitter then varies the spacing, as a queue would, instead of reordering packets (netem
reorders when jitter exceeds the packet spacing, which would also measure TCP's reordering
handling rather than latency).

    delay-relay.py DEVICE --delay-ms 100 [--jitter-ms 10]

Runs until SIGTERM or SIGINT; the device must already exist (ip tuntap add DEVICE mode tun).
"""
import argparse
import collections
import fcntl
import os
import random
import select
import signal
import struct
import sys
import time

# linux/if_tun.h
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
MAX_PACKET = 65535


def open_tun(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("device")
    parser.add_argument("--delay-ms", type=float, required=True, help="hold per packet (one way)")
    parser.add_argument("--jitter-ms", type=float, default=0.0, help="uniform +/- around the delay")
    args = parser.parse_args()
    if args.delay_ms < 0 or args.jitter_ms < 0 or args.jitter_ms > args.delay_ms:
        parser.error("need 0 <= jitter <= delay")

    fd = open_tun(args.device)
    stop = False

    def on_signal(_signum, _frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    delay = args.delay_ms / 1000.0
    jitter = args.jitter_ms / 1000.0
    held = collections.deque()  # (release time, packet), release times non-decreasing
    last_release = 0.0
    print(f"delay-relay: {args.device} delay {args.delay_ms} ms jitter {args.jitter_ms} ms", file=sys.stderr, flush=True)
    while not stop:
        now = time.monotonic()
        while held and held[0][0] <= now:
            _, packet = held.popleft()
            try:
                os.write(fd, packet)
            except OSError:
                pass  # a full device queue drops the packet, as a full router queue would
        timeout = max(0.0, held[0][0] - now) if held else 1.0
        try:
            readable, _, _ = select.select([fd], [], [], timeout)
        except InterruptedError:
            continue
        if not readable:
            continue
        arrived = time.monotonic()
        for _ in range(256):  # bounded, so a busy device cannot starve the writes above
            try:
                packet = os.read(fd, MAX_PACKET)
            except BlockingIOError:
                break
            release = arrived + delay + (random.uniform(-jitter, jitter) if jitter else 0.0)
            last_release = max(release, last_release)
            held.append((last_release, packet))
    os.close(fd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
