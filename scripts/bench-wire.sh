#!/usr/bin/env bash
# How fast the lab wire forwards: a bulk TCP transfer between two hosts on
# socklab's wire (every frame taken from one port's ring by the switch,
# and sent out of the other), timed by the ladder's own clock.
#
#   scripts/bench-wire.sh [MEGABYTES] [RUNS]     (defaults: 15, 5)
#
# Prints, for each run, the frames per second the wire carried during the
# transfer (its frames / the time from its first frame to the sender's
# FIN; the receiver's ACK of the FIN is timed apart, see below), then the
# median, lowest and highest over the runs. It also says
# how many frames the wire lost (its rings full: the closing line of the
# run says so) and how many segments TCP sent again: both should be 0.
#
# The runner performs calls one after another, so the whole transfer must
# fit in the two hosts' socket buffers before the server reads: the lesson
# raises tcp_rmem and tcp_wmem on both hosts to 32 MiB (and the runner
# reads at most 16 MiB, hence at most 15 MB here).
#
# Run as root or as a user with user namespaces. Builds the release binary;
# SOCKLAB=path/to/socklab measures that binary instead (to compare two).
# The machine's other work shows in the figures: compare runs made back to
# back, and look at the spread, not one run.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-15}
runs=${2:-5}
if [[ -z "${SOCKLAB:-}" ]]; then
  cargo build --release -q
  SOCKLAB=target/release/socklab
fi
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
echo "lab wire, $mb MB over TCP, $runs runs of $SOCKLAB:"
for run in $(seq "$runs"); do
  "$SOCKLAB" --color never run --lessons "$dir" bench-wire --auto > "$dir/out.txt"
  # Step 1's frames (ARP, the handshake) are each on a row of their own;
  # the rest of the run's frames are the transfer's. The transfer is timed
  # from its first frame to the client's FIN, the last frame the sender
  # puts on the wire. What comes after the FIN (the server's ACK of it) is
  # left out, and its wait shown apart: a receiver that gets a FIN enters
  # "ping-pong" mode (Linux, tcp_fin) and may hold that ACK for its
  # delayed-ACK timer, 40 ms or more, a kernel timer and not the wire.
  # A frame's time is when the switch took it from its ring; the switch
  # sends what it took in batches of at most 64 (src/wire/outbox.rs), so
  # up to 63 frames before the FIN may leave after the FIN's time: under
  # 0.5 % of a 15 MB transfer's 12 000-15 000 frames.
  awk -v mb="$mb" -v run="$run" '
    /Step 1 of 2/ { step = 1 }
    /Step 2 of 2/ { step = 2 }
    step == 1 && /^ *[0-9]+\.[0-9]+  / { before++ }
    step == 2 && /^ *[0-9]+\.[0-9]+  / {
      if (!first) first = $1
      if (fin) { after++; last = $1 }
      if (!fin && /FIN/) fin = $1
    }
    /^Lesson complete:/ { total = $3; lost = 0 }
    /The wire lost/ { for (i = 1; i <= NF; i++) if ($i == "lost") lost = $(i+1) }
    /resent/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^resent/) resent += $i }
    END {
      frames = total - before - after
      secs = (fin - first) / 1000
      printf "  run %d: %7.0f frames/s  (%d frames in %.3f s, %.1f MB/s; lost %d, resent %d; the ACK of the FIN %.1f ms later)\n",
        run, frames / secs, frames, secs, mb / secs, lost, resent, last - fin
    }' "$dir/out.txt" | tee -a "$dir/runs.txt"
done
sort -n -k3 "$dir/runs.txt" | awk '
  { fps[NR] = $3 }
  END {
    median = (NR % 2) ? fps[(NR + 1) / 2] : (fps[NR / 2] + fps[NR / 2 + 1]) / 2
    printf "frames/s: median %.0f, lowest %.0f, highest %.0f (%d runs)\n", median, fps[1], fps[NR], NR
  }'
