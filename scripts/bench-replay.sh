#!/usr/bin/env bash
# Benchmark: `socklab replay --format lines` and `--format json` against
# `tcpdump -nr` on a capture of at least 1 000 000 TCP frames, one line per
# frame, all to /dev/null. Prints wall time, CPU time and peak memory of each, for
# RUNS runs back to back (default 3).
#
# The capture is made here, on a private loopback: a Python client sends
# 1000 MB to a Python server in 1000-byte segments (TCP_MAXSEG), and tcpdump
# keeps the first 96 bytes of every frame (`-s 96`), as long captures do.
# Needs root (tcpdump must be able to drop privileges; the capture runs in
# a private network namespace), tcpdump, python3 and ethtool.
# Usage: scripts/bench-replay.sh [WORKDIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
capture=$work/bulk.pcap

for tool in tcpdump python3 ethtool; do
  command -v "$tool" >/dev/null || { echo "needs $tool (Debian: apt-get install $tool)" >&2; exit 2; }
done
cargo build --release --quiet
socklab=$PWD/target/release/socklab

if [ ! -s "$capture" ]; then
  echo "making $capture ..."
  unshare -n bash -c '
    ip link set lo up
    # MTU-sized frames on the wire, not 64 KB super-segments.
    ethtool -K lo tso off gso off gro off >/dev/null
    tcpdump -Z root -i lo -s 96 -B 262144 -w "'"$capture"'" tcp port 5000 2>/dev/null &
    dump=$!
    sleep 1
    python3 - <<PY
import socket
srv = socket.socket(); srv.bind(("127.0.0.1", 5000)); srv.listen()
cli = socket.socket()
cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1000)
cli.connect(("127.0.0.1", 5000))
conn, _ = srv.accept()
import threading
def drain():
    while conn.recv(1 << 20):
        pass
t = threading.Thread(target=drain); t.start()
chunk = b"x" * (1 << 20)
for _ in range(1000):
    cli.sendall(chunk)
cli.close(); t.join(); conn.close()
PY
    sleep 1
    kill -INT $dump
    wait $dump || true
  '
fi

frames=$(tcpdump -nr "$capture" 2>/dev/null | wc -l)
echo "capture: $capture, $frames frames, $(du -h "$capture" | cut -f1)"
if [ "$frames" -lt 1000000 ]; then
  echo "the benchmark needs at least 1 000 000 frames: were the offloads turned off?" >&2
  exit 1
fi

measure() {
  local name=$1; shift
  /usr/bin/time -f "$name: %e s wall, %U s user + %S s system CPU, %M KiB peak memory" "$@" > /dev/null
}
for run in $(seq "${2:-3}"); do
  echo "run $run"
  measure "tcpdump -nr          " tcpdump -nr "$capture"
  measure "socklab replay lines " "$socklab" replay "$capture" --format lines
  measure "socklab replay json  " "$socklab" replay "$capture" --format json
done
