#!/usr/bin/env bash
# Side-by-side: reading an appended log file. fail2ban 1.0.2's FileContainer
# (the reader behind its polling and pyinotify backends) against f2b's file
# backend, on the same 200k sshd lines; plus f2b's append-to-emit latency
# with inotify (what delays a ban after the offending line is written).
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "## Backends: reading log files"
echo
n=200000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log="$tmp/auth.log"
line='Nov 25 12:36:30 host sshd[1234]: Failed password for invalid user admin from 203.0.113.7 port 51234 ssh2'
awk -v l="$line" -v n="$n" 'BEGIN { for (i = 0; i < n; i++) print l }' > "$log"

go_out=$(go test -count=1 -run '^$' -bench 'BenchmarkFiles_Throughput$' -benchtime "${n}x" ./pkg/backend 2>&1) || { echo "$go_out" >&2; exit 1; }
go_out+=$'\n'$(go test -count=1 -run '^$' -bench 'BenchmarkFiles_Latency$' -benchtime 5000x ./pkg/backend 2>&1) || { echo "$go_out" >&2; exit 1; }
go_rate=$(echo "$go_out" | awk '/BenchmarkFiles_Throughput/ {for (i=1;i<=NF;i++) if ($(i+1)=="lines/s") printf "%.0f", $i}')
p50=$(echo "$go_out" | awk '/BenchmarkFiles_Latency/ {for (i=1;i<=NF;i++) if ($(i+1)=="p50-µs") print $i}')
p95=$(echo "$go_out" | awk '/BenchmarkFiles_Latency/ {for (i=1;i<=NF;i++) if ($(i+1)=="p95-µs") print $i}')

py_rate="_not installed_"
if /usr/bin/python3 -c 'import fail2ban.server.filter' 2>/dev/null; then
  py_rate=$(/usr/bin/python3 - "$log" <<'PY'
import sys, time
from fail2ban.server.filter import FileContainer
fc = FileContainer(sys.argv[1], "utf-8")
t0 = time.perf_counter()
fc.open()
n = 0
while fc.readline() is not None:
    n += 1
fc.close()
print("%.0f" % (n / (time.perf_counter() - t0)))
PY
)
fi
echo "| measure | fail2ban 1.0.2 | f2b |"
echo "| --- | --- | --- |"
echo "| lines/s read from a file ($n sshd lines, utf-8) | $py_rate | $go_rate |"
echo "| append → emit latency, inotify, p50 / p95 | — | ${p50} µs / ${p95} µs |"
