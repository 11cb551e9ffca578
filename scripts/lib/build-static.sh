#!/usr/bin/env bash
# Builds release binaries with the Swift runtime and Foundation linked in (what scripts/release
# packs and scripts/bench measures):
#   scripts/lib/build-static.sh SCRATCH [PRODUCT…]     (default product: scansh)
# Foundation's URLSession is built on libcurl, the one library besides libedit and the C library
# the binary loads; its runtime package (libcurl4) is on every machine with a Swift toolchain, but
# the link needs a libcurl.so, which only the -dev package provides. A symlink to the runtime
# library in the scratch folder stands in for it.
set -euo pipefail
. "$(dirname "$0")/ensure-deps.sh"
scratch=$1
shift
products=("${@:-scansh}")
# The runtime libcurl.so.4 of this machine's architecture, or nothing.
runtime_curl() { /sbin/ldconfig -p | awk '/libcurl\.so\.4 / && /x86-64|AArch64|aarch64/ {print $NF; exit}'; }
curl=$(runtime_curl)
if [ -z "$curl" ]; then
  apt_install libcurl4
  curl=$(runtime_curl)
fi
mkdir -p "$scratch/link"
ln -sf "$curl" "$scratch/link/libcurl.so"
for product in "${products[@]}"; do
  echo "== swift build -c release --static-swift-stdlib --product $product" >&2
  # Through a pipe, never a terminal: the same build plan wherever it is started.
  swift build -c release --static-swift-stdlib --product "$product" --scratch-path "$scratch" \
    -Xlinker -L"$scratch/link" 2>&1 </dev/null | cat >&2
done
