#!/usr/bin/env bash
# Scan benchmark: mstg scan versus `unzip -p | strings | grep http://` on the same large IPA.
# Prints wall time (hyperfine, 5 runs) and peak resident memory (/usr/bin/time -v) for both.
#   usage: bench/scan/run.sh [IPA]   (builds bench/out/large.ipa when none is given)
set -euo pipefail
cd "$(dirname "$0")/../.."
ipa=${1:-bench/out/large.ipa}
mkdir -p bench/out
[ -f "$ipa" ] || bench/scan/make-large-ipa.sh "$ipa"
dotnet publish src/Mstg.Cli -c Release -o bench/out/mstg --nologo -v quiet >/dev/null
mstg=bench/out/mstg/mstg

echo "IPA: $ipa ($(du -m "$ipa" | cut -f1) MB compressed, $(unzip -l "$ipa" | tail -1 | awk '{print int($1/1048576)}') MB uncompressed)"
echo "cores: $(nproc)"
hyperfine --warmup 1 --runs 5 --ignore-failure --export-json bench/out/scan-hyperfine.json \
  -n "mstg scan" "$mstg scan $ipa --format json --output /dev/null" \
  -n "unzip -p | strings | grep http://" "unzip -p $ipa | strings | grep 'http://' > /dev/null"

peak() { /usr/bin/time -v bash -c "$1" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {printf "%.0f MB\n", $2/1024}'; }
echo "peak RSS mstg scan:        $(peak "$mstg scan $ipa --format json --output /dev/null || true")"
echo "peak RSS unzip|strings|grep (largest process): $(peak "unzip -p $ipa | strings | grep 'http://' > /dev/null")"
"$mstg" scan "$ipa" --format json --output bench/out/large-scan.json || true
echo "mstg findings: $(grep -c '"ruleId"' bench/out/large-scan.json)"
echo "pipeline http:// lines: $(unzip -p "$ipa" | strings | grep -c 'http://')"
