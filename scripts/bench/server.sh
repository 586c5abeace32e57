#!/usr/bin/env bash
# Side-by-side: f2b-server against the real fail2ban-server, both started
# with "-c <copy of /etc/fail2ban> -xf start" and the same jail.local
# (test/e2e/benchserver does the driving): ingestion of appended sshd lines
# until `status sshd` counts every failure, latency from the maxretry-th
# line to actionban starting, idle RSS with ten stock jails, and memory per
# active ban (banip in batches, no-op action, no database). Prints Markdown.
# Sizes: SERVER_BENCH_LINES, SERVER_BENCH_BANS (f2b), SERVER_BENCH_PYBANS
# (fail2ban, which bans far more slowly), SERVER_BENCH_LATENCY (bans timed).
# SERVER_BENCH_ONLY=idle measures only the idle RSS (the other rows print -).
# Idle RSS is the run with the median RSS of SERVER_BENCH_IDLE_RUNS (default
# 3) per server: a single run varies by a few hundred KiB. Ingestion is the
# run with the median time of SERVER_BENCH_INGEST_RUNS (default 3) per server.
set -euo pipefail
cd "$(dirname "$0")/../.."
lines=${SERVER_BENCH_LINES:-100000}
bans=${SERVER_BENCH_BANS:-1000000}
pybans=${SERVER_BENCH_PYBANS:-20000}
nlat=${SERVER_BENCH_LATENCY:-50}
only=${SERVER_BENCH_ONLY:-}
idleRuns=${SERVER_BENCH_IDLE_RUNS:-3}
ingestRuns=${SERVER_BENCH_INGEST_RUNS:-3}

echo "## Server: ingestion, ban latency, memory"
echo
if [ ! -r /etc/fail2ban/jail.conf ]; then
  echo "_Skipped: the comparison runs on a copy of the stock /etc/fail2ban tree (Debian package fail2ban), which is missing._"
  exit 0
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/" ./cmd/f2b-server ./test/e2e/benchserver
CGO_ENABLED=0 go build -o "$bin/" ./cmd/f2b-client # as make build does
# Write the binaries out as an installed binary would be: the kernel
# cannot drop dirty page cache, which f2b-server's idle trim relies on.
sync "$bin"/*

# measure <server> <backend> <scenario> [flags…]: "key value" lines; a
# failed run prints nothing and leaves its error in $bin/errors.
measure() {
  if [ -n "$only" ] && [ "$3" != "$only" ]; then return; fi
  "$bin/benchserver" -server "$1" -client "$bin/f2b-client" -backend "$2" -scenario "$3" "${@:4}" 2>>"$bin/errors" || true
}
# measureMedian <key> <runs> <server> <backend> <scenario> [flags…]: the
# figures of the run with the median <key> among <runs> runs (failed runs
# left out). One run of a shared 2-core machine swings by 20 %.
measureMedian() {
  local key=$1 n=$2 runs=() r
  shift 2
  for _ in $(seq "$n"); do
    r=$(measure "$@")
    if [ -n "$(get "$key" "$r")" ]; then runs+=("$(get "$key" "$r") $(tr '\n' ' ' <<<"$r")"); fi
  done
  if [ ${#runs[@]} -eq 0 ]; then return; fi
  printf '%s\n' "${runs[@]}" | sort -g | sed -n "$(( (${#runs[@]} + 1) / 2 ))p" | cut -d' ' -f2- | xargs -n2
}
measureIdle() { measureMedian idle_rss_bytes "$idleRuns" "$1" "$2" idle; }
get() { awk -v k="$1" '$1 == k {print $2}' <<<"$2"; }
ratio() { # ratio <a> <b> <format>: a/b, or - when either is missing
  awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf f, a / b }'
}
mib() { awk -v v="$1" 'BEGIN { if (v == "") print "-"; else printf "%.1f", v / 1048576 }'; }
orDash() { if [ -n "$1" ]; then echo "$1"; else echo "-"; fi; }

F2B="$bin/f2b-server"
ours_ingest=$(measureMedian ingest_seconds "$ingestRuns" "$F2B" auto ingest -lines "$lines")
ours_lat=$(measure "$F2B" auto latency -count "$nlat")
ours_idle=$(measureIdle "$F2B" auto)
ours_bans=$(measure "$F2B" auto bans -count "$bans" -dbfile None)

py_ingest="" py_lat="" py_idle="" py_bans="" pynote=""
if [ -x /usr/bin/fail2ban-server ]; then
  pyback=polling
  if /usr/bin/python3 -c 'import pyinotify' 2>/dev/null; then pyback=pyinotify; fi
  py_ingest=$(measureMedian ingest_seconds "$ingestRuns" /usr/bin/fail2ban-server "$pyback" ingest -lines "$lines")
  py_lat=$(measure /usr/bin/fail2ban-server "$pyback" latency -count "$nlat")
  py_idle=$(measureIdle /usr/bin/fail2ban-server "$pyback")
  py_bans=$(measure /usr/bin/fail2ban-server "$pyback" bans -count "$pybans" -dbfile None)
  pynote="fail2ban-server $(/usr/bin/fail2ban-server -V 2>/dev/null || echo '?') with backend $pyback"
else
  pynote="fail2ban-server is not installed: its column is empty"
fi

g() { get "$1" "$2"; }
echo "| measure | fail2ban-server | f2b-server | f2b vs fail2ban |"
echo "| --- | --- | --- | --- |"
echo "| ingest $lines sshd lines (s; median of $ingestRuns runs) | $(orDash "$(g ingest_seconds "$py_ingest")") | $(orDash "$(g ingest_seconds "$ours_ingest")") | $(ratio "$(g ingest_seconds "$py_ingest")" "$(g ingest_seconds "$ours_ingest")" '%.1f× faster') |"
echo "| ingest server CPU (s; steadier under load) | $(orDash "$(g ingest_cpu_seconds "$py_ingest")") | $(orDash "$(g ingest_cpu_seconds "$ours_ingest")") | $(ratio "$(g ingest_cpu_seconds "$py_ingest")" "$(g ingest_cpu_seconds "$ours_ingest")" '%.1f× less') |"
echo "| ingest rate (lines/s) | $(orDash "$(g ingest_lines_per_second "$py_ingest")") | $(orDash "$(g ingest_lines_per_second "$ours_ingest")") | |"
echo "| ban latency p50 (ms), $nlat bans | $(orDash "$(g latency_p50_ms "$py_lat")") | $(orDash "$(g latency_p50_ms "$ours_lat")") | $(ratio "$(g latency_p50_ms "$py_lat")" "$(g latency_p50_ms "$ours_lat")" '%.1f× lower') |"
echo "| ban latency p95 (ms) | $(orDash "$(g latency_p95_ms "$py_lat")") | $(orDash "$(g latency_p95_ms "$ours_lat")") | $(ratio "$(g latency_p95_ms "$py_lat")" "$(g latency_p95_ms "$ours_lat")" '%.1f× lower') |"
echo "| idle RSS, 10 stock jails (MiB; median of $idleRuns runs) | $(mib "$(g idle_rss_bytes "$py_idle")") | $(mib "$(g idle_rss_bytes "$ours_idle")") | $(ratio "$(g idle_rss_bytes "$ours_idle")" "$(g idle_rss_bytes "$py_idle")" '%.2f of it') |"
echo "| of which file-backed (MiB; binary and libraries) | $(mib "$(g idle_rss_file_bytes "$py_idle")") | $(mib "$(g idle_rss_file_bytes "$ours_idle")") | $(ratio "$(g idle_rss_file_bytes "$ours_idle")" "$(g idle_rss_file_bytes "$py_idle")" '%.2f of it') |"
echo "| of which anonymous (MiB; heap, stacks, SQLite) | $(mib "$(g idle_rss_anon_bytes "$py_idle")") | $(mib "$(g idle_rss_anon_bytes "$ours_idle")") | $(ratio "$(g idle_rss_anon_bytes "$ours_idle")" "$(g idle_rss_anon_bytes "$py_idle")" '%.2f of it') |"
echo "| RSS growth per active ban (bytes) | $(orDash "$(g bans_bytes_per_ban "$py_bans")") ($pybans bans) | $(orDash "$(g bans_bytes_per_ban "$ours_bans")") ($bans bans) | $(ratio "$(g bans_bytes_per_ban "$ours_bans")" "$(g bans_bytes_per_ban "$py_bans")" '%.2f of it') |"
echo "| RSS with those bans (MiB) | $(mib "$(g bans_rss_bytes "$py_bans")") | $(mib "$(g bans_rss_bytes "$ours_bans")") | |"
echo "| banip through the socket (µs per ban) | $(orDash "$(g bans_us_per_ban "$py_bans")") | $(orDash "$(g bans_us_per_ban "$ours_bans")") | $(ratio "$(g bans_us_per_ban "$py_bans")" "$(g bans_us_per_ban "$ours_bans")" '%.1f× faster') |"
echo
echo "$pynote; f2b with backend auto (inotify). Same copied stock configuration, stock sshd filter,"
echo "no-op actions; ingestion and latency use an in-memory database, the ban count none."
echo "Ingestion starts its clock once each server has counted one warm-up failure (f2b compiles a"
echo "jail's filter on its first line, fail2ban when the jail starts; that one-off is not ingestion)."
echo "Latency runs from writing the maxretry-th line to actionban's shell writing into a FIFO."
echo "Load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (shared machines make p95 noisy)."
if [ -s "$bin/errors" ]; then
  echo
  echo "Failed runs:"
  echo '```'
  head -c 2000 "$bin/errors"
  echo '```'
fi
