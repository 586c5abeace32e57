#!/usr/bin/env bash
# Restoring a large ban list: fill a fail2ban.sqlite3 with N active bans
# (default 1,000,000; F2B_PERSIST_BANS overrides) through pkg/store, start
# f2b-server on it with an nftables-shaped action whose nft is a stand-in
# that records its batches (no root needed), and time server start until
# every ban is in memory and in the action. Also reports the durable ban
# rate (record, commit, then action) from the Go benchmark.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${F2B_PERSIST_BANS:-1000000}
dir=$(mktemp -d /tmp/f2bpb-XXXXXX)
srv_pid=
cleanup() {
  [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
go build -o "$dir/" ./cmd/f2b-server ./test/persist/cmd/fill
CGO_ENABLED=0 go build -o "$dir/" ./cmd/f2b-client # as make build does
mkdir -p "$dir/conf/filter.d" "$dir/conf/action.d" "$dir/conf/jail.d"
cat > "$dir/conf/fail2ban.conf" <<CONF
[Definition]
loglevel = INFO
logtarget = $dir/server.log
socket = $dir/f2b.sock
pidfile = $dir/f2b.pid
dbfile = $dir/f2b.sqlite3
CONF
cat > "$dir/conf/jail.conf" <<CONF
[php-api]
enabled = true
filter = php-api
logpath = $dir/php-api.log
backend = polling
usedns = no
maxretry = 1
bantime = 1d
action = fakenft
CONF
printf '[Definition]\nfailregex = ^\\s*<ADDR>\\s+x\nignoreregex =\n' > "$dir/conf/filter.d/php-api.conf"
cat > "$dir/conf/action.d/fakenft.conf" <<CONF
[Definition]
actionstart =
actionstop =
actioncheck =
actionban = $dir/nft add element inet f2b addr-set-php \{ <ip> \}
actionunban = $dir/nft delete element inet f2b addr-set-php \{ <ip> \}
actionflush = $dir/nft flush set inet f2b addr-set-php
CONF
printf '#!/bin/sh\nif [ "$1" = -f ]; then grep -c "add element" >> %s/nft.calls; else echo 1 >> %s/nft.calls; fi\n' "$dir" "$dir" > "$dir/nft"
chmod +x "$dir/nft"
: > "$dir/php-api.log"
fill_out=$("$dir/fill" -db "$dir/f2b.sqlite3" -jail php-api -n "$n")
fill_s=$(echo "$fill_out" | awk '{print $(NF)}' | tr -d s)
db_mb=$(du -m "$dir/f2b.sqlite3" | cut -f1)
# restore <label> <wrapper...>: start the server (under the wrapper) on
# the filled database, wait until the action holds every ban, stop it.
restore() {
  local label=$1; shift
  : > "$dir/nft.calls"; : > "$dir/server.log"
  local start end
  start=$(date +%s.%N)
  "$@" "$dir/f2b-server" -c "$dir/conf" -xf start > "$dir/out" 2>&1 &
  srv_pid=$!
  # Status replies list every address, so completion is read from the
  # action (each restore chunk enters the ban list before its actions
  # run) and the count from the log.
  for _ in $(seq 1 6000); do
    done_=$(check_done) && [ "$done_" = yes ] && break
    sleep 0.05
  done
  end=$(date +%s.%N)
  restore_s=$(echo "$end - $start" | bc)
  banned=$(grep -c 'Restore Ban' "$dir/server.log" || true)
  rss_mb=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$srv_pid/status" 2>/dev/null || echo -)
  # CPU time too: on the shared machine wall time mostly measures the load.
  cpu_s=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$srv_pid/stat" 2>/dev/null || echo -)
  local note
  note=$(after_done)
  "$dir/f2b-client" -c "$dir/conf" stop > /dev/null 2>&1 || kill "$srv_pid"
  wait "$srv_pid" 2>/dev/null || true
  srv_pid=
  rows+=("| $label: server start → $banned bans restored | ${restore_s} s (CPU ${cpu_s} s, RSS ${rss_mb} MB$note) |")
}
fake_done() {
  local lines
  lines=$(awk '{s += $1} END {print s + 0}' "$dir/nft.calls" 2>/dev/null || echo 0)
  [ "$lines" -ge $(( (n + 499) / 500 )) ] && echo yes || echo no
}
rows=()
check_done=fake_done
check_done() { "$check_done"; }
# after_done runs once the restore is timed, before the server stops; it
# prints a note for the row.
after_done() { :; }
restore "stand-in nft (records batches)"
batches=$(wc -l < "$dir/nft.calls")
rows+=("| nft batch commands | ${batches} |")
# The stock nftables action with the real nft, in a private network
# namespace (needs root, unshare and fail2ban's action.d as the template).
if [ "$(id -u)" = 0 ] && command -v nft > /dev/null && command -v unshare > /dev/null &&
  [ -f /etc/fail2ban/action.d/nftables.conf ]; then
  cp /etc/fail2ban/action.d/nftables.conf /etc/fail2ban/action.d/nftables-allports.conf "$dir/conf/action.d/"
  # The real nft behind a wrapper that records what it applied as the
  # stand-in does, so completion is read the same way; listing a set of a
  # million elements while the server runs would cost seconds per check.
  # The set itself is counted once, untimed, after the restore.
  mkdir -p "$dir/wrap"
  nft=$(command -v nft)
  printf '#!/bin/sh\nif [ "$1" = -f ]; then\n  in=$(mktemp) && cat > "$in" && %s -f "$in"\n  rc=$?; [ $rc -ne 0 ] || grep -c "add element" "$in" >> %s/nft.calls; rm -f "$in"; exit $rc\nfi\nexec %s "$@"\n' "$nft" "$dir" "$nft" > "$dir/wrap/nft"
  chmod +x "$dir/wrap/nft"
  sed -i "s|^action = fakenft\$|action = nftables-allports[nftables=\"$dir/wrap/nft\"]|" "$dir/conf/jail.conf"
  after_done() {
    local c
    c=$(nsenter -t "$srv_pid" -n nft list set inet f2b-table addr-set-php-api 2>/dev/null | grep -o '10\.[0-9.]*' | wc -l)
    echo "; the set holds $c addresses"
  }
  restore "stock nftables-allports, real nft in a netns" unshare -n
fi
rate=$(go test -count=1 -run '^$' -bench '^BenchmarkJail_DurableBan$' -benchtime 50000x ./test/persist 2>/dev/null |
  awk '/bans\/s/ {for (i = 2; i <= NF; i++) if ($i == "bans/s") print $(i-1)}')
echo "## Persistence: restoring $n bans"
echo
echo "| measure | f2b |"
echo "| --- | --- |"
echo "| fill database through pkg/store | ${fill_s} s |"
echo "| database size | ${db_mb} MB |"
printf '%s\n' "${rows[@]}"
echo "| durable bans (record, commit, action; no-op action) | ${rate} bans/s |"
