# Sourced by the scripts in this folder: installs the Debian packages of a test server or tool.
#
#   install_packages PACKAGE...   installs those that are missing (idempotent)
#
# Packages never start their system services on a test machine (they would take the ports the tests use
# and run a default configuration): /usr/sbin/policy-rc.d answers 101 when it does not exist yet. The
# package lists are refreshed when a package has no candidate, and once more when an install fails on
# stale lists. The sourcing script defines die().

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo -n "$@"
  else
    die "installing packages needs root (or password-less sudo)"
  fi
}

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_packages() {
  local missing=() p log
  for p in "$@"; do
    package_installed "$p" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null \
    || die "cannot install ${missing[*]}: apt-get is not available (a Debian/Ubuntu machine is needed)"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# Keeps packages from starting services (test machine).\nexit 101\n' \
      | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod 755 /usr/sbin/policy-rc.d
  fi
  log=$(mktemp)
  for p in "${missing[@]}"; do
    if ! apt-cache show "$p" >/dev/null 2>&1; then
      update_lists "$log"
      break
    fi
  done
  if ! apt_install "$log" "${missing[@]}"; then
    update_lists "$log"
    apt_install "$log" "${missing[@]}" || { cat "$log" >&2; rm -f "$log"; die "apt-get install ${missing[*]} failed"; }
  fi
  rm -f "$log"
}

update_lists() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$1" 2>&1 \
    || { cat "$1" >&2; rm -f "$1"; die "apt-get update failed"; }
}

apt_install() {
  local log=$1
  shift
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >"$log" 2>&1
}
