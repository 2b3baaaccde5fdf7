#!/usr/bin/env python3
"""How long one sock_diag dump takes, as the runner makes them to ask the
kernel whether a step is over (src/kernel/diag.rs), in a network namespace
like socklab's lab hosts get (their own TCP and UDP tables).

    sudo unshare -n sh -c 'sysctl -qw net.ipv4.tcp_child_ehash_entries=4096 \\
        net.ipv4.udp_child_hash_entries=4096; unshare -n python3 scripts/bench-diag.py'

Prints the microseconds per dump for TCP and UDP, IPv4 and IPv6, asking for
every state (what the kernel view lists) and for every state but LISTEN and
TCP_BOUND_INACTIVE (what a step waits on): Linux 6.7 and later walk
machine-wide tables for those two, whatever the namespace's own table.
"""
import socket
import struct
import time

NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
REQUEST_DUMP = 0x001 | 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
EVERY_STATE = 0xFFFFFFFF
IN_PLAY = EVERY_STATE & ~(1 << 10) & ~(1 << 13)  # not LISTEN, not BOUND_INACTIVE

diag = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)


def dump(family, protocol, states):
    # struct inet_diag_req_v2, then a zero inet_diag_sockid.
    request = struct.pack("=BBBBI", family, protocol, 0, 0, states) + bytes(48)
    header = struct.pack("=IHHII", 16 + len(request), SOCK_DIAG_BY_FAMILY, REQUEST_DUMP, 1, 0)
    diag.send(header + request)
    while True:
        data = diag.recv(65536)
        at = 0
        while at < len(data):
            length, kind = struct.unpack_from("=IH", data, at)
            if kind in (NLMSG_DONE, NLMSG_ERROR):
                return
            at += (length + 3) & ~3


RUNS = 300
for states, which in [(EVERY_STATE, "every state"), (IN_PLAY, "a step's look")]:
    for family, fname in [(socket.AF_INET, "IPv4"), (socket.AF_INET6, "IPv6")]:
        for protocol, pname in [(socket.IPPROTO_TCP, "TCP"), (socket.IPPROTO_UDP, "UDP")]:
            start = time.perf_counter()
            for _ in range(RUNS):
                dump(family, protocol, states)
            each = (time.perf_counter() - start) / RUNS * 1e6
            print(f"{which:14} {pname} {fname}: {each:6.1f} µs per dump")
