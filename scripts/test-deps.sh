#!/usr/bin/env bash
# Run by `npm test` before anything else: the tests run real rsync, nginx, php-fpm, promtool
# (Prometheus rule tests), unzip (helm from its npm package) and openssl. Missing ones are
# installed with apt when this runs as root on Debian/Ubuntu (CI, a fresh dev container);
# anywhere else it stops at once with one line naming the packages to install.
set -euo pipefail

need=()
command -v rsync >/dev/null || need+=(rsync)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
compgen -G '/usr/sbin/php-fpm*' >/dev/null || command -v php-fpm >/dev/null || need+=(php-fpm)
command -v promtool >/dev/null || need+=(prometheus)
command -v unzip >/dev/null || need+=(unzip)
command -v openssl >/dev/null || need+=(openssl)
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
