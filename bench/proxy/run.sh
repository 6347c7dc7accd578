#!/usr/bin/env bash
# Benchmark: HTTPS through the mstg proxy (trusted-ca) vs mitmdump vs direct, same load client, same nginx origin,
# all on loopback. Prints JSON lines and writes bench/proxy/results.jsonl. Usage: bench/proxy/run.sh [seconds]
set -euo pipefail
SECONDS_PER_RUN=${1:-10}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/mstg-bench.XXXXXX)
OUT="$ROOT/bench/proxy/results.jsonl"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }

ORIGIN=$(free_port); MSTG=$(free_port); MITM=$(free_port)

# Origin: nginx with a certificate from a throwaway CA (ECDSA P-256), keep-alive without limit.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench origin CA" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" -addext basicConstraints=critical,CA:TRUE 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$WORK/origin.key" -out "$WORK/origin.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,DNS:*.bench.test\nextendedKeyUsage=serverAuth\n' > "$WORK/ext.cnf"
openssl x509 -req -in "$WORK/origin.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 1 \
  -extfile "$WORK/ext.cnf" -out "$WORK/origin.pem" 2>/dev/null
mkdir -p "$WORK/nginx/logs"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
error_log $WORK/nginx/error.log;
pid $WORK/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$ORIGIN ssl;
    ssl_certificate $WORK/origin.pem; ssl_certificate_key $WORK/origin.key;
    location / { default_type text/plain; return 200 "hello from the bench origin\n"; }
  }
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' & PIDS+=($!)
wait_port "$ORIGIN"

dotnet build -c Release "$ROOT/src/Mstg.Cli" -v q -nologo >/dev/null
dotnet build -c Release "$ROOT/bench/proxy/LoadClient" -v q -nologo >/dev/null
LOAD="dotnet $ROOT/bench/proxy/LoadClient/bin/Release/net10.0/LoadClient.dll"

HOSTS=$(for i in $(seq 1 50); do printf 'h%d.bench.test,' "$i"; done); HOSTS=${HOSTS%,}
MAP=$(for h in ${HOSTS//,/ }; do printf '%s=127.0.0.1:%s,' "$h" "$ORIGIN"; done); MAP=${MAP%,}
dotnet "$ROOT/src/Mstg.Cli/bin/Release/net10.0/mstg.dll" proxy --listen 127.0.0.1:$MSTG --condition trusted-ca \
  --upstream-ca "$WORK/ca.pem" --host-map "$MAP" > "$WORK/mstg.log" 2>&1 & PIDS+=($!)
mkdir -p "$WORK/mitm"
mitmdump -q --listen-host 127.0.0.1 -p "$MITM" --set confdir="$WORK/mitm" \
  --set ssl_verify_upstream_trusted_ca="$WORK/ca.pem" > "$WORK/mitm.log" 2>&1 & PIDS+=($!)
wait_port "$MSTG"; wait_port "$MITM"

URL="https://localhost:$ORIGIN/"
: > "$OUT"
run() { # name, extra LoadClient args...
  local name=$1; shift
  local result; result=$($LOAD --url "$URL" --seconds "$SECONDS_PER_RUN" "$@")
  echo "{\"run\":\"$name\",\"result\":$result}" | tee -a "$OUT"
}
for c in 1 8; do
  run "direct c=$c keep-alive" --concurrency $c
  run "mstg c=$c keep-alive" --concurrency $c --proxy "http://127.0.0.1:$MSTG"
  run "mitmdump c=$c keep-alive" --concurrency $c --proxy "http://127.0.0.1:$MITM"
done
run "direct c=8 new-connection-per-request" --concurrency 8 --fresh-connections
run "mstg c=8 new-connection-per-request" --concurrency 8 --fresh-connections --proxy "http://127.0.0.1:$MSTG"
run "mitmdump c=8 new-connection-per-request" --concurrency 8 --fresh-connections --proxy "http://127.0.0.1:$MITM"
# Certificate cache: first request to 50 never-seen hosts (cold: leaf generated), then the same 50 again (warm).
COLD_URL="https://HOST:$ORIGIN/"
# The load client's result is assigned first: inside the echo's argument its exit status would be lost.
cold=$($LOAD --url "$COLD_URL" --proxy "http://127.0.0.1:$MSTG" --hosts "$HOSTS")
echo "{\"run\":\"mstg cold cert cache (50 new hosts, 1 request each)\",\"result\":$cold}" | tee -a "$OUT"
warm=$($LOAD --url "$COLD_URL" --proxy "http://127.0.0.1:$MSTG" --hosts "$HOSTS")
echo "{\"run\":\"mstg warm cert cache (same 50 hosts again)\",\"result\":$warm}" | tee -a "$OUT"
echo "results in $OUT"
