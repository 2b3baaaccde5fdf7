#!/usr/bin/env bash
# How long lessons take, back to back with a bare Python script doing the
# same handshake and close (issue 18).
#
#   sudo scripts/bench-lessons.sh [RUNS]
#
# Each round (RUNS rounds, default 10) times, one after the other:
#   python   a bare Python script: a listening socket, connect, accept, and
#            every socket closed (python3 -S, on the host's loopback);
#   socklab  `socklab run tcp-handshake --auto` (its sandbox, capture,
#            kernel view and rendering included);
# then, once per round, `socklab run --all --auto`. It prints each figure's
# median, lowest and highest, then one run of every lesson with
# SOCKLAB_DEBUG_SETTLE=1, to say where each lesson waits by design: for the
# packets it expects (a retransmission timer, the persist timer, a delayed
# ACK, a long cable), in calls (a settimeout that runs out, a held SYN),
# and for delayed-ACK windows before a step that sends (ATO).
#
# SOCKLAB=path measures another binary; PYTHON=path another Python
# (default /usr/bin/python3: a pyenv shim alone takes 200 ms to start).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
if [ -z "${SOCKLAB:-}" ]; then
  cargo build --release --quiet
  SOCKLAB=target/release/socklab
fi
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
script=$(mktemp --suffix=.py)
trap 'rm -f "$script"' EXIT
cat >"$script" <<'EOF'
import socket
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("127.0.0.1", 0))
server.listen(5)
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(server.getsockname())
conn, addr = server.accept()
client.close()
conn.close()
server.close()
EOF

"$PYTHON" - "$runs" "$SOCKLAB" "$PYTHON" "$script" <<'EOF'
import os, re, statistics, subprocess, sys, time

runs, socklab, python, script = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]

def timed(argv, env=None):
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed: {done.stderr.decode()}")
    return took

figures = {"python": [], "handshake": [], "all": []}
for _ in range(runs):
    figures["python"].append(timed([python, "-S", script]))
    figures["handshake"].append(timed([socklab, "--color", "never", "run", "tcp-handshake", "--auto"]))
for _ in range(runs):
    figures["all"].append(timed([socklab, "--color", "never", "run", "--all", "--auto"]))

def line(name, values, unit=1e3, suffix="ms"):
    med = statistics.median(values)
    print(f"  {name:<42} median {med*unit:8.1f} {suffix}   lowest {min(values)*unit:8.1f}   highest {max(values)*unit:8.1f}")

print(f"{runs} rounds, back to back:")
line("python3 -S handshake and close", figures["python"])
line("socklab run tcp-handshake --auto", figures["handshake"])
ratio = statistics.median(figures["handshake"]) / statistics.median(figures["python"])
print(f"  {'ratio of the medians':<42} {ratio:.2f}x")
line("socklab run --all --auto", figures["all"], 1, "s ")

# Where each lesson waits by design, from one traced run of each.
listed = subprocess.run([socklab, "list"], capture_output=True, text=True).stdout
lessons = [l.split()[0] for l in listed.splitlines() if l and not l.startswith((" ", "Run"))]
print("\nOne traced run of each lesson (ms): wall; waiting by design for expected packets,")
print("in calls (>= 100 ms), for delayed-ACK windows; and the rest")
totals = [0.0] * 5
env = dict(os.environ, SOCKLAB_DEBUG_SETTLE="1")
for lesson in lessons:
    start = time.perf_counter()
    done = subprocess.run([socklab, "--color", "never", "run", lesson, "--auto"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    wall = (time.perf_counter() - start) * 1e3
    trace = done.stderr
    expected = sum(float(x) for x in re.findall(r"expected in after ([\d.]+) ms", trace))
    calls = sum(float(x) for x in re.findall(r"calls took ([\d.]+) ms", trace) if float(x) >= 100)
    ato = sum(float(x) for x in re.findall(r"ATO waited ([\d.]+) ms", trace))
    rest = wall - expected - calls - ato
    for i, v in enumerate((wall, expected, calls, ato, rest)):
        totals[i] += v
    print(f"  {lesson:<22} {wall:8.1f} {expected:8.1f} {calls:8.1f} {ato:8.1f} {rest:8.1f}")
print(f"  {'all lessons':<22} " + " ".join(f"{v:8.1f}" for v in totals))
EOF
