#!/usr/bin/env python3
"""A user-space netem for kernels without sch_netem: joins two TUN devices and drops and delays every
packet that crosses, in both directions.

usage: impair.py DEV_A DEV_B LOSS DELAY_MS SEED

Opens both TUN devices (created beforehand with `ip tuntap add dev X mode tun`), prints READY, then
copies raw IP packets A->B and B->A: each is dropped with probability LOSS, otherwise written out DELAY_MS
later (order kept within a direction, as netem does without jitter). One of the devices may be moved into
another network namespace after READY: the open descriptor stays attached to it. Exits when stdin closes.
"""
import fcntl
import heapq
import os
import random
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    dev_a, dev_b, loss, delay_ms, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    rng = random.Random(seed)
    a, b = open_tun(dev_a), open_tun(dev_b)
    other = {a: b, b: a}
    pending = []  # (due, sequence, out_fd, packet)
    sequence = 0
    stats = {"forwarded": 0, "dropped": 0}
    print("READY", flush=True)
    stdin = sys.stdin.fileno()
    while True:
        timeout = max(0.0, pending[0][0] - time.monotonic()) if pending else 1.0
        ready, _, _ = select.select([a, b, stdin], [], [], timeout)
        now = time.monotonic()
        for fd in ready:
            if fd == stdin:
                if not os.read(stdin, 4096):
                    print("STATS forwarded=%d dropped=%d" % (stats["forwarded"], stats["dropped"]), flush=True)
                    return
                continue
            while True:
                try:
                    packet = os.read(fd, 65536)
                except BlockingIOError:
                    break
                except OSError:
                    # the device was deleted: the test network is gone
                    print("STATS forwarded=%d dropped=%d" % (stats["forwarded"], stats["dropped"]), flush=True)
                    return
                if rng.random() < loss:
                    stats["dropped"] += 1
                    continue
                sequence += 1
                heapq.heappush(pending, (now + delay_ms / 1000.0, sequence, other[fd], packet))
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, _, out, packet = heapq.heappop(pending)
            try:
                os.write(out, packet)
                stats["forwarded"] += 1
            except OSError:
                stats["dropped"] += 1


if __name__ == "__main__":
    main()
