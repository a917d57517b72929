#!/bin/bash
# Install what the testbed needs, from Debian's archive only. QEMU comes from bookworm-backports:
# Debian 12's own QEMU 7.2 corrupts guests migrated under TCG (see docs/testbed.md).
# Exit 77 when this is impossible (not root and no sudo), so that tests can skip.
set -eu
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else echo "install_packages: need root" >&2; exit 77; fi
fi

installed() { dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q 'ok installed'; }

# The backports suite, on the same mirror as the system's own sources.
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "adding bookworm-backports to apt sources"
  $SUDO tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  NEED_UPDATE=1
fi

BASE="linux-image-amd64 busybox-static gcc libc6-dev e2fsprogs kmod cpio python3"
BACKPORTS="qemu-system-x86 qemu-system-data seabios"
missing=""; for p in $BASE; do installed "$p" || missing="$missing $p"; done
bp_missing=""; for p in $BACKPORTS; do installed "$p" || bp_missing="$bp_missing $p"; done
# An installed QEMU older than 9.0 is the corrupting one: upgrade it from backports.
if installed qemu-system-x86; then
  v=$(dpkg-query -W -f='${Version}' qemu-system-x86)
  dpkg --compare-versions "$v" ge 1:9.0 || bp_missing="$BACKPORTS"
fi
if [ -n "$missing$bp_missing" ] || [ -n "${NEED_UPDATE:-}" ]; then
  $SUDO apt-get update -q || exit 77
fi
export DEBIAN_FRONTEND=noninteractive
if [ -n "$missing" ]; then
  echo "installing:$missing"
  $SUDO apt-get install -y -q --no-install-recommends $missing || exit 77
fi
if [ -n "$bp_missing" ]; then
  echo "installing from bookworm-backports:$bp_missing"
  $SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports $bp_missing || exit 77
fi
exit 0
