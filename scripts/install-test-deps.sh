#!/usr/bin/env bash
# Installs the Debian packages the test suite uses as real peers and oracles:
# fail2ban (reference client/server/regex, stock configs, sample logs), php-cli,
# systemd-journal-remote, nftables/iptables/ipset, sqlite3. Services are never
# started by the install (policy-rc.d), so a stray fail2ban-server never runs.
set -euo pipefail
pkgs=(fail2ban python3-pyinotify python3-systemd php-cli systemd-journal-remote libsystemd-dev time
      nftables iptables ipset iproute2 sqlite3 procps)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: need root to install: ${missing[*]} (tests needing them will skip locally)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
