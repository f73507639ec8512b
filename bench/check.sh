#!/usr/bin/env bash
# sfc check's speed: the wildlife pipeline explored exhaustively (every
# outcome of its 9 tasks with their retries), and 100,000 random paths of
# each shipped workflow (--max-paths 100000 on a space made larger than
# that with --every-error, or the exhaustive run when the space is
# smaller). Prints wall time and peak memory (GNU time) of three runs, and
# the instructions of one (cachegrind) when valgrind is installed.
# Targets: exhaustive wildlife at most 1 s; 100,000 random paths at most 5 s.
#
# usage: bench/check.sh      (needs cargo; /usr/bin/time; valgrind optional)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$root" && cargo build --release --quiet --bin sfc)
sfc="$root/target/release/sfc"
run() {
  local name="$1"; shift
  for i in 1 2 3; do
    /usr/bin/time -f "$name: %e s, %M KB peak" "$sfc" check "$@" > /dev/null || true
  done
  "$sfc" check "$@" | head -1
  if command -v valgrind > /dev/null; then
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$sfc" check "$@" 2>&1 >/dev/null \
      | sed -n "s/.*I *refs: *\([0-9,]*\).*/$name: \1 instructions/p"
  fi
}
cd "$root"
run "wildlife, every path" workflows/wildlife-pipeline.sfc
run "wildlife, 100,000 random paths" workflows/wildlife-pipeline.sfc --every-error --max-paths 100000 --seed 1
