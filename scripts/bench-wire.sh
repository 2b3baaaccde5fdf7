#!/usr/bin/env bash
# How fast the lab wire forwards: a bulk TCP transfer between two hosts on
# socklab's wire (every frame read by pnet on one port, switched, and sent
# out of the other), timed from the ladder's own clock.
#
#   scripts/bench-wire.sh [MEGABYTES]     (default 8)
#
# The runner performs calls one after another, so the whole transfer must
# fit in the two hosts' socket buffers before the server reads: the lesson
# raises tcp_rmem and tcp_wmem on both hosts to 32 MiB.
#
# Prints the frames the wire carried, the transfer's duration and the rate.
# Run as root or as a user with user namespaces; builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-8}
cargo build --release -q
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
bytes=$((mb * 1000 * 1000))
cat > "$dir/bench-wire.toml" <<LESSON
id = "bench-wire"
title = "Bulk transfer across the lab wire"
summary = "$mb MB from client to server."
actors = ["client", "server"]

[network]
# Room for the whole transfer in the socket buffers: the runner calls
# sendall() before the server starts reading.
sysctl = { "net.ipv4.tcp_rmem" = "4096 33554432 33554432", "net.ipv4.tcp_wmem" = "4096 33554432 33554432" }

[[steps]]
title = "Connect"
text = "Connect."
calls = [
  { socket = "server", type = "stream" },
  { bind = "server", port = 7788 },
  { listen = "server", backlog = 1 },
  { socket = "client", type = "stream" },
  { connect = "client", to = "server" },
  { accept = "server", as = "conn" },
]
expect = ["client > server SYN", "server > client SYN ACK", "client > server ACK"]

[[steps]]
title = "Transfer"
text = "The client sends, closes, and the server reads to the end."
calls = [
  { sendall = "client", text = "x", repeat = $bytes },
  { close = "client" },
  { recv_all = "conn", bufsize = 65536 },
]
expect = []
LESSON
start=$(date +%s.%N)
target/release/socklab --color never run --lessons "$dir" bench-wire --auto > "$dir/out.txt"
end=$(date +%s.%N)
# The summary rows give each run's packet count and the time of its last
# packet; the first arrow of step 2 gives its start.
awk -v mb="$mb" -v wall="$(echo "$end - $start" | bc)" '
  /Step 2 of 2/ { step2 = 1 }
  step2 && /^ *[0-9]+\.[0-9]+  / && !first { first = $1 }
  step2 && /^ *[0-9]+\.[0-9]+  / { last = $1 }
  /packets on the wire/ { for (i = 1; i <= NF; i++) if ($(i+1) == "packets") frames = $i }
  END {
    secs = (last - first) / 1000
    printf "frames on the wire (whole run): %d\n", frames
    printf "transfer: %d MB in %.3f s of ladder time (%.0f frames/s, %.1f MB/s)\n", mb, secs, frames / secs, mb / secs
    printf "whole run, set-up included: %.2f s wall\n", wall
  }' "$dir/out.txt"
