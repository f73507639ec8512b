#!/usr/bin/env bash
# EXPRESS runs from the CLI: a 1,000,000-turn loop (bench/workloads/
# counting-loop with n = 10^6) and a Map of 1,000 rows of 1,000 cells
# (bench/workloads/nested-map), each as one `sfc run --type express`
# process. Prints wall time and peak memory (GNU time) of three runs, and
# the instructions of one (cachegrind) when valgrind is installed.
# Targets: at most 1.5 s and 50 MB each.
#
# usage: bench/express.sh      (needs cargo; /usr/bin/time; valgrind optional)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && cargo build --release --quiet --bin sfc)
sfc="$root/target/release/sfc"
echo '{"i": 0, "n": 1000000}' > "$tmp/loop.json"
run() {
  local name="$1" def="$2" input="$3"
  for i in 1 2 3; do
    /usr/bin/time -f "$name: %e s, %M KB peak" "$sfc" run --local --type express -q "$def" --input "$input" > /dev/null
  done
  if command -v valgrind > /dev/null; then
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$sfc" run --local --type express -q "$def" --input "$input" 2>&1 >/dev/null \
      | sed -n "s/.*I *refs: *\([0-9,]*\).*/$name: \1 instructions/p"
  fi
}
run "loop of 10^6 turns" "$root/bench/workloads/counting-loop.asl.json" "$tmp/loop.json"
run "nested Map of 10^6 items" "$root/bench/workloads/nested-map.asl.json" "$root/bench/workloads/nested-map.input.json"
