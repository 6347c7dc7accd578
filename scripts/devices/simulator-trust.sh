#!/bin/sh
# Adds (or, with --reset, clears) trusted roots in an iOS simulator's keychain. Run on the Mac that hosts the simulator.
#   simulator-trust.sh <udid|booted> run-ca.pem     trust the run's CA (`mstg ca export` writes it)
#   simulator-trust.sh <udid|booted> --reset        distrust: remove every root added this way
# Needs Xcode 11.4 or later; repeat after erasing the simulator.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 <udid|booted> <ca.pem|--reset>" >&2; exit 2; }
command -v xcrun >/dev/null || { echo "xcrun not found: this runs on a Mac with Xcode" >&2; exit 3; }
if [ "$2" = "--reset" ]; then
  exec xcrun simctl keychain "$1" reset
fi
[ -f "$2" ] || { echo "$2: no such file" >&2; exit 2; }
exec xcrun simctl keychain "$1" add-root-cert "$2"
