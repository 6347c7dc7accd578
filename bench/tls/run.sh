#!/usr/bin/env bash
# Benchmark: a full scan of 1 and of 20 TLS endpoints with `mstg tls`, testssl.sh and sslscan, all on loopback
# against the same nginx. Usage: bench/tls/run.sh [runs-for-one-endpoint]
# Prints a Markdown table and writes bench/tls/results.json (hyperfine's JSON for each group).
set -euo pipefail
RUNS=${1:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/mstg-bench-tls.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }

# A throwaway CA and an RSA-2048 leaf for localhost.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bench tls CA" -keyout "$WORK/ca.key" -out "$WORK/ca.pem" \
  -addext basicConstraints=critical,CA:TRUE 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$WORK/leaf.key" -out "$WORK/leaf.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$WORK/ext.cnf"
openssl x509 -req -in "$WORK/leaf.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" -CAcreateserial -days 1 \
  -extfile "$WORK/ext.cnf" -out "$WORK/leaf.pem" 2>/dev/null

# One nginx, 20 TLS ports, a common production configuration (TLS 1.2 + 1.3, HIGH:!aNULL:!MD5: about 30 suites).
# Twenty distinct free ports, bound together so none is handed out twice.
read -r -a PORTS <<< "$(python3 -c 'import socket; ss=[socket.socket() for _ in range(20)]; [s.bind(("127.0.0.1",0)) for s in ss]; print(" ".join(str(s.getsockname()[1]) for s in ss))')"
mkdir -p "$WORK/nginx"
{
  echo "worker_processes 2; error_log $WORK/nginx/error.log; pid $WORK/nginx/nginx.pid;"
  echo "events { worker_connections 4096; }"
  echo "http { access_log off; client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;"
  echo "  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;"
  for p in "${PORTS[@]}"; do
    echo "  server { listen 127.0.0.1:$p ssl; ssl_certificate $WORK/leaf.pem; ssl_certificate_key $WORK/leaf.key;"
    echo "    ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers HIGH:!aNULL:!MD5; location / { return 200 \"ok\n\"; } }"
  done
  echo "}"
} > "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' & PIDS+=($!)
for p in "${PORTS[@]}"; do wait_port "$p"; done

dotnet build -c Release "$ROOT/src/Mstg.Cli" -v q -nologo >/dev/null
MSTG="$ROOT/src/Mstg.Cli/bin/Release/net10.0/mstg"
ONE="localhost:${PORTS[0]}"
ALL=$(for p in "${PORTS[@]}"; do printf 'localhost:%s ' "$p"; done)
for p in "${PORTS[@]}"; do echo "127.0.0.1:$p"; done > "$WORK/targets.txt"

# Same ground for each tool: protocols, every cipher suite, the certificate. testssl.sh: -p -e -S; sslscan: its default run
# (protocols, suites, groups, certificate, plus heartbleed/renegotiation/compression checks); mstg tls: its whole run.
TESTSSL="testssl --quiet --color 0 --warnings off -p -e -S"
hyperfine --style basic --runs "$RUNS" --export-json "$WORK/one.json" \
  -n "mstg tls (1)" "$MSTG tls $ONE --trust $WORK/ca.pem > $WORK/mstg-one.txt || true" \
  -n "sslscan (1)" "sslscan --no-colour 127.0.0.1:${PORTS[0]} > $WORK/sslscan-one.txt" \
  -i -n "testssl.sh (1)" "$TESTSSL 127.0.0.1:${PORTS[0]} > /dev/null"
hyperfine --style basic --runs 1 --export-json "$WORK/twenty.json" \
  -n "mstg tls (20)" "$MSTG tls $ALL --trust $WORK/ca.pem > $WORK/mstg-all.txt || true" \
  -n "sslscan (20)" "sslscan --no-colour --targets=$WORK/targets.txt > $WORK/sslscan-all.txt" \
  -i -n "testssl.sh (20, --parallel)" "$TESTSSL --parallel --file $WORK/targets.txt > /dev/null"

python3 - "$WORK/one.json" "$WORK/twenty.json" "$ROOT/bench/tls/results.json" <<'PY'
import json, sys
groups = [json.load(open(p))["results"] for p in sys.argv[1:3]]
json.dump({"one": groups[0], "twenty": groups[1]}, open(sys.argv[3], "w"), indent=1)
print("| run | mean s | min s | max s | vs mstg |")
print("| --- | ---: | ---: | ---: | ---: |")
for g in groups:
    base = g[0]["mean"]
    for r in g:
        print(f"| {r['command']} | {r['mean']:.2f} | {r['min']:.2f} | {r['max']:.2f} | {r['mean']/base:.1f}x |")
PY
