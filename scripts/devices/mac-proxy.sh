#!/bin/sh
# Points the Mac's HTTP and HTTPS proxy at the run's proxy (a simulator uses the Mac's network settings), or turns it off.
#   mac-proxy.sh on <host> <port> [service]    e.g. mac-proxy.sh on 127.0.0.1 8080
#   mac-proxy.sh off [service]
# service defaults to "Wi-Fi" (`networksetup -listallnetworkservices` lists them). Needs an admin account.
set -eu
command -v networksetup >/dev/null || { echo "networksetup not found: this runs on macOS" >&2; exit 3; }
case "${1:-}" in
  on)
    [ $# -ge 3 ] || { echo "usage: $0 on <host> <port> [service]" >&2; exit 2; }
    service=${4:-Wi-Fi}
    networksetup -setwebproxy "$service" "$2" "$3"
    networksetup -setsecurewebproxy "$service" "$2" "$3"
    ;;
  off)
    service=${2:-Wi-Fi}
    networksetup -setwebproxystate "$service" off
    networksetup -setsecurewebproxystate "$service" off
    ;;
  *) echo "usage: $0 on <host> <port> [service] | off [service]" >&2; exit 2 ;;
esac
