#!/usr/bin/env bash
# Renders an HTML or SVG file (a bulwark report or graph) in headless Chromium and writes a PNG screenshot.
#   scripts/screenshot-report.sh <file.html|file.svg> [out.png] [width,height]
# Needs Chromium (Debian: apt-get install -y chromium). Offline: the pages are self-contained, and background
# networking, component updates and sync are turned off.
set -euo pipefail
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 <file.html|file.svg> [out.png] [width,height]  (the file must exist)" >&2
  exit 2
fi
input="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
out="${2:-${1%.*}.png}"
size="${3:-1400,2000}"
browser="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$browser" ]; then
  echo "$0: no chromium found: install it (apt-get install -y chromium) or set CHROMIUM=/path/to/chromium" >&2
  exit 2
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
  --screenshot="$out" --window-size="$size" "file://$input" >/dev/null 2>&1
test -s "$out"
echo "$out"
