#!/usr/bin/env bash
# Benchmark of the device side on the reference device (docs/benchmarks.md, "Driving the app"): Appium 3 server start,
# Appium + Chromium session start, the example scenario through the mstg proxy, and restarting a command-line app.
# Needs `npm ci`, chromium, chromium-driver, certutil, curl. Prints JSON lines and writes bench/devices/results.jsonl.
# Usage: bench/devices/run.sh [runs]
set -euo pipefail
RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/mstg-devbench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }

# The reference bank origin: the page the example scenario expects, served by Python's http.server.
# /api/balance is a folder so http.server answers it as HTML (after a redirect to /api/balance/).
mkdir -p "$WORK/site/api/balance"
echo "<html><head><title>Reference bank</title></head><body><h1 id='balance'>42.00</h1><a id='load' href='/api/balance'>Refresh</a></body></html>" > "$WORK/site/index.html"
echo "<html><head><title>Balance</title></head><body><p id='amount'>42.00 EUR</p></body></html>" > "$WORK/site/api/balance/index.html"
ORIGIN=$(free_port)
python3 -m http.server "$ORIGIN" --bind 127.0.0.1 --directory "$WORK/site" > "$WORK/origin.log" 2>&1 &
PIDS+=($!)
wait_port "$ORIGIN"

dotnet build "$ROOT/bench/devices/DeviceBench" -c Release -v q -nologo -o "$WORK/bin" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
dotnet "$WORK/bin/DeviceBench.dll" "$ROOT" "$ORIGIN" "$RUNS" | tee "$ROOT/bench/devices/results.jsonl"
