#!/usr/bin/env bash
# The soak (tests/soak.rs): `socklab run --all --auto` RUNS times per
# stream, STREAMS streams side by side as root and as many as uid 65534,
# with both cores also kept busy; every run's output (redacted as the
# snapshots are) must equal the first. Prints each run as it ends and the
# figures at the end; a run that failed or differed is kept in
# target/soak/ with its standard error.
#
# Usage (as root): scripts/soak.sh [RUNS per stream, default 250] [STREAMS, default 4]
# SOCKLAB_SOAK_SECONDS=T: start no run after T seconds (the figures say how
# many ran). SOAK_BUSY=N: N busy loops beside the soak (default: one per core; 0 when
# something else already keeps the cores busy).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-250}
streams=${2:-4}
busy=${SOAK_BUSY:-$(nproc)}

cargo test --release --test soak --no-run --quiet
loops=()
cleanup() { [ ${#loops[@]} -eq 0 ] || kill "${loops[@]}" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 "$busy"); do
  bash -c 'while :; do :; done' &
  loops+=($!)
done
echo "soak: $runs runs x $streams streams per user, $busy busy loops, $(nproc) cores" >&2
rm -rf target/soak
SOCKLAB_SOAK_RUNS=$runs SOCKLAB_SOAK_STREAMS=$streams SOCKLAB_SOAK_DIR=$PWD/target/soak \
  cargo test --release --quiet --test soak -- --nocapture
