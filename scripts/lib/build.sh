# Sourced by scripts/scansh and scripts/install: the release binary, built only when something it is
# built from changed, and built quietly.

release_binary=.build/release/scansh
# Touched as a build begins, so a file changed during the build is still newer than it.
release_stamp=.build/scansh-release.stamp
release_log=.build/scansh-release.log

# True when the binary exists and no file it is built from (Sources/, Pins/, Package.swift) changed
# since the build that made it began: decided by modification times, as make does.
release_is_fresh() {
  [ -x "$release_binary" ] && [ -f "$release_stamp" ] &&
    [ -z "$(find Sources Pins Package.swift -newer "$release_stamp" -print -quit 2>/dev/null)" ]
}

# build_release NAME: builds the release binary, saying so in one line on stderr. The compiler's
# output goes to a log (printed when the build fails): never to a terminal, so the build is planned
# the same from a terminal, an IDE or a CI job (SwiftPM adds -color-diagnostics on a terminal, and a
# release build with other flags compiles everything again).
build_release() {
  local started=$SECONDS
  if [ -x "$release_binary" ]; then
    echo "$1: sources changed, rebuilding scansh (seconds to a few minutes)" >&2
  else
    echo "$1: building scansh for the first time (about 5 minutes on 2 cores; later runs start at once)" >&2
  fi
  mkdir -p .build
  touch "$release_stamp.new"
  if ! swift build -c release --product scansh >"$release_log" 2>&1 </dev/null; then
    rm -f "$release_stamp.new"
    tail -n 40 "$release_log" >&2
    echo "$1: the build failed after $((SECONDS - started)) s; the whole log is $release_log" >&2
    return 1
  fi
  mv "$release_stamp.new" "$release_stamp"
}

# ensure_release NAME: the release binary, built first when it is missing or stale.
ensure_release() {
  release_is_fresh && return 0
  . scripts/lib/ensure-deps.sh
  ensure_libedit
  build_release "$1"
}
