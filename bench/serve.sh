#!/usr/bin/env bash
# The API server under load from concurrent aws-sdk-sfn clients
# (server/examples/load.rs), beside moto's server under the same load:
# StartSyncExecution of the 10-state pass chain, and StartExecution +
# DescribeExecution. Both servers listen on loopback ports of this machine
# and are stopped afterwards; moto is installed into a temporary folder.
#
# usage: bench/serve.sh [CLIENTS] [SECONDS] [RATE]     (needs cargo, python3)
# StartSyncExecution runs twice: a closed loop (as fast as answers come: the
# most calls per second, with a latency of CLIENTS / rate by construction)
# and RATE calls per second offered on a schedule (default 5000, the
# target; latency then counts from when each call was due).
# LOAD_THREADS sets the client's threads (default 1: the other core is the server's).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
clients="${1:-32}"
seconds="${2:-5}"
rate="${3:-5000}"
tmp="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

echo "building sfc and the load client (release)..." >&2
(cd "$root" && cargo build --release --quiet --bin sfc && cargo build --release --quiet -p sfc-server --example load)
load="$root/target/release/examples/load"
chain="$root/bench/workloads/pass-chain.asl.json"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

port="$(free_port)"
"$root/target/release/sfc" serve --port "$port" --time-scale 0 2>"$tmp/sfc.log" &
pids+=($!)
sleep 1
echo "sfc serve, $clients clients, $seconds s each:"
"$load" "http://127.0.0.1:$port" sync "$clients" "$seconds" "$chain"
"$load" "http://127.0.0.1:$port" sync "$clients" "$seconds" "$chain" "$rate"
"$load" "http://127.0.0.1:$port" start-describe "$clients" "$seconds" "$chain"

echo "installing moto[server] into $tmp..." >&2
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]'
port="$(free_port)"
"$tmp/venv/bin/moto_server" -p "$port" >"$tmp/moto.log" 2>&1 &
pids+=($!)
sleep 3
echo "moto_server, $clients clients, $seconds s each:"
"$load" "http://127.0.0.1:$port" sync "$clients" "$seconds" "$chain" || echo "sync: moto failed"
"$load" "http://127.0.0.1:$port" start-describe "$clients" "$seconds" "$chain" || echo "start-describe: moto failed"
