#!/usr/bin/env bash
# One entry point for people and CI:
#   ./build.sh main    run the MSTG-NETWORK suites against the embedded reference targets, then build the Allure report
#   ./build.sh test    run every test of the repository and print "N passed, N failed, N skipped"
#   ./build.sh setup   install what the other two need (Debian packages, npm packages, NuGet restore)
#   ./build.sh scan …  run the mstg command line (for example: ./build.sh scan App.ipa --profile L2)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
ARTIFACTS=$ROOT/artifacts

# Debian packages the tests and reference targets use: clang/lld/llvm build real iOS Mach-O files,
# plistutil converts plists, openssl/curl/nginx/mitmproxy/testssl.sh are oracles and peers, chromium renders reports.
APT_PACKAGES=(clang-14 lld-14 llvm-14 libplist-utils openssl curl nginx chromium chromium-driver libnss3-tools
              testssl.sh mitmproxy sslscan hyperfine zip unzip iproute2 iptables time default-jre-headless nodejs npm gnutls-bin)

log() { printf '\n== %s\n' "$*" >&2; }

setup() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  # A JRE may come from elsewhere (the image's own JDK): Allure 2 only needs `java` on PATH.
  if command -v java >/dev/null 2>&1; then missing=("${missing[@]/default-jre-headless}"); fi
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}"); fi
  local wanted=()
  for p in "${missing[@]}"; do [ -n "$p" ] && wanted+=("$p"); done
  if [ ${#wanted[@]} -gt 0 ]; then
    log "installing Debian packages: ${wanted[*]}"
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
  fi
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci (Allure command lines pinned in package.json)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
  log "dotnet restore"
  dotnet restore MstgTests.sln --verbosity quiet
}

# Sums the per-assembly summaries that `dotnet test` prints ("Failed!  - Failed: 1, Passed: 9, Skipped: 0, Total: 10")
# into the one closing line CI reads.
summarize() {
  awk '/(Passed|Failed)!  - Failed:/ {
         for (i = 1; i <= NF; i++) {
           if ($i == "Failed:")  { f += $(i+1) + 0 }
           if ($i == "Passed:")  { p += $(i+1) + 0 }
           if ($i == "Skipped:") { s += $(i+1) + 0 }
         }
       }
       # The console logger at normal verbosity ends with a block instead ("Total tests: N", "Passed: N" ...).
       /^Total tests:/ { block = 1 }
       block && $1 == "Passed:"  { bp += $2 }
       block && $1 == "Failed:"  { bf += $2 }
       block && $1 == "Skipped:" { bs += $2 }
       END { if (p + f + s == 0) { p = bp; f = bf; s = bs }
             printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$1"
}

run_tests() {
  setup
  mkdir -p "$ARTIFACTS"
  local log_file=$ARTIFACTS/test-output.log status
  log "dotnet test MstgTests.sln --settings runsettings/ci.runsettings"
  set +e
  dotnet test MstgTests.sln --settings runsettings/ci.runsettings --no-restore \
    --logger "trx" --results-directory "$ARTIFACTS/test-results" 2>&1 | tee "$log_file"
  status=${PIPESTATUS[0]}
  set -e
  summarize "$log_file"
  return $status
}

run_main() {
  setup
  local results=$ARTIFACTS/allure-results report=$ARTIFACTS/allure-report
  rm -rf "$results" "$report" "$report-full"
  mkdir -p "$results"
  log "MSTG-NETWORK suites against the embedded reference targets (runsettings/local.runsettings)"
  # The suite's exit code is not this job's: InsecureBank is meant to fail. The report is the product here.
  set +e
  # console verbosity normal: every test's row (static and dynamic, passed and failed) is in the output, not only failures.
  MSTG_ALLURE_RESULTS=$results dotnet test suites/Mstg.Suites --settings runsettings/local.runsettings --no-restore \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$ARTIFACTS/suite-results" 2>&1 | tee "$ARTIFACTS/suite-output.log"
  set -e
  log "Allure report"
  # The single-file report opens straight from disk; the full one has history and trends but must be served over http.
  dotnet run --project src/Mstg.Cli --no-restore -- report --results "$results" --output "$report-full" >/dev/null
  dotnet run --project src/Mstg.Cli --no-restore -- report --results "$results" --output "$report" --single-file >/dev/null
  echo "Suite: $(summarize "$ARTIFACTS/suite-output.log") (InsecureBank fails by design, SecureBank must pass; dynamic: client-pinned must pass, client-default fails MSTG-NETWORK-4 at L2 by design (it does not pin), client-no-validation fails MSTG-NETWORK-2, -3 and -4 by design (it accepts any certificate))"
  echo "Full report (serve it: python3 -m http.server -d $report-full): $report-full/index.html"
  echo "Allure report: $report/index.html"
}

case "${1:-}" in
  setup) setup ;;
  test) run_tests ;;
  main) run_main ;;
  scan) shift; dotnet run --project src/Mstg.Cli -- scan "$@" ;;
  *) echo "usage: ./build.sh main | test | setup | scan <app> [options]" >&2; exit 2 ;;
esac
