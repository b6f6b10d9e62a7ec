#!/usr/bin/env python3
"""A tiny UDP echo for checking the emulated link without the service (selftest.sh).

    udp-echo.py serve HOST:PORT
        Echoes every datagram at once. A datagram "LATER <seconds>" is echoed at once and
        again after <seconds>: the second reply is the only packet of an idle flow, so it
        arrives only while a NAT still holds the flow's mapping.
    udp-echo.py rtt HOST:PORT [--count N] [--interval-ms MS]
        Sends N numbered datagrams; prints `sent received loss_pct min_ms p50_ms max_ms`.
    udp-echo.py idle HOST:PORT --gaps 5,8,12,15
        One flow per gap, all at once; prints `gap_s survived|expired` per gap.
"""
import argparse
import socket
import statistics
import sys
import threading
import time


def address(text: str):
    host, _, port = text.rpartition(":")
    return host, int(port)


def serve(addr) -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(addr)
    while True:
        data, peer = sock.recvfrom(2048)
        sock.sendto(data, peer)
        if data.startswith(b"LATER "):
            delay = float(data.split()[1])
            threading.Timer(delay, sock.sendto, args=(b"AGAIN " + data[6:], peer)).start()


def rtt(addr, count: int, interval_ms: float) -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect(addr)
    sent_at = {}
    rtts = []
    done = threading.Event()

    def receive():
        sock.settimeout(0.2)
        while not done.is_set():
            try:
                data = sock.recv(2048)
            except socket.timeout:
                continue
            except OSError:
                continue
            seq = int(data.split(b" ")[1])
            if seq in sent_at:
                rtts.append((time.monotonic() - sent_at.pop(seq)) * 1000)

    reader = threading.Thread(target=receive)
    reader.start()
    for seq in range(count):
        sent_at[seq] = time.monotonic()
        try:
            sock.send(b"SEQ %d" % seq)
        except OSError:
            pass  # an ICMP error from an earlier datagram; this one counts as lost
        time.sleep(interval_ms / 1000)
    time.sleep(2.0)  # late replies (a delayed link) still count
    done.set()
    reader.join()
    received = len(rtts)
    loss = 100.0 * (count - received) / count
    if rtts:
        print(f"{count} {received} {loss:.2f} {min(rtts):.1f} {statistics.median(rtts):.1f} {max(rtts):.1f}")
    else:
        print(f"{count} 0 100.00 - - -")
    return 0


def idle(addr, gaps) -> int:
    outcomes = {}

    def one(gap: float):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.connect(addr)
        sock.settimeout(gap + 3)
        sock.send(b"LATER %g" % gap)
        try:
            sock.recv(2048)  # the immediate echo opens the mapping
            sock.recv(2048)  # the reply after the idle gap
            outcomes[gap] = "survived"
        except (socket.timeout, OSError):
            outcomes[gap] = "expired"

    threads = [threading.Thread(target=one, args=(gap,)) for gap in gaps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for gap in gaps:
        print(f"{gap:g} {outcomes[gap]}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["serve", "rtt", "idle"])
    parser.add_argument("address")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--interval-ms", type=float, default=10)
    parser.add_argument("--gaps", default="5,8,12,15")
    args = parser.parse_args()
    addr = address(args.address)
    if args.mode == "serve":
        return serve(addr)
    if args.mode == "rtt":
        return rtt(addr, args.count, args.interval_ms)
    return idle(addr, [float(g) for g in args.gaps.split(",")])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
