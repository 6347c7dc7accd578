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

# Sizes are assigned before they are printed: a failing pipeline inside "$(…)" as an argument would be lost.
compressed=$(du -m "$ipa" | cut -f1)
uncompressed=$(unzip -l "$ipa" | tail -1 | awk '{print int($1/1048576)}')
echo "IPA: $ipa ($compressed MB compressed, $uncompressed MB uncompressed)"
echo "cores: $(nproc)"
# mstg scan exits 1 when it has findings (it has: the app allows arbitrary loads), hence --ignore-failure for both
# commands; the peer pipeline runs under bash -o pipefail so that unzip failing is not a fast "success" of grep.
hyperfine --warmup 1 --runs 5 --ignore-failure --shell "bash -o pipefail" --export-json bench/out/scan-hyperfine.json \
  -n "mstg scan" "$mstg scan $ipa --format json --output /dev/null" \
  -n "unzip -p | strings | grep http://" "unzip -p $ipa | strings | grep 'http://' > /dev/null"

# Peak resident memory of the largest process of a command, from GNU time's report file (no pipe to hide time's status).
peak() {
  local report; report=$(mktemp)
  /usr/bin/time -v -o "$report" bash -o pipefail -c "$1" >/dev/null
  awk -F': ' '/Maximum resident set size/ {printf "%.0f MB\n", $2/1024}' "$report"
  rm -f "$report"
}
rss_mstg=$(peak "$mstg scan $ipa --format json --output /dev/null || true")
rss_pipeline=$(peak "unzip -p $ipa | strings | grep 'http://' > /dev/null")
echo "peak RSS mstg scan:        $rss_mstg"
echo "peak RSS unzip|strings|grep (largest process): $rss_pipeline"
"$mstg" scan "$ipa" --format json --output bench/out/large-scan.json || [ $? -eq 1 ] # 1: findings; anything else is a failure
findings=$(grep -c '"ruleId"' bench/out/large-scan.json)
http_lines=$(unzip -p "$ipa" | strings | grep -c 'http://')
echo "mstg findings: $findings"
echo "pipeline http:// lines: $http_lines"
