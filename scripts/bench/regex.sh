#!/usr/bin/env bash
# Side-by-side: f2b-client regex vs fail2ban-regex 1.0.2 on the same
# deterministic 200,000-line sshd auth.log (about 20 % failures from about
# 2,000 addresses) with the stock sshd filter. Prints lines/s (wall) and
# peak RSS (/usr/bin/time -v) of both, and the ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
LINES=${LINES:-200000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -o "$tmp/f2b-client" ./cmd/f2b-client # as make build does
/usr/bin/python3 - "$LINES" >"$tmp/auth.log" <<'PY'
import sys
n = int(sys.argv[1])
seed = 12345
def rnd(m):
    global seed
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed % m
users = ['root', 'admin', 'test', 'oracle', 'ubuntu', 'git', 'postgres', 'pi']
out = []
for i in range(n):
    t = 1795600000 + i // 4
    day, rem = divmod(t - 1795564800, 86400)
    ts = 'Nov %2d %02d:%02d:%02d' % (25 + day, rem // 3600, rem // 60 % 60, rem % 60)
    pid = 1000 + rnd(30000)
    ip = '10.%d.%d.%d' % (rnd(8), rnd(250), 1 + rnd(250)) if rnd(5) else '192.0.%d.%d' % (rnd(8), 1 + rnd(250))
    k = rnd(100)
    if k < 10:
        msg = 'Failed password for %s from %s port %d ssh2' % (users[rnd(8)], '203.0.%d.%d' % (rnd(8), 1 + rnd(250)), 1024 + rnd(60000))
    elif k < 20:
        msg = 'Invalid user %s from %s port %d' % (users[rnd(8)], '198.51.%d.%d' % (rnd(8), 1 + rnd(250)), 1024 + rnd(60000))
    elif k < 45:
        msg = 'Accepted publickey for %s from %s port %d ssh2: RSA SHA256:abcdef%d' % (users[rnd(8)], ip, 1024 + rnd(60000), rnd(1000))
    elif k < 70:
        msg = 'pam_unix(sshd:session): session opened for user %s(uid=%d) by (uid=0)' % (users[rnd(8)], 1000 + rnd(10))
    elif k < 85:
        msg = 'Received disconnect from %s port %d:11: disconnected by user' % (ip, 1024 + rnd(60000))
    else:
        msg = 'Disconnected from user %s %s port %d' % (users[rnd(8)], ip, 1024 + rnd(60000))
    out.append('%s host sshd[%d]: %s\n' % (ts, pid, msg))
sys.stdout.write(''.join(out))
PY
measure() { # measure <name> <cmd...>: prints "<wall s> <maxrss KiB> <user+sys CPU s>"
  /usr/bin/time -v -o "$tmp/$1.time" "${@:2}" >"$tmp/$1.out" 2>"$tmp/$1.err" || { cat "$tmp/$1.err" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]}
              /User time|System time/ {c += $2}
              /Maximum resident set size/ {r = $2} END {print s, r, c}' "$tmp/$1.time"
}
read -r f2b_s f2b_rss f2b_cpu < <(measure f2b "$tmp/f2b-client" regex --print-no-missed --print-no-ignored "$tmp/auth.log" sshd)
py_s=- py_rss=- py_cpu=-
if [ -x /usr/bin/fail2ban-regex ]; then
  read -r py_s py_rss py_cpu < <(measure py /usr/bin/fail2ban-regex --print-no-missed --print-no-ignored "$tmp/auth.log" sshd)
  if ! diff <(grep -v 'processed in' "$tmp/f2b.out") <(grep -v 'processed in' "$tmp/py.out") >"$tmp/diff"; then
    echo "WARNING: reports differ:" >&2; head -20 "$tmp/diff" >&2
  fi
fi
rate() { awk -v n="$LINES" -v s="$1" 'BEGIN { if (s == "-" || s <= 0) print "-"; else printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
f2b_rate=$(rate "$f2b_s") py_rate=$(rate "$py_s")
f2b_crate=$(rate "$f2b_cpu") py_crate=$(rate "$py_cpu")
echo "## fail2ban-regex: $LINES-line sshd auth.log, stock sshd filter"
echo
echo "| tool | wall s | lines/s (wall) | CPU s | lines/CPU-s | peak RSS (KiB) |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| fail2ban-regex 1.0.2 | $py_s | $py_rate | $py_cpu | $py_crate | $py_rss |"
echo "| f2b-client regex | $f2b_s | $f2b_rate | $f2b_cpu | $f2b_crate | $f2b_rss |"
echo "| ratio f2b / fail2ban | | $(ratio "$f2b_rate" "$py_rate")× | | $(ratio "$f2b_crate" "$py_crate")× | $(ratio "$f2b_rss" "$py_rss")× |"
echo
echo "Both report the same statistics (checked by the script). Wall figures depend on the load of the machine; CPU seconds are user+sys."
