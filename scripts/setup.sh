#!/usr/bin/env bash
# npm run setup: install the Debian/Ubuntu packages the tests (and the kiosk's device listing) need, and nothing
# when they are all present. Installing packages needs root: as root it runs apt-get itself; otherwise through
# sudo when sudo exists, else it prints the one command to run and stops.
#   npm run setup                  install what is missing
#   npm run setup -- --check       only list what is missing (exit 1 when something is)
set -euo pipefail

check_only=false
case "${1:-}" in
  --check) check_only=true ;;
  '') ;;
  *) echo "usage: npm run setup [-- --check]" >&2; exit 2 ;;
esac

have() { command -v "$1" >/dev/null 2>&1; }
lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
# the server binaries live under /usr/lib/postgresql/<major>/bin, off PATH
pg_server() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }

want() { # PACKAGE "WHAT FOR" — call only when the package's file is missing
  need+=("$1")
  why+=("$2")
}

scan() {
  need=()
  why=()
  have socat                           || want socat 'serial scanner and bridge tests: real pseudo-terminal pairs'
  have arm-none-eabi-gcc               || want gcc-arm-none-eabi 'firmware: builds the STM32F4 bridge image'
  [ -d /usr/lib/arm-none-eabi/newlib ] || want libnewlib-arm-none-eabi 'firmware: the C library the STM32F4 image links'
  have qemu-system-arm                 || want qemu-system-arm 'firmware: boots the STM32F4 image for the bridge tests'
  have make                            || want make 'firmware: the build'
  have cc                              || want gcc 'firmware: the posix port and the C unit tests'
  [ -f /usr/include/stdio.h ]          || want libc6-dev 'firmware: C headers for the posix port'
  [ -f /usr/include/cmocka.h ]         || want libcmocka-dev 'firmware: the C unit tests (cmocka)'
  have chromium                        || want chromium 'web screen tests: real headless Chromium'
  have udevadm                         || want udev 'listing serial ports (serialport asks udevadm)'
  lib libudev.so.1                     || want libudev1 'listing serial ports and HID devices'
  lib libusb-1.0.so.0                  || want libusb-1.0-0 'node-hid: HID scanners'
  { have unshare && have nsenter; }    || want util-linux 'offline test: a network namespace with only loopback'
  have script                          || want bsdutils 'terminal screen test: a real tty (script)'
  have strace                          || want strace 'offline test: every connect() the kiosk makes'
  have ip                              || want iproute2 'offline test: bring up loopback in the namespace'
  { have pdftoppm && have pdftotext; } || want poppler-utils 'evidence PDF tests: render and read the pages'
  have systemd-analyze                 || want systemd 'service tests: systemd-analyze verify/security on the unit files'
  [ -d /usr/share/fonts/truetype/dejavu ] || want fonts-dejavu-core 'screenshots and PDFs: a font with wide coverage'
  [ -d /usr/share/fonts/truetype/noto ]   || want fonts-noto-core 'screenshots and PDFs: names in many scripts'
  pg_server                            || want postgresql 'central records tests: a real PostgreSQL server they start themselves'
}
scan

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js >= 20 is needed (found $(node --version 2>/dev/null || echo none)); install it first" >&2
  exit 1
fi

if [ ${#need[@]} -eq 0 ]; then
  echo "setup: nothing to install (every package the tests need is present)"
  exit 0
fi

echo "setup: missing on this machine (Debian packages):"
for i in "${!need[@]}"; do printf '  %-24s %s\n' "${need[$i]}" "${why[$i]}"; done
cmd=(apt-get install -y -q --no-install-recommends "${need[@]}")
if $check_only; then
  echo "setup: to install them: sudo apt-get update && sudo ${cmd[*]}"
  exit 1
fi

if ! have apt-get; then
  echo "setup: this is not a Debian/Ubuntu machine (no apt-get): install the equivalents of the packages above" >&2
  echo "       yourself; until then the tests that need them skip (or fail, with CI=true)." >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  run=()
elif have sudo; then
  echo "setup: installing system packages needs root: running apt-get through sudo (it may ask for your password)"
  run=(sudo)
else
  echo "setup: installing system packages needs root, and sudo is not installed. As root, run:" >&2
  echo "  apt-get update && ${cmd[*]}" >&2
  exit 1
fi

log=$(mktemp -t proofdesk-setup.XXXXXX)
trap 'rm -f "$log"' EXIT
echo "setup: apt-get update && ${cmd[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! { "${run[@]}" apt-get update -q && "${run[@]}" env DEBIAN_FRONTEND=noninteractive "${cmd[@]}"; } >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "setup: apt-get failed (its last lines above)" >&2
  exit 1
fi
installed=("${need[@]}")
scan
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installed ${installed[*]}, but still missing: ${need[*]}" >&2
  exit 1
fi
echo "setup: installed ${installed[*]}"
