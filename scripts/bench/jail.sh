#!/usr/bin/env bash
# Side-by-side: the jail's hot paths in f2b (pkg/jail Go benchmarks) and in
# fail2ban 1.0.2's own FailManager / BanManager classes driven from Python:
# one failure that does not ban, banning 100,000 addresses with spread-out
# ends of ban, and unbanning them all through the expiry path.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "## Jail: failure counting and ban list"
echo
go_out=$(go test -count=1 -run '^$' -bench '^(BenchmarkAddFailure|BenchmarkBans100k)$' -benchtime "${BENCHTIME:-1s}" ./pkg/jail 2>&1) ||
  { echo "$go_out" >&2; exit 1; }
metric() { # metric <benchmark> <unit>
  echo "$go_out" | awk -v b="^$1-" -v u="$2" '$1 ~ b {for (i = 2; i <= NF; i++) if ($i == u) print $(i-1)}'
}
py=(- - -)
if /usr/bin/python3 -c 'import fail2ban' 2>/dev/null; then
  read -r -a py < <(/usr/bin/python3 - <<'PY'
import logging, time
logging.disable(logging.CRITICAL)
from fail2ban.server.failmanager import FailManager
from fail2ban.server.ticket import FailTicket, BanTicket
from fail2ban.server.banmanager import BanManager
from fail2ban.server.ipdns import IPAddr
N = 100000
now = time.time()
fm = FailManager(); fm.setMaxRetry(1 << 62); fm.setMaxTime(600)
ip = IPAddr('192.0.2.1')
t0 = time.perf_counter()
for _ in range(N):
    fm.addFailure(FailTicket(ip, now, ['x']))
fail = (time.perf_counter() - t0) / N * 1e9
bm = BanManager(); bm.setBanTime(600)
ips = [IPAddr('10.%d.%d.%d' % (i >> 16 & 255, i >> 8 & 255, i & 255)) for i in range(N)]
t0 = time.perf_counter()
for i, a in enumerate(ips):
    t = BanTicket(a, now); t.setBanTime(60 * (1 + i % 977)); bm.addBanTicket(t)
ban = (time.perf_counter() - t0) / N * 1e9
t0 = time.perf_counter()
while bm.size():
    bm.unBanList(now + 86400, 1000)
unban = (time.perf_counter() - t0) / N * 1e9
print('%.0f %.0f %.0f' % (fail, ban, unban))
PY
  )
fi
echo "| operation | fail2ban 1.0.2 (ns) | f2b (ns) |"
echo "| --- | --- | --- |"
echo "| one failure, no ban | ${py[0]} | $(metric BenchmarkAddFailure ns/op) |"
echo "| ban (100k addresses) | ${py[1]} | $(metric BenchmarkBans100k ns/ban) |"
echo "| unban on expiry (100k) | ${py[2]} | $(metric BenchmarkBans100k ns/unban) |"
echo
echo "f2b memory per active ban: $(metric BenchmarkBans100k bytes/ban) bytes (heap growth with 100k bans; \`BenchmarkBans1M\` measures 1M)."
echo "fail2ban unbans in batches of 1000 here (it scans its whole ban list per batch); the machine's load affects both columns."
