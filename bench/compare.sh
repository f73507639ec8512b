#!/usr/bin/env bash
# Runs the workloads of bench/workloads/ on sfc, aws-local-stepfunctions
# (npm) and moto (PyPI), and prints the median time of each and how many
# times faster sfc is than the faster of the two others.
#
# Both other tools are installed into a temporary folder that is removed
# afterwards. Times are in-process (each tool's own run call, its start-up
# excluded), plus, for sfc, a whole `sfc run --local` process. Each harness
# runs a workload untimed before it times it, at least once and for at
# least 0.2 s (warm-up: sfc prepares the machine, node compiles the code,
# the CPU's clock settles), then prints the median.
#
# What each keeps of an execution: sfc runs the workloads as
# `sfc run --type express` does (no history kept, the machine prepared
# once), but for the retried task, whose back-off outlasts an EXPRESS
# execution's five minutes: that one runs as `sfc run` does, a STANDARD
# execution keeping its history; aws-local-stepfunctions keeps no
# AWS-shaped history; moto keeps an AWS-shaped history with each event's
# payload serialised (its EXPRESS executions are recorded as STANDARD ones
# are).
#
# usage: bench/compare.sh            (needs cargo, node + npm, python3)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/bench/workloads"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "building sfc (release)..." >&2
(cd "$root" && cargo build --release --quiet --bin sfc --example bench_run)
echo "installing aws-local-stepfunctions and moto into $tmp..." >&2
(cd "$tmp" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund aws-local-stepfunctions >/dev/null)
cp "$root/bench/compare/local-sfn.mjs" "$tmp/"
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet 'moto[stepfunctions]' boto3

sfc_bench="$root/target/release/examples/bench_run"
# workload, runs for sfc, for aws-local-stepfunctions, for moto (0 = not
# run), for sfc under cachegrind (the second count of the subtraction),
# and how sfc runs it (bench_run's flags: none for EXPRESS)
# Runs of the small workloads are many: a median of a few hundred runs of
# some microseconds each moved aws-local-stepfunctions' figure between 24
# and 41 us from one invocation to the next; of thousands, 22 to 26 us.
plan=(
  "pass-chain 20000 5000 5 10000"
  "counting-loop 20 5 1 4"
  "big-map 20 5 1 4"
  "retried-task 5000 1000 0 2000 --standard"
)

# The smallest of the numbers read, or "failed" when there is none.
best() { grep -E '^[0-9.]+$' | sort -g | head -1 | grep . || echo failed; }

# sfc's instructions per run of workload $1 (cachegrind): two runs of
# bench_run, of $2 and $3 timed runs, subtracted, so that start-up and
# preparing the machine cancel out; "n/a" without valgrind.
instructions() {
  command -v valgrind >/dev/null || { echo n/a; return; }
  local counts=()
  for runs in "$2" "$3"; do
    counts+=("$(SFC_BENCH_WARM_UP_MS=0 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
      "$sfc_bench" "$1" "$runs" "${@:4}" 2>&1 >/dev/null | sed -n 's/.*I *refs: *//p' | tr -d ,)")
  done
  python3 -c "import sys; a, b, n = (int(x) for x in sys.argv[1:]); print(f'{(b - a) // n:,}')" "${counts[0]}" "${counts[1]}" "$(($3 - $2))" \
    2>/dev/null || echo failed
}

ratio() { python3 -c "import sys; a=float(sys.argv[1]); b=sys.argv[2]; c=sys.argv[3]; o=[float(x) for x in (b, c) if x not in ('n/a', 'failed')]; print(f'{min(o)/a:.1f}x' if o else 'n/a')" "$@"; }

node_ms_pass_chain=n/a
row() { printf '%-15s %14s %26s %14s %12s %18s\n' "$@"; }
row workload "sfc (ms)" "aws-local-stepfunctions" "moto (ms)" "sfc faster" "sfc instr/run"
for line in "${plan[@]}"; do
  read -r name n_sfc n_node n_moto n_instr how <<<"$line"
  # sfc and aws-local-stepfunctions: the best of three medians each, so a
  # busy moment on a shared machine does not decide the ratio (moto, far
  # slower than both, runs once).
  sfc_ms="$(for _ in 1 2 3; do "$sfc_bench" "$name" "$n_sfc" $how; done | best)"
  node_ms="$(for _ in 1 2 3; do (cd "$tmp" && node local-sfn.mjs "$work" "$name" "$n_node" 2>/dev/null); done | best)"
  if [ "$n_moto" -gt 0 ]; then
    moto_ms="$(timeout 1800 "$tmp/venv/bin/python" "$root/bench/compare/moto_run.py" "$work" "$name" "$n_moto" 2>/dev/null || echo failed)"
  else
    moto_ms="n/a"   # its Task would call a real Lambda function
  fi
  [ "$name" = pass-chain ] && node_ms_pass_chain="$node_ms"
  row "$name" "$sfc_ms" "$node_ms" "$moto_ms" "$(ratio "$sfc_ms" "$node_ms" "$moto_ms")" "$(instructions "$name" $((n_instr / 2)) "$n_instr" $how)"
done

# The Pass chain's data work alone (copy the input, write each Result at
# its ResultPath, drop the output, as plainly as serde_json allows, none of
# sfc's code): the floor under any interpreter built on serde_json, beside
# the ratio it would give.
floor_ms="$(for _ in 1 2 3; do "$sfc_bench" pass-chain 20000 --data-only; done | best)"
floor_instr="$(instructions pass-chain 5000 10000 --data-only)"
echo "pass-chain data work alone (serde_json, no interpreter): $floor_ms ms, $(ratio "$floor_ms" "$node_ms_pass_chain" n/a) aws-local-stepfunctions, $floor_instr instructions a run"

# A whole `sfc run --local` process on the small machine (start-up included).
python3 - "$root/target/release/sfc" "$work" <<'PY'
import statistics, subprocess, sys, time
sfc, work = sys.argv[1], sys.argv[2]
times = []
for _ in range(50):
    t0 = time.perf_counter()
    subprocess.run([sfc, "run", "--local", f"{work}/pass-chain.asl.json", "--input", f"{work}/pass-chain.input.json", "-q"],
                   check=True, stdout=subprocess.DEVNULL)
    times.append((time.perf_counter() - t0) * 1000)
print(f"whole 'sfc run --local' of pass-chain: median {statistics.median(times):.2f} ms over {len(times)} runs")
PY
