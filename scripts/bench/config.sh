#!/usr/bin/env bash
# Side-by-side: reading and resolving Debian's stock /etc/fail2ban with
# every jail enabled and printing the stream (-d), f2b-client vs
# fail2ban-client 1.0.2, on the same copy of the tree. Prints Markdown.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${CONFIG_BENCH_RUNS:-10}
echo "## Config: \`-d\` on the stock tree, every jail enabled"
echo
if [ ! -x /usr/bin/fail2ban-client ] || [ ! -f /etc/fail2ban/jail.conf ]; then
  echo "_skipped: needs the fail2ban package_"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -o "$tmp/f2b-client" ./cmd/f2b-client # as make build does
cp -R /etc/fail2ban "$tmp/conf"
sed -n 's/^\[\([^]]*\)\].*/\1/p' "$tmp/conf/jail.conf" | grep -vx -e INCLUDES -e DEFAULT |
  while read -r j; do printf '[%s]\nenabled = true\n\n' "$j"; done > "$tmp/conf/jail.local"
jails=$(grep -c '^\[' "$tmp/conf/jail.local")
"$tmp/f2b-client" -c "$tmp/conf" -d > "$tmp/ours" 2>/dev/null
/usr/bin/fail2ban-client -c "$tmp/conf" -d > "$tmp/theirs" 2>/dev/null
same=no; cmp -s "$tmp/ours" "$tmp/theirs" && same=yes
# measure: wall time of $runs runs, and user+sys CPU seconds from /proc
measure() {
  local start end
  start=$(date +%s.%N)
  for _ in $(seq "$runs"); do "$@" -c "$tmp/conf" -d >/dev/null 2>&1; done
  end=$(date +%s.%N)
  echo "$start $end" | awk -v n="$runs" '{printf "%.1f", ($2-$1)*1000/n}'
}
cpu() {
  # children's user+sys ticks after running the command $runs times
  bash -c 'for _ in $(seq '"$runs"'); do "$@" -c '"$tmp/conf"' -d >/dev/null 2>&1; done; times' _ "$@" |
    tail -1 | awk -v n="$runs" '{split($1,u,"m"); split($2,s,"m"); printf "%.1f", (u[1]*60+u[2]+s[1]*60+s[2])*1000/n}'
}
ow=$(measure "$tmp/f2b-client"); tw=$(measure /usr/bin/fail2ban-client)
oc=$(cpu "$tmp/f2b-client"); tc=$(cpu /usr/bin/fail2ban-client)
echo "$jails jails, $(wc -l < "$tmp/ours") stream lines, output byte-identical: **$same**; mean of $runs runs."
echo
echo "| client | wall ms/run | CPU ms/run |"
echo "| --- | --- | --- |"
echo "| fail2ban-client 1.0.2 | $tw | $tc |"
echo "| f2b-client | $ow | $oc |"
echo "| speed-up | $(awk -v a="$tw" -v b="$ow" 'BEGIN{printf "%.1f×", a/b}') | $(awk -v a="$tc" -v b="$oc" 'BEGIN{printf "%.1f×", (b>0)?a/b:0}') |"
