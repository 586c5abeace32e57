#!/usr/bin/env bash
# Side-by-side: lines per second through one filter (date detection plus
# prefregex/failregex matching) in f2b (pkg/filter Go benchmarks, one core)
# and in fail2ban 1.0.2's own Filter.processLine driven from Python, on
# the same inputs: the php-api reference line and a realistic auth.log mix
# (pkg/filter/testdata/authlog-mix.log) through the stock sshd filter.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "## Filter: lines per second"
echo
runs=${FILTER_BENCH_RUNS:-5}
go_out=$(go test -count="$runs" -cpu 1 -run '^$' -bench '^(BenchmarkPHPAPI|BenchmarkPHPAPINoMatch|BenchmarkSSHD|BenchmarkEngines)$' -benchtime "${BENCHTIME:-1s}" ./pkg/filter 2>&1) ||
  { echo "$go_out" >&2; exit 1; }
metric() { # metric <benchmark> <unit>: the median over the runs
  echo "$go_out" | awk -v b="^$1\$" -v u="$2" '$1 ~ b {for (i = 2; i <= NF; i++) if ($i == u) print $(i-1)}' |
    sort -g | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]}'
}
py=(- - -)
if /usr/bin/python3 -c 'import fail2ban' 2>/dev/null; then
  read -r -a py < <(/usr/bin/python3 - <<'PY'
import logging, time
logging.disable(logging.CRITICAL)
from fail2ban.server.filter import Filter
from fail2ban.client.filterreader import FilterReader

def rate(flt, lines, n=20000):
    t0 = time.process_time()
    for i in range(n):
        flt.processLine(lines[i % len(lines)])
    return n / (time.process_time() - t0)

php = Filter(None)
php.addFailRegex(r'^\s*<ADDR>\s+\S+\s+Incorrect token used\.')
php.setDatePattern('^{DATE}')
php_lines = ['2026-11-25T13:01:02 192.0.2.1 - Incorrect token used. (more info here ...)',
             '2026-11-25T13:01:03 192.0.2.7 - Incorrect token used. (more info here ...)',
             '2026-11-25T13:01:04 198.51.100.3 admin Incorrect token used. (more info here ...)']
php_miss = ['2026-11-25T13:01:02 192.0.2.1 - Token accepted for user admin (session 42)',
            '2026-11-25T13:01:03 192.0.2.7 - GET /api/v1/items 200',
            '2026-11-25T13:01:04 198.51.100.3 admin Incorrect password used. (more info here ...)']

sshd = Filter(None)
r = FilterReader('sshd', 'jail', {}, basedir='/etc/fail2ban')
r.read(); r.getOptions({})
for opt in r.convert():
    for v in (opt[3] if opt[0] == 'multi-set' else [opt[3]]):
        k = opt[2]
        if k == 'prefregex': sshd.prefRegex = v
        elif k == 'addfailregex': sshd.addFailRegex(v)
        elif k == 'addignoreregex': sshd.addIgnoreRegex(v)
        elif k == 'maxlines': sshd.setMaxLines(v)
        elif k == 'datepattern': sshd.setDatePattern(v)
mix = open('pkg/filter/testdata/authlog-mix.log').read().splitlines()
print('%.0f %.0f %.0f' % (rate(php, php_lines), rate(php, php_miss), rate(sshd, mix)))
PY
  )
fi
row() { # row <label> <python rate> <benchmark>
  local ns
  ns=$(metric "$3" lines/cpu-s | awk '{ if ($1 > 0) printf "%.0f", 1e9 / $1 }')
  echo "| $1 | $2 | $(metric "$3" lines/cpu-s) | $(metric "$3" lines/s) | ${ns:-} | $(metric "$3" allocs/op) |"
}
echo "| filter and input | fail2ban 1.0.2 (lines/CPU-s) | f2b (lines/CPU-s) | f2b (lines/s wall) | f2b CPU ns/line | f2b allocs/line |"
echo "| --- | --- | --- | --- | --- | --- |"
row "php-api, matching lines" "${py[0]}" BenchmarkPHPAPI
row "php-api, non-matching lines" "${py[1]}" BenchmarkPHPAPINoMatch
row "stock sshd, auth.log mix" "${py[2]}" BenchmarkSSHD
echo
echo "One core (\`-cpu 1\`), median of ${runs} runs of each benchmark; CPU-seconds include the Go runtime's GC work. Regex engines on one sshd-like failregex:"
echo "RE2 $(metric 'BenchmarkEngines/re2/re2' ns/op) ns/search, regexp2 $(metric 'BenchmarkEngines/regexp2/regexp2' ns/op) ns/search."
