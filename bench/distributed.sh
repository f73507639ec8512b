#!/usr/bin/env bash
# A Distributed Map over a 100,000-row CSV in an --s3-dir folder, 100 rows
# per batch (bench/workloads/distributed-csv), as one `sfc run --type
# express` process: wall time and peak memory (GNU time) of three runs and
# the instructions of one (cachegrind, when valgrind is installed).
# Target: at most 2 s and 300 MB.
#
# usage: bench/distributed.sh      (needs cargo, python3, /usr/bin/time)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && cargo build --release --quiet --bin sfc)
sfc="$root/target/release/sfc"
mkdir -p "$tmp/data"
python3 - "$tmp/data/rows.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("id,name,score\n")
    for i in range(100_000):
        f.write(f"{i},name{i},{i % 97}\n")
PY
def="$root/bench/workloads/distributed-csv.asl.json"
for i in 1 2 3; do
  /usr/bin/time -f "100,000 CSV rows in batches of 100: %e s, %M KB peak" "$sfc" run --local --type express -q "$def" --s3-dir "$tmp" > /dev/null
done
if command -v valgrind > /dev/null; then
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$sfc" run --local --type express -q "$def" --s3-dir "$tmp" 2>&1 >/dev/null \
    | sed -n "s/.*I *refs: *\([0-9,]*\).*/100,000 CSV rows in batches of 100: \1 instructions/p"
fi
