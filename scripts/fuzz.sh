#!/usr/bin/env bash
# Fuzz socklab's readers of untrusted input with AFL++ (cargo-afl, stable
# toolchain), one target after the other, and print each run's figures.
#
# Targets (src/fuzzing.rs): decode (one frame, every link type), track (a
# sequence of frames decoded, tracked and presented as replay does),
# capture_file (a pcap/pcapng file), lesson (a lesson or exercise file
# parsed, checked and shown), recording (a recording loaded and shown).
# Seeds are made from the repository's own captures, lessons and
# recordings. A crash or hang is copied into tests/fuzz/regressions/TARGET/,
# which plain `cargo test --test fuzz_regressions` replays.
#
# Needs cargo-afl once: cargo install cargo-afl && cargo afl config --build
# Usage: scripts/fuzz.sh [EXECUTIONS per target, default 10000000] [TARGET...]
# FUZZ_SECONDS=N also stops each target after N seconds (for slow targets:
# the figures then say how many executions that time allowed).
set -euo pipefail
cd "$(dirname "$0")/.."
execs=${1:-10000000}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode track capture_file lesson recording)

command -v cargo-afl >/dev/null || {
  echo "needs cargo-afl: cargo install cargo-afl && cargo afl config --build" >&2
  exit 2
}
(cd fuzz && cargo afl build --release --quiet)
fuzzer=$PWD/fuzz/target/release/socklab-fuzz
work=$PWD/fuzz/out
# Seeds of this invocation's own (two invocations may run side by side,
# each on its own targets).
seeds=$work/seeds.$$
rm -rf "$seeds"
trap 'rm -rf "$seeds"' EXIT
"$fuzzer" seeds "$seeds"

# Figures of one run, from AFL++'s own fuzzer_stats.
figures() {
  awk -F' *: *' -v t="$1" '
    { s[$1] = $2 }
    END {
      printf "%-13s %12s execs  %8s/s  %6ss  coverage %-7s  corpus %5s  crashes %s  hangs %s\n",
        t, s["execs_done"], s["execs_per_sec"], s["run_time"], s["bitmap_cvg"],
        s["corpus_count"], s["saved_crashes"], s["saved_hangs"]
    }' "$2"
}

summary=()
for target in "${targets[@]}"; do
  out=$work/$target
  rm -rf "$out"
  echo "fuzzing $target for $execs executions${FUZZ_SECONDS:+ or $FUZZ_SECONDS s} ..." >&2
  # -E: stop after that many executions (-V: or seconds); -t: a run over
  # 1 s is a hang.
  limit=(-E "$execs")
  [ -z "${FUZZ_SECONDS:-}" ] || limit+=(-V "$FUZZ_SECONDS")
  AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    AFL_IGNORE_SEED_PROBLEMS=1 AFL_QUIET=1 \
    cargo afl fuzz -i "$seeds/$target" -o "$out" "${limit[@]}" -t 1000 -m none \
    -- "$fuzzer" "$target" >"$work/$target.log" 2>&1 || {
      echo "afl-fuzz failed for $target: see $work/$target.log" >&2
      exit 1
    }
  summary+=("$(figures "$target" "$out/default/fuzzer_stats")")
  for kind in crashes hangs; do
    for found in "$out"/default/$kind/id:*; do
      [ -e "$found" ] || continue
      mkdir -p "tests/fuzz/regressions/$target"
      cp "$found" "tests/fuzz/regressions/$target/$kind-$(sha1sum "$found" | cut -c1-12)"
    done
  done
done
printf '%s\n' "${summary[@]}"
