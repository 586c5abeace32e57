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
# Wall time is measured in interleaved rounds: this VM's speed drifts by
# tens of percent within seconds, so timing all runs of one client and
# then all of the other compared different machines. Each round runs
# fail2ban-client once and f2b-client $per times, back to back; the
# speed-up is the median of the rounds' ratios.
rounds=${CONFIG_BENCH_ROUNDS:-12}
per=${CONFIG_BENCH_PER_ROUND:-5}
us() { # wall microseconds of one run ($EPOCHREALTIME: no date process)
  local s=$EPOCHREALTIME
  "$@" -c "$tmp/conf" -d >/dev/null 2>&1
  local e=$EPOCHREALTIME
  echo $(( (${e/./} - ${s/./}) ))
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
ours=() theirs=() ratios=()
for _ in $(seq "$rounds"); do
  t=$(us /usr/bin/fail2ban-client)
  theirs+=("$t")
  sum=0
  for _ in $(seq "$per"); do
    o=$(us "$tmp/f2b-client")
    ours+=("$o")
    sum=$((sum + o))
  done
  ratios+=("$(awk -v t="$t" -v s="$sum" -v n="$per" 'BEGIN {printf "%.2f", t / (s / n)}')")
done
ow=$(awk -v m="$(median "${ours[@]}")" 'BEGIN {printf "%.1f", m / 1000}')
tw=$(awk -v m="$(median "${theirs[@]}")" 'BEGIN {printf "%.1f", m / 1000}')
ratio=$(median "${ratios[@]}")
lo=$(printf '%s\n' "${ratios[@]}" | sort -g | head -1)
hi=$(printf '%s\n' "${ratios[@]}" | sort -g | tail -1)
cpu() {
  # children's user+sys ticks after running the command $runs times
  bash -c 'for _ in $(seq '"$runs"'); do "$@" -c '"$tmp/conf"' -d >/dev/null 2>&1; done; times' _ "$@" |
    tail -1 | awk -v n="$runs" '{split($1,u,"m"); split($2,s,"m"); printf "%.1f", (u[1]*60+u[2]+s[1]*60+s[2])*1000/n}'
}
oc=$(cpu "$tmp/f2b-client"); tc=$(cpu /usr/bin/fail2ban-client)
echo "$jails jails, $(wc -l < "$tmp/ours") stream lines, output byte-identical: **$same**."
echo "Wall: $rounds interleaved rounds of one fail2ban-client run and $per f2b-client runs, medians; CPU: mean of $runs runs of each."
echo
echo "| client | wall ms/run | CPU ms/run |"
echo "| --- | --- | --- |"
echo "| fail2ban-client 1.0.2 | $tw | $tc |"
echo "| f2b-client | $ow | $oc |"
echo "| speed-up | $(awk -v r="$ratio" 'BEGIN{printf "%.1f×", r}') (median of the rounds; range $lo–$hi) | $(awk -v a="$tc" -v b="$oc" 'BEGIN{printf "%.1f×", (b>0)?a/b:0}') |"
