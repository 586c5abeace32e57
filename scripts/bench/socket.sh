#!/usr/bin/env bash
# Side-by-side socket throughput: `set <jail> attempt <ip> <msg>` over ONE
# keep-alive connection, one request in flight, driven by the same Go client
# loop (internal/loadgen) against f2b-server and the real fail2ban-server on
# the same configuration; plus f2b-server under 100 clients x 1,000 requests.
# Prints a Markdown section for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${BENCH_SOCKET_N:-30000}        # requests per run against f2b-server
nref=${BENCH_SOCKET_NREF:-6000}  # requests per run against fail2ban-server
runs=${BENCH_SOCKET_RUNS:-3}      # best of this many runs is reported
spin=${BENCH_SOCKET_SPIN:-100us}  # the client polls this long for a reply before sleeping

bin=.bench/socket
mkdir -p "$bin"
go build -o "$bin/" ./cmd/f2b-server ./internal/loadgen/cmd/loadgen

work=$(mktemp -d /tmp/f2bbench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# config DIR: one jail "stress" whose filter never matches, maxretry high so
# that no attempt bans; failures are logged at INFO to a file, as usual.
config() {
  local d=$1
  mkdir -p "$d/conf/filter.d" "$d/conf/action.d" "$d/conf/jail.d"
  : > "$d/stress.log"
  cat > "$d/conf/fail2ban.conf" <<CONF
[Definition]
loglevel = INFO
logtarget = $d/f2b.log
socket = $d/f2b.sock
pidfile = $d/f2b.pid
dbfile = $d/f2b.sqlite3
CONF
  cat > "$d/conf/jail.conf" <<CONF
[DEFAULT]
bantime = 1h
findtime = 1d
maxretry = 100000000
backend = polling
usedns = no
action = record

[stress]
enabled = true
filter = stress
logpath = $d/stress.log
CONF
  printf '[Definition]\nactionban = echo ban <ip> >> %s/bans\nactionunban =\n' "$d" > "$d/conf/action.d/record.conf"
  printf '[Definition]\nfailregex = ^never-matches <HOST>$\n' > "$d/conf/filter.d/stress.conf"
}

# start SERVER DIR: run the server in the foreground, wait for the jail;
# sets $started to its pid.
start() {
  "$1" -c "$2/conf" -xf start >"$2/server.out" 2>&1 &
  started=$!
  pids+=("$started")
  "$bin/loadgen" -s "$2/f2b.sock" -wait 60s -n 1000 >/dev/null
}

# ticks PID: CPU time (user+system, clock ticks) the process has used.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# run DIR CLIENTS N: requests/s of one loadgen run.
run() { "$bin/loadgen" -s "$1/f2b.sock" -c "$2" -n "$3" -spin "${4:-$spin}" | awk '{print $3}'; }

# cpu_us TICKS REQUESTS: server CPU microseconds per request.
cpu_us() { awk -v t="$1" -v hz="$hz" -v n="$2" 'BEGIN{printf "%.1f", t / hz * 1e6 / n}'; }

config "$work/f2b"
start "$bin/f2b-server" "$work/f2b"
f2b_pid=$started
ref_pid=
if [ -x /usr/bin/fail2ban-server ]; then
  config "$work/ref"
  start /usr/bin/fail2ban-server "$work/ref"
  ref_pid=$started
fi

# Runs alternate between the servers so that both see the same machine
# load; the best run of each is reported. CPU per request (summed over all
# runs) is the steadier figure on a busy machine: one-in-flight throughput
# is mostly wake-up latency.
ours=0 theirs=0 ours_t=0 theirs_t=0
for _ in $(seq "$runs"); do
  t0=$(ticks "$f2b_pid"); r=$(run "$work/f2b" 1 "$n"); t1=$(ticks "$f2b_pid")
  ours_t=$((ours_t + t1 - t0)); [ "$r" -gt "$ours" ] && ours=$r
  if [ -n "$ref_pid" ]; then
    t0=$(ticks "$ref_pid"); r=$(run "$work/ref" 1 "$nref"); t1=$(ticks "$ref_pid")
    theirs_t=$((theirs_t + t1 - t0)); [ "$r" -gt "$theirs" ] && theirs=$r
  fi
done
ours_cpu=$(cpu_us "$ours_t" $((n * runs)))
[ -n "$ref_pid" ] && theirs_cpu=$(cpu_us "$theirs_t" $((nref * runs))) || theirs=
# 100 clients sleep for their replies: spinning is for one connection
t0=$(ticks "$f2b_pid"); many=$(run "$work/f2b" 100 1000 0); t1=$(ticks "$f2b_pid")
many_cpu=$(cpu_us $((t1 - t0)) 100000)

echo "### Socket: \`set <jail> attempt <ip> <msg>\`, one keep-alive connection"
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f×", a/b}'; }
echo "| server | requests/s | vs fail2ban-server | server CPU µs/request | vs fail2ban-server |"
echo "| --- | ---: | ---: | ---: | ---: |"
if [ -n "$theirs" ]; then
  echo "| fail2ban-server $(dpkg-query -W -f='${Version}' fail2ban 2>/dev/null || true) | ${theirs} | 1× | ${theirs_cpu} | 1× |"
  echo "| f2b-server | ${ours} | $(ratio "$ours" "$theirs") | ${ours_cpu} | $(ratio "$theirs_cpu" "$ours_cpu") |"
else
  echo "| f2b-server | ${ours} | — | ${ours_cpu} | — |"
fi
echo "| f2b-server, 100 clients × 1,000 requests (one run) | ${many} | | ${many_cpu} | |"
echo
echo "Same Go client loop (\`internal/loadgen\`: a blocking socket outside Go's poller; each reply polled for with non-blocking recv(2) for up to ${spin}, then awaited in poll(2)) against both servers on the same configuration;"
echo "one request in flight per connection; both servers up at once, runs alternating, best of ${runs} runs (${n} requests per run for f2b-server, ${nref} for fail2ban-server)."
[ -n "$theirs" ] || echo "fail2ban-server is not installed: no side-by-side figure."
echo "Each attempt is logged at INFO to a file by both servers, as in production."
echo "Load average when the runs ended: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (one-in-flight throughput is wake-up latency bound and drops on a busy machine)."
