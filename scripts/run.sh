#!/usr/bin/env bash
# make run: f2b-server on the bundled config/ without root.
# Socket, pidfile, database and the ban record live in RUNDIR; the php-api
# jail reads RUNDIR/php-api.log. A few sample failures are written so that
# the first ban shows up at once.
set -euo pipefail
cd "$(dirname "$0")/.."
rundir=${1:-$PWD/run}
mkdir -p "$rundir"
conf="$rundir/config"
rm -rf "$conf"
cp -R config "$conf"
# Point the bundled config at RUNDIR: a fail2ban.local and a jail.local are
# the same override files a user would write.
cat > "$conf/fail2ban.local" <<EOT
[Definition]
logtarget = $rundir/f2b.log
socket    = $rundir/f2b.sock
pidfile   = $rundir/f2b.pid
dbfile    = $rundir/f2b.sqlite3
EOT
cat > "$conf/jail.local" <<EOT
[DEFAULT]
rundir = $rundir

[php-api]
logpath = $rundir/php-api.log
EOT
: > "$rundir/php-api.log"
echo "== configuration stream (f2b-client -c $conf -d), first lines"
bin/f2b-client -c "$conf" -d | head -n 12
echo
echo "== the regex tester on one php-api line"
line="$(date +%FT%T) 192.0.2.1 - Incorrect token used. (more info here ...)"
bin/f2b-client -d '^{DATE}' "$line" '^\s*<ADDR>\s+\S+\s+Incorrect token used\.' || true
echo
if [ ! -x bin/f2b-server ] || ! bin/f2b-server -h >/dev/null 2>&1; then
  echo "f2b-server is not built yet; stopping after the config dump and the tester."
  exit 0
fi
echo "== starting f2b-server in the foreground (Ctrl-C stops it)"
bin/f2b-server -c "$conf" -xf start &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 50); do bin/f2b-client -c "$conf" ping >/dev/null 2>&1 && break; sleep 0.1; done
for i in $(seq 10); do
  echo "$(date +%FT%T) 192.0.2.1 - Incorrect token used. (sample $i)" >> "$rundir/php-api.log"
done
sleep 1
bin/f2b-client -c "$conf" status php-api
echo
echo "Log:        $rundir/f2b.log"
echo "Bans:       $rundir/php-api.bans (written by the bundled record action)"
echo "Socket:     $rundir/f2b.sock   (try: bin/f2b-client -s $rundir/f2b.sock status)"
echo "Append lines to $rundir/php-api.log to see more bans."
wait $pid
