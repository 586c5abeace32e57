#!/usr/bin/env bash
# Side-by-side: banning 500 addresses into a real nftables set (stock
# nftables-multiport action, inside a throw-away network namespace) with
# fail2ban 1.0.2's CommandAction, with f2b ticket by ticket, and with f2b's
# BanMany batch (used when restoring bans). Needs root, nft and fail2ban.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "## Actions: banning into nftables"
echo
if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null || ! /usr/bin/python3 -c 'import fail2ban' 2>/dev/null; then
  echo "_skipped: needs root, nft and the fail2ban package_"
  exit 0
fi
out=$(F2B_BENCH_ACTION=1 go test -count=1 -run '^TestBenchFirewall$' -v ./pkg/action 2>&1) || { echo "$out" >&2; exit 1; }
echo "| implementation | bans | total | per ban | commands |"
echo "| --- | --- | --- | --- | --- |"
echo "$out" | sed -n 's/^BENCH//p'
