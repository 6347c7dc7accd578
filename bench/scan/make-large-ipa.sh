#!/usr/bin/env bash
# Builds a large, realistic IPA for the scan benchmark: one app binary and several framework binaries, each a real
# arm64 Mach-O linked by ld64.lld-14, filled with incompressible data (like compiled code) and a __cstring section
# of ~4 MB of strings with a few http:// URLs among them. Deterministic: the data comes from AES-CTR over zeros.
#   usage: make-large-ipa.sh OUT.ipa [BINARIES=5] [MB_PER_BINARY=48]
set -euo pipefail
out=$(realpath -m "$1"); count=${2:-5}; mb=${3:-48}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"

prng() { # $1 = seed label, $2 = bytes: AES-CTR over exactly $2 zero bytes (no `| head`, whose SIGPIPE would need pipefail off)
  local key
  key=$(printf '%s' "$1" | sha256sum | cut -c1-32)
  head -c "$2" /dev/zero > "$work/zeros"
  openssl enc -aes-128-ctr -nosalt -K "$key" -iv 00000000000000000000000000000000 -in "$work/zeros"
  rm -f "$work/zeros"
}

# Strings like a real binary's: identifiers, log messages, selectors, some URLs (https mostly, a few http).
python3 - <<'PY' > strings.bin
import random
random.seed(42)
words = ["session", "request", "token", "user", "account", "load", "view", "controller", "error", "network", "cache", "image"]
out = bytearray()
while len(out) < 4 * 1024 * 1024:
    r = random.random()
    if r < 0.002:
        s = f"http://legacy{random.randint(1,50)}.example.com/{random.choice(words)}"
    elif r < 0.02:
        s = f"https://api.example.com/v{random.randint(1,3)}/{random.choice(words)}/{random.choice(words)}"
    else:
        s = "".join(random.choice(words).capitalize() for _ in range(random.randint(1, 5))) + random.choice([":", "WithObject:", "", " failed: %@"])
    out += s.encode() + b"\0"
open("/dev/stdout", "wb").write(out)
PY

build() { # $1 name, $2 output path, $3 -dylib or empty
  prng "$1" $((mb * 1024 * 1024)) > "$1.blob"
  cat > "$1.c" <<C
__asm__(".section __TEXT,__const\n.incbin \"$1.blob\"\n.section __TEXT,__cstring,cstring_literals\n.incbin \"strings.bin\"\n");
int main(void) { return 0; }
C
  clang-14 -target arm64-apple-ios15.0 -c "$1.c" -o "$1.o"
  if [ "${3:-}" = "-dylib" ]; then
    ld64.lld-14 -arch arm64 -platform_version ios 15.0 17.0 -dylib -install_name "@rpath/$1.framework/$1" -o "$2" "$1.o" -undefined dynamic_lookup
  else
    ld64.lld-14 -arch arm64 -platform_version ios 15.0 17.0 -e _main -o "$2" "$1.o" -undefined dynamic_lookup
  fi
  rm -f "$1.blob" "$1.o"
}

plist() { # $1 name, $2 package type
  cat <<P
<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>CFBundleExecutable</key><string>$1</string><key>CFBundleIdentifier</key><string>com.example.$1</string>
<key>CFBundlePackageType</key><string>$2</string><key>CFBundleShortVersionString</key><string>1.0</string>
<key>MinimumOSVersion</key><string>15.0</string>
<key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/></dict>
</dict></plist>
P
}

app=Payload/Big.app
mkdir -p "$app/Frameworks"
plist Big APPL > "$app/Info.plist"
build Big "$app/Big"
for i in $(seq 2 "$count"); do
  fw="$app/Frameworks/Lib$i.framework"; mkdir -p "$fw"
  plist "Lib$i" FMWK > "$fw/Info.plist"
  build "Lib$i" "$fw/Lib$i" -dylib
done
rm -f "$out"
zip -q -r -6 "$out" Payload
ls -la "$out"
