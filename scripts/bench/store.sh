#!/bin/sh
# Side-by-side: fail2ban's Fail2BanDb vs f2b's pkg/store on the same work —
# N bans written (one jail, matches like an sshd ban), then every active ban
# read back as a jail restart does. Prints Markdown. N defaults to 20000.
set -eu
N=${N:-20000}
PY=/usr/bin/python3
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "## Database: write $N bans, restore them"
echo
echo "| implementation | write bans/s | restore (s) | DB size (MB) |"
echo "| --- | ---: | ---: | ---: |"

if $PY -c 'import fail2ban.server.database' 2>/dev/null; then
	$PY - "$tmp/f2b.db" "$N" 2>/dev/null <<'PYEOF'
import os, sys, time
from fail2ban.server.database import Fail2BanDb
from fail2ban.server.ticket import FailTicket
path, n = sys.argv[1], int(sys.argv[2])
class A:
    def getBanTime(self): return 86400
class J:
    name = "sshd"; actions = A()
    def getMaxBanTime(self): return 86400
db = Fail2BanDb(path); j = J(); db.addJail(j)
now = time.time(); t0 = time.time()
for i in range(n):
    ip = "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255)
    line = "sshd[1234]: Failed password for root from %s port 22 ssh2" % ip
    t = FailTicket(ip, now - i % 3600, data={"matches": [["", "2026-11-25 12:36:30", " " + line]], "failures": 5, "ip4": ip})
    t.setBanTime(86400); t.setBanCount(1)
    db.addBan(j, t)
w = time.time() - t0
t0 = time.time()
got = len(db.getCurrentBans(jail=j, forbantime=86400))
r = time.time() - t0
assert got == n, got
print("| fail2ban 1.0.2 (Python) | %d | %.2f | %.1f |" % (n / w, r, os.path.getsize(path) / 1e6))
PYEOF
else
	echo "| fail2ban (not installed) | – | – | – |"
fi

out=$(F2B_BENCH_BANS=$N go test -run '^$' -bench 'Store_Restore1M$' -benchtime 1x ./pkg/store/)
echo "$out" | awk -v n="$N" '/^BenchmarkStore_Restore1M/ {
	for (i = 1; i <= NF; i++) { m[$(i+1)] = $i }
	printf "| f2b pkg/store (Go) | %d | %.2f | %.1f |\n", n / m["insert-s"], m["restore-s"], m["db-MB"]
}'
