#!/usr/bin/env bash
# Journal backend, side by side: N journal entries (sshd mix, 20% failures)
# written by systemd-journal-remote, matched against the stock sshd filter
# by fail2ban-regex and by f2b-client regex reading the same file.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${JOURNAL_BENCH_ENTRIES:-100000}
runs=${JOURNAL_BENCH_RUNS:-3} # each tool's figures are those of its median-wall run
remote=/lib/systemd/systemd-journal-remote
client=${F2B_CLIENT:-bin/f2b-client} # another build can be measured in place
echo "## Journal: $n entries, stock sshd filter"
echo
if [ ! -x "$remote" ] || ! [ -x "$client" ]; then
  echo "_skipped: needs $remote (systemd-journal-remote) and ${client}_"
  exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
awk -v n="$n" 'BEGIN {
  t0 = 1764000000000000
  for (i = 0; i < n; i++) {
    rt = t0 + i * 1000
    printf "__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=0123456789abcdef0123456789abcdef\n", rt, rt - 1600000000000000
    printf "_SYSTEMD_UNIT=sshd.service\n_COMM=sshd\nSYSLOG_IDENTIFIER=sshd\n_HOSTNAME=host\n_PID=%d\n", 1000 + i % 50
    if (i % 5 == 0)
      printf "MESSAGE=Failed password for root from 203.0.%d.%d port %d ssh2\n\n", int(i / 250) % 8, i % 250, 40000 + i % 20000
    else
      printf "MESSAGE=Connection closed by 198.51.100.%d port %d [preauth]\n\n", i % 200, 40000 + i % 20000
  }
}' | "$remote" --output="$dir/bench.journal" - 2>/dev/null
log="systemd-journal[journalfiles=$dir/bench.journal]"
measure() { # prints "wall_seconds cpu_seconds maxrss_kib matched"
  /usr/bin/time -o "$dir/time" -f '%e %U %S %M' "$@" > "$dir/out" 2>&1 || true
  local matched
  matched=$(grep -oE '^Lines: [0-9]+ lines, [0-9]+ ignored, [0-9]+ matched' "$dir/out" | awk '{print $6}')
  tail -n1 "$dir/time" | awk -v m="${matched:-?}" '{ printf "%s %.2f %s %s\n", $1, $2 + $3, $4, m }'
}
median() { # median <command…>: measure's line of the run with the median wall time
  for _ in $(seq "$runs"); do measure "$@"; done | sort -g | sed -n "$(( (runs + 1) / 2 ))p"
}
read -r f2b_s f2b_cpu f2b_rss f2b_m < <(median "$client" regex "$log" sshd)
echo "Each figure is from the run with the median wall time of $runs."
echo
echo "| tool | wall s | CPU s | entries/CPU-s | peak RSS (MiB) | matched |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
rate() { awk -v n="$n" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
if [ -x /usr/bin/fail2ban-regex ]; then
  read -r py_s py_cpu py_rss py_m < <(median /usr/bin/fail2ban-regex "$log" sshd)
  echo "| fail2ban-regex 1.0.2 | $py_s | $py_cpu | $(rate "$py_cpu") | $(mib "$py_rss") | $py_m |"
fi
echo "| f2b-client regex | $f2b_s | $f2b_cpu | $(rate "$f2b_cpu") | $(mib "$f2b_rss") | $f2b_m |"
if [ -n "${py_s:-}" ]; then
  echo
  awk -v a="$py_cpu" -v b="$f2b_cpu" -v wa="$py_s" -v wb="$f2b_s" -v ra="$py_rss" -v rb="$f2b_rss" 'BEGIN {
    printf "Speed (CPU time): f2b is %.1fx fail2ban-regex (wall: %.1fx); peak RSS %.2f of fail2ban-regex'"'"'s.\n", a / b, wa / wb, rb / ra }'
fi
