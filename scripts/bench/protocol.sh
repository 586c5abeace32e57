#!/usr/bin/env bash
# Side-by-side cost of the socket codec for one `set <jail> attempt` exchange:
# f2b's pkg/protocol versus CPython's C pickle module (what fail2ban runs).
# Prints a Markdown section for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${BENCH_N:-200000}

go_line=$(go test -run '^$' -bench '^BenchmarkAttempt$' -benchtime "${n}x" -benchmem ./pkg/protocol | grep '^BenchmarkAttempt')
go_ns=$(awk '{print $3}' <<<"$go_line")
go_allocs=$(awk '{print $7}' <<<"$go_line")

py_ns=n/a
if [ -x /usr/bin/python3 ]; then
  py_ns=$(N="$n" /usr/bin/python3 - <<'PY'
import os, pickle, timeit
raw = bytes.fromhex(open("pkg/protocol/testdata/vectors/set_attempt.request.hex").read().strip())
req = raw[:raw.index(b"<F2B_END_COMMAND>")]
n = int(os.environ["N"])
def once():
    pickle.loads(req)
    pickle.dumps((0, 1), 5)
print(round(timeit.timeit(once, number=n) / n * 1e9))
PY
)
fi

echo "### Socket protocol: decode \`set <jail> attempt <ip> <msg>\` + encode \`(0, 1)\`"
echo
echo "| implementation | ns/exchange | allocs |"
echo "| --- | ---: | ---: |"
echo "| f2b pkg/protocol (Go) | ${go_ns} | ${go_allocs} |"
echo "| CPython 3 \`pickle\` (C accelerator, as fail2ban) | ${py_ns} | — |"
echo
echo "Same request bytes (recorded from fail2ban-client 1.0.2), ${n} iterations each; codec only, no socket."
