# Sourced by scripts: installs the system packages scansh needs when they are missing.

# apt_install PACKAGE…: installs Debian packages, with sudo when not root.
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

ensure_libedit() {
  if [ -f /usr/include/histedit.h ]; then return 0; fi
  echo "== installing libedit-dev (needed by the REPL)"
  apt_install libedit-dev
}
