#!/usr/bin/env bash
# make install: binaries, the systemd unit and the bundled config.
#   scripts/install.sh DESTDIR PREFIX COMPAT
# An existing /etc/fail2ban is never overwritten: f2b reads it unchanged.
set -euo pipefail
destdir=${1:-}; prefix=${2:-/usr/local}; compat=${3:-0}
bindir="$destdir$prefix/bin"
unitdir="$destdir${UNITDIR:-/etc/systemd/system}"
confdir="$destdir${CONFDIR:-/etc/fail2ban}"
install -d "$bindir" "$unitdir"
install -m 0755 bin/f2b-server bin/f2b-client "$bindir/"
sed "s#/usr/local/bin#$prefix/bin#g" init/f2b.service > "$unitdir/f2b.service"
chmod 0644 "$unitdir/f2b.service"
if [ "$compat" = 1 ]; then
  # Scripts and cron jobs that call fail2ban's names keep working.
  ln -sf f2b-server "$bindir/fail2ban-server"
  ln -sf f2b-client "$bindir/fail2ban-client"
  ln -sf f2b-client "$bindir/fail2ban-regex"
fi
if [ -e "$confdir/jail.conf" ]; then
  echo "install: $confdir already holds a configuration; left unchanged"
else
  install -d "$confdir"
  cp -R config/. "$confdir/"
fi
echo "install: binaries in $bindir, unit $unitdir/f2b.service, config $confdir"
