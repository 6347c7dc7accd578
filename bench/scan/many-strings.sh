#!/usr/bin/env bash
# Memory of `mstg scan` on a 300 MB app binary with millions of strings (the Mach-O reader's string table).
# Builds bench/out/many-strings.ipa: one real arm64 executable (clang-14 + ld64.lld-14) with 230 MiB of
# incompressible __TEXT,__const (like compiled code) and a __TEXT,__cstring of STRINGS distinct identifiers,
# the last of which is the trust-bypass selector setAllowsAnyHTTPSCertificate:forHost: (so the scan must FAIL).
# Prints the IPA and section sizes, the verdict line, wall time and peak RSS (/usr/bin/time -v).
#   usage: bench/scan/many-strings.sh [STRINGS=3000000] [CONST_MB=230]
set -euo pipefail
cd "$(dirname "$0")/../.."
strings=${1:-3000000}; mb=${2:-230}
out=$(realpath -m bench/out); mkdir -p "$out"
ipa="$out/many-strings-$strings-$mb.ipa"
if [ ! -f "$ipa" ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  # AES-CTR of a sparse file of zeros: incompressible bytes of exactly the size wanted, with no pipe whose
  # reader stops early (head -c would end openssl with SIGPIPE, a failure pipefail must not be turned off for).
  truncate -s $((mb * 1024 * 1024)) "$work/zeros.bin"
  openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f -iv 00000000000000000000000000000000 \
    -in "$work/zeros.bin" -out "$work/const.bin"
  rm "$work/zeros.bin"
  python3 - "$strings" > "$work/strings.bin" <<'PY'
import sys
n = int(sys.argv[1]); out = sys.stdout.buffer
for i in range(n):
    out.write(b"FillerController%08d.loadViewWithOptions:\0" % i)
out.write(b"setAllowsAnyHTTPSCertificate:forHost:\0")
PY
  cat > "$work/main.c" <<C
__asm__(".section __TEXT,__const\n.incbin \"$work/const.bin\"\n.section __TEXT,__cstring,cstring_literals\n.incbin \"$work/strings.bin\"\n");
int main(void) { return 0; }
C
  mkdir -p "$work/Payload/Big.app"
  clang-14 -target arm64-apple-ios15.0 -c "$work/main.c" -o "$work/main.o"
  ld64.lld-14 -arch arm64 -platform_version ios 15.0 17.0 -e _main -undefined dynamic_lookup -o "$work/Payload/Big.app/Big" "$work/main.o"
  cat > "$work/Payload/Big.app/Info.plist" <<P
<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>CFBundleExecutable</key><string>Big</string><key>CFBundleIdentifier</key><string>com.example.big</string>
<key>CFBundlePackageType</key><string>APPL</string><key>MinimumOSVersion</key><string>15.0</string></dict></plist>
P
  (cd "$work" && zip -q -r -6 "$ipa" Payload)
fi
dotnet publish src/Mstg.Cli -c Release -o "$out/mstg" --nologo -v quiet >/dev/null
# Assigned first: under set -e a failing du or unzip stops the script here instead of printing an empty size.
ipa_mb=$(du -m "$ipa" | cut -f1)
executable_mib=$(unzip -l "$ipa" | awk '/Big.app\/Big$/ {print int($1/1048576)}')
echo "IPA: $ipa ($ipa_mb MB, executable $executable_mib MiB)"
/usr/bin/time -v "$out/mstg/mstg" scan "$ipa" --timings > "$out/many-strings-scan.txt" 2> "$out/many-strings-time.txt" || true
grep -E "^(FAIL|PASS|INCOMPLETE)" "$out/many-strings-scan.txt" | tail -1
grep -c "setAllowsAnyHTTPSCertificate" "$out/many-strings-scan.txt" | sed 's/^/selector mentions: /'
grep -E "ms  read Mach-O|Elapsed \(wall|Maximum resident" "$out/many-strings-time.txt"
