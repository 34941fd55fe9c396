#!/usr/bin/env bash
# Run by `npm test` before anything else: the tests run real rsync, nginx, php-fpm, promtool
# (Prometheus rule tests), unzip (helm from its npm package), openssl and curl. Missing ones are
# installed with apt when this runs as root on Debian/Ubuntu (CI, a fresh dev container);
# anywhere else it stops at once with one line naming the packages to install.
set -euo pipefail

# An executable command on PATH (bash's `command -v` also names a file that is not executable).
have() {
  local path
  path=$(command -v "$1") && [ -x "$path" ]
}

# The Debian/Ubuntu packages whose commands are missing, one a line.
missing() {
  have rsync || echo rsync
  have nginx || [ -x /usr/sbin/nginx ] || echo nginx-light
  # Debian installs php-fpm as /usr/sbin/php-fpm<version> (test/socket/fixtures/web-servers.ts looks there too).
  local fpm found=
  for fpm in /usr/sbin/php-fpm[0-9]*; do [ -x "$fpm" ] && found=1; done
  [ -n "$found" ] || have php-fpm || echo php-fpm
  have promtool || echo prometheus
  have unzip || echo unzip
  have openssl || echo openssl
  have curl || echo curl
}

mapfile -t need < <(missing)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "npm test: missing test prerequisites; install these packages first: ${need[*]}" >&2
  exit 1
fi
# Packages must not start their services here: the tests start their own on loopback.
[ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d; }
export DEBIAN_FRONTEND=noninteractive
echo "npm test: installing ${need[*]} with apt" >&2
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
mapfile -t still < <(missing)
if [ ${#still[@]} -ne 0 ]; then
  echo "npm test: apt installed ${need[*]} but these commands are still missing: ${still[*]}" >&2
  exit 1
fi
