#!/usr/bin/env bash
# Benchmark: `socklab watch` during a 1 GB transfer over loopback between
# two ordinary programs (a Python client and server), against tcpdump
# capturing the same transfer. Prints the frames each saw, socklab's time
# and CPU, and whether the summary kept up.
#
# Runs in a private network namespace (its own loopback, nothing else
# touched). Needs root, tcpdump and python3 (Debian: apt-get install
# tcpdump python3). Usage: scripts/bench-watch.sh [MEGABYTES] (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-1000}
# json: every packet as an object, counted exactly; ladder: what a learner
# sees (bulk runs summarised live), and its closing summary.
format=${FORMAT:-json}
cargo build --release --quiet
socklab=$PWD/target/release/socklab
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

unshare -n bash -c '
  set -euo pipefail
  ip link set lo up
  tcpdump -Z root -i lo -s 96 -B 65536 -w "'"$work"'/dump.pcap" tcp port 5000 2>"'"$work"'/tcpdump.err" &
  dump=$!
  /usr/bin/time -f "%e s wall, %U s user, %S s system, %M KiB peak" -o "'"$work"'/watch.time" \
    "'"$socklab"'" --color never watch --port 5000 --format "'"$format"'" \
    > "'"$work"'/watch.out" &
  watch=$!
  sleep 1
  start=$(date +%s.%N)
  python3 - "'"$mb"'" <<PY
import socket, sys, threading
total = int(sys.argv[1]) * 1000 * 1000
srv = socket.socket(); srv.bind(("127.0.0.1", 5000)); srv.listen()
def serve():
    conn, _ = srv.accept()
    got = 0
    while True:
        data = conn.recv(1 << 20)
        if not data:
            break
        got += len(data)
    conn.close()
    assert got == total, got
t = threading.Thread(target=serve); t.start()
c = socket.create_connection(("127.0.0.1", 5000))
block = b"x" * (1 << 20)
sent = 0
while sent < total:
    n = min(len(block), total - sent)
    c.sendall(block[:n]); sent += n
c.close(); t.join()
PY
  end=$(date +%s.%N)
  echo "transfer: '"$mb"' MB in $(echo "$end - $start" | bc) s"
  sleep 2
  pkill -INT -f "socklab --color never watch" || true; wait $watch || true
  kill -INT $dump; wait $dump || true
'
frames_dump=$(tcpdump -r "$work/dump.pcap" 2>/dev/null | wc -l)
echo "tcpdump: $frames_dump frames ($(grep -o '[0-9]* packets dropped by kernel' "$work/tcpdump.err" || echo '? dropped'))"
echo "socklab watch ($format): $(cat "$work/watch.time")"
if [ "$format" = json ]; then
  frames_watch=$(grep -c '"event":"packet"' "$work/watch.out" || true)
  echo "socklab watch: $frames_watch frames; $(grep '"event":"conversation"' "$work/watch.out" | head -1)"
else
  frames_watch=$(grep -o '[0-9]* packets;' "$work/watch.out" | head -1 | cut -d' ' -f1)
  echo "socklab watch: ladder of $(wc -l < "$work/watch.out") lines, ending:"
  tail -4 "$work/watch.out"
fi
if [ "$frames_dump" = "$frames_watch" ]; then
  echo "every frame accounted for"
else
  echo "MISMATCH: tcpdump $frames_dump, socklab watch $frames_watch"
fi
