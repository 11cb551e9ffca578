#!/usr/bin/env bash
# Builds release binaries with the Swift runtime and Foundation linked in (what scripts/release
# packs and scripts/bench measures):
#   scripts/lib/build-static.sh SCRATCH [PRODUCT…]     (default product: scansh)
# The HTTP client is SwiftNIO's HTTP/1.1 codec with NIOSSL (BoringSSL inside): no libcurl, so nothing
# besides the C library, the C++ runtime, zlib and libedit is loaded.
set -euo pipefail
. "$(dirname "$0")/ensure-deps.sh"
scratch=$1
shift
products=("${@:-scansh}")
for product in "${products[@]}"; do
  echo "== swift build -c release --static-swift-stdlib --product $product" >&2
  # Through a pipe, never a terminal: the same build plan wherever it is started.
  swift build -c release --static-swift-stdlib --product "$product" --scratch-path "$scratch" \
    2>&1 </dev/null | cat >&2
done
